"""`disputedesk advise SCENARIO.json`: the ruling assistant's advice for a scenario's last
dispute (RULES.md section 9's principles over its facts), as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer


def advise(
    path: Annotated[
        str, typer.Argument(metavar="FILE|-", help="A scenario file, or '-' for standard input.")
    ],
) -> None:
    """The advice for the scenario's last dispute: {"principle": N|null, "responsibility",
    "refund_amount", "return_required", "penalty_mark", "facts": [...], "missing": [...]}.

    The scenario is RULES.md section 11's; its order may carry `shipping_address` (`recipient`,
    `city`, `zip`, `country`), and a carrier's `tracking` event the classifier's keys
    (`description`, optional `raw_code`, `location` with `city`/`zip`/`country`, optional
    `signed_by`; its `at` is the scan's instant). A malformed scenario exits with status 2 and
    one line on standard error, as `replay` does.
    """
    from disputedesk.advice import advise_text
    from disputedesk.replay import MalformedScenario

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"{path}: cannot read: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        advice = advise_text(text)
    except MalformedScenario as exc:
        typer.echo(f"{'stdin' if path == '-' else path}: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(advice.to_json(), indent=2, ensure_ascii=False))
