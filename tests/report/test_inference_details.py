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
