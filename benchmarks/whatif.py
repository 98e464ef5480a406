"""What-if speed: N stored cases replayed under other policy parameters (`disputedesk whatif`),
against `disputedesk replay DIR` over the same cases exported as scenario files.

Builds N orders, each with an open dispute awaiting the seller (services/bulk.py, the real
rows), on SQLite. Then, in the same run:
  1. `whatif_stored` with {"seller_response_days": 3}: every case rebuilt from the event log and
     replayed twice (as it is and with the override) up to one day past the deadlines: cases/s;
  2. the baseline: the same cases written as scenario files (until the same instant), and the
     `disputedesk replay DIR` command over them, process start included: cases/s.
Prints both and the ratio (what-if's time / replay's). What-if does twice the replays of the
baseline plus the reading of the log, so a ratio near 2 means it costs what its replays cost.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench_db import fresh_database, rate
from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.rules.money import format_money
from disputedesk.services.bulk import create_due_disputes
from disputedesk.services.whatif import stored_cases, whatif_stored

OPENED_AT = parse_instant("2026-03-10T10:00:00Z")
OVERRIDES = {"seller_response_days": 3}
EXE = str(Path(sys.executable).with_name("disputedesk"))


def export(db, folder: Path, until: str) -> int:
    """Every stored case as a scenario file (the commands people sent, until `until`)."""
    n = 0
    for order_id, case in stored_cases(db):
        order = case.order
        doc = {
            "policy": case.policy.name,
            "order": {
                "id": order.id,
                "amount": format_money(order.amount),
                "shipping": format_money(order.shipping),
                "currency": order.currency,
                "placed_at": format_instant(order.placed_at),
                "promised_delivery_days": order.promised_delivery_days,
                "destination_country": order.destination_country,
                "category": order.category,
            },
            "events": [
                {"at": format_instant(c.at), "actor": c.actor, "action": c.action, **c.fields}
                for c in case.commands
            ],
            "until": until,
        }
        (folder / f"{order_id}.json").write_text(json.dumps(doc))
        n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5,000 cases")
    ap.add_argument("--cases", type=int, default=100_000)
    args = ap.parse_args()
    n = 5_000 if args.quick else args.cases
    with fresh_database("sqlite") as db, tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        created = create_due_disputes(db, n, opened_at=OPENED_AT, batch=2000)
        t_build = time.perf_counter() - t0
        assert created.due_at is not None
        now = created.due_at + timedelta(days=1)
        t0 = time.perf_counter()
        report = whatif_stored(db, OVERRIDES, now=now)
        t_whatif = time.perf_counter() - t0
        folder = Path(tmp)
        exported = export(db, folder, format_instant(now) or "")
        t0 = time.perf_counter()
        done = subprocess.run(
            [EXE, "replay", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        t_replay = time.perf_counter() - t0
    if done.returncode != 0:
        print(f"replay failed: {done.stderr.decode()[-500:]}")
        return 1
    print(f"what-if: {n:,} stored cases (built with bulk.py: {rate(n, t_build)})")
    print(f"  whatif_stored {json.dumps(OVERRIDES)}: {t_whatif:7.2f} s  {rate(n, t_whatif)} cases")
    print(f"    changed cases: {len(report.changed):,} of {report.before.cases:,}")
    print(f"  replay DIR ({exported:,} files): {t_replay:7.2f} s  {rate(exported, t_replay)} cases")
    print(f"  ratio what-if/replay: {t_whatif / t_replay:.2f}x (what-if replays each case twice)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
