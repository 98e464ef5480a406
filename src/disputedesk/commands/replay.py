"""`disputedesk replay`: a scenario (RULES.md section 11) replayed and its outcome printed.

This command is parsed with argparse, not typer, and imports only the rules core: a corpus is
often replayed one process per file, and typer with its help renderer costs more than the
replay itself. `disputedesk.cli.main` sends `replay` here before loading anything else."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SUMMARY = "Replay a dispute scenario (RULES.md section 11) and print its outcome."
DESCRIPTION = f"""{SUMMARY}

One FILE (or '-'): prints the outcome as JSON; a malformed scenario exits with status 2 and one
line on standard error naming the field and the event's index.

Several paths, or a DIR (its *.json files, recursively): replays them all and prints JSON
Lines in the files' order, one {{"file": ..., "outcome": {{...}}}} or {{"file": ..., "error":
"..."}} per scenario; exits 0 unless a path cannot be read (1). From 200 files on, one process
per core replays runs of them (DISPUTEDESK_REPLAY_PROCESSES sets how many; 1: this process only)."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="disputedesk replay",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="FILE|DIR|-",
        help="A scenario file, '-' for standard input, or several files and directories.",
    )
    p.add_argument(
        "-f",
        "--format",
        dest="output",
        choices=("json", "table"),
        default="json",
        help="json: the outcome of RULES.md section 11; table: the same outcome for people, "
        "with countdowns (default: json).",
    )
    p.add_argument(
        "--overrides",
        metavar="FILE",
        type=Path,
        help="What-if: replay the scenarios as written and with these policy parameters "
        '(a JSON object, e.g. {"seller_response_days": 3}) and report what would differ.',
    )
    return p


def main(argv: list[str]) -> int:
    """Run `disputedesk replay ARGV`; returns the exit status."""
    args = parser().parse_args(argv)
    if args.overrides is not None:
        return _replay_whatif(args.paths, args.overrides, args.output)
    paths: list[str] = args.paths
    if len(paths) == 1 and (paths[0] == "-" or not Path(paths[0]).is_dir()):
        return _replay_one(paths[0], args.output)
    from disputedesk.replay import scenario_paths

    return 1 if _replay_many(list(scenario_paths(paths)), args.output) else 0


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    return Path(path).read_text(encoding="utf-8")


def _replay_one(path: str, output: str) -> int:
    from disputedesk.replay import MalformedScenario

    try:
        text = _read(path)
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write(f"{path}: cannot read: {exc}\n")
        return 2
    try:
        _print_one(text, output)
    except MalformedScenario as exc:
        sys.stderr.write(f"{'stdin' if path == '-' else path}: {exc}\n")
        return 2
    return 0


def _print_one(text: str, output: str) -> None:
    from disputedesk.replay import parse_scenario_text

    scenario = parse_scenario_text(text)
    if output == "table":
        from disputedesk.report import print_replay_table

        print_replay_table(scenario)
        return
    from disputedesk.replay import outcome, run

    sys.stdout.write(json.dumps(outcome(run(scenario)), indent=2) + "\n")


# A corpus this large, as JSON lines, is replayed by several processes (forked: they start with
# everything imported), each a run of files in order; the lines are written in the files' order.
PARALLEL_FROM = 200
CHUNK = 50


def _processes() -> int:
    """How many processes replay a large corpus: the cores this process may use (at most 8), or
    `DISPUTEDESK_REPLAY_PROCESSES`."""
    import os

    asked = os.environ.get("DISPUTEDESK_REPLAY_PROCESSES", "")
    if asked.isdigit() and int(asked) > 0:
        return min(int(asked), 32)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def _replay_many(files: list[str], output: str) -> int:
    """Replay every file; returns how many could not be read."""
    processes = _processes() if output == "json" and len(files) >= PARALLEL_FROM else 1
    if processes > 1:
        import multiprocessing

        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # no fork here: one process
            context = None
        if context is not None:
            chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
            unreadable = 0
            sys.stdout.flush()
            with context.Pool(processes) as pool:
                for lines, failed in pool.imap(_json_lines, chunks):
                    sys.stdout.write(lines)
                    unreadable += failed
            return unreadable
    if output == "json":
        lines, unreadable = _json_lines(files)
        sys.stdout.write(lines)
        return unreadable
    return _tables(files)


def _json_lines(files: list[str]) -> tuple[str, int]:
    """The JSON lines of `files`, in their order, and how many could not be read."""
    from disputedesk.replay import MalformedScenario, outcome, parse_scenario_text, run

    unreadable = 0
    lines: list[str] = []
    for path in files:
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as exc:
            unreadable += 1
            lines.append(json.dumps({"file": path, "error": f"cannot read: {exc}"}) + "\n")
            continue
        try:
            scenario = parse_scenario_text(text)
        except MalformedScenario as exc:
            lines.append(json.dumps({"file": path, "error": str(exc)}) + "\n")
            continue
        lines.append(json.dumps({"file": path, "outcome": outcome(run(scenario))}) + "\n")
    return "".join(lines), unreadable


def _tables(files: list[str]) -> int:
    """Each file's replay as a table under its name; returns how many could not be read."""
    from disputedesk.replay import MalformedScenario

    unreadable = 0
    write = sys.stdout.write
    for path in files:
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as exc:
            unreadable += 1
            sys.stderr.write(f"{path}: cannot read: {exc}\n")
            continue
        from disputedesk.report import print_file_heading

        print_file_heading(path)
        try:
            _print_one(text, "table")
        except MalformedScenario as exc:
            write(f"  malformed: {exc}\n")
    return unreadable


def _replay_whatif(paths: list[str], overrides_file: Path, output: str) -> int:
    """`replay --overrides`: the what-if report over a scenario corpus (malformed files are
    named among the skipped)."""
    import typer

    from disputedesk.commands.whatif import WhatIfFormat, load_overrides, print_report
    from disputedesk.replay import MalformedScenario, parse_scenario_text, scenario_paths
    from disputedesk.whatif import compare

    try:
        changes = load_overrides(overrides_file)
    except typer.Exit as exc:  # load_overrides said why on standard error
        return exc.exit_code
    cases, skipped = [], []
    for path in scenario_paths(paths):
        try:
            cases.append((path, parse_scenario_text(_read(path))))
        except (OSError, UnicodeDecodeError) as exc:
            skipped.append((path, f"cannot read: {exc}"))
        except MalformedScenario as exc:
            skipped.append((path, str(exc)))
    report = compare(cases, changes)
    report.skipped.extend(skipped)
    print_report(report.to_json(), WhatIfFormat(output))
    return 0
