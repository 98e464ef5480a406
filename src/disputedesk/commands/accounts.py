"""`disputedesk users` and `tokens`: accounts and API tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from disputedesk.commands.common import fail, open_database

users_app = typer.Typer(
    help="User accounts: buyers, sellers' staff, arbitrators, admins.", no_args_is_help=True
)
tokens_app = typer.Typer(
    help="API tokens (bearer auth). A token is shown once.", no_args_is_help=True
)


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
        raise fail(f"{exc.code}: {exc.message}", 1) from None
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
        raise fail(f"{exc.code}: {exc.message}", 1) from None
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
