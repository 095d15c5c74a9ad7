"""Project files (Hopsworks' ``project.get_dataset_api()``) over WebHDFS: upload, download, exists, remove, mkdir,
list.

WebHDFS because it is the server's file protocol: uploads and downloads take its two steps (the first answers where
the bytes go, ``noredirect=true``; the second streams them), so a file of any size passes through in chunks, never
whole in memory. Paths are absolute (``/Projects/fraud/raw/a.csv``) or relative to the project's directory
(``raw/a.csv``), as Hopsworks takes them.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from humle.client import RestClient
from humle.errors import NotFoundError

# Bytes per chunk of a download written to disk.
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileEntry:
    """A file or directory as WebHDFS's FileStatus describes it."""

    path: str
    name: str
    type: Literal["FILE", "DIRECTORY"]
    length: int
    permission: str
    owner: str
    group: str
    modified: dt.datetime

    @classmethod
    def from_status(cls, directory: str, status: dict[str, Any]) -> FileEntry:
        name = status["pathSuffix"] or posixpath.basename(directory)
        path = posixpath.join(directory, status["pathSuffix"]) if status["pathSuffix"] else directory
        return cls(
            path=path,
            name=name,
            type=status["type"],
            length=status["length"],
            permission=status["permission"],
            owner=status["owner"],
            group=status["group"],
            modified=dt.datetime.fromtimestamp(status["modificationTime"] / 1000, dt.timezone.utc),
        )


class DatasetApi:
    """Files of one project in humle fs, with the key's own rights (data scientists read, owners write)."""

    def __init__(self, client: RestClient, project: str) -> None:
        self._client = client
        self._project = project

    def _path(self, path: str) -> str:
        """An absolute humle fs path: relative paths are inside the project's directory. ``.`` and ``..`` are
        refused, as the server refuses them: an HTTP client would resolve them in the URL, somewhere else."""
        if any(part in (".", "..") for part in path.split("/")):
            raise ValueError(f"a path has no . or .. parts: {path!r}")
        absolute = path if path.startswith("/") else f"/Projects/{self._project}/{path}"
        return absolute.rstrip("/") or "/"

    def _url(self, path: str) -> str:
        return f"{self._client.url}/webhdfs/v1{quote(self._path(path))}"

    def upload(self, local_path: str | os.PathLike[str], upload_path: str, overwrite: bool = False) -> str:
        """Uploads a local file into the directory ``upload_path``, streamed; answers the file's path in humle fs.
        An existing file is replaced only with ``overwrite`` (ConflictError otherwise)."""
        source = Path(local_path)
        if not source.is_file():
            raise FileNotFoundError(f"no local file {source}")
        target = posixpath.join(self._path(upload_path), source.name)
        step = self._client.request("PUT", self._url(target), params={"op": "CREATE", "overwrite": overwrite, "noredirect": True})
        with source.open("rb") as data:
            self._client.request("PUT", step.json()["Location"], data=data, headers={"Content-Type": "application/octet-stream"})
        return target

    def download(self, path: str, local_path: str | os.PathLike[str] | None = None, overwrite: bool = False) -> str:
        """Downloads a file into the local directory ``local_path`` (default the working directory), streamed;
        answers the local file's path. The file appears only once complete; an existing one is replaced only with
        ``overwrite`` (FileExistsError otherwise)."""
        directory = Path(local_path) if local_path is not None else Path.cwd()
        target = (directory / posixpath.basename(self._path(path))).absolute()
        if target.exists() and not overwrite:
            raise FileExistsError(f"{target} exists: pass overwrite=True to replace it")
        step = self._client.request("GET", self._url(path), params={"op": "OPEN", "noredirect": True})
        partial = target.with_name(f".{target.name}.part")
        try:
            with partial.open("wb") as out:
                for chunk in self._client.stream_chunks(step.json()["Location"], _CHUNK):
                    out.write(chunk)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return str(target)

    def exists(self, path: str) -> bool:
        try:
            self._status(path)
        except NotFoundError:
            return False
        return True

    def remove(self, path: str) -> None:
        """Removes a file or a directory with everything in it; NotFoundError when there is nothing there."""
        if not self._client.request("DELETE", self._url(path), params={"op": "DELETE", "recursive": True}).json()["boolean"]:
            raise NotFoundError("FileNotFoundException", f"{self._path(path)} does not exist", {"path": self._path(path)}, 404)

    def mkdir(self, path: str) -> str:
        """Creates a directory and its missing parents; answers its path."""
        self._client.request("PUT", self._url(path), params={"op": "MKDIRS"})
        return self._path(path)

    def list(self, path: str) -> list[FileEntry]:
        """The entries of a directory in name order (a file lists as itself), page by page for large directories."""
        directory = self._path(path)
        status = self._status(path)
        if status["type"] == "FILE":
            return [FileEntry.from_status(directory, status)]
        entries: list[FileEntry] = []
        after = ""
        while True:
            params = {"op": "LISTSTATUS_BATCH", "startAfter": after or None}
            listing = self._client.request("GET", self._url(path), params=params).json()["DirectoryListing"]
            page = listing["partialListing"]["FileStatuses"]["FileStatus"]
            entries.extend(FileEntry.from_status(directory, s) for s in page)
            if listing["remainingEntries"] == 0 or not page:
                return entries
            after = page[-1]["pathSuffix"]

    def _status(self, path: str) -> dict[str, Any]:
        status: dict[str, Any] = self._client.request("GET", self._url(path), params={"op": "GETFILESTATUS"}).json()["FileStatus"]
        return status
