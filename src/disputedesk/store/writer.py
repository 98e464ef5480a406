"""SQLite's writes in one process: one at a time, in arrival order, and grouped when they queue.

SQLite has one write lock per database. Left to SQLite, writers that find it taken sleep and
poll (its busy handler backs off to 100 ms between tries), so under load some of them lose again
and again: with 32 concurrent requests the slowest waited seconds. Here every write transaction
of the process waits its turn in a queue (first come, first served) and never polls:

- `transaction()`: a write transaction in the caller's thread, on the turn's connection (kept
  open: no pool checkout per transaction), begun with `BEGIN IMMEDIATE`.
- `run(fn)`: `fn(conn)` in a write transaction, grouped with the others queued meanwhile. The
  first caller to find nobody writing leads: it takes the turn, runs up to `max_batch` queued
  functions (its own first) in one transaction, each inside a SAVEPOINT, commits once, and hands
  the lead to the oldest function still queued. So a function that raises is rolled back alone
  (its caller gets the exception, the others go on); each caller gets its result only after the
  commit, and an error at the commit is every caller's. Nothing runs in a thread of its own:
  whoever leads does the work, so there is nothing to start, stop or drain.

Other processes (a worker, a second server) still meet SQLite's lock, with `busy_timeout`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

_R = TypeVar("_R")
WRITE_OPTION = "disputedesk_write"  # the execution option that makes BEGIN take the write lock


class Turn:
    """A lock handed to its waiters in the order they came (`threading.Lock` is not fair). It
    is not re-entrant: asking for it again in the thread that holds it is an error rather than
    a wait for ever."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._mutex = threading.Lock()
        self._owner: int | None = None
        self._waiting: deque[tuple[int, threading.Lock]] = deque()

    def acquire(self) -> None:
        me = threading.get_ident()
        with self._mutex:
            if self._owner is None:
                self._owner = me
                return
            if self._owner == me:
                raise RuntimeError(
                    "a write transaction is already open in this thread (SQLite has one writer)"
                )
            gate = threading.Lock()
            gate.acquire()
            entry = (me, gate)
            self._waiting.append(entry)
        if gate.acquire(timeout=self.timeout):
            return  # the previous owner made us the owner
        with self._mutex:
            if self._owner == me:  # handed over just as the wait ended
                return
            self._waiting.remove(entry)
        raise OperationalError(
            "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
        )

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._owner, gate = self._waiting.popleft()
                gate.release()
            else:
                self._owner = None

    def __enter__(self) -> Turn:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    @property
    def held(self) -> bool:
        return self._owner is not None


class _Job:
    __slots__ = ("done", "error", "fn", "lead", "result", "wake")

    def __init__(self, fn: Callable[[Connection], Any]) -> None:
        self.fn = fn
        self.wake = threading.Event()
        self.lead = False
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None


class Writer:
    """The write transactions of one SQLite database in this process (see the module)."""

    def __init__(self, engine: Engine, *, timeout: float = 60.0, max_batch: int = 64) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.turn = Turn(timeout)
        self._conn: Connection | None = None
        self._mutex = threading.Lock()
        self._queue: deque[_Job] = deque()
        self._leading = False
        self.batches = 0  # transactions `run` committed or tried (for tests and figures)

    def _connection(self) -> Connection:
        """The turn's connection (the caller holds the turn), opened again after it failed."""
        conn = self._conn
        if conn is None or conn.closed or conn.invalidated:
            if conn is not None and not conn.closed:
                conn.close()
            conn = self._conn = self.engine.connect()
            conn.execution_options(**{WRITE_OPTION: True})
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction in this thread: committed when the block ends, rolled back on
        an exception."""
        with self.turn:
            conn = self._connection()
            try:
                with conn.begin():
                    yield conn
            finally:
                if conn.in_transaction():  # the block ended the transaction's object, not it
                    conn.rollback()

    def run(self, fn: Callable[[Connection], _R]) -> _R:
        """`fn(conn)` in a write transaction, maybe shared with other callers' (each in its own
        savepoint); its result once committed, or its exception (or the commit's)."""
        job = _Job(fn)
        with self._mutex:
            self._queue.append(job)
            if not self._leading:
                self._leading = job.lead = True
        if not job.lead:
            job.wake.wait()  # the result, or the lead
        if not job.done:
            self._lead(job)
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[no-any-return]

    def _lead(self, job: _Job) -> None:
        """Run the queue's first `max_batch` jobs (`job` is the first) in one transaction."""
        try:
            self.turn.acquire()
        except BaseException as exc:  # waited too long: this job fails, the next one leads
            with self._mutex:
                self._queue.remove(job)
                self._hand_over()
            job.error, job.done = exc, True
            return
        batch: list[_Job] = []
        try:
            with self._mutex:
                while self._queue and len(batch) < self.max_batch:
                    batch.append(self._queue.popleft())
            self._run(batch)
        finally:
            self.turn.release()
            with self._mutex:
                self._hand_over()
            for each in batch:
                each.done = True
                if each is not job:
                    each.wake.set()

    def _hand_over(self) -> None:
        """The lead to the oldest queued job (the caller holds the mutex)."""
        if self._queue:
            follower = self._queue[0]
            follower.lead = True
            follower.wake.set()
        else:
            self._leading = False

    def _run(self, batch: list[_Job]) -> None:
        self.batches += 1
        conn = self._connection()
        try:
            with conn.begin():
                if len(batch) == 1:  # alone: its error rolls back the transaction
                    batch[0].result = batch[0].fn(conn)
                else:
                    for job in batch:
                        savepoint = conn.begin_nested()
                        try:
                            job.result = job.fn(conn)
                        except Exception as exc:
                            job.error = exc
                            savepoint.rollback()
                        else:
                            savepoint.commit()
        except BaseException as exc:  # nothing was committed: every caller hears of it
            for job in batch:
                if job.error is None:
                    job.result, job.error = None, exc
            if conn.in_transaction():
                conn.rollback()
            if not isinstance(exc, Exception):
                raise

    def close(self) -> None:
        """Close the turn's connection (opened again when next needed). A transaction still
        running elsewhere keeps it: when the turn is not free in time, it is left to it."""
        try:
            self.turn.acquire()
        except OperationalError:
            return
        try:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        finally:
            self.turn.release()
