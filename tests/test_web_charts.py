"""The server-side SVG chart (web/charts.py): well-formed SVG with its accessible name and
description, a series broken where a week has no figure, a value written at every step, the
red line dashed with its words, both axes named, a scale that holds the values and the line,
and no inline style (the desk's Content-Security-Policy allows none)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from disputedesk.web.charts import (
    BOTTOM,
    HEIGHT,
    TOP,
    LineChart,
    Point,
    line_chart,
    nice_step,
    scale_top,
)

SVG = "{http://www.w3.org/2000/svg}"


def chart(values: list[float | None], line: float | None = 0.05, **extra: object) -> LineChart:
    points = [
        Point(f"W{i}", v, "—" if v is None else f"{v * 100:.2f}%") for i, v in enumerate(values)
    ]
    fields: dict[str, object] = {
        "id": "chart-test",
        "title": "NAD dispute rate, week by week",
        "desc": "Twelve weeks against the red line",
        "x_label": "Week",
        "y_label": "Rate",
        "points": points,
        "tick_text": lambda v: f"{v * 100:g}%",
        "line": line,
        "line_text": "red line 5.00%",
        **extra,
    }
    return LineChart(**fields)  # type: ignore[arg-type]


def parse(values: list[float | None], **extra: object) -> ET.Element:
    return ET.fromstring(str(line_chart(chart(values, **extra))))


def texts(root: ET.Element, cls: str | None = None) -> list[str]:
    return [
        "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if cls is None or cls in (t.get("class") or "").split()
    ]


def test_the_chart_is_an_image_with_its_name_and_description() -> None:
    root = parse([0.1, 0.2, 0.05])
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-test-title chart-test-desc"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "chart-test-title"
    assert title.text == "NAD dispute rate, week by week"
    assert desc is not None and desc.get("id") == "chart-test-desc"
    assert "style" not in str(line_chart(chart([0.1])))


def test_every_value_is_written_and_a_week_without_a_figure_breaks_the_line() -> None:
    root = parse([0.1, None, 0.2, 0.3])
    lines = root.findall(f".//{SVG}polyline")
    assert [len(p.get("points", "").split()) for p in lines] == [1, 2]
    assert texts(root, "value") == ["10.00%", "—", "20.00%", "30.00%"]
    assert len(root.findall(f".//{SVG}circle")) == 3  # a marker for each figure
    assert texts(root, "x-label") == ["Week"] and texts(root, "y-label") == ["Rate"]
    (ticks,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "x-ticks"]
    assert ["".join(t.itertext()) for t in ticks] == ["W0", "W1", "W2", "W3"]


def test_the_red_line_is_dashed_with_its_words_where_its_value_is() -> None:
    root = parse([0.1, 0.2])
    (red,) = [x for x in root.iter(f"{SVG}line") if x.get("class") == "red-line"]
    assert red.get("stroke-dasharray") == "8 5"
    assert red.get("y1") == red.get("y2")
    top, _ = scale_top([0.1, 0.2], 0.05)
    plot_h = HEIGHT - TOP - BOTTOM
    expected = TOP + plot_h - 0.05 / top * plot_h
    assert abs(float(red.get("y1") or 0) - expected) < 0.1
    assert texts(root, "red-line-label") == ["red line 5.00%"]
    without = parse([0.1], line=None)
    assert not [x for x in without.iter(f"{SVG}line") if x.get("class") == "red-line"]


def test_words_are_escaped() -> None:
    root = parse([0.1], title="<b>&</b>", line_text="a < b")
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "<b>&</b>"
    assert texts(root, "red-line-label") == ["a < b"]


def test_the_scale_holds_the_values_and_the_line() -> None:
    top, step = scale_top([0.4, 0.1], 0.05)
    assert top >= 0.4 and abs(top / step - round(top / step)) < 1e-9
    top, step = scale_top([0.001], 0.3)
    assert top >= 0.3
    assert scale_top([], None) == (0.01, 0.0025)  # nothing at all: still an axis
    assert scale_top([0.0, 0.0], 0.0)[0] > 0
    assert nice_step(0.013) == pytest.approx(0.02)
    assert nice_step(0.3) == pytest.approx(0.5)
    assert nice_step(0.25) == pytest.approx(0.25)
    assert nice_step(7) == pytest.approx(10)
    assert nice_step(0) == 1.0
    root = parse([None, None, None])  # no figure in any week
    assert not root.findall(f".//{SVG}polyline")
    assert texts(root, "value") == ["—", "—", "—"]


def test_a_chart_id_is_a_plain_token() -> None:
    with pytest.raises(ValueError):
        line_chart(chart([0.1], id='x" onload="alert(1)'))
