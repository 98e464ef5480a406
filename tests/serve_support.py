"""`disputedesk serve` as a real process for tests: on a free 127.0.0.1 port, waited for until
/health answers, stopped after. Shared by the CLI, proxy, request-limit and fuzzing tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

EXE = str(Path(sys.executable).with_name("disputedesk"))
START_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    url: str
    pid: int


@contextmanager
def serve(env: dict[str, str], *options: str) -> Iterator[Served]:
    """The server with `env` (its database already upgraded) and extra `serve` options."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [EXE, "serve", "--host", "127.0.0.1", "--port", str(port), *options],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("disputedesk serve did not start:\n" + log.read().decode())
                time.sleep(0.2)
            yield Served(url, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=15)
