"""What-if in the operator's console (issue 15, item 6): a form per policy parameter (filled in
with the values in force), optionally a date and a store; the run goes on in the background
(`services.whatif_runs`: one at a time, a cap on cases, never a write to the live tables) while
its page shows the cases done of the total (a link refreshes it; after starting, the page
refreshes itself every few seconds, without JavaScript, until the run is done), then the report:
before and after per currency, by count and money, and every case that would change, in words,
each linked to its order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from disputedesk.rules.calendar import supported_calendars
from disputedesk.rules.money import ZERO, parse_money
from disputedesk.rules.policy import MAX_DAYS, PARAMETERS, PolicyError
from disputedesk.services.whatif_runs import (
    RunRefused,
    RunRequest,
    Runs,
    current_values,
    instant_of,
)
from disputedesk.store import tables as t
from disputedesk.web import i18n
from disputedesk.web.carrier_pages import country_name
from disputedesk.web.render import (
    PageError,
    View,
    check_csrf,
    database,
    page,
    require_role,
    view_of,
)

router = APIRouter(prefix="/desk", include_in_schema=False)
BASE = "/desk/operator/whatif"
REFRESH_SECONDS = 3
MEASURES = ("cases", "refunds", "refunded", "timeouts", "escalations", "auto_rulings", "refused")


def runs_of(request: Request) -> Runs:
    """This process's view of the runs kept under DATA_DIR/whatif."""
    runs = getattr(request.app.state, "whatif_runs", None)
    if runs is None:
        settings = request.app.state.settings
        runs = Runs(settings.data_dir / "whatif", max_cases=settings.whatif_max_cases)
        request.app.state.whatif_runs = runs
    return runs


def _view(request: Request) -> View:
    view = view_of(request)
    require_role(view, "admin")
    return view


# -- the form -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    value: str  # as typed (or in force)
    current: str  # in force, in words
    calendar: bool = False
    low: int = 0


def _fields(view: View, typed: dict[str, str] | None) -> list[Field]:
    current = current_values()
    out = []
    for name in PARAMETERS:
        now = current[name]
        value = (typed or {}).get(name, str(now))
        calendar = name == "platform_calendar"
        shown = country_name(str(now), view.locale) if calendar else str(now)
        out.append(
            Field(
                name,
                view.t(f"policy.param.{name}"),
                value,
                view.t("whatif.current", value=shown),
                calendar,
                1 if name == "evidence_periods" else 0,
            )
        )
    return out


def _stores(request: Request) -> list[tuple[str, str]]:
    with database(request).engine.connect() as conn:
        return [
            (r.id, r.name)
            for r in conn.execute(select(t.stores.c.id, t.stores.c.name).order_by(t.stores.c.id))
        ]


def _calendars(view: View) -> list[tuple[str, str]]:
    return sorted(
        ((code, country_name(code, view.locale)) for code in supported_calendars()),
        key=lambda item: item[1],
    )


def _form_page(
    request: Request,
    view: View,
    *,
    typed: dict[str, str] | None = None,
    since: str = "",
    store: str = "",
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    runs = runs_of(request)
    return page(
        view,
        "whatif.html",
        status=status,
        error=error,
        fields=_fields(view, typed),
        calendars=_calendars(view),
        stores=_stores(request),
        since=since,
        store=store,
        max_days=MAX_DAYS,
        running=runs.running(),
        recent=[RunLine.of(view, run) for run in runs.recent()],
        say=ReportWords(view),
    )


@router.get("/operator/whatif")
async def whatif_form(request: Request) -> HTMLResponse:
    return await run_in_threadpool(lambda: _form_page(request, _view(request)))


@router.post("/operator/whatif")
async def start_whatif(request: Request) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_start, request, fields)


def _start(request: Request, form: dict[str, str]) -> Response:
    view = _view(request)
    check_csrf(view, form.get("csrf_token"))
    typed = {name: form.get(f"p_{name}", "").strip() for name in PARAMETERS}
    since_text = form.get("since", "").strip()
    store = form.get("store", "").strip()

    def again(error: str, status: int = 422) -> HTMLResponse:
        return _form_page(
            request, view, typed=typed, since=since_text, store=store, error=error, status=status
        )

    overrides: dict[str, Any] = {}
    for name, text in typed.items():
        label = view.t(f"policy.param.{name}")
        if name == "platform_calendar":
            if text not in supported_calendars():
                return again(view.t("whatif.bad_calendar", name=label))
            overrides[name] = text
            continue
        low = 1 if name == "evidence_periods" else 0
        if not (text.isascii() and text.isdigit() and len(text) <= 5) or not (
            low <= int(text) <= MAX_DAYS
        ):
            return again(view.t("whatif.bad_number", name=label, low=low, high=MAX_DAYS))
        overrides[name] = int(text)
    since = None
    if since_text:
        try:
            since = datetime.strptime(since_text, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            return again(view.t("whatif.bad_date"))
    if store and store not in {s for s, _ in _stores(request)}:
        return again(view.t("whatif.bad_store"))
    assert view.session is not None
    run_request = RunRequest(
        overrides, view.now, since=since, store_id=store or None, by=view.session.principal.email
    )
    try:
        run_id = runs_of(request).start(database(request), run_request)
    except PolicyError:  # checked above; kept for a parameter the form does not know
        return again(view.t("whatif.no_change"))
    except RunRefused as refused:
        if refused.reason == "no_change":
            return again(view.t("whatif.no_change"))
        if refused.reason == "too_many":
            return again(view.t("whatif.too_many", **refused.params))
        at = instant_of(refused.params.get("started_at"))
        return again(view.t("whatif.busy", at=view.when(at)), 409)
    return RedirectResponse(f"{BASE}/{run_id}?follow=1", 303)


# -- a run --------------------------------------------------------------------------------------


@router.get("/operator/whatif/{run_id}")
async def whatif_run(request: Request, run_id: str) -> Response:
    return await run_in_threadpool(_run_page, request, run_id)


def _run_page(request: Request, run_id: str) -> Response:
    view = _view(request)
    run = runs_of(request).get(run_id)
    if run is None:
        raise PageError(404, "error.not_found", "not_found", f"what-if run {run_id!r}")
    follow = request.query_params.get("follow") == "1" and run["state"] == "running"
    say = ReportWords(view)
    response = page(
        view,
        "whatif_run.html",
        error="",
        run=run,
        line=RunLine.of(view, run),
        follow=follow,
        refresh_seconds=REFRESH_SECONDS,
        say=say,
        report=say.report(run["report"]) if run.get("report") else None,
    )
    if follow:  # refresh until done, without JavaScript (the reader can stop it: a link)
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


# -- the report in words ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunLine:
    """A run in the list of recent runs (and its page's heading)."""

    id: str
    started: str
    changes: list[str]
    state: str
    scope: list[str]

    @classmethod
    def of(cls, view: View, run: dict[str, Any]) -> RunLine:
        say = ReportWords(view)
        state = run["state"]
        if state == "running":
            words = view.t("whatif.state.running", done=run["done"], total=run["total"])
        elif state == "done" and run.get("report"):
            report = run["report"]
            words = view.t(
                "whatif.state.done", changed=report["changed_cases"], cases=report["cases"]
            )
        else:
            words = view.t(f"whatif.state.{state}" if state in ("failed", "interrupted") else "")
        return cls(
            run["id"],
            view.when(instant_of(run.get("started_at"))),
            say.overrides(run.get("overrides") or {}),
            words,
            say.scope(run),
        )


@dataclass(frozen=True, slots=True)
class Measure:
    label: str
    before: str
    after: str
    difference: str
    changed: bool


@dataclass(frozen=True, slots=True)
class Changed:
    order_id: str
    lines: list[str]


@dataclass(frozen=True, slots=True)
class Report:
    cases: int
    changed_cases: int
    currencies: list[tuple[str, list[Measure]]]
    changed: list[Changed]
    skipped: int


class ReportWords:
    """A what-if run in the reader's words."""

    def __init__(self, view: View) -> None:
        self.v = view

    def param_value(self, name: str, value: Any) -> str:
        if name == "platform_calendar":
            return country_name(str(value), self.v.locale)
        return str(value)

    def overrides(self, overrides: dict[str, Any]) -> list[str]:
        current = current_values()
        return [
            self.v.t(
                "whatif.override_line",
                name=self.v.t(f"policy.param.{name}"),
                before=self.param_value(name, current.get(name)),
                after=self.param_value(name, value),
            )
            for name, value in overrides.items()
            if name in current
        ]

    def scope(self, run: dict[str, Any]) -> list[str]:
        lines = [self.v.t("whatif.scope.all", now=self.v.when(instant_of(run["started_at"])))]
        since = instant_of(run.get("since"))
        if since is not None:
            lines.append(self.v.t("whatif.scope.since", since=self.v.when(since)))
        if run.get("store_id"):
            lines.append(self.v.t("whatif.scope.store", store=run["store_id"]))
        return lines

    def money(self, text: Any, currency: str) -> str:
        value = parse_money(str(text)) if text is not None else None
        return self.v.money(value if value is not None else ZERO, currency)

    def report(self, report: dict[str, Any]) -> Report:
        currencies = []
        for currency, totals in report["currencies"].items():
            measures = []
            for key in MEASURES:
                before, after = totals["before"][key], totals["after"][key]
                if key == "refunded":
                    b, a = parse_money(before) or ZERO, parse_money(after) or ZERO
                    diff = a - b
                    shown = (
                        self.v.money(Decimal(0), currency)
                        if not diff
                        else ("+" if diff > 0 else "−") + self.v.money(abs(diff), currency)
                    )
                    measures.append(
                        Measure(
                            self.v.t("whatif.measure.refunded"),
                            self.money(before, currency),
                            self.money(after, currency),
                            shown,
                            bool(diff),
                        )
                    )
                    continue
                delta = int(after) - int(before)
                measures.append(
                    Measure(
                        self.v.t(f"whatif.measure.{key}"),
                        str(before),
                        str(after),
                        f"{delta:+d}" if delta else "0",
                        bool(delta),
                    )
                )
            currencies.append((currency, measures))
        changed = [
            Changed(c["case"], self.changes(c["before"], c["after"], c.get("currency", "")))
            for c in report["changed"]
        ]
        return Report(
            report["cases"], report["changed_cases"], currencies, changed, len(report["skipped"])
        )

    def ending(self, dispute: dict[str, Any]) -> str:
        status, resolution = dispute.get("status"), dispute.get("resolution")
        words = self.v.t(f"status.{status}")
        if resolution:
            words = f"{words}: {self.v.t(f'resolution.{resolution}')}"
        return words

    def changes(self, before: dict[str, Any], after: dict[str, Any], currency: str) -> list[str]:
        """What would change in one case, in words (the report's `changes`, said)."""
        t = self.v.t
        lines = []
        if before["refunded_total"] != after["refunded_total"]:
            lines.append(
                t(
                    "whatif.change.refunded",
                    before=self.money(before["refunded_total"], currency),
                    after=self.money(after["refunded_total"], currency),
                )
            )
        was, now = before["disputes"], after["disputes"]
        for number in range(1, max(len(was), len(now)) + 1):
            old = was[number - 1] if number <= len(was) else None
            new = now[number - 1] if number <= len(now) else None
            if old is not None and new is not None:
                if (old["status"], old["resolution"]) != (new["status"], new["resolution"]):
                    lines.append(
                        t(
                            "whatif.change.dispute",
                            number=number,
                            before=self.ending(old),
                            after=self.ending(new),
                        )
                    )
            elif new is not None:
                lines.append(t("whatif.change.dispute_new", number=number, after=self.ending(new)))
            elif old is not None:
                lines.append(
                    t("whatif.change.dispute_gone", number=number, before=self.ending(old))
                )
        steps_before, steps_after = before["steps"], after["steps"]
        for action in sorted(set(steps_before) | set(steps_after)):
            b, a = steps_before.get(action, 0), steps_after.get(action, 0)
            if a != b and i18n.has(f"action.{action}"):  # every automatic step has its words
                lines.append(t("whatif.change.step", step=t(f"action.{action}"), before=b, after=a))
        if before["escalations"] != after["escalations"]:
            lines.append(
                t(
                    "whatif.change.escalations",
                    before=before["escalations"],
                    after=after["escalations"],
                )
            )
        if before["refused"] != after["refused"]:
            lines.append(
                t("whatif.change.refused", before=before["refused"], after=after["refused"])
            )
        return lines
