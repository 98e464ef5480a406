"""`disputedesk evidence gc`: the evidence files in the data folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from disputedesk.commands.common import fail, open_database

evidence_app = typer.Typer(
    help="Evidence files in the data folder (DISPUTEDESK_DATA_DIR).", no_args_is_help=True
)


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
        raise fail(f"{folder}: no such data folder")
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
