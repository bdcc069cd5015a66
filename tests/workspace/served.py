"""A real ``kumenet serve`` process over a workspace, and logged-in HTTP clients for it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent.parent
PILOT = ROOT / "sample_networks" / "pilot"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``kumenet serve sample_networks/pilot --workspace URL`` in its own process group."""

    def __init__(self, workspace: str, cache: Path, workers: int = 1, host: str = "127.0.0.1",
                 port: int | None = None):
        self.workspace, self.cache, self.workers, self.host = workspace, cache, workers, host
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.start()

    def start(self) -> None:
        env = {**os.environ, "KUMENET_CACHE_DIR": str(self.cache)}
        self.log = open(self.cache / f"serve-{self.port}.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kumenet", "serve", str(PILOT), "--workspace",
             self.workspace, "--port", str(self.port), "--host", self.host, "--workers",
             str(self.workers)], env=env, stdout=self.log, stderr=self.log,
            start_new_session=True)
        stop = time.monotonic() + 240
        while time.monotonic() < stop:
            if self.process.poll() is not None:
                raise RuntimeError(f"kumenet serve ended: {self.tail()}")
            try:
                if requests.get(self.url + "/api/session", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"kumenet serve did not start: {self.tail()}")

    def tail(self) -> str:
        return (self.cache / f"serve-{self.port}.log").read_text("utf-8", "replace")[-2000:]

    def kill(self) -> None:
        """SIGKILL the whole server (no shutdown, no flush of anything not committed)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


class Client(requests.Session):
    """A browser-like client: logs in through the form, sends the CSRF token on writes."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base
        self.csrf = None

    def login(self, username: str, password: str) -> requests.Response:
        token = self.get(self.base + "/api/session").json()["csrf_token"]
        answer = self.post(self.base + "/login", data={"username": username,
                                                      "password": password,
                                                      "csrf_token": token},
                           allow_redirects=False)
        if answer.status_code == 303:
            self.csrf = self.get(self.base + "/api/session").json()["csrf_token"]
        return answer

    def write(self, path: str, body: dict | None = None, token: str | None = "session",
              **kw) -> requests.Response:
        headers = kw.pop("headers", {})
        if token == "session":
            token = self.csrf
        if token is not None:
            headers["X-CSRF-Token"] = token
        return self.post(self.base + path, json=body or {}, headers=headers, **kw)
