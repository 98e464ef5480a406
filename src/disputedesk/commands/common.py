"""What the `disputedesk` sub-commands share: failing with one line on standard error, the
configured database (refusing an outdated schema), and a UTC instant given as an option."""

from __future__ import annotations

import typer


def fail(message: str, code: int = 2) -> typer.Exit:
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
            raise fail(str(exc)) from None
        except OperationalError as exc:
            raise fail(f"cannot open the database {db.safe_url}: {exc.orig}") from None
    return db


def instant_option(value: str | None, name: str):  # -> datetime | None
    from disputedesk.rules.instants import parse_instant

    if value is None:
        return None
    t = parse_instant(value)
    if t is None:
        raise fail(f"{name}: {value!r} is not a UTC instant like 2026-03-14T12:00:00Z")
    return t
