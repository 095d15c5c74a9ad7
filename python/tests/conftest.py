"""A real Humle server for the suite: ``node dist/src/cli/main.js server`` on a fresh data directory (SQLite), with
keys made by the CLI as an administrator makes them, started once per session and stopped at the end.

alice owns project ``sdk``, carol is a data scientist there, dave is in no project. The repository must be built
(``npm run build``; ``npm test`` builds first); HUMLE_REPO points at it when the suite runs from elsewhere.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pytest

import humle

REPO = Path(os.environ.get("HUMLE_REPO", Path(__file__).resolve().parents[2]))
CLI = REPO / "dist" / "src" / "cli" / "main.js"
NODE = os.environ.get("HUMLE_NODE", "node")
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Server:
    url: str
    alice: str
    carol: str
    dave: str


def _humle(data: Path, *args: str) -> str:
    """Runs the CLI on the data directory (embedded, before the server starts) and answers its stdout."""
    done = subprocess.run([NODE, str(CLI), "--data", str(data), "--db", "sqlite", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"humle {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not CLI.exists():
        pytest.exit(f"{CLI} is missing: run `npm run build` in {REPO} first", returncode=2)
    data = tmp_path_factory.mktemp("humle-data")
    _humle(data, "--user", "hdfs", "project", "create", "sdk", "--owner", "alice")
    alice = _humle(data, "--user", "alice", "apikey", "create", "--name", "pytest")
    carol = _humle(data, "--user", "carol", "apikey", "create", "--name", "pytest", "--project", "sdk", "--role", "data_scientist")
    dave = _humle(data, "--user", "dave", "apikey", "create", "--name", "pytest")
    process = subprocess.Popen(
        [NODE, str(CLI), "--data", str(data), "--db", "sqlite", "--user", "hdfs", "server", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        yield Server(_listening_url(process), alice, carol, dave)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _listening_url(process: subprocess.Popen[str]) -> str:
    """The URL of the server's listening line (it picks a free port itself, so no port can be taken meanwhile)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=STARTUP_SECONDS)
        except queue.Empty:
            raise RuntimeError(f"humle server did not listen within {STARTUP_SECONDS} s") from None
        if line is None:
            stderr = process.stderr.read() if process.stderr is not None else ""
            raise RuntimeError(f"humle server exited with {process.wait()}: {stderr}")
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if match is not None:
            return match.group(1)


@pytest.fixture(scope="session")
def project(server: Server) -> humle.Project:
    """Project ``sdk`` as its owner alice sees it."""
    return humle.login(server.url, server.alice, project="sdk")


@pytest.fixture(scope="session")
def fs(project: humle.Project) -> humle.FeatureStore:
    return project.get_feature_store()


@pytest.fixture(scope="session")
def scientist_fs(server: Server) -> humle.FeatureStore:
    """The same feature store as carol, a data scientist: she reads and creates views, never writes groups."""
    return humle.login(server.url, server.carol, project="sdk").get_feature_store()


def pandas(frame: object) -> pd.DataFrame:
    """A read's result, checked to be the pandas DataFrame a default ``dataframe_type`` gives."""
    assert isinstance(frame, pd.DataFrame), type(frame)
    return frame


def arrow(frame: object) -> pa.Table:
    assert isinstance(frame, pa.Table), type(frame)
    return frame
