"""Evidence files: stored once per content (named by their SHA-256) in the data folder, their
type sniffed from the bytes (never the name), their size capped."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from disputedesk.services.commands import ServiceError

ALLOWED_TYPES = ("image/", "application/pdf", "video/mp4", "video/webm", "text/plain")
ACCEPTED = "images, PDF, MP4/WebM video, plain text"


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes; None when it is not one we accept."""
    import filetype

    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        return mime if mime.startswith(ALLOWED_TYPES) else None
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
            return None
    return "text/plain"


def path_of(data_dir: Path, sha256: str) -> Path:
    return Path(data_dir) / "evidence" / sha256[:2] / sha256


def store(stream: BinaryIO, filename: str | None, *, data_dir: Path, limit: int) -> dict[str, Any]:
    """Copy an upload into the data folder; returns its attachment fields (sha256, name,
    content_type, size). Refuses `payload_too_large`, `unsupported_media_type`, an empty file."""
    data_dir = Path(data_dir)
    (data_dir / "tmp").mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp_name = tempfile.mkstemp(dir=data_dir / "tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise ServiceError("payload_too_large", f"a file may be at most {limit} bytes")
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ServiceError("invalid_input", "file: empty")
        content_type = sniff(head)
        if content_type is None:
            raise ServiceError("unsupported_media_type", f"accepted: {ACCEPTED}")
        sha = digest.hexdigest()
        target = path_of(data_dir, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return {
        "sha256": sha,
        "name": (filename or "")[:255] or None,
        "content_type": content_type,
        "size": size,
    }
