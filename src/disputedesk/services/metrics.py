"""Where the metrics' order histories come from: a scenario corpus (each scenario one order of one
store, replayed by the rules core) or, later, the store's event log. The figures themselves are
`rules.metrics`, one pure function for both."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from disputedesk.replay import MalformedScenario, parse_scenario_text, run
from disputedesk.rules.metrics import OrderHistory, history_from_events


@dataclass(slots=True)
class ScenarioCorpus:
    histories: list[OrderHistory] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def history_of_scenario(text: str) -> OrderHistory:
    """A scenario replayed: its order's accepted commands and automatic steps, in order."""
    replay = run(parse_scenario_text(text))
    order = replay.state.order
    events = (
        (entry.event.at, entry.event.action, entry.event.data)
        for entry in replay.timeline
        if entry.event is not None
    )
    return history_from_events(order.id, order.category, order.destination_country, events)


def scenario_histories(paths: Iterable[str]) -> ScenarioCorpus:
    """Every scenario under `paths` (files, or folders searched for `*.json`); a file that
    cannot be read or replayed is skipped and named."""
    from disputedesk.replay import scenario_paths

    corpus = ScenarioCorpus()
    for path in _paths(scenario_paths(list(paths))):
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            corpus.histories.append(history_of_scenario(text))
        except (OSError, UnicodeDecodeError) as exc:
            corpus.skipped.append((path, f"cannot read: {exc}"))
        except MalformedScenario as exc:
            corpus.skipped.append((path, str(exc)))
    return corpus


def _paths(paths: Iterator[str]) -> Iterator[str]:
    yield from paths
