"""The Effekt page's estimation helpers (dashboards/effects.py) without Streamlit.

Hand-worked values from the fixture (tests/app/fixture_snapshot.py): 32 quarters 2015K1–2022K4
(periode_index 1–32); trial municipalities 851, 840, 825 start in 2018K1 (index 13); LÆ285
runs to 2020K4 (index 24), the other themes to 2022K4. Share LÆ285 waived in the trial
quarters: 10/40 = 0,25, 5/20 = 0,25, 1/2 = 0,5 (0 before and after, 0 in the controls).
"""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from dashboards.effects import (
    REPORT_RI_DRAWS,
    REPORT_WCR_DRAWS,
    EstimationWindow,
    did_estimate,
    draws_note,
    estimation_window,
    window_note,
)
from dashboards.snapshot import Snapshot
from evaluation.analysis_window import analysis_window_end
from tests.app.fixture_snapshot import build_fixture_snapshot

FIRST = dt.date(2015, 1, 1)
LAST = dt.date(2022, 10, 1)
LAE285_END = dt.date(2020, 10, 1)


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    snapshot = Snapshot(build_fixture_snapshot(tmp_path_factory.mktemp("effects") / "s.duckdb"))
    yield snapshot
    snapshot.close()


def test_window_is_cut_at_the_last_lae285_quarter(snap):
    window = estimation_window(snap, "lae285", FIRST, LAST)
    assert window == EstimationWindow(
        fra=FIRST, til=LAE285_END, valgt_til=LAST, tema_slut=LAE285_END
    )
    assert window.is_cut and not window.is_empty
    # A period that ends before the theme does is left alone.
    inside = estimation_window(snap, "lae285", FIRST, dt.date(2019, 4, 1))
    assert (inside.til, inside.is_cut) == (dt.date(2019, 4, 1), False)
    # A period wholly after the theme leaves nothing.
    after = estimation_window(snap, "lae285", dt.date(2021, 1, 1), LAST)
    assert after.is_empty
    # Rehab exemption runs to the panel's end: nothing to cut.
    rehab = estimation_window(snap, "rehab_fritagelse", FIRST, LAST)
    assert (rehab.til, rehab.tema_slut, rehab.is_cut) == (LAST, LAST, False)
    with pytest.raises(ValueError):
        estimation_window(snap, "nope", FIRST, LAST)


def test_window_end_is_the_report_rule(snap):
    panel = snap.query("select * from marts.mart_panel_kommune_kvartal")
    assert analysis_window_end(panel, "lae285") == 24
    assert analysis_window_end(panel, "akut_fravaer") == 32
    # No quarter flagged in the theme: the whole panel.
    assert analysis_window_end(panel.filter(panel["kommunekode"] == 101), "lae285") == 32


def test_did_estimate_leaves_out_the_quarters_after_the_theme(snap):
    result = did_estimate(snap, "lae285", "alle_oevrige", "andel_lae285_fravalgt", FIRST, LAST)
    # 2015K1–2020K4 only; every post quarter has trial minus control change
    # mean(0,25; 0,25; 0,5) = 1/3. Uncut, the 8 quarters 2021K1–2022K4 (change 0) would pull
    # it to 12/20 · 1/3 = 0,2.
    assert result.n_periods == 24
    assert result.att == pytest.approx(1 / 3)
    # 6 clusters: all 2^6 sign vectors; 3 of 6 treated: all C(6,3) = 20 assignments.
    assert (result.wcr_draws, result.wcr_enumerated) == (64, True)
    assert (result.ri_draws, result.ri_exact) == (20, True)
    assert (
        did_estimate(
            snap, "lae285", "alle_oevrige", "andel_lae285_fravalgt", dt.date(2021, 1, 1), LAST
        )
        is None
    )


def test_window_note_in_both_languages():
    cut = EstimationWindow(fra=FIRST, til=LAE285_END, valgt_til=LAST, tema_slut=LAE285_END)
    da = window_note(cut, "lae285", "da")
    assert "til og med 2020K4" in da
    assert "2021K1–2022K4 er udeladt" in da
    assert "lov LÆ285 valgfri i alle kommuner" in da
    en = window_note(cut, "lae285", "en")
    assert "up to and including 2020Q4" in en
    assert "2021Q1–2022Q4 are left out" in en
    one = EstimationWindow(
        fra=FIRST, til=LAE285_END, valgt_til=dt.date(2021, 1, 1), tema_slut=LAE285_END
    )
    assert "2021K1 er udeladt" in window_note(one, "lae285", "da")
    assert "2021Q1 is left out" in window_note(one, "lae285", "en")
    # Another theme gets the general reason, not the LÆ285 law.
    other = window_note(cut, "lae265", "da")
    assert "LÆ285 valgfri" not in other and "varer ved" in other
    whole = EstimationWindow(fra=FIRST, til=LAST, valgt_til=LAST, tema_slut=LAST)
    assert window_note(whole, "lae285", "da") is None


def test_draws_note_states_the_numbers():
    coarse = draws_note(999, False, 199, False, "da")
    assert "wild cluster bootstrap med 999 træk" in coarse
    assert "randomiseringstest med 199 tilfældige fordelinger" in coarse
    assert "Evalueringsrapporten bruger 9.999 og 999" in coarse
    english = draws_note(999, False, 199, False, "en")
    assert "999 draws" in english and "199 random assignments" in english
    assert "report uses 9,999 and 999" in english
    exact = draws_note(64, True, 20, True, "da")
    assert "alle 64 fortegnsvektorer (eksakt)" in exact
    assert "alle 20 fordelinger (eksakt)" in exact
    assert "Evalueringsrapporten" not in exact


def test_report_draws_match_the_report_defaults():
    from report.writer import run_estimates

    defaults = inspect.signature(run_estimates).parameters
    assert defaults["wcr_draws"].default == REPORT_WCR_DRAWS
    assert defaults["ri_draws"].default == REPORT_RI_DRAWS
