"""`disputedesk demo` (what `make demo` runs): it builds a fresh marketplace, prints the URL and
the sign-ins, serves the desk with the worker in the same process, and stops on Ctrl+C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_serves_the_desk_and_prints_working_logins(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "disputedesk.cli",
                "demo",
                "--folder",
                str(tmp_path / "demo"),
                "--port",
                str(port),
                "--orders",
                "60",
                "--interval",
                "1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "COLUMNS": "200"},
        )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/desk/login", timeout=2) as r:
                    page = r.read().decode()
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                time.sleep(0.3)
        else:
            raise AssertionError(f"the demo did not serve in time:\n{log.read_text()}")
        assert 'name="password"' in page
        printed = log.read_text()
        assert f"http://127.0.0.1:{port}/desk/" in printed
        for role in ("seller", "buyer", "arbitrator", "admin"):
            assert re.search(rf"│ {role}\s+│ \S+@\S+\s+│ demo-", printed), role
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
            assert r.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode in (0, 1, -signal.SIGINT), log.read_text()
    assert (tmp_path / "demo" / "disputedesk-demo.db").exists()
