"""A project (Hopsworks' ``Project``): the sandbox that owns a feature store and a directory of files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from humle.client import RestClient
from humle.dataset_api import DatasetApi
from humle.feature_store import FeatureStore


class Project:
    """A project as the caller sees it, with the caller's ``role`` in it (owner, data_owner, data_scientist)."""

    def __init__(self, client: RestClient, json: dict[str, Any]) -> None:
        self._client = client
        self.id: int = json["id"]
        self.name: str = json["name"]
        self.owner: str = json["owner"]
        self.role: str = json["role"]
        self.created: dt.datetime = dt.datetime.fromisoformat(json["createdAt"].replace("Z", "+00:00"))

    def __repr__(self) -> str:
        return f"Project({self.name!r}, owner={self.owner!r}, role={self.role!r})"

    def get_feature_store(self) -> FeatureStore:
        """The project's feature store (each project has exactly one)."""
        return FeatureStore(self._client, self.name)

    def get_dataset_api(self) -> DatasetApi:
        """The project's files in humle fs (``/Projects/<name>``), over WebHDFS."""
        return DatasetApi(self._client, self.name)

    def get_members(self) -> dict[str, str]:
        """Member → role."""
        items = self._client.json("GET", self._client.api("projects", self.name, "members"))["items"]
        return {m["user"]: m["role"] for m in items}
