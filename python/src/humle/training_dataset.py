"""Training datasets of a feature view, and how training data tables are cut into splits and features / labels.

The server answers training data as one table: an optional first ``_split`` column naming each row's part
(``train``, ``validation``, ``test``), the feature columns, then the labels. HSFS hands these out as separate
DataFrames (``X_train, X_test, y_train, y_test``), so the cutting happens here, once, for in-memory training data
and materialized datasets alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from humle.frames import DataFrameType, Frame, to_frame

SPLIT_COLUMN = "_split"


@dataclass(frozen=True)
class TrainingDataset:
    """A materialized training dataset: files in humle fs and the feature group commits they were read from, so
    reading it later gives the same rows whatever was inserted since."""

    version: int
    description: str
    data_format: str
    location: str
    splits: dict[str, int]
    """Row count per split: ``train`` and ``test`` (and ``validation``), or ``train`` alone when not split."""
    commits: dict[str, int]
    """Feature group ``name:version`` → the commit read (-1: none yet)."""
    feature_names: list[str]
    label: list[str]
    creator: str
    created: dt.datetime

    @classmethod
    def from_dict(cls, json: dict[str, Any]) -> TrainingDataset:
        return cls(
            version=json["version"],
            description=json["description"],
            data_format=json["format"],
            location=json["location"],
            splits={s["name"]: s["rowCount"] for s in json["splits"]},
            commits=json["commits"],
            feature_names=json["columns"]["features"],
            label=json["columns"]["labels"],
            creator=json["creator"],
            created=dt.datetime.fromisoformat(json["createdAt"].replace("Z", "+00:00")),
        )


def features_and_labels(table: pa.Table, labels: Sequence[str], dataframe_type: DataFrameType) -> tuple[Frame, Frame | None]:
    """``(X, y)`` of a training data table, as HSFS returns them; ``y`` is ``None`` for a view without labels."""
    rest = table.drop_columns([SPLIT_COLUMN]) if SPLIT_COLUMN in table.column_names else table
    present = [name for name in labels if name in rest.column_names]
    x = rest.drop_columns(present)
    return to_frame(x, dataframe_type), (to_frame(rest.select(present), dataframe_type) if present else None)


def split_parts(table: pa.Table, parts: Sequence[str], labels: Sequence[str], dataframe_type: DataFrameType) -> tuple[list[Frame], list[Frame | None]]:
    """``X`` of each part in order, and ``y`` of each part (``None`` without labels)."""
    if SPLIT_COLUMN not in table.column_names:
        raise ValueError("the training data is not split")
    cut = [features_and_labels(table.filter(pc.equal(table[SPLIT_COLUMN], pa.scalar(part))), labels, dataframe_type) for part in parts]
    return [x for x, _ in cut], [y for _, y in cut]
