"""Replay speed: in-process and as a whole `disputedesk replay DIR` process.

Generates random, plausible scenarios (disputedesk.simulate), then measures
  1. in-process: parse + check + replay + outcome, in scenarios/s and input events/s
     (target: 20,000 input events/s or more on one core);
  2. `disputedesk replay DIR` over 2,000 files of 5-12 events as one process, startup
     included (target: 30,000 input events/s or more);
  3. the start of `disputedesk --help` and of `disputedesk replay FILE` (target: under 100 ms
     each), beside a bare `python -c pass`;
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
TARGET_PROCESS_EVENTS_PER_S = 30_000
TARGET_START_MS = 100


def _run_ms(argv: list[str], repeats: int, env: dict[str, str]) -> tuple[float, float]:
    """The best and the median wall time of running `argv`, in ms."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, env=env, check=True)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[0], times[len(times) // 2]


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


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
    ap.add_argument("--events", type=int, default=12, help="events per in-process scenario")
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
        files = [
            json.dumps(random_scenario(rng, n_events=rng.randint(5, 12))) for _ in range(args.files)
        ]
        for i, text in enumerate(files):
            Path(tmp, f"s{i:05d}.json").write_text(text, encoding="utf-8")
        file_events = sum(len(json.loads(t)["events"]) for t in files)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        t0 = time.perf_counter()
        proc = subprocess.run([exe, "replay", tmp], stdout=subprocess.PIPE, env=env, check=True)
        t_proc = time.perf_counter() - t0
        lines = proc.stdout.count(b"\n")
        python_ms = _run_ms([sys.executable, "-c", "pass"], 10, env)
        help_ms = _run_ms([exe, "--help"], 10, env)
        one_ms = _run_ms([exe, "replay", str(Path(tmp, "s00000.json"))], 10, env)
    proc_eps = file_events / t_proc
    t_python = python_ms[1] / 1000
    print(
        f"whole process: disputedesk replay DIR over {args.files} files ({file_events} events,"
        f" {lines} JSON lines)"
    )
    print(
        f"  {t_proc:.3f} s  {args.files / t_proc:,.0f} files/s  {proc_eps:,.0f} input events/s"
        f"  ({proc_eps / eps:.2f}x in-process; bare python startup {t_python * 1000:.0f} ms)"
        f"  (target {TARGET_PROCESS_EVENTS_PER_S:,}: "
        f"{_verdict(proc_eps >= TARGET_PROCESS_EVENTS_PER_S)})"
    )
    print("start-up, best / median of 10 runs:")
    for label, (best, median) in (
        ("python -c pass", python_ms),
        ("disputedesk --help", help_ms),
        ("disputedesk replay FILE", one_ms),
    ):
        verdict = (
            ""
            if label.startswith("python")
            else (f"  (target under {TARGET_START_MS} ms: {_verdict(median < TARGET_START_MS)})")
        )
        print(f"  {label:<24} {best:6.1f} / {median:6.1f} ms{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
