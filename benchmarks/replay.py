"""Replay speed: in-process and as a whole `disputedesk replay DIR` process.

Generates random, plausible scenarios (disputedesk.simulate), then measures
  1. in-process: parse + check + replay + outcome, in scenarios/s and input events/s
     (target: 20,000 input events/s or more on one core);
  2. `disputedesk replay DIR` over 2,000 files as one process, startup included;
and prints each beside a baseline measured in the same run: JSON decode + encode of the same
documents, the floor any replay must pay.
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
from pathlib import Path

from disputedesk.replay import outcome, parse_scenario_text, run
from disputedesk.simulate import random_scenario

TARGET_EVENTS_PER_S = 20_000


def _best_of(repeats: int, fn) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=3000)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--events", type=int, default=12, help="events per scenario")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--quick", action="store_true", help="a short run: 500 scenarios, 300 files")
    args = ap.parse_args()
    if args.quick:
        args.scenarios, args.files = 500, 300

    rng = random.Random(args.seed)
    texts = [json.dumps(random_scenario(rng, n_events=args.events)) for _ in range(args.scenarios)]
    n_events = sum(len(json.loads(t)["events"]) for t in texts)

    def replay_all() -> None:
        for text in texts:
            json.dumps(outcome(run(parse_scenario_text(text))))

    def baseline() -> None:
        for text in texts:
            json.dumps(json.loads(text))

    replay_all()  # warm the calendar cache and imports
    t_replay = _best_of(3, replay_all)
    t_base = _best_of(3, baseline)
    eps = n_events / t_replay
    print(f"in-process: {args.scenarios} scenarios, {n_events} input events")
    print(
        f"  replay:   {t_replay:.3f} s  {args.scenarios / t_replay:,.0f} scenarios/s  "
        f"{eps:,.0f} input events/s  (target {TARGET_EVENTS_PER_S:,}: "
        f"{'met' if eps >= TARGET_EVENTS_PER_S else 'MISSED'})"
    )
    print(
        f"  baseline: {t_base:.3f} s  JSON decode+encode only; replay/baseline = "
        f"{t_replay / t_base:.1f}x"
    )

    exe = shutil.which("disputedesk") or str(Path(sys.executable).with_name("disputedesk"))
    with tempfile.TemporaryDirectory(prefix="dd-bench-") as tmp:
        files = texts[: args.files]
        while len(files) < args.files:
            files.append(json.dumps(random_scenario(rng, n_events=args.events)))
        for i, text in enumerate(files):
            Path(tmp, f"s{i:05d}.json").write_text(text, encoding="utf-8")
        file_events = sum(len(json.loads(t)["events"]) for t in files)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        t0 = time.perf_counter()
        proc = subprocess.run([exe, "replay", tmp], stdout=subprocess.PIPE, env=env, check=True)
        t_proc = time.perf_counter() - t0
        lines = proc.stdout.count(b"\n")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        t_python = time.perf_counter() - t0
    proc_eps = file_events / t_proc
    print(
        f"whole process: disputedesk replay DIR over {args.files} files ({file_events} events,"
        f" {lines} JSON lines)"
    )
    print(
        f"  {t_proc:.3f} s  {args.files / t_proc:,.0f} files/s  {proc_eps:,.0f} input events/s"
        f"  ({proc_eps / eps:.2f}x in-process; bare python startup {t_python * 1000:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
