"""The `disputedesk` command line's entry point.

`replay` goes straight to `disputedesk.commands.replay` (argparse and the rules core only): a
corpus is often replayed one process per file, so its startup counts. Every other command
runs through the typer application of `disputedesk.commands.root`, whose modules import what a
command needs only when it runs."""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["replay"]:
        from disputedesk.commands.replay import main as replay

        sys.exit(replay(args[1:]))
    from disputedesk.commands.root import app

    app()


def __getattr__(name: str) -> Any:
    """`from disputedesk.cli import app` (tests, embedding), loaded on first use."""
    if name == "app":
        from disputedesk.commands.root import app

        return app
    if name == "open_database":
        from disputedesk.commands.common import open_database

        return open_database
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
