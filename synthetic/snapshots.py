"""Cut master frames at an extract date: what a full snapshot showed on that day.

A snapshot contains the cases started on or before the extract date, with every later event
blank (still open, follow-up not held, document outstanding, appeal undecided). Earlier
snapshots show a few values that the latest snapshot corrects, and a few cases present in
earlier snapshots are missing from the latest (both recorded in truth).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from synthetic import params as P

CASE_DATE: dict[str, str] = {
    "sygedagpengesager": "anmeldt_dato",
    "helbredsdokumentation": "rekvireret_dato",
    "rehabiliteringssager": "startdato",
    "ankesager": "modtaget_dato",
    "psykologforloeb": "henvist_dato",
    "uddannelsespaalaeg": "fritaget_dato",
}
KEY: dict[str, str] = {
    "sygedagpengesager": "sags_id",
    "helbredsdokumentation": "dokument_id",
    "rehabiliteringssager": "sags_id",
    "ankesager": "anke_id",
    "psykologforloeb": "forloeb_id",
    "uddannelsespaalaeg": "sags_id",
}


def cut(source: str, master: pl.DataFrame, extract: date) -> pl.DataFrame:
    """Rows of ``master`` as a full snapshot on ``extract`` showed them."""
    frame = master.filter(pl.col(CASE_DATE[source]) <= extract)

    def upto(col: str) -> pl.Expr:
        return pl.when(pl.col(col) <= extract).then(pl.col(col)).otherwise(None).alias(col)

    if source == "sygedagpengesager":
        return frame.with_columns(
            upto("foerste_opfoelgning_dato"), upto("afsluttet_dato")
        ).with_columns(
            afslutningsaarsag=pl.when(pl.col("afsluttet_dato").is_null())
            .then(None)
            .otherwise(pl.col("afslutningsaarsag"))
        )
    if source == "helbredsdokumentation":
        return frame.with_columns(upto("modtaget_dato")).with_columns(
            honorar_kr=pl.when(pl.col("modtaget_dato").is_null() | pl.col("faktura_mangler"))
            .then(None)
            .otherwise(pl.col("honorar_kr"))
        )
    if source == "rehabiliteringssager":
        return frame.with_columns(
            upto("moede_dato"), upto("indstilling_dato"), upto("afgoerelse_dato")
        ).with_columns(
            moede_akut_fravaer=pl.when(pl.col("moede_dato").is_null())
            .then(None)
            .otherwise(pl.col("moede_akut_fravaer")),
            afgoerelse=pl.when(pl.col("afgoerelse_dato").is_null())
            .then(None)
            .otherwise(pl.col("afgoerelse")),
            fleksjob_timer=pl.when(pl.col("afgoerelse_dato").is_null())
            .then(None)
            .otherwise(pl.col("fleksjob_timer")),
        )
    if source == "ankesager":
        return frame.with_columns(upto("afgoerelse_dato")).with_columns(
            afgoerelsestype=pl.when(pl.col("afgoerelse_dato").is_null())
            .then(None)
            .otherwise(pl.col("afgoerelsestype"))
        )
    if source == "psykologforloeb":
        return frame.with_columns(upto("afsluttet_dato")).with_columns(
            score_efter=pl.when(pl.col("afsluttet_dato").is_null())
            .then(None)
            .otherwise(pl.col("score_efter"))
        )
    if source == "uddannelsespaalaeg":
        return frame.with_columns(upto("ophoert_dato")).with_columns(
            ophoer_aarsag=pl.when(pl.col("ophoert_dato").is_null())
            .then(None)
            .otherwise(pl.col("ophoer_aarsag"))
        )
    raise ValueError(source)


@dataclass(frozen=True)
class Revisions:
    """Corrections shown wrongly in earlier snapshots, and keys dropped from the latest."""

    # source, kommunekode, key, column, value shown before the latest snapshot (str),
    # value in the latest snapshot (str)
    corrections: pl.DataFrame
    # source, kommunekode, key
    missing_from_latest: pl.DataFrame


def plan_revisions(
    rng: np.random.Generator,
    sygedagpenge: pl.DataFrame,
    rehab: pl.DataFrame,
    dates: list[date],
) -> Revisions:
    """Pick corrections and disappearing cases (only meaningful with >1 snapshot)."""
    empty_corr = pl.DataFrame(
        schema={
            "source": pl.String,
            "kommunekode": pl.Int64,
            "key": pl.String,
            "column": pl.String,
            "tidligere": pl.String,
            "seneste": pl.String,
        }
    )
    empty_miss = pl.DataFrame(
        schema={"source": pl.String, "kommunekode": pl.Int64, "key": pl.String}
    )
    if len(dates) < 2:
        return Revisions(empty_corr, empty_miss)
    first = dates[0]
    sdp = sygedagpenge.filter(pl.col("anmeldt_dato") <= first)
    n = sdp.height
    u = rng.random(n)
    diag_pick = rng.integers(1, 6, n)
    diag_list = pl.Series(["bevaegeapparat", "psykisk", "kraeft", "hjerte_kar", "andet", "ukendt"])
    diag_idx = (
        sdp["diagnosegruppe"]
        .replace_strict({d: i for i, d in enumerate(diag_list)}, return_dtype=pl.Int64)
        .to_numpy()
    )
    wrong_diag = diag_list.gather((diag_idx + diag_pick) % 6)
    shift = rng.integers(1, 8, n)
    sdp = sdp.with_columns(u=pl.Series(u), wrong_diag=wrong_diag, shift=pl.Series(shift))
    diag_corr = sdp.filter(pl.col("u") < P.KORREKTION_ANDEL / 2).select(
        pl.lit("sygedagpengesager").alias("source"),
        "kommunekode",
        pl.col("sags_id").alias("key"),
        pl.lit("diagnosegruppe").alias("column"),
        pl.col("wrong_diag").alias("tidligere"),
        pl.col("diagnosegruppe").alias("seneste"),
    )
    # An end date registered a few days too late, corrected later. Only for cases closed
    # by the first extract so the wrong date is shown in every earlier snapshot.
    slut_corr = sdp.filter(
        (pl.col("u") >= P.KORREKTION_ANDEL / 2)
        & (pl.col("u") < P.KORREKTION_ANDEL)
        & (pl.col("afsluttet_dato") + pl.duration(days=pl.col("shift")) <= first)
    ).select(
        pl.lit("sygedagpengesager").alias("source"),
        "kommunekode",
        pl.col("sags_id").alias("key"),
        pl.lit("afsluttet_dato").alias("column"),
        (pl.col("afsluttet_dato") + pl.duration(days=pl.col("shift")))
        .cast(pl.String)
        .alias("tidligere"),
        pl.col("afsluttet_dato").cast(pl.String).alias("seneste"),
    )
    rh = rehab.filter(pl.col("startdato") <= first)
    miss_sdp = sdp.filter(pl.col("u") >= 1 - P.FORSVUNDET_ANDEL).select(
        pl.lit("sygedagpengesager").alias("source"), "kommunekode", pl.col("sags_id").alias("key")
    )
    miss_rh = rh.filter(pl.Series(rng.random(rh.height) < P.FORSVUNDET_ANDEL)).select(
        pl.lit("rehabiliteringssager").alias("source"),
        "kommunekode",
        pl.col("sags_id").alias("key"),
    )
    return Revisions(
        corrections=pl.concat([empty_corr, diag_corr, slut_corr]),
        missing_from_latest=pl.concat([empty_miss, miss_sdp, miss_rh]),
    )


def apply_revisions(
    source: str,
    snapshot: pl.DataFrame,
    revisions: Revisions,
    is_latest: bool,
) -> pl.DataFrame:
    """Earlier snapshot: show the uncorrected values. Latest: drop the disappearing keys.

    Documents of a disappearing case disappear with it (joined on sags_id).
    """
    if source == "helbredsdokumentation":
        if not is_latest:
            return snapshot
        gone = revisions.missing_from_latest.select("kommunekode", pl.col("key").alias("sags_id"))
        return snapshot.join(gone, on=["kommunekode", "sags_id"], how="anti", maintain_order="left")
    key = KEY[source]
    if is_latest:
        gone = revisions.missing_from_latest.filter(pl.col("source") == source).select(
            "kommunekode", pl.col("key").alias(key)
        )
        return snapshot.join(gone, on=["kommunekode", key], how="anti", maintain_order="left")
    corr = revisions.corrections.filter(pl.col("source") == source)
    for column in corr["column"].unique().sort().to_list():
        dtype = snapshot.schema[column]
        wrong = corr.filter(pl.col("column") == column).select(
            "kommunekode",
            pl.col("key").alias(key),
            (
                pl.col("tidligere").str.to_date("%Y-%m-%d")
                if dtype == pl.Date
                else pl.col("tidligere").cast(dtype)
            ).alias("_wrong"),
        )
        snapshot = (
            snapshot.join(wrong, on=["kommunekode", key], how="left", maintain_order="left")
            .with_columns(pl.coalesce("_wrong", column).alias(column))
            .drop("_wrong")
        )
    if "afsluttet_dato" in snapshot.columns and "afslutningsaarsag" in snapshot.columns:
        snapshot = snapshot.with_columns(
            afslutningsaarsag=pl.when(pl.col("afsluttet_dato").is_null())
            .then(None)
            .otherwise(pl.col("afslutningsaarsag"))
        )
    return snapshot
