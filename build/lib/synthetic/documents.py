"""Health documentation (helbredsdokumentation) requested for cases: master frame.

Every document belongs to an existing case of the same municipality (``sags_id`` and the
right ``sagstype``) and is requested on or after the case date. Fees come from the
attest_takster seed valid on the request date (interpreter fee where tolk); a small share of
received documents never gets an invoice (``faktura_mangler``: honorar_kr blank).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from synthetic import params as P
from synthetic.sampling import gamma_days, pick

_UDSTEDER = {
    "LAE285": {"egen_laege": 0.9, "sygehus": 0.1},
    "LAE265": {"egen_laege": 0.95, "speciallaege": 0.05},
    "LAE125": {"egen_laege": 1.0},
    "LAE135": {"egen_laege": 0.7, "speciallaege": 0.3},
    "LAE145": {"egen_laege": 0.8, "speciallaege": 0.2},
    "LAE271": {"klinisk_funktion": 1.0},
    "journaloplysninger": {"sygehus": 0.85, "egen_laege": 0.15},
}
# Mean days from request to receipt (gamma, shape 2): LÆ285 is often late.
_SVARTID_DAGE = {
    "LAE285": 16.0,
    "LAE265": 25.0,
    "LAE125": 12.0,
    "LAE135": 18.0,
    "LAE145": 20.0,
    "LAE271": 35.0,
    "journaloplysninger": 9.0,
}


def _rows(
    rng: np.random.Generator,
    cases: pl.DataFrame,
    dokumenttype: pl.Expr | str,
    sagstype: str,
    case_date: str,
    request_after: tuple[int, int],
) -> pl.DataFrame:
    """Document rows for ``cases`` (one per case) requested ``request_after`` days later."""
    n = cases.height
    frame = cases.select(
        "kommunekode",
        "sags_id",
        pl.lit(sagstype).alias("sagstype"),
        (dokumenttype if isinstance(dokumenttype, pl.Expr) else pl.lit(dokumenttype)).alias(
            "dokumenttype"
        ),
        (pl.col(case_date) + pl.duration(days=pl.Series(rng.integers(*request_after, n)))).alias(
            "rekvireret_dato"
        ),
        pl.col("tolk"),
        pl.col("slut").alias("sag_slut"),
    )
    return frame


def simulate_helbredsdokumentation(
    rng: np.random.Generator,
    sygedagpenge: pl.DataFrame,
    rehab: pl.DataFrame,
    takster: pl.DataFrame,
) -> pl.DataFrame:
    sdp = sygedagpenge.with_columns(slut=pl.col("afsluttet_dato"))
    n_sdp = sdp.height
    u = rng.random(n_sdp)
    kat3 = sdp["visitationskategori"].to_numpy() == 3
    parts = [
        _rows(
            rng, sdp.filter("lae285_rekvireret"), "LAE285", "sygedagpenge", "anmeldt_dato", (0, 7)
        ),
        _rows(
            rng,
            sdp.filter(pl.col("alternativ_dokument").is_not_null()),
            pl.col("alternativ_dokument"),
            "sygedagpenge",
            "anmeldt_dato",
            (0, 7),
        ),
        _rows(
            rng, sdp.filter(pl.Series(u < 0.05)), "LAE135", "sygedagpenge", "anmeldt_dato", (10, 61)
        ),
        _rows(
            rng,
            sdp.filter(pl.Series(kat3 & (u >= 0.05) & (u < 0.15))),
            "LAE145",
            "sygedagpenge",
            "anmeldt_dato",
            (10, 61),
        ),
        _rows(
            rng,
            sdp.filter(pl.Series(kat3 & (u >= 0.15) & (u < 0.19))),
            "LAE271",
            "sygedagpenge",
            "anmeldt_dato",
            (20, 91),
        ),
    ]
    rh = rehab.with_columns(
        tolk=pl.Series(rng.random(rehab.height) < P.TOLK_ANDEL),
        slut=pl.col("afgoerelse_dato"),
    )
    u_rh = rng.random(rh.height)
    parts += [
        _rows(rng, rh.filter("lae265_rekvireret"), "LAE265", "rehabilitering", "startdato", (0, 6)),
        _rows(
            rng,
            rh.filter(pl.col("alternativ_dokument").is_not_null()),
            pl.col("alternativ_dokument"),
            "rehabilitering",
            "startdato",
            (0, 6),
        ),
        _rows(
            rng,
            rh.filter(pl.Series((rh["maalgruppe"] == "jobafklaring").to_numpy() & (u_rh < 0.10))),
            "LAE145",
            "rehabilitering",
            "startdato",
            (0, 21),
        ),
    ]
    docs = (
        pl.concat(parts)
        # A document is never requested after its case ended.
        .with_columns(rekvireret_dato=pl.min_horizontal("rekvireret_dato", "sag_slut"))
        .filter(pl.col("rekvireret_dato") <= P.PERIOD_END)
        .sort("kommunekode", "rekvireret_dato", "sags_id", "dokumenttype", maintain_order=True)
    )
    n = docs.height
    typer = docs["dokumenttype"].to_numpy()
    svartid = np.zeros(n, dtype=np.int64)
    udsteder = np.empty(n, dtype=object)
    for dokumenttype, mean in _SVARTID_DAGE.items():
        mask = typer == dokumenttype
        k = int(mask.sum())
        svartid[mask] = 1 + gamma_days(rng, mean, 2.0, k)
        shares = _UDSTEDER[dokumenttype]
        udsteder[mask] = pick(rng, list(shares), list(shares.values()), k)
    docs = docs.with_columns(
        modtaget_dato=pl.col("rekvireret_dato") + pl.duration(days=pl.Series(svartid)),
        udsteder=pl.Series(udsteder.astype(str)),
        faktura_mangler=pl.Series(rng.random(n) < P.MANGLENDE_FAKTURA_ANDEL),
        seq=pl.int_range(1, pl.len() + 1).over("kommunekode"),
    )
    return _with_fees(docs, takster).select(
        "kommunekode",
        pl.format(
            "D{}-{}", pl.col("kommunekode"), pl.col("seq").cast(pl.String).str.zfill(7)
        ).alias("dokument_id"),
        "sags_id",
        "sagstype",
        "dokumenttype",
        "udsteder",
        "rekvireret_dato",
        "modtaget_dato",
        "honorar_kr",
        "tolk",
        "faktura_mangler",
    )


def _with_fees(docs: pl.DataFrame, takster: pl.DataFrame) -> pl.DataFrame:
    """Fee valid on the request date, interpreter fee where tolk."""
    joined = (
        docs.with_row_index("_row")
        .join(takster, on="dokumenttype", how="left", maintain_order="left")
        .filter(
            (pl.col("gyldig_fra") <= pl.col("rekvireret_dato"))
            & (pl.col("gyldig_til").is_null() | (pl.col("rekvireret_dato") <= pl.col("gyldig_til")))
        )
        .select(
            "_row",
            pl.when(pl.col("tolk"))
            .then(pl.col("honorar_med_tolk_kr"))
            .otherwise(pl.col("honorar_kr"))
            .alias("honorar_kr"),
        )
    )
    out = (
        docs.with_row_index("_row")
        .join(joined, on="_row", how="left", maintain_order="left")
        .drop("_row")
    )
    if out["honorar_kr"].null_count():
        raise ValueError("a document type has no fee in attest_takster on its request date")
    return out
