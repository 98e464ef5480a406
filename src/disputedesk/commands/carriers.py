"""`disputedesk carriers report`: the carrier advisor."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from disputedesk.commands.common import fail, instant_option, open_database

carriers_app = typer.Typer(
    help="The carrier advisor: delivery figures per destination country and carrier.",
    no_args_is_help=True,
)


class CarriersFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@carriers_app.command("report")
def carriers_report(
    store: Annotated[str, typer.Option(help="The store whose shipments are measured.")],
    country: Annotated[
        str | None, typer.Option(help="Only this destination country (2 letters, e.g. BR).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Shipments from this date (UTC), e.g. 2026-01-01; default: 90 days."),
    ] = None,
    min_shipments: Annotated[
        int,
        typer.Option(min=1, help="Shipments with a known outcome a carrier needs to be compared."),
    ] = 20,
    as_of: Annotated[
        str | None,
        typer.Option(help="Measure as of this instant, e.g. 2026-03-14T12:00:00Z; default: now."),
    ] = None,
    output: Annotated[
        CarriersFormat,
        typer.Option(
            "--format",
            "-f",
            help="table: for people; json: the whole report; csv: one row per country and carrier.",
        ),
    ] = CarriersFormat.table,
) -> None:
    """Per destination country and carrier, from the store's own shipments: delivery time
    p50/p90, share delivered within the promise, not-received dispute rate, loss rate, each with
    its counts; and the carrier to prefer, or "too few shipments" when no carrier has enough."""
    import re
    from datetime import date

    from disputedesk.services import carriers
    from disputedesk.services.commands import ServiceError, utc_now

    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise fail(f"--country: {country!r} is not a 2-letter country code like BR")
    try:
        start = date.fromisoformat(since) if since is not None else None
    except ValueError:
        raise fail(f"--since: {since!r} is not a date like 2026-01-01") from None
    now = instant_option(as_of, "--as-of") or utc_now()
    db = open_database()
    try:
        result = carriers.report(
            db, store, now=now, since=start, country=country, min_shipments=min_shipments
        )
    except ServiceError as exc:
        raise fail(f"{exc.code}: {exc.message}", 1) from None
    finally:
        db.dispose()
    if output is CarriersFormat.json:
        sys.stdout.write(json.dumps(result.as_json(), indent=2) + "\n")
    elif output is CarriersFormat.csv:
        _carriers_csv(result)
    else:
        _carriers_table(result)


CARRIERS_CSV_COLUMNS = (
    "country",
    "carrier",
    "shipments",
    "delivered",
    "delivery_days_p50",
    "delivery_days_p90",
    "within_promise",
    "within_promise_of",
    "within_promise_percent",
    "not_received_disputes",
    "not_received_disputes_of",
    "not_received_disputes_percent",
    "lost",
    "lost_of",
    "lost_percent",
    "enough_shipments",
    "recommended",
)


def _carriers_csv(result) -> None:  # result: tracking.advisor.AdvisorReport
    """One row per country and carrier; rates as count, total and percent."""
    import csv

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(CARRIERS_CSV_COLUMNS)
    for advice in result.countries:
        for f in advice.carriers:
            rates = []
            for rate in (f.on_time, f.not_received, f.lost):
                rates += [rate.count, rate.of, "" if rate.percent is None else rate.percent]
            out.writerow(
                [
                    advice.country or "",
                    f.carrier,
                    f.shipments,
                    f.delivered,
                    "" if f.p50_days is None else f.p50_days,
                    "" if f.p90_days is None else f.p90_days,
                    *rates,
                    "yes" if f.enough else "no",
                    "yes" if f is advice.recommended else "no",
                ]
            )


def _carriers_table(result) -> None:  # result: tracking.advisor.AdvisorReport
    from rich.markup import escape
    from rich.table import Table

    from disputedesk.report import console
    from disputedesk.rules.instants import format_instant

    out = console()

    def rate(r) -> str:  # r: tracking.advisor.Rate
        return "-" if r.percent is None else f"{r.percent}% ({r.count} of {r.of})"

    out.print(
        f"Store {escape(result.store_id)}: shipments from {format_instant(result.since)} to "
        f"{format_instant(result.as_of)}; a carrier is compared with at least "
        f"{result.min_shipments} shipments whose outcome is known."
    )
    if not result.countries:
        out.print("No shipments in this window.")
    for advice in result.countries:
        best = advice.recommended
        if best is None:
            verdict = (
                f"too few shipments to recommend a carrier (none has {result.min_shipments} "
                "with a known outcome)"
            )
        else:
            verdict = (
                f"recommended: [bold]{escape(best.carrier)}[/bold], delivered within the promise "
                f"{rate(best.on_time)}, p50 {best.p50_days} / p90 {best.p90_days} days"
                + ("" if advice.compared > 1 else " (the only carrier with enough shipments)")
            )
        table = Table(
            title=f"{advice.country or '(no country)'}: {advice.shipments} shipments; {verdict}",
            title_justify="left",
        )
        for column in (
            "carrier",
            "shipments",
            "delivered",
            "p50 days",
            "p90 days",
            "within promise",
            "not-received disputes",
            "lost",
            "",
        ):
            table.add_column(column)
        for f in advice.carriers:
            note = "recommended" if f is best else ("" if f.enough else "too few")
            table.add_row(
                escape(f.carrier),
                str(f.shipments),
                str(f.delivered),
                "-" if f.p50_days is None else str(f.p50_days),
                "-" if f.p90_days is None else str(f.p90_days),
                rate(f.on_time),
                rate(f.not_received),
                rate(f.lost),
                note,
            )
        out.print(table)
