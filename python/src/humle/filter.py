"""Filters of queries, training data and batch data, combined with ``&`` and ``|`` as in HSFS.

They serialize to the server's predicate tree (``{"op": "gt", "feature", "featureGroup", "value"}``, ``and`` / ``or``
with ``operands``). Each comparison names the feature's group, so a feature that several joined groups have is
never ambiguous.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from humle.feature import Feature, FeatureGroupRef
from humle.values import to_json


class Condition(ABC):
    """A filter or a combination of filters: what ``query.filter`` and ``extra_filter`` take."""

    def __and__(self, other: Condition) -> Logic:
        return Logic("and", [self, other])

    def __or__(self, other: Condition) -> Logic:
        return Logic("or", [self, other])

    def __bool__(self) -> bool:
        # `a and b` or `if fg.x == 1` would silently drop a condition: make them fail, as pandas does.
        raise TypeError("a filter has no truth value: combine filters with & and |, and parenthesize comparisons")

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The server's JSON form of the predicate."""


class Filter(Condition):
    """One comparison of a feature: ``eq``, ``ne``, ``lt``, ``le``, ``gt``, ``ge``, ``in``, ``like``, ``isNull``, ``isNotNull``."""

    def __init__(self, feature: Feature, condition: str, value: Any = None) -> None:
        self.feature = feature
        self.condition = condition
        self.value = value

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.condition, "feature": self.feature.name}
        if self.feature.feature_group is not None:
            out["featureGroup"] = self.feature.feature_group.to_dict()
        if self.condition == "in":
            out["values"] = to_json(self.value)
        elif self.condition == "like":
            out["pattern"] = self.value
        elif self.condition not in ("isNull", "isNotNull"):
            out["value"] = to_json(self.value)
        return out

    def __repr__(self) -> str:
        return f"Filter({self.feature.name!r}, {self.condition!r}, {self.value!r})"


class Logic(Condition):
    """Filters combined: ``and`` or ``or`` of its operands."""

    def __init__(self, op: str, operands: list[Condition]) -> None:
        self.op = op
        self.operands = operands

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "operands": [o.to_dict() for o in self.operands]}

    def __repr__(self) -> str:
        return f"Logic({self.op!r}, {self.operands!r})"


def filter_from_dict(json: dict[str, Any]) -> Condition:
    """A filter as the server describes it (a feature view's stored query), back as objects."""
    if "operands" in json:
        return Logic(json["op"], [filter_from_dict(o) for o in json["operands"]])
    group = json.get("featureGroup")
    feature = Feature(json["feature"], feature_group=None if group is None else FeatureGroupRef(group["name"], group.get("version")))
    value = json.get("values", json.get("pattern", json.get("value")))
    return Filter(feature, json["op"], value)
