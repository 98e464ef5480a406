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
    csv = "csv"


def _instant(value: str, option: str) -> datetime:
    """An instant option, or exit 2 naming it."""
    from disputedesk.rules.instants import parse_instant

    instant = parse_instant(value)
    if instant is None:
        typer.echo(f"{option}: {value!r} is not a UTC instant YYYY-MM-DDTHH:MM:SSZ", err=True)
        raise typer.Exit(2)
    return instant


class Dimension(StrEnum):
    category = "category"
    reason = "reason"
    country = "country"
    carrier = "carrier"


@report_app.command("metrics")
def metrics(
    scenarios: Annotated[
        list[str] | None,
        typer.Option(
            "--scenarios",
            metavar="FILE|DIR",
            help="Scenario files or folders (*.json, recursively): each scenario is one order "
            "of one store. May be given several times. Without it: the store's event log.",
        ),
    ] = None,
    store: Annotated[
        str | None, typer.Option(help="The store (from the database, DISPUTEDESK_DATABASE_URL).")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(help="30d (the N days up to now; 60d, 90d...) or YYYY-MM (a month)."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="INSTANT", help="Period start, included.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="INSTANT", help="Period end, excluded.")
    ] = None,
    by: Annotated[
        Dimension | None, typer.Option(help="Only this breakdown (all four otherwise).")
    ] = None,
    output: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.json,
) -> None:
    """The NAD dispute rate, the ruling rate and the seller-responsibility ruling rate over an
    assessment period [from, to), with their counts, by category, reason, country and carrier.

    The period: --from and --to (UTC instants), or --period (30d by default for a store).
    JSON: orders_assessed, nad_orders, nad_rate, disputes_opened, disputes_escalated,
    ruling_rate, seller_responsible_rulings, seller_responsibility_rate (rates as numbers, null
    when the denominator is 0), and `by` -> category / country / carrier / reason -> each key
    -> the same eight keys. A scenario that cannot be replayed is skipped and named on standard
    error; the exit status is 2 only for wrong options.
    """
    from disputedesk.rules.metrics import Period, compute
    from disputedesk.services.commands import utc_now
    from disputedesk.services.metrics import parse_period

    if bool(scenarios) == bool(store):
        typer.echo("give --scenarios DIR or --store S (one of them)", err=True)
        raise typer.Exit(2)
    if (start is None) != (end is None) or (start is not None and period is not None):
        typer.echo("give --from and --to together, or --period", err=True)
        raise typer.Exit(2)
    if start is not None and end is not None:
        period_start, period_end = _instant(start, "--from"), _instant(end, "--to")
        if period_end <= period_start:
            typer.echo("--to: must be after --from", err=True)
            raise typer.Exit(2)
        assessed = Period(period_start, period_end)
    else:
        if scenarios and period is None:
            typer.echo("a scenario corpus needs --from and --to (or --period YYYY-MM)", err=True)
            raise typer.Exit(2)
        try:
            assessed = parse_period(period or "30d", utc_now())
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
    if scenarios:
        from disputedesk.services.metrics import scenario_histories

        corpus = scenario_histories(scenarios)
        for path, why in corpus.skipped:
            typer.echo(f"{path}: skipped: {why}", err=True)
        figures = compute(corpus.histories, assessed).to_json()
    else:
        from disputedesk.commands.common import open_database
        from disputedesk.services.metrics import store_metrics

        assert store is not None
        db = open_database()
        try:
            figures = store_metrics(db, store, assessed).to_json()
        finally:
            db.dispose()
    if by is not None:
        figures["by"] = {by.value: figures["by"][by.value]}
    if output is ReportFormat.json:
        typer.echo(json.dumps(figures, indent=2))
    elif output is ReportFormat.csv:
        _print_csv(figures)
    else:
        _print_table(figures)


_KEYS = (
    "orders_assessed",
    "nad_orders",
    "nad_rate",
    "disputes_opened",
    "disputes_escalated",
    "ruling_rate",
    "seller_responsible_rulings",
    "seller_responsibility_rate",
)


def _rows(figures: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    rows = [("store", "", figures)]
    for dimension, keyed in figures["by"].items():
        rows.extend((dimension, key, f) for key, f in keyed.items())
    return rows


def _print_csv(figures: dict[str, Any]) -> None:
    import csv
    import sys

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["breakdown", "key", *_KEYS])
    for dimension, key, f in _rows(figures):
        writer.writerow([dimension, key, *("" if f[k] is None else f[k] for k in _KEYS)])


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

    for dimension, key, f in _rows(figures):
        row(f"{dimension}: {key}" if key else dimension, f)
    out.print(table)
