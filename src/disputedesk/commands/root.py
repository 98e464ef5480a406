"""The `disputedesk` typer application: every sub-command, registered in the order `--help`
lists them. Each command's module imports what its body needs only when it runs."""

from __future__ import annotations

import typer

from disputedesk.commands import accounts, carriers, evidence, replay, serve, store, tracking
from disputedesk.commands.advise import advise
from disputedesk.commands.report import report_app
from disputedesk.commands.whatif import whatif

app = typer.Typer(
    help="disputedesk: a dispute and after-sales desk built on the AliExpress dispute rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs ~100 ms of startup
)


@app.callback()
def _root() -> None:
    """disputedesk: a dispute and after-sales desk built on the AliExpress dispute rules."""


@app.command(
    "replay",
    help=replay.SUMMARY + " (disputedesk replay --help for its options)",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def _replay(ctx: typer.Context) -> None:
    # `disputedesk replay` goes straight to commands.replay (see cli.main); this is the same
    # command reached through the typer application (CliRunner, `python -m disputedesk.cli`)
    raise typer.Exit(replay.main(list(ctx.args)))


app.command()(store.worker)
app.command()(store.events)
app.command()(store.rebuild)
app.command("import")(store.import_rows)
app.command()(serve.serve)
app.command()(serve.demo)
app.command("whatif")(whatif)
app.command("advise")(advise)
app.add_typer(store.db_app, name="db")
app.add_typer(accounts.users_app, name="users")
app.add_typer(accounts.tokens_app, name="tokens")
app.add_typer(evidence.evidence_app, name="evidence")
app.add_typer(report_app, name="report")
app.add_typer(carriers.carriers_app, name="carriers")
app.add_typer(tracking.tracking_app, name="tracking")
