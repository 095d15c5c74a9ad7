"""A feature: a typed column of a feature group, and the left side of filters (``fg.amount > 10``), as in HSFS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

if TYPE_CHECKING:
    from humle.filter import Filter


class FeatureGroupRef(NamedTuple):
    """A feature group by name and version (``None``: the newest, when a query is built), as queries name groups."""

    name: str
    version: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name} if self.version is None else {"name": self.name, "version": self.version}


@dataclass(eq=False)
class Feature:
    """A feature of a feature group: its name, HSFS type (``bigint``, ``decimal(10,2)``, ``array<double>``) and roles.

    Give ``Feature(name, type)`` objects to ``create_feature_group(features=...)`` to fix the schema up front instead
    of inferring it from the first insert. A feature read from a group knows its group, so comparing it builds a
    filter for queries (``fg.amount > 10``, ``fg.get_feature("category").isin(["food"])``); ``==`` builds a filter too,
    as in HSFS, so features are not compared for equality (compare their names).
    """

    name: str
    type: str | None = None
    description: str = ""
    primary: bool = False
    event_time: bool = False
    partition: bool = False
    feature_group: FeatureGroupRef | None = None

    def to_dict(self) -> dict[str, Any]:
        """The feature as a definition takes it."""
        if self.type is None:
            raise ValueError(f"feature {self.name} needs a type to be part of a definition")
        return {"name": self.name, "type": self.type, "description": self.description}

    @classmethod
    def from_dict(cls, json: dict[str, Any], feature_group: FeatureGroupRef | None = None) -> Feature:
        return cls(
            name=json["name"],
            type=json["type"],
            description=json.get("description", ""),
            primary=json.get("primary", False),
            event_time=json.get("eventTime", False),
            partition=json.get("partition", False),
            feature_group=feature_group,
        )

    def _compare(self, op: str, value: Any) -> Filter:
        from humle.filter import Filter

        if isinstance(value, Feature):
            raise TypeError("filters compare a feature with a value; comparing two features is not supported")
        return Filter(self, op, value)

    def __lt__(self, value: Any) -> Filter:
        return self._compare("lt", value)

    def __le__(self, value: Any) -> Filter:
        return self._compare("le", value)

    def __gt__(self, value: Any) -> Filter:
        return self._compare("gt", value)

    def __ge__(self, value: Any) -> Filter:
        return self._compare("ge", value)

    # HSFS's operators: == and != build filters, which object's signatures (returning bool) do not describe.
    def __eq__(self, value: Any) -> Filter:  # type: ignore[override]
        return self._compare("eq", value)

    def __ne__(self, value: Any) -> Filter:  # type: ignore[override]
        return self._compare("ne", value)

    def __hash__(self) -> int:
        return hash((self.feature_group, self.name))

    def lt(self, value: Any) -> Filter:
        return self._compare("lt", value)

    def le(self, value: Any) -> Filter:
        return self._compare("le", value)

    def gt(self, value: Any) -> Filter:
        return self._compare("gt", value)

    def ge(self, value: Any) -> Filter:
        return self._compare("ge", value)

    def eq(self, value: Any) -> Filter:
        return self._compare("eq", value)

    def ne(self, value: Any) -> Filter:
        return self._compare("ne", value)

    def isin(self, values: Iterable[Any]) -> Filter:
        """The feature is one of ``values`` (HSFS ``isin``)."""
        return self._compare("in", list(values))

    def like(self, pattern: str) -> Filter:
        """SQL LIKE: ``%`` any characters, ``_`` one."""
        return self._compare("like", pattern)

    def isnull(self) -> Filter:
        return self._compare("isNull", None)

    def notnull(self) -> Filter:
        return self._compare("isNotNull", None)
