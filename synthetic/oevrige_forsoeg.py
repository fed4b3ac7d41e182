"""The two other trials: psychologist courses (ansøgning 2) and education-order exemptions
(ansøgning 4), as master frames like the case sources.

Psychologist treatment (theme ``psykologbehandling``): a share ``PSYKOLOG_ANDEL`` of the
sickness-benefit cases with diagnosegruppe psykisk reported while the municipality is in the
theme get a course (so volumes follow the psychiatric cases of Jammerbugt, Thisted and
Rebild). The course links to its case (same ``sags_id``, same person), is referred 1–6
weeks after the notification, holds up to 12 sessions at about 1,000 kr. each (4,000–12,000
kr. for a full course, ansøgning 2). Planted effects (``truth.json``): the treated case ends
``psykolog_sygefravaer_dage`` days earlier (default −21, three weeks), and the screening
score changes by ``psykolog_bdi_aendring`` BDI points (default −5; the other instruments by
the same fraction of their scale). Placebo sets both to 0.

Exemption from the education order (theme ``uddannelsespaalaeg_fritagelse``): about 200
young people in Aalborg over the trial (ansøgning 4), scaled by the run's volume factor.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from synthetic import params as P
from synthetic.cpr import make_cpr, mod11_sum
from synthetic.municipalities import Reference
from synthetic.sampling import categorical, to_date

PSYKOLOG_TEMA = P.TEMA_PSYKOLOGBEHANDLING
UDDANNELSE_TEMA = P.TEMA_UDDANNELSESPAALAEG_FRITAGELSE

# ICD-10 groups of the psychiatric cases offered treatment (ANTAGELSE: stress most common).
DIAGNOSE_ANDELE: dict[str, float] = {
    "F43": 0.45,
    "F32": 0.20,
    "F33": 0.05,
    "F41": 0.20,
    "F40": 0.05,
    "F42": 0.05,
}
# Instrument by diagnosis: depression -> BDI, anxiety -> BAI, stress -> PSS; SCL-90-R for a
# share of every group (ANTAGELSE).
_INSTRUMENT = {"F32": "BDI", "F33": "BDI", "F40": "BAI", "F41": "BAI", "F42": "BAI", "F43": "PSS"}
SCL90R_ANDEL = 0.10
# Scale maximum, baseline mean and SD, SD of the individual change (ANTAGELSE), per instrument.
_SKALA: dict[str, tuple[float, float, float, float]] = {
    "BDI": (63.0, 26.0, 7.0, 7.0),
    "BAI": (63.0, 22.0, 8.0, 7.0),
    "PSS": (40.0, 24.0, 5.0, 4.5),
    "SCL90R": (4.0, 1.6, 0.5, 0.45),
}
# Horizon of the panel's mean indicator gns_sygedagpengedage_365_psykisk (seed indikatorer):
# days on sickness benefit in the first year, counted for cases whose first year lies before
# the latest extract (int_oevrige_forsoeg_pr_kvartal).
AARSHORISONT_DAGE = 365
PSYKOLOG_ANDEL = 0.40  # share of eligible psychiatric cases given a course (ANTAGELSE)
# Eligible: still on sickness benefit 4 weeks after the notification (ANTAGELSE); referred
# 1-4 weeks after it.
HENVISNING_DAGE = 28
SCORE_FOER_ANDEL = 0.85  # courses screened at referral
SCORE_EFTER_ANDEL = 0.75  # of those screened and ended: screened again at the end
SESSION_KR = 1_000.0  # ansøgning 2: ~1,000 kr. per session
MANGLENDE_UDGIFT_ANDEL = 0.03

UDDANNELSE_FRITAGELSER = 200  # ansøgning 4: about 200 young people in Aalborg
BEGRUNDELSE_ANDELE = {
    "kan_ikke_gennemfoere_uddannelse": 0.7,
    "egu_ikke_realistisk": 0.2,
    "andet": 0.1,
}
OPHOER_PR_AAR = 0.15  # yearly hazard that an exemption ends (ANTAGELSE)
OPHOER_AARSAG_ANDELE = {
    "paabegyndt_uddannelse": 0.25,
    "beskaeftigelse": 0.15,
    "anden_ydelse": 0.40,
    "fraflyttet": 0.10,
    "andet": 0.10,
}


def _window(ref: Reference, tema: str) -> pl.DataFrame:
    return ref.forsoeg.filter(pl.col("tema") == tema).select(
        "kommunekode",
        pl.col("startdato").alias("_start"),
        pl.col("slutdato").alias("_slut"),
    )


def theme_kommuner(ref: Reference, tema: str, kommuner: list[int]) -> list[int]:
    """The run's municipalities that take part in ``tema``."""
    return sorted(set(_window(ref, tema)["kommunekode"].to_list()) & set(kommuner))


def simulate_psykologforloeb(
    rng: np.random.Generator, sdp: pl.DataFrame, ref: Reference, effects: dict
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(courses, sdp with the treated cases shortened by the planted effect).

    ``sdp`` is the sickness-benefit master with ``cpr``; courses carry the case's cpr.
    """
    n = sdp.height
    u_take = rng.random(n)
    frame = sdp.with_row_index("_i").join(
        _window(ref, PSYKOLOG_TEMA), on="kommunekode", how="left", maintain_order="left"
    )
    in_theme = (
        (pl.col("anmeldt_dato") >= pl.col("_start")).fill_null(False)
        & (pl.col("_slut").is_null() | (pl.col("anmeldt_dato") <= pl.col("_slut")))
    ).fill_null(False)
    egnet = (
        (pl.col("diagnosegruppe") == "psykisk")
        & in_theme
        & (pl.col("afsluttet_dato") - pl.col("anmeldt_dato")).dt.total_days().gt(HENVISNING_DAGE)
    )
    frame = frame.with_columns(er_psykolog_egnet=egnet)
    chosen = frame.filter(pl.col("er_psykolog_egnet") & pl.Series(u_take < PSYKOLOG_ANDEL))
    m = chosen.height
    diag = np.asarray(list(DIAGNOSE_ANDELE), dtype=object)[
        categorical(rng, m, list(DIAGNOSE_ANDELE.values()))
    ]
    instrument = np.where(
        rng.random(m) < SCL90R_ANDEL, "SCL90R", np.vectorize(_INSTRUMENT.get)(diag) if m else diag
    )
    henvist_lag = rng.integers(7, HENVISNING_DAGE + 1, m)
    dropout = rng.random(m) < 0.10
    sessions = np.where(dropout, rng.integers(0, 4, m), rng.integers(4, 13, m))
    kr_per_session = rng.normal(SESSION_KR, 40.0, m)
    has_udgift = rng.random(m) >= MANGLENDE_UDGIFT_ANDEL
    course_days = sessions * 14 + rng.integers(0, 15, m)
    skala = np.asarray([_SKALA[i] for i in instrument]).reshape(m, 4) if m else np.zeros((0, 4))
    foer = np.clip(rng.normal(skala[:, 1], skala[:, 2]), 0, skala[:, 0])
    bdi_effect = float(effects["psykolog_bdi_aendring"])
    change = bdi_effect * skala[:, 0] / 63.0 + rng.normal(0.0, skala[:, 3])
    efter = np.clip(foer + change, 0, skala[:, 0])
    has_foer = rng.random(m) < SCORE_FOER_ANDEL
    has_efter = has_foer & (rng.random(m) < SCORE_EFTER_ANDEL)
    decimals = np.where(instrument == "SCL90R", 2, 0)
    foer = np.where(decimals == 2, np.round(foer, 2), np.round(foer))
    efter = np.where(decimals == 2, np.round(efter, 2), np.round(efter))
    shorten = round(float(effects["psykolog_sygefravaer_dage"]))

    courses = chosen.select("_i", "kommunekode", "sags_id", "cpr", "anmeldt_dato", "afsluttet_dato")
    courses = (
        courses.with_columns(
            henvist_lag=pl.Series(henvist_lag),
            diagnose=pl.Series(diag.astype(str), dtype=pl.String),
            antal_sessioner=pl.Series(sessions, dtype=pl.Int64),
            udgift_kr=pl.Series(
                np.where(has_udgift, np.round(sessions * kr_per_session, 2), np.nan)
            ).fill_nan(None),
            course_days=pl.Series(course_days),
            screening_instrument=pl.Series(instrument.astype(str), dtype=pl.String),
            score_foer=pl.Series(np.where(has_foer, foer, np.nan)).fill_nan(None),
            score_efter=pl.Series(np.where(has_efter, efter, np.nan)).fill_nan(None),
        )
        .with_columns(
            # The treated case ends earlier (planted). Eligible cases run more than
            # HENVISNING_DAGE after the notification, so a shortening of up to that many days is
            # planted in full; the referral lies before the (new) end.
            ny_slut=pl.max_horizontal(
                pl.col("afsluttet_dato") + pl.duration(days=shorten),
                pl.col("anmeldt_dato") + pl.duration(days=2),
            ),
        )
        .with_columns(
            henvist_dato=pl.min_horizontal(
                pl.col("anmeldt_dato") + pl.duration(days=pl.col("henvist_lag")),
                pl.col("ny_slut") - pl.duration(days=1),
            ),
        )
    )
    courses = courses.with_columns(
        afsluttet_dato=pl.col("henvist_dato") + pl.duration(days=pl.col("course_days")),
        seq=pl.int_range(pl.len()).over("kommunekode") + 1,
    ).with_columns(
        forloeb_id=pl.format(
            "PF{}-{}", pl.col("kommunekode"), pl.col("seq").cast(pl.String).str.zfill(5)
        ),
        score_efter=pl.when(pl.col("afsluttet_dato") <= pl.lit(P.PERIOD_END))
        .then(pl.col("score_efter"))
        .otherwise(None),
    )
    new_end = courses.select("_i", "ny_slut")
    sdp_out = (
        frame.drop("_slut")
        .rename({"_start": "psykolog_tema_start"})
        .join(new_end, on="_i", how="left", maintain_order="left")
        .with_columns(
            afsluttet_dato=pl.coalesce("ny_slut", "afsluttet_dato"),
            afsluttet_dato_uden_psykolog=pl.col("afsluttet_dato"),
            er_psykolog_behandlet=pl.col("ny_slut").is_not_null(),
        )
        .with_columns(
            foerste_opfoelgning_dato=pl.when(
                pl.col("foerste_opfoelgning_dato") <= pl.col("afsluttet_dato")
            )
            .then(pl.col("foerste_opfoelgning_dato"))
            .otherwise(None)
        )
        .drop("_i", "ny_slut")
    )
    out = courses.select(
        "forloeb_id",
        "cpr",
        "kommunekode",
        "sags_id",
        "henvist_dato",
        "diagnose",
        "antal_sessioner",
        "udgift_kr",
        "afsluttet_dato",
        "screening_instrument",
        "score_foer",
        "score_efter",
    )
    return out, sdp_out


def _young_cpr(rng: np.random.Generator, fritaget: np.ndarray, taken: set[str]) -> np.ndarray:
    """CPR numbers for young people aged 18–29 on the exemption date, none in ``taken``."""
    n = fritaget.shape[0]
    days = fritaget - np.round(rng.uniform(18.2, 29.8, n) * 365.25).astype(np.int64)
    dom = pl.Series(days).cast(pl.Date).dt.day().to_numpy()
    days = days + np.where(dom == 1, 1, 0)
    cprs = make_cpr(rng, days)
    for i, value in enumerate(cprs):
        if value not in taken:
            continue
        # Same 9-digit prefix as an existing person: another last digit keeps it unique
        # and still fails modulus 11 (synthetic.cpr's guarantee).
        for digit in range(10):
            candidate = value[:-1] + str(digit)
            digits = np.array([[int(c) for c in candidate.replace("-", "")]])
            if candidate not in taken and mod11_sum(digits)[0] != 0:
                cprs[i] = candidate
                break
    return cprs


def simulate_uddannelsespaalaeg(
    rng: np.random.Generator, ref: Reference, kommuner: list[int], factor: float, taken: set[str]
) -> pl.DataFrame:
    """Exemptions from the education order in the theme's municipalities (master frame)."""
    windows = _window(ref, UDDANNELSE_TEMA).filter(pl.col("kommunekode").is_in(kommuner))
    frames = []
    for kode, start, slut in windows.iter_rows():
        end = slut or P.PERIOD_END
        n = int(rng.poisson(UDDANNELSE_FRITAGELSER * factor))
        # The stock of young people who can never complete an education is exempted early.
        span = (end - start).days
        offset = np.where(
            rng.random(n) < 0.6, rng.integers(0, 365, n), rng.integers(0, max(span, 1), n)
        )
        fritaget = np.asarray([start.toordinal() - date(1970, 1, 1).toordinal()] * n) + offset
        wait = rng.exponential(365.0 / OPHOER_PR_AAR, n).astype(np.int64) + 30
        ophoert = fritaget + wait
        reason = np.asarray(list(OPHOER_AARSAG_ANDELE), dtype=object)[
            categorical(rng, n, list(OPHOER_AARSAG_ANDELE.values()))
        ]
        begr_keys = list(BEGRUNDELSE_ANDELE)
        begr = np.asarray(begr_keys, dtype=object)[
            categorical(rng, n, list(BEGRUNDELSE_ANDELE.values()))
        ]
        cpr = _young_cpr(rng, fritaget, taken)
        taken |= set(cpr.tolist())
        frames.append(
            pl.DataFrame(
                {
                    "sags_id": [f"UP{kode}-{i + 1:05d}" for i in range(n)],
                    "cpr": cpr,
                    "kommunekode": [kode] * n,
                    "fritaget_dato": to_date(fritaget),
                    "begrundelse": begr.astype(str),
                    "ophoert_dato": to_date(ophoert),
                    "ophoer_aarsag": reason.astype(str),
                },
                schema_overrides={"kommunekode": pl.Int64},
            )
        )
    if not frames:
        return pl.DataFrame(
            schema={
                "sags_id": pl.String,
                "cpr": pl.String,
                "kommunekode": pl.Int64,
                "fritaget_dato": pl.Date,
                "begrundelse": pl.String,
                "ophoert_dato": pl.Date,
                "ophoer_aarsag": pl.String,
            }
        )
    return pl.concat(frames).sort("kommunekode", "fritaget_dato")


def realised_aarsdage_effect(sdp: pl.DataFrame) -> pl.DataFrame:
    """The planted shortening as realised on the panel's mean indicator
    ``gns_sygedagpengedage_365_psykisk``, per theme municipality × quarter of the
    notification from the theme's start quarter on.

    The indicator is the mean of min(days from first absence to the case's end,
    ``AARSHORISONT_DAGE``) over the psychiatric cases of the cell whose first year ends by the
    latest extract (``P.PERIOD_END``); a case open then counts the whole year. ``gns_med`` is
    that mean on the durations written to the files, ``gns_uden`` on the same cases' durations
    without the course (the counterfactual the generator knows), ``effekt`` their difference.
    Only the cases given a course differ, so ``effekt`` is the planted days times the treated
    share of the cell's cases, less what the one-year cap and the two-day floor cut off.
    """

    def aarsdage(slut: str) -> pl.Expr:
        return pl.min_horizontal(
            (pl.col(slut) - pl.col("foerste_fravaersdag")).dt.total_days(),
            pl.lit(AARSHORISONT_DAGE),
        )

    return (
        sdp.filter(
            (pl.col("diagnosegruppe") == "psykisk")
            & pl.col("psykolog_tema_start").is_not_null()
            & (
                pl.col("anmeldt_dato").dt.truncate("1q")
                >= pl.col("psykolog_tema_start").dt.truncate("1q")
            )
            & (
                pl.col("foerste_fravaersdag") + pl.duration(days=AARSHORISONT_DAGE)
                <= pl.lit(P.PERIOD_END)
            )
        )
        .group_by("kommunekode", kvartal=pl.col("anmeldt_dato").dt.truncate("1q"))
        .agg(
            n_sager=pl.len(),
            n_behandlet=pl.col("er_psykolog_behandlet").sum(),
            gns_med=aarsdage("afsluttet_dato").mean(),
            gns_uden=aarsdage("afsluttet_dato_uden_psykolog").mean(),
        )
        .with_columns(effekt=pl.col("gns_med") - pl.col("gns_uden"))
        .sort("kommunekode", "kvartal")
    )


def truth_section(
    courses: pl.DataFrame, sdp: pl.DataFrame, fritagelser: pl.DataFrame, effects: dict
) -> dict:
    """What was planted and realised, for tests and for checking the evaluation."""
    paired = courses.filter(
        pl.col("score_efter").is_not_null() & pl.col("score_foer").is_not_null()
    )
    per_instrument = (
        paired.group_by("screening_instrument")
        .agg(n=pl.len(), gns_aendring=(pl.col("score_efter") - pl.col("score_foer")).mean())
        .sort("screening_instrument")
    )
    return {
        PSYKOLOG_TEMA: {
            "forloeb_by_kommune": {
                str(k): n
                for k, n in courses.group_by("kommunekode").len().sort("kommunekode").iter_rows()
            },
            "planted_sygefravaer_dage": float(effects["psykolog_sygefravaer_dage"]),
            "planted_bdi_aendring": float(effects["psykolog_bdi_aendring"]),
            "behandlede_sager": int(sdp["er_psykolog_behandlet"].sum()),
            "scoreaendring_by_instrument": per_instrument.to_dicts(),
            # The planted shortening as realised on the panel indicator the DiD estimates,
            # per treated municipality × quarter (realised_aarsdage_effect).
            "realiseret_aarsdage_365_psykisk": [
                {**row, "kvartal": row["kvartal"].isoformat()}
                for row in realised_aarsdage_effect(sdp).to_dicts()
            ],
        },
        UDDANNELSE_TEMA: {
            "fritaget_by_kommune": {
                str(k): n
                for k, n in fritagelser.group_by("kommunekode")
                .len()
                .sort("kommunekode")
                .iter_rows()
            },
            "paabegyndt_uddannelse_inden_periodens_slut": int(
                fritagelser.filter(
                    (pl.col("ophoer_aarsag") == "paabegyndt_uddannelse")
                    & (pl.col("ophoert_dato") <= P.PERIOD_END)
                ).height
            ),
        },
    }
