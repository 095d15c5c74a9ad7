"""Logging in (``humle.login``, as ``hopsworks.login``): a connection to a server with an API key, and its projects."""

from __future__ import annotations

from typing import Literal, overload

from humle.client import RestClient
from humle.project import Project


class Connection:
    """A connection to a Humle server with one API key; a context manager that closes its HTTP session."""

    def __init__(self, client: RestClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"Connection({self._client.url!r})"

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get_project(self, name: str) -> Project:
        """One of the caller's projects; NotFoundError for one it is not in (the server does not say whether it exists)."""
        return Project(self._client, self._client.json("GET", self._client.api("projects", name)))

    def get_projects(self) -> list[Project]:
        """The projects the caller is a member of."""
        return [Project(self._client, p) for p in self._client.json("GET", self._client.api("projects"))["items"]]

    def create_project(self, name: str) -> Project:
        """Creates a project the caller owns (the key needs the ``project:admin`` scope); ConflictError when the name is taken."""
        return Project(self._client, self._client.json("POST", self._client.api("projects"), json={"name": name}))


@overload
def login(url: str, api_key: str, project: None = None, *, timeout: float = ...) -> Connection: ...


@overload
def login(url: str, api_key: str, project: str, *, timeout: float = ...) -> Project: ...


def login(url: str, api_key: str, project: str | None = None, *, timeout: float = 300.0) -> Connection | Project:
    """Connects to the server at ``url`` (``http://127.0.0.1:8080``) with an API key and checks the key at once, so
    a bad key fails here with :class:`~humle.errors.AuthenticationError`.

    Without ``project``, answers the :class:`Connection` (``get_project``, ``get_projects``, ``create_project``); with
    it, that :class:`~humle.project.Project`, as ``hopsworks.login(project=...)`` does. ``timeout`` is per request,
    in seconds.
    """
    connection = Connection(RestClient(url, api_key, timeout))
    try:
        if project is not None:
            return connection.get_project(project)
        connection.get_projects()
    except BaseException:
        connection.close()
        raise
    return connection
