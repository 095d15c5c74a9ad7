"""Transformation functions of feature views, as HSFS attaches them: ``min_max_scaler("amount")``.

The server runs them (with the statistics of a training dataset's train split), so here they are names bound to
features. The built-ins are the server's ``minMaxScaler``, ``standardScaler``, ``robustScaler``, ``labelEncoder``
and ``oneHotEncoder``; HSFS's snake_case names for them are accepted too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

_HSFS_NAMES = {
    "min_max_scaler": "minMaxScaler",
    "standard_scaler": "standardScaler",
    "robust_scaler": "robustScaler",
    "label_encoder": "labelEncoder",
    "one_hot_encoder": "oneHotEncoder",
}


@dataclass(frozen=True)
class TransformationFunction:
    """A transformation function by name (and version), bound to the features it transforms by calling it."""

    name: str
    version: int | None = None
    features: tuple[str, ...] = ()

    def __call__(self, *features: str) -> TransformationFunction:
        """The function bound to ``features`` (HSFS: ``min_max_scaler("amount")``)."""
        return replace(self, features=tuple(features))

    def to_dict(self) -> dict[str, Any]:
        if not self.features:
            raise ValueError(f"transformation function {self.name} is bound to no feature: call it with feature names")
        out: dict[str, Any] = {"name": _HSFS_NAMES.get(self.name, self.name), "features": list(self.features)}
        if self.version is not None:
            out["version"] = self.version
        return out
