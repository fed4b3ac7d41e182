"""`trialwh sample`: a reproducible stratified case-review sample written as Excel.

Reads the theme's cases from the published snapshot (``marts.fct_tema_sager``, cases in
the trial only), draws the sample with ``evaluation.stikproeve.draw`` and writes one
workbook: sags_id, kommunekode, tema, maalgruppe, gruppe, stratum, the sampling weight and
empty columns ``vurdering`` and ``bemaerkning`` for the reviewers. No person identifier is
read or written. Reviewers return their verdicts as source ``sagsgennemgang`` (contract
§1.10), one file per municipality: ``sagsgennemgang_<kommunekode>_<YYYY-MM-DD>.xlsx``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import xlsxwriter

from core.paths import Home
from core.vocabulary import tema_koder
from evaluation.stikproeve import draw

KOLONNER = (
    "sags_id",
    "kommunekode",
    "tema",
    "maalgruppe",
    "gruppe",
    "stratum",
    "n_population",
    "n_stikproeve",
    "vaegt",
    "vurdering",
    "bemaerkning",
)


def population(home: Home, tema: str) -> pl.DataFrame:
    """The theme's cases in the trial from the published snapshot."""
    if tema not in tema_koder():
        raise ValueError(f"ukendt tema '{tema}'; kendte temaer: {', '.join(tema_koder())}")
    if not home.published.exists():
        raise FileNotFoundError(
            f"der er ingen publiceret database i {home.published_dir}; kør 'trialwh build' først"
        )
    with duckdb.connect(str(home.published), read_only=True) as con:
        return con.sql(
            """
            select sags_id, kommunekode, tema, maalgruppe, gruppe
            from marts.fct_tema_sager
            where tema = $tema and i_forsoeg
            """,
            params={"tema": tema},
        ).pl()


def sample_frame(population_frame: pl.DataFrame, n: int, seed: int) -> pl.DataFrame:
    """The sample with the reviewers' empty columns, in the workbook's column order."""
    drawn = draw(population_frame, n, seed)
    return drawn.with_columns(
        pl.lit(None, dtype=pl.String).alias("vurdering"),
        pl.lit(None, dtype=pl.String).alias("bemaerkning"),
    ).select(KOLONNER)


def write_sample(home: Home, tema: str, n: int, seed: int, out: Path | None = None) -> Path:
    """Draw and write the sample; returns the workbook's path."""
    frame = sample_frame(population(home, tema), n, seed)
    folder = out or home.root / "sagsgennemgang"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"stikproeve_{tema}_n{n}_seed{seed}.xlsx"
    with xlsxwriter.Workbook(str(path)) as workbook:
        frame.write_excel(workbook=workbook, worksheet="stikproeve", autofit=True)
    return path
