"""The evaluation's charts (report.charts), drawn from the estimators' results."""

from __future__ import annotations

from pathlib import Path

import polars as pl

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
