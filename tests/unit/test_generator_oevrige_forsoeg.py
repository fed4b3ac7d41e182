"""Generator for the other trials: courses link to their case, volumes follow the documents,
and the planted effects are recovered from the generated data (placebo: no effect)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import polars as pl
import pytest

from synthetic import params as P
from synthetic.cases import simulate_sygedagpengesager
from synthetic.cpr import person_frame
from synthetic.municipalities import kommune_frame, load_reference, theme_windows
from synthetic.oevrige_forsoeg import (
    PSYKOLOG_ANDEL,
    realised_aarsdage_effect,
    simulate_psykologforloeb,
    simulate_uddannelsespaalaeg,
)

PSYKOLOG_KOMMUNER = [787, 840, 849]  # Thisted, Rebild, Jammerbugt (ansøgning 2)


def _run(effects: dict, seed: int = 7):
    ref = load_reference()
    rng = np.random.default_rng(seed)
    kom = kommune_frame(ref, PSYKOLOG_KOMMUNER, rng)
    sdp = simulate_sygedagpengesager(
        rng, kom, theme_windows(ref, PSYKOLOG_KOMMUNER), P.resolve_effects(effects), 1.0
    )
    persons = person_frame(rng, np.arange(int(sdp["person_nr"].max()) + 1) + 17_000)
    sdp = sdp.join(persons, on="person_nr", how="left")
    courses, treated = simulate_psykologforloeb(
        np.random.default_rng(seed + 1), sdp, ref, P.resolve_effects(effects)
    )
    return sdp, courses, treated


@pytest.fixture(scope="module")
def planted():
    return _run({})


@pytest.fixture(scope="module")
def placebo():
    return _run({"placebo": True})


def _in_theme_psykisk(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(
        (pl.col("diagnosegruppe") == "psykisk")
        & (pl.col("anmeldt_dato") >= date(2018, 1, 1))
        & (pl.col("anmeldt_dato") <= date(2022, 12, 31))
    )


def test_courses_link_to_a_psychiatric_case_of_the_same_person(planted):
    sdp, courses, _ = planted
    linked = courses.join(
        sdp.select("kommunekode", "sags_id", pl.col("cpr").alias("sag_cpr"), "diagnosegruppe"),
        on=["kommunekode", "sags_id"],
        how="left",
    )
    assert linked["sag_cpr"].null_count() == 0
    assert (linked["cpr"] == linked["sag_cpr"]).all()
    assert (linked["diagnosegruppe"] == "psykisk").all()
    assert courses["forloeb_id"].n_unique() == courses.height
    assert courses["antal_sessioner"].is_between(0, 12).all()
    per_session = courses.filter(pl.col("antal_sessioner") >= 4).select(
        pl.col("udgift_kr") / pl.col("antal_sessioner")
    )
    assert per_session.to_series().drop_nulls().is_between(850, 1150).all()


def test_volume_follows_the_psychiatric_cases_in_the_theme(planted):
    sdp, courses, _ = planted
    _, _, treated = planted
    in_theme = _in_theme_psykisk(sdp).height
    eligible = treated["er_psykolog_egnet"].sum()
    assert 0.5 * in_theme < eligible <= in_theme
    # Binomial(eligible, 0.40).
    assert abs(courses.height - eligible * PSYKOLOG_ANDEL) < 3 * math.sqrt(eligible * 0.24)


def _duration_difference(sdp_after: pl.DataFrame) -> tuple[float, float]:
    """Treated minus untreated mean spell (days) of the eligible psychiatric cases (in the
    theme, still open four weeks after notification), with its SE."""
    frame = sdp_after.filter("er_psykolog_egnet").with_columns(
        dage=(pl.col("afsluttet_dato") - pl.col("foerste_fravaersdag")).dt.total_days()
    )
    a = frame.filter(pl.col("er_psykolog_behandlet"))["dage"].cast(pl.Float64)
    b = frame.filter(~pl.col("er_psykolog_behandlet"))["dage"].cast(pl.Float64)
    se = math.sqrt(a.var() / a.len() + b.var() / b.len())
    return float(a.mean() - b.mean()), se


def _bdi_change(courses: pl.DataFrame) -> tuple[float, float]:
    change = courses.filter(
        (pl.col("screening_instrument") == "BDI") & pl.col("score_efter").is_not_null()
    ).select(pl.col("score_efter") - pl.col("score_foer"))["score_efter"]
    return float(change.mean()), float(change.std()) / math.sqrt(change.len())


def test_planted_effects_are_recovered(planted):
    _, courses, treated = planted
    diff, se = _duration_difference(treated)
    # Uptake is random among the eligible cases, so the treated-untreated difference
    # estimates the planted -21 days.
    assert abs(diff - P.DEFAULT_EFFECTS["psykolog_sygefravaer_dage"]) < 3 * se
    assert diff / se < -1.96
    bdi, bdi_se = _bdi_change(courses)
    assert abs(bdi - P.DEFAULT_EFFECTS["psykolog_bdi_aendring"]) < 3 * bdi_se
    assert bdi / bdi_se < -1.96


def test_placebo_effects_are_not_significant(placebo):
    _, courses, treated = placebo
    diff, se = _duration_difference(treated)
    assert abs(diff / se) < 1.96
    bdi, bdi_se = _bdi_change(courses)
    assert abs(bdi / bdi_se) < 1.96


def test_exemptions_are_about_two_hundred_young_people_in_aalborg():
    ref = load_reference()
    taken = {"120385-1236"}
    frame = simulate_uddannelsespaalaeg(np.random.default_rng(3), ref, [851, 787], 1.0, taken)
    assert frame["kommunekode"].unique().to_list() == [851]
    assert abs(frame.height - 200) < 3 * math.sqrt(200)
    assert frame["cpr"].n_unique() == frame.height
    assert frame["sags_id"].n_unique() == frame.height
    born = pl.col("cpr").str.slice(0, 6).str.to_date("%d%m%y")
    ages = frame.select(((pl.col("fritaget_dato") - born).dt.total_days() / 365.25).alias("alder"))[
        "alder"
    ]
    assert ages.min() >= 18 and ages.max() < 30
    assert (frame["ophoert_dato"] > frame["fritaget_dato"]).all()


def test_realised_effect_on_the_mean_first_year_by_hand():
    # Jammerbugt, theme from 2018-01-01; latest extract 2022-12-31. Quarter 2019K1: case A
    # treated, 100 days → 79 with the course; case B treated, 400 → 379 (both above the
    # 365 cap: no effect on the indicator); case C untreated, 50. Mean with (79 + 365 + 50)/3,
    # without (100 + 365 + 50)/3: effect -7. Not counted: D (musculoskeletal), E (first absence
    # 2022-06-01, first year not over by the extract), F (quarter 2017K4, before the theme),
    # G (a control municipality, no theme start).
    def case(kode, fravaer, anmeldt, uden, med, diag="psykisk", start=date(2018, 1, 1)):
        return {
            "kommunekode": kode,
            "diagnosegruppe": diag,
            "psykolog_tema_start": start,
            "foerste_fravaersdag": fravaer,
            "anmeldt_dato": anmeldt,
            "afsluttet_dato_uden_psykolog": date.fromordinal(fravaer.toordinal() + uden),
            "afsluttet_dato": date.fromordinal(fravaer.toordinal() + med),
            "er_psykolog_behandlet": uden != med,
        }

    d19, a19 = date(2019, 1, 2), date(2019, 1, 20)
    sdp = pl.DataFrame(
        [
            case(849, d19, a19, 100, 79),
            case(849, d19, a19, 400, 379),
            case(849, d19, a19, 50, 50),
            case(849, d19, a19, 100, 60, diag="bevaegeapparat"),
            case(849, date(2022, 6, 1), date(2022, 6, 20), 30, 9),
            case(849, date(2017, 11, 1), date(2017, 11, 20), 100, 100),
            case(615, d19, a19, 100, 100, start=None),
        ]
    )
    got = realised_aarsdage_effect(sdp).to_dicts()
    assert len(got) == 1
    row = got[0]
    assert (row["kommunekode"], row["kvartal"]) == (849, date(2019, 1, 1))
    assert (row["n_sager"], row["n_behandlet"]) == (3, 2)
    assert row["gns_med"] == pytest.approx((79 + 365 + 50) / 3)
    assert row["gns_uden"] == pytest.approx((100 + 365 + 50) / 3)
    assert row["effekt"] == pytest.approx(-7.0)


def test_placebo_realises_no_effect_on_the_mean_first_year(placebo):
    _, _, treated = placebo
    cells = realised_aarsdage_effect(treated)
    assert cells.height > 0
    assert (cells["effekt"] == 0.0).all()
