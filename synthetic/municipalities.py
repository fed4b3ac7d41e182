"""Reference data for the generator, read from the dbt seeds (never duplicated here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from core.paths import SEEDS_DIR
from core.vocabulary import tema_koder
from synthetic.params import (
    KOMMUNE_OPFOELGNING_SD_DAGE,
    KOMMUNE_VOLUMEN_SD,
    SMALL_CONTROL_KOMMUNER,
)


@dataclass(frozen=True)
class Reference:
    """Seeds as polars frames."""

    kommuner: pl.DataFrame  # kommunekode, kommunenavn, region, navn_aliaser, indbyggere
    forsoeg: pl.DataFrame  # kommunekode, tema, startdato, slutdato, maalgruppe ("|"; null = all)
    takster: pl.DataFrame  # dokumenttype, gyldig_fra, gyldig_til, honorar_kr, honorar_med_tolk_kr
    temaer: tuple[str, ...]  # theme codes of seed temaer, in its order


def load_reference(seeds_dir: Path = SEEDS_DIR) -> Reference:
    kommuner = pl.read_csv(
        seeds_dir / "kommuner.csv",
        schema_overrides={"kommunekode": pl.Int64, "navn_aliaser": pl.String},
    ).select("kommunekode", "kommunenavn", "region", "navn_aliaser", "indbyggere")
    forsoeg = pl.read_csv(seeds_dir / "forsoeg_deltagelse.csv", try_parse_dates=True).select(
        pl.col("kommunekode").cast(pl.Int64),
        "tema",
        pl.col("startdato").cast(pl.Date),
        pl.col("slutdato").cast(pl.Date),
        pl.col("maalgruppe").cast(pl.String),
    )
    takster = pl.read_csv(seeds_dir / "attest_takster.csv", try_parse_dates=True).select(
        "dokumenttype",
        pl.col("gyldig_fra").cast(pl.Date),
        pl.col("gyldig_til").cast(pl.Date),
        pl.col("honorar_kr").cast(pl.Float64),
        pl.col("honorar_med_tolk_kr").cast(pl.Float64),
    )
    return Reference(
        kommuner=kommuner, forsoeg=forsoeg, takster=takster, temaer=tema_koder(seeds_dir)
    )


def trial_kommuner(ref: Reference) -> list[int]:
    """Municipalities in any theme of forsoeg_deltagelse."""
    return sorted(ref.forsoeg["kommunekode"].unique().to_list())


def run_kommuner(ref: Reference, scale: str) -> tuple[list[int], list[int]]:
    """(trial, control) municipalities of a run."""
    trial = trial_kommuner(ref)
    if scale == "small":
        control = sorted(SMALL_CONTROL_KOMMUNER)
    else:
        control = sorted(set(ref.kommuner["kommunekode"].to_list()) - set(trial))
    return trial, control


def kommune_frame(ref: Reference, kommuner: list[int], rng: np.random.Generator) -> pl.DataFrame:
    """The run's municipalities with their (noise) municipality effects, sorted by code."""
    frame = ref.kommuner.filter(pl.col("kommunekode").is_in(kommuner)).sort("kommunekode")
    n = frame.height
    return frame.with_columns(
        pl.Series("volumen_faktor", np.exp(rng.normal(0.0, KOMMUNE_VOLUMEN_SD, n))),
        pl.Series("opfoelgning_effekt_dage", rng.normal(0.0, KOMMUNE_OPFOELGNING_SD_DAGE, n)),
        pl.Series("omgoerelse_logit_effekt", rng.normal(0.0, 0.25, n)),
    )


def theme_windows(ref: Reference, kommuner: list[int]) -> pl.DataFrame:
    """One row per municipality of the run: start/end date of each theme (null if never).

    The themes are those of seed ``temaer``; a theme's columns are ``<tema>_start`` and
    ``<tema>_slut``, read by :func:`in_theme`.
    """
    base = pl.DataFrame({"kommunekode": sorted(kommuner)}, schema={"kommunekode": pl.Int64})
    for tema in ref.temaer:
        rows = ref.forsoeg.filter(pl.col("tema") == tema).select(
            "kommunekode",
            pl.col("startdato").alias(f"{tema}_start"),
            pl.col("slutdato").alias(f"{tema}_slut"),
            pl.col("maalgruppe").alias(f"{tema}_maalgrupper"),
        )
        base = base.join(rows, on="kommunekode", how="left", maintain_order="left")
    return base


def in_theme(dates: pl.Expr, tema: str) -> pl.Expr:
    """True when the date lies in the municipality's theme window (needs theme columns)."""
    start, slut = pl.col(f"{tema}_start"), pl.col(f"{tema}_slut")
    return (dates >= start).fill_null(False) & (slut.is_null() | (dates <= slut)).fill_null(False)


def in_theme_maalgruppe(tema: str) -> pl.Expr:
    """True when the case's maalgruppe is among the theme's target groups in the
    municipality (forsoeg_deltagelse.maalgruppe, "|"-separated; blank = every group)."""
    grupper = pl.col(f"{tema}_maalgrupper")
    return (
        grupper.is_null()
        | (grupper.str.strip_chars() == "")
        | grupper.str.split("|").list.contains(pl.col("maalgruppe"))
    ).fill_null(False)
