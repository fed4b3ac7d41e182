"""The evaluation's charts (report.charts), drawn from the estimators' results."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from evaluation.did import estimate
from report.charts import event_study_figure

MPDTA = Path(__file__).resolve().parents[1] / "data" / "mpdta.csv"


def test_event_study_figure_marks_reference_period():
    mpdta = pl.read_csv(MPDTA)
    result = estimate(mpdta, "lemp", "countyreal", "year", "first_treat", inference=False)
    figure = event_study_figure(result)
    trace = figure.data[0]
    # Universal base: the 2007 cohort has a lead back to 2003 (-4); -1 is the reference.
    assert list(trace.x) == [-4, -3, -2, -1, 0, 1, 2, 3]
    assert trace.y[3] == 0.0
    assert list(trace.y) == result.event_study["estimate"].to_list()
    assert figure.layout.yaxis.title.text.startswith("Estimeret effekt")


def test_event_study_figure_in_english_and_in_the_indicators_unit():
    # In English mode the Effekt page's event study kept its Danish subtitle and axis; the
    # estimates of a share were fractions beside an ATT in percentage points.
    mpdta = pl.read_csv(MPDTA)
    result = estimate(mpdta, "lemp", "countyreal", "year", "first_treat", inference=False)
    figure = event_study_figure(result, lang="en", scale=100.0, unit="percentage points")
    trace = figure.data[0]
    expected = [v * 100 for v in result.event_study["estimate"].to_list()]
    assert list(trace.y) == expected
    es = result.event_study
    upper = [(h - e) * 100 for h, e in zip(es["ci_high"], es["estimate"], strict=True)]
    assert list(trace.error_y.array) == pytest.approx(upper)
    assert figure.layout.yaxis.title.text == (
        "Estimated effect (difference in differences), percentage points"
    )
    assert "95% confidence intervals; test of parallel trends" in figure.layout.title.text
    assert figure.layout.xaxis.title.text == "Quarters before/after start"
    assert trace.name == "Estimate" and figure.layout.separators == ".,"
