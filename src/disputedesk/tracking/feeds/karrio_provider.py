"""Asking carriers for tracking through karrio's SDK, behind a small interface.

`TrackingProvider` is what the poller (`services.tracking.poll`) needs: which carriers it can
ask (`handles`) and `fetch(carrier, tracking_numbers)`, the events it got, each with its
tracking number. `KarrioProvider` is the real one: a karrio gateway per carrier with
credentials, asked with `karrio.Tracking.fetch(TrackingRequest(...)).from_(gateway).parse()`,
which returns karrio's unified `TrackingDetails` (and `Message`s for numbers the carrier
refused). `events_from_details` turns those into `CarrierEvent`s and is pure.

karrio is an optional dependency (`pip install 'disputedesk[tracking]'` plus the carriers'
plugins, e.g. `karrio-laposte`): it is imported only when a provider is built.

Credentials come as `{karrio carrier name: its settings}` (DISPUTEDESK_KARRIO_CARRIERS, JSON),
e.g. `{"laposte": {"api_key": "..."}, "canadapost": {"username": "...", ...,
"aliases": ["Canada Post"]}}`. An order's carrier matches a connection by its karrio name or an
alias, compared without case, spaces or punctuation ("La Poste" is `laposte`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from disputedesk.services.tracking import CarrierEvent, EventError, check_event

log = logging.getLogger("disputedesk.tracking")
_NOT_WORD = re.compile(r"[\W_]+")
Events = list[tuple[str, CarrierEvent]]  # (tracking number, event)


def carrier_key(name: str) -> str:
    """A carrier's name for matching: "La Poste", "la-poste" and "laposte" are one."""
    return _NOT_WORD.sub("", name).casefold()


class TrackingProvider(Protocol):
    """Where the poller gets events from."""

    def handles(self, carrier: str) -> bool:
        """Whether this provider can ask `carrier` (credentials are configured for it)."""
        ...

    def fetch(self, carrier: str, tracking_numbers: Sequence[str]) -> Events:
        """The carrier's events for these numbers, each with its tracking number. Numbers the
        carrier refused or does not know are left out (and said in `problems`)."""
        ...

    @property
    def problems(self) -> list[str]:
        """What went wrong since the last look (the poller reads and clears it)."""
        ...


def events_from_details(details: Sequence[Any], carrier: str | None = None) -> Events:
    """karrio `TrackingDetails` (objects, or their dicts) as events. `carrier` names the
    carrier as the order does (so that the same scan from another feed is recognised);
    otherwise karrio's carrier name. An event that cannot be stored is left out and logged."""
    from karrio import lib

    out: list[tuple[str, CarrierEvent]] = []
    for item in details:
        detail = lib.to_dict(item) if not isinstance(item, Mapping) else item
        number = str(detail.get("tracking_number") or "").strip()
        if not number:
            continue
        name = carrier or detail.get("carrier_name")
        for raw in detail.get("events") or []:
            event = lib.to_dict(raw) if not isinstance(raw, Mapping) else dict(raw)
            when = event.get("timestamp") or " ".join(
                str(part) for part in (event.get("date"), event.get("time")) if part
            )
            # karrio's own normalised `status`/`reason` stay in the payload, not in what the
            # classifier reads: the carrier's code and words are the evidence.
            fields = {
                "description": event.get("description"),
                "raw_code": event.get("code"),
                "carrier": name,
                "at": when or None,
                "location": event.get("location"),
                "tracking_number": number,
            }
            try:
                out.append((number, check_event(fields, payload=event)))
            except EventError as exc:
                log.warning("karrio event of %s left out: %s", number, exc)
    return out


GatewayFactory = Callable[[str, Mapping[str, Any]], Any]


def create_gateway(name: str, settings: Mapping[str, Any]) -> Any:
    """karrio's gateway for carrier `name` with its settings (the plugin must be installed)."""
    import karrio.sdk as karrio
    from loguru import logger

    logger.disable("karrio")  # its INFO lines on standard error, for every gateway
    try:
        initializer = karrio.gateway[name]
    except Exception:  # karrio raises a bare Exception for an unknown carrier
        plugin = "karrio-" + name.replace("_", "-")
        message = f"karrio has no carrier {name!r} installed (pip install {plugin})"
        raise ValueError(message) from None
    return initializer.create({"carrier_id": name, **settings})


class KarrioProvider:
    """The real provider: one karrio gateway per configured carrier, created on first use."""

    def __init__(
        self,
        carriers: Mapping[str, Mapping[str, Any]],
        *,
        gateway_factory: GatewayFactory = create_gateway,
    ) -> None:
        self._settings: dict[str, dict[str, Any]] = {}
        self._names: dict[str, str] = {}  # carrier_key -> karrio name
        for name, settings in carriers.items():
            if not isinstance(settings, Mapping):
                raise ValueError(f"karrio carrier {name!r}: its settings must be an object")
            own = dict(settings)
            aliases = own.pop("aliases", []) or []
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise ValueError(f"karrio carrier {name!r}: aliases must be a list of names")
            self._settings[name] = own
            for alias in (name, *aliases):
                self._names[carrier_key(alias)] = name
        self._factory = gateway_factory
        self._gateways: dict[str, Any] = {}
        self._problems: list[str] = []

    @property
    def problems(self) -> list[str]:
        return self._problems

    def karrio_name(self, carrier: str) -> str | None:
        return self._names.get(carrier_key(carrier))

    def handles(self, carrier: str) -> bool:
        return self.karrio_name(carrier) is not None

    def gateway(self, name: str) -> Any:
        if name not in self._gateways:
            self._gateways[name] = self._factory(name, self._settings[name])
        return self._gateways[name]

    def fetch(self, carrier: str, tracking_numbers: Sequence[str]) -> Events:
        import karrio.sdk as karrio
        from karrio.core.models import TrackingRequest

        name = self.karrio_name(carrier)
        if name is None or not tracking_numbers:
            return []
        request = TrackingRequest(tracking_numbers=list(tracking_numbers))
        details, messages = karrio.Tracking.fetch(request).from_(self.gateway(name)).parse()
        for message in messages or []:
            text = getattr(message, "message", None) or str(message)
            code = getattr(message, "code", None)
            self._problems.append(f"{carrier} ({name}): {code}: {text}" if code else text)
        return events_from_details(details or [], carrier)
