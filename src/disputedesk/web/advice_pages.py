"""The ruling assistant on the desk (issue 15, items 3-5): each side's evidence checklist on the
dispute page, the arbitrator's advice card with the ruling form filled in from it (a ruling
otherwise says why: checked here in words, and by the service), and the operators' "Ruling
agreement" page: how often rulings follow the advice, per principle and per arbitrator, each
figure opening the cases behind it.

Everything is said in the reader's words: the advice's facts and missing facts are data
(`advice.Note`: a key and its codes, instants and amounts), never the English `facts` text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from disputedesk.advice import Advice, Note, Requirement
from disputedesk.services import advice as advice_service
from disputedesk.services import permissions
from disputedesk.services.advice import AgreementReport, Judgement, RecordedAdvice
from disputedesk.services.commands import CommandResult
from disputedesk.services.desk import DisputeCase
from disputedesk.web import i18n
from disputedesk.web.render import View, database, page, require_role, view_of
from disputedesk.web.tracking_words import TrackingWords

router = APIRouter(prefix="/desk", include_in_schema=False)
AGREEMENT_PATH = "/desk/operator/ruling-agreement"
PERIODS = (30, 90, 365)  # the page's choices, in days
SIDES = ("seller", "buyer")


# -- the advice in words -------------------------------------------------------------------------


class AdviceWords:
    """The advice, its facts and the checklist, in one reader's words."""

    def __init__(self, view: View, currency: str) -> None:
        self.v = view
        self.currency = currency
        self.tw = TrackingWords(view)

    def t(self, key: str, **params: Any) -> str:
        return self.v.t(key, **params)

    def principle(self, number: int | None) -> str:
        key = f"advice.principle.{number}"
        return self.t(key) if number is not None and i18n.has(key) else ""

    def listed(self, items: Iterable[str]) -> str:
        return self.t("advice.list_separator").join(items)

    def kind(self, kind: str) -> str:
        key = f"kind.{kind}"
        return self.t(key) if i18n.has(key) else kind

    def kinds(self, kinds: Iterable[str], *, either: bool = False) -> str:
        named = [self.kind(k) for k in kinds]
        return self.t("checklist.or").join(named) if either else self.listed(named)

    def fact(self, note: Note) -> str:
        """A fact the advice used, as a sentence."""
        p, key = note.params, note.key
        if key == "reason":
            return self.t("advice.fact.reason", reason=self.v.reason(str(p["reason"])))
        if key == "buyer_plan":
            plan = {"type": p.get("type"), "amount": p.get("amount")}
            return self.t("advice.fact.buyer_plan", plan=self.v.plan(plan, self.currency))
        if key == "evidence":
            return self.t(f"advice.fact.evidence.{p['side']}", kinds=self.kinds(p["kinds"]))
        if key in ("return_delivered", "pickup_notice", "promised_by"):
            return self.t(f"advice.fact.{key}", at=self.when(p.get("at")))
        if key == "tracking_stage":
            stage = self.tw.status(str(p.get("stage")))
            return self.t("advice.fact.tracking_stage", stage=stage, events=p.get("events", 0))
        if key == "delivered":
            parts = self.listed(self.part(part, result) for part, result in p.get("parts", ()))
            return self.t("advice.fact.delivered", at=self.when(p.get("at")), parts=parts)
        if key == "customs":
            return self.t(
                "advice.fact.customs_duties" if p.get("duties") else "advice.fact.customs"
            )
        if key == "parcel_back":
            stage = "returned" if p.get("stage") == "returned" else "returning"
            return self.t(f"advice.fact.parcel_back.{stage}")
        words = f"advice.fact.{key}"
        return self.t(words) if i18n.has(words) else ""

    def part(self, part: str, result: str) -> str:
        """ "City matches" / "城市一致"."""
        part_key, result_key = f"facts.match.part.{part}", f"facts.match.result.{result}"
        return self.t(
            "advice.fact.part",
            part=self.t(part_key) if i18n.has(part_key) else part,
            result=self.t(result_key) if i18n.has(result_key) else result,
        )

    def missing(self, note: Note) -> str:
        """A fact the advice lacks, in words."""
        if note.key == "delivery_part":
            part = f"facts.match.part.{note.params.get('part')}"
            return self.t(
                "advice.missing.delivery_part",
                part=self.t(part) if i18n.has(part) else str(note.params.get("part")),
            )
        key = f"advice.missing.{note.key}"
        return self.t(key) if i18n.has(key) else ""

    def when(self, value: Any) -> str:
        return self.v.when(value) if isinstance(value, datetime) else ""

    def money(self, amount: str | Decimal | None) -> str:
        return self.v.amount(amount, self.currency)

    def responsibility(self, value: str | None) -> str:
        key = f"responsibility.{value}"
        return self.t(key) if value and i18n.has(key) else ""

    def yes_no(self, value: Any) -> str:
        return self.t("dispute.yes") if value else self.t("dispute.no")

    def differs(self, judged: Judgement) -> str:
        return self.listed(self.t(f"advice.part.{part}") for part in judged.differs)


# -- the dispute page's parts --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    side: str
    kinds: str  # "Photo or Video"
    why: str
    present: bool
    due: datetime | None


@dataclass(frozen=True, slots=True)
class ChecklistGroup:
    side: str
    title: str
    lines: list[ChecklistLine]


@dataclass(frozen=True, slots=True)
class AdviceCard:
    """The advice as the arbitrator's card shows it: live, or as recorded at the ruling."""

    principle: int | None
    principle_words: str
    facts: list[str]
    missing: list[str]
    responsibility: str
    refund: str
    return_required: str
    penalty: str
    recorded: RecordedAdvice | None = None


@dataclass(frozen=True, slots=True)
class Assistant:
    """What the dispute page shows of the ruling assistant: the checklist for everyone, the
    advice card and the ruling form's values for arbitrators and operators."""

    checklist: list[ChecklistGroup]
    is_open: bool
    card: AdviceCard | None
    prefill: dict[str, Any]


def checklist_groups(
    words: AdviceWords, items: Sequence[Requirement], role: str | None
) -> list[ChecklistGroup]:
    """The reader's own side first ("Your evidence"), then the other side's; both sides, as
    "The seller's" / "The buyer's", for arbitrators and operators."""
    own = role if role in SIDES else None
    order = [own, *(s for s in SIDES if s != own)] if own else list(SIDES)
    groups = []
    for side in order:
        lines = [
            ChecklistLine(
                side,
                words.kinds(r.kinds, either=True),
                words.t(f"checklist.why.{r.why}") if i18n.has(f"checklist.why.{r.why}") else "",
                r.present,
                r.due,
            )
            for r in items
            if r.side == side
        ]
        title = "checklist.yours" if side == own else f"checklist.side.{side}"
        groups.append(ChecklistGroup(side, words.t(title), lines))
    return groups


def card_of(words: AdviceWords, advice: Advice) -> AdviceCard:
    return AdviceCard(
        advice.principle,
        words.principle(advice.principle),
        [text for text in (words.fact(n) for n in advice.fact_notes) if text],
        [text for text in (words.missing(n) for n in advice.missing_notes) if text],
        words.responsibility(advice.responsibility),
        words.money(advice.refund_amount),
        words.yes_no(advice.return_required),
        words.yes_no(advice.penalty_mark),
    )


def recorded_card(words: AdviceWords, recorded: RecordedAdvice) -> AdviceCard:
    """The advice recorded at the ruling: its principle and recommendation, and whether the
    ruling followed it (the facts as they stood then are in the API's `advice`)."""
    a = recorded.advice
    return AdviceCard(
        recorded.principle,
        words.principle(recorded.principle),
        [],
        [],
        words.responsibility(a.get("responsibility")),
        words.money(a.get("refund_amount")),
        words.yes_no(a.get("return_required")),
        words.yes_no(a.get("penalty_mark")),
        recorded,
    )


def _live_advice(case: DisputeCase, now: datetime) -> Advice:
    card = case.card
    events = card.tracking.events if card.tracking is not None else ()
    return advice_service.advice_of(
        card.state, card.policy, case.seq, events, card.shipping_address, now
    )


def advice_extras(request: Request, view: View, case: DisputeCase) -> dict[str, Any]:
    """The dispute page's ruling-assistant parts (`assistant`)."""
    card = case.card
    words = AdviceWords(view, card.order.currency)
    items = advice_service.checklist_of(card.state, card.policy, case.seq, view.now)
    advice_card = None
    prefill: dict[str, Any] = {}
    if view.role in ("arbitrator", "admin"):
        with database(request).engine.connect() as conn:
            recorded = advice_service.recorded_in(conn, card.order.id, case.seq)
        if recorded is not None:
            advice_card = recorded_card(words, recorded)
        elif advice_service.advised(card.state, case.seq):
            advice = _live_advice(case, view.now)
            advice_card = card_of(words, advice)
            prefill = _prefill(case, advice)
    typed = getattr(request.state, "ruling_form", None)
    if typed is not None:  # a refused ruling comes back with what was typed
        prefill = {**prefill, **typed}
    return {
        "assistant": Assistant(
            checklist_groups(words, items, view.role),
            case.is_current,
            advice_card,
            prefill,
        )
    }


def _prefill(case: DisputeCase, advice: Advice) -> dict[str, Any]:
    """The ruling form from the advice's recommendation; without a principle, as before (the
    buyer's plan amount, the seller responsible)."""
    plan = case.dispute.buyer_plan
    if advice.principle is None:
        amount = plan.amount if plan is not None and plan.amount is not None else ""
        return {"refund_amount": str(amount), "responsibility": "seller", "return_required": False}
    return {
        "refund_amount": advice.refund_amount or "",
        "responsibility": advice.responsibility or "seller",
        "return_required": bool(advice.return_required),
        "principle": advice.principle,
    }


def remember_ruling_form(request: Request, form: Mapping[str, str]) -> None:
    """What the arbitrator typed, for the page to show again if the ruling is refused."""
    request.state.ruling_form = {
        "refund_amount": form.get("refund_amount", ""),
        "responsibility": form.get("responsibility", ""),
        "return_required": form.get("return_required") == "1",
        "reason": form.get("reason", ""),
        "why_not": form.get("why_not", ""),
    }


def ruling_refusal(
    view: View, case: DisputeCase, fields: Mapping[str, Any], why_not: str
) -> tuple[str, int] | None:
    """A ruling otherwise than advised without a reason why, in words (422); None when it
    follows the advice, says why, or no principle applies; an over-long reason why, named."""
    if len(why_not) > advice_service.WHY_NOT_MAX_LENGTH:
        field = view.t("advice.why_not_field")
        limit = f"{advice_service.WHY_NOT_MAX_LENGTH:,}"
        return view.t("check.too_long_kept", field=field, limit=limit), 422
    advice = _live_advice(case, view.now)
    judged = advice_service.judge(
        advice,
        str(fields.get("refund_amount", "")),
        str(fields.get("responsibility", "")),
        bool(fields.get("return_required")),
    )
    if not judged.deviation or why_not.strip():
        return None
    words = AdviceWords(view, case.card.order.currency)
    return view.t("check.why_not", number=advice.principle, differs=words.differs(judged)), 422


def rule_from_page(
    request: Request,
    view: View,
    case: DisputeCase,
    fields: Mapping[str, Any],
    why_not: str,
    *,
    at: datetime,
    expected_version: int | None,
) -> CommandResult:
    """The desk's ruling: checked against the advice and recorded with it
    (`services.advice.rule`), as the API's."""
    assert view.session is not None
    return advice_service.rule(
        database(request),
        case.card.order.id,
        dict(fields),
        at=at,
        why_not=why_not,
        expected_version=expected_version,
        live=True,
        **permissions.performer(view.session.principal),
    )


# -- the operators' page: ruling agreement -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """One row of the agreement tables: its label, its counts and each count's link."""

    key: str
    label: str
    rulings: int
    followed: int
    not_followed: int
    no_principle: int
    share: Decimal | None
    with_advice: int
    links: dict[str, str]

    @property
    def percent(self) -> str:
        return "" if self.share is None else f"{round(self.share * 100)}%"


def _figure(key: str, label: str, line: advice_service.Agreement, query: dict[str, str]) -> Figure:
    links = {
        which: f"{AGREEMENT_PATH}?{urlencode({**query, 'which': which})}#cases"
        for which in ("rulings", "followed", "not_followed", "no_principle")
    }
    return Figure(
        key,
        label,
        line.rulings,
        len(line.followed),
        len(line.not_followed),
        len(line.no_principle),
        line.share,
        line.with_advice,
        links,
    )


def _days(text: str | None) -> int:
    if text and text.endswith("d") and text[:-1].isdigit() and int(text[:-1]) in PERIODS:
        return int(text[:-1])
    return 90


def _selected(
    report: AgreementReport, principle: str, arbitrator: str, which: str
) -> list[RecordedAdvice]:
    chosen = []
    for record in report.rulings:
        if principle and str(record.principle if record.principle is not None else "none") != (
            principle
        ):
            continue
        if arbitrator and record.ruled_by != arbitrator:
            continue
        kind = (
            "no_principle"
            if record.principle is None
            else ("followed" if record.followed else "not_followed")
        )
        if which in ("followed", "not_followed", "no_principle") and kind != which:
            continue
        chosen.append(record)
    return chosen


@router.get("/operator/ruling-agreement")
async def ruling_agreement(request: Request) -> HTMLResponse:
    return await run_in_threadpool(_agreement_page, request)


def _agreement_page(request: Request) -> HTMLResponse:
    view = view_of(request)
    require_role(view, "admin")
    q = request.query_params
    days = _days(q.get("period"))
    start, end = advice_service.period_of(f"{days}d", view.now)
    report = advice_service.agreement(database(request), start, end)
    period = {"period": f"{days}d"}
    total = _figure("all", view.t("agreement.total"), report.total, period)
    principles = [
        _figure(
            str(number if number is not None else "none"),
            view.t("advice.principle_line", number=number)
            if number is not None
            else view.t("agreement.principle_none"),
            line,
            {**period, "principle": str(number if number is not None else "none")},
        )
        for number, line in sorted(
            report.by_principle.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)
        )
    ]
    arbitrators = [
        _figure(email, report.names.get(email) or email, line, {**period, "arbitrator": email})
        for email, line in sorted(
            report.by_arbitrator.items(), key=lambda kv: report.names.get(kv[0]) or kv[0]
        )
    ]
    principle = q.get("principle", "")
    arbitrator = q.get("arbitrator", "")
    which = q.get("which", "")
    if principle not in {f.key for f in principles}:
        principle = ""
    if arbitrator not in report.by_arbitrator:
        arbitrator = ""
    if which not in ("rulings", "followed", "not_followed", "no_principle"):
        which = ""
    filtered = bool(principle or arbitrator or which)
    cases = _selected(report, principle, arbitrator, which)
    title = [view.t(f"agreement.cases.{which}" if which else "agreement.cases.all")]
    if principle:
        title.append(
            view.t("agreement.cases.of_principle", number=principle)
            if principle != "none"
            else view.t("agreement.principle_none")
        )
    if arbitrator:
        title.append(
            view.t("agreement.cases.of_arbitrator", name=report.names.get(arbitrator) or "")
        )
    return page(
        view,
        "advice_agreement.html",
        error="",
        days=days,
        periods=PERIODS,
        start=start,
        end=end,
        total=total,
        principles=principles,
        arbitrators=arbitrators,
        cases=cases,
        cases_title=" · ".join(title),
        filtered=filtered,
        show_all=f"{AGREEMENT_PATH}?{urlencode(period)}#cases",
        principle_words={n: view.t(f"advice.principle.{n}") for n in range(1, 9)},
    )
