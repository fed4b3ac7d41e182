"""The verdict sentence of a trial–control difference (core/forskel.py), on hand-made
estimates."""

from __future__ import annotations

import math
from types import SimpleNamespace

from core import vocabulary
from core.forskel import Forskel


def _forskel(indikator: str, att: float, low: float, high: float) -> Forskel:
    result = SimpleNamespace(att=att, ci_low=low, ci_high=high)
    forskel = Forskel.from_result(vocabulary.indikator(indikator), result)
    assert forskel is not None
    return forskel


def test_fewer_days_with_an_interval_below_zero_is_a_clear_improvement():
    forskel = _forskel("dage_til_foerste_opfoelgning", -5.0, -8.0, -2.0)
    assert forskel.value("da") == "-5,0 dage"
    assert forskel.interval("da") == "95 %-interval: -8,0 til -2,0 dage"
    assert forskel.verdict("da").endswith(
        "Det er en sikker forbedring (intervallet rummer ikke 0)."
    )


def test_higher_cost_is_a_clear_worsening():
    forskel = _forskel("attestudgift_pr_sag_kr", 120.0, 40.0, 200.0)
    assert forskel.value("da") == "+120 kr."
    assert "120 kr. over kontrolgruppen" in forskel.verdict("da")
    assert "sikker forværring" in forskel.verdict("da")


def test_interval_across_zero_may_be_chance():
    # A share: fractions in the mart, percentage points on screen.
    forskel = _forskel("andel_rehab_fritaget", 0.031, -0.012, 0.074)
    assert forskel.value("da") == "+3,1 procentpoint"
    assert forskel.interval("en") == "95% interval: -1.2 to +7.4 percentage points"
    assert "kan skyldes tilfældigheder" in forskel.verdict("da")


def test_unbounded_interval_is_said_plainly():
    forskel = _forskel("omgoerelsesprocent", -8.3, -math.inf, math.inf)
    assert forskel.interval("da") == "95 %-interval: −∞ til ∞ procentpoint"
    assert "Intervallet er ubegrænset" in forskel.verdict("da")


def test_no_estimate_no_tile_value():
    assert Forskel.from_result(vocabulary.indikator("omgoerelsesprocent"), None) is None


def test_an_interval_that_could_not_be_computed_is_said_so_not_left_blank():
    forskel = _forskel("sygedagpengeforloeb_dage", -5.0, math.nan, math.nan)
    assert forskel.interval("da") == "95 %-interval: kan ikke beregnes"
    assert forskel.interval("en") == "95% interval: cannot be computed"
    verdict = forskel.verdict("da")
    assert verdict.startswith("Forsøgskommunerne ligger 5,0 dage under kontrolgruppen")
    assert "Intervallet kan ikke beregnes" in verdict and "ubegrænset" not in verdict


def test_no_difference_at_the_shown_precision_is_level_not_zero_below():
    # -0,04 days shows as 0,0: "0,0 dage under" would name a side that is not there.
    forskel = _forskel("sygedagpengeforloeb_dage", -0.04, -2.0, 2.0)
    assert forskel.verdict("da").startswith("Forsøgskommunerne ligger på niveau med kontrolgruppen")
    assert forskel.verdict("en").startswith("The trial municipalities are level with the control")
