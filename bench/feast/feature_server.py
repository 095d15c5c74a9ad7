"""Feast's feature server on the data of Humle's serving benchmarks (bench/serving-data.ts), for bench/serving-http.ts.

    feature_server.py --work DIR [--entities 1000000]

Writes the three groups of bench/serving-data.ts (users, activity, risk: the same values for the same uid, one row per
uid at 2026-01-01) as Parquet files, registers one Feast FeatureView per group over them with the entity `uid`, and
materializes them into Feast's SQLite online store (DIR/online.db). DIR then holds a feature repository for
`feast -c DIR serve`. Prints one JSON line: entities, seconds to write, seconds to materialize.
"""

import argparse
import json
import os
import time
from datetime import datetime, timedelta, timezone

import pandas as pd
from feast import Entity, FeatureStore, FeatureView, Field, FileSource, RepoConfig
from feast.repo_config import RegistryConfig
from feast.types import Bool, Float64, Int64, String
from feast.value_type import ValueType

TS = datetime(2026, 1, 1, tzinfo=timezone.utc)


def frames(n):
    """The groups of bench/serving-data.ts, with the same formulas."""
    uid = pd.Series(range(n), dtype="int64")
    ts = pd.Series([TS] * n)
    users = pd.DataFrame({"uid": uid, "ts": ts, "age": 18 + uid % 60, "country": "c" + (uid % 50).astype(str), "balance": uid * 0.25})
    activity = pd.DataFrame(
        {
            "uid": uid,
            "ts": ts,
            "count_7d": uid % 13,
            "count_30d": uid % 41,
            "amount_7d": (uid % 1000) / 7,
            "last_merchant": "m" + (uid % 5000).astype(str),
        }
    )
    risk = pd.DataFrame({"uid": uid, "ts": ts, "score": (uid % 97) / 97, "flagged": uid % 11 == 0, "segment": "s" + (uid % 7).astype(str)})
    return {"users": users, "activity": activity, "risk": risk}


SCHEMAS = {
    "users": [Field(name="age", dtype=Int64), Field(name="country", dtype=String), Field(name="balance", dtype=Float64)],
    "activity": [
        Field(name="count_7d", dtype=Int64),
        Field(name="count_30d", dtype=Int64),
        Field(name="amount_7d", dtype=Float64),
        Field(name="last_merchant", dtype=String),
    ],
    "risk": [Field(name="score", dtype=Float64), Field(name="flagged", dtype=Bool), Field(name="segment", dtype=String)],
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--entities", type=int, default=1_000_000)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    started = time.time()
    paths = {}
    for name, frame in frames(args.entities).items():
        paths[name] = os.path.join(args.work, f"{name}.parquet")
        frame.to_parquet(paths[name], index=False)
    written = time.time() - started
    with open(os.path.join(args.work, "feature_store.yaml"), "w") as f:
        f.write(
            "project: humle_bench\nprovider: local\nregistry: registry.db\n"
            "online_store:\n  type: sqlite\n  path: online.db\noffline_store:\n  type: file\n"
            "entity_key_serialization_version: 3\n"
        )
    config = RepoConfig(
        project="humle_bench",
        provider="local",
        registry=RegistryConfig(path=os.path.join(args.work, "registry.db")),
        online_store={"type": "sqlite", "path": os.path.join(args.work, "online.db")},
        offline_store={"type": "file"},
        repo_path=args.work,
        entity_key_serialization_version=3,
    )
    store = FeatureStore(config=config)
    entity = Entity(name="uid", join_keys=["uid"], value_type=ValueType.INT64)
    views = [
        FeatureView(name=name, entities=[entity], ttl=timedelta(days=3650), schema=SCHEMAS[name], source=FileSource(path=paths[name], timestamp_field="ts"), online=True)
        for name in SCHEMAS
    ]
    store.apply([entity, *views])
    started = time.time()
    store.materialize(start_date=TS - timedelta(days=1), end_date=TS + timedelta(days=1))
    materialized = time.time() - started
    print(json.dumps({"entities": args.entities, "writeSeconds": round(written, 1), "materializeSeconds": round(materialized, 1)}))


if __name__ == "__main__":
    main()
