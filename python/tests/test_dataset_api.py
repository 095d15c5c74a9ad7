"""Project files over WebHDFS: binary round trips larger than a chunk, listing, overwrite rules, rights."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import humle
from conftest import Server


def test_upload_and_download_a_binary_file_of_several_megabytes(project: humle.Project, tmp_path: Path) -> None:
    datasets = project.get_dataset_api()
    payload = os.urandom(3 * 1024 * 1024 + 17)  # past one download chunk and humle fs's inline size
    source = tmp_path / "model.bin"
    source.write_bytes(payload)

    assert datasets.mkdir("Resources/models") == "/Projects/sdk/Resources/models"
    remote = datasets.upload(source, "Resources/models")
    assert remote == "/Projects/sdk/Resources/models/model.bin"
    assert datasets.exists(remote) and datasets.exists("Resources/models/model.bin")

    (tmp_path / "out").mkdir()
    local = datasets.download(remote, tmp_path / "out")
    assert local == str(tmp_path / "out" / "model.bin")
    assert Path(local).read_bytes() == payload
    with pytest.raises(FileExistsError):
        datasets.download(remote, tmp_path / "out")

    # Replacing needs overwrite, on both sides.
    source.write_bytes(b"second version")
    with pytest.raises(humle.ConflictError) as exists:
        datasets.upload(source, "Resources/models")
    assert exists.value.code == "FileAlreadyExistsException"
    datasets.upload(source, "/Projects/sdk/Resources/models", overwrite=True)
    datasets.download("Resources/models/model.bin", tmp_path / "out", overwrite=True)
    assert (tmp_path / "out" / "model.bin").read_bytes() == b"second version"
    assert not list((tmp_path / "out").glob(".*.part"))


def test_list_exists_and_remove(project: humle.Project, tmp_path: Path) -> None:
    datasets = project.get_dataset_api()
    for name in ("b.csv", "a.csv"):
        (tmp_path / name).write_text("id\n1\n")
        datasets.upload(tmp_path / name, "raw")
    datasets.mkdir("raw/nested/deeper")
    entries = datasets.list("raw")
    assert [(e.name, e.type, e.length) for e in entries] == [("a.csv", "FILE", 5), ("b.csv", "FILE", 5), ("nested", "DIRECTORY", 0)]
    assert entries[0].path == "/Projects/sdk/raw/a.csv" and entries[0].owner == "alice" and entries[0].modified.tzinfo is not None
    assert [e.path for e in datasets.list("raw/a.csv")] == ["/Projects/sdk/raw/a.csv"]

    datasets.remove("raw/nested")
    assert not datasets.exists("raw/nested/deeper")
    datasets.remove("raw")
    assert not datasets.exists("raw")
    with pytest.raises(humle.NotFoundError):
        datasets.remove("raw")
    with pytest.raises(humle.NotFoundError) as missing:
        datasets.list("no/such/dir")
    assert (missing.value.status, missing.value.code) == (404, "FileNotFoundException")
    with pytest.raises(FileNotFoundError):
        datasets.upload(tmp_path / "absent.bin", "raw")


def test_rights_follow_the_key(server: Server, tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_text("hello")
    scientist = humle.login(server.url, server.carol, project="sdk").get_dataset_api()
    with pytest.raises(humle.AccessDeniedError) as denied:
        scientist.upload(source, "Resources")
    assert denied.value.code == "AccessControlException"
    assert scientist.exists("/Projects/sdk")
    with pytest.raises(ValueError):
        scientist.list("Resources/../../other")
    outsider = humle.login(server.url, server.dave).create_project("dave_files").get_dataset_api()
    assert not outsider.exists("/Projects/sdk")
