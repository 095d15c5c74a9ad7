"""Feature groups: pandas in and out with exact types, time travel, commits, changes, online rows, refusals."""

from __future__ import annotations

import datetime as dt
import decimal
import time
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import humle
from conftest import pandas
from humle import Feature

UTC = dt.timezone.utc


def every_dtype() -> pd.DataFrame:
    """One column of each common dtype, nulls wherever a feature may hold them (not in the key or event time)."""
    return pd.DataFrame(
        {
            "id": pd.array([1, 2, 3], dtype="int64"),
            "ts": pd.to_datetime(["2026-01-01T10:00:00.123456Z", "2026-01-02T00:00:00.000000Z", "2026-01-03T00:00:00.000001Z"], utc=True),
            "count": pd.array([7, None, -2], dtype="Int32"),
            "big": pd.array([2**53 + 1, None, -(2**62)], dtype="Int64"),
            "score": [1.5, None, 2.25],
            "ratio": pd.array([0.5, 1.25, None], dtype="float32"),
            "flag": pd.array([True, None, False], dtype="boolean"),
            "label": ["a", None, "ç"],
            "day": [dt.date(2026, 1, 1), None, dt.date(1969, 12, 31)],
            "amount": [decimal.Decimal("12.50"), None, decimal.Decimal("-0.01")],
            "blob": [b"\x00\xff", None, b""],
            "vec": [[1.0, 2.5], None, []],
            "local": pd.DatetimeIndex([pd.Timestamp("2026-01-01T12:00:00"), pd.Timestamp("2026-01-02T12:00:00"), pd.NaT]).tz_localize("Europe/Stockholm"),
        }
    )


SCHEMA = [
    Feature("id", "bigint"),
    Feature("ts", "timestamp"),
    Feature("count", "int"),
    Feature("big", "bigint"),
    Feature("score", "double"),
    Feature("ratio", "float"),
    Feature("flag", "boolean"),
    Feature("label", "string"),
    Feature("day", "date"),
    Feature("amount", "decimal(10,2)"),
    Feature("blob", "binary"),
    Feature("vec", "array<double>"),
    Feature("local", "timestamp"),
]


def test_pandas_of_every_common_dtype_round_trips_with_exact_types_and_nulls(fs: humle.FeatureStore) -> None:
    fg = fs.create_feature_group("all_types", version=1, primary_key=["id"], event_time="ts", features=SCHEMA, online_enabled=True, description="every dtype")
    assert (fg.name, fg.version, fg.primary_key, fg.event_time, fg.online_enabled, fg.description) == ("all_types", 1, ["id"], "ts", True, "every dtype")
    commit = fg.insert(every_dtype())
    assert (commit["commitId"], commit["operation"], commit["rowsInserted"]) == (0, "upsert", 3)

    df = fg.read()
    assert isinstance(df, pd.DataFrame)
    assert {c: str(t) for c, t in df.dtypes.items()} == {
        "id": "Int64",
        "ts": "datetime64[us, UTC]",
        "count": "Int32",
        "big": "Int64",
        "score": "float64",
        "ratio": "float32",
        "flag": "boolean",
        "label": "str",
        "day": "object",
        "amount": "str",
        "blob": "object",
        "vec": "object",
        "local": "datetime64[us, UTC]",
    }
    assert df["id"].tolist() == [1, 2, 3]
    assert df["ts"].tolist() == [
        pd.Timestamp("2026-01-01T10:00:00.123456Z"),
        pd.Timestamp("2026-01-02T00:00:00Z"),
        pd.Timestamp("2026-01-03T00:00:00.000001Z"),
    ]
    assert df["count"].tolist() == [7, pd.NA, -2]
    assert df["big"].tolist() == [2**53 + 1, pd.NA, -(2**62)]
    assert df["score"].isna().tolist() == [False, True, False] and df["score"][2] == 2.25
    assert df["ratio"].tolist()[:2] == [0.5, 1.25]
    assert df["flag"].tolist() == [True, pd.NA, False]
    assert df["label"].tolist()[::2] == ["a", "ç"] and pd.isna(df["label"][1])
    assert df["day"].tolist() == [dt.date(2026, 1, 1), None, dt.date(1969, 12, 31)]
    # Decimals as the server sends them in Arrow: the exact text at the feature's scale.
    assert df["amount"].tolist()[::2] == ["12.50", "-0.01"] and pd.isna(df["amount"][1])
    assert df["blob"].tolist() == [b"\x00\xff", None, b""]
    assert [None if v is None else list(v) for v in df["vec"]] == [[1.0, 2.5], None, []]
    # A zoned timestamp is the same instant in UTC.
    assert df["local"].tolist()[:2] == [pd.Timestamp("2026-01-01T11:00:00Z"), pd.Timestamp("2026-01-02T11:00:00Z")]

    arrow = fg.read(dataframe_type="pyarrow")
    assert isinstance(arrow, pa.Table)
    assert arrow.schema.field("ts").type == pa.timestamp("us", tz="UTC")
    assert arrow.schema.field("big").type == pa.int64()
    assert arrow.schema.field("day").type == pa.date32()
    assert pa.types.is_list(arrow.schema.field("vec").type) and arrow.schema.field("vec").type.value_type == pa.float64()
    rows = fg.read(dataframe_type="python")
    assert isinstance(rows, list) and rows[1][:3] == [2, dt.datetime(2026, 1, 2, tzinfo=UTC), None]


def test_upserts_time_travel_commit_details_and_changes(fs: humle.FeatureStore) -> None:
    fg = fs.create_feature_group("accounts", primary_key=["account"], online_enabled=True)
    assert fg.version == 1 and fg.features == []
    first = fg.insert(pd.DataFrame({"account": [1, 2], "balance": [10.0, 20.0]}))
    # The first insert gave the schema, so features exist for filters now.
    assert [(f.name, f.type, f.primary) for f in fg.features] == [("account", "bigint", True), ("balance", "double", False)]
    time.sleep(0.01)
    between = dt.datetime.now(UTC)
    time.sleep(0.01)
    second = fg.insert(pd.DataFrame({"account": [2, 3], "balance": [25.0, 30.0]}))
    assert (second["commitId"], second["rowsInserted"], second["rowsUpdated"]) == (1, 1, 1)

    def balances(frame: Any) -> list[tuple[int, float]]:
        return list(zip(frame["account"].tolist(), frame["balance"].tolist()))

    assert balances(fg.read()) == [(1, 10.0), (2, 25.0), (3, 30.0)]
    assert balances(fg.read(as_of=0)) == [(1, 10.0), (2, 20.0)]
    assert balances(fg.read(wallclock_time=between)) == [(1, 10.0), (2, 20.0)]
    assert balances(fg.read(as_of=first["committedOn"])) == [(1, 10.0), (2, 20.0)]
    assert balances(fg.show(1)) == [(1, 10.0)]
    with pytest.raises(ValueError):
        fg.read(wallclock_time=0, as_of=0)

    details = fg.commit_details()
    assert list(details) == [1, 0]
    assert (details[1]["rowsInserted"], details[1]["rowsUpdated"], details[0]["rowsInserted"]) == (1, 1, 2)
    assert details[0]["committedOn"] == first["committedOn"] and details[0]["committedOn"].tzinfo is not None
    assert list(fg.commit_details(limit=1)) == [1]
    assert list(fg.commit_details(wallclock_time=between)) == [0]

    changes = fg.read_changes(0, 1)
    assert isinstance(changes, pd.DataFrame)
    assert sorted(zip(changes["account"], changes["_change_type"], changes["balance"])) == [
        (2, "update_postimage", 25.0),
        (2, "update_preimage", 20.0),
        (3, "insert", 30.0),
    ]
    assert set(changes["_commit_version"]) == {1}
    # HSFS's incremental read: only the records commits after 0 wrote, as they are now.
    incremental = fg.as_of(exclude_until=0).read()
    assert sorted(balances(incremental)) == [(2, 25.0), (3, 30.0)]
    assert sorted(balances(fg.select(["account", "balance"]).as_of(0).read())) == [(1, 10.0), (2, 20.0)]

    # The online store has the latest row of each key, None for a key it lacks.
    assert fg.get_online_rows([2, 99, {"account": 1}]) == [{"account": 2, "balance": 25.0}, None, {"account": 1, "balance": 10.0}]

    deleted = fg.delete_records(pd.DataFrame({"account": [1]}))
    assert deleted is not None and deleted["rowsDeleted"] == 1
    assert fg.delete_records([{"account": 404}]) is None
    assert balances(fg.read()) == [(2, 25.0), (3, 30.0)]
    assert fs.get_feature_group("accounts").version == 1 and [g.version for g in fs.get_feature_groups("accounts")] == [1]


def test_insert_mode_refuses_existing_keys_and_bad_data_names_the_column(fs: humle.FeatureStore) -> None:
    fg = fs.create_feature_group("strict", primary_key=["id"], features=[Feature("id", "bigint"), Feature("qty", "int"), Feature("note", "string")])
    fg.insert(pd.DataFrame({"id": [1], "qty": [1], "note": ["x"]}), operation="insert")
    with pytest.raises(humle.ConflictError) as duplicate:
        fg.insert(pd.DataFrame({"id": [1], "qty": [2], "note": ["y"]}), operation="insert")
    assert (duplicate.value.status, duplicate.value.code) == (409, "FEATURE_DUPLICATE_RECORD")

    with pytest.raises(humle.InvalidRequestError) as bad:
        fg.insert(pd.DataFrame({"id": [2, 3], "qty": [1, 2**40], "note": ["a", "b"]}))
    assert (bad.value.status, bad.value.code) == (400, "FEATURE_INVALID_DATA")
    assert bad.value.details["column"] == "qty" and bad.value.details["row"] == 1
    with pytest.raises(humle.InvalidRequestError) as unknown:
        fg.insert(pd.DataFrame({"id": [4], "nope": [1.0]}))
    assert "nope" in unknown.value.message
    # A refused insert changed nothing.
    assert list(fg.commit_details()) == [0]
    with pytest.raises(ValueError):
        fg.insert(pd.DataFrame({"id": [5]}), operation="overwrite")  # type: ignore[arg-type]


def test_unknown_groups_are_not_found_and_data_scientists_cannot_write(fs: humle.FeatureStore, scientist_fs: humle.FeatureStore) -> None:
    with pytest.raises(humle.NotFoundError) as missing:
        fs.get_feature_group("no_such_group")
    assert (missing.value.status, missing.value.code) == (404, "FEATURE_GROUP_NOT_FOUND")
    with pytest.raises(humle.NotFoundError):
        fs.get_feature_group("strict", version=9)
    with pytest.raises(humle.InvalidRequestError) as bad_name:
        fs.create_feature_group("Bad-Name", primary_key=["id"])
    assert bad_name.value.status == 400

    owned = fs.get_or_create_feature_group("shared", version=1, primary_key=["id"], features=[Feature("id", "bigint"), Feature("v", "double")])
    assert fs.get_or_create_feature_group("shared", version=1, primary_key=["other"]).id == owned.id
    with pytest.raises(humle.ConflictError):
        fs.create_feature_group("shared", version=1, primary_key=["id"])
    readable = scientist_fs.get_feature_group("shared", 1)
    with pytest.raises(humle.AccessDeniedError) as denied:
        readable.insert(pd.DataFrame({"id": [1], "v": [1.0]}))
    assert (denied.value.status, denied.value.code) == (403, "ACCESS_DENIED")
    with pytest.raises(humle.AccessDeniedError):
        scientist_fs.create_feature_group("mine", primary_key=["id"])


def test_statistics_tags_appended_features_and_delete(fs: humle.FeatureStore) -> None:
    fg = fs.create_feature_group("measured", primary_key=["id"], features=[Feature("id", "bigint"), Feature("x", "double")], statistics_config=True)
    fg.insert(pd.DataFrame({"id": [1, 2, 3, 4], "x": [1.0, 2.0, 3.0, None]}), wait=True)
    statistics = fg.statistics
    assert (statistics.commit_id, statistics.row_count) == (0, 4)
    x = statistics.feature("x")
    assert (x["count"], x["nullCount"], x["min"], x["max"]) == (4, 1, 1.0, 3.0)
    assert fg.compute_statistics().row_count == 4

    fg.add_tag("owner", {"team": "risk", "tier": 1})
    assert fg.get_tags() == {"owner": {"team": "risk", "tier": 1}}
    assert fg.get_tag("owner") == {"team": "risk", "tier": 1}
    fg.delete_tag("owner")
    assert fg.get_tags() == {}

    fg.append_features(Feature("y", "string"))
    assert [f.name for f in fg.features] == ["id", "x", "y"]
    assert pandas(fg.read())["y"].isna().all()

    fg.delete()
    with pytest.raises(humle.NotFoundError):
        fs.get_feature_group("measured", 1)
