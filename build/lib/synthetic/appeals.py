"""Appeals: case-by-case ankesager (trial municipalities) and Ankestyrelsen's statistics.

Ankesager appeal decided municipal cases (sickness-benefit stops, rehabilitation decisions)
at realistic rates; the sags_id is known for most of them. Outcomes follow the national
shares (facts.md: ~30 % omgjort of realitetsbehandlede; hjemvist more common than
ændret/ophævet), with a municipality effect on the logit scale. ``omgoerelse_skade_pp``
adds percentage points to the omgørelse probability of appeals of waived/exempted cases.

Ankestatistik: quarterly counts per municipality (by name as Ankestyrelsen writes it), law
area and decision type for every municipality of the run, in publication files where a later
publication restates some past quarters (late registrations).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from synthetic import params as P
from synthetic.sampling import gamma_days

_SDP_ANKE_ANDEL = {"bortfald": 0.12, "andet": 0.04, "delvist_raskmeldt": 0.01, "raskmeldt": 0.004}
_REHAB_ANKE_ANDEL = {
    "afslag": 0.18,
    "ressourceforloeb": 0.04,
    "fleksjob": 0.03,
    "jobafklaring": 0.02,
    "foertidspension": 0.01,
    "andet": 0.03,
}
_LOVOMRAADE_AF_MAALGRUPPE = {
    "jobafklaring": "jobafklaring",
    "ressourceforloeb": "ressourceforloeb",
    "fleksjob": "fleksjob",
    "fastholdelsesfleksjob": "fleksjob",
    "foertidspension": "foertidspension",
    "seniorfoertidspension": "seniorfoertidspension",
    "selvstaendig_tilskud": "andet",
    "revalidering": "andet",
}
UKENDT_SAGS_ID_ANDEL = 0.08


def _outcome(rng: np.random.Generator, p_omgjort: np.ndarray) -> np.ndarray:
    """afgoerelsestype per appeal given its omgørelse probability among realitetsbehandlede."""
    n = p_omgjort.shape[0]
    u = rng.random(n)
    v = rng.random(n)
    afvist = u < P.ANKE_AFVIST_ANDEL
    bortfaldet = ~afvist & (u < P.ANKE_AFVIST_ANDEL + P.ANKE_BORTFALDET_ANDEL)
    omgjort = ~afvist & ~bortfaldet & (rng.random(n) < p_omgjort)
    hjemvist = v < P.HJEMVIST_ANDEL_AF_OMGJORTE
    aendret = v < P.HJEMVIST_ANDEL_AF_OMGJORTE + (1 - P.HJEMVIST_ANDEL_AF_OMGJORTE) * (
        P.AENDRET_ANDEL_AF_AENDRET_OPHAEVET
    )
    return np.select(
        [afvist, bortfaldet, omgjort & hjemvist, omgjort & aendret, omgjort],
        ["afvist", "bortfaldet", "hjemvist", "aendret", "ophaevet"],
        default="stadfaestet",
    )


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def simulate_ankesager(
    rng: np.random.Generator,
    sygedagpenge: pl.DataFrame,
    rehab: pl.DataFrame,
    kommuner: pl.DataFrame,
    ankesager_kommuner: list[int],
    effects: dict,
) -> pl.DataFrame:
    """Appeals of decided cases in ``ankesager_kommuner`` (master frame)."""
    sdp = sygedagpenge.filter(pl.col("kommunekode").is_in(ankesager_kommuner)).select(
        "kommunekode",
        "sags_id",
        pl.lit("sygedagpenge").alias("lovomraade"),
        pl.col("afsluttet_dato").alias("beslutning_dato"),
        pl.col("afslutningsaarsag").replace_strict(_SDP_ANKE_ANDEL, default=0.0).alias("p_anke"),
        pl.col("lae285_fravalgt").alias("forsoegssag"),
    )
    rh = rehab.filter(
        pl.col("kommunekode").is_in(ankesager_kommuner) & pl.col("afgoerelse").is_not_null()
    ).select(
        "kommunekode",
        "sags_id",
        pl.col("maalgruppe").replace_strict(_LOVOMRAADE_AF_MAALGRUPPE).alias("lovomraade"),
        pl.col("afgoerelse_dato").alias("beslutning_dato"),
        pl.col("afgoerelse").replace_strict(_REHAB_ANKE_ANDEL, default=0.02).alias("p_anke"),
        (pl.col("fritaget_rehabmoede") | pl.col("lae265_fravalgt")).alias("forsoegssag"),
    )
    cases = pl.concat([sdp, rh])
    appealed = cases.filter(pl.Series(rng.random(cases.height)) < pl.col("p_anke"))
    n = appealed.height
    modtaget = pl.col("beslutning_dato") + pl.duration(days=pl.Series(rng.integers(7, 43, n)))
    appealed = appealed.with_columns(
        modtaget_dato=modtaget,
        sags_id=pl.when(pl.Series(rng.random(n) < UKENDT_SAGS_ID_ANDEL))
        .then(None)
        .otherwise(pl.col("sags_id")),
        behandling_dage=pl.Series(1 + gamma_days(rng, P.ANKE_SAGSBEHANDLING_MIDDEL_DAGE, 4.0, n)),
    ).filter(pl.col("modtaget_dato") <= P.PERIOD_END)
    appealed = appealed.join(
        kommuner.select("kommunekode", "omgoerelse_logit_effekt"),
        on="kommunekode",
        how="left",
        maintain_order="left",
    )
    logit = _logit(P.OMGOERELSE_ANDEL) + appealed["omgoerelse_logit_effekt"].to_numpy()
    p = 1 / (1 + np.exp(-logit))
    skade = float(effects["omgoerelse_skade_pp"]) / 100.0
    p = np.clip(p + np.where(appealed["forsoegssag"].to_numpy(), skade, 0.0), 0.0, 1.0)
    appealed = appealed.with_columns(afgoerelsestype=pl.Series(_outcome(rng, p)))
    return (
        appealed.sort(
            "kommunekode", "modtaget_dato", "lovomraade", "beslutning_dato", maintain_order=True
        )
        .with_columns(seq=pl.int_range(1, pl.len() + 1).over("kommunekode"))
        .select(
            "kommunekode",
            pl.format("AN{}-{}", "kommunekode", pl.col("seq").cast(pl.String).str.zfill(5)).alias(
                "anke_id"
            ),
            "sags_id",
            "lovomraade",
            "modtaget_dato",
            (pl.col("modtaget_dato") + pl.duration(days=pl.col("behandling_dage"))).alias(
                "afgoerelse_dato"
            ),
            "afgoerelsestype",
            "forsoegssag",
        )
    )


@dataclass(frozen=True)
class Publication:
    """One ankestatistik file: covers quarters from 2015Q1 through ``last_quarter``."""

    extract_date: date
    last_quarter: tuple[int, int]


PUBLICATIONS: tuple[Publication, ...] = (
    Publication(date(2021, 3, 31), (2020, 4)),
    Publication(date(2023, 3, 31), (2022, 4)),
)
RESTATEMENT_ANDEL = 0.04


def simulate_ankestatistik_counts(
    rng: np.random.Generator, kommuner: pl.DataFrame, factor: float
) -> pl.DataFrame:
    """True (final) quarterly counts: kommunekode, aar, kvartal, lovomraade, afgoerelsestype, antal.

    Only non-zero cells are kept, as in the published tables.
    """
    quarters = [
        (y, q) for y in range(P.BASELINE_START.year, P.PERIOD_END.year + 1) for q in range(1, 5)
    ]
    lov = list(P.LOVOMRAADE_ANDELE)
    kode = kommuner["kommunekode"].to_numpy()
    pop = kommuner["indbyggere"].to_numpy() * kommuner["volumen_faktor"].to_numpy()
    logit_eff = kommuner["omgoerelse_logit_effekt"].to_numpy()
    k, t, g = len(kode), len(quarters), len(lov)
    mean = (
        pop[:, None, None]
        * P.ANKESTATISTIK_RATE
        / 4
        * factor
        * np.asarray(list(P.LOVOMRAADE_ANDELE.values()))[None, None, :]
        * np.ones((1, t, 1))
    )
    total = rng.poisson(mean)
    p_omg = 1 / (1 + np.exp(-(_logit(P.OMGOERELSE_ANDEL) + logit_eff)))[:, None, None]
    p_afv = P.ANKE_AFVIST_ANDEL
    p_bort = P.ANKE_BORTFALDET_ANDEL
    p_real = 1 - p_afv - p_bort
    h = P.HJEMVIST_ANDEL_AF_OMGJORTE
    a = P.AENDRET_ANDEL_AF_AENDRET_OPHAEVET
    probs = np.stack(
        np.broadcast_arrays(
            p_real * (1 - p_omg),
            p_real * p_omg * (1 - h) * a,
            p_real * p_omg * (1 - h) * (1 - a),
            p_real * p_omg * h,
            np.full_like(p_omg, p_afv),
            np.full_like(p_omg, p_bort),
        ),
        axis=-1,
    )
    probs = np.broadcast_to(probs, (k, t, g, 6)).reshape(-1, 6)
    counts = _multinomial_rows(rng, total.reshape(-1), probs)
    typer = ["stadfaestet", "aendret", "ophaevet", "hjemvist", "afvist", "bortfaldet"]
    kk, tt, gg = np.meshgrid(np.arange(k), np.arange(t), np.arange(g), indexing="ij")
    base = pl.DataFrame(
        {
            "kommunekode": np.repeat(kode[kk.reshape(-1)], 6),
            "aar": np.repeat(np.asarray([quarters[i][0] for i in tt.reshape(-1)]), 6),
            "kvartal": np.repeat(np.asarray([quarters[i][1] for i in tt.reshape(-1)]), 6),
            "lovomraade": np.repeat(np.asarray(lov)[gg.reshape(-1)], 6),
            "afgoerelsestype": np.tile(np.asarray(typer), k * t * g),
            "antal": counts.reshape(-1),
        }
    )
    return base.filter(pl.col("antal") > 0)


def _multinomial_rows(rng: np.random.Generator, n: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Multinomial draws per row via sequential binomials (vectorised over rows)."""
    out = np.zeros(probs.shape, dtype=np.int64)
    remaining = n.astype(np.int64)
    rest = np.ones(n.shape[0])
    for j in range(probs.shape[1] - 1):
        p = np.clip(np.divide(probs[:, j], rest, out=np.zeros_like(rest), where=rest > 0), 0, 1)
        out[:, j] = rng.binomial(remaining, p)
        remaining = remaining - out[:, j]
        rest = rest - probs[:, j]
    out[:, -1] = remaining
    return out


def publication_counts(
    rng: np.random.Generator, final: pl.DataFrame
) -> tuple[dict[date, pl.DataFrame], pl.DataFrame]:
    """Counts as each publication showed them, and the restatements between them.

    The latest publication shows the final counts. An earlier one shows the quarters it
    covers, with a share of cells lower (registered late) or slightly different.
    Returns ({extract_date: counts}, restatements with antal_foer/antal_efter).
    """
    latest = PUBLICATIONS[-1]
    shown: dict[date, pl.DataFrame] = {}
    key = ["kommunekode", "aar", "kvartal", "lovomraade", "afgoerelsestype"]
    restated_frames = []
    for pub in PUBLICATIONS:
        covered = final.filter(
            (pl.col("aar") * 10 + pl.col("kvartal"))
            <= pub.last_quarter[0] * 10 + pub.last_quarter[1]
        )
        if pub is latest:
            shown[pub.extract_date] = covered
            continue
        n = covered.height
        change = rng.random(n) < RESTATEMENT_ANDEL
        delta = np.where(rng.random(n) < 0.8, -rng.integers(1, 4, n), 1)
        earlier = covered.with_columns(
            antal_foer=pl.Series(
                np.where(
                    change,
                    np.maximum(covered["antal"].to_numpy() + delta, 0),
                    covered["antal"].to_numpy(),
                )
            )
        )
        restated_frames.append(
            earlier.filter(pl.col("antal_foer") != pl.col("antal")).select(
                *key,
                pl.lit(pub.extract_date).alias("publikation_foer"),
                "antal_foer",
                pl.col("antal").alias("antal_efter"),
            )
        )
        shown[pub.extract_date] = earlier.filter(pl.col("antal_foer") > 0).select(
            *key, pl.col("antal_foer").alias("antal")
        )
    restated = pl.concat(restated_frames) if restated_frames else pl.DataFrame()
    return shown, restated
