"""Tracking classifier speed: N carrier events (default 1,000,000) through the classifier.

Builds N JSON lines from the 530 labelled events of tests/tracking/events.jsonl (without their
labels), repeated and varied slightly (tracking numbers, timestamps, and now and then the
description's case and spacing, as feeds differ), in a temporary file, then measures
  1. in-process: JSON decode + `classify` + JSON encode of each line, in lines/s (and classify
     alone on decoded events, and on texts never seen before, where no cache helps);
  2. `disputedesk tracking classify FILE` as a whole process, startup included;
and prints each beside a baseline measured in the same run: JSON decode + encode of the same
lines, the floor any line-by-line tool must pay. Target: 20,000 lines/s or more.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from disputedesk.tracking import classifier
from disputedesk.tracking.classifier import classify

TARGET_LINES_PER_S = 20_000
EVENTS = Path(__file__).resolve().parents[1] / "tests" / "tracking" / "events.jsonl"
# The fixture's answers, not part of an event as a feed sends it.
LABEL_KEYS = frozenset({"label", "notice_left", "unsure", "why"})


def varied(events: list[dict], n: int, seed: int) -> Iterator[dict]:
    """N events: the labelled ones in turn, each a little different from the last time."""
    rng = random.Random(seed)
    for i in range(n):
        event = {k: v for k, v in events[i % len(events)].items() if k not in LABEL_KEYS}
        extra = dict(event.get("extra") or {})
        extra["tracking_number"] = f"{extra.get('tracking_number', 'X')}-{i // len(events)}"
        event["extra"] = extra
        if event.get("at"):
            event["at"] = f"{event['at']}{'' if rng.random() < 0.5 else ' '}"
        text = event.get("description") or ""
        roll = rng.random()
        if roll < 0.05:
            event["description"] = text.upper()
        elif roll < 0.10:
            event["description"] = f"  {text}  "
        yield event


def write_lines(path: Path, n: int, seed: int) -> None:
    events = [json.loads(line) for line in EVENTS.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as f:
        for event in varied(events, n, seed):
            f.write(json.dumps(event, ensure_ascii=False))
            f.write("\n")


def run_in_process(path: Path) -> tuple[float, int]:
    """Decode, classify, encode every line (what the command does, without its I/O)."""
    count = 0
    t0 = time.perf_counter()
    with path.open("rb") as f:
        for line in f:
            event = json.loads(line)
            judged = classify(event)
            event["status"] = judged.status.value
            event["notice_left"] = judged.notice_left
            json.dumps(event, ensure_ascii=False)
            count += 1
    return time.perf_counter() - t0, count


def run_baseline(path: Path) -> float:
    t0 = time.perf_counter()
    with path.open("rb") as f:
        for line in f:
            json.dumps(json.loads(line), ensure_ascii=False)
    return time.perf_counter() - t0


def classify_only(events: list[dict]) -> float:
    t0 = time.perf_counter()
    for event in events:
        classify(event)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--cold", type=int, default=50_000, help="never-seen texts for the cold run")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--quick", action="store_true", help="a short run: 100,000 lines, 10,000 cold")
    args = ap.parse_args()
    if args.quick:
        args.lines, args.cold = 100_000, 10_000

    exe = shutil.which("disputedesk") or str(Path(sys.executable).with_name("disputedesk"))
    with tempfile.TemporaryDirectory(prefix="dd-bench-") as tmp:
        source = Path(tmp, "events.jsonl")
        write_lines(source, args.lines, args.seed)
        size = source.stat().st_size

        run_in_process(source)  # warm: imports, caches
        t_in, n = run_in_process(source)
        t_base = run_baseline(source)
        rate_in = n / t_in
        print(f"in-process: {n:,} lines ({size / 1e6:.0f} MB), decode + classify + encode")
        print(
            f"  classifier: {t_in:.2f} s  {rate_in:,.0f} lines/s  (target "
            f"{TARGET_LINES_PER_S:,}: {'met' if rate_in >= TARGET_LINES_PER_S else 'MISSED'})"
        )
        print(
            f"  baseline:   {t_base:.2f} s  {n / t_base:,.0f} lines/s  JSON decode+encode only; "
            f"classifier/baseline = {t_in / t_base:.2f}x"
        )

        events = [json.loads(line) for line in EVENTS.read_text(encoding="utf-8").splitlines()]
        warm = events * max(1, 100_000 // len(events))
        t_warm = classify_only(warm)
        cold = [
            {
                **events[i % len(events)],
                "description": f"{events[i % len(events)]['description']} {i}",
            }
            for i in range(args.cold)
        ]
        classifier._classify.cache_clear()
        classifier._match_text.cache_clear()
        t_cold = classify_only(cold)
        print(
            f"  classify alone: {len(warm) / t_warm:,.0f} events/s repeated texts, "
            f"{len(cold) / t_cold:,.0f} events/s never-seen texts ({args.cold:,}, no cache hits)"
        )

        output = Path(tmp, "out.jsonl")
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        with output.open("wb") as out:
            t0 = time.perf_counter()
            subprocess.run(
                [exe, "tracking", "classify", str(source)], stdout=out, env=env, check=True
            )
            t_cli = time.perf_counter() - t0
        with output.open("rb") as f:
            written = sum(1 for _ in f)
        rate_cli = written / t_cli
        print(f"whole process: disputedesk tracking classify FILE, {written:,} lines out")
        print(
            f"  {t_cli:.2f} s  {rate_cli:,.0f} lines/s, startup included  (target "
            f"{TARGET_LINES_PER_S:,}: {'met' if rate_cli >= TARGET_LINES_PER_S else 'MISSED'}); "
            f"command/baseline = {t_cli / t_base:.2f}x"
        )
        if written != n:
            print(f"  ERROR: {n:,} lines in, {written:,} out")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
