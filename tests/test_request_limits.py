"""Oversized bodies against a real `disputedesk serve` on 127.0.0.1: refused with 413 as soon as
the declared length or the streamed count passes the limit, before authentication, and the
server's memory does not grow with the body (its peak RSS is read from /proc).

Once, a 200 MB JSON body with no token took the server from 144 MB to 749 MB, a 400 MB body with
an `Idempotency-Key` reached 2.1 GB, and a 300 MB upload was received in full before its 413."""

from __future__ import annotations

import json
import os
import select
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from disputedesk.services.accounts import create_token, create_user
from disputedesk.store.db import Database
from serve_support import serve

MB = 1024 * 1024
CHUNK = b"x" * MB
# Growth of the server's peak RSS we accept while it refuses hundreds of MB: a few buffers.
MAX_GROWTH_MB = 40


@dataclass
class Server:
    port: int
    pid: int
    token: str


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read the server's memory")
    folder = tmp_path_factory.mktemp("limits")
    url = f"sqlite:///{folder / 'disputedesk.db'}"
    db = Database(url)
    db.upgrade()
    create_user(db, email="li@shop.test", name="Li", role="seller", store_id="shop1")
    token = create_token(db, email="li@shop.test").token
    db.dispose()
    env = {
        **os.environ,
        "DISPUTEDESK_DATABASE_URL": url,
        "DISPUTEDESK_DATA_DIR": str(folder / "data"),
        "DISPUTEDESK_MAX_UPLOAD_BYTES": str(2 * MB),
    }
    with serve(env) as served:
        yield Server(int(served.url.rsplit(":", 1)[1]), served.pid, token)


def _send(
    server: Server, head: str, body_bytes: int, *, chunked: bool, timeout: float = 60
) -> tuple[int, dict[str, str], int]:
    """Send a request head, then up to `body_bytes` of body (chunked or as declared), reading
    as soon as the server answers. Returns (status, problem body, body bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 256 * 1024)
    sent = 0
    answer = b""
    started = time.monotonic()
    try:
        sock.sendall(head.encode("latin-1"))
        sock.setblocking(False)
        while sent < body_bytes and time.monotonic() - started < timeout:
            readable, writable, _ = select.select([sock], [sock], [], 1.0)
            if readable:
                break  # the server answered (or closed) before the body was sent
            if writable:
                piece = CHUNK if not chunked else b"%x\r\n" % len(CHUNK) + CHUNK + b"\r\n"
                try:
                    sent += sock.send(piece) if not chunked else _send_all(sock, piece)
                except (BrokenPipeError, ConnectionResetError):
                    break
        sock.setblocking(True)
        sock.settimeout(timeout)
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < _length(answer):
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            answer += data
    finally:
        sock.close()
    head_part, _, payload = answer.partition(b"\r\n\r\n")
    status = int(head_part.split(b" ", 2)[1])
    return status, json.loads(payload[: _length(answer)] or b"{}"), sent


def _send_all(sock: socket.socket, data: bytes) -> int:
    view = memoryview(data)
    while view:
        try:
            view = view[sock.send(view) :]
        except BlockingIOError:
            select.select([], [sock], [], 1.0)
    return len(data)


def _length(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 1 << 30


def test_a_declared_200_mb_json_body_is_refused_before_a_byte_is_read(server: Server) -> None:
    before = _peak_rss_mb(server.pid)
    head = (
        "POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {200 * MB}\r\n\r\n"
    )
    status, problem, sent = _send(server, head, 200 * MB, chunked=False)
    assert status == 413 and problem["code"] == "payload_too_large"
    assert sent < 20 * MB  # answered at once, not after the body
    assert _peak_rss_mb(server.pid) - before < MAX_GROWTH_MB


def test_a_streamed_400_mb_body_with_an_idempotency_key_stops_at_the_limit(
    server: Server,
) -> None:
    before = _peak_rss_mb(server.pid)
    head = (
        "POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {server.token}\r\nIdempotency-Key: big-1\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    status, problem, sent = _send(server, head, 400 * MB, chunked=True)
    assert status == 413 and problem["code"] == "payload_too_large"
    assert sent < 50 * MB
    assert _peak_rss_mb(server.pid) - before < MAX_GROWTH_MB


def test_a_300_mb_upload_is_refused_while_it_streams(server: Server) -> None:
    before = _peak_rss_mb(server.pid)
    boundary = "b0undary"
    head = (
        "POST /disputes/A1-D1/evidence HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {server.token}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    preamble = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    head += f"{len(preamble):x}\r\n".encode().decode("latin-1") + preamble.decode() + "\r\n"
    status, problem, sent = _send(server, head, 300 * MB, chunked=True)
    assert status == 413 and problem["code"] == "payload_too_large"
    assert sent < 50 * MB  # the limit is 2 MB of file plus the form's room
    assert _peak_rss_mb(server.pid) - before < MAX_GROWTH_MB


def test_the_server_still_answers_afterwards(server: Server) -> None:
    me = httpx.get(
        f"http://127.0.0.1:{server.port}/me",
        headers={"Authorization": f"Bearer {server.token}"},
        timeout=10,
    )
    assert me.status_code == 200
