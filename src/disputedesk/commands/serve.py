"""`disputedesk serve` and `demo`: the API and the web desk under uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from disputedesk.commands.common import open_database


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
    from disputedesk.demo import mailbox
    from disputedesk.services.background import BackgroundWorker
    from disputedesk.services.notifications import options_from

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = ApiSettings(data_dir=folder / "data")
    # The demo's email goes to its own mail server on 127.0.0.1 (never to the outside, whatever
    # DISPUTEDESK_SMTP_* say), and the operator reads it at /desk/operator/mail.
    sending = options_from(settings)
    sending.public_url = f"http://{host}:{port}"  # where the unsubscribe links point
    mail_server = mailbox.DemoMailServer() if mailbox.available() else None
    sending.mailer = None
    if mail_server is not None:
        mail_server.start()
        sending.mailer = mail_server.mailer(settings.smtp_from)
        out.print(
            f"Email is caught by the demo's mail server on {mail_server.host}:{mail_server.port}: "
            f"read it at http://{host}:{port}/desk/operator/mail (sign in as the admin)."
        )
    else:
        out.print(
            "Email is not sent: the demo's mail server needs aiosmtpd "
            "(pip install 'disputedesk[demo]'); the delivery log shows what would be."
        )
    background = BackgroundWorker(
        db,
        interval=interval,
        webhook_timeout=settings.webhook_timeout_seconds,
        webhook_allow_private_targets=settings.webhook_allow_private_targets,
        messaging=sending,
    )
    background.start()
    app = create_app(db, settings)
    if mail_server is not None:
        app.state.demo_mailbox = mail_server.mailbox
        app.state.demo_mail_address = f"{mail_server.host}:{mail_server.port}"
    out.print(
        f"\n[bold]disputedesk is at http://{host}:{port}/desk/[/bold] "
        f"(API docs: http://{host}:{port}/docs). Ctrl+C stops it."
    )
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=forwarded_allow_ips is not None,
            forwarded_allow_ips=forwarded_allow_ips,
        )
    finally:
        background.stop()
        if mail_server is not None:
            mail_server.stop()
        db.dispose()
