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
    overrides: Annotated[
        Path | None,
        typer.Option(
            "--overrides",
            metavar="FILE",
            help="What-if: replay the scenarios as written and with these policy parameters "
            '(a JSON object, e.g. {"seller_response_days": 3}) and report what would differ.',
        ),
    ] = None,
) -> None:
    """Replay a dispute scenario (RULES.md section 11) and print its outcome.

    One FILE (or '-'): prints the outcome as JSON; a malformed scenario exits with status 2 and
    one line on standard error naming the field and the event's index.

    Several paths, or a DIR (its *.json files, recursively): replays them all in this process and
    prints JSON Lines, one {"file": ..., "outcome": {...}} or {"file": ..., "error": "..."} per
    scenario; exits 0 unless a path cannot be read.
    """
    from disputedesk.replay import MalformedScenario, scenario_paths

    if overrides is not None:
        _replay_whatif(paths, overrides, output)
        return
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


def _replay_whatif(paths: list[str], overrides_file: Path, output: OutputFormat) -> None:
    """`replay --overrides`: the what-if report over a scenario corpus (malformed files are
    named among the skipped)."""
    from disputedesk.commands.whatif import WhatIfFormat, load_overrides, print_report
    from disputedesk.replay import MalformedScenario, parse_scenario_text, scenario_paths
    from disputedesk.whatif import compare

    changes = load_overrides(overrides_file)
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
    print_report(
        report.to_json(), WhatIfFormat(output.value if output.value == "json" else "table")
    )


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


# --------------------------------------------------------------------------------------------
# The store: migrations, the worker, the event log


db_app = typer.Typer(help="The database: migrations and schema status.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"disputedesk: {message}", err=True)
    return typer.Exit(code)


def open_database(*, check_schema: bool = True):  # -> Database
    """The configured database (DISPUTEDESK_DATABASE_URL), refusing an outdated schema."""
    from sqlalchemy.exc import OperationalError

    from disputedesk.store.db import Database, SchemaOutdated

    db = Database()
    if check_schema:
        try:
            db.check_schema()
        except SchemaOutdated as exc:
            raise _fail(str(exc)) from None
        except OperationalError as exc:
            raise _fail(f"cannot open the database {db.safe_url}: {exc.orig}") from None
    return db


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (DISPUTEDESK_DATABASE_URL; unset: ./disputedesk.db, SQLite)."""
    from sqlalchemy.exc import OperationalError

    db = open_database(check_schema=False)
    try:
        before, after = db.upgrade()
    except OperationalError as exc:
        raise _fail(f"cannot open the database {db.safe_url}: {exc.orig}") from None
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


def _instant_option(value: str | None, name: str):  # -> datetime | None
    from disputedesk.rules.instants import parse_instant

    if value is None:
        return None
    t = parse_instant(value)
    if t is None:
        raise _fail(f"{name}: {value!r} is not a UTC instant like 2026-03-14T12:00:00Z")
    return t


@app.command()
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

    fixed = _instant_option(now, "--now")
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


@app.command()
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
        raise _fail(exc.message, 1) from None
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


@app.command()
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
        raise _fail("rebuild needs --check (it compares the projections with the event log)")
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


@app.command("import")
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
        raise _fail(str(exc)) from None
    except SQLAlchemyError as exc:
        raise _fail(
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
        raise _fail(
            f"nothing imported: {report.bad} bad row(s); fix them, or pass --skip-bad-rows "
            "to import the good ones",
            1,
        )


# --------------------------------------------------------------------------------------------
# Accounts and the API server


users_app = typer.Typer(
    help="User accounts: buyers, sellers' staff, arbitrators, admins.", no_args_is_help=True
)
tokens_app = typer.Typer(
    help="API tokens (bearer auth). A token is shown once.", no_args_is_help=True
)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="The user's email (their login).")],
    name: Annotated[str, typer.Option(help="The name shown to others.")],
    role: Annotated[str, typer.Option(help="buyer, seller, arbitrator or admin.")],
    buyer_id: Annotated[
        str | None,
        typer.Option(help="For a buyer: the buyer id their orders carry (created when new)."),
    ] = None,
    store: Annotated[
        str | None, typer.Option(help="For a seller: a store to join (created when new).")
    ] = None,
    store_role: Annotated[str, typer.Option(help="owner or agent, with --store.")] = "owner",
    password: Annotated[
        bool, typer.Option("--password", help="Ask for a password (for the web desk).")
    ] = False,
) -> None:
    """Create a user."""
    from disputedesk.services.accounts import create_user
    from disputedesk.services.commands import ServiceError

    secret = (
        typer.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    )
    try:
        user = create_user(
            open_database(),
            email=email,
            name=name,
            role=role,
            buyer_id=buyer_id,
            store_id=store,
            store_role=store_role,
            password=secret,
        )
    except ServiceError as exc:
        raise _fail(f"{exc.code}: {exc.message}", 1) from None
    extra = f", buyer {user.buyer_id}" if user.buyer_id else ""
    extra += "".join(f", {r} of store {s}" for s, r in user.stores.items())
    typer.echo(f"created user {user.user_id} {user.email} ({user.role}{extra})")


@tokens_app.command("create")
def tokens_create(
    email: Annotated[str, typer.Option(help="Whose token.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
) -> None:
    """Create an API token and print it (once: only its hash is stored)."""
    from disputedesk.services.accounts import create_token
    from disputedesk.services.commands import ServiceError

    try:
        new = create_token(open_database(), email=email, name=name)
    except ServiceError as exc:
        raise _fail(f"{exc.code}: {exc.message}", 1) from None
    typer.echo(new.token)
    typer.echo(f"(token {new.prefix}… for {new.user.email}; it is not shown again)", err=True)


@tokens_app.command("revoke")
def tokens_revoke(prefix: Annotated[str, typer.Argument(help="The token's prefix.")]) -> None:
    """Revoke the tokens that start with PREFIX (as printed at creation)."""
    from disputedesk.services.accounts import revoke_token

    count = revoke_token(open_database(), prefix)
    typer.echo(f"revoked {count} token(s)")
    if not count:
        raise typer.Exit(1)


def _trusted_proxies(value: str | None) -> str | None:
    """--forwarded-allow-ips, checked: uvicorn takes a mistyped entry as a name that never
    matches, so a typo would silently trust nobody (or, with '*' among others, not everyone)."""
    import ipaddress

    entries = [entry.strip() for entry in (value or "").split(",") if entry.strip()]
    if not entries:
        return None
    if entries == ["*"]:
        return "*"
    for entry in entries:
        try:
            if "/" in entry:
                ipaddress.ip_network(entry)
            else:
                ipaddress.ip_address(entry)
        except ValueError:
            raise typer.BadParameter(
                f"{entry!r} is not an IP address or network (CIDR, no host bits set); "
                "'*' (any proxy) must stand alone"
            ) from None
    return ",".join(entries)


ForwardedAllowIps = Annotated[
    str | None,
    typer.Option(
        envvar="DISPUTEDESK_FORWARDED_ALLOW_IPS",
        callback=_trusted_proxies,
        help="Trusted proxies (comma-separated addresses or CIDR networks, or '*'): only "
        "requests from these may set the client address and scheme with X-Forwarded-For and "
        "X-Forwarded-Proto. Default: none; the client is the connection's peer.",
    ),
]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    forwarded_allow_ips: ForwardedAllowIps = None,
) -> None:
    """Serve the REST API (OpenAPI at /openapi.json, docs at /docs) and the web desk (/desk/)
    with uvicorn. Run `disputedesk worker` beside it for the automatic steps."""
    import uvicorn

    open_database().dispose()  # refuse an outdated schema before binding the port
    uvicorn.run(
        "disputedesk.api.server:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # uvicorn would believe X-Forwarded-* from 127.0.0.1 (or $FORWARDED_ALLOW_IPS) by
        # default: any local process could then pose as any client, e.g. to the sign-in throttle
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
    )


@app.command()
def demo(
    folder: Annotated[
        Path, typer.Option(help="Where the demo's SQLite database and evidence files go.")
    ] = Path("demo"),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    orders: Annotated[int, typer.Option(min=50, help="Orders in the marketplace.")] = 500,
    seed: Annotated[int, typer.Option(help="The generator's seed (same seed, same shops).")] = 7,
    interval: Annotated[float, typer.Option(help="Seconds between worker sweeps.")] = 5.0,
    build_only: Annotated[
        bool, typer.Option("--build-only", help="Build the marketplace, print logins, exit.")
    ] = False,
    forwarded_allow_ips: ForwardedAllowIps = None,
) -> None:
    """Build a fresh demo marketplace over SQLite and serve the web desk and the API, with the
    worker in the same process. Prints the URL and the sign-ins for every role."""
    import logging

    from rich.table import Table

    from disputedesk.api.settings import ApiSettings
    from disputedesk.demo.marketplace import build_demo
    from disputedesk.report import console
    from disputedesk.services.commands import utc_now
    from disputedesk.store.db import Database

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "disputedesk-demo.db"
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    out = console()
    out.print(f"Building the demo marketplace ({orders} orders) in {path} ...")
    summary = build_demo(db, now=utc_now(), seed=seed, orders=orders)
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(summary.disputes_by_status.items()))
    out.print(f"{summary.orders} orders; disputes by status: {statuses}")
    table = Table(title="Sign in with", show_lines=False)
    for column in ("role", "email", "password", "who"):
        table.add_column(column)
    for login in summary.logins:
        table.add_row(login.role, login.email, login.password, login.what)
    out.print(table)
    if build_only:
        db.dispose()
        return
    import uvicorn

    from disputedesk.api.app import create_app
    from disputedesk.services.background import BackgroundWorker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = ApiSettings(data_dir=folder / "data")
    background = BackgroundWorker(
        db,
        interval=interval,
        webhook_timeout=settings.webhook_timeout_seconds,
        webhook_allow_private_targets=settings.webhook_allow_private_targets,
    )
    background.start()
    out.print(
        f"\n[bold]disputedesk is at http://{host}:{port}/desk/[/bold] "
        f"(API docs: http://{host}:{port}/docs). Ctrl+C stops it."
    )
    try:
        uvicorn.run(
            create_app(db, settings),
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=forwarded_allow_ips is not None,
            forwarded_allow_ips=forwarded_allow_ips,
        )
    finally:
        background.stop()
        db.dispose()


# --------------------------------------------------------------------------------------------
# Evidence files


evidence_app = typer.Typer(
    help="Evidence files in the data folder (DISPUTEDESK_DATA_DIR).", no_args_is_help=True
)
app.add_typer(evidence_app, name="evidence")


@evidence_app.command("gc")
def evidence_gc(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be removed; remove nothing.")
    ] = False,
    grace_minutes: Annotated[
        int,
        typer.Option(
            min=0, help="Leave files younger than this alone (an upload may be committing)."
        ),
    ] = 60,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="The data folder (default: DISPUTEDESK_DATA_DIR, else ./data)."),
    ] = None,
) -> None:
    """Remove the evidence files no evidence row points at, and stale temporary uploads."""
    from disputedesk.api.settings import ApiSettings
    from disputedesk.services.evidence_files import collect_garbage

    folder = data_dir or ApiSettings().data_dir
    if not folder.is_dir():
        raise _fail(f"{folder}: no such data folder")
    db = open_database()
    try:
        result = collect_garbage(db, folder, grace_seconds=grace_minutes * 60, dry_run=dry_run)
    finally:
        db.dispose()
    verb = "would remove" if dry_run else "removed"
    for item in result.removed:
        what = "temporary file" if item.temporary else "unreferenced file"
        typer.echo(f"{verb} {item.path} ({what}, {item.size} bytes)")
    freed = "would free" if dry_run else "freed"
    typer.echo(f"{len(result.removed)} file(s), {freed} {result.freed} bytes")


from disputedesk.commands.advise import advise  # noqa: E402
from disputedesk.commands.report import report_app  # noqa: E402
from disputedesk.commands.whatif import whatif  # noqa: E402

app.add_typer(report_app, name="report")
app.command("whatif")(whatif)
app.command("advise")(advise)


# --------------------------------------------------------------------------------------------
# The carrier advisor


carriers_app = typer.Typer(
    help="The carrier advisor: delivery figures per destination country and carrier.",
    no_args_is_help=True,
)
app.add_typer(carriers_app, name="carriers")


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
        raise _fail(f"--country: {country!r} is not a 2-letter country code like BR")
    try:
        start = date.fromisoformat(since) if since is not None else None
    except ValueError:
        raise _fail(f"--since: {since!r} is not a date like 2026-01-01") from None
    now = _instant_option(as_of, "--as-of") or utc_now()
    db = open_database()
    try:
        result = carriers.report(
            db, store, now=now, since=start, country=country, min_shipments=min_shipments
        )
    except ServiceError as exc:
        raise _fail(f"{exc.code}: {exc.message}", 1) from None
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


# --------------------------------------------------------------------------------------------
# Tracking: the classifier over JSON Lines


tracking_app = typer.Typer(
    help="Carrier tracking events: normalised to the 15 statuses.", no_args_is_help=True
)
app.add_typer(tracking_app, name="tracking")


@tracking_app.command("classify")
def tracking_classify(
    file: Annotated[
        str,
        typer.Argument(
            metavar="[FILE|-]", help="JSON Lines of carrier events; - or none: standard input."
        ),
    ] = "-",
) -> None:
    """Classify carrier tracking events: JSON Lines in, JSON Lines out.

    Each line is an object with the keys of ../shared/tracking/events.jsonl: carrier, raw_code,
    description, location, at, and optionally extra. Each is written back unchanged, plus
    "status" (no_info, info_received, accepted, in_transit, arrived_dest_country, in_customs,
    action_required, at_local_office, out_for_delivery, available_for_pickup,
    delivery_attempted, delivered, returning, returned or exception) and "notice_left" (true,
    or null when the text is silent or the status is neither a pickup nor an attempt), plus
    "unclassified": true when no rule knew the text (the status is then exception).

    A bad line (not JSON, not an object) is reported on standard error as LINE: message and
    the run goes on; the exit status is then 1. Blank lines are skipped. Exit 2 when the file
    cannot be read. Example: disputedesk tracking classify events.jsonl > classified.jsonl
    """
    from disputedesk.tracking.classifier import classify
    from disputedesk.tracking.taxonomy import TrackingStatus

    # What each judgement appends to an object, as bytes, so a line is spliced, not re-encoded.
    tails: dict[tuple[object, ...], bytes] = {}
    for status in TrackingStatus:
        for notice in (None, True):
            for unclassified in (False, True):
                extra = {"status": status.value, "notice_left": notice}
                if unclassified:
                    extra["unclassified"] = True
                tails[(status, notice, unclassified)] = json.dumps(extra)[1:].encode()
    replaced = {key: json.loads(b"{" + tail) for key, tail in tails.items()}

    try:
        source = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
    except OSError as exc:
        raise _fail(f"{file}: {exc.strerror or exc}") from None
    out = sys.stdout.buffer
    loads = json.loads
    pending: list[bytes] = []
    bad = 0
    with source:
        for number, raw in enumerate(source, 1):
            line = raw.strip()
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line:
                continue
            try:
                event = loads(line.decode())
            except ValueError as exc:
                bad += 1
                typer.echo(f"{number}: not JSON ({exc})", err=True)
                continue
            if not isinstance(event, dict):
                bad += 1
                typer.echo(f"{number}: not a JSON object ({type(event).__name__})", err=True)
                continue
            judged = classify(event)
            key = (judged.status, judged.notice_left, judged.unclassified)
            if "status" in event or "notice_left" in event or "unclassified" in event:
                event.pop("unclassified", None)  # the input's own, replaced by the judgement's
                event.pop("status", None)
                event.pop("notice_left", None)
                event.update(replaced[key])
                pending.append(json.dumps(event, ensure_ascii=False).encode())
            elif event:
                pending.append(line[:-1].rstrip() + b", " + tails[key])
            else:
                pending.append(b"{" + tails[key])
            if len(pending) >= 8192:
                out.write(b"\n".join(pending) + b"\n")
                pending.clear()
    if pending:
        out.write(b"\n".join(pending) + b"\n")
    out.flush()
    if bad:
        raise typer.Exit(1)


@tracking_app.command("poll")
def tracking_poll(
    once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
    interval: Annotated[
        float, typer.Option(min=1.0, help="Seconds between rounds (without --once).")
    ] = 3600.0,
    batch: Annotated[
        int, typer.Option(min=1, max=500, help="Tracking numbers per carrier request.")
    ] = 40,
) -> None:
    """Ask the carriers (through karrio) about every parcel on its way, and store what they say.

    Parcels on their way: shipped orders (outbound, or the replacement) and buyers' returns not
    yet received, of the carriers with credentials in DISPUTEDESK_KARRIO_CARRIERS (JSON:
    karrio carrier names and their settings, e.g. {"laposte": {"api_key": "...", "aliases":
    ["Colissimo"]}}; an order's carrier matches a name or an alias without case, spaces or
    punctuation). Events are stored raw and normalised (source karrio), once: polling again
    stores only what is new. Needs karrio and the carriers' plugins (pip install
    'disputedesk[tracking]' karrio-laposte ...). Runs every --interval seconds until Ctrl-C;
    with --once, one round (exit 1 when a carrier failed). Exit 2 when nothing is configured.
    """
    import time

    from disputedesk.api.settings import ApiSettings
    from disputedesk.services.tracking import poll

    text = ApiSettings().karrio_carriers.strip()
    try:
        carriers = json.loads(text) if text else {}
    except ValueError as exc:
        raise _fail(f"DISPUTEDESK_KARRIO_CARRIERS: not JSON: {exc}") from None
    if not isinstance(carriers, dict) or not carriers:
        raise _fail(
            "no carrier is configured: set DISPUTEDESK_KARRIO_CARRIERS, e.g. "
            '\'{"laposte": {"api_key": "..."}}\''
        )
    try:
        from disputedesk.tracking.feeds.karrio_provider import KarrioProvider

        provider = KarrioProvider(carriers)
        for name in carriers:  # settings and plugins checked now, not at the first parcel
            provider.gateway(name)
    except ImportError:
        raise _fail(
            "karrio is not installed: pip install 'disputedesk[tracking]' and the carriers' "
            "plugins (karrio-laposte, karrio-usps, ...)"
        ) from None
    except Exception as exc:  # karrio's settings errors are of many kinds
        raise _fail(f"DISPUTEDESK_KARRIO_CARRIERS: {exc}") from None
    db = open_database()
    try:
        while True:
            report = poll(db, provider, batch_size=batch)
            typer.echo(
                f"asked about {report.asked} parcel(s): {report.events} event(s), "
                f"stored {report.stored}, already there {report.duplicates}"
            )
            for carrier, parcels in sorted(report.not_configured.items()):
                typer.echo(f"no credentials for {carrier}: {parcels} parcel(s) not asked about")
            for problem in report.problems:
                typer.echo(problem, err=True)
            if once:
                if report.problems:
                    raise typer.Exit(1)
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        db.dispose()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
