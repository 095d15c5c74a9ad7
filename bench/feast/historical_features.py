"""Feast's point-in-time join on the same data as Humle's training-data benchmark (bench/fv-training.ts).

    historical_features.py --work DIR --spine SPINE.parquet --group NAME=FILE.parquet [--group ...] [--json FILE]

Each group file has an `entity_id` (int64) column, an `event_time` (timestamp, UTC) column and feature columns; the
spine has `entity_id`, `event_time` and a `label`. The script registers one Feast FeatureView per group over a
FileSource (Feast's local "file" offline store), runs `get_historical_features` with the spine as the entity
dataframe, materialises the result (`to_df()`), and prints one JSON line: rows, seconds, peak RSS of this process.
Feast's point-in-time rule is the same as Humle's: the latest feature row at or before the spine row's event time.
"""

import argparse
import json
import os
import resource
import time
from datetime import timedelta

import pandas as pd
import pyarrow.parquet as pq
from feast import Entity, FeatureStore, FeatureView, Field, FileSource, RepoConfig
from feast.repo_config import RegistryConfig
from feast.types import Float64, Int64, String
from feast.value_type import ValueType


def feast_type(arrow_type):
    text = str(arrow_type)
    if text.startswith("int"):
        return Int64
    if text.startswith("double") or text.startswith("float"):
        return Float64
    return String


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--spine", required=True)
    parser.add_argument("--group", action="append", required=True)
    parser.add_argument("--offline-store", default="file", help="file (Dask, the default) or duckdb")
    parser.add_argument("--json")
    args = parser.parse_args()

    os.makedirs(args.work, exist_ok=True)
    config = RepoConfig(
        project="humle_bench",
        provider="local",
        registry=RegistryConfig(path=os.path.join(args.work, "registry.db")),
        # "file" is Feast's default local offline store (Dask over the Parquet files).
        offline_store={"type": args.offline_store},
        online_store={"type": "sqlite", "path": os.path.join(args.work, "online.db")},
        repo_path=args.work,
        entity_key_serialization_version=3,
    )
    store = FeatureStore(config=config)
    entity = Entity(name="entity", join_keys=["entity_id"], value_type=ValueType.INT64)
    views = []
    references = []
    for spec in args.group:
        name, path = spec.split("=", 1)
        schema = pq.read_schema(path)
        fields = [Field(name=f.name, dtype=feast_type(f.type)) for f in schema if f.name not in ("entity_id", "event_time")]
        source = FileSource(name=f"{name}_source", path=os.path.abspath(path), timestamp_field="event_time")
        view = FeatureView(name=name, entities=[entity], ttl=timedelta(days=36500), schema=fields, source=source)
        views.append(view)
        references.extend(f"{name}:{f.name}" for f in fields)
    store.apply([entity, *views])

    spine = pd.read_parquet(args.spine)
    start = time.perf_counter()
    result = store.get_historical_features(entity_df=spine, features=references).to_df()
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    line = {"engine": f"feast ({args.offline_store})", "feastVersion": __import__("feast").__version__, "rows": len(result), "seconds": round(seconds, 3), "peakRssMiB": round(peak_kib / 1024)}
    print(json.dumps(line))
    if args.json:
        with open(args.json, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
