"""Reference data ingest needs before dbt has run: municipality codes and name aliases."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from core.paths import SEEDS_DIR

KOMMUNER_CSV = SEEDS_DIR / "kommuner.csv"


def normalise_kommunenavn(names: pl.Expr) -> pl.Expr:
    """NFC (``Læsø`` typed as ``Læsø`` with a combining ring is the same name), lower case,
    trimmed, without a trailing ' Kommune' / ' Regionskommune'."""
    return (
        names.str.normalize("NFC")
        .str.strip_chars()
        .str.to_lowercase()
        .str.replace(r"\s+(regionskommune|kommune)$", "")
        .str.strip_chars()
    )


def kommune_name_map(path: Path = KOMMUNER_CSV) -> pl.DataFrame:
    """One row per known spelling: ``navn_norm`` (normalised name) → ``kommunekode``."""
    kommuner = pl.read_csv(path, infer_schema=False)
    names = kommuner.select(
        pl.col("kommunekode").cast(pl.Int32),
        pl.concat_list(
            pl.col("kommunenavn"),
            pl.col("navn_aliaser").fill_null("").str.split("|"),
        ).alias("navn"),
    ).explode("navn")
    return (
        names.with_columns(normalise_kommunenavn(pl.col("navn")).alias("navn_norm"))
        .filter(pl.col("navn_norm") != "")
        .select("navn_norm", "kommunekode")
        .unique(subset="navn_norm", keep="first", maintain_order=True)
    )


def kommunekoder(path: Path = KOMMUNER_CSV) -> frozenset[int]:
    """Every municipality code in the reference list."""
    codes = pl.read_csv(path, columns=["kommunekode"], infer_schema=False)["kommunekode"]
    return frozenset(int(c) for c in codes.to_list())
