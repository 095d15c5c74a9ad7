"""A commit of a feature group: what one insert, delete or compaction wrote, as HSFS's ``commit_details`` shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict


class Commit(TypedDict):
    """One commit, keyed as HSFS keys commit details (``committedOn``, ``rowsInserted``, ...).

    ``commitId`` is the Delta table version the commit made: the id ``read(as_of=...)`` and ``as_of`` take.
    """

    commitId: int
    committedOn: dt.datetime
    operation: str
    rowsInserted: int
    rowsUpdated: int
    rowsDeleted: int


def commit_from_dict(json: dict[str, Any]) -> Commit:
    return Commit(
        commitId=json["commitId"],
        committedOn=dt.datetime.fromisoformat(json["committedOn"].replace("Z", "+00:00")),
        operation=json["operation"],
        rowsInserted=json["rowsInserted"],
        rowsUpdated=json["rowsUpdated"],
        rowsDeleted=json["rowsDeleted"],
    )
