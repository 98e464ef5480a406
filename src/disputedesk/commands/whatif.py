"""`disputedesk whatif` and `disputedesk replay --overrides`: a policy change tried on real
cases (stored ones, or a scenario corpus) before it is made, never touching the live tables."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer


class WhatIfFormat(StrEnum):
    json = "json"
    table = "table"


def load_overrides(path: Path) -> dict[str, Any]:
    """The overrides file: a JSON object of policy parameters, each checked (exit 2 if bad)."""
    from disputedesk.rules.policy import PolicyError, policy_from

    try:
        overrides = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        typer.echo(f"{path}: cannot read the overrides: {exc}", err=True)
        raise typer.Exit(2) from None
    if not isinstance(overrides, dict) or not overrides:
        typer.echo(f"{path}: must be a JSON object of policy parameters", err=True)
        raise typer.Exit(2)
    try:
        policy_from("aliexpress", overrides)
    except PolicyError as exc:
        typer.echo(f"{path}: {exc}", err=True)
        raise typer.Exit(2) from None
    return overrides


def _instant(value: str | None, option: str) -> datetime | None:
    from disputedesk.rules.instants import parse_instant

    if value is None:
        return None
    instant = parse_instant(value)
    if instant is None:
        typer.echo(f"{option}: {value!r} is not a UTC instant YYYY-MM-DDTHH:MM:SSZ", err=True)
        raise typer.Exit(2)
    return instant


def whatif(
    overrides: Annotated[
        Path,
        typer.Option(
            "--overrides",
            metavar="FILE",
            help='A JSON object of policy parameters, e.g. {"seller_response_days": 3}.',
        ),
    ],
    since: Annotated[
        str | None,
        typer.Option(metavar="INSTANT", help="Only orders placed at or after this instant."),
    ] = None,
    store: Annotated[str | None, typer.Option(help="Only this store's orders.")] = None,
    now: Annotated[
        str | None,
        typer.Option(metavar="INSTANT", help="Replay up to this instant (default: now)."),
    ] = None,
    output: Annotated[WhatIfFormat, typer.Option("--format", "-f")] = WhatIfFormat.json,
) -> None:
    """Replay the stored cases under other policy parameters and report what would differ.

    Every stored order is rebuilt from the event log (the commands people sent; the automatic
    steps are recomputed) and replayed up to --now twice, under its policy and with the
    overrides. Reported: refunds, timeouts, escalations and auto-rulings before and after (by
    count and money), and each case that changed. Reads only: nothing is written.
    """
    from disputedesk.commands.common import open_database
    from disputedesk.services.commands import utc_now
    from disputedesk.services.whatif import whatif_stored

    changes = load_overrides(overrides)
    until = _instant(now, "--now") or utc_now()
    db = open_database()
    try:
        report = whatif_stored(
            db, changes, now=until, since=_instant(since, "--since"), store_id=store
        )
    finally:
        db.dispose()
    print_report(report.to_json(), output)


def print_report(report: dict[str, Any], output: WhatIfFormat) -> None:
    if output is WhatIfFormat.json:
        typer.echo(json.dumps(report, indent=2))
        return
    from rich.table import Table

    from disputedesk.report import console

    out = console()
    totals = Table(title=f"What if {json.dumps(report['overrides'])}")
    for column in ("", "before", "after"):
        totals.add_column(column, justify="right" if column else "left")
    for key in (
        "cases",
        "refunds",
        "refunded",
        "timeouts",
        "escalations",
        "auto_rulings",
        "refused",
    ):
        totals.add_row(key, str(report["before"][key]), str(report["after"][key]))
    out.print(totals)
    out.print(f"{report['changed_cases']} of {report['cases']} cases would change")
    for diff in report["changed"]:
        out.print(f"  {diff['case']}: {'; '.join(diff['changes'])}")
    for skipped in report["skipped"]:
        out.print(f"  skipped {skipped['case']}: {skipped['why']}")
