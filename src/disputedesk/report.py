"""Replay outcomes for people (`disputedesk replay --format table`), drawn with Rich: the
timeline with the countdown to the next automatic step after each entry, then the final state."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.console import Console
from rich.table import Table

from disputedesk.replay import Replay, Scenario, intervention_due_at
from disputedesk.rules.instants import format_instant
from disputedesk.rules.lifecycle import due
from disputedesk.rules.model import State
from disputedesk.rules.money import format_money


def countdown(delta: timedelta) -> str:
    """"3 days 23:12:12", as the seller's dispute page writes it (seed 002)."""
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
        if dispute is not None and dispute.escalated_at is not None:
            sla = intervention_due_at(dispute, replay.policy)
            if sla is not None:
                return f"arbitrator to intervene by {format_instant(sla)}"
        return "-"
    who = f" unless the {step.waiting_on} acts" if step.waiting_on else ""
    return (f"{step.action} in {countdown(step.at - now)}{who}\n"
            f"[dim]at {format_instant(step.at)}[/dim]")


def print_file_heading(path: str) -> None:
    Console().rule(f"[bold]{path}")


def print_replay_table(scenario: Scenario) -> None:
    console = Console()
    replay = Replay(scenario.policy, State(order=scenario.order))
    order = scenario.order
    timeline = Table(title=f"Order {order.id}: timeline", show_lines=False)
    for column in ("at", "actor", "action", "result", "next automatic step"):
        timeline.add_column(column)

    def add_entries(start: int, now: datetime) -> None:
        entries = replay.timeline[start:]
        for i, e in enumerate(entries):
            result = "[green]ok[/green]" if e.ok else f"[red]{e.error}[/red]: {e.message}"
            last = i == len(entries) - 1
            timeline.add_row(format_instant(e.at), e.actor, e.action, result,
                             _next_step(replay, now) if last else "")

    for command in scenario.commands:
        start = len(replay.timeline)
        replay.apply(command)
        add_entries(start, command.at)
    if scenario.until is not None:
        start = len(replay.timeline)
        replay.run_until(scenario.until)
        add_entries(start, scenario.until)
    console.print(timeline)

    final = replay.state.order
    state = Table(title=f"Order {final.id}: final state", show_header=False)
    state.add_column("field", style="bold")
    state.add_column("value")
    state.add_row("status", str(final.status))
    state.add_row("total", f"{format_money(final.total)} {final.currency}")
    state.add_row("refunded", f"{format_money(final.refunded_total)} {final.currency}")
    state.add_row("delivery deadline", format_instant(final.delivery_deadline) or "-")
    state.add_row("completed at", format_instant(final.completed_at) or "-")
    console.print(state)

    if replay.state.disputes:
        disputes = Table(title=f"Order {final.id}: disputes")
        for column in ("reason", "status", "resolution", "refund", "escalation",
                       "responsibility", "opened", "escalated / intervention due", "closed"):
            disputes.add_column(column)
        for d in replay.state.disputes:
            sla = intervention_due_at(d, replay.policy)
            disputes.add_row(
                d.reason, str(d.status), d.resolution or "-", format_money(d.refund_amount),
                d.escalation or "-", d.responsibility or "-", format_instant(d.opened_at),
                f"{format_instant(d.escalated_at)} / {format_instant(sla)}" if sla else "-",
                format_instant(d.closed_at) or "-")
        console.print(disputes)
