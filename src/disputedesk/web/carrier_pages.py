"""The seller's carrier advisor page (/desk/carriers): per destination country, each carrier's
delivery figures from the store's own shipments, and the carrier to prefer with the figures
behind the pick, or plainly "too few shipments". The figures are `tracking.advisor`'s."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from babel import Locale
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from disputedesk.services import carriers
from disputedesk.services.commands import ServiceError
from disputedesk.store import tables as t
from disputedesk.tracking.advisor import CarrierFigures, CountryAdvice, Rate
from disputedesk.web import i18n
from disputedesk.web.render import PageError, View, database, page, require_role, view_of

router = APIRouter(prefix="/desk", include_in_schema=False)


def _stores(request: Request, view: View) -> list[tuple[str, str]]:
    """The stores the reader may advise on, (id, name): a seller's own; every store for an
    operator."""
    assert view.session is not None
    principal = view.session.principal
    query = select(t.stores.c.id, t.stores.c.name).order_by(t.stores.c.id)
    if principal.role != "admin":
        query = query.where(t.stores.c.id.in_(sorted(principal.stores)))
    with database(request).engine.connect() as conn:
        return [(row.id, row.name) for row in conn.execute(query)]


def _since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PageError(400, "error.title", "invalid_input", f"since: {value!r}") from None


def country_name(code: str | None, locale: str) -> str:
    """ "Brazil (BR)" / "巴西 (BR)"; the code alone when CLDR has no name for it."""
    if code is None:
        return "—"
    name = Locale.parse(i18n.babel_locale(locale)).territories.get(code)
    return f"{name} ({code})" if name else code


class Words:
    """The figures in the reader's words (the template's helper)."""

    def __init__(self, view: View) -> None:
        self.view = view

    def rate(self, rate: Rate) -> str:
        if rate.percent is None:
            return "—"
        return self.view.t("carriers.rate", percent=rate.percent, count=rate.count, of=rate.of)

    def days(self, figures: CarrierFigures, which: str) -> str:
        value = figures.p50_days if which == "p50" else figures.p90_days
        return "—" if value is None else self.view.t("carriers.days", days=value)

    def country(self, advice: CountryAdvice) -> str:
        return country_name(advice.country, self.view.locale)

    def most_known(self, advice: CountryAdvice) -> int:
        return max((c.on_time.of for c in advice.carriers), default=0)


@router.get("/carriers")
def carriers_page(
    request: Request,
    store: Annotated[str | None, Query(max_length=64)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
) -> HTMLResponse:
    """The carrier advisor for one of the reader's stores (the first one unless `store`)."""
    view = view_of(request)
    require_role(view, "seller", "admin")
    stores = _stores(request, view)
    ids = [store_id for store_id, _ in stores]
    if store and store not in ids:
        raise PageError(404, "error.not_found", "not_found", f"store {store!r}")
    chosen = store or (ids[0] if ids else None)
    if country is not None and not (len(country) == 2 and country.isascii() and country.isupper()):
        country = None
    report: Any = None
    countries: list[str] = []
    if chosen is not None:
        db = database(request)
        try:
            report = carriers.report(
                db, chosen, now=view.now, since=_since(since), country=country or None
            )
        except ServiceError as exc:
            raise PageError(404, "error.not_found", exc.code, exc.message) from None
        with db.engine.connect() as conn:
            countries = list(
                conn.scalars(
                    select(t.orders.c.destination_country)
                    .distinct()
                    .where(
                        t.orders.c.store_id == chosen,
                        t.orders.c.shipped_at.is_not(None),
                        t.orders.c.destination_country.is_not(None),
                    )
                    .order_by(t.orders.c.destination_country)
                )
            )
    return page(
        view,
        "carriers.html",
        stores=stores,
        store=chosen,
        country=country or "",
        since=since or "",
        countries=countries,
        report=report,
        words=Words(view),
        country_name=lambda code: country_name(code, view.locale),
    )
