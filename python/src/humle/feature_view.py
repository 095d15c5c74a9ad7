"""A feature view version (HSFS ``FeatureView``): a stored query with labels, read as point-in-time correct training
data (in memory or materialized as training datasets), as batch data for scoring, and as feature vectors from the
online store.

Reads come as Arrow and are cut into HSFS's shapes here: ``(X, y)``, ``X_train, X_test, y_train, y_test``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Mapping, Sequence

import pandas as pd
import pyarrow as pa

from humle.client import RestClient
from humle.filter import Condition
from humle.frames import DataFrameType, Frame, check_dataframe_type, read_ipc, to_arrow, to_frame, to_pandas
from humle.query import Query
from humle.training_dataset import TrainingDataset, features_and_labels, split_parts
from humle.values import arrow_type, decoder, time_json, to_json

Time = dt.datetime | dt.date | str | int
"""A time of a view read: a datetime (naive is UTC), a date, ISO-8601 text, or an int of epoch milliseconds (HSFS)."""

Spine = pd.DataFrame | pa.Table | Sequence[Mapping[str, Any]]
"""Rows that replace the query's left feature group: its primary key, event time, and optionally labels."""

VectorReturnType = Literal["list", "dict", "pandas"]
Vectors = list[list[Any]] | list[dict[str, Any]] | pd.DataFrame
DataFormat = Literal["parquet", "csv", "json"]

# Entries per vector request: the server takes up to 10,000, and a JSON body stays well within its 1 MiB limit.
_VECTOR_BATCH = 1000


class ViewFeature:
    """A column of a feature view: where it comes from and its role (label, helper column)."""

    def __init__(self, json: dict[str, Any]) -> None:
        self.name: str = json["name"]
        self.type: str = json["type"]
        self.feature_group_name: str = json["featureGroup"]["name"]
        self.feature_group_version: int = json["featureGroup"]["version"]
        self.primary: bool = json["primary"]
        self.event_time: bool = json["eventTime"]
        self.label: bool = json["label"]
        self.inference_helper_column: bool = json["inferenceHelperColumn"]
        self.training_helper_column: bool = json["trainingHelperColumn"]

    def __repr__(self) -> str:
        return f"ViewFeature({self.name!r}, {self.type!r}, {self.feature_group_name}:{self.feature_group_version})"


class FeatureView:
    """One version of a feature view, as the server describes it."""

    def __init__(self, client: RestClient, project: str, json: dict[str, Any]) -> None:
        self._client = client
        self._project = project
        self.id: int = json["id"]
        self.name: str = json["name"]
        self.version: int = json["version"]
        self.description: str = json["description"]
        self.labels: list[str] = json["labels"]
        self.inference_helper_columns: list[str] = json["inferenceHelperColumns"]
        self.training_helper_columns: list[str] = json["trainingHelperColumns"]
        self.transformation_functions: list[dict[str, Any]] = json["transformationFunctions"]
        self.features: list[ViewFeature] = [ViewFeature(f) for f in json["features"]]
        self.query: Query = Query.from_dict(client, project, json["query"])
        self.creator: str = json["creator"]
        self.created: dt.datetime = dt.datetime.fromisoformat(json["createdAt"].replace("Z", "+00:00"))
        self._serving_version: int | None = None
        self._batch_version: int | None = None

    def __repr__(self) -> str:
        return f"FeatureView({self.name!r}, version={self.version}, features={[f.name for f in self.features]}, labels={self.labels})"

    def _url(self, *segments: str | int) -> str:
        return self._client.api("projects", self._project, "featureviews", self.name, self.version, *segments)

    def delete(self) -> None:
        """Deletes this version and its training datasets (owners and data owners)."""
        self._client.request("DELETE", self._url())

    # Training data in memory.

    def training_data(
        self,
        start_time: Time | None = None,
        end_time: Time | None = None,
        *,
        extra_filter: Condition | None = None,
        spine: Spine | None = None,
        primary_key: bool = False,
        event_time: bool = False,
        training_helper_columns: bool = False,
        dataframe_type: DataFrameType = "default",
    ) -> tuple[Frame, Frame | None]:
        """``(X, y)``: the features and the labels, point in time correct, of the rows whose event time is in
        [start_time, end_time) (HSFS ``training_data``); ``y`` is ``None`` for a view without labels."""
        check_dataframe_type(dataframe_type)
        body = _read_options(start_time, end_time, extra_filter, spine, primary_key, event_time)
        body["trainingHelperColumns"] = training_helper_columns
        return features_and_labels(self._training_table(body), self.labels, dataframe_type)

    def train_test_split(
        self,
        test_size: float | None = None,
        train_start: Time | None = None,
        train_end: Time | None = None,
        test_start: Time | None = None,
        test_end: Time | None = None,
        *,
        seed: int | None = None,
        extra_filter: Condition | None = None,
        spine: Spine | None = None,
        primary_key: bool = False,
        event_time: bool = False,
        training_helper_columns: bool = False,
        dataframe_type: DataFrameType = "default",
    ) -> tuple[Frame, Frame, Frame | None, Frame | None]:
        """``X_train, X_test, y_train, y_test`` (HSFS ``train_test_split``): a random split by ``test_size`` (with
        ``seed``, the same rows every time), or a split by event time ranges."""
        check_dataframe_type(dataframe_type)
        body = _read_options(None, None, extra_filter, spine, primary_key, event_time)
        body.update(_split_options(test_size=test_size, seed=seed, trainStart=train_start, trainEnd=train_end, testStart=test_start, testEnd=test_end))
        body["trainingHelperColumns"] = training_helper_columns
        (x_train, x_test), (y_train, y_test) = split_parts(self._training_table(body), ["train", "test"], self.labels, dataframe_type)
        return x_train, x_test, y_train, y_test

    def train_validation_test_split(
        self,
        validation_size: float | None = None,
        test_size: float | None = None,
        train_start: Time | None = None,
        train_end: Time | None = None,
        validation_start: Time | None = None,
        validation_end: Time | None = None,
        test_start: Time | None = None,
        test_end: Time | None = None,
        *,
        seed: int | None = None,
        extra_filter: Condition | None = None,
        spine: Spine | None = None,
        primary_key: bool = False,
        event_time: bool = False,
        training_helper_columns: bool = False,
        dataframe_type: DataFrameType = "default",
    ) -> tuple[Frame, Frame, Frame, Frame | None, Frame | None, Frame | None]:
        """``X_train, X_val, X_test, y_train, y_val, y_test`` (HSFS ``train_validation_test_split``)."""
        check_dataframe_type(dataframe_type)
        body = _read_options(None, None, extra_filter, spine, primary_key, event_time)
        body.update(
            _split_options(
                test_size=test_size, validation_size=validation_size, seed=seed, trainStart=train_start, trainEnd=train_end,
                validationStart=validation_start, validationEnd=validation_end, testStart=test_start, testEnd=test_end,
            )
        )
        body["trainingHelperColumns"] = training_helper_columns
        (x_train, x_val, x_test), (y_train, y_val, y_test) = split_parts(self._training_table(body), ["train", "validation", "test"], self.labels, dataframe_type)
        return x_train, x_val, x_test, y_train, y_val, y_test

    def _training_table(self, body: dict[str, Any]) -> pa.Table:
        return read_ipc(self._client.arrow("POST", self._url("trainingdata"), json=body))

    # Materialized training datasets.

    def create_training_data(
        self,
        start_time: Time | None = None,
        end_time: Time | None = None,
        description: str = "",
        extra_filter: Condition | None = None,
        data_format: DataFormat = "parquet",
        *,
        primary_key: bool = False,
        event_time: bool = False,
        training_helper_columns: bool = False,
    ) -> tuple[int, None]:
        """Materializes training data as files in humle fs and answers ``(version, job)`` as HSFS does; the server
        writes the dataset before it answers, so there is never a job to wait for (``None``)."""
        body = _read_options(start_time, end_time, extra_filter, None, primary_key, event_time)
        return self._create_dataset(body, description, data_format, training_helper_columns), None

    def create_train_test_split(
        self,
        test_size: float | None = None,
        train_start: Time | None = None,
        train_end: Time | None = None,
        test_start: Time | None = None,
        test_end: Time | None = None,
        description: str = "",
        extra_filter: Condition | None = None,
        data_format: DataFormat = "parquet",
        *,
        seed: int | None = None,
        primary_key: bool = False,
        event_time: bool = False,
        training_helper_columns: bool = False,
    ) -> tuple[int, None]:
        """Materializes a train/test split; ``(version, None)`` as :meth:`create_training_data`."""
        body = _read_options(None, None, extra_filter, None, primary_key, event_time)
        body.update(_split_options(test_size=test_size, seed=seed, trainStart=train_start, trainEnd=train_end, testStart=test_start, testEnd=test_end))
        return self._create_dataset(body, description, data_format, training_helper_columns), None

    def create_train_validation_test_split(
        self,
        validation_size: float | None = None,
        test_size: float | None = None,
        train_start: Time | None = None,
        train_end: Time | None = None,
        validation_start: Time | None = None,
        validation_end: Time | None = None,
        test_start: Time | None = None,
        test_end: Time | None = None,
        description: str = "",
        extra_filter: Condition | None = None,
        data_format: DataFormat = "parquet",
        *,
        seed: int | None = None,
        primary_key: bool = False,
        event_time: bool = False,
        training_helper_columns: bool = False,
    ) -> tuple[int, None]:
        """Materializes a train/validation/test split; ``(version, None)`` as :meth:`create_training_data`."""
        body = _read_options(None, None, extra_filter, None, primary_key, event_time)
        body.update(
            _split_options(
                test_size=test_size, validation_size=validation_size, seed=seed, trainStart=train_start, trainEnd=train_end,
                validationStart=validation_start, validationEnd=validation_end, testStart=test_start, testEnd=test_end,
            )
        )
        return self._create_dataset(body, description, data_format, training_helper_columns), None

    def _create_dataset(self, body: dict[str, Any], description: str, data_format: DataFormat, training_helper_columns: bool) -> int:
        body.update(description=description, format=data_format, trainingHelperColumns=training_helper_columns)
        version: int = self._client.json("POST", self._url("trainingdatasets"), json=body)["version"]
        return version

    def get_training_data(self, training_dataset_version: int, dataframe_type: DataFrameType = "default") -> tuple[Frame, Frame | None]:
        """``(X, y)`` of an unsplit training dataset, exactly as it was created."""
        check_dataframe_type(dataframe_type)
        dataset = self.get_training_dataset(training_dataset_version)
        if len(dataset.splits) > 1:
            raise ValueError(f"training dataset version {training_dataset_version} is split into {', '.join(dataset.splits)}: use get_train_test_split or get_train_validation_test_split")
        return features_and_labels(self._dataset_table(training_dataset_version), self.labels, dataframe_type)

    def get_train_test_split(self, training_dataset_version: int, dataframe_type: DataFrameType = "default") -> tuple[Frame, Frame, Frame | None, Frame | None]:
        """``X_train, X_test, y_train, y_test`` of a training dataset made by :meth:`create_train_test_split`."""
        check_dataframe_type(dataframe_type)
        (x_train, x_test), (y_train, y_test) = split_parts(self._dataset_table(training_dataset_version), ["train", "test"], self.labels, dataframe_type)
        return x_train, x_test, y_train, y_test

    def get_train_validation_test_split(
        self, training_dataset_version: int, dataframe_type: DataFrameType = "default"
    ) -> tuple[Frame, Frame, Frame, Frame | None, Frame | None, Frame | None]:
        """``X_train, X_val, X_test, y_train, y_val, y_test`` of a three-way split training dataset."""
        check_dataframe_type(dataframe_type)
        table = self._dataset_table(training_dataset_version)
        (x_train, x_val, x_test), (y_train, y_val, y_test) = split_parts(table, ["train", "validation", "test"], self.labels, dataframe_type)
        return x_train, x_val, x_test, y_train, y_val, y_test

    def _dataset_table(self, version: int) -> pa.Table:
        return read_ipc(self._client.arrow("GET", self._url("trainingdatasets", version, "rows")))

    def get_training_dataset(self, training_dataset_version: int) -> TrainingDataset:
        return TrainingDataset.from_dict(self._client.json("GET", self._url("trainingdatasets", training_dataset_version)))

    def get_training_datasets(self) -> list[TrainingDataset]:
        return [TrainingDataset.from_dict(d) for d in self._client.json("GET", self._url("trainingdatasets"))["items"]]

    def delete_training_dataset(self, training_dataset_version: int) -> None:
        """Deletes a training dataset: its record, then its files (owners and data owners)."""
        self._client.request("DELETE", self._url("trainingdatasets", training_dataset_version))

    # Batch data and serving.

    def init_batch_scoring(self, training_dataset_version: int | None = None) -> None:
        """Which training dataset's statistics :meth:`get_batch_data`'s transformations use (default the newest)."""
        if training_dataset_version is not None:
            self.get_training_dataset(training_dataset_version)  # fails now, not at the first read, when it is unknown
        self._batch_version = training_dataset_version

    def get_batch_data(
        self,
        start_time: Time | None = None,
        end_time: Time | None = None,
        *,
        extra_filter: Condition | None = None,
        spine: Spine | None = None,
        primary_key: bool = False,
        event_time: bool = False,
        inference_helper_columns: bool = False,
        dataframe_type: DataFrameType = "default",
    ) -> Frame:
        """The features (no labels) of the rows in [start_time, end_time), transformed, for scoring (HSFS
        ``get_batch_data``)."""
        check_dataframe_type(dataframe_type)
        body = _read_options(start_time, end_time, extra_filter, spine, primary_key, event_time)
        body["inferenceHelperColumns"] = inference_helper_columns
        if self._batch_version is not None:
            body["trainingDatasetVersion"] = self._batch_version
        return to_frame(read_ipc(self._client.arrow("POST", self._url("batchdata"), json=body)), dataframe_type)

    def init_serving(self, training_dataset_version: int | None = None) -> None:
        """Which training dataset's statistics the transformations of feature vectors use (default the newest);
        checked now, so a wrong version fails here rather than at the first vector."""
        if training_dataset_version is not None:
            self.get_training_dataset(training_dataset_version)
        self._serving_version = training_dataset_version

    def get_feature_vector(
        self,
        entry: Mapping[str, Any],
        passed_features: Mapping[str, Any] | None = None,
        return_type: VectorReturnType = "list",
        allow_missing: bool = False,
    ) -> list[Any] | dict[str, Any] | pd.DataFrame:
        """The feature vector of one entry of serving keys from the online store (HSFS ``get_feature_vector``).

        ``passed_features`` replace looked-up values of the same names. Without ``allow_missing``, an entry a feature
        group has no row for raises :class:`~humle.errors.NotFoundError`; with it, the missing features are ``None``.
        """
        vectors = self._vectors([entry], None if passed_features is None else [passed_features], return_type, allow_missing)
        return vectors.iloc[[0]] if isinstance(vectors, pd.DataFrame) else vectors[0]

    def get_feature_vectors(
        self,
        entry: Sequence[Mapping[str, Any]],
        passed_features: Sequence[Mapping[str, Any] | None] | None = None,
        return_type: VectorReturnType = "list",
        allow_missing: bool = False,
    ) -> Vectors:
        """The feature vectors of many entries, in their order (HSFS ``get_feature_vectors``)."""
        return self._vectors(entry, passed_features, return_type, allow_missing)

    def _vectors(
        self,
        entries: Sequence[Mapping[str, Any]],
        passed: Sequence[Mapping[str, Any] | None] | None,
        return_type: VectorReturnType,
        allow_missing: bool,
    ) -> Vectors:
        if return_type not in ("list", "dict", "pandas"):
            raise ValueError(f"return_type must be 'list', 'dict' or 'pandas', not {return_type!r}")
        if passed is not None and len(passed) != len(entries):
            raise ValueError(f"passed_features has {len(passed)} entries for {len(entries)} entries")
        columns: list[dict[str, str]] = []
        rows: list[list[Any]] = []
        for start in range(0, len(entries), _VECTOR_BATCH):
            body: dict[str, Any] = {"entries": [to_json(e) for e in entries[start : start + _VECTOR_BATCH]], "allowMissing": allow_missing}
            if passed is not None:
                body["passedFeatures"] = [None if p is None else to_json(p) for p in passed[start : start + _VECTOR_BATCH]]
            if self._serving_version is not None:
                body["trainingDatasetVersion"] = self._serving_version
            answer = self._client.json("POST", self._url("vectors"), json=body)
            columns = answer["features"]
            decoders = [decoder(c["type"]) for c in columns]
            rows.extend([d(v) for d, v in zip(decoders, vector["vector"])] for vector in answer["vectors"])
        return _shaped(columns, rows, return_type)

    def get_inference_helper(self, entry: Mapping[str, Any], return_type: Literal["dict", "pandas"] = "pandas") -> dict[str, Any] | pd.DataFrame:
        """The inference helper columns of one entry (HSFS ``get_inference_helper``)."""
        helpers = self.get_inference_helpers([entry], return_type)
        return helpers.iloc[[0]] if isinstance(helpers, pd.DataFrame) else helpers[0]

    def get_inference_helpers(self, entry: Sequence[Mapping[str, Any]], return_type: Literal["dict", "pandas"] = "pandas") -> list[dict[str, Any]] | pd.DataFrame:
        """The inference helper columns of many entries, in order."""
        if return_type not in ("dict", "pandas"):
            raise ValueError(f"return_type must be 'dict' or 'pandas', not {return_type!r}")
        answer = self._client.json("POST", self._url("helpers"), json={"entries": [to_json(e) for e in entry], "returnType": "list"})
        decoders = [decoder(c["type"]) for c in answer["features"]]
        rows = [[d(v) for d, v in zip(decoders, helper)] for helper in answer["helpers"]]
        if return_type == "pandas":
            return _frame(answer["features"], rows)
        return [dict(zip([c["name"] for c in answer["features"]], row)) for row in rows]


def _read_options(start: Time | None, end: Time | None, extra_filter: Condition | None, spine: Spine | None, primary_key: bool, event_time: bool) -> dict[str, Any]:
    """The JSON read options every view read shares."""
    body: dict[str, Any] = {"primaryKey": primary_key, "eventTime": event_time}
    if start is not None:
        body["startTime"] = time_json(start)
    if end is not None:
        body["endTime"] = time_json(end)
    if extra_filter is not None:
        body["extraFilter"] = extra_filter.to_dict()
    if spine is not None:
        rows = spine if isinstance(spine, Sequence) else to_arrow(spine).to_pylist()
        body["spine"] = [to_json(r) for r in rows]
    return body


def _split_options(*, test_size: float | None, seed: int | None, validation_size: float | None = None, **ranges: Time | None) -> dict[str, Any]:
    """Sizes or event time ranges of a split, as the server names them (``testSize``, ``trainStart``, ...)."""
    out: dict[str, Any] = {name: time_json(value) for name, value in ranges.items() if value is not None}
    if test_size is not None:
        out["testSize"] = test_size
    if validation_size is not None:
        out["validationSize"] = validation_size
    if seed is not None:
        out["seed"] = seed
    return out


def _shaped(columns: Sequence[Mapping[str, str]], rows: list[list[Any]], return_type: str) -> Vectors:
    """Decoded vectors as lists, dicts, or a pandas DataFrame."""
    if return_type == "list":
        return rows
    if return_type == "dict":
        return [dict(zip([c["name"] for c in columns], row)) for row in rows]
    return _frame(columns, rows)


def _frame(columns: Sequence[Mapping[str, str]], rows: list[list[Any]]) -> pd.DataFrame:
    """Decoded rows as pandas with the dtypes a batch read of the same columns has."""
    arrays = [pa.array([row[i] for row in rows], type=arrow_type(c["type"])) for i, c in enumerate(columns)]
    return to_pandas(pa.Table.from_arrays(arrays, names=[c["name"] for c in columns]))
