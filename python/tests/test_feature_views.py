"""Feature views: point-in-time training data with its values checked, filters, splits, reproducible training
datasets, batch data, feature vectors, query reads, and the refusals around them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

import humle
from conftest import arrow, pandas
from humle import Feature

UTC = dt.timezone.utc


def day(d: int) -> pd.Timestamp:
    return pd.Timestamp(2026, 1, d, tz="UTC")


def make_groups(fs: humle.FeatureStore, prefix: str) -> tuple[humle.FeatureGroup, humle.FeatureGroup]:
    """Orders and customer profiles. Customer 7's profile changes on Jan 5; customer 8's first profile comes after
    its order (Jan 3), so that order has no profile point in time."""
    orders = fs.create_feature_group(
        f"{prefix}_orders", primary_key=["order_id"], event_time="ts", online_enabled=True,
        features=[Feature("order_id", "bigint"), Feature("ts", "timestamp"), Feature("customer_id", "bigint"), Feature("amount", "double"), Feature("returned", "boolean")],
    )
    customers = fs.create_feature_group(
        f"{prefix}_customers", primary_key=["customer_id"], event_time="ts", online_enabled=True,
        features=[Feature("customer_id", "bigint"), Feature("ts", "timestamp"), Feature("orders_30d", "int")],
    )
    customers.insert(pd.DataFrame({"customer_id": [7, 7, 8], "ts": [day(1), day(5), day(20)], "orders_30d": pd.array([3, 9, 1], dtype="int32")}))
    orders.insert(
        pd.DataFrame(
            {
                "order_id": [1, 2, 3, 4],
                "ts": [day(2), day(6), day(3), day(7)],
                "customer_id": [7, 7, 8, 7],
                "amount": [10.0, 20.0, 30.0, 40.0],
                "returned": [False, True, False, False],
            }
        )
    )
    return orders, customers


def make_view(fs: humle.FeatureStore, orders: humle.FeatureGroup, customers: humle.FeatureGroup, **options: Any) -> humle.FeatureView:
    query = orders.select(["order_id", "customer_id", "amount", "returned"]).join(customers.select(["orders_30d"]), prefix="c_")
    return fs.create_feature_view(f"{orders.name}_view", query=query, labels=["returned"], **options)


def column(frame: Any, name: str) -> list[Any]:
    return [None if pd.isna(v) else v for v in frame[name].tolist()]


def test_point_in_time_training_data_with_filters_and_a_spine(fs: humle.FeatureStore, scientist_fs: humle.FeatureStore) -> None:
    orders, customers = make_groups(fs, "pit")
    fv = make_view(scientist_fs, orders, customers, description="orders with the profile of their time")
    assert (fv.version, fv.labels, fv.description) == (1, ["returned"], "orders with the profile of their time")
    assert [(f.name, f.type, f.label) for f in fv.features] == [
        ("order_id", "bigint", False), ("customer_id", "bigint", False), ("amount", "double", False), ("returned", "boolean", True), ("c_orders_30d", "int", False)
    ]

    x, y = map(pandas, fv.training_data(primary_key=True))
    assert list(x.columns) == ["order_id", "customer_id", "amount", "c_orders_30d"] and list(y.columns) == ["returned"]
    # In event time order; each order sees its customer's profile as of its own time.
    assert column(x, "order_id") == [1, 3, 2, 4]
    assert column(x, "c_orders_30d") == [3, None, 9, 9]
    assert column(y, "returned") == [False, False, True, False]
    assert (str(x["c_orders_30d"].dtype), str(y["returned"].dtype)) == ("Int32", "boolean")
    unkeyed = pandas(fv.training_data()[0])
    assert list(unkeyed.columns) == ["amount", "c_orders_30d"]

    window, _ = fv.training_data(dt.date(2026, 1, 3), dt.datetime(2026, 1, 7), primary_key=True)
    assert column(window, "order_id") == [3, 2]
    by_millis, _ = fv.training_data(start_time=int(day(6).timestamp() * 1000), primary_key=True)
    assert column(by_millis, "order_id") == [2, 4]

    def ids(condition: humle.Condition) -> list[int]:
        frame, _ = fv.training_data(extra_filter=condition, primary_key=True)
        return column(frame, "order_id")

    assert ids(orders.customer_id == 7) == [1, 2, 4]
    assert ids((orders.amount > 15) & (orders.amount < 35)) == [3, 2]
    assert ids((orders.order_id == 1) | (orders["order_id"] == 4)) == [1, 4]
    assert ids(orders.get_feature("order_id").isin([2, 3])) == [3, 2]
    assert ids(customers.orders_30d.isnull()) == [3]
    assert ids(orders.amount.ge(40) | customers.get_feature("orders_30d").lt(4)) == [1, 4]
    assert ids(orders.ts >= dt.datetime(2026, 1, 6, tzinfo=UTC)) == [2, 4]

    spine = pd.DataFrame({"order_id": [100], "ts": [day(4)], "customer_id": [7], "amount": [50.0], "returned": [True]})
    x_spine, y_spine = fv.training_data(spine=spine, primary_key=True)
    assert (column(x_spine, "order_id"), column(x_spine, "c_orders_30d"), column(y_spine, "returned")) == ([100], [3], [True])

    arrow_x, arrow_y = map(arrow, fv.training_data(dataframe_type="pyarrow"))
    assert (arrow_x.num_rows, arrow_y.column_names) == (4, ["returned"])


def test_train_test_split_sizes_and_seeds(fs: humle.FeatureStore) -> None:
    events = fs.create_feature_group("events", primary_key=["id"], event_time="ts", features=[Feature("id", "bigint"), Feature("ts", "timestamp"), Feature("x", "double"), Feature("y", "int")])
    events.insert(pd.DataFrame({"id": range(50), "ts": [day(1) + pd.Timedelta(hours=i) for i in range(50)], "x": [i / 2 for i in range(50)], "y": pd.array([i % 2 for i in range(50)], dtype="int32")}))
    fv = fs.create_feature_view("events_view", query=events.select_all(), labels=["y"])

    x_train, x_test, y_train, y_test = map(pandas, fv.train_test_split(test_size=0.2, seed=42))
    assert (len(x_train), len(x_test), len(y_train), len(y_test)) == (40, 10, 40, 10)
    assert list(x_train.columns) == ["x"] and list(y_train.columns) == ["y"]
    assert sorted(column(x_train, "x") + column(x_test, "x")) == [i / 2 for i in range(50)]
    again = fv.train_test_split(test_size=0.2, seed=42)[1]
    assert column(again, "x") == column(x_test, "x")
    assert column(fv.train_test_split(test_size=0.2, seed=7)[1], "x") != column(x_test, "x")

    three = [pandas(part) for part in fv.train_validation_test_split(validation_size=0.1, test_size=0.2, seed=1)]
    assert [len(part) for part in three] == [35, 5, 10, 35, 5, 10]

    # By event time: train before the 25th hour, test from it on.
    boundary = day(1) + pd.Timedelta(hours=25)
    by_time = fv.train_test_split(train_end=boundary, test_start=boundary, primary_key=True)
    assert (column(by_time[0], "id"), column(by_time[1], "id")) == (list(range(25)), list(range(25, 50)))


def test_training_datasets_read_back_the_same_rows_after_later_inserts(fs: humle.FeatureStore, scientist_fs: humle.FeatureStore) -> None:
    orders, customers = make_groups(fs, "td")
    fv = make_view(scientist_fs, orders, customers)
    version, job = fv.create_training_data(description="all orders", data_format="csv", primary_key=True)
    assert (version, job) == (1, None)
    split_version, _ = fv.create_train_test_split(test_size=0.5, seed=3, primary_key=True)
    assert split_version == 2
    x_before, y_before = map(pandas, fv.get_training_data(version))
    split_before = fv.get_train_test_split(split_version)
    assert (len(split_before[0]), len(split_before[1])) == (2, 2)
    datasets = fv.get_training_datasets()
    assert [(d.version, d.data_format, d.splits) for d in datasets] == [(1, "csv", {"train": 4}), (2, "parquet", {"train": 2, "test": 2})]
    assert datasets[0].commits == {f"{orders.name}:1": 0, f"{customers.name}:1": 0} and datasets[0].description == "all orders"

    # Later: a new order, and customer 7's Jan 5 profile rewritten.
    orders.insert(pd.DataFrame({"order_id": [5], "ts": [day(8)], "customer_id": [7], "amount": [60.0], "returned": [True]}))
    customers.insert(pd.DataFrame({"customer_id": [7], "ts": [day(5)], "orders_30d": pd.array([99], dtype="int32")}))
    x_now, _ = fv.training_data(primary_key=True)
    assert column(x_now, "c_orders_30d") == [3, None, 99, 99, 99]

    x_after, y_after = map(pandas, fv.get_training_data(version))
    pd.testing.assert_frame_equal(x_after, x_before)
    pd.testing.assert_frame_equal(y_after, y_before)
    assert column(x_after, "c_orders_30d") == [3, None, 9, 9]
    for before, after in zip(split_before, fv.get_train_test_split(split_version)):
        pd.testing.assert_frame_equal(pandas(after), pandas(before))
    with pytest.raises(ValueError):
        fv.get_training_data(split_version)

    with pytest.raises(humle.AccessDeniedError):
        fv.delete_training_dataset(1)  # carol is a data scientist
    fs.get_feature_view(fv.name, fv.version).delete_training_dataset(1)
    with pytest.raises(humle.NotFoundError) as gone:
        fv.get_training_data(1)
    assert gone.value.code == "FEATURE_TRAINING_DATASET_NOT_FOUND"


def test_feature_vectors_batch_data_and_helpers(fs: humle.FeatureStore, scientist_fs: humle.FeatureStore) -> None:
    orders, customers = make_groups(fs, "serve")
    fv = make_view(scientist_fs, orders, customers, inference_helper_columns=["amount"])
    # Serving: the online store's latest profile; the label and the helper column are no features.
    assert fv.get_feature_vector({"order_id": 1}) == [1, 7, 9]
    assert fv.get_feature_vector({"order_id": 3}, return_type="dict") == {"order_id": 3, "customer_id": 8, "c_orders_30d": 1}
    assert fv.get_feature_vector({"order_id": 1}, passed_features={"c_orders_30d": 0}) == [1, 7, 0]
    vectors = fv.get_feature_vectors([{"order_id": 1}, {"order_id": 999}, {"order_id": 4}], allow_missing=True)
    assert vectors == [[1, 7, 9], [999, None, None], [4, 7, 9]]
    frame = fv.get_feature_vectors([{"order_id": 2}, {"order_id": 999}], return_type="pandas", allow_missing=True)
    assert isinstance(frame, pd.DataFrame)
    assert {c: str(t) for c, t in frame.dtypes.items()} == {"order_id": "Int64", "customer_id": "Int64", "c_orders_30d": "Int32"}
    assert column(frame, "c_orders_30d") == [9, None]
    with pytest.raises(humle.NotFoundError) as missing:
        fv.get_feature_vector({"order_id": 999})
    assert (missing.value.status, missing.value.code) == (404, "FEATURE_VECTOR_MISSING")
    with pytest.raises(humle.InvalidRequestError):
        fv.get_feature_vector({"customer_id": 7})
    with pytest.raises(ValueError):
        fv.get_feature_vectors([{"order_id": 1}], passed_features=[{}, {}])

    helpers = fv.get_inference_helpers([{"order_id": 1}, {"order_id": 4}])
    assert isinstance(helpers, pd.DataFrame) and column(helpers, "amount") == [10.0, 40.0]
    assert fv.get_inference_helper({"order_id": 2}, return_type="dict") == {"amount": 20.0}

    # Batch data: the features for scoring, without the label; the helper column only when asked for.
    batch = pandas(fv.get_batch_data(start_time=day(6), primary_key=True))
    assert list(batch.columns) == ["order_id", "customer_id", "c_orders_30d"]
    assert column(batch, "order_id") == [2, 4] and column(batch, "c_orders_30d") == [9, 9]
    with_helpers = pandas(fv.get_batch_data(inference_helper_columns=True))
    assert list(with_helpers.columns) == ["amount", "c_orders_30d"]

    with pytest.raises(humle.NotFoundError):
        fv.init_serving(training_dataset_version=9)
    version, _ = fv.create_training_data()
    fv.init_serving(training_dataset_version=version)
    fv.init_batch_scoring(training_dataset_version=version)
    assert fv.get_feature_vector({"order_id": 1}) == [1, 7, 9]
    assert len(fv.get_batch_data()) == 4


def test_transformation_functions_scale_with_the_training_statistics(fs: humle.FeatureStore) -> None:
    orders, customers = make_groups(fs, "scaled")
    scaler = fs.get_transformation_function("min_max_scaler")
    fv = fs.create_feature_view("scaled_view", query=orders.select(["order_id", "amount", "returned"]), labels=["returned"], transformation_functions=[scaler("amount")])
    x = pandas(fv.training_data()[0])
    assert list(x.columns) == ["min_max_scaler_amount"] and str(x.dtypes.iloc[0]) == "float64"
    assert sorted(x["min_max_scaler_amount"]) == pytest.approx([0.0, 1 / 3, 2 / 3, 1.0])
    assert fv.transformation_functions[0]["features"] == ["amount"]


def test_queries_read_joined_filtered_and_as_of(fs: humle.FeatureStore) -> None:
    orders, customers = make_groups(fs, "query")
    query = orders.select_all(include_event_time=False).join(customers.select(["orders_30d"]), on=["customer_id"], prefix="c_").filter(orders.amount >= 20)
    rows = pandas(query.read())
    assert list(rows.columns) == ["order_id", "customer_id", "amount", "returned", "c_orders_30d"]
    assert sorted(zip(column(rows, "order_id"), column(rows, "c_orders_30d"))) == [(2, 9), (3, None), (4, 9)]
    assert sorted(column(orders.select_except(["ts"]).filter(orders.returned == True).read(), "order_id")) == [2]  # noqa: E712
    assert len(query.show(1)) == 1
    assert query.to_dict()["filter"] == {"op": "ge", "feature": "amount", "featureGroup": {"name": "query_orders", "version": 1}, "value": 20}

    orders.insert(pd.DataFrame({"order_id": [9], "ts": [day(9)], "customer_id": [7], "amount": [90.0], "returned": [False]}))
    assert sorted(column(orders.as_of(0).read(), "order_id")) == [1, 2, 3, 4]
    assert column(orders.as_of(1, exclude_until=0).read(), "order_id") == [9]
    assert column(orders.select(["order_id"]).pull_changes(0, 1).read(), "order_id") == [9]
    with pytest.raises(humle.InvalidRequestError) as refused:
        query.as_of(0).read()  # a commit id is one group's: a joined query takes a time
    assert refused.value.code == "FEATURE_QUERY_INVALID"
    with pytest.raises(humle.InvalidRequestError) as unknown:
        orders.select(["nope"]).read()
    assert unknown.value.status == 400
    with pytest.raises(TypeError):
        bool(orders.amount > 1)


def test_views_are_found_recreated_idempotently_and_protect_their_groups(fs: humle.FeatureStore, scientist_fs: humle.FeatureStore) -> None:
    orders, customers = make_groups(fs, "life")
    fv = make_view(scientist_fs, orders, customers)
    found = fs.get_feature_view(fv.name)
    assert (found.id, found.version) == (fv.id, 1)
    assert [v.version for v in fs.get_feature_views(fv.name)] == [1]
    # The stored query read back is the same definition: creating it again answers the same view.
    assert found.query.to_dict()["joins"][0]["prefix"] == "c_"
    again = fs.create_feature_view(fv.name, query=found.query, version=1, labels=["returned"])
    assert again.id == fv.id
    assert fs.get_or_create_feature_view(fv.name, query=found.query, version=1, labels=["returned"]).id == fv.id
    with pytest.raises(humle.ConflictError) as changed:
        fs.create_feature_view(fv.name, query=found.query, version=1, labels=[])
    assert changed.value.code == "FEATURE_VIEW_EXISTS"
    with pytest.raises(humle.NotFoundError) as missing:
        fs.get_feature_view("no_such_view")
    assert missing.value.code == "FEATURE_VIEW_NOT_FOUND"

    with pytest.raises(humle.ConflictError) as in_use:
        orders.delete()
    assert (in_use.value.status, in_use.value.code) == (409, "FEATURE_GROUP_IN_USE")
    with pytest.raises(humle.AccessDeniedError):
        fv.delete()
    found.delete()
    orders.delete()
    with pytest.raises(humle.NotFoundError):
        fs.get_feature_view(fv.name, 1)
