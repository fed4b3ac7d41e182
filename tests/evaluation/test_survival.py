"""Kaplan–Meier and log-rank against lifelines, R's published lung results and hand values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_lung, load_waltons
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import median_survival_times

from evaluation.survival import kaplan_meier, logrank
from report.charts import km_figure


def test_hand_computed_small_example():
    # Durations 1, 2+, 3, 3, 4+ (+ = open). S(1) = 4/5; S(3) = 4/5 * (1 - 2/3) = 4/15.
    result = kaplan_meier([1, 2, 3, 3, 4], [True, False, True, True, False])
    assert result.survival_at(1) == pytest.approx(0.8)
    assert result.survival_at(2.5) == pytest.approx(0.8)
    assert result.survival_at(3) == pytest.approx(4 / 15)
    assert result.median == 3.0
    # Greenwood: var S(3) = S^2 * (1/(5*4) + 2/(3*1)).
    row = result.curve.filter(result.curve["time"] == 3.0)
    assert row["se"][0] == pytest.approx(4 / 15 * math.sqrt(1 / 20 + 2 / 3))
    assert row["n_at_risk"][0] == 3
    assert result.curve["time"][0] == 0.0 and result.curve["survival"][0] == 1.0


def test_waltons_median_56():
    waltons = load_waltons()
    result = kaplan_meier(waltons["T"], waltons["E"])
    assert result.median == 56.0


def test_lung_median_and_ci_match_lifelines():
    lung = load_lung()
    result = kaplan_meier(lung["time"], lung["status"])
    fitter = KaplanMeierFitter().fit(lung["time"], lung["status"])
    ci = median_survival_times(fitter.confidence_interval_)
    assert result.median == fitter.median_survival_time_ == 310.0
    assert result.median_ci_low == ci.iloc[0, 0]
    assert result.median_ci_high == ci.iloc[0, 1]
    # The whole curve and band agree with lifelines at every event time.
    curve = result.curve.to_pandas().set_index("time")
    reference = fitter.survival_function_.join(fitter.confidence_interval_)
    joined = reference.join(curve, how="inner")
    np.testing.assert_allclose(joined["survival"], joined["KM_estimate"], atol=1e-12)
    np.testing.assert_allclose(joined["ci_low"], joined["KM_estimate_lower_0.95"], atol=1e-9)
    np.testing.assert_allclose(joined["ci_high"], joined["KM_estimate_upper_0.95"], atol=1e-9)


def test_lung_log_scale_ci_matches_r_survfit():
    # R: survfit(Surv(time, status) ~ 1, data = lung): median 310, 0.95LCL 285, 0.95UCL 363.
    lung = load_lung()
    result = kaplan_meier(lung["time"], lung["status"], conf_type="log")
    assert (result.median, result.median_ci_low, result.median_ci_high) == (310.0, 285.0, 363.0)
    assert result.median_ci == (285.0, 363.0)


def test_median_not_reached_is_infinite():
    result = kaplan_meier([5, 6, 7, 8], [True, False, False, False])
    assert math.isinf(result.median)
    assert math.isinf(result.median_ci_high)


def test_logrank_two_groups_matches_lifelines():
    waltons = load_waltons()
    result = logrank(waltons["T"], waltons["E"], waltons["group"])
    a = waltons[waltons["group"] == "control"]
    b = waltons[waltons["group"] != "control"]
    reference = logrank_test(a["T"], b["T"], a["E"], b["E"])
    assert result.statistic == pytest.approx(reference.test_statistic, rel=1e-10)
    assert result.p_value == pytest.approx(reference.p_value, rel=1e-8)
    assert result.df == 1
    assert result.summary["observed"].sum() == waltons["E"].sum()


def test_logrank_three_groups_matches_lifelines():
    lung = load_lung().dropna(subset=["ph.ecog"])
    lung = lung[lung["ph.ecog"] < 3]
    result = logrank(lung["time"], lung["status"], lung["ph.ecog"])
    reference = multivariate_logrank_test(lung["time"], lung["ph.ecog"], lung["status"])
    assert result.df == 2
    assert result.statistic == pytest.approx(reference.test_statistic, rel=1e-10)
    assert result.p_value == pytest.approx(reference.p_value, rel=1e-8)


def test_km_figure_traces():
    lung = load_lung()
    figure = km_figure({"Alle": kaplan_meier(lung["time"], lung["status"])})
    assert figure.data[1].name == "Alle (median 310)"
    assert figure.layout.yaxis.title.text == "Andel endnu ikke afsluttet"


def test_logrank_without_variance_has_no_p_value():
    """By hand: the only event (day 5) has a single case at risk, the other group's case
    was censored on day 1, so the test has zero variance; with no events at all likewise.
    Neither is a test, so the p-value is NaN rather than an error or a number."""
    assert np.isnan(logrank([5, 1], [True, False], ["a", "b"]).p_value)
    assert np.isnan(logrank([3, 4], [False, False], ["a", "b"]).p_value)
