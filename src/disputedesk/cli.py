"""The `disputedesk` command line. Imports stay lazy: `replay` over thousands of files is one
process, and its startup counts."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="disputedesk: a dispute and after-sales desk built on the AliExpress dispute rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


@app.callback()
def _root() -> None:
    """disputedesk: a dispute and after-sales desk built on the AliExpress dispute rules."""


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    return Path(path).read_text(encoding="utf-8")


@app.command()
def replay(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE|DIR|-...",
            help="A scenario file, '-' for standard input, or several files and directories.",
        ),
    ],
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: the outcome of RULES.md section 11; "
            "table: the same outcome for people, with countdowns.",
        ),
    ] = OutputFormat.json,
) -> None:
    """Replay a dispute scenario (RULES.md section 11) and print its outcome.

    One FILE (or '-'): prints the outcome as JSON; a malformed scenario exits with status 2 and
    one line on standard error naming the field and the event's index.

    Several paths, or a DIR (its *.json files, recursively): replays them all in this process and
    prints JSON Lines, one {"file": ..., "outcome": {...}} or {"file": ..., "error": "..."} per
    scenario; exits 0 unless a path cannot be read.
    """
    from disputedesk.replay import MalformedScenario, scenario_paths

    single = len(paths) == 1 and (paths[0] == "-" or not Path(paths[0]).is_dir())
    if single:
        path = paths[0]
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as exc:
            typer.echo(f"{path}: cannot read: {exc}", err=True)
            raise typer.Exit(2) from None
        try:
            _print_one(text, output)
        except MalformedScenario as exc:
            typer.echo(f"{'stdin' if path == '-' else path}: {exc}", err=True)
            raise typer.Exit(2) from None
        return
    unreadable = _replay_many(list(scenario_paths(paths)), output)
    if unreadable:
        raise typer.Exit(1)


def _print_one(text: str, output: OutputFormat) -> None:
    from disputedesk.replay import parse_scenario_text

    scenario = parse_scenario_text(text)
    if output is OutputFormat.table:
        from disputedesk.report import print_replay_table

        print_replay_table(scenario)
        return
    from disputedesk.replay import outcome, run

    sys.stdout.write(json.dumps(outcome(run(scenario)), indent=2) + "\n")


def _replay_many(files: list[str], output: OutputFormat) -> int:
    """Replay every file; returns how many could not be read."""
    from disputedesk.replay import MalformedScenario, parse_scenario_text

    unreadable = 0
    write = sys.stdout.write
    for path in files:
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as exc:
            unreadable += 1
            line = {"file": path, "error": f"cannot read: {exc}"}
            write(json.dumps(line) + "\n") if output is OutputFormat.json else typer.echo(
                f"{path}: cannot read: {exc}", err=True
            )
            continue
        if output is OutputFormat.table:
            from disputedesk.report import print_file_heading

            print_file_heading(path)
            try:
                _print_one(text, output)
            except MalformedScenario as exc:
                typer.echo(f"  malformed: {exc}")
            continue
        try:
            scenario = parse_scenario_text(text)
        except MalformedScenario as exc:
            write(json.dumps({"file": path, "error": str(exc)}) + "\n")
            continue
        from disputedesk.replay import outcome, run

        write(json.dumps({"file": path, "outcome": outcome(run(scenario))}) + "\n")
    return unreadable


def main() -> None:
    app()


if __name__ == "__main__":
    main()
