"""Sickness-benefit cases (sygedagpengesager): the full history of every case.

The frame returned here is the "master": every date as it eventually happens, possibly after
the last extract date. Snapshots (snapshots.py) cut it at each extract date.

LÆ285 rules (facts.md, Rebild): a case is *eligible* (``er_omfattet``) when it is in
visitation category 2-3 and expected off more than 8 weeks. Outside a LÆ285 theme window
every eligible case gets LÆ285. Inside it, the caseworker waives it with a probability that
follows the case: admitted/hospital-treated -> ``lae285_fravalg_indlagt`` (journal notes
instead), no employer -> ``lae285_fravalg_ingen_arbejdsgiver`` (LÆ125 instead), employed and
uncomplicated -> ``lae285_fravalg_ukompliceret``, otherwise ``lae285_fravalg_oevrige``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from synthetic import params as P
from synthetic.municipalities import in_theme
from synthetic.sampling import categorical, from_shares, seasonal_days, to_date

DIAGNOSER = tuple(P.DIAGNOSEGRUPPE_ANDELE)
_DIAG_DURATION_FACTOR = {
    "bevaegeapparat": 1.0,
    "psykisk": 1.3,
    "kraeft": 1.7,
    "hjerte_kar": 1.3,
    "andet": 0.9,
    "ukendt": 0.8,
}
_LANG_AARSAGER = {
    "jobafklaring": 0.40,
    "ressourceforloeb": 0.06,
    "fleksjob": 0.08,
    "foertidspension": 0.03,
    "raskmeldt": 0.25,
    "delvist_raskmeldt": 0.08,
    "bortfald": 0.04,
    "doed": 0.01,
    "fraflyttet": 0.02,
    "andet": 0.03,
}
_KORT_AARSAGER = {
    "raskmeldt": 0.72,
    "delvist_raskmeldt": 0.10,
    "bortfald": 0.07,
    "fraflyttet": 0.03,
    "doed": 0.003,
    "andet": 0.077,
}
REVURDERING_DAGE = 154  # 22 weeks


def case_counts(
    rng: np.random.Generator, kommuner: pl.DataFrame, rate: float, factor: float, years: float
) -> np.ndarray:
    """Poisson case counts per municipality, proportional to population."""
    mean = kommuner["indbyggere"].to_numpy() * kommuner["volumen_faktor"].to_numpy()
    return rng.poisson(mean * rate * factor * years)


def assign_persons(
    rng: np.random.Generator, group_start: np.ndarray, reuse_share: float
) -> np.ndarray:
    """Person index per row (rows sorted by group then date): some rows reuse an earlier
    row's person in the same group, so one person can have several cases."""
    n = group_start.shape[0]
    idx = np.arange(n)
    earlier = idx - group_start
    reuse = (rng.random(n) < reuse_share) & (earlier > 0)
    parent = np.where(reuse, group_start + np.floor(rng.random(n) * earlier).astype(np.int64), idx)
    while True:
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            break
        parent = nxt
    is_root = parent == idx
    person_of_root = np.cumsum(is_root) - 1
    return person_of_root[parent]


def simulate_sygedagpengesager(
    rng: np.random.Generator,
    kommuner: pl.DataFrame,
    themes: pl.DataFrame,
    effects: dict,
    factor: float,
) -> pl.DataFrame:
    """All sickness-benefit cases 2015-2022 of the run's municipalities (master frame)."""
    years = (P.PERIOD_END - P.BASELINE_START).days / 365.25
    counts = case_counts(rng, kommuner, P.SYGEDAGPENGE_RATE, factor, years)
    n = int(counts.sum())
    kode = np.repeat(kommuner["kommunekode"].to_numpy(), counts)
    anmeldt = seasonal_days(rng, n, P.BASELINE_START, P.PERIOD_END)
    order = np.lexsort((anmeldt, kode))
    kode, anmeldt = kode[order], anmeldt[order]

    har_ag = rng.random(n) < P.HAR_ARBEJDSGIVER_ANDEL
    lag = np.where(har_ag, rng.integers(21, 41, n), rng.integers(1, 15, n))
    diag_idx = categorical(rng, n, list(P.DIAGNOSEGRUPPE_ANDELE.values()))
    diag = np.asarray(DIAGNOSER, dtype=object)[diag_idx]
    kategori = categorical(rng, n, P.KATEGORI_ANDELE) + 1
    over8 = rng.random(n) < np.asarray(P.OVER_8_UGER_ANDEL)[kategori - 1]
    tolk = rng.random(n) < P.TOLK_ANDEL
    p_indlagt = np.asarray([P.INDLAGT_ANDEL[d] for d in DIAGNOSER])[diag_idx]
    p_sygehus = np.asarray([P.SYGEHUSBEHANDLING_ANDEL[d] for d in DIAGNOSER])[diag_idx]
    indlagt = rng.random(n) < p_indlagt
    sygehus = ~indlagt & (rng.random(n) < p_sygehus)
    ukompliceret = rng.random(n) < P.UKOMPLICERET_ANDEL
    u_fravalg = rng.random(n)
    u_alternativ = rng.random(n)
    dur_noise = rng.normal(0.0, P.VARIGHED_SIGMA, n)
    fu_noise = rng.normal(0.0, P.OPFOELGNING_SD_DAGE, n)
    fu_late = np.where(rng.random(n) < P.OPFOELGNING_SEN_ANDEL, rng.integers(10, 41, n), 0)
    u_aarsag = rng.random(n)
    # Group boundaries for person reuse (rows are sorted by municipality, then date).
    first_of_group = np.r_[True, kode[1:] != kode[:-1]]
    group_start = np.maximum.accumulate(np.where(first_of_group, np.arange(n), 0))
    person_nr = assign_persons(rng, group_start, reuse_share=0.15)
    seq = np.arange(n) - group_start + 1

    frame = pl.DataFrame(
        {
            "kommunekode": kode,
            "seq": seq,
            "person_nr": person_nr,
            "anmeldt_dato": to_date(anmeldt),
            "lag": lag,
            "visitationskategori": kategori,
            "forventet_over_8_uger": over8,
            "har_arbejdsgiver": har_ag,
            "diagnosegruppe": diag.astype(str),
            "tolk": tolk,
            "indlagt": indlagt,
            "sygehusbehandling": sygehus,
            "ukompliceret": ukompliceret,
            "u_fravalg": u_fravalg,
            "u_alternativ": u_alternativ,
            "dur_noise": dur_noise,
            "fu_noise": fu_noise,
            "fu_late": fu_late,
            "u_aarsag": u_aarsag,
        }
    ).join(themes, on="kommunekode", how="left", maintain_order="left")
    frame = frame.join(
        kommuner.select("kommunekode", "opfoelgning_effekt_dage"),
        on="kommunekode",
        how="left",
        maintain_order="left",
    )
    return _derive(frame, effects)


def _derive(frame: pl.DataFrame, effects: dict) -> pl.DataFrame:
    e = {k: pl.lit(float(v)) for k, v in effects.items() if k != "placebo"}
    omfattet = pl.col("visitationskategori").is_in([2, 3]) & pl.col("forventet_over_8_uger")
    tema = in_theme(pl.col("anmeldt_dato"), P.TEMA_LAE285)
    hospital = pl.col("indlagt") | pl.col("sygehusbehandling")
    p_fravalg = (
        pl.when(hospital)
        .then(e["lae285_fravalg_indlagt"])
        .when(~pl.col("har_arbejdsgiver"))
        .then(e["lae285_fravalg_ingen_arbejdsgiver"])
        .when(pl.col("ukompliceret"))
        .then(e["lae285_fravalg_ukompliceret"])
        .otherwise(e["lae285_fravalg_oevrige"])
    )
    begrundelse = (
        pl.when(pl.col("indlagt"))
        .then(pl.lit("indlagt"))
        .when(pl.col("sygehusbehandling"))
        .then(pl.lit("sygehusbehandling"))
        .when(~pl.col("har_arbejdsgiver"))
        .then(pl.lit("ingen_arbejdsgiver"))
        .when(pl.col("ukompliceret"))
        .then(pl.lit("ukompliceret"))
        .when(pl.col("visitationskategori") == 3)
        .then(pl.lit("alvorligt_syg"))
        .otherwise(pl.lit("andet"))
    )
    alternativ = (
        pl.when(hospital & (pl.col("u_alternativ") < e["lae285_alternativ_journal"]))
        .then(pl.lit("journaloplysninger"))
        .when(
            ~hospital
            & ~pl.col("har_arbejdsgiver")
            & (pl.col("u_alternativ") < e["lae285_alternativ_lae125"])
        )
        .then(pl.lit("LAE125"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    diag_factor = pl.col("diagnosegruppe").replace_strict(_DIAG_DURATION_FACTOR)
    frame = frame.with_columns(
        er_omfattet=omfattet,
        i_tema=tema,
        foerste_fravaersdag=pl.col("anmeldt_dato") - pl.duration(days=pl.col("lag")),
    ).with_columns(
        lae285_fravalgt=pl.col("er_omfattet")
        & pl.col("i_tema")
        & (pl.col("u_fravalg") < p_fravalg),
        median_dage=pl.col("visitationskategori").replace_strict(
            {k + 1: m for k, m in enumerate(P.VARIGHED_MEDIAN_DAGE)}, return_dtype=pl.Float64
        ),
    )
    tema_effekt = pl.col("er_omfattet") & pl.col("i_tema")
    varighed = (
        (pl.col("median_dage") * diag_factor * pl.col("dur_noise").exp()).round()
        + pl.when(tema_effekt).then(e["sygedagpenge_varighed_dage"]).otherwise(0.0)
    ).cast(pl.Int64)
    varighed = pl.max_horizontal(varighed, pl.col("lag") + 1)
    fu_dage = (
        P.OPFOELGNING_MIDDEL_DAGE
        + pl.col("fu_noise")
        + pl.col("opfoelgning_effekt_dage")
        + pl.col("fu_late")
        + P.OPFOELGNING_TREND_DAGE_PR_AAR
        * (pl.col("anmeldt_dato") - pl.lit(P.BASELINE_START)).dt.total_days()
        / 365.25
        + pl.when(tema_effekt).then(e["foerste_opfoelgning_dage"]).otherwise(0.0)
    ).round()
    fu_dage = pl.max_horizontal(fu_dage.cast(pl.Int64), pl.col("lag") + 2)
    frame = frame.with_columns(
        varighed=varighed,
        fu_dage=fu_dage,
    ).with_columns(
        afsluttet_dato=pl.col("foerste_fravaersdag") + pl.duration(days=pl.col("varighed")),
        opfoelgning=pl.col("foerste_fravaersdag") + pl.duration(days=pl.col("fu_dage")),
    )
    aarsag = _aarsag(pl.col("varighed") > REVURDERING_DAGE, pl.col("u_aarsag"))
    return frame.with_columns(
        sags_id=pl.format(
            "SD{}-{}", pl.col("kommunekode"), pl.col("seq").cast(pl.String).str.zfill(6)
        ),
        foerste_opfoelgning_dato=pl.when(pl.col("opfoelgning") <= pl.col("afsluttet_dato"))
        .then(pl.col("opfoelgning"))
        .otherwise(None),
        fravalg_begrundelse=pl.when(pl.col("lae285_fravalgt")).then(begrundelse).otherwise(None),
        alternativ_dokument=pl.when(pl.col("lae285_fravalgt")).then(alternativ).otherwise(None),
        lae285_rekvireret=pl.col("er_omfattet") & ~pl.col("lae285_fravalgt"),
        afslutningsaarsag=aarsag,
    ).select(
        "kommunekode",
        "sags_id",
        "person_nr",
        "foerste_fravaersdag",
        "anmeldt_dato",
        "visitationskategori",
        "forventet_over_8_uger",
        "har_arbejdsgiver",
        "diagnosegruppe",
        "tolk",
        "lae285_fravalgt",
        "fravalg_begrundelse",
        "foerste_opfoelgning_dato",
        "afsluttet_dato",
        "afslutningsaarsag",
        # Hidden attributes (not written to files), used by documents, rehab, appeals, truth.
        "er_omfattet",
        "i_tema",
        "lae285_rekvireret",
        "alternativ_dokument",
    )


def _aarsag(lang: pl.Expr, u: pl.Expr) -> pl.Expr:
    """Closing reason from cumulative shares, different for cases past revurdering."""
    return (
        pl.when(lang).then(from_shares(u, _LANG_AARSAGER)).otherwise(from_shares(u, _KORT_AARSAGER))
    )
