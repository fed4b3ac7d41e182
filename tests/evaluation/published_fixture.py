"""A small hand-made published snapshot with exactly the interface-C columns of
``marts.mart_panel_kommune_kvartal`` and ``marts.dim_kontrolgruppe``, with known planted
effects, for testing the report before (and independently of) the real pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

TEMAER = ("lae285", "rehab_fritagelse", "lae265", "sundhedsfaglig_raadgivning", "akut_fravaer")

# Trial municipalities and their first LÆ285 quarter (periode_index; 13 = 2018K1).
TREATED = {851: 13, 810: 13, 813: 13, 860: 13, 849: 15, 825: 13, 846: 15, 773: 13}
CONTROLS = [101, 147, 151, 153, 155, 157, 159, 161, 615, 657, 661, 665]
NAMED_CONTROL = [615, 657, 661, 665]  # "midtjylland"
TRIAL_END = 24  # 2020K4
PLANTED_WAIVER_SHARE = 0.40  # share of eligible cases with LÆ285 waived during the trial
PLANTED_FOLLOW_UP_DAYS = -6.0  # effect on days to first follow-up


def panel(seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for kommune in [*TREATED, *CONTROLS]:
        start = TREATED.get(kommune)
        size = 2 if kommune == 825 else 40  # Laesoe is tiny: its counts must be suppressed
        level = rng.normal(45, 4)
        for index in range(1, 33):
            year, quarter = 2015 + (index - 1) // 4, (index - 1) % 4 + 1
            in_trial = start is not None and start <= index <= TRIAL_END
            omfattet = int(rng.poisson(size))
            fravalgt = int(rng.binomial(omfattet, PLANTED_WAIVER_SHARE)) if in_trial else 0
            realitet = int(rng.poisson(12))
            omgjorte = int(rng.binomial(realitet, 0.25))
            rehab = int(rng.poisson(20))
            dage = (
                level
                + 0.2 * index
                + rng.normal(0, 0.5)
                + (PLANTED_FOLLOW_UP_DAYS if in_trial else 0.0)
            )
            rows.append(
                {
                    "kommunekode": kommune,
                    "kommunenavn": f"Kommune {kommune}",
                    "region": "Region Nordjylland" if start else "Region Midtjylland",
                    "kvartal": dt.date(year, 3 * quarter - 2, 1),
                    "aar": year,
                    "kvartal_nr": quarter,
                    "periode_index": index,
                    **{
                        f"i_forsoeg_{tema}": bool(in_trial) if tema == "lae285" else False
                        for tema in TEMAER
                    },
                    **{
                        f"forsoeg_start_index_{tema}": start if tema == "lae285" else None
                        for tema in TEMAER
                    },
                    "sygedagpengesager_omfattet": omfattet,
                    "lae285_fravalgt": fravalgt,
                    "andel_lae285_fravalgt": fravalgt / omfattet if omfattet else None,
                    "attestudgift_pr_sag_kr": (
                        1140.0 * (omfattet - fravalgt) / omfattet if omfattet else None
                    ),
                    "dage_til_foerste_opfoelgning": dage,
                    "sygedagpengeforloeb_dage": 80 + rng.normal(0, 5),
                    "andel_opfoelgning_inden_frist": min(1.0, max(0.0, rng.normal(0.8, 0.05))),
                    "rehab_sager": rehab,
                    "rehab_fritaget": 0,
                    "andel_rehab_fritaget": 0.0 if rehab else None,
                    "realitetsbehandlede": realitet,
                    "omgjorte": omgjorte,
                    "omgoerelsesprocent": 100 * omgjorte / realitet if realitet else None,
                }
            )
    return pl.DataFrame(rows, infer_schema_length=None).with_columns(
        pl.col("^forsoeg_start_index_.*$").cast(pl.Int32),
        pl.col("periode_index", "aar", "kvartal_nr", "kommunekode").cast(pl.Int32),
    )


EXTRACT_DATE = dt.date(2022, 12, 31)


def cases(seed: int = 3) -> pl.DataFrame:
    """Case-level rows with the ``marts.fct_sygedagpengesager`` columns the report reads:
    exponential durations (mean 90 days), cases still open at the extract date censored."""
    rng = np.random.default_rng(seed)
    rows = []
    for kommune in [*TREATED, *CONTROLS]:
        for _ in range(40):
            start = dt.date(2015, 1, 1) + dt.timedelta(days=int(rng.integers(0, 2900)))
            duration = int(rng.exponential(90)) + 1
            follow_up = int(rng.normal(45, 8))
            end = start + dt.timedelta(days=duration)
            meeting = start + dt.timedelta(days=follow_up)
            rows.append(
                {
                    "kommunekode": kommune,
                    "foerste_fravaersdag": start,
                    "anmeldt_dato": start + dt.timedelta(days=7),
                    "afsluttet_dato": end if end <= EXTRACT_DATE else None,
                    "foerste_opfoelgning_dato": meeting
                    if meeting < min(end, EXTRACT_DATE)
                    else None,
                    "seneste_extract_date": EXTRACT_DATE,
                    "is_omfattet_lae285": bool(rng.random() < 0.8),
                }
            )
    return pl.DataFrame(rows).with_columns(pl.col("kommunekode").cast(pl.Int32))


def kontrolgrupper() -> pl.DataFrame:
    rows = []
    for tema in TEMAER:
        in_theme = set(TREATED) if tema == "lae285" else set()
        others = [k for k in [*TREATED, *CONTROLS] if k not in in_theme]
        rows += [("alle_oevrige", tema, k) for k in others]
        rows += [("midtjylland", tema, k) for k in NAMED_CONTROL]
    return pl.DataFrame(rows, schema=["kontrolgruppe", "tema", "kommunekode"], orient="row")


def write_published(path: Path, seed: int = 1) -> pl.DataFrame:
    """Write the snapshot to ``path``; returns the panel written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = panel(seed)
    groups = kontrolgrupper()
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute("create schema meta")
        con.register("panel_df", data.to_arrow())
        con.register("groups_df", groups.to_arrow())
        con.register("cases_df", cases().to_arrow())
        con.execute("create table marts.fct_sygedagpengesager as select * from cases_df")
        con.execute("create table marts.mart_panel_kommune_kvartal as select * from panel_df")
        con.execute("create table marts.dim_kontrolgruppe as select * from groups_df")
        con.execute(
            "create table meta.build_info as select 'test-build' as build_id, "
            "timestamp '2023-01-05 10:00:00' as built_at, date '2022-12-31' as data_as_of, "
            "'1.11' as dbt_version, 10 as n_tests_passed"
        )
    finally:
        con.close()
    return data
