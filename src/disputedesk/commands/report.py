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


class Engine(StrEnum):
    auto = "auto"
    sql = "sql"
    duckdb = "duckdb"


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
    all_stores: Annotated[
        bool,
        typer.Option(
            "--all-stores", help="Every store with an order assessed in the period (the database)."
        ),
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            help="How the event log is read: sql (the database's indexes: one store's "
            "dashboard), duckdb (DuckDB attached read-only: the extra [analytics]), or auto "
            "(duckdb for --all-stores over a large log on PostgreSQL when installed, else sql).",
        ),
    ] = Engine.auto,
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
    -> the same eight keys; with --all-stores, an object of those by store (CSV: a store
    column). A scenario that cannot be replayed is skipped and named on standard error; the exit
    status is 2 only for wrong options (and for --engine duckdb without DuckDB).
    """
    from disputedesk.rules.metrics import Period, compute
    from disputedesk.services.commands import utc_now
    from disputedesk.services.metrics import parse_period

    if sum((bool(scenarios), bool(store), all_stores)) != 1:
        typer.echo("give --scenarios DIR, --store S or --all-stores (one of them)", err=True)
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

        db = open_database()
        try:
            found = _read_log(db, engine, assessed, store)
        finally:
            db.dispose()
        if store is not None:
            figures = found[store]
        else:
            for each in found.values():
                _only(each, by)
            if output is ReportFormat.json:
                typer.echo(json.dumps(found, indent=2))
            elif output is ReportFormat.csv:
                _print_csv(found)
            else:
                for store_id, each in found.items():
                    _print_table(each, f"Seller metrics: {store_id}")
            return
    _only(figures, by)
    if output is ReportFormat.json:
        typer.echo(json.dumps(figures, indent=2))
    elif output is ReportFormat.csv:
        _print_csv({"": figures})
    else:
        _print_table(figures)


def _only(figures: dict[str, Any], by: Dimension | None) -> None:
    if by is not None:
        figures["by"] = {by.value: figures["by"][by.value]}


def _read_log(db: Any, engine: Engine, period: Any, store: str | None) -> dict[str, dict[str, Any]]:
    """The figures by store from the event log, read by `engine` (services/metrics.py, or
    services/metrics_duckdb.py: the same rules core either way)."""
    from disputedesk.services import metrics_duckdb
    from disputedesk.services.metrics import all_store_metrics, store_metrics

    use_duckdb = engine is Engine.duckdb or (
        engine is Engine.auto and store is None and metrics_duckdb.preferred(db)
    )
    if not use_duckdb:
        if store is not None:
            return {store: store_metrics(db, store, period).to_json()}
        return {s: m.to_json() for s, m in all_store_metrics(db, period).items()}
    try:
        if store is not None:
            return {store: metrics_duckdb.store_metrics_duckdb(db, store, period).to_json()}
        return {
            s: m.to_json() for s, m in metrics_duckdb.all_store_metrics_duckdb(db, period).items()
        }
    except metrics_duckdb.DuckDBUnavailable as exc:
        typer.echo(f"--engine duckdb: {exc}", err=True)
        raise typer.Exit(2) from None


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


def _print_csv(by_store: dict[str, dict[str, Any]]) -> None:
    """One store's rows (under the key ""), or every store's with a store column first."""
    import csv
    import sys

    writer = csv.writer(sys.stdout, lineterminator="\n")
    lead = [] if "" in by_store else ["store"]
    writer.writerow([*lead, "breakdown", "key", *_KEYS])
    for store, figures in by_store.items():
        first = [store] if lead else []
        for dimension, key, f in _rows(figures):
            writer.writerow(
                [*first, dimension, key, *("" if f[k] is None else f[k] for k in _KEYS)]
            )


def _print_table(figures: dict[str, Any], title: str = "Seller metrics") -> None:
    from rich.table import Table

    from disputedesk.report import console

    def percent(rate: float | None) -> str:
        return "-" if rate is None else f"{rate * 100:.2f}%"

    out = console()
    table = Table(title=title)
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
