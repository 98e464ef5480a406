"""`disputedesk db`, `worker`, `events`, `rebuild` and `import`: the store, its migrations, the
worker that fires due deadlines, and the event log."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from disputedesk.commands.common import fail, instant_option, open_database

db_app = typer.Typer(help="The database: migrations and schema status.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (DISPUTEDESK_DATABASE_URL; unset: ./disputedesk.db, SQLite)."""
    from sqlalchemy.exc import OperationalError

    db = open_database(check_schema=False)
    try:
        before, after = db.upgrade()
    except OperationalError as exc:
        raise fail(f"cannot open the database {db.safe_url}: {exc.orig}") from None
    if before == after:
        typer.echo(f"{db.safe_url}: schema already at revision {after}")
    else:
        typer.echo(f"{db.safe_url}: schema upgraded from {before or 'empty'} to {after}")


@db_app.command("status")
def db_status() -> None:
    """Print the database's schema revision and the one this disputedesk needs."""
    db = open_database(check_schema=False)
    current, head = db.current_revision(), db.head_revision()
    state = "up to date" if current == head else "OUTDATED: run `disputedesk db upgrade`"
    typer.echo(f"{db.safe_url}: schema at {current or 'empty'}, needs {head}: {state}")
    if current != head:
        raise typer.Exit(1)


def worker(
    once: Annotated[bool, typer.Option(help="Fire everything due now, then exit.")] = False,
    batch: Annotated[int, typer.Option(min=1, help="Orders claimed per transaction.")] = 500,
    now: Annotated[
        str | None,
        typer.Option(
            help="Run the clock at this instant (demos, tests), e.g. 2026-03-14T12:00:00Z; "
            "default: the wall clock."
        ),
    ] = None,
    interval: Annotated[
        float, typer.Option(min=0.1, help="Seconds between sweeps when not --once.")
    ] = 5.0,
) -> None:
    """Fire due deadlines: claim due orders, step the rules to now, commit; then deliver the
    outbox's webhooks (signed, retried with backoff for a day), and every
    DISPUTEDESK_WATCH_INTERVAL_SECONDS (300) run the shipment watch (alerts to the stores);
    then send what the stores' triggers, the reminders before every deadline and the
    auto-replies call for (in-app, email over DISPUTEDESK_SMTP_*, webhook); and every
    DISPUTEDESK_REDLINE_INTERVAL_SECONDS (3600) raise the red-line warnings (80% of a line)
    and the monthly penalties.

    Several workers may run on one PostgreSQL database: each order is claimed by one of them
    (FOR UPDATE SKIP LOCKED) and every deadline fires exactly once.
    """
    import signal

    from disputedesk.api.settings import ApiSettings
    from disputedesk.services import webhooks
    from disputedesk.services.commands import utc_now
    from disputedesk.services.worker import SweepReport, run, sweep

    fixed = instant_option(now, "--now")
    db = open_database()
    settings = ApiSettings()
    allow_private = settings.webhook_allow_private_targets
    poster = webhooks.http_poster(settings.webhook_timeout_seconds, allow_private=allow_private)

    def clock():  # -> datetime
        return fixed or utc_now()

    def deliver_webhooks() -> None:
        sent = webhooks.run_once(db, clock(), poster, allow_private=allow_private)
        if sent.attempted:
            typer.echo(
                f"webhooks: {sent.delivered} delivered, {sent.failed} given up, "
                f"{sent.attempted - sent.delivered - sent.failed} to retry"
            )
        said = watch.run_and_tell(clock(), force=once)  # the shipment watch, when due
        if said:
            typer.echo(said)
        said = messages.run_and_tell(clock())  # notices, reminders, auto-replies, email
        if said:
            typer.echo(said)
        said = red_lines.run_and_tell(clock(), force=once)  # metric alerts and penalties
        if said:
            typer.echo(said)

    from disputedesk.services.shipment_watch import ScheduledWatch

    watch = ScheduledWatch(db)
    from disputedesk.services.notifications import MessagingJob, options_from

    messages = MessagingJob(db, options_from(settings))
    from disputedesk.services.redlines import ScheduledAssessment

    red_lines = ScheduledAssessment(db)

    if once:
        report = sweep(db, clock(), batch=batch)
        typer.echo(
            f"fired {report.steps} step(s) on {report.orders} order(s) "
            f"in {report.batches} batch(es)"
        )
        deliver_webhooks()
        return
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def report_sweep(report: SweepReport) -> None:
        if report.steps:
            typer.echo(
                f"{clock().isoformat()}: fired {report.steps} step(s) on {report.orders} order(s)"
            )
        deliver_webhooks()

    typer.echo(f"worker: sweeping {db.safe_url} every {interval:g}s (Ctrl-C to stop)")
    run(
        db,
        batch=batch,
        interval=interval,
        clock=clock,
        should_stop=lambda: stopping,
        on_sweep=report_sweep,
    )


def events(
    order_id: Annotated[str, typer.Argument(help="The order's id.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
) -> None:
    """Print an order's event log: every accepted command and automatic step, in order."""
    from disputedesk.rules.instants import format_instant
    from disputedesk.services.commands import ServiceError
    from disputedesk.services.queries import event_log

    db = open_database()
    try:
        log = event_log(db, order_id)
    except ServiceError as exc:
        raise fail(exc.message, 1) from None
    if as_json:
        for e in log:
            sys.stdout.write(
                json.dumps(
                    {
                        "seq": e.seq,
                        "at": format_instant(e.at),
                        "actor": e.actor,
                        "action": e.action,
                        "data": e.data,
                        "recorded_at": format_instant(e.recorded_at),
                    }
                )
                + "\n"
            )
        return
    from rich.table import Table

    from disputedesk.report import console

    table = Table(title=f"Order {order_id}: event log ({len(log)} events)")
    table.add_column("seq", justify="right")
    table.add_column("at", no_wrap=True)
    table.add_column("actor")
    table.add_column("action", no_wrap=True)
    table.add_column("data")
    for e in log:
        table.add_row(
            str(e.seq),
            format_instant(e.at),
            e.actor,
            e.action,
            json.dumps(e.data, ensure_ascii=False) if e.data else "",
        )
    console().print(table)


def rebuild(
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Rebuild every projection from the event log and report differences "
            "(required: projections are only ever checked, never rewritten).",
        ),
    ] = False,
) -> None:
    """Rebuild every order's state from its event log and compare it with what is stored.

    Exits 1 when there is any difference, naming each.
    """
    if not check:
        raise fail("rebuild needs --check (it compares the projections with the event log)")
    from disputedesk.services.rebuild import rebuild as run_rebuild

    report = run_rebuild(open_database())
    for line in report.differences:
        typer.echo(line)
    typer.echo(
        f"rebuilt {report.orders} order(s) from {report.events} event(s): "
        f"{len(report.differences)} difference(s)"
    )
    if report.differences:
        raise typer.Exit(1)


class ImportKind(StrEnum):
    orders = "orders"
    shipments = "shipments"
    tracking = "tracking"


class ImportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


def import_rows(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The file to import.")],
    kind: Annotated[
        ImportKind | None,
        typer.Option(help="What the file holds; default: told by its columns."),
    ] = None,
    file_format: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format", help="csv or jsonl; default: by the extension (.csv, .jsonl, .ndjson)."
        ),
    ] = None,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Import the good rows, report the bad ones.")
    ] = False,
) -> None:
    """Import orders or shipments from CSV (a header row) or JSON Lines (an object a line).

    Every row is checked first; a bad row is printed as LINE: FIELD: message, and a file with
    any bad row imports nothing (exit 1) unless --skip-bad-rows. Importing a file again changes
    nothing: rows already there are skipped; an existing order with other content is a bad row.
    Exit 0 when imported, 1 when bad rows stopped it, 2 for an unreadable file or wrong usage.

    Orders (told by an id column). Required: id, store_id, buyer_id (letters, digits . _ : -;
    stores and buyers are created when new), amount (money: 100 or 100.00), currency (USD),
    placed_at (UTC: 2026-03-02T08:00:00Z), promised_delivery_days (0-3650). Optional: shipping
    (money, default 0), destination_country (BR), destination_address, shipping_address (its
    parts recipient, line1, line2, city, state, zip, country, phone; in CSV as JSON text),
    category (apparel/shoes), items (a list; in CSV as JSON text: [{"sku": "A1", "qty": 2}]),
    policy (aliexpress).

    Shipments (told by an order_id column), each the seller's `ship`: order_id, carrier,
    tracking_number, shipped_at (UTC), all required. The order must exist; one already shipped
    with the same carrier and tracking number is skipped, with another one is a bad row.

    Tracking (told by a description or raw_code column), each a carrier event stored raw and
    normalised: order_id or tracking_number (every order shipped with it), description and/or
    raw_code, carrier, at (as the carrier wrote it), location (a place, or in CSV a JSON object
    as text; or city, state, zip, country, facility columns), extra (a JSON object). An event
    already stored, from any feed, is skipped.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from disputedesk.importing import ImportFileError, import_file
    from disputedesk.importing.progress import stderr_progress

    db = open_database()
    try:
        with stderr_progress() as progress:
            report = import_file(
                db,
                file,
                kind=kind.value if kind else None,
                fmt=file_format.value if file_format else None,
                skip_bad_rows=skip_bad_rows,
                progress=progress,
            )
    except ImportFileError as exc:
        raise fail(str(exc)) from None
    except SQLAlchemyError as exc:
        raise fail(
            f"the import stopped on a database error: {getattr(exc, 'orig', None) or exc}; "
            "what was written stays, and running the same import again completes it",
            1,
        ) from None
    for bad in report.bad_rows.first:
        typer.echo(str(bad), err=True)
    if report.bad > len(report.bad_rows.first):
        typer.echo(f"... and {report.bad - len(report.bad_rows.first)} more bad rows", err=True)
    typer.echo(f"{file}: {report.kind}: {report.summary()}")
    if report.stopped:
        raise fail(
            f"nothing imported: {report.bad} bad row(s); fix them, or pass --skip-bad-rows "
            "to import the good ones",
            1,
        )
