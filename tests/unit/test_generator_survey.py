"""The synthetic survey: the planted effect on positive answers is recovered, citizens'
design weights are N / n per municipality, and only ansøgning 1's themes are surveyed."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from core.vocabulary import temaer
from synthetic import params as P
from synthetic.municipalities import kommune_frame, load_reference, theme_windows
from synthetic.survey import RESPONDENTER, SURVEY_POSITIV_ANDEL, simulate_survey


@pytest.fixture(scope="module")
def answers() -> pl.DataFrame:
    ref = load_reference()
    kommuner = ref.kommuner.filter(pl.col("region").is_in(["Nordjylland", "Midtjylland"]))
    koder = kommuner["kommunekode"].to_list()
    kom = kommune_frame(ref, koder, np.random.default_rng(0))
    effects = P.resolve_effects({"survey_positiv_effekt": 0.15})
    return simulate_survey(np.random.default_rng(1), kom, theme_windows(ref, koder), effects)


def test_planted_effect_on_citizens_is_recovered(answers):
    borgere = answers.filter((pl.col("respondenttype") == "borger") & pl.col("svar").is_not_null())
    share = dict(
        borgere.group_by("i_tema").agg((pl.col("svar") >= 4).mean().alias("andel")).iter_rows()
    )
    n_in = borgere.filter("i_tema").height
    se = np.sqrt(0.7 * 0.3 / n_in + 0.55 * 0.45 / (borgere.height - n_in))
    assert share[False] == pytest.approx(SURVEY_POSITIV_ANDEL["borger"], abs=3 * se)
    assert share[True] - share[False] == pytest.approx(0.15, abs=4 * se)


def test_citizen_weights_are_population_over_sample(answers):
    ref = load_reference().kommuner.select("kommunekode", "indbyggere")
    vaegte = (
        answers.filter(pl.col("respondenttype") == "borger")
        .group_by("kommunekode")
        .agg(pl.col("vaegt").unique())
        .join(ref, on="kommunekode")
    )
    for _kode, vaegt, indbyggere in vaegte.iter_rows():
        assert vaegt == [round(max(20, indbyggere // 100) / RESPONDENTER["borger"], 2)]
    staff = answers.filter(pl.col("respondenttype") != "borger")["vaegt"].unique().to_list()
    assert staff == [1.0]


def test_only_the_themes_of_ansoegning_1_are_surveyed(answers):
    expected = sorted(t.tema for t in temaer() if t.ansoegning == 1)
    assert sorted(answers["tema"].unique().to_list()) == expected
