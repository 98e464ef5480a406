"""`disputedesk tracking classify` and `poll`: carrier events normalised to the 15 statuses."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from disputedesk.commands.common import fail, open_database

tracking_app = typer.Typer(
    help="Carrier tracking events: normalised to the 15 statuses.", no_args_is_help=True
)


@tracking_app.command("classify")
def tracking_classify(
    file: Annotated[
        str,
        typer.Argument(
            metavar="[FILE|-]", help="JSON Lines of carrier events; - or none: standard input."
        ),
    ] = "-",
) -> None:
    """Classify carrier tracking events: JSON Lines in, JSON Lines out.

    Each line is an object with the keys of ../shared/tracking/events.jsonl: carrier, raw_code,
    description, location, at, and optionally extra. Each is written back unchanged, plus
    "status" (no_info, info_received, accepted, in_transit, arrived_dest_country, in_customs,
    action_required, at_local_office, out_for_delivery, available_for_pickup,
    delivery_attempted, delivered, returning, returned or exception) and "notice_left" (true,
    or null when the text is silent or the status is neither a pickup nor an attempt), plus
    "unclassified": true when no rule knew the text (the status is then exception).

    A bad line (not JSON, not an object) is reported on standard error as LINE: message and
    the run goes on; the exit status is then 1. Blank lines are skipped. Exit 2 when the file
    cannot be read. Example: disputedesk tracking classify events.jsonl > classified.jsonl
    """
    from disputedesk.tracking.classifier import classify
    from disputedesk.tracking.taxonomy import TrackingStatus

    # What each judgement appends to an object, as bytes, so a line is spliced, not re-encoded.
    tails: dict[tuple[object, ...], bytes] = {}
    for status in TrackingStatus:
        for notice in (None, True):
            for unclassified in (False, True):
                extra = {"status": status.value, "notice_left": notice}
                if unclassified:
                    extra["unclassified"] = True
                tails[(status, notice, unclassified)] = json.dumps(extra)[1:].encode()
    replaced = {key: json.loads(b"{" + tail) for key, tail in tails.items()}

    try:
        source = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
    except OSError as exc:
        raise fail(f"{file}: {exc.strerror or exc}") from None
    out = sys.stdout.buffer
    loads = json.loads
    pending: list[bytes] = []
    bad = 0
    with source:
        for number, raw in enumerate(source, 1):
            line = raw.strip()
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line:
                continue
            try:
                event = loads(line.decode())
            except ValueError as exc:
                bad += 1
                typer.echo(f"{number}: not JSON ({exc})", err=True)
                continue
            if not isinstance(event, dict):
                bad += 1
                typer.echo(f"{number}: not a JSON object ({type(event).__name__})", err=True)
                continue
            judged = classify(event)
            key = (judged.status, judged.notice_left, judged.unclassified)
            if "status" in event or "notice_left" in event or "unclassified" in event:
                event.pop("unclassified", None)  # the input's own, replaced by the judgement's
                event.pop("status", None)
                event.pop("notice_left", None)
                event.update(replaced[key])
                pending.append(json.dumps(event, ensure_ascii=False).encode())
            elif event:
                pending.append(line[:-1].rstrip() + b", " + tails[key])
            else:
                pending.append(b"{" + tails[key])
            if len(pending) >= 8192:
                out.write(b"\n".join(pending) + b"\n")
                pending.clear()
    if pending:
        out.write(b"\n".join(pending) + b"\n")
    out.flush()
    if bad:
        raise typer.Exit(1)


@tracking_app.command("poll")
def tracking_poll(
    once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
    interval: Annotated[
        float, typer.Option(min=1.0, help="Seconds between rounds (without --once).")
    ] = 3600.0,
    batch: Annotated[
        int, typer.Option(min=1, max=500, help="Tracking numbers per carrier request.")
    ] = 40,
) -> None:
    """Ask the carriers (through karrio) about every parcel on its way, and store what they say.

    Parcels on their way: shipped orders (outbound, or the replacement) and buyers' returns not
    yet received, of the carriers with credentials in DISPUTEDESK_KARRIO_CARRIERS (JSON:
    karrio carrier names and their settings, e.g. {"laposte": {"api_key": "...", "aliases":
    ["Colissimo"]}}; an order's carrier matches a name or an alias without case, spaces or
    punctuation). Events are stored raw and normalised (source karrio), once: polling again
    stores only what is new. Needs karrio and the carriers' plugins (pip install
    'disputedesk[tracking]' karrio-laposte ...). Runs every --interval seconds until Ctrl-C;
    with --once, one round (exit 1 when a carrier failed). Exit 2 when nothing is configured.
    """
    import time

    from disputedesk.api.settings import ApiSettings
    from disputedesk.services.tracking import poll

    text = ApiSettings().karrio_carriers.strip()
    try:
        carriers = json.loads(text) if text else {}
    except ValueError as exc:
        raise fail(f"DISPUTEDESK_KARRIO_CARRIERS: not JSON: {exc}") from None
    if not isinstance(carriers, dict) or not carriers:
        raise fail(
            "no carrier is configured: set DISPUTEDESK_KARRIO_CARRIERS, e.g. "
            '\'{"laposte": {"api_key": "..."}}\''
        )
    try:
        from disputedesk.tracking.feeds.karrio_provider import KarrioProvider

        provider = KarrioProvider(carriers)
        for name in carriers:  # settings and plugins checked now, not at the first parcel
            provider.gateway(name)
    except ImportError:
        raise fail(
            "karrio is not installed: pip install 'disputedesk[tracking]' and the carriers' "
            "plugins (karrio-laposte, karrio-usps, ...)"
        ) from None
    except Exception as exc:  # karrio's settings errors are of many kinds
        raise fail(f"DISPUTEDESK_KARRIO_CARRIERS: {exc}") from None
    db = open_database()
    try:
        while True:
            report = poll(db, provider, batch_size=batch)
            typer.echo(
                f"asked about {report.asked} parcel(s): {report.events} event(s), "
                f"stored {report.stored}, already there {report.duplicates}"
            )
            for carrier, parcels in sorted(report.not_configured.items()):
                typer.echo(f"no credentials for {carrier}: {parcels} parcel(s) not asked about")
            for problem in report.problems:
                typer.echo(problem, err=True)
            if once:
                if report.problems:
                    raise typer.Exit(1)
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        db.dispose()
