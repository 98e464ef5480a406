"""One import: check the whole file, then write what is new, chunk by chunk.

1. Check: stream the file, check every row, judge it against the database chunk by chunk
   (read-only), and pack each new row into a spill file (a temporary file about the size of the
   input). Memory stays bounded: the first `MAX_SHOWN` bad rows are kept for the report (the
   rest are counted), and each new row's key leaves an 8-byte hash, from which keys that may
   occur twice in the file are found. Only when there are such keys is the file read once
   more, for the rows with those keys, to judge a repeat against its first occurrence.
2. Stop there, importing nothing, when a row is bad and bad rows are not to be skipped.
3. Write: read the spill back and write it in chunks, each in its own transaction, judged again
   against the database as it is then. An interrupted import is finished by running it again:
   the rows already written are skipped as already there.
"""

from __future__ import annotations

import bisect
import marshal
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice, pairwise
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError

from disputedesk.importing.base import BadRow, Importer, Judgement, Row, Verdict
from disputedesk.importing.orders import OrderImporter
from disputedesk.importing.shipments import ShipmentImporter
from disputedesk.importing.source import (
    Format,
    ImportFileError,
    count_lines,
    detect_format,
    iter_rows,
    read_columns,
)
from disputedesk.importing.tracking import TrackingImporter
from disputedesk.services.commands import utc_now
from disputedesk.services.orders import FieldError
from disputedesk.store.db import Database
from disputedesk.store.repository import VersionConflict

KINDS: dict[str, type[Importer[Any]]] = {
    "orders": OrderImporter,
    "shipments": ShipmentImporter,
    "tracking": TrackingImporter,  # carrier events (services.tracking); --kind tracking
}
CHUNK_ROWS = 5000
# An import at least this large refreshes the planner's statistics when it ends.
ANALYZE_AFTER_ROWS = 10_000
ANALYZED_TABLES = ("orders", "buyers", "stores", "disputes", "events", "outbox")
MAX_SHOWN = 50

_T = TypeVar("_T")


class Progress(Protocol):
    """Where an import reports how far it is (a progress bar, or nothing). A phase's total is
    counted only when `visible` (counting the lines costs a read of the file)."""

    visible: bool

    def phase(self, description: str, total: int | None) -> None: ...

    def advance(self, rows: int) -> None: ...


class NoProgress:
    visible = False

    def phase(self, description: str, total: int | None) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass


@dataclass(slots=True)
class BadRows:
    """The bad rows: how many, and the first `limit` of them by line."""

    limit: int = MAX_SHOWN
    count: int = 0
    first: list[BadRow] = field(default_factory=list)

    def add(self, bad: BadRow) -> None:
        self.count += 1
        if len(self.first) < self.limit or bad < self.first[-1]:
            bisect.insort(self.first, bad)
            del self.first[self.limit :]


@dataclass(slots=True)
class ImportReport:
    kind: str
    format: str
    rows: int = 0  # rows read (blank lines aside)
    imported: int = 0
    not_imported: int = 0  # good new rows left out because bad rows stopped the import
    already: int = 0  # already in the database, or earlier in the file
    bad_rows: BadRows = field(default_factory=BadRows)
    stopped: bool = False  # bad rows and no --skip-bad-rows: nothing was imported

    @property
    def bad(self) -> int:
        return self.bad_rows.count

    def summary(self) -> str:
        left_out = f" ({self.not_imported} good rows not imported)" if self.not_imported else ""
        return f"imported {self.imported}{left_out}, already there {self.already}, bad {self.bad}"


class KeyHashes:
    """Each new row's key as a 64-bit hash (8 bytes a row), to find the keys that may occur
    more than once without holding the keys. Hashes are bucketed so that finding repeats
    sorts one small bucket at a time."""

    BUCKETS = 256

    def __init__(self) -> None:
        self._buckets = [array("q") for _ in range(self.BUCKETS)]

    def add(self, key: str) -> None:
        h = hash(key)
        self._buckets[h % self.BUCKETS].append(h)

    def repeated(self) -> set[int]:
        """The hashes seen more than once (a repeated key, or rarely two keys' collision)."""
        found: set[int] = set()
        for bucket in self._buckets:
            ordered = sorted(bucket)
            found.update(a for a, b in pairwise(ordered) if a == b)
        return found


def _chunks(rows: Iterable[_T], size: int) -> Iterator[list[_T]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


class _Reader:
    """The file's checked rows; counts what it reads and reports bad rows to `bad`."""

    def __init__(
        self, path: Path, fmt: Format, importer: Importer[Any], bad: BadRows | None
    ) -> None:
        self.path, self.fmt, self.importer, self.bad = path, fmt, importer, bad
        self.read = 0

    def _bad(self, line: int, field_name: str, message: str) -> None:
        if self.bad is not None:
            self.bad.add(BadRow(line, field_name, message))

    def __iter__(self) -> Iterator[Row[Any]]:
        known = self.importer.columns
        keyed = self.fmt is Format.JSONL  # a CSV's columns are its header's, checked once
        for raw in iter_rows(self.path, self.fmt):
            self.read += 1
            if raw.fields is None:
                self._bad(raw.line, "row", raw.problem or "not a row")
                continue
            unknown = [name for name in raw.fields if name not in known] if keyed else ()
            if unknown:
                self._bad(raw.line, unknown[0], f"unknown column (known: {', '.join(known)})")
                continue
            try:
                item = self.importer.parse(raw.fields, self.fmt)
            except FieldError as exc:
                self._bad(raw.line, exc.field, str(exc).removeprefix(f"{exc.field}: "))
                continue
            yield Row(raw.line, item)


def detect_kind(columns: Sequence[str]) -> str | None:
    """`orders` for a file with an `id` column, `shipments` for one with `order_id`;
    `tracking` for one with a `description` or `raw_code` column."""
    names = set(columns)
    if names & {"description", "raw_code"} and "id" not in names:
        return "tracking"
    if "id" in names and "order_id" not in names:
        return "orders"
    if "order_id" in names and "id" not in names:
        return "shipments"
    return None


def import_file(
    db: Database,
    path: Path | str,
    *,
    kind: str | None = None,
    fmt: str | None = None,
    skip_bad_rows: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import a file of orders or shipments (see the module's docstring for how).

    Raises `ImportFileError` when the file cannot be imported at all."""
    path = Path(path)
    progress = progress or NoProgress()
    file_format = detect_format(path, fmt)
    if not path.is_file():
        raise ImportFileError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    columns = read_columns(path, file_format)
    if columns is None and file_format is Format.CSV:
        raise ImportFileError(f"{path}: empty file: no header row")
    if kind is None:
        if columns is None:
            raise ImportFileError(
                f"{path}: cannot tell orders from shipments (no JSON object on the first "
                "line): pass --kind orders|shipments|tracking"
            )
        kind = detect_kind(columns)
        if kind is None:
            raise ImportFileError(
                f"{path}: cannot tell orders (an id column) from shipments (an order_id "
                "column): pass --kind orders|shipments|tracking"
            )
    if kind not in KINDS:
        raise ImportFileError(f"unknown kind {kind!r}: use {' or '.join(KINDS)}")
    importer = KINDS[kind](db.engine.dialect, now or utc_now())
    if file_format is Format.CSV and columns is not None:
        _check_header(path, importer, columns)
    report = ImportReport(kind, str(file_format))
    with tempfile.TemporaryFile(prefix="disputedesk-import-") as spill:
        dropped = _check(db, path, file_format, importer, report, chunk_rows, progress, spill)
        if report.bad and not skip_bad_rows:
            report.stopped = True
            report.not_imported, report.imported = report.imported, 0
            return report
        spill.seek(0)
        _write(db, importer, report, progress, spill, dropped)
    if report.imported >= ANALYZE_AFTER_ROWS:
        progress.phase("updating the planner's statistics", None)
        db.analyze(ANALYZED_TABLES)
    return report


def _check_header(path: Path, importer: Importer[Any], columns: Sequence[str]) -> None:
    unknown = [name for name in columns if name not in importer.columns]
    if unknown:
        raise ImportFileError(
            f"{path}: line 1: unknown column(s) {', '.join(unknown)} for {importer.kind} "
            f"(known: {', '.join(importer.columns)})"
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise ImportFileError(f"{path}: line 1: column(s) {', '.join(repeated)} appear twice")
    missing = [name for name in importer.required if name not in columns]
    if missing:
        raise ImportFileError(
            f"{path}: line 1: missing column(s) {', '.join(missing)} for {importer.kind}"
        )


def _tally(report: ImportReport, judgement: Judgement, sign: int = 1) -> None:
    if judgement is Verdict.NEW:
        report.imported += sign
    elif judgement is Verdict.ALREADY:
        report.already += sign
    elif isinstance(judgement, BadRow) and sign > 0:
        report.bad_rows.add(judgement)


def _check(
    db: Database,
    path: Path,
    fmt: Format,
    importer: Importer[Any],
    report: ImportReport,
    chunk_rows: int,
    progress: Progress,
    spill: IO[bytes],
) -> set[int]:
    """Judge every row without writing, and spill the new ones in chunks of `chunk_rows`;
    `report` counts what the write would do. Returns the lines of the spilled rows that turned
    out to repeat an earlier row of the file (the write leaves them out)."""
    total = None
    if progress.visible:
        total = max(count_lines(path) - (fmt is Format.CSV), 0)  # CSV records may span lines
    progress.phase("checking", total)
    reader = _Reader(path, fmt, importer, report.bad_rows)
    hashes = KeyHashes()
    packed: list[tuple[int, tuple[Any, ...]]] = []
    key, pack, add = importer.key, importer.pack, hashes.add
    for chunk in _chunks(reader, chunk_rows):
        # one short read transaction a chunk: on SQLite a transaction holds the write lock
        with db.engine.connect() as conn:
            judgements = importer.judge(conn, chunk, None)
        for (line, item), judgement in zip(chunk, judgements, strict=True):
            if judgement is Verdict.NEW:
                report.imported += 1
                add(key(item))
                packed.append((line, pack(item)))
            else:
                _tally(report, judgement)
        while len(packed) >= chunk_rows:
            _spill(spill, packed[:chunk_rows])
            del packed[:chunk_rows]
        progress.advance(reader.read - report.rows)
        report.rows = reader.read
    if packed:
        _spill(spill, packed)
    progress.advance(reader.read - report.rows)
    report.rows = reader.read
    repeated = hashes.repeated()
    if not repeated:
        return set()
    # Keys that may repeat: judge their rows again, each against the key's first new row.
    progress.phase("checking repeated keys", report.rows)
    candidates = (
        row
        for row in _Reader(path, fmt, importer, None)
        if hash(importer.key(row.item)) in repeated
    )
    prior: dict[str, Row[Any]] = {}
    dropped: set[int] = set()
    for chunk in _chunks(candidates, chunk_rows):
        with db.engine.connect() as conn:
            alone = importer.judge(conn, chunk, None)
            in_file = importer.judge(conn, chunk, prior)
        for row, before, after in zip(chunk, alone, in_file, strict=True):
            if before is Verdict.NEW and after is not Verdict.NEW:
                _tally(report, before, -1)
                _tally(report, after)
                dropped.add(row.line)
    progress.advance(report.rows)
    return dropped


def _spill(spill: IO[bytes], rows: list[tuple[int, tuple[Any, ...]]]) -> None:
    """One chunk, length-prefixed (marshal.load on a file reads in tiny pieces: slow)."""
    blob = marshal.dumps(rows)
    spill.write(len(blob).to_bytes(8, "little"))
    spill.write(blob)


def _write(
    db: Database,
    importer: Importer[Any],
    report: ImportReport,
    progress: Progress,
    spill: IO[bytes],
    dropped: set[int],
) -> None:
    """Write the spilled rows chunk by chunk; `report.imported` is recounted from the writes."""
    progress.phase("importing", report.imported)
    report.imported = 0
    while True:
        size = spill.read(8)
        if not size:
            return
        chunk = marshal.loads(spill.read(int.from_bytes(size, "little")))
        rows = [(line, packed) for line, packed in chunk if line not in dropped]
        for attempt in range(2):
            try:
                with db.begin() as conn:
                    judgements = importer.write_packed(conn, rows)
                importer.committed()
                break
            except (VersionConflict, IntegrityError):
                # somebody wrote one of these orders meanwhile: judge the chunk again, once
                if attempt:
                    raise
        for judgement in judgements:
            _tally(report, judgement)
        progress.advance(len(rows))
