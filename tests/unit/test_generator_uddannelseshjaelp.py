"""The young people on uddannelseshjælp in the synthetic DREAM register: the outcome computed
on the weeks (checked by hand on a tiny matrix) and the planted effect on the theme's
municipality (realised as planted, zero under placebo, nothing else touched)."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from synthetic import uddannelseshjaelp as U
from synthetic.dream import REGISTER_START, _code_groups, _paint, group_codes

UHJ, SU, KONTANTHJAELP = 711, 651, 701


def test_the_code_is_uddannelseshjaelp_inside_its_group() -> None:
    assert U.ydelse_code() == UHJ
    assert _code_groups()[UHJ] == "kontanthjaelp_uddannelseshjaelp"
    assert _code_groups()[SU] == "su_uddannelse"


def test_quarter_weeks_hold_the_quarters_first_day() -> None:
    # The register starts Monday 29.12.2014: 1.1.2015 in week 0, 1.4.2015 in week 13 (93
    # days), 1.7.2015 in week 26 (184 days), 1.10.2015 in week 39 (276), 1.1.2016 in week 52.
    assert U.quarter_weeks(REGISTER_START, 60) == [
        (date(2015, 1, 1), 0),
        (date(2015, 4, 1), 13),
        (date(2015, 7, 1), 26),
        (date(2015, 10, 1), 39),
        (date(2016, 1, 1), 52),
    ]


def test_outcome_panel_by_hand() -> None:
    matrix = np.zeros((4, 60), dtype=np.int16)
    matrix[0, 0:11], matrix[0, 11:41] = UHJ, SU  # A (851): in education in week 26
    matrix[1, 0:31] = UHJ  # B (851): still on the benefit in week 26, then self-supporting
    matrix[2, :] = UHJ  # C (461): on the benefit throughout
    matrix[3, :] = KONTANTHJAELP  # D (461): kontanthjælp, not uddannelseshjælp
    kommune = np.array([851, 851, 461, 461])
    panel = U.outcome_panel(matrix, kommune, REGISTER_START, UHJ, {SU})
    q = [date(2015, 1, 1), date(2015, 4, 1), date(2015, 7, 1), date(2015, 10, 1), date(2016, 1, 1)]
    expected = pl.DataFrame(
        {
            "kommunekode": [461] * 5 + [851] * 3,
            "kvartal": q + q[:3],
            # 461: C each quarter, week 26 after known only for the first three quarters.
            # 851: A and B in 2015K1 (A in education), B alone in K2 and K3 (week 39 and 52
            # blank: self-supporting); A left the benefit in week 11, B in week 31.
            "unge": [1, 1, 1, 1, 1, 2, 1, 1],
            "kendt": [1, 1, 1, 0, 0, 2, 1, 1],
            "gode": [0, 0, 0, 0, 0, 1, 1, 1],
        }
    )
    assert panel.select("kommunekode", "kvartal", "unge", "kendt", "gode").to_dicts() == (
        expected.to_dicts()
    )


def _population(size: float, seed: int = 3):
    kommuner = pl.DataFrame(
        {
            "kommunekode": [461, 851],
            "indbyggere": [204_895, 217_075],
            "startdato": [None, date(2018, 1, 1)],
            "slutdato": [None, date(2022, 12, 31)],
            "is_behandlet": [False, True],
        }
    )
    rng = np.random.default_rng(seed)
    n_weeks = 418
    codes = group_codes()
    people, spells = U.simulate_population(rng, kommuner, n_weeks, codes, "small", REGISTER_START)
    matrix = np.zeros((people.height, n_weeks), dtype=np.int16)
    _paint(matrix, spells)
    kommune = people["kommunekode"].to_numpy()
    untouched = matrix.copy()
    before = U.outcome_panel(matrix, kommune, REGISTER_START, UHJ, {SU})
    moved = U.plant_effect(
        rng,
        matrix,
        np.flatnonzero(kommune == 851),
        REGISTER_START,
        date(2018, 1, 1),
        date(2022, 12, 31),
        size,
        UHJ,
        codes["su_uddannelse"],
    )
    after = U.outcome_panel(matrix, kommune, REGISTER_START, UHJ, {SU})
    truth = U.truth_section(before, after, kommuner, size, moved)
    return matrix, untouched, kommune, before, after, truth


def test_planted_effect_is_realised_in_the_trial_quarters_only() -> None:
    matrix, untouched, kommune, before, after, truth = _population(0.08)
    realised = truth["realised_by_kommune"]["851"]
    # 2018K1 .. 2022K3: the quarters whose week 26 lies in the register (418 weeks).
    assert realised["kvartaler"] == 19
    assert realised["gns_gap"] == pytest.approx(0.08, abs=0.01)
    assert truth["flyttet_til_uddannelse"] > 0
    # The donor's weeks and every week before the trial's first outcome week are unchanged.
    assert (matrix[kommune == 461] == untouched[kommune == 461]).all()
    first_outcome_week = U.quarter_weeks(REGISTER_START, 418)[12][1] + U.UGER_EFTER
    assert (matrix[:, :first_outcome_week] == untouched[:, :first_outcome_week]).all()
    pre = pl.col("kvartal") < date(2018, 1, 1)
    assert before.filter(pre).equals(after.filter(pre))
    # Moved young people went from uddannelseshjælp to education, nothing else.
    changed = matrix != untouched
    assert set(untouched[changed].tolist()) == {UHJ}
    assert set(matrix[changed].tolist()) == {SU}


def test_placebo_plants_nothing() -> None:
    matrix, untouched, _, before, after, truth = _population(0.0)
    assert truth["flyttet_til_uddannelse"] == 0
    assert truth["realised_by_kommune"]["851"]["gns_gap"] == 0.0
    assert (matrix == untouched).all() and before.equals(after)


def test_an_effect_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="uddannelseshjaelp_uge_26_effekt"):
        _population(-0.1)
