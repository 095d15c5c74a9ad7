"""Descriptive statistics of a feature group's snapshot, computed by the server after inserts (or on demand)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Statistics:
    """The statistics of one commit's snapshot.

    ``features`` has one entry per feature with what its type allows: ``count``, ``nullCount``, ``completeness``,
    ``approxDistinct``, ``min``, ``max``, ``mean``, ``stddev``, ``histogram``, ``topValues``, ...
    """

    commit_id: int
    computed_at: dt.datetime
    row_count: int
    config: dict[str, Any]
    features: list[dict[str, Any]]

    def feature(self, name: str) -> dict[str, Any]:
        """The statistics of one feature."""
        for entry in self.features:
            if entry.get("feature") == name:
                return entry
        raise KeyError(name)

    @classmethod
    def from_dict(cls, json: dict[str, Any]) -> Statistics:
        return cls(
            commit_id=json["commitId"],
            computed_at=dt.datetime.fromisoformat(json["computedAt"].replace("Z", "+00:00")),
            row_count=json["rowCount"],
            config=json["config"],
            features=json["features"],
        )
