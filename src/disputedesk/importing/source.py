"""Reading an import file: its format, its columns, and its rows with their line numbers.

Rows are streamed, never held: an importer reads the file once to check it and once more to
write it. Line numbers are the file's own (the CSV header is line 1); a CSV record whose quoted
field spans several lines is numbered by its first line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from disputedesk.strictjson import loads

# A CSV field may be long (an address, an items list); csv's default limit is 128 KiB.
csv.field_size_limit(16 * 1024 * 1024)


class Format(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


EXTENSIONS = {".csv": Format.CSV, ".jsonl": Format.JSONL, ".ndjson": Format.JSONL}


class ImportFileError(Exception):
    """The file cannot be imported at all: unreadable, an unknown format or kind, a bad CSV
    header. Nothing is imported; the CLI exits with status 2."""


class RawRow(NamedTuple):
    """One row as read: its fields, or (for a line that is not a row at all) the problem."""

    line: int
    fields: dict[str, Any] | None
    problem: str | None = None


def detect_format(path: Path, override: str | None = None) -> Format:
    if override is not None:
        try:
            return Format(override)
        except ValueError:
            raise ImportFileError(
                f"unknown format {override!r}: use {' or '.join(Format)}"
            ) from None
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise ImportFileError(
            f"{path}: cannot tell the format from the extension {path.suffix or '(none)'!r}: "
            "name it .csv, .jsonl or .ndjson, or pass --format csv|jsonl"
        )
    return found


def _open(path: Path) -> Any:
    try:
        # utf-8-sig: a byte-order mark (spreadsheets write one) is not part of the first column
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_columns(path: Path, fmt: Format) -> list[str] | None:
    """The CSV header, or the keys of the first JSON Lines object (None for an empty file,
    or when the first object cannot be read: then the kind must be given)."""
    with _open(path) as f:
        try:
            if fmt is Format.CSV:
                header = next(csv.reader(f), None)
                return None if header is None else [name.strip() for name in header]
            for text in f:
                if text.strip():
                    try:
                        first = json.loads(text)
                    except ValueError:
                        return None
                    return list(first) if isinstance(first, dict) else None
            return None
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{path}: not UTF-8 text: {exc.reason}") from None
        except csv.Error as exc:
            raise ImportFileError(f"{path}: line 1: not a CSV header: {exc}") from None


def iter_rows(path: Path, fmt: Format) -> Iterator[RawRow]:
    """Every row of the file, in order; blank lines are skipped."""
    with _open(path) as f:
        try:
            if fmt is Format.CSV:
                yield from _csv_rows(f)
            else:
                yield from _jsonl_rows(f)
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{path}: not UTF-8 text: {exc.reason}") from None


def _csv_rows(f: Any) -> Iterator[RawRow]:
    reader = csv.reader(f)
    header = next(reader, None)
    if header is None:
        return
    names = [name.strip() for name in header]
    width = len(names)
    before = reader.line_num  # the last line read so far; a record starts on the next one
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RawRow(before + 1, None, f"not a CSV record: {exc}")
            before = reader.line_num
            continue
        line, before = before + 1, reader.line_num
        if not values:
            continue
        if len(values) != width:
            yield RawRow(line, None, f"{len(values)} fields, the header has {width}")
            continue
        yield RawRow(line, dict(zip(names, values, strict=True)))


def _jsonl_rows(f: Any) -> Iterator[RawRow]:
    for line, text in enumerate(f, 1):
        if not text.strip():
            continue
        try:
            value = loads(text)
        except json.JSONDecodeError as exc:
            yield RawRow(line, None, f"not JSON: {exc.msg} at column {exc.colno}")
            continue
        except (ValueError, RecursionError) as exc:
            yield RawRow(line, None, f"not JSON: {exc}")
            continue
        if not isinstance(value, dict):
            yield RawRow(line, None, "not a JSON object")
            continue
        yield RawRow(line, value)


def count_lines(path: Path) -> int:
    """The file's line count, fast (for a progress bar's total)."""
    lines = 0
    last = b"\n"
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")
