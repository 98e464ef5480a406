"""What-if runs in the background, for the operator's console (issue 15, item 6).

A run replays the stored cases (`services.whatif.stored_cases`, each through `whatif.compare`,
exactly as `disputedesk whatif` does) in a thread of the serving process and keeps its progress
and report as a JSON file under `DATA_DIR/whatif/` (`<id>.json`, written whole and renamed into
place, so a reader never sees half of one). Files, not memory: `disputedesk serve --workers N`
answers each request from any of its processes, and a run's page must be found by whichever
one answers; a file also outlives a restart (the report stays readable, and a run whose process
died says it was interrupted). Nothing is written to the database: the live tables are only
read.

Bounded: one run at a time (a lock file, created exclusively, names the running one and its
process; a lock whose process is gone is stale and taken over), at most `max_cases` cases per
run (a larger selection is refused before it starts: narrow it by date or store), the last
`KEEP` runs kept. Money is totalled per currency: a report never adds dollars to euros.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.rules.money import ZERO, parse_money
from disputedesk.rules.policy import ALIEXPRESS, PARAMETERS, policy_from
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.whatif import CaseDiff, Totals, compare

FOLDER = "whatif"
KEEP = 20  # runs kept; older ones are removed when a new one starts
LISTED = 500  # changed cases kept in a report (all are counted)
PROGRESS_EVERY = 25  # cases between progress writes
_LOCK = "running.lock"


class RunRefused(Exception):
    """A run that cannot start: `reason` is `busy`, `too_many` or `no_change` (with `params`)."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True, slots=True)
class RunRequest:
    overrides: Mapping[str, Any]
    now: datetime  # replay up to this instant
    since: datetime | None = None
    store_id: str | None = None
    by: str = ""  # the operator's email


def current_values() -> dict[str, Any]:
    """The policy in force, parameter by parameter (every order follows `aliexpress`)."""
    return {name: getattr(ALIEXPRESS, name) for name in PARAMETERS}


def changed_only(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The overrides that change something (checked: raises PolicyError)."""
    policy_from(ALIEXPRESS.name, dict(overrides))
    current = current_values()
    return {k: v for k, v in overrides.items() if current.get(k) != v}


def _filters(query: Any, request: RunRequest) -> Any:
    if request.since is not None:
        query = query.where(t.orders.c.placed_at >= request.since)
    if request.store_id is not None:
        query = query.where(t.orders.c.store_id == request.store_id)
    return query


def count_cases(db: Database, request: RunRequest) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(_filters(select(func.count()).select_from(t.orders), request)) or 0)


class Runs:
    """The runs kept in `folder` (`DATA_DIR/whatif`)."""

    def __init__(self, folder: Path, *, max_cases: int) -> None:
        self.folder = Path(folder)
        self.max_cases = max_cases
        self._guard = threading.Lock()  # this process's starts, one at a time

    # -- reading ------------------------------------------------------------------------------

    def get(self, run_id: str) -> dict[str, Any] | None:
        """A run's file (its progress, then its report); a run whose process is gone while it
        said it was running reads as `interrupted`."""
        if not (run_id.isascii() and run_id.replace("-", "").isalnum() and len(run_id) <= 40):
            return None
        run = self._read(self.folder / f"{run_id}.json")
        if run is not None and run["state"] == "running" and not _alive(run.get("owner")):
            run["state"] = "interrupted"
        return run

    def recent(self, limit: int = 10) -> list[dict[str, Any]]:
        runs = []
        for path in self._files():
            run = self.get(path.stem)
            if run is not None:
                runs.append(run)
        runs.sort(key=lambda r: r["started_at"], reverse=True)
        return runs[:limit]

    def running(self) -> dict[str, Any] | None:
        lock = self._read(self.folder / _LOCK)
        if lock is None or not _alive(lock.get("owner")):
            return None
        run = self.get(str(lock.get("run", "")))
        return run if run is not None and run["state"] == "running" else None

    # -- starting -----------------------------------------------------------------------------

    def start(
        self,
        db: Database,
        request: RunRequest,
        *,
        background: Callable[[Callable[[], None]], None] | None = None,
    ) -> str:
        """Start a run (RunRefused when another runs, nothing would change, or there are too
        many cases); returns its id at once, the work goes on in a thread (`background` runs
        it instead, e.g. inline in a test)."""
        overrides = changed_only(request.overrides)
        if not overrides:
            raise RunRefused("no_change")
        total = count_cases(db, request)
        if total > self.max_cases:
            raise RunRefused("too_many", count=total, cap=self.max_cases)
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._guard:
            run_id = f"{request.now:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
            owner = _owner()
            if not self._lock(run_id, owner):
                busy = self.running()
                raise RunRefused("busy", started_at=busy["started_at"] if busy else None)
            run: dict[str, Any] = {
                "id": run_id,
                "state": "running",
                "owner": owner,
                "by": request.by,
                "started_at": format_instant(request.now),
                "finished_at": None,
                "overrides": overrides,
                "since": format_instant(request.since),
                "store_id": request.store_id,
                "done": 0,
                "total": total,
                "report": None,
            }
            self._write(run)
        self._prune()
        work = _Work(self, db, request, run)
        if background is None:
            threading.Thread(target=work, name=f"whatif-{run_id}", daemon=True).start()
        else:
            background(work)
        return run_id

    # -- files --------------------------------------------------------------------------------

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [p for p in self.folder.glob("*.json") if not p.name.startswith(".")]

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def _write(self, run: Mapping[str, Any]) -> None:
        path = self.folder / f"{run['id']}.json"
        temporary = self.folder / f".{run['id']}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(run, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)

    def _lock(self, run_id: str, owner: Mapping[str, Any]) -> bool:
        """Take the lock for `run_id`; a stale one (its process gone) is taken over."""
        path = self.folder / _LOCK
        for _attempt in range(2):
            try:
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                held = self._read(path)
                if held is not None and _alive(held.get("owner")):
                    return False
                path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"run": run_id, "owner": dict(owner)}, out)
            return True
        return False

    def _unlock(self, run_id: str) -> None:
        path = self.folder / _LOCK
        held = self._read(path)
        if held is not None and held.get("run") == run_id:
            path.unlink(missing_ok=True)

    def _prune(self) -> None:
        runs = sorted(self._files(), key=lambda p: p.name, reverse=True)
        for old in runs[KEEP:]:
            old.unlink(missing_ok=True)


def _owner() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _alive(owner: Any) -> bool:
    """Whether the process that owns a run still runs (on another host: assumed so)."""
    if not isinstance(owner, Mapping):
        return False
    if owner.get("host") != socket.gethostname():
        return True
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Work:
    """One run: each stored case through `whatif.compare`, totals per currency, progress
    written every few cases, then the report."""

    def __init__(self, runs: Runs, db: Database, request: RunRequest, run: dict[str, Any]):
        self.runs, self.db, self.request, self.run = runs, db, request, run

    def __call__(self) -> None:
        from disputedesk.services.whatif import stored_cases

        run, request = self.run, self.request
        overrides = run["overrides"]
        before: dict[str, Totals] = {}
        after: dict[str, Totals] = {}
        changed: list[dict[str, Any]] = []
        count_changed = 0
        skipped: list[tuple[str, str]] = []
        try:
            cases = stored_cases(
                self.db, since=request.since, store_id=request.store_id, skipped=skipped
            )
            for name, scenario in cases:
                one = compare([(name, scenario)], overrides, until=request.now)
                currency = scenario.order.currency
                _merge(before.setdefault(currency, Totals()), one.before)
                _merge(after.setdefault(currency, Totals()), one.after)
                for diff in one.changed:
                    count_changed += 1
                    if len(changed) < LISTED:
                        changed.append(_diff_json(diff, currency))
                run["done"] += 1
                if run["done"] % PROGRESS_EVERY == 0:
                    self.runs._write(run)
            run["report"] = {
                "cases": run["done"],
                "changed_cases": count_changed,
                "currencies": {
                    currency: {
                        "before": before[currency].to_json(),
                        "after": after[currency].to_json(),
                    }
                    for currency in sorted(before)
                },
                "changed": changed,
                "skipped": [{"case": case, "why": why} for case, why in skipped],
            }
            run["state"] = "done"
        except Exception as exc:  # the run says it failed; the desk goes on
            logging.getLogger("disputedesk.whatif").exception("what-if run %s failed", run["id"])
            run["state"] = "failed"
            run["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            run["finished_at"] = format_instant(_clock())
            self.runs._write(run)
            self.runs._unlock(run["id"])


def _clock() -> datetime:
    from disputedesk.services.commands import utc_now

    return utc_now()


def _merge(into: Totals, more: Totals) -> None:
    into.cases += more.cases
    into.refunds += more.refunds
    into.refunded += more.refunded
    into.timeouts += more.timeouts
    into.escalations += more.escalations
    into.auto_rulings += more.auto_rulings
    into.refused += more.refused


def _diff_json(diff: CaseDiff, currency: str) -> dict[str, Any]:
    return {**diff.to_json(), "currency": currency}


def money_of(text: Any) -> Any:
    """A report's money string as Decimal (for the pages' currency formatting)."""
    value = parse_money(str(text)) if text is not None else None
    return ZERO if value is None else value


def instant_of(text: Any) -> datetime | None:
    return parse_instant(text) if isinstance(text, str) else None
