"""Evidence files: stored once per content (named by their SHA-256) in the data folder, their
type sniffed from the bytes (never the name), their size capped, their name made safe.

An upload is checked before its file is written (the dispute, and the rules core's answer to
`submit_evidence` now, asked without saving), written, then sent as the command; a command that
is refused or whose transaction fails removes the file again, unless an evidence row points at
the same bytes. Uploads in flight hold a shared lock from placing their file to committing their
row, removals an exclusive one, so a file whose row is being committed is never removed.
`collect_garbage` (`disputedesk evidence gc`) removes what no row points at, after a grace
period."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select

from disputedesk.rules.vocabulary import Action
from disputedesk.services import commands
from disputedesk.services.commands import CommandResult, ServiceError
from disputedesk.store import tables as t
from disputedesk.store.db import Database

try:
    import fcntl
except ImportError:  # not POSIX: uploads and removals are not locked against each other
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

ALLOWED_TYPES = ("image/", "application/pdf", "video/mp4", "video/webm", "text/plain")
ACCEPTED = "images, PDF, MP4/WebM video, plain text"
# What a download may be sent as (a type we would not accept today goes as octet-stream).
DOWNLOAD_TYPES = (
    "image/*",
    "application/pdf",
    "video/mp4",
    "video/webm",
    "text/plain",
    "application/octet-stream",
)
# Sent with every download: never sniffed into something else, never kept in a shared cache.
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
MAX_ID = 2**63 - 1  # evidence ids are 64-bit keys
GRACE_SECONDS = 3600  # gc: files younger than this are left alone (a row may be committing)
MAX_NAME_BYTES = 255  # a file name's length on most file systems, in UTF-8
_MAX_EXTENSION = 16
# Bidirectional controls: they make "invoice\u202efdp.exe" display as "invoiceexe.pdf".
_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_DRIVE = re.compile(r"^[A-Za-z]:")
_EDGES = re.compile(r"^[\s.]+|[\s.]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


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


# -- names and downloads ----------------------------------------------------------------------


def clean_filename(name: str | None) -> str | None:
    """An uploaded file's name made safe to store, show and send: its last path part only (no
    `../`, `\\`, drive letter), without control or bidirectional-control characters, dots
    and spaces trimmed at both ends, at most MAX_NAME_BYTES of UTF-8 (the extension kept).
    None when nothing is left."""
    if not name:
        return None
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        c
        for c in name
        if c not in _BIDI_CONTROLS and unicodedata.category(c) not in ("Cc", "Cs", "Zl", "Zp")
    )
    name = re.split(r"[/\\]", name)[-1]
    name = _EDGES.sub("", _DRIVE.sub("", name))
    if len(name.encode()) > MAX_NAME_BYTES:
        stem, dot, extension = name.rpartition(".")
        if not dot or not stem or len(extension) > _MAX_EXTENSION:
            stem, extension = name, ""
        suffix = f".{extension}" if extension else ""
        budget = MAX_NAME_BYTES - len(suffix.encode())
        stem = stem.encode()[:budget].decode(errors="ignore")
        name = _EDGES.sub("", stem) + suffix
    return name or None


def download_name(name: str | None, sha256: str) -> str:
    """The name a download is sent with (cleaned again: older rows were stored raw), or the
    file's sha256 when nothing of the name is left."""
    return clean_filename(name) or sha256


def sendable_type(content_type: str | None) -> str:
    """The Content-Type a stored file is sent with: its sniffed type, if one we accept."""
    if content_type and content_type.startswith(ALLOWED_TYPES):
        return content_type
    return "application/octet-stream"


# -- storing ------------------------------------------------------------------------------------


@contextmanager
def _files_lock(data_dir: Path, *, exclusive: bool) -> Iterator[None]:
    """Uploads in flight (shared) against removals (exclusive), across threads and processes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "evidence.lock", "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield  # closing the file releases the lock


@dataclass(frozen=True, slots=True)
class Received:
    """An upload copied into the data folder's tmp/ and checked, not yet in evidence/."""

    tmp: Path
    sha256: str
    name: str | None
    content_type: str
    size: int

    def attachment(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "content_type": self.content_type,
            "size": self.size,
        }


def receive(stream: BinaryIO, filename: str | None, *, data_dir: Path, limit: int) -> Received:
    """Copy an upload into tmp/, hashing and sniffing it. Refuses `payload_too_large`,
    `unsupported_media_type`, an empty file (and then leaves nothing behind)."""
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
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    name = clean_filename(filename)
    return Received(Path(tmp_name), digest.hexdigest(), name, content_type, size)


def _place(received: Received, data_dir: Path) -> None:
    """Move a received file to its place in evidence/ (under the shared lock). The same bytes
    already there: the copy goes, the file's time is refreshed (gc's grace period)."""
    target = path_of(data_dir, received.sha256)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            received.tmp.unlink()
            os.utime(target)
        else:
            os.replace(received.tmp, target)
    except BaseException:
        received.tmp.unlink(missing_ok=True)
        raise


@contextmanager
def placed(received: Received, data_dir: Path) -> Iterator[None]:
    """Put a received file in its place and hold the uploads' shared lock while the caller
    commits the row that points at it (a message's attachment, stored like evidence)."""
    with _files_lock(Path(data_dir), exclusive=False):
        _place(received, Path(data_dir))
        yield


def discard(db: Database, data_dir: Path, sha256: str) -> bool:
    """Remove a stored file that no evidence row (nor message attachment) points at (its upload
    was refused); True when removed. Files are content-addressed: the same bytes may be another
    row's, which keeps them."""
    data_dir = Path(data_dir)
    with _files_lock(data_dir, exclusive=True):
        with db.engine.connect() as conn:
            used = (
                conn.execute(
                    select(t.evidence.c.id).where(t.evidence.c.file_sha256 == sha256).limit(1)
                ).first()
                or conn.execute(
                    select(t.message_attachments.c.id)
                    .where(t.message_attachments.c.file_sha256 == sha256)
                    .limit(1)
                ).first()
            )
        if used is not None:
            return False
        try:
            path_of(data_dir, sha256).unlink()
        except FileNotFoundError:
            return False
    return True


def submit(
    db: Database,
    order_id: str,
    actor: str,
    *,
    kind: str,
    description: str,
    at: datetime,
    data_dir: Path,
    limit: int,
    link: str | None = None,
    file: BinaryIO | None = None,
    filename: str | None = None,
    expected_version: int | None = None,
    live: bool = False,
    performed_by: str | None = None,
    performed_by_name: str | None = None,
) -> CommandResult:
    """One piece of evidence: a description with a file and/or a link, as `submit_evidence`.
    Check first (the link, the core's answer now), write after (the file), then the command;
    refused or failed, the file goes again unless a row uses the same bytes. A refusal is in
    the result; ServiceError for a bad link or file, `not_found`, `precondition_failed`,
    `conflict`. `expected_version`, `live` and who acted (`performed_by`, `performed_by_name`)
    as in `commands.execute`."""
    data_dir = Path(data_dir)
    if not description.strip() and not link and file is None:
        raise ServiceError(
            "invalid_input", "evidence needs something to show: a description, a file or a link"
        )
    fields: dict[str, Any] = {"kind": kind, "description": description}
    if link:
        if not link.startswith(("http://", "https://")):
            raise ServiceError("invalid_input", "link: must start with http:// or https://")
        fields["attachment"] = {"link": link}
    checked = commands.preview(
        db,
        order_id,
        actor,
        Action.SUBMIT_EVIDENCE,
        fields,
        at,
        expected_version=expected_version,
        live=live,
    )
    if checked.refusal is not None:
        return checked

    def send() -> CommandResult:
        return commands.execute(
            db,
            order_id,
            actor,
            Action.SUBMIT_EVIDENCE,
            fields,
            at,
            expected_version=expected_version,
            live=live,
            performed_by=performed_by,
            performed_by_name=performed_by_name,
        )

    if file is None:
        return send()
    received = receive(file, filename, data_dir=data_dir, limit=limit)
    fields["attachment"] = {**fields.get("attachment", {}), **received.attachment()}
    try:
        with _files_lock(data_dir, exclusive=False):
            _place(received, data_dir)
            result = send()
    except BaseException:
        _discard_quietly(db, data_dir, received.sha256)
        raise
    if result.refusal is not None:
        _discard_quietly(db, data_dir, received.sha256)
    return result


def _discard_quietly(db: Database, data_dir: Path, sha256: str) -> None:
    """`discard` after a failure: its own error is logged, never raised over the first one."""
    try:
        discard(db, data_dir, sha256)
    except Exception:
        log.exception("could not remove the unused evidence file %s (gc will)", sha256)


# -- garbage collection -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Removed:
    path: Path
    size: int
    temporary: bool  # a stale upload in tmp/, not a stored file


@dataclass(slots=True)
class Collected:
    """What `collect_garbage` removed (or, in a dry run, would remove)."""

    dry_run: bool
    removed: list[Removed] = field(default_factory=list)

    @property
    def freed(self) -> int:
        return sum(r.size for r in self.removed)


def _files_under(folder: Path) -> Iterator[Path]:
    for root, _dirs, names in os.walk(folder):
        for name in sorted(names):
            yield Path(root) / name


def _age_ok(path: Path, cutoff: float) -> os.stat_result | None:
    """The file's stat when it is older than `cutoff` (and still there), else None."""
    try:
        stat = path.lstat()
    except FileNotFoundError:
        return None
    return stat if stat.st_mtime < cutoff else None


def _in_use(db: Database, names: list[str]) -> set[str]:
    hashes = sorted({n for n in names if _SHA256.match(n)})
    used: set[str] = set()
    with db.engine.connect() as conn:
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            for column in (t.evidence.c.file_sha256, t.message_attachments.c.file_sha256):
                used.update(
                    conn.execute(select(column).where(column.in_(chunk)).distinct()).scalars()
                )
    return used


def collect_garbage(
    db: Database,
    data_dir: Path,
    *,
    grace_seconds: float = GRACE_SECONDS,
    dry_run: bool = False,
    now: float | None = None,
) -> Collected:
    """Remove the files under evidence/ that no evidence row points at and the temporary files
    under tmp/, only those older than `grace_seconds` (an upload whose row is being committed
    is younger); empty folders go too. With `dry_run`, nothing is removed. Returns what was."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return Collected(dry_run)
    cutoff = (time.time() if now is None else now) - grace_seconds
    evidence_dir, tmp_dir = data_dir / "evidence", data_dir / "tmp"
    old = [p for p in _files_under(evidence_dir) if _age_ok(p, cutoff)]
    stale = [p for p in _files_under(tmp_dir) if _age_ok(p, cutoff)]
    collected = Collected(dry_run)
    # Removing takes the exclusive lock: no upload is between placing its file (or making its
    # folder) and committing its row meanwhile.
    with nullcontext() if dry_run else _files_lock(data_dir, exclusive=True):
        used = _in_use(db, [p.name for p in old]) if old else set()
        for path in old:
            if path.name in used and path == path_of(data_dir, path.name):
                continue
            stat = _age_ok(path, cutoff)  # again, under the lock: an upload may have touched it
            if stat is not None and _remove(path, dry_run):
                collected.removed.append(Removed(path, stat.st_size, temporary=False))
        if not dry_run:
            for root, dirs, files in os.walk(evidence_dir, topdown=False):
                if not dirs and not files and Path(root) != evidence_dir:
                    with suppress(OSError):  # not empty any more, or gone
                        os.rmdir(root)
    for path in stale:
        stat = _age_ok(path, cutoff)
        if stat is not None and _remove(path, dry_run):
            collected.removed.append(Removed(path, stat.st_size, temporary=True))
    return collected


def _remove(path: Path, dry_run: bool) -> bool:
    if dry_run:
        return True
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
