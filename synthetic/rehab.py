"""Cases for the rehabilitation team (rehabiliteringssager): master frame.

Two inflows: sickness-benefit cases that ended in jobafklaring, ressourceforløb, fleksjob
or førtidspension (same person, so cross-source linkage is testable) and other citizens
(new persons). Trial behaviour from each municipality's theme start (forsoeg_deltagelse):
- ``rehab_fritagelse``: a share of jobafklaring/fleksjob cases is exempted from the meeting;
- ``lae265``: LÆ265 waived in a share of eligible cases (ressourceforløb/fleksjob/
  førtidspension), other documentation requested in some of them;
- ``sundhedsfaglig_raadgivning``: a share of cases gets an adviser other than klinisk funktion;
- ``akut_fravaer``: a share of meetings is held although a member was acutely absent.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from synthetic import params as P
from synthetic.cases import case_counts
from synthetic.municipalities import in_theme, in_theme_maalgruppe
from synthetic.sampling import from_shares, gamma_days, pick, seasonal_days, to_date

FRA_SYGEDAGPENGE = ("jobafklaring", "ressourceforloeb", "fleksjob", "foertidspension")
LAE265_MAALGRUPPER = ("ressourceforloeb", "fleksjob", "foertidspension")
FRITAGELSE_MAALGRUPPER = ("jobafklaring", "fleksjob")
JOBAFKLARING_INDEN_FRIST = 0.8
# Target groups of the rehabilitation cases not coming from a sickness-benefit case, as
# shares of P.REHAB_EKSTRA_RATE (calibration to the 2016 figures there): jobafklaring
# 0.002646, ressourceforløb/fleksjob/førtidspension 0.00453 split 30:28:14, fastholdelses-
# fleksjob 0.00016, selvstændige 0.00008, revalidering 0.00028 per inhabitant and year.
# Seniorførtidspension is drawn per municipality (P.SENIORFOERTIDSPENSION_TILKENDT_2016).
_EKSTRA_MAALGRUPPER = {
    "ressourceforloeb": 0.2453,
    "fleksjob": 0.2289,
    "foertidspension": 0.1145,
    "jobafklaring": 0.3437,
    "fastholdelsesfleksjob": 0.0208,
    "selvstaendig_tilskud": 0.0104,
    "revalidering": 0.0364,
}
SENIOR_BEVILLIGET_ANDEL = 0.70  # _AFGOERELSER["seniorfoertidspension"]["seniorfoertidspension"]

_AFGOERELSER: dict[str, dict[str, float]] = {
    "jobafklaring": {
        "jobafklaring": 0.70,
        "ressourceforloeb": 0.10,
        "fleksjob": 0.08,
        "foertidspension": 0.02,
        "afslag": 0.05,
        "andet": 0.05,
    },
    "ressourceforloeb": {
        "ressourceforloeb": 0.65,
        "fleksjob": 0.08,
        "foertidspension": 0.07,
        "afslag": 0.12,
        "andet": 0.08,
    },
    "fleksjob": {"fleksjob": 0.65, "ressourceforloeb": 0.12, "afslag": 0.15, "andet": 0.08},
    "fastholdelsesfleksjob": {"fleksjob": 0.60, "afslag": 0.35, "andet": 0.05},
    "foertidspension": {
        "foertidspension": 0.55,
        "ressourceforloeb": 0.25,
        "afslag": 0.15,
        "andet": 0.05,
    },
    "seniorfoertidspension": {"seniorfoertidspension": 0.70, "afslag": 0.25, "andet": 0.05},
    "selvstaendig_tilskud": {"selvstaendig_tilskud": 0.70, "afslag": 0.30},
    "revalidering": {"revalidering": 0.70, "afslag": 0.25, "andet": 0.05},
}
_FRITAGELSE_BEGRUNDELSER = {
    "jobafklaring": {
        "kun_arbejdsmarkedsrettet": 0.4,
        "plan_ivaerksat": 0.3,
        "afventer_behandling": 0.2,
        "andet": 0.1,
    },
    "fleksjob": {"fastholdelse": 0.4, "genoptjening": 0.3, "plan_ivaerksat": 0.2, "andet": 0.1},
}


def _by_group(group: pl.Expr, u: pl.Expr, table: dict[str, dict[str, float]]) -> pl.Expr:
    expr = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
    for key, shares in table.items():
        expr = expr.when(group == key).then(from_shares(u, shares))
    return expr.otherwise(pl.lit(None, dtype=pl.String))


def senior_cases_per_year(kommuner: pl.DataFrame) -> np.ndarray:
    """Expected seniorførtidspension applications per year per municipality (row order of
    ``kommuner``): the documented 2016 awards where known, else the pooled rate per
    inhabitant times the municipality's volume factor; divided by the share granted."""
    tilkendt = np.array(
        [
            P.SENIORFOERTIDSPENSION_TILKENDT_2016.get(
                int(k), P.SENIORFOERTIDSPENSION_RATE * n * faktor
            )
            for k, n, faktor in kommuner.select(
                "kommunekode", "indbyggere", "volumen_faktor"
            ).iter_rows()
        ]
    )
    return tilkendt / SENIOR_BEVILLIGET_ANDEL


def simulate_rehabiliteringssager(
    rng: np.random.Generator,
    sygedagpenge: pl.DataFrame,
    kommuner: pl.DataFrame,
    themes: pl.DataFrame,
    effects: dict,
    factor: float,
    first_new_person: int,
) -> tuple[pl.DataFrame, np.ndarray]:
    """(master frame, start day numbers of the new persons in person_nr order)."""
    fra_sdp = sygedagpenge.filter(pl.col("afslutningsaarsag").is_in(FRA_SYGEDAGPENGE)).select(
        "kommunekode",
        "person_nr",
        pl.col("afslutningsaarsag").alias("maalgruppe"),
        pl.col("afsluttet_dato").alias("startdato"),
    )
    fra_sdp = fra_sdp.with_columns(
        startdato=pl.col("startdato")
        + pl.duration(days=pl.Series(rng.integers(0, 11, fra_sdp.height)))
    )
    years = (P.PERIOD_END - P.BASELINE_START).days / 365.25
    counts = case_counts(rng, kommuner, P.REHAB_EKSTRA_RATE, factor, years)
    senior = rng.poisson(senior_cases_per_year(kommuner) * factor * years)
    n_other = int(counts.sum())
    n_extra = n_other + int(senior.sum())
    start_extra = seasonal_days(rng, n_extra, P.BASELINE_START, P.PERIOD_END, amplitude=0.3)
    codes = kommuner["kommunekode"].to_numpy()
    extra = pl.DataFrame(
        {
            "kommunekode": np.concatenate([np.repeat(codes, counts), np.repeat(codes, senior)]),
            "person_nr": np.arange(first_new_person, first_new_person + n_extra),
            "maalgruppe": np.concatenate(
                [
                    pick(
                        rng, list(_EKSTRA_MAALGRUPPER), list(_EKSTRA_MAALGRUPPER.values()), n_other
                    ).astype(str),
                    np.full(int(senior.sum()), "seniorfoertidspension"),
                ]
            ),
            "startdato": to_date(start_extra),
        },
        schema_overrides={"kommunekode": pl.Int64, "person_nr": pl.Int64},
    )
    frame = (
        pl.concat([fra_sdp.cast({"person_nr": pl.Int64, "kommunekode": pl.Int64}), extra])
        .filter(pl.col("startdato") <= P.PERIOD_END)
        .sort("kommunekode", "startdato", "person_nr", maintain_order=True)
    )
    n = frame.height
    # Jobafklaring: the team must treat the case within 4 weeks of its start; most teams
    # manage, about one case in five is late (a meeting 29–60 days after the start). In the
    # exemption theme the share in time rises by ``rehab_moede_inden_frist_effekt`` (_derive).
    u_frist = rng.random(n)
    dage_inden_frist = rng.integers(7, 29, n)
    dage_efter_frist = rng.integers(29, 61, n)
    oevrige_moede_dage = 25 + gamma_days(rng, 30.0, 3.0, n)
    frame = frame.with_columns(
        seq=pl.int_range(1, pl.len() + 1).over("kommunekode"),
        u_fritaget=pl.Series(rng.random(n)),
        u_begrundelse=pl.Series(rng.random(n)),
        u_lae265=pl.Series(rng.random(n)),
        u_alternativ=pl.Series(rng.random(n)),
        u_raadgiver=pl.Series(rng.random(n)),
        u_akut=pl.Series(rng.random(n)),
        u_afgoerelse=pl.Series(rng.random(n)),
        u_frist=pl.Series(u_frist),
        dage_inden_frist=pl.Series(dage_inden_frist),
        dage_efter_frist=pl.Series(dage_efter_frist),
        oevrige_moede_dage=pl.Series(oevrige_moede_dage),
        indstilling_dage=pl.Series(rng.integers(0, 3, n)),
        afgoerelse_dage=pl.Series(rng.integers(3, 36, n)),
        fritaget_afgoerelse_dage=pl.Series(rng.integers(10, 51, n)),
        timer=pl.Series(
            np.where(
                rng.random(n) < 0.57,
                rng.integers(2, 21, n) / 2.0,
                rng.integers(21, 61, n) / 2.0,
            )
        ),
    ).join(themes, on="kommunekode", how="left", maintain_order="left")
    return _derive(frame, effects), start_extra


def _derive(frame: pl.DataFrame, effects: dict) -> pl.DataFrame:
    e = {k: pl.lit(float(v)) for k, v in effects.items() if k != "placebo"}
    start = pl.col("startdato")
    fritaget = (
        pl.col("maalgruppe").is_in(FRITAGELSE_MAALGRUPPER)
        & in_theme_maalgruppe(P.TEMA_REHAB_FRITAGELSE)
        & in_theme(start, P.TEMA_REHAB_FRITAGELSE)
        & (pl.col("u_fritaget") < e["rehab_fritagelse_andel"])
    )
    i_fritagelsestema = in_theme_maalgruppe(P.TEMA_REHAB_FRITAGELSE) & in_theme(
        start, P.TEMA_REHAB_FRITAGELSE
    )
    inden_frist = pl.col("u_frist") < pl.lit(JOBAFKLARING_INDEN_FRIST) + pl.when(
        i_fritagelsestema
    ).then(e["rehab_moede_inden_frist_effekt"]).otherwise(0.0)
    frame = frame.with_columns(
        moede_dage=pl.when(pl.col("maalgruppe") == "jobafklaring")
        .then(
            pl.when(inden_frist)
            .then(pl.col("dage_inden_frist"))
            .otherwise(pl.col("dage_efter_frist"))
        )
        .otherwise(pl.col("oevrige_moede_dage"))
    )
    omfattet = pl.col("maalgruppe").is_in(LAE265_MAALGRUPPER)
    lae265_fravalgt = (
        omfattet
        & in_theme_maalgruppe(P.TEMA_LAE265)
        & in_theme(start, P.TEMA_LAE265)
        & (pl.col("u_lae265") < e["lae265_fravalg_andel"])
    )
    frame = frame.with_columns(
        fritaget_rehabmoede=fritaget,
        lae265_omfattet=omfattet,
        lae265_fravalgt=lae265_fravalgt,
    ).with_columns(
        moede=pl.when(pl.col("fritaget_rehabmoede"))
        .then(None)
        .otherwise(start + pl.duration(days=pl.col("moede_dage"))),
    )
    afgoerelse_dato = (
        pl.when(pl.col("fritaget_rehabmoede"))
        .then(start + pl.duration(days=pl.col("fritaget_afgoerelse_dage")))
        .otherwise(
            pl.col("moede")
            + pl.duration(days=pl.col("indstilling_dage") + pl.col("afgoerelse_dage"))
        )
    )
    afgoerelse = _by_group(pl.col("maalgruppe"), pl.col("u_afgoerelse"), _AFGOERELSER)
    alternativ = (
        pl.when(
            pl.col("lae265_fravalgt") & (pl.col("u_alternativ") < e["lae265_alternativ_andel"] / 2)
        )
        .then(pl.lit("journaloplysninger"))
        .when(pl.col("lae265_fravalgt") & (pl.col("u_alternativ") < e["lae265_alternativ_andel"]))
        .then(pl.lit("LAE135"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return (
        frame.with_columns(
            sags_id=pl.format(
                "RH{}-{}", pl.col("kommunekode"), pl.col("seq").cast(pl.String).str.zfill(6)
            ),
            fritagelse_begrundelse=pl.when(pl.col("fritaget_rehabmoede"))
            .then(
                _by_group(pl.col("maalgruppe"), pl.col("u_begrundelse"), _FRITAGELSE_BEGRUNDELSER)
            )
            .otherwise(None),
            sundhedsfaglig_raadgiver=pl.when(
                in_theme(start, P.TEMA_SUNDHEDSFAGLIG_RAADGIVNING)
                & (pl.col("u_raadgiver") < e["sundhedsfaglig_anden_andel"])
            )
            .then(pl.lit("anden"))
            .otherwise(pl.lit("klinisk_funktion")),
            moede_dato=pl.col("moede"),
            moede_akut_fravaer=pl.when(pl.col("moede").is_null())
            .then(None)
            .otherwise(
                in_theme(pl.col("moede"), P.TEMA_AKUT_FRAVAER)
                & (pl.col("u_akut") < e["akut_fravaer_andel"])
            ),
            indstilling_dato=pl.col("moede") + pl.duration(days=pl.col("indstilling_dage")),
            afgoerelse_dato=afgoerelse_dato,
            afgoerelse=afgoerelse,
            lae265_rekvireret=pl.col("lae265_omfattet") & ~pl.col("lae265_fravalgt"),
            alternativ_dokument=alternativ,
        )
        .with_columns(
            fleksjob_timer=pl.when(pl.col("afgoerelse") == "fleksjob")
            .then(pl.col("timer"))
            .otherwise(None),
        )
        .select(
            "kommunekode",
            "sags_id",
            "person_nr",
            "maalgruppe",
            "startdato",
            "fritaget_rehabmoede",
            "fritagelse_begrundelse",
            "lae265_fravalgt",
            "sundhedsfaglig_raadgiver",
            "moede_dato",
            "moede_akut_fravaer",
            "indstilling_dato",
            "afgoerelse_dato",
            "afgoerelse",
            "fleksjob_timer",
            "lae265_omfattet",
            "lae265_rekvireret",
            "alternativ_dokument",
        )
    )


def expected_rehab(effects: dict) -> dict:
    """The planted rehabilitation outcomes, for truth.json: the share of jobafklaring cases
    met within the 28-day deadline outside and inside the exemption theme, and the share of
    meetings held despite acute absence in theme 4 (0 outside it)."""
    effekt = float(effects["rehab_moede_inden_frist_effekt"])
    return {
        "andel_jobafklaring_moede_inden_frist_uden_forsoeg": JOBAFKLARING_INDEN_FRIST,
        "andel_jobafklaring_moede_inden_frist_i_tema": round(JOBAFKLARING_INDEN_FRIST + effekt, 6),
        "andel_moeder_akut_fravaer_i_tema": float(effects["akut_fravaer_andel"]),
    }
