"""The seller center's pages (issue 12): a store's return addresses (/desk/store/returns), the
inbox as a CSV file (/desk/inbox.csv, streamed whatever its size), accepting several small
refund-only disputes at once with a confirmation (/desk/inbox/bulk-accept), and what the
dispute page shows of the order, its return address and its evidence (`dispute_extras`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from disputedesk.api.edge import human_bytes
from disputedesk.rules.money import format_money, parse_money
from disputedesk.rules.vocabulary import RETURN_STATUSES, PlanType
from disputedesk.services import commands, desk, permissions, returns, search, seller_center
from disputedesk.services.commands import ServiceError
from disputedesk.services.inputs import MAX_MONEY
from disputedesk.web import i18n, uploads
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

EXPORT_BATCH = 500  # disputes read (and written out) at a time by the CSV export
BULK_LIMIT = 100  # disputes one confirmation lists, and one bulk accept takes
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


# -- words: countries, addresses, search ------------------------------------------------------


@cache
def _territories(locale: str) -> dict[str, str]:
    names = Locale.parse(i18n.babel_locale(locale)).territories
    return {
        code: name
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def country_name(code: str | None, locale: str) -> str:
    """A country in the reader's language ("Spain", "西班牙"); the code when Babel has no name."""
    if not code:
        return ""
    return _territories(locale).get(code, code)


@cache
def country_choices(locale: str) -> list[tuple[str, str]]:
    """Every country as (code, name), by name in the reader's language."""
    return sorted(_territories(locale).items(), key=lambda item: item[1])


def address_lines(parts: Mapping[str, Any] | None, locale: str) -> list[str]:
    """An address as the lines of a label: recipient, street, "zip city, state", country."""
    if not parts:
        return []

    def part(name: str) -> str:
        value = parts.get(name)
        return value.strip() if isinstance(value, str) else ""

    town = " ".join(p for p in (part("zip"), part("city")) if p)
    if part("state"):
        town = f"{town}, {part('state')}" if town else part("state")
    lines = [part("recipient"), part("line1"), part("line2"), town]
    lines.append(country_name(part("country"), locale) if part("country") else "")
    return [line for line in lines if line]


def search_of(view: View, q: str | None) -> tuple[str | None, str]:
    """The search box's text (None: no search), and why it cannot be searched ("" when it
    can): an over-long one is refused with its limit, not searched cut short."""
    if q is None or not q.strip():
        return None, ""
    if len(q) > search.MAX_LENGTH:
        refused = uploads.too_long(view, {"q": q}, {"q": search.MAX_LENGTH})
        return None, refused.message if refused else ""
    return q.strip(), ""


def _filters(
    view: View,
    *,
    status: str | None = None,
    reason: str | None = None,
    country: str | None = None,
    carrier: str | None = None,
    open_only: str | None = None,
    q: str | None = None,
) -> desk.DisputeFilters:
    searched, problem = search_of(view, q)
    if problem:
        raise PageError(422, "error.title", "invalid_input", problem)
    return desk.DisputeFilters(
        status=status or None,
        reason=reason or None,
        country=country or None,
        carrier=carrier or None,
        open_only=bool(open_only),
        search=searched,
    )


# -- the dispute page: the order's items and people, the return address, the evidence form -----


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One line of the order as the dispute page shows it."""

    title: str
    variant: str
    quantity: int | None
    unit_price: Decimal | None
    image: str | None  # shown (same site, or inline data)
    image_link: str | None  # a picture elsewhere: a link (pages load nothing from elsewhere)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):  # {"color": "red", "size": "M"}
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if _text(v))
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value if _text(v))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    return ""


def item_lines(items: list[Any]) -> list[ItemLine]:
    """The order's `items` (a JSON list: title, variant, quantity, unit price, image when
    known; or plain text) as lines; what is missing stays empty."""
    lines = []
    for item in items[:200]:
        if not isinstance(item, Mapping):
            if _text(item):
                lines.append(ItemLine(_text(item), "", None, None, None, None))
            continue
        title = _text(item.get("title") or item.get("name") or item.get("product"))
        variant = _text(item.get("variant") or item.get("sku_attributes") or item.get("options"))
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
            quantity = None
        price = item.get("unit_price", item.get("price"))
        unit_price = parse_money(price if isinstance(price, str) else _text(price) or None)
        image = _text(item.get("image") or item.get("image_url"))
        shown = image if image.startswith(("/desk/", "data:image/")) else None
        elsewhere = image if image.lower().startswith(("https://", "http://")) else None
        lines.append(ItemLine(title, variant, quantity, unit_price, shown, elsewhere))
    return lines


@dataclass(frozen=True, slots=True)
class SellerCenter:
    """What the seller center adds to the dispute page (`sc` in its templates)."""

    items: list[ItemLine]
    buyer_name: str
    buyer_country: str
    ship_to: list[str]
    phone: str
    in_return_stage: bool
    return_address: returns.ReturnAddress | None
    return_lines: list[str]
    return_region: str
    destination_name: str  # the order's destination country, in words
    store_id: str
    may_edit_returns: bool
    evidence_form: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def size(value: int | None) -> str:
        return human_bytes(value) if value is not None else ""


def dispute_extras(request: Request, view: View, case: desk.DisputeCase) -> dict[str, Any]:
    """The seller center's part of the dispute page, as `sc`."""
    db = database(request)
    card = case.card
    buyer = seller_center.buyer_of(db, card.buyer_id)
    in_return = str(case.dispute.status) in RETURN_STATUSES and case.is_current
    address = None
    if in_return:
        address = returns.address_for(db, card.store_id, card.order.destination_country)
    ship = card.shipping_address or {}
    ship_to = address_lines(ship, view.locale)
    if not ship_to and card.destination_address:
        ship_to = [card.destination_address]
    principal = view.session.principal if view.session else None
    phone = ship.get("phone") if isinstance(ship.get("phone"), str) else ""
    return_lines = address_lines(address.parts(), view.locale) if address else []
    return {
        "sc": SellerCenter(
            items=item_lines(card.items),
            buyer_name=card.buyer_name,
            buyer_country=country_name(buyer.country if buyer else None, view.locale),
            ship_to=[line for line in ship_to if line != phone],
            phone=phone or "",
            in_return_stage=in_return,
            return_address=address,
            return_lines=[line for line in return_lines if line != (address and address.phone)],
            return_region=card.order.destination_country or returns.DEFAULT_REGION,
            destination_name=country_name(card.order.destination_country, view.locale)
            or view.t("return.this_country"),
            store_id=card.store_id,
            may_edit_returns=bool(principal and principal.owns(card.store_id)),
            evidence_form=getattr(request.state, "evidence_form", None) or {},
        )
    }


# -- return addresses ----------------------------------------------------------------------------

_BLANK = dict.fromkeys(("region", *returns.PARTS), "")


def _returns_page(
    request: Request,
    view: View,
    *,
    store_id: str | None = None,
    region: str | None = None,
    form: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    assert view.session is not None
    db = database(request)
    principal = view.session.principal
    ids = sorted(principal.stores)
    names = returns.store_names(db, ids)
    chosen = store_id if store_id in principal.stores else (ids[0] if ids else None)
    addresses = returns.list_addresses(db, chosen) if chosen else []
    if form is None:
        form = dict(_BLANK)
        have = {a.region for a in addresses}
        wanted = (region or "").strip().upper()
        if wanted and returns.region_problem(wanted) is None:
            form["region"] = wanted
            existing = next((a for a in addresses if a.region == wanted), None)
            if existing is not None:
                form.update({k: v or "" for k, v in existing.parts().items()})
        elif returns.DEFAULT_REGION not in have:
            form["region"] = returns.DEFAULT_REGION
    uncovered = returns.uncovered_countries(db, chosen) if chosen else []
    return page(
        view,
        "store_returns.html",
        status=status,
        stores=[(i, names.get(i, i), principal.stores[i]) for i in ids],
        store_id=chosen,
        store_name=names.get(chosen or "", chosen or ""),
        owner=bool(chosen and principal.owns(chosen)),
        addresses=[(a, address_lines(a.parts(), view.locale)) for a in addresses],
        uncovered=[country_name(c, view.locale) for c in uncovered],
        form=form,
        error=error,
        countries=country_choices(view.locale),
        country_name=lambda code: country_name(code, view.locale),
        limits=returns.PARTS,
        done=view.done(),
    )


@router.get("/store/returns")
def return_addresses(
    request: Request, store: str | None = None, region: str | None = None
) -> HTMLResponse:
    """The store's return addresses, per destination region, with a default; its owner edits
    them here."""
    view = view_of(request)
    require_role(view, "seller")
    return _returns_page(request, view, store_id=store, region=region)


def _owned_store(view: View, store_id: str) -> None:
    assert view.session is not None
    principal = view.session.principal
    if not principal.member_of(store_id):
        raise PageError(404, "error.not_found", "not_found", f"store {store_id!r}")
    if not principal.owns(store_id):
        raise PageError(403, "returns.owner_only", "forbidden")


def _address_refusal(view: View, problem: returns.AddressProblem) -> str:
    words = view.t(f"check.field.{problem.field}")
    if problem.kind == "too_long":
        return view.t("check.too_long_kept", field=words, limit=f"{problem.limit:,}")
    return view.t(f"check.{problem.kind}", field=words)


@router.post("/store/returns")
def save_return_address(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    store_id: Annotated[str, Form(max_length=64)] = "",
    region: Annotated[str, Form()] = "",
    recipient: Annotated[str, Form()] = "",
    line1: Annotated[str, Form()] = "",
    line2: Annotated[str, Form()] = "",
    city: Annotated[str, Form()] = "",
    state: Annotated[str, Form()] = "",
    zip: Annotated[str, Form()] = "",
    country: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    require_role(view, "seller")
    _owned_store(view, store_id)
    form = {
        "region": region,
        "recipient": recipient,
        "line1": line1,
        "line2": line2,
        "city": city,
        "state": state,
        "zip": zip,
        "country": country,
        "phone": phone,
    }

    def refuse(message: str) -> HTMLResponse:
        return _returns_page(request, view, store_id=store_id, form=form, error=message, status=422)

    refused = uploads.too_long(view, form, {"region": 8, **returns.PARTS})
    if refused is not None:
        return refuse(refused.message)
    wanted = region.strip().upper()
    if not wanted or returns.region_problem(wanted) is not None:
        return refuse(view.t("returns.choose_region"))
    problem = returns.address_problem({**form, "country": country.strip().upper()})
    if problem is not None:
        return refuse(_address_refusal(view, problem))
    parts = {**form, "country": country.strip().upper()}
    parts.pop("region")
    try:
        returns.put_address(
            database(request), store_id, wanted, parts, now=request.app.state.clock()
        )
    except returns.AddressRefused as exc:
        return refuse(_address_refusal(view, exc.problem))
    query = urlencode({"store": store_id, "done": "save_return_address"})
    return RedirectResponse(f"/desk/store/returns?{query}", 303)


@router.post("/store/returns/delete")
def delete_return_address(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    store_id: Annotated[str, Form(max_length=64)] = "",
    region: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    require_role(view, "seller")
    _owned_store(view, store_id)
    returns.delete_address(database(request), store_id, region)  # gone already: the same
    query = urlencode({"store": store_id, "done": "delete_return_address"})
    return RedirectResponse(f"/desk/store/returns?{query}", 303)


# -- the inbox as CSV ----------------------------------------------------------------------------


def _csv_cell(value: str) -> str:
    """A cell a spreadsheet shows as text (never runs as a formula: `=`, `+`, `-`, `@`)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _local(view: View, value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(view.time_zone)).strftime("%Y-%m-%d %H:%M")


def export_header(view: View) -> list[str]:
    zone = view.time_zone
    return [
        view.t("export.order"),
        view.t("export.dispute"),
        view.t("export.status"),
        view.t("export.reason"),
        view.t("export.buyer"),
        view.t("export.country"),
        view.t("export.carrier"),
        view.t("export.tracking_number"),
        view.t("export.order_total"),
        view.t("export.currency"),
        view.t("export.buyer_plan"),
        view.t("export.seller_plan"),
        view.t("export.opened", zone=zone),
        view.t("export.next_deadline", zone=zone),
        view.t("export.then"),
        view.t("export.outcome"),
        view.t("export.refunded"),
        view.t("export.closed", zone=zone),
    ]


def export_row(view: View, item: seller_center.ExportLine) -> list[str]:
    line = item.line
    d, o, cd = line.dispute, line.order, line.countdown
    currency = o.currency
    closed = d.closed_at is not None
    return [
        o.id,
        str(line.seq),
        view.t(f"status.{d.status}"),
        view.reason(d.reason),
        item.buyer_name,
        o.destination_country or "",
        o.carrier or "",
        item.tracking_number or "",
        format_money(o.total),
        currency,
        view.plan(d.buyer_plan, currency),
        view.plan(d.seller_plan, currency),
        _local(view, d.opened_at),
        _local(view, cd.at) if cd is not None else "",
        view.t(f"step.{cd.action}") if cd is not None else "",
        view.t(f"resolution.{d.resolution}") if d.resolution else "",
        format_money(d.refund_amount) if closed else "",
        _local(view, d.closed_at),
    ]


def export_chunks(view: View, batches: Iterator[list[seller_center.ExportLine]]) -> Iterator[bytes]:
    """The CSV, a batch at a time: the header (after a byte-order mark, so spreadsheets read
    UTF-8), then each batch's rows as one chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(export_header(view))
    yield ("\ufeff" + buffer.getvalue()).encode()
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        for item in batch:
            writer.writerow([_csv_cell(cell) for cell in export_row(view, item)])
        yield buffer.getvalue().encode()


@router.get("/inbox.csv")
def inbox_csv(
    request: Request,
    status: str | None = None,
    reason: str | None = None,
    country: str | None = None,
    carrier: str | None = None,
    open_only: str | None = None,
    q: str | None = None,
) -> Response:
    """The inbox as filtered (every page of it), as CSV: streamed a batch at a time, so any
    number of disputes is sent in the memory of one batch."""
    view = view_of(request)
    require_role(view, "seller", "buyer", "admin")
    assert view.session is not None
    filters = _filters(
        view,
        status=status,
        reason=reason,
        country=country,
        carrier=carrier,
        open_only=open_only,
        q=q,
    )
    batches = seller_center.iter_export(
        database(request), view.session.principal, filters, batch=EXPORT_BATCH
    )
    day = view.now.astimezone(ZoneInfo(view.time_zone)).strftime("%Y-%m-%d")
    return StreamingResponse(
        export_chunks(view, batches),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="disputes-{day}.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


# -- bulk accept: several small refund-only disputes, after a confirmation ----------------------


def _bulk_terms(view: View, max_amount: str, currency: str) -> tuple[Decimal | None, str]:
    """The amount and currency of a bulk accept, or (None, why not) in words."""
    amount = parse_money(max_amount.strip()) if max_amount.strip() else None
    if amount is None or amount <= 0 or amount > MAX_MONEY:
        if not max_amount.strip():
            return None, ""
        return None, view.t("bulk.bad_amount", text=max_amount.strip()[:40])
    if not currency:
        return None, ""  # several currencies: the page asks which
    if len(currency) != 3 or not currency.isalpha():
        return None, view.t("bulk.choose_currency")
    return amount, ""


_FILTER_KEYS = ("status", "reason", "country", "carrier", "q")


def _bulk_page(
    request: Request,
    view: View,
    *,
    max_amount: str,
    currency: str,
    kept: dict[str, str],
    error: str = "",
) -> HTMLResponse:
    assert view.session is not None
    db = database(request)
    principal = view.session.principal
    filters = _filters(view, **kept)
    choices = seller_center.currencies(db, principal)
    currency = currency.strip().upper() or (choices[0] if len(choices) == 1 else "")
    amount, problem = _bulk_terms(view, max_amount, currency)
    error = error or problem
    found: list[seller_center.BulkCandidate] = []
    more = False
    if amount is not None:
        found, more = seller_center.refund_only_candidates(
            db,
            principal,
            filters,
            max_amount=amount,
            currency=currency,
            now=view.now,
            may_accept=lambda line: (
                not permissions.command_denial(principal, line.store_id, "accept", {}, line.dispute)
            ),
        )
    total = sum((c.amount or Decimal(0) for c in found), Decimal(0))
    return page(
        view,
        "bulk_accept.html",
        status=422 if error else 200,
        error=error,
        max_amount=max_amount.strip()[:40],
        amount=amount,
        currency=currency,
        currencies=choices,
        candidates=found,
        more=more,
        total=total,
        kept=kept,
        limit=BULK_LIMIT,
        done=None,
    )


def _kept(values: Mapping[str, Any]) -> dict[str, str]:
    """The inbox's filters a bulk accept works within (the search box included)."""
    return {k: str(values[k])[:200] for k in _FILTER_KEYS if values.get(k)}


@router.get("/inbox/bulk-accept")
def bulk_accept_page(request: Request, max_amount: str = "", currency: str = "") -> HTMLResponse:
    """The confirmation: the open refund-only disputes (of the inbox as filtered) asking for at
    most the amount, which the rules let the seller accept now, each with a box to leave it out;
    nothing is accepted until the form below them is sent."""
    view = view_of(request)
    require_role(view, "seller")
    kept = _kept(request.query_params)
    return _bulk_page(request, view, max_amount=max_amount, currency=currency, kept=kept)


def _reference(value: str) -> tuple[str, int, int] | None:
    """ "ORDER-D1@7" (a dispute and the order's version the seller confirmed) as parts."""
    dispute, _, version = value.partition("@")
    parsed = desk.parse_dispute_id(dispute)
    if parsed is None or not (version.isascii() and version.isdigit()) or len(version) > 9:
        return None
    return parsed[0], parsed[1], int(version)


@router.post("/inbox/bulk-accept")
def bulk_accept(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    max_amount: Annotated[str, Form(max_length=40)] = "",
    currency: Annotated[str, Form(max_length=3)] = "",
    dispute: Annotated[list[str] | None, Form()] = None,
    status: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=100)] = "",
    country: Annotated[str, Form(max_length=2)] = "",
    carrier: Annotated[str, Form(max_length=100)] = "",
    q: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Accept each chosen dispute's plan: one command each, through the services, as the order
    was when confirmed (a case changed since is left alone); then the outcome of each."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    require_role(view, "seller")
    assert view.session is not None
    principal = view.session.principal
    db = database(request)
    amount, _error = _bulk_terms(view, max_amount, currency)
    chosen = [r for r in (_reference(v) for v in (dispute or [])[: BULK_LIMIT + 1]) if r]
    if amount is None or not chosen or len(chosen) > BULK_LIMIT:
        form = _kept(
            {"status": status, "reason": reason, "country": country, "carrier": carrier, "q": q}
        )
        error = view.t("bulk.nothing_chosen", most=BULK_LIMIT)
        return _bulk_page(
            request, view, max_amount=max_amount, currency=currency, kept=form, error=error
        )
    for order_id, seq, version in chosen:
        try:
            card = desk.order_card(db, principal, order_id)
        except ServiceError:
            continue
        if seq != len(card.disputes) or not card.disputes[-1].is_open:
            continue
        case = card.disputes[-1]
        plan = case.buyer_plan
        if (
            plan.type != PlanType.REFUND_ONLY
            or plan.amount is None
            or plan.amount > amount
            or card.order.currency != currency
        ):
            continue
        if permissions.command_denial(principal, card.store_id, "accept", {}, case):
            continue
        try:
            commands.execute(
                db,
                order_id,
                "seller",
                "accept",
                {},
                request.app.state.clock(),
                expected_version=version,
                live=True,
                **permissions.performer(principal),
            )
        except ServiceError:
            continue  # changed since confirmed, or kept changing: the outcome page says so
    query = urlencode(
        [("max_amount", max_amount), ("currency", currency)]
        + [("d", desk.dispute_id(o, s)) for o, s, _v in chosen]
    )
    return RedirectResponse(f"/desk/inbox/bulk-accept/done?{query}", 303)


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    dispute_id: str
    accepted: bool
    words: str
    card: desk.OrderCard | None = None


def _outcome(
    view: View, db: Any, reference: str, amount: Decimal | None, currency: str
) -> BulkOutcome:
    """What became of one dispute of a bulk accept, read from the order now: accepted, or why
    not (the rules' refusal in words, the seller's permission, a plan or order that changed)."""
    assert view.session is not None
    principal = view.session.principal
    parsed = desk.parse_dispute_id(reference)
    try:
        if parsed is None:
            raise ServiceError("not_found", reference)
        card = desk.order_card(db, principal, parsed[0])
    except ServiceError:
        return BulkOutcome(reference, False, view.t("bulk.not_found"))
    seq = parsed[1]
    if seq > len(card.disputes):
        return BulkOutcome(reference, False, view.t("bulk.not_found"))
    one = card.disputes[seq - 1]
    currency_of = card.order.currency
    if one.seller_last_response == "accept":
        words = view.t("bulk.accepted", plan=view.plan(one.buyer_plan, currency_of))
        return BulkOutcome(reference, True, words, card)
    if seq != len(card.disputes) or not one.is_open:
        words = view.t("refusal.dispute.status", status=view.t(f"status.{one.status}"))
        return BulkOutcome(reference, False, words, card)
    if permissions.command_denial(principal, card.store_id, "accept", {}, one):
        return BulkOutcome(reference, False, view.t("bulk.denied"), card)
    plan = one.buyer_plan
    if (
        plan.type != PlanType.REFUND_ONLY
        or plan.amount is None
        or amount is None
        or plan.amount > amount
        or currency_of != currency
    ):
        words = view.t("bulk.plan_changed", plan=view.plan(plan, currency_of))
        return BulkOutcome(reference, False, words, card)
    try:
        asked = commands.preview(db, card.order.id, "seller", "accept", {}, view.now, live=True)
    except ServiceError:
        return BulkOutcome(reference, False, view.t("bulk.changed"), card)
    if asked.refusal is not None:
        return BulkOutcome(reference, False, view.refusal(asked.refusal, currency_of), card)
    return BulkOutcome(reference, False, view.t("bulk.changed"), card)


@router.get("/inbox/bulk-accept/done")
def bulk_accept_done(request: Request, max_amount: str = "", currency: str = "") -> HTMLResponse:
    """The outcome of a bulk accept, dispute by dispute (what the form redirected to: a
    refresh reads it again and sends nothing)."""
    view = view_of(request)
    require_role(view, "seller")
    amount, _error = _bulk_terms(view, max_amount, currency)
    db = database(request)
    references = list(dict.fromkeys(request.query_params.getlist("d")))[:BULK_LIMIT]
    outcomes = [_outcome(view, db, r[:200], amount, currency) for r in references]
    return page(
        view,
        "bulk_done.html",
        outcomes=outcomes,
        accepted=sum(1 for o in outcomes if o.accepted),
        done=None,
    )
