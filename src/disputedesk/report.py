"""Replay outcomes for people (`disputedesk replay --format table`), drawn with Rich: the
timeline with the countdown to the next automatic step after each entry, then the final state."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

from rich.console import Console
from rich.table import Table

from disputedesk.replay import Replay, Scenario
from disputedesk.rules.instants import format_instant
from disputedesk.rules.lifecycle import due, intervention_due_at
from disputedesk.rules.model import Plan, State
from disputedesk.rules.money import format_money
from disputedesk.rules.vocabulary import STEP_CONSEQUENCES, DisputeStatus


def countdown(delta: timedelta) -> str:
    """ "3 days 23:12:12", as the seller's dispute page writes it (seed 002)."""
    total = int(delta.total_seconds())
    if total <= 0:
        return "now"
    d, rest = divmod(total, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    clock = f"{h:02d}:{m:02d}:{s:02d}"
    if d == 0:
        return clock
    return f"{d} day{'s' if d != 1 else ''} {clock}"


def _next_step(replay: Replay, now: datetime) -> str:
    step = due(replay.state, replay.policy)
    if step is None:
        dispute = replay.state.open_dispute
        if dispute is not None and dispute.status == DisputeStatus.ESCALATED:
            sla = intervention_due_at(dispute, replay.policy)
            return (
                f"none; the platform should intervene within "
                f"{countdown(sla - now) if sla else '-'}\n[dim]by {format_instant(sla)}[/dim]"
            )
        if dispute is not None and dispute.status == DisputeStatus.UNDER_REVIEW:
            return "none; the arbitrator reviews the evidence and rules"
        return "-"
    who = f" unless the {step.waiting_on} acts" if step.waiting_on else ""
    return (
        f"{step.action} in {countdown(step.at - now)}{who}: "
        f"{STEP_CONSEQUENCES.get(step.action, '')}\n[dim]at {format_instant(step.at)}[/dim]"
    )


def console() -> Console:
    """Wide enough for the timeline when the output is a file or a pipe (Rich assumes 80)."""
    return Console() if sys.stdout.isatty() else Console(width=160)


def print_file_heading(path: str) -> None:
    console().rule(f"[bold]{path}")


def print_replay_table(scenario: Scenario) -> None:
    out = console()
    if scenario.comment:
        out.print(f"[italic]{scenario.comment}[/italic]\n")
    replay = Replay(scenario.policy, State(order=scenario.order))
    order = scenario.order
    timeline = Table(title=f"Order {order.id}: timeline", show_lines=False)
    timeline.add_column("at", no_wrap=True)
    timeline.add_column("actor")
    timeline.add_column("action", no_wrap=True)
    timeline.add_column("result")
    timeline.add_column("then: next automatic step")

    def add_entries(start: int, now: datetime) -> None:
        entries = replay.timeline[start:]
        for i, e in enumerate(entries):
            result = "[green]ok[/green]" if e.ok else f"[red]{e.error}[/red]: {e.message}"
            last = i == len(entries) - 1
            timeline.add_row(
                format_instant(e.at),
                e.actor,
                e.action,
                result,
                _next_step(replay, now) if last else "",
            )

    def run_steps_until(instant: datetime) -> None:
        """Fire due steps one instant at a time, so each gets its own countdown row."""
        while (step := due(replay.state, replay.policy)) is not None and step.at <= instant:
            start = len(replay.timeline)
            replay.run_until(step.at)
            add_entries(start, step.at)

    for command in scenario.commands:
        run_steps_until(command.at)
        start = len(replay.timeline)
        replay.apply(command)
        add_entries(start, command.at)
    if scenario.until is not None:
        run_steps_until(scenario.until)
    out.print(timeline)

    final = replay.state.order
    state = Table(title=f"Order {final.id}: final state", show_header=False)
    state.add_column("field", style="bold")
    state.add_column("value")
    state.add_row("status", str(final.status))
    state.add_row("total", f"{format_money(final.total)} {final.currency}")
    state.add_row("refunded", f"{format_money(final.refunded_total)} {final.currency}")
    state.add_row("delivery deadline", format_instant(final.delivery_deadline) or "-")
    state.add_row("completed at", format_instant(final.completed_at) or "-")
    out.print(state)

    for n, d in enumerate(replay.state.disputes, 1):
        sla = intervention_due_at(d, replay.policy)
        table = Table(title=f"Order {final.id}: dispute {n}", show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value")
        rows = [
            ("reason", d.reason),
            ("status", str(d.status)),
            ("resolution", d.resolution),
            ("refund", f"{format_money(d.refund_amount)} {final.currency}"),
            ("buyer's plan (default)", _plan_text(d.buyer_plan, final.currency)),
            ("seller's plan", _plan_text(d.seller_plan, final.currency)),
            ("escalation", d.escalation),
            ("responsibility", d.responsibility),
            ("opened at", format_instant(d.opened_at)),
            ("escalated at", format_instant(d.escalated_at)),
            ("intervention due at", format_instant(sla)),
            ("closed at", format_instant(d.closed_at)),
        ]
        for name, value in rows:
            table.add_row(name, value or "-")
        out.print(table)


def _plan_text(plan: Plan | None, currency: str) -> str | None:
    if plan is None:
        return None
    if plan.amount is None:
        return plan.type
    return f"{plan.type} {format_money(plan.amount)} {currency}"
