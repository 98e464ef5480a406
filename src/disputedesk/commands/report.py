"""`disputedesk report`: figures for people. `report metrics` gives RULES.md section 10's three
rates over an assessment period, for a scenario corpus treated as one store."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import typer

report_app = typer.Typer(
    help="Reports: seller metrics (RULES.md section 10).", no_args_is_help=True
)


class ReportFormat(StrEnum):
    json = "json"
    table = "table"


def _instant(value: str, option: str) -> datetime:
    from disputedesk.rules.instants import parse_instant

    instant = parse_instant(value)
    if instant is None:
        typer.echo(f"{option}: {value!r} is not a UTC instant YYYY-MM-DDTHH:MM:SSZ", err=True)
        raise typer.Exit(2)
    return instant


@report_app.command("metrics")
def metrics(
    scenarios: Annotated[
        list[str],
        typer.Option(
            "--scenarios",
            metavar="FILE|DIR",
            help="Scenario files or folders (*.json, recursively): each scenario is one order "
            "of one store. May be given several times.",
        ),
    ],
    start: Annotated[
        str, typer.Option("--from", metavar="INSTANT", help="Period start, included (UTC).")
    ],
    end: Annotated[
        str, typer.Option("--to", metavar="INSTANT", help="Period end, excluded (UTC).")
    ],
    output: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.json,
) -> None:
    """The NAD dispute rate, the ruling rate and the seller-responsibility ruling rate over the
    period [--from, --to), with their counts, by category, country, carrier and reason.

    JSON: orders_assessed, nad_orders, nad_rate, disputes_opened, disputes_escalated,
    ruling_rate, seller_responsible_rulings, seller_responsibility_rate (rates as numbers, null
    when the denominator is 0), and `by` -> category / country / carrier / reason -> each key
    -> the same eight keys. A scenario that cannot be replayed is skipped and named on standard
    error; the exit status is 2 only for wrong options.
    """
    from disputedesk.rules.metrics import Period, compute
    from disputedesk.services.metrics import scenario_histories

    period_start, period_end = _instant(start, "--from"), _instant(end, "--to")
    if period_end <= period_start:
        typer.echo("--to: must be after --from", err=True)
        raise typer.Exit(2)
    corpus = scenario_histories(scenarios)
    for path, why in corpus.skipped:
        typer.echo(f"{path}: skipped: {why}", err=True)
    figures = compute(corpus.histories, Period(period_start, period_end))
    if output is ReportFormat.json:
        typer.echo(json.dumps(figures.to_json(), indent=2))
        return
    _print_table(figures.to_json())


def _print_table(figures: dict[str, Any]) -> None:
    from rich.table import Table

    from disputedesk.report import console

    def percent(rate: float | None) -> str:
        return "-" if rate is None else f"{rate * 100:.2f}%"

    out = console()
    table = Table(title="Seller metrics")
    for column in (
        "",
        "assessed",
        "NAD",
        "NAD rate",
        "opened",
        "escalated",
        "ruling rate",
        "seller resp.",
        "seller resp. rate",
    ):
        table.add_column(column, justify="left" if not column else "right")

    def row(label: str, f: dict[str, Any]) -> None:
        table.add_row(
            label,
            str(f["orders_assessed"]),
            str(f["nad_orders"]),
            percent(f["nad_rate"]),
            str(f["disputes_opened"]),
            str(f["disputes_escalated"]),
            percent(f["ruling_rate"]),
            str(f["seller_responsible_rulings"]),
            percent(f["seller_responsibility_rate"]),
        )

    row("store", figures)
    for dimension, rows in figures["by"].items():
        for key, f in rows.items():
            row(f"{dimension}: {key}", f)
    out.print(table)
