"""A feature group version (HSFS ``FeatureGroup``): its definition, inserts, reads with time travel, commits,
online rows by key, statistics, tags, and the queries that start from it.

Inserts send an Arrow IPC stream, so every row arrives with its exact type; the server makes the whole DataFrame
one commit or nothing, and refuses bad data with an :class:`~humle.errors.InvalidRequestError` whose ``details``
name the row and column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Literal, Sequence

import pandas as pd
import pyarrow as pa

from humle.client import ARROW_STREAM, RestClient
from humle.commit import Commit, commit_from_dict
from humle.feature import Feature, FeatureGroupRef
from humle.filter import Condition
from humle.frames import DataFrameType, Frame, arrow_ipc, read_ipc, to_arrow, to_frame
from humle.query import PointInTime, Query, point_json
from humle.statistics import Statistics
from humle.values import decoder, to_json


class FeatureGroup:
    """One version of a feature group, as the server describes it. Attributes are read-only snapshots of the
    definition; ``fg.amount`` (or ``fg["amount"]``) is the feature ``amount``, for filters."""

    def __init__(self, client: RestClient, project: str, json: dict[str, Any]) -> None:
        self._client = client
        self._project = project
        self.id: int = json["id"]
        self.name: str = json["name"]
        self.version: int = json["version"]
        self.description: str = json["description"]
        self.primary_key: list[str] = json["primaryKey"]
        self.event_time: str | None = json["eventTime"]
        self.partition_key: list[str] = json["partitionKey"]
        self.online_enabled: bool = json["onlineEnabled"]
        self.location: str = json["location"]
        self.statistics_config: dict[str, Any] = json["statisticsConfig"]
        self.creator: str = json["creator"]
        self.created: dt.datetime = dt.datetime.fromisoformat(json["createdAt"].replace("Z", "+00:00"))
        self.features: list[Feature] = [Feature.from_dict(f, self._ref) for f in json["features"]]

    @property
    def _ref(self) -> FeatureGroupRef:
        return FeatureGroupRef(self.name, self.version)

    def _url(self, *segments: str) -> str:
        return self._client.api("projects", self._project, "featuregroups", self.name, self.version, *segments)

    def __repr__(self) -> str:
        return f"FeatureGroup({self.name!r}, version={self.version}, primary_key={self.primary_key}, features={[f.name for f in self.features]})"

    # Features, for filters: fg.amount, fg["amount"], fg.get_feature("amount").

    def get_feature(self, name: str) -> Feature:
        for feature in self.features:
            if feature.name == name:
                return feature
        raise KeyError(f"feature group {self.name} version {self.version} has no feature {name!r}")

    def __getitem__(self, name: str) -> Feature:
        return self.get_feature(name)

    def __getattr__(self, name: str) -> Feature:
        # Only called for names that are no attribute: those that are features become features.
        if name.startswith("_") or "features" not in self.__dict__:
            raise AttributeError(name)
        try:
            return self.get_feature(name)
        except KeyError:
            raise AttributeError(f"feature group {self.name} has no attribute or feature {name!r}") from None

    # Writing.

    def insert(self, features: pd.DataFrame | pa.Table, operation: Literal["upsert", "insert"] = "upsert", wait: bool = False) -> Commit:
        """Writes a pandas DataFrame or pyarrow Table as one commit (HSFS ``insert``), sent as Arrow IPC.

        ``upsert`` (HSFS's default) replaces records with the same primary key (and event time); ``insert`` refuses
        a key that exists (:class:`~humle.errors.ConflictError`). A feature group created without features takes
        its schema from its first insert. ``wait`` answers once the commit's statistics are computed.
        """
        if operation not in ("upsert", "insert"):
            raise ValueError(f"operation must be 'upsert' or 'insert', not {operation!r}")
        body = arrow_ipc(to_arrow(features))
        answer = self._client.request(
            "POST", self._url("rows"), params={"operation": operation, "waitForStatistics": wait}, data=body,
            headers={"Content-Type": ARROW_STREAM},
        )
        if not self.features:  # the first insert gave the schema
            self.features = [Feature.from_dict(f, self._ref) for f in self._client.json("GET", self._url())["features"]]
        return commit_from_dict(answer.json())

    def delete_records(self, keys: pd.DataFrame | pa.Table | Sequence[dict[str, Any]]) -> Commit | None:
        """Deletes records by key as one commit (HSFS ``delete_records``): a key with the event time deletes that
        record, the primary key alone every record of the entity. ``None`` when no key matched."""
        rows = keys if isinstance(keys, Sequence) else to_arrow(keys).to_pylist()
        answer = self._client.json("POST", self._url("rows", "delete"), json={"keys": [to_json(r) for r in rows]})
        return None if answer["commit"] is None else commit_from_dict(answer["commit"])

    def append_features(self, features: Feature | Iterable[Feature]) -> FeatureGroup:
        """Adds nullable features; rows written before read them as null (HSFS ``append_features``)."""
        given = [features] if isinstance(features, Feature) else list(features)
        json = self._client.json("POST", self._url("features"), json={"features": [f.to_dict() for f in given]})
        self.features = [Feature.from_dict(f, self._ref) for f in json["features"]]
        return self

    def delete(self) -> None:
        """Deletes this version: metadata, offline and online tables (refused while a feature view reads it)."""
        self._client.request("DELETE", self._url())

    # Reading.

    def read(
        self,
        wallclock_time: PointInTime | None = None,
        dataframe_type: DataFrameType = "default",
        *,
        as_of: PointInTime | None = None,
        limit: int | None = None,
    ) -> Frame:
        """The offline rows, in primary key then event time order, as of a point in time (HSFS ``read``).

        ``as_of`` and HSFS's ``wallclock_time`` are the same: an ``int`` is a commit id (a key of
        ``commit_details()``), a ``datetime`` or ISO text the newest commit at or before that time.
        """
        if wallclock_time is not None and as_of is not None:
            raise ValueError("give as_of or wallclock_time, not both")
        point = as_of if as_of is not None else wallclock_time
        params: dict[str, str | int | None] = {"asOf": None if point is None else point_json(point), "limit": limit}
        return to_frame(read_ipc(self._client.arrow("GET", self._url("rows"), params=params)), dataframe_type)

    def show(self, n: int) -> Frame:
        """The first ``n`` rows in key order."""
        return self.read(limit=n)

    def read_changes(self, start_wallclock_time: PointInTime, end_wallclock_time: PointInTime | None = None, dataframe_type: DataFrameType = "default") -> Frame:
        """What the commits after the start up to the end (default the latest) inserted, updated (pre- and
        post-image) or deleted, commit by commit, with Delta's ``_change_type`` and ``_commit_version`` columns."""
        params = {"from": point_json(start_wallclock_time), "to": None if end_wallclock_time is None else point_json(end_wallclock_time)}
        return to_frame(read_ipc(self._client.arrow("GET", self._url("changes"), params=params)), dataframe_type)

    def commit_details(self, wallclock_time: PointInTime | None = None, limit: int | None = None) -> dict[int, Commit]:
        """The commits by id, newest first (HSFS ``commit_details``); with ``wallclock_time``, those at or before it."""
        if wallclock_time is None:
            items = self._client.json("GET", self._url("commits"), params={"limit": limit})["items"]
            return {c["commitId"]: c for c in map(commit_from_dict, items)}
        commits = [c for c in map(commit_from_dict, self._client.json("GET", self._url("commits"))["items"]) if _at_or_before(c, wallclock_time)]
        return {c["commitId"]: c for c in commits[:limit]}

    def get_online_rows(self, keys: Sequence[Any]) -> list[dict[str, Any] | None]:
        """The latest rows of primary keys from the online store, in order, ``None`` where there is none. A key is
        a dict of the key features, or the value of a one-feature key."""
        answer = self._client.json("POST", self._url("online"), json={"keys": [to_json(k) for k in keys]})
        decoders = {c["name"]: decoder(c["type"]) for c in answer["columns"]}
        return [None if row is None else {name: decoders[name](value) for name, value in row.items()} for row in answer["rows"]]

    # Queries.

    def select_all(self, include_primary_key: bool = True, include_event_time: bool = True) -> Query:
        """Every feature (HSFS ``select_all``), optionally without the key or event time."""
        excluded = [] if include_primary_key else list(self.primary_key)
        if not include_event_time and self.event_time is not None:
            excluded.append(self.event_time)
        return Query(self._client, self._project, self._ref, excluded=excluded)

    def select(self, features: Sequence[str | Feature]) -> Query:
        return Query(self._client, self._project, self._ref, features=[_name(f) for f in features])

    def select_except(self, features: Sequence[str | Feature]) -> Query:
        return Query(self._client, self._project, self._ref, excluded=[_name(f) for f in features])

    def filter(self, condition: Condition) -> Query:
        return self.select_all().filter(condition)

    def as_of(self, wallclock_time: PointInTime | None = None, exclude_until: PointInTime | None = None) -> Query:
        """Every feature as of a point in time; with ``exclude_until``, only what commits after it wrote."""
        return self.select_all().as_of(wallclock_time, exclude_until)

    # Statistics and tags.

    def get_statistics(self, as_of: PointInTime | None = None) -> Statistics:
        """The statistics of a commit's snapshot (the latest by default); NotFoundError when it has none."""
        params = {"asOf": None if as_of is None else point_json(as_of)}
        return Statistics.from_dict(self._client.json("GET", self._url("statistics"), params=params))

    @property
    def statistics(self) -> Statistics:
        return self.get_statistics()

    def compute_statistics(self) -> Statistics:
        """Computes and stores the latest commit's statistics now, whatever the statistics config says."""
        return Statistics.from_dict(self._client.json("POST", self._url("statistics")))

    def add_tag(self, name: str, value: Any) -> None:
        self._client.request("PUT", self._url("tags", name), json={"value": value})

    def get_tag(self, name: str) -> Any:
        return self.get_tags().get(name)

    def get_tags(self) -> dict[str, Any]:
        tags: dict[str, Any] = self._client.json("GET", self._url("tags"))
        return tags

    def delete_tag(self, name: str) -> None:
        self._client.request("DELETE", self._url("tags", name))


def _name(feature: str | Feature) -> str:
    return feature.name if isinstance(feature, Feature) else feature


def _at_or_before(commit: Commit, point: PointInTime) -> bool:
    if isinstance(point, int):
        return commit["commitId"] <= point
    time = point if isinstance(point, dt.datetime) else dt.datetime.fromisoformat(point.replace("Z", "+00:00"))
    return commit["committedOn"] <= (time if time.tzinfo is not None else time.replace(tzinfo=dt.timezone.utc))
