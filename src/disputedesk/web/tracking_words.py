"""Tracking in the reader's words: carrier statuses, delivery facts, the delivery match and the
shipment watch's alerts, in the reader's language and time zone, never a raw code such as
`in_transit`. The facts and alerts themselves are computed elsewhere (`tracking.facts`,
`tracking.watch`); this only says them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from disputedesk.rules.instants import parse_instant
from disputedesk.services.shipment_watch import StoredAlert
from disputedesk.tracking.facts import DeliveryFacts, TrackEvent
from disputedesk.tracking.match import PartMatch
from disputedesk.tracking.taxonomy import TrackingStatus
from disputedesk.web import i18n
from disputedesk.web.render import View

STATUSES = frozenset(s.value for s in TrackingStatus)


@dataclass(frozen=True, slots=True)
class FactLine:
    """One fact as the page shows it: its label, the sentence, and the carrier's own words
    behind it (quoted beside, when there are any)."""

    key: str  # a stable id for the page (tests, anchors)
    label: str
    text: str
    quote: str = ""


@dataclass(frozen=True, slots=True)
class MatchLine:
    part: str
    label: str
    result: str  # matched / mismatched / unknown
    result_text: str
    why: str


@dataclass(frozen=True, slots=True)
class AlertLine:
    """An alert in the inbox: its sentence, the suggested action, and how to take it."""

    id: int
    order_id: str
    kind: str
    kind_text: str
    text: str
    action_text: str
    extend_days: int | None  # set: a one-click "extend delivery" form; else a link to the order
    raised: str


class TrackingWords:
    """Say tracking for one reader (`View`: language, time zone, now)."""

    def __init__(self, view: View) -> None:
        self.v = view

    def t(self, key: str, **params: Any) -> str:
        return self.v.t(key, **params)

    # -- statuses and events ----------------------------------------------------------------

    def status(self, value: str | None, *, unclassified: bool = False) -> str:
        """A status of the taxonomy in words; a carrier's own word (the old event log kept it
        as given) stays as the carrier wrote it."""
        if unclassified:
            return self.t("track.unclassified")
        if value in STATUSES or value == "no_events":
            return self.t(f"track.status.{value}")
        return value or ""

    def event_status(self, event: TrackEvent) -> str:
        words = self.status(str(event.status), unclassified=event.unclassified)
        if event.notice_left and event.status in (
            TrackingStatus.AVAILABLE_FOR_PICKUP,
            TrackingStatus.DELIVERY_ATTEMPTED,
        ):
            words = f"{words} ({self.t('track.notice_left')})"
        return words

    def when(self, value: datetime | None) -> str:
        return self.v.when(value)

    def event_time(self, event: TrackEvent) -> str:
        if event.at is not None:
            return self.v.when(event.at)
        return event.at_text or self.t("track.time_unknown")

    def event_line(self, event: TrackEvent | None) -> str:
        """ "In transit · 4 Mar 2026 10:00 · Guangzhou, CN"."""
        if event is None:
            return ""
        parts = [self.event_status(event), self.event_time(event), event.place]
        return " · ".join(p for p in parts if p)

    # -- the facts ----------------------------------------------------------------------------

    def fact_lines(self, facts: DeliveryFacts) -> list[FactLine]:
        """Every fact, in the order a reader asks them: where is it, since when, what now."""
        t = self.t
        lines = [FactLine("stage", t("facts.stage"), self.status(facts.stage))]
        first = facts.first_valid_scan
        lines.append(
            FactLine(
                "first-scan",
                t("facts.first_scan"),
                self.event_line(first) if first else t("facts.no_first_scan"),
                _said(first),
            )
        )
        last = facts.last_event
        if last is not None:
            lines.append(
                FactLine("last-event", t("facts.last_event"), self.event_line(last), _said(last))
            )
        if facts.silent_since is not None and facts.is_open:
            key = f"facts.silence.{facts.silence_rule}"
            lines.append(
                FactLine(
                    "days-without-news",
                    t("facts.days_without_news"),
                    t(key, days=facts.days_without_news, at=self.when(facts.silent_since)),
                )
            )
        if facts.in_customs_since is not None:
            lines.append(
                FactLine(
                    "in-customs-since",
                    t("facts.in_customs_since"),
                    t(
                        "facts.in_customs_line",
                        at=self.when(facts.in_customs_since),
                        days=facts.customs_days,
                    ),
                )
            )
        action = facts.action_required
        if action is not None:
            lines.append(
                FactLine(
                    "action-required",
                    t("facts.action_required"),
                    self.action(action.what, action.by, action.since),
                    _said(action.event),
                )
            )
        notice = facts.pickup_notice
        lines.append(
            FactLine(
                "pickup-notice",
                t("facts.pickup_notice"),
                t("facts.pickup_notice_line", event=self.event_line(notice))
                if notice
                else t("facts.pickup_notice_none"),
                _said(notice) if notice else "",
            )
        )
        delivered = facts.delivered
        if delivered is not None:
            text = self.event_line(delivered.event)
            if delivered.recipient:
                text = f"{text} · {t('facts.signed_by', name=delivered.recipient)}"
            lines.append(FactLine("delivered", t("facts.delivered"), text, _said(delivered.event)))
        else:
            lines.append(FactLine("delivered", t("facts.delivered"), t("facts.not_delivered")))
        if facts.returning is not None:
            lines.append(
                FactLine(
                    "returning",
                    t("facts.returning"),
                    self.event_line(facts.returning),
                    _said(facts.returning),
                )
            )
        if facts.returned is not None:
            lines.append(
                FactLine(
                    "returned",
                    t("facts.returned"),
                    self.event_line(facts.returned),
                    _said(facts.returned),
                )
            )
        return lines

    def action(self, what: str, by: str, since: datetime | str | None) -> str:
        key = f"facts.action.{what}.{by}"
        if not i18n.has(key):
            key = "facts.action.unknown.unknown"
        at = since if isinstance(since, datetime) else parse_instant(since)
        return self.t(key, at=self.when(at))

    def reading(self, facts: DeliveryFacts) -> str:
        key = f"facts.reading.{facts.reading.rule}"
        return self.t(key) if i18n.has(key) else ""

    def match_lines(self, facts: DeliveryFacts) -> list[MatchLine]:
        if facts.delivered is None:
            return []
        return [self._match_line(part) for part in facts.delivered.match.parts]

    def match_overall(self, facts: DeliveryFacts) -> str:
        if facts.delivered is None:
            return ""
        return self.t(f"facts.match.overall.{facts.delivered.match.overall}")

    def _match_line(self, part: PartMatch) -> MatchLine:
        params: dict[str, Any] = {
            "order": part.order_value or "",
            "tracking": part.tracking_value or "",
        }
        if part.part == "time":
            start, _, end = (part.order_value or "").partition("/")
            params.update(
                at=self.when(parse_instant(part.tracking_value)),
                start=self.when(parse_instant(start)),
                end=self.when(parse_instant(end)),
            )
        key = f"facts.rule.{part.rule}"
        return MatchLine(
            part=part.part,
            label=self.t(f"facts.match.part.{part.part}"),
            result=part.result,
            result_text=self.t(f"facts.match.result.{part.result}"),
            why=self.t(key, **params) if i18n.has(key) else part.rule,
        )

    # -- the shipment watch's alerts ----------------------------------------------------------

    def alert(self, alert: StoredAlert) -> AlertLine:
        figures: Mapping[str, Any] = alert.data.get("figures") or {}
        action = str(alert.data.get("action") or "ask_carrier")
        days = alert.data.get("action_days")
        extend_days = days if action == "extend_delivery" and isinstance(days, int) else None
        action_key = f"watch.action.{action}"
        if extend_days:
            action_text = self.t("watch.extend_button", days=extend_days)
        else:
            action_text = self.t(action_key) if i18n.has(action_key) else action
        kind_key = f"watch.kind.{alert.kind}"
        return AlertLine(
            id=alert.id,
            order_id=alert.order_id,
            kind=alert.kind,
            kind_text=self.t(kind_key) if i18n.has(kind_key) else alert.kind,
            text=self._alert_text(alert.kind, figures),
            action_text=action_text,
            extend_days=extend_days,
            raised=self.when(alert.raised_at),
        )

    def _alert_text(self, kind: str, f: Mapping[str, Any]) -> str:
        t = self.t

        def at(name: str) -> str:
            return self.when(parse_instant(f.get(name)))

        def days_since(name: str) -> int:
            since = parse_instant(f.get(name))
            return max(0, (self.v.now - since).days) if since else int(f.get("days") or 0)

        if kind == "no_news":
            main = (
                "watch.no_news.shipment"
                if f.get("since_rule") == "since_shipment"
                else ("watch.no_news.last")
            )
            text = t(main, days=days_since("since"), since=at("since"))
            who = f.get("limit_for") or ""
            limit = (
                t("watch.limit.for", limit=f.get("limit"), who=who)
                if who
                else (t("watch.limit", limit=f.get("limit")))
            )
            return f"{text} {limit}"
        if kind == "held_in_customs":
            return t(
                "watch.held_in_customs",
                days=days_since("since"),
                since=at("since"),
                limit=f.get("limit"),
            )
        if kind == "action_required":
            what = self.action(str(f.get("what")), str(f.get("by")), f.get("since"))
            return t("watch.action_required", action=what)
        if kind == "returning":
            return t("watch.returning", since=at("since"))
        if kind == "returned":
            return t("watch.returned", at=at("at"))
        deadline = parse_instant(f.get("deadline"))
        left = self.v.left(deadline)
        if kind == "extend_delivery":
            return t(
                "watch.extend_delivery",
                country=f.get("country") or "",
                deadline=at("deadline"),
                left=left,
                limit=f.get("limit"),
                days=f.get("extend_days"),
            )
        if kind == "deadline_close":
            return t(
                "watch.deadline_close",
                deadline=at("deadline"),
                left=left,
                stage=self.status(str(f.get("stage") or "")),
            )
        return kind


def _said(event: TrackEvent | None) -> str:
    """The carrier's own words for an event (its text, else its code), one line."""
    if event is None:
        return ""
    text = " ".join((event.description or event.raw_code or "").split())
    return text
