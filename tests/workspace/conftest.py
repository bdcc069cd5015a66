"""Workspaces on SQLite and on a real PostgreSQL server that the tests start themselves.

PostgreSQL comes from Debian's ``postgresql`` package (``make test`` installs it when
missing). ``initdb`` refuses to run as root, so the server runs as the ``postgres`` user (or
the current one when it is not root), in a temporary data directory, on a free port, and is
stopped when the session ends.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


class PostgresServer:
    def __init__(self):
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not initdb or not pg_ctl:
            if os.environ.get("KUMENET_REQUIRE_POSTGRES"):
                pytest.fail("PostgreSQL is needed (make test installs Debian's postgresql)")
            pytest.skip("PostgreSQL is not installed (make test installs it)")
        self.pg_ctl = pg_ctl
        self.root = Path(tempfile.mkdtemp(prefix="kumenet-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        subprocess.run(_as_server_user([initdb, "-D", str(self.data), "-U", "kumenet",
                                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True)
        subprocess.run(_as_server_user([
            pg_ctl, "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=on -c max_connections=200"]) + ["start"], check=True, capture_output=True)
        self.n = 0

    def url(self) -> str:
        """A new, empty database on the server."""
        import psycopg

        self.n += 1
        name = f"ws{self.n}_{int(time.time() * 1000) % 100000}"
        with psycopg.connect(f"postgresql://kumenet@127.0.0.1:{self.port}/postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://kumenet@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(_as_server_user([self.pg_ctl, "-D", str(self.data), "-m", "fast",
                                        "stop"]), capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    """Where a new workspace lives: a SQLite file, or a new database on the server."""
    if request.param == "sqlite":
        return str(tmp_path / "workspace.db")
    return request.getfixturevalue("postgres").url()


@pytest.fixture
def ws(backend):
    from kumenet.workspace.lists import init_workspace

    workspace, _, _ = init_workspace(backend)
    yield workspace
    workspace.close()


PASSWORD = "correct horse battery"


@pytest.fixture
def people(ws):
    """An admin, staff of Samsun and of Trabzon, a researcher: their User objects."""
    from kumenet.workspace.auth import add_user, login, session_user

    made = {}
    for name, role, centre in (("admin", "admin", None), ("ayse", "staff", "samsun"),
                               ("mehmet", "staff", "trabzon"), ("deniz", "researcher", None)):
        add_user(ws, name, role, PASSWORD, centre=centre)
        made[name] = session_user(ws, login(ws, name, PASSWORD).token)[0]
    return made
