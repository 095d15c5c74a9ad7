"""Queries over feature groups (HSFS ``Query``): selections joined point in time, filtered, read as of a point.

A query is data until it is read: it serializes to the JSON form the server stores for feature views (groups by
name and version, ``features`` or ``except``, ``joins``, ``filter``), so the same object defines a view
(``fs.create_feature_view(query=...)``) or is read directly (``query.read()``, which the server runs as of the
query's point in time). Every method returns a new query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Sequence

from humle.client import RestClient
from humle.errors import InvalidRequestError
from humle.feature import FeatureGroupRef
from humle.filter import Condition, filter_from_dict
from humle.frames import DataFrameType, Frame, read_ipc, to_frame
from humle.values import timestamp_text

JoinType = Literal["inner", "left", "right", "full"]

PointInTime = int | dt.datetime | str
"""A point of a feature group's history: an ``int`` is a commit id (the keys of ``commit_details()``), a
``datetime`` or ISO-8601 text a wall-clock time, meaning the newest commit at or before it."""


def point_json(point: PointInTime) -> int | str:
    """A point in time as the server reads it (a naive datetime is UTC)."""
    if isinstance(point, bool) or not isinstance(point, (int, dt.datetime, str)):
        raise TypeError(f"a point in time is a commit id (int), a datetime or ISO-8601 text, not {type(point).__name__}")
    return timestamp_text(point) if isinstance(point, dt.datetime) else point


def point_dict(point: PointInTime) -> dict[str, Any]:
    """A point in time in the server's query JSON: ``{"commit": id}`` or ``{"time": ISO-8601 text}``."""
    value = point_json(point)
    if isinstance(value, int):
        return {"commit": value}
    return {"commit": int(value)} if value.isdigit() else {"time": value}


@dataclass(frozen=True)
class Join:
    """A joined query and how it joins (HSFS ``join`` arguments); ``ttl`` bounds how old a right row may be."""

    query: Query
    on: Sequence[str] | None = None
    left_on: Sequence[str] | None = None
    right_on: Sequence[str] | None = None
    join_type: JoinType = "left"
    prefix: str | None = None
    ttl: dt.timedelta | None = None

    def to_dict(self, as_of: PointInTime | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query.to_dict(as_of), "joinType": self.join_type}
        if self.on is not None:
            out["on"] = list(self.on)
        if self.left_on is not None:
            out["leftOn"] = list(self.left_on)
        if self.right_on is not None:
            out["rightOn"] = list(self.right_on)
        if self.prefix is not None:
            out["prefix"] = self.prefix
        if self.ttl is not None:
            out["ttl"] = int(self.ttl / dt.timedelta(milliseconds=1))
        return out


@dataclass(frozen=True)
class Query:
    """A selection of one feature group's features, with joins, a filter, and the point in time it reads."""

    _client: RestClient = field(repr=False)
    _project: str = field(repr=False)
    left_feature_group: FeatureGroupRef
    features: Sequence[str] | None = None
    """The selected features in order; ``None`` with ``excluded`` empty selects every feature."""
    excluded: Sequence[str] = ()
    joins: Sequence[Join] = ()
    filters: Condition | None = None
    wallclock_time: PointInTime | None = None
    exclude_until: PointInTime | None = None

    def join(
        self,
        sub_query: Query,
        on: Sequence[str] | None = None,
        left_on: Sequence[str] | None = None,
        right_on: Sequence[str] | None = None,
        join_type: JoinType = "left",
        prefix: str | None = None,
        ttl: dt.timedelta | None = None,
    ) -> Query:
        """Joins another query (HSFS ``join``). Keys: ``on``, or ``left_on`` with ``right_on``, by default the right
        group's primary key. When both groups have event times the join is point in time: each left row gets the
        right row of its key with the latest event time at or before its own (no older than ``ttl``)."""
        if not isinstance(sub_query, Query):
            raise TypeError("join takes a Query, e.g. fg.select(['a', 'b'])")
        join = Join(sub_query, on, left_on, right_on, join_type, prefix, ttl)
        return replace(self, joins=[*self.joins, join])

    def filter(self, condition: Condition) -> Query:
        """Keeps the rows where ``condition`` holds (``fg.amount > 10``); with several calls, all must hold."""
        if not isinstance(condition, Condition):
            raise TypeError("filter takes a filter such as fg.amount > 10, combined with & and |")
        return replace(self, filters=condition if self.filters is None else self.filters & condition)

    def as_of(self, wallclock_time: PointInTime | None = None, exclude_until: PointInTime | None = None) -> Query:
        """Reads every group as of ``wallclock_time`` (HSFS ``as_of``); with ``exclude_until``, only the left group's
        records that commits after it wrote (incremental reads). A commit id names one group's commit, so it takes
        a query without joins."""
        if wallclock_time is not None:
            point_json(wallclock_time)
        if exclude_until is not None:
            point_json(exclude_until)
        return replace(self, wallclock_time=wallclock_time, exclude_until=exclude_until)

    def pull_changes(self, wallclock_start_time: PointInTime, wallclock_end_time: PointInTime) -> Query:
        """The records that commits after the start up to the end wrote, joined as of the end (HSFS ``pull_changes``)."""
        return self.as_of(wallclock_end_time, exclude_until=wallclock_start_time)

    def read(self, dataframe_type: DataFrameType = "default", limit: int | None = None) -> Frame:
        """Runs the query on the server (Arrow on the wire); rows in no particular order."""
        if self.joins and self.wallclock_time is not None and "commit" in point_dict(self.wallclock_time):
            # As the server's own Query.asOf refuses it: each group's commits are numbered on their own.
            raise InvalidRequestError(
                "FEATURE_QUERY_INVALID",
                "a commit id names a commit of one feature group: give a time for a query over several",
                {"commitId": self.wallclock_time},
            )
        query = self.to_dict(self.wallclock_time)
        if self.exclude_until is not None:
            query["excludeUntil"] = point_dict(self.exclude_until)
        if limit is not None:
            query["limit"] = limit
        table = read_ipc(self._client.arrow("POST", self._client.api("projects", self._project, "query"), json={"query": query}))
        return to_frame(table, dataframe_type)

    def show(self, n: int) -> Frame:
        """``n`` rows of the query (any ``n``: a query has no order)."""
        return self.read(limit=n)

    def to_dict(self, as_of: PointInTime | None = None) -> dict[str, Any]:
        """The server's JSON form of the query (what a feature view stores); with ``as_of``, every group is read as
        of that point."""
        out: dict[str, Any] = {"featureGroup": self.left_feature_group.to_dict()}
        if as_of is not None:
            out["asOf"] = point_dict(as_of)
        if self.features is not None:
            out["features"] = list(self.features)
        if self.excluded:
            out["except"] = list(self.excluded)
        if self.joins:
            out["joins"] = [j.to_dict(as_of) for j in self.joins]
        if self.filters is not None:
            out["filter"] = self.filters.to_dict()
        return out

    @classmethod
    def from_dict(cls, client: RestClient, project: str, json: dict[str, Any]) -> Query:
        """A query as the server describes it (a feature view's ``query``)."""
        group = json["featureGroup"]
        joins = [
            Join(
                query=cls.from_dict(client, project, j["query"]),
                on=j.get("on"),
                left_on=j.get("leftOn"),
                right_on=j.get("rightOn"),
                join_type=j.get("joinType", "left"),
                prefix=j.get("prefix"),
                ttl=None if j.get("ttl") is None else dt.timedelta(milliseconds=j["ttl"]),
            )
            for j in json.get("joins", [])
        ]
        return cls(
            client,
            project,
            FeatureGroupRef(group["name"], group.get("version")),
            features=json.get("features"),
            excluded=json.get("except", ()),
            joins=joins,
            filters=None if json.get("filter") is None else filter_from_dict(json["filter"]),
        )
