"""Logging in and projects: keys checked at login, typed errors for refusals, projects as the caller sees them."""

from __future__ import annotations

import pytest

import humle
from conftest import Server


def test_login_without_a_project_answers_a_connection_with_the_callers_projects(server: Server) -> None:
    with humle.login(server.url, server.alice) as connection:
        assert isinstance(connection, humle.Connection)
        projects = connection.get_projects()
        assert [(p.name, p.owner, p.role) for p in projects if p.name == "sdk"] == [("sdk", "alice", "owner")]
        assert connection.get_project("sdk").role == "owner"


def test_login_with_a_project_answers_the_project_as_hopsworks_does(server: Server) -> None:
    project = humle.login(server.url + "/", server.carol, project="sdk")
    assert isinstance(project, humle.Project)
    assert (project.name, project.role) == ("sdk", "data_scientist")
    assert project.get_members() == {"alice": "owner", "carol": "data_scientist"}
    assert project.get_feature_store().name == "sdk_featurestore"


@pytest.mark.parametrize("key", ["", "not-a-key", "abc.def"])
def test_a_bad_key_fails_at_login_with_a_typed_401(server: Server, key: str) -> None:
    with pytest.raises(humle.AuthenticationError) as refused:
        humle.login(server.url, key)
    assert refused.value.status == 401
    assert refused.value.code == "UNAUTHENTICATED"
    assert isinstance(refused.value, humle.HumleError)


def test_a_project_one_is_not_in_is_not_found_exactly_as_a_missing_one(server: Server) -> None:
    outsider = humle.login(server.url, server.dave)
    for name in ("sdk", "no_such_project"):
        with pytest.raises(humle.NotFoundError) as missing:
            outsider.get_project(name)
        assert (missing.value.status, missing.value.code) == (404, "PROJECT_NOT_FOUND")
    assert "sdk" not in [p.name for p in outsider.get_projects()]


def test_create_project_makes_the_caller_its_owner_and_a_taken_name_conflicts(server: Server) -> None:
    dave = humle.login(server.url, server.dave)
    created = dave.create_project("daves")
    assert (created.name, created.owner, created.role) == ("daves", "dave", "owner")
    assert [(p.name, p.role) for p in dave.get_projects() if p.name == "daves"] == [("daves", "owner")]
    with pytest.raises(humle.ConflictError) as taken:
        humle.login(server.url, server.alice).create_project("daves")
    assert (taken.value.status, taken.value.code) == (409, "PROJECT_EXISTS")


def test_an_unreachable_server_is_a_typed_error_too() -> None:
    with pytest.raises(humle.ServerConnectionError) as unreachable:
        humle.login("http://127.0.0.1:9", "key", timeout=5)
    assert unreachable.value.status is None
    with pytest.raises(ValueError):
        humle.login("127.0.0.1:8080", "key")
