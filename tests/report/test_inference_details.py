"""The report's lines under an estimate name the municipalities an estimate left out."""

from __future__ import annotations

import math

import polars as pl

from evaluation.did import DidResult
from report.writer import inference_details


def _result(dropped: list[str]) -> DidResult:
    nan = math.nan
    return DidResult(
        **dict.fromkeys(
            [
                "att",
                "se",
                "ci_low",
                "ci_high",
                "p_value",
                "p_wcr",
                "p_ri",
                "pretrend_p",
                "twfe_att",
                "twfe_se",
                "twfe_ci_low",
                "twfe_ci_high",
                "dynamic_att",
                "dynamic_se",
                "group_att",
                "group_se",
                "level",
            ],
            nan,
        ),
        outcome="andel_lae285_fravalgt",
        event_study=pl.DataFrame(),
        group_time=pl.DataFrame(),
        n_units=6,
        n_treated=3,
        n_control=3,
        n_periods=32,
        control="kontrol",
        wcr_draws=0,
        wcr_enumerated=False,
        ri_draws=0,
        ri_exact=False,
        weak_inference=True,
        warning=None,
        dropped_units=pl.DataFrame(
            {"unit": dropped, "reason": ["altid_behandlet"] * len(dropped)},
            schema={"unit": pl.String, "reason": pl.String},
        ),
    )


def test_left_out_municipalities_are_named():
    # The report listed "Udeladte kommuner: 825"; a code the names do not know stays a code.
    lines = inference_details(_result(["825", "999"]), {825: "Læsø", 851: "Aalborg"})["lines"]
    assert "Udeladte kommuner: Læsø (825), 999" in lines, lines


def test_intervals_and_bounds_in_the_indicators_unit():
    # A share's intervals were written as fractions (0,120 til 0,340), the sensitivity
    # bounds too; in percentage points: 12,0 and 34,0; a smoothness M of 0,01 per quarter
    # is 1 point, a relative-magnitude M of 1 stays 1.
    from dataclasses import replace

    from core import vocabulary
    from report.writer import Indicator

    result = replace(
        _result([]),
        headline="analytisk",
        ci_low=0.12,
        ci_high=0.34,
        sensitivity=pl.DataFrame(
            {
                "maal": ["foerste", "foerste"],
                "restriktion": ["smoothness", "relative_magnitudes"],
                "M": [0.01, 1.0],
                "ci_low": [-0.05, -0.10],
                "ci_high": [0.25, 0.30],
            }
        ),
    )
    share = Indicator.of(vocabulary.indikator("andel_lae285_fravalgt"))
    details = inference_details(result, {}, share)
    assert details["lines"][0].startswith(
        "Hovedinterval (analytisk): 12,0 procentpoint til 34,0 procentpoint"
    ), details["lines"]
    table = str(details["sensitivity"])
    for shown in ("-5,0 procentpoint", "25,0 procentpoint", "30,0 procentpoint", "1,000"):
        assert shown in table, (shown, table)
    assert "0,010" not in table and "0,250" not in table
    # Weeks are weeks: the report wrote every other unit as "dage".
    weeks = Indicator.of(vocabulary.indikator("gns_ydelsesuger_52"))
    assert weeks.fmt(12.5, True) == "12,5 uger"
    assert weeks.fmt(-3.0, True) == "-3,0 uger"
