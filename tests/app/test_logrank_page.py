"""Sagsbehandlingstid: a spell whose log-rank test has no variance (every event when one
case alone is at risk) shows its curves without a p-value instead of a crash."""

from __future__ import annotations

import json
import math

import polars as pl

from dashboards.indicators import logrank_p
from tests.app.conftest import open_page


def _counts(rows: list[tuple[str, int, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["gruppe", "dage", "haendelser", "ophoer"], orient="row")


def test_logrank_without_variance_is_no_p_value():
    # The only event (day 10, trial) has one case at risk: the variance d(n−d)/(n−1) is 0.
    counts = _counts([("forsoeg", 10, 1, 1), ("kontrol", 1, 0, 1)])
    assert logrank_p(counts) is None


def test_logrank_by_hand():
    # Day 1: both at risk, the trial case has the event: E = 1/2, V = 1·1/1 · 1/2 · 1/2 = 1/4.
    # Day 5: only the control case at risk: no variance. (O − E)²/V = (1/2)² / (1/4) = 1,
    # p = P(χ²₁ > 1) = erfc(1/√2).
    counts = _counts([("forsoeg", 1, 1, 1), ("kontrol", 5, 1, 1)])
    assert math.isclose(logrank_p(counts), math.erfc(1 / math.sqrt(2)), rel_tol=1e-12)


def test_rehab_time_to_decision_on_the_page(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "sagsbehandlingstid")
    next(s for s in at.selectbox if s.label == "Forløb").set_value(
        "rehab_start_til_afgoerelse"
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(c.proto.spec and "Rehab-start" in c.proto.spec for c in at.get("plotly_chart"))
    assert not any("Log-rank" in m.value for m in at.markdown)


def test_kaplan_meier_curves_keep_one_colour_per_group(app_for, fixture_home):
    """Trial red and control blue as on every other chart (dashboards.charts.PALETTE), the
    period before dotted, whichever curves are drawn."""
    at = open_page(app_for(fixture_home), "sagsbehandlingstid")
    assert not at.exception
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    lines = {t["name"].split(" (median")[0]: t["line"] for t in chart["data"] if t.get("name")}
    assert lines["Forsøgskommuner, før forsøget"] == {
        "shape": "hv",
        "color": "#e45756",
        "dash": "dot",
    }
    assert lines["Forsøgskommuner, under forsøget"]["color"] == "#e45756"
    assert lines["Forsøgskommuner, under forsøget"]["dash"] == "solid"
    assert (
        lines["Kontrolgruppe, før forsøget"]["color"]
        == lines["Kontrolgruppe, under forsøget"]["color"]
    )
    assert lines["Kontrolgruppe, før forsøget"]["color"] == "#4c78a8"


def test_report_kaplan_meier_colours_follow_the_named_group():
    from evaluation.survival import kaplan_meier
    from report.charts import GRUPPE_FARVER, km_figure

    fit = kaplan_meier([1.0, 2.0, 3.0], [True, True, False])
    # Only the trial curve drawn: still red, not the palette's first colour (blue).
    name = "Forsøgskommuner, under"
    figure = km_figure({name: fit}, styles={name: (GRUPPE_FARVER["Forsøgskommuner"], "solid")})
    line = next(t for t in figure.data if t.name).line
    assert (line.color, line.dash) == ("#e45756", "solid")
