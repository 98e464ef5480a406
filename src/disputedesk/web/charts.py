"""Charts drawn on the server as inline SVG (issue 14): nothing loaded from elsewhere, no script,
and readable without colour. A rate week by week is a solid line with round markers and each
week's value written above its marker; the red line is a dashed line with its words beside it;
both axes are labelled. The chart carries its `<title>` and `<desc>` (its accessible name and
description, `role="img"`); the pages put the figures beside it as a table too.

Only presentation attributes are used (no `style`): the desk's Content-Security-Policy allows no
inline styles, and attributes are not styles. The words come in already in the reader's
language: this module knows nothing of rates, only of numbers and their labels."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 104, 28, 58  # the plot's margins: tick labels, the red
# line's words (beside its right end, clear of the values), the axes' names
INK = "#1d2330"  # the desk's text colour (contrast 15:1 on white)
MUTED = "#5d6677"  # 5.9:1 on white
GRID = "#d9dee7"
SERIES = "#1a56b0"  # 7.1:1 on white
RED_LINE = "#a61b12"  # 7.4:1 on white
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True, slots=True)
class Point:
    """One step of the x axis: its label (a week's first day), its value (None: no figure, the
    line breaks there) and the value's label ("12.50%", or a dash)."""

    label: str
    value: float | None
    text: str


@dataclass(frozen=True, slots=True)
class LineChart:
    """A series against a horizontal line (the red line), in the reader's words."""

    id: str  # the element's id; `{id}-title` and `{id}-desc` name its title and description
    title: str
    desc: str
    x_label: str
    y_label: str
    points: Sequence[Point]
    tick_text: Callable[[float], str]  # a y tick's label ("10%")
    line: float | None = None
    line_text: str = ""


def nice_step(span: float) -> float:
    """A round step near `span` (1, 2, 2.5 or 5 times a power of ten), for about 4 ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    power = 10 ** math.floor(math.log10(span))
    for factor in (1, 2, 2.5, 5, 10):
        if span <= factor * power * (1 + 1e-9):
            return factor * power
    return 10 * power


def scale_top(values: Sequence[float], line: float | None) -> tuple[float, float]:
    """(the y axis' top, its tick step): room above the highest value and the line."""
    highest = max([*values, line or 0.0, 0.0])
    if highest <= 0:
        return 0.01, 0.0025  # nothing to show: a 1% axis, so the line at 0 is visible
    step = nice_step(highest * 1.15 / 4)
    top = step * math.ceil(highest * 1.15 / step)
    return top, step


def _runs(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """The series' unbroken stretches (a week without a figure breaks the line)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(chart: LineChart) -> Markup:
    """The chart as an inline `<svg>` element (safe to put in a page as it is)."""
    if not _ID.match(chart.id):
        raise ValueError(f"chart id {chart.id!r}: letters, digits, - and _ only")
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_h
    values = [p.value for p in chart.points if p.value is not None]
    top, step = scale_top(values, chart.line)
    count = max(1, len(chart.points))

    def x_at(i: int) -> float:
        return LEFT + (i + 0.5) * plot_w / count

    def y_at(value: float) -> float:
        return bottom - (value / top) * plot_h

    e = escape
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" id="{chart.id}" role="img" '
        f'aria-labelledby="{chart.id}-title {chart.id}-desc" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{chart.id}-title">{e(chart.title)}</title>',
        f'<desc id="{chart.id}-desc">{e(chart.desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    # the y axis: grid lines and their labels
    ticks = round(top / step) if step else 0
    out.append('<g class="y-ticks">')
    for k in range(ticks + 1):
        value = k * step
        y = _num(y_at(value))
        out.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + plot_w}" y2="{y}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y}" dy="4" text-anchor="end" fill="{MUTED}">'
            f"{e(chart.tick_text(value))}</text>"
        )
    out.append("</g>")
    out.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{LEFT}" y1="{bottom}" x2="{LEFT + plot_w}" y2="{bottom}" stroke="{INK}" '
        'stroke-width="1"/>'
    )
    # the x axis: each step's label, and the axes' names
    out.append('<g class="x-ticks">')
    for i, point in enumerate(chart.points):
        out.append(
            f'<text x="{_num(x_at(i))}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
            f'fill="{MUTED}">{e(point.label)}</text>'
        )
    out.append("</g>")
    out.append(
        f'<text class="x-label" x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 10}" '
        f'text-anchor="middle" fill="{INK}">{e(chart.x_label)}</text>'
    )
    middle = TOP + plot_h / 2
    out.append(
        f'<text class="y-label" x="14" y="{middle:.0f}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 14 {middle:.0f})">{e(chart.y_label)}</text>'
    )
    # the red line: dashed, with its words beside its right end
    if chart.line is not None:
        y = y_at(chart.line)
        out.append(
            f'<line class="red-line" x1="{LEFT}" y1="{_num(y)}" x2="{LEFT + plot_w}" '
            f'y2="{_num(y)}" stroke="{RED_LINE}" stroke-width="2" stroke-dasharray="8 5"/>'
        )
        out.append(
            f'<text class="red-line-label" x="{LEFT + plot_w + 6}" y="{_num(y)}" dy="4" '
            f'fill="{RED_LINE}" font-size="11" font-weight="700">{e(chart.line_text)}</text>'
        )
    # the series: solid line, round markers, each value written
    placed = [
        None if p.value is None else (x_at(i), y_at(p.value)) for i, p in enumerate(chart.points)
    ]
    for run in _runs(placed):
        coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in run)
        out.append(
            f'<polyline class="series" points="{coords}" fill="none" stroke="{SERIES}" '
            'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    out.append('<g class="points">')
    for i, point in enumerate(chart.points):
        x = _num(x_at(i))
        if point.value is None:
            out.append(
                f'<text class="value none" x="{x}" y="{bottom - 6}" text-anchor="middle" '
                f'fill="{MUTED}">{e(point.text)}</text>'
            )
            continue
        y = y_at(point.value)
        text_y = y - 9 if y - 9 > TOP + 4 else y + 18
        out.append(
            f'<circle cx="{x}" cy="{_num(y)}" r="4" fill="#ffffff" stroke="{SERIES}" '
            'stroke-width="2"/>'
        )
        out.append(
            f'<text class="value" x="{x}" y="{_num(text_y)}" text-anchor="middle" '
            f'font-size="11" fill="{INK}" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke">{e(point.text)}</text>'
        )
    out.append("</g></svg>")
    return Markup("".join(out))
