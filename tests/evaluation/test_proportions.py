"""Wilson, Newcombe, omgørelsesprocent and funnel limits against published values."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from evaluation.proportions import (
    funnel_limits,
    newcombe,
    omgoerelsesprocent,
    wilson,
)
from report.charts import funnel_figure


def test_wilson_published_values():
    low, high = wilson(81, 263)
    assert round(low, 4) == 0.2553
    assert round(high, 4) == 0.3662
    low, high = wilson(0, 20)
    assert low == 0.0
    assert round(high, 4) == 0.1611


def test_wilson_matches_statsmodels_elementwise():
    x = np.array([0, 1, 5, 17, 40])
    n = np.array([3, 10, 12, 60, 40])
    low, high = wilson(x, n, level=0.9)
    ref_low, ref_high = proportion_confint(x, n, alpha=0.1, method="wilson")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)


def test_wilson_empty_denominator_is_nan():
    low, high = wilson(0, 0)
    assert math.isnan(low) and math.isnan(high)


def test_newcombe_published_example():
    # Newcombe (1998), Table II, example (a): 56/70 - 48/80, method 10: 0.0524 to 0.3339.
    low, high = newcombe(56, 70, 48, 80)
    assert round(low, 4) == 0.0524
    assert round(high, 4) == 0.3339


def test_newcombe_matches_statsmodels():
    low, high = newcombe(9, 10, 3, 10)
    ref = confint_proportions_2indep(9, 10, 3, 10, method="newcomb", compare="diff")
    assert low == pytest.approx(ref[0], abs=1e-10)
    assert high == pytest.approx(ref[1], abs=1e-10)


def test_omgoerelsesprocent_ankestyrelsen_example():
    # 129 realitetsbehandlede: 19 hjemvist, 5 aendret, 105 stadfaestet -> 18.6 % (19 % rounded).
    procent, low, high = omgoerelsesprocent(5, 19, 105)
    assert round(procent, 1) == 18.6
    assert round(procent) == 19
    ref_low, ref_high = proportion_confint(24, 129, method="wilson")
    assert low == pytest.approx(ref_low * 100)
    assert high == pytest.approx(ref_high * 100)


def _cdf(r: int, n: int, p: float) -> float:
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(r + 1))


def test_funnel_limits_hand_computed_interpolation():
    # n = 10, p = 0.3, upper 97.5 %: F(5) = 0.95265, F(6) = 0.98941, so r = 6 and
    # alpha = (F(6) - 0.975) / (F(6) - F(5)); limit = (6 - alpha) / 10.
    f5, f6 = _cdf(5, 10, 0.3), _cdf(6, 10, 0.3)
    assert f5 < 0.975 <= f6
    expected = (6 - (f6 - 0.975) / (f6 - f5)) / 10
    limits = funnel_limits(0.3, [10])
    assert limits["hoej_95"][0] == pytest.approx(expected, abs=1e-12)
    assert set(limits.columns) == {"n", "lav_95", "hoej_95", "lav_998", "hoej_998"}


def test_funnel_limits_approach_normal_for_large_n():
    p, n = 0.25, 40_000
    limits = funnel_limits(p, [n])
    half95 = 1.959964 * math.sqrt(p * (1 - p) / n)
    half998 = 3.090232 * math.sqrt(p * (1 - p) / n)
    assert limits["hoej_95"][0] == pytest.approx(p + half95, abs=2e-4)
    assert limits["lav_95"][0] == pytest.approx(p - half95, abs=2e-4)
    assert limits["hoej_998"][0] == pytest.approx(p + half998, abs=3e-4)


def test_funnel_limits_narrow_with_n():
    limits = funnel_limits(0.2, [20, 80, 320])
    widths = (limits["hoej_95"] - limits["lav_95"]).to_list()
    assert widths[0] > widths[1] > widths[2]


def test_funnel_figure_has_limits_and_points():
    data = pl.DataFrame({"kommune": ["A", "B", "C"], "omgjort": [5, 30, 12], "n": [20, 100, 60]})
    figure = funnel_figure(data, "omgjort", "n", "kommune", highlight=["A"])
    names = [trace.name for trace in figure.data]
    assert "Forsøgskommuner" in names and "Øvrige kommuner" in names and "95 %-grænse" in names
    points = next(t for t in figure.data if t.name == "Forsøgskommuner")
    assert list(points.y) == [25.0]
    # The pooled rate (5 + 30 + 12)/180 = 26,11 % is a legend entry, not a label that can
    # cover the dots.
    pooled = next(t for t in figure.data if t.name == "Samlet niveau")
    assert list(pooled.y) == pytest.approx([47 / 180 * 100] * 2)
    assert not figure.layout.annotations


def test_funnel_figure_rates_from_decimal_sums():
    # DuckDB's sum() of integers arrives as DECIMAL(38,0); the rate must not round to 0.
    data = pl.DataFrame(
        {"kommune": ["A", "B"], "omgjort": [21, 36], "n": [100, 100]},
        schema={"kommune": pl.String, "omgjort": pl.Decimal(38, 0), "n": pl.Decimal(38, 0)},
    )
    figure = funnel_figure(data, "omgjort", "n", "kommune", highlight=["A"])
    trial = next(t for t in figure.data if t.name == "Forsøgskommuner")
    others = next(t for t in figure.data if t.name == "Øvrige kommuner")
    assert list(trial.y) == [21.0] and list(others.y) == [36.0]
