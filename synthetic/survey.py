"""Questionnaire responses (source ``survey``, contract §1.9).

Per municipality, survey wave and theme: citizens, caseworkers and rehabilitation-team
members answer a few questions on the 5-point scale (5 = best). A respondent in a
municipality that is in the theme on the wave's date answers positively (4–5) with the
probability ``SURVEY_POSITIV_ANDEL[respondenttype] + effects["survey_positiv_effekt"]``;
everyone else with the base probability. About 5 % leave a question blank. Citizens are
sampled at a different rate per municipality, so the design weights (N / n per stratum =
municipality × respondent type) differ; caseworkers and team members are all asked
(weight 1). No CPR: the source allows it but the synthetic answers are anonymous.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from core.vocabulary import temaer
from synthetic.municipalities import in_theme

# Survey waves: code and the date the wave was fielded.
BOELGER: tuple[tuple[str, date], ...] = (
    ("2017-1", date(2017, 6, 1)),
    ("2019-1", date(2019, 6, 1)),
    ("2021-1", date(2021, 6, 1)),
)
# Themes surveyed: those of ansøgning 1, whose evaluation plan asks for citizen
# satisfaction and the caseworkers' and team's assessment (seed temaer). Questions per
# respondent type below.
SURVEY_ANSOEGNING = 1
SPOERGSMAAL: dict[str, tuple[str, ...]] = {
    "borger": ("tilfredshed_samlet", "foelt_inddraget"),
    "sagsbehandler": ("arbejdsgang_vurdering",),
    "rehabiliteringsteam": ("sagens_oplysning",),
}
RESPONDENTER: dict[str, int] = {"borger": 20, "sagsbehandler": 4, "rehabiliteringsteam": 3}
SURVEY_POSITIV_ANDEL: dict[str, float] = {
    "borger": 0.55,
    "sagsbehandler": 0.45,
    "rehabiliteringsteam": 0.50,
}
UBESVARET_ANDEL = 0.05


def simulate_survey(
    rng: np.random.Generator, kom: pl.DataFrame, themes: pl.DataFrame, effects: dict
) -> pl.DataFrame:
    """One row per answer: kommunekode, svar_id, respondenttype, cpr, tema, boelge,
    spoergsmaal, svar, stratum, vaegt, plus ``i_tema`` (for truth)."""
    effekt = float(effects["survey_positiv_effekt"])
    survey_temaer = [t.tema for t in temaer() if t.ansoegning == SURVEY_ANSOEGNING]
    rows: list[dict] = []
    theme_rows = {r["kommunekode"]: r for r in themes.iter_rows(named=True)}
    for kode, indbyggere in kom.select("kommunekode", "indbyggere").iter_rows():
        # Citizens in the municipality's survey population: about 1 per 100 inhabitants.
        n_borgere_population = max(RESPONDENTER["borger"], int(indbyggere) // 100)
        loebenr = 0
        for boelge, felt_dato in BOELGER:
            for tema in survey_temaer:
                window = pl.DataFrame([theme_rows[kode]]).select(
                    in_theme(pl.lit(felt_dato), tema).alias("i")
                )
                i_tema = bool(window["i"][0])
                for respondenttype, n in RESPONDENTER.items():
                    p = SURVEY_POSITIV_ANDEL[respondenttype] + (effekt if i_tema else 0.0)
                    vaegt = n_borgere_population / n if respondenttype == "borger" else 1.0
                    for _ in range(n):
                        for spoergsmaal in SPOERGSMAAL[respondenttype]:
                            loebenr += 1
                            u = rng.random(3)
                            if u[0] < UBESVARET_ANDEL:
                                svar = None
                            elif u[1] < p:
                                svar = 4 + int(u[2] < 0.5)
                            else:
                                svar = 1 + int(u[2] * 3)
                            rows.append(
                                {
                                    "kommunekode": kode,
                                    "svar_id": f"SV{kode}-{loebenr:06d}",
                                    "respondenttype": respondenttype,
                                    "cpr": None,
                                    "tema": tema,
                                    "boelge": boelge,
                                    "spoergsmaal": spoergsmaal,
                                    "svar": svar,
                                    "stratum": f"{kode}-{respondenttype}",
                                    "vaegt": round(vaegt, 2),
                                    "i_tema": i_tema,
                                }
                            )
    return pl.DataFrame(
        rows,
        schema={
            "kommunekode": pl.Int64,
            "svar_id": pl.String,
            "respondenttype": pl.String,
            "cpr": pl.String,
            "tema": pl.String,
            "boelge": pl.String,
            "spoergsmaal": pl.String,
            "svar": pl.Int64,
            "stratum": pl.String,
            "vaegt": pl.Float64,
            "i_tema": pl.Boolean,
        },
    )


def expected_survey(frame: pl.DataFrame, effects: dict) -> dict:
    """Planted positive-answer probabilities per respondent type, in and out of the theme."""
    effekt = float(effects["survey_positiv_effekt"])
    return {
        "positiv_andel_uden_forsoeg": dict(SURVEY_POSITIV_ANDEL),
        "positiv_andel_i_forsoeg": {k: v + effekt for k, v in SURVEY_POSITIV_ANDEL.items()},
        "svar": frame.height,
    }
