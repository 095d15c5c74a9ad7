"""A project's feature store (HSFS ``FeatureStore``): creates and finds feature groups and feature views."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from humle.client import RestClient
from humle.errors import NotFoundError
from humle.feature import Feature
from humle.feature_group import FeatureGroup
from humle.feature_view import FeatureView
from humle.query import Query
from humle.transformation_function import TransformationFunction


class FeatureStore:
    """The feature store of one project. Names of groups and views are 1 to 63 of ``[a-z0-9_]``, from a letter."""

    def __init__(self, client: RestClient, project: str) -> None:
        self._client = client
        self.project_name = project
        self.name = f"{project.lower()}_featurestore"

    def __repr__(self) -> str:
        return f"FeatureStore({self.name!r})"

    def _url(self, *segments: str | int) -> str:
        return self._client.api("projects", self.project_name, *segments)

    # Feature groups.

    def create_feature_group(
        self,
        name: str,
        version: int | None = None,
        description: str = "",
        online_enabled: bool = False,
        partition_key: Sequence[str] | None = None,
        primary_key: Sequence[str] | None = None,
        features: Sequence[Feature] | None = None,
        statistics_config: bool | Mapping[str, Any] | None = None,
        event_time: str | None = None,
        expectation_suite: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None = None,
    ) -> FeatureGroup:
        """Creates a feature group version on the server now (HSFS creates it at the first insert; the result is
        the same). Without ``features``, the first insert gives the schema. ``version`` defaults to one more than
        the newest. :class:`~humle.errors.ConflictError` when that version exists."""
        if not primary_key:
            raise ValueError("a feature group needs a primary_key: the features that identify a record")
        spec: dict[str, Any] = {"name": name, "description": description, "primaryKey": list(primary_key), "onlineEnabled": online_enabled}
        if version is not None:
            spec["version"] = version
        if event_time is not None:
            spec["eventTime"] = event_time
        if partition_key:
            spec["partitionKey"] = list(partition_key)
        if features is not None:
            spec["features"] = [f.to_dict() for f in features]
        if statistics_config is not None:
            spec["statisticsConfig"] = statistics_config
        if expectation_suite is not None:
            spec["expectations"] = expectation_suite
        return FeatureGroup(self._client, self.project_name, self._client.json("POST", self._url("featuregroups"), json=spec))

    def get_feature_group(self, name: str, version: int | None = None) -> FeatureGroup:
        """One version of a feature group (the newest without ``version``); NotFoundError when there is none."""
        segments: tuple[str | int, ...] = ("featuregroups", name) if version is None else ("featuregroups", name, version)
        return FeatureGroup(self._client, self.project_name, self._client.json("GET", self._url(*segments)))

    def get_feature_groups(self, name: str | None = None) -> list[FeatureGroup]:
        """Every feature group version of the project, or every version of one name."""
        items = self._client.json("GET", self._url("featuregroups"), params={"name": name})["items"]
        return [FeatureGroup(self._client, self.project_name, fg) for fg in items]

    def get_or_create_feature_group(
        self,
        name: str,
        version: int,
        description: str = "",
        online_enabled: bool = False,
        partition_key: Sequence[str] | None = None,
        primary_key: Sequence[str] | None = None,
        features: Sequence[Feature] | None = None,
        statistics_config: bool | Mapping[str, Any] | None = None,
        event_time: str | None = None,
        expectation_suite: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None = None,
    ) -> FeatureGroup:
        """The feature group version if it exists (its definition as stored), else a new one with this definition."""
        try:
            return self.get_feature_group(name, version)
        except NotFoundError as error:
            if error.code != "FEATURE_GROUP_NOT_FOUND":
                raise
        return self.create_feature_group(
            name, version, description, online_enabled, partition_key, primary_key, features, statistics_config, event_time, expectation_suite
        )

    # Feature views.

    def create_feature_view(
        self,
        name: str,
        query: Query,
        version: int | None = None,
        description: str = "",
        labels: Sequence[str] | None = None,
        inference_helper_columns: Sequence[str] | None = None,
        training_helper_columns: Sequence[str] | None = None,
        transformation_functions: Sequence[TransformationFunction] | Mapping[str, TransformationFunction] | None = None,
    ) -> FeatureView:
        """Creates a feature view version from a query (HSFS ``create_feature_view``). ``transformation_functions``
        are bound functions (``[min_max_scaler("amount")]``) or, as older HSFS, a mapping feature → function.
        Creating the same definition again answers the existing version; another definition of it is a conflict."""
        spec: dict[str, Any] = {"name": name, "description": description, "query": query.to_dict(), "labels": list(labels or [])}
        if version is not None:
            spec["version"] = version
        if inference_helper_columns:
            spec["inferenceHelperColumns"] = list(inference_helper_columns)
        if training_helper_columns:
            spec["trainingHelperColumns"] = list(training_helper_columns)
        if transformation_functions:
            bound = [f(feature) for feature, f in transformation_functions.items()] if isinstance(transformation_functions, Mapping) else transformation_functions
            spec["transformationFunctions"] = [f.to_dict() for f in bound]
        return FeatureView(self._client, self.project_name, self._client.json("POST", self._url("featureviews"), json=spec))

    def get_feature_view(self, name: str, version: int | None = None) -> FeatureView:
        """One version of a feature view (the newest without ``version``)."""
        segments: tuple[str | int, ...] = ("featureviews", name) if version is None else ("featureviews", name, version)
        return FeatureView(self._client, self.project_name, self._client.json("GET", self._url(*segments)))

    def get_feature_views(self, name: str | None = None) -> list[FeatureView]:
        items = self._client.json("GET", self._url("featureviews"), params={"name": name})["items"]
        return [FeatureView(self._client, self.project_name, fv) for fv in items]

    def get_or_create_feature_view(
        self,
        name: str,
        query: Query,
        version: int,
        description: str = "",
        labels: Sequence[str] | None = None,
        inference_helper_columns: Sequence[str] | None = None,
        training_helper_columns: Sequence[str] | None = None,
        transformation_functions: Sequence[TransformationFunction] | Mapping[str, TransformationFunction] | None = None,
    ) -> FeatureView:
        """The feature view version if it exists, else a new one with this definition."""
        try:
            return self.get_feature_view(name, version)
        except NotFoundError as error:
            if error.code != "FEATURE_VIEW_NOT_FOUND":
                raise
        return self.create_feature_view(name, query, version, description, labels, inference_helper_columns, training_helper_columns, transformation_functions)

    def get_transformation_function(self, name: str, version: int | None = None) -> TransformationFunction:
        """A transformation function by name, to bind to features: ``fs.get_transformation_function("min_max_scaler")("amount")``.
        The server checks the name when a view uses it."""
        return TransformationFunction(name, version)
