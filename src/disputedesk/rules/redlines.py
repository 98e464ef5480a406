"""Red lines: the most a store's rates may reach per product category (seed 002: a seller over
one is penalised). Which line is in force is data (versioned: each takes effect at an instant
and stays until a later one for the same category and metric); a store nearing a line (at 80%
of it) is warned, one over it is penalised. Pure: the lines and the figures come in.

The defaults are our choice where the seeds give no numbers; operators set their own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from disputedesk.rules.metrics import Counts, Metrics

METRICS = ("nad_rate", "ruling_rate", "seller_responsibility_rate")
WARN_AT = Fraction(4, 5)  # 80% of a line
PPM = 1_000_000

# Lines for every category without its own (parts per million): a NAD dispute rate of 5%, a
# ruling rate of 30%, a seller-responsibility ruling rate of 1.5%.
DEFAULT_LINES_PPM: Mapping[str, int] = {
    "nad_rate": 50_000,
    "ruling_rate": 300_000,
    "seller_responsibility_rate": 15_000,
}


@dataclass(frozen=True, slots=True)
class RedLine:
    category: str | None  # None: every category without a line of its own
    metric: str
    threshold: Fraction
    effective_from: datetime | None = None  # None: the built-in default


@dataclass(frozen=True, slots=True)
class Verdict:
    """One category's figure against its line: `ok`, `near` (at or past 80% of the line, not
    over it) or `over`."""

    category: str
    metric: str
    figure: Fraction
    line: RedLine
    level: str
    counts: Counts

    @property
    def share_of_line(self) -> Fraction:
        return self.figure / self.line.threshold if self.line.threshold else Fraction(0)


def ppm(rate: Fraction) -> int:
    """A rate in parts per million, rounded half up (for storage and messages)."""
    return int(rate * PPM + Fraction(1, 2))


def lines_in_force(rows: Iterable[RedLine], at: datetime) -> dict[tuple[str | None, str], RedLine]:
    """For each (category, metric): the latest line that took effect at or before `at`, over
    the built-in defaults."""
    chosen: dict[tuple[str | None, str], RedLine] = {
        (None, metric): RedLine(None, metric, Fraction(value, PPM))
        for metric, value in DEFAULT_LINES_PPM.items()
    }
    for line in sorted(
        (r for r in rows if r.effective_from is None or r.effective_from <= at),
        key=lambda r: (r.effective_from is not None, r.effective_from or at),
    ):
        chosen[(line.category, line.metric)] = line
    return chosen


def line_for(
    lines: Mapping[tuple[str | None, str], RedLine], category: str, metric: str
) -> RedLine:
    return lines.get((category, metric)) or lines[(None, metric)]


def judge(metrics: Metrics, lines: Mapping[tuple[str | None, str], RedLine]) -> list[Verdict]:
    """Every category's three rates against their lines (a rate with no figure is not judged)."""
    verdicts = []
    for category, counts in sorted(metrics.by["category"].items()):
        for metric in METRICS:
            figure = getattr(counts, metric)
            if figure is None:
                continue
            line = line_for(lines, category, metric)
            if figure > line.threshold:
                level = "over"
            elif line.threshold and figure >= line.threshold * WARN_AT:
                level = "near"
            else:
                level = "ok"
            verdicts.append(Verdict(category, metric, figure, line, level, counts))
    return verdicts
