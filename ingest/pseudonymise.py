"""Replace CPR numbers by keyed pseudonyms: person_id = HMAC-SHA256(key, 10-digit CPR), hex.

The key comes from ``TRIALWH_PSEUDONYM_KEY`` or the home's key file, created on first use
with mode 0600. The raw CPR leaves the frame here; what stays is ``person_id`` (missing
for an invalid CPR) and a masked form ``******-****`` for the quarantine.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from pathlib import Path

import duckdb
import polars as pl

from ingest.cpr import DATE_PART, MASK, SEPARATOR_CLASS, nfkc_expr

KEY_ENV = "TRIALWH_PSEUDONYM_KEY"
MASKED = "cpr_masked"
PERSON_ID = "person_id"
_BLOCK = 64  # SHA-256 block size in bytes


class KeyFileError(RuntimeError):
    """The key file exists but holds no usable key; the message is a Danish reason."""


def load_key(key_file: Path) -> bytes:
    """The pseudonymisation key: ``$TRIALWH_PSEUDONYM_KEY`` or ``key_file`` (created 0600).

    The file is created atomically: the key is written and synced to a private temporary
    file that is then hard-linked to the final name, which fails if another process got
    there first (its key is then read). So two first-time processes share one key and no
    reader ever sees a half-written file. An empty key is never used.
    """
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env.encode("utf-8")
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            # Another process may have created it first: then its key is used.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, key_file)
        finally:
            tmp.unlink(missing_ok=True)
    key = key_file.read_text(encoding="ascii").strip()
    if not key:
        raise KeyFileError(
            f"nøglefilen {key_file} er tom; ret den (eller sæt {KEY_ENV}) før der indlæses"
        )
    return key.encode("ascii")


def normalised_cpr(text: pl.Expr) -> pl.Expr:
    """10 digits if ``text`` is a valid CPR, else missing.

    The text is NFKC-normalised (full-width digits) and separators (space, dash of any
    kind, slash, dot: ``ingest.cpr.SEPARATOR_CLASS``) are dropped, so ``010180 1234``,
    ``010180–1234`` and ``0101801234`` are one person. Valid means ten digits whose first
    six are a real day and month (29 February when ``yy`` is divisible by four,
    ``ingest.cpr.DATE_PART``); the check digit is not used (CPR numbers issued since 2007
    need not satisfy modulus 11). One regular expression, no date parsing.
    """
    digits = nfkc_expr(text).str.replace_all(SEPARATOR_CLASS, "")
    valid = digits.str.contains(rf"^{DATE_PART}[0-9]{{4}}$")
    return pl.when(valid).then(digits).otherwise(None)


def masked_cpr(text: pl.Expr) -> pl.Expr:
    """``******-****`` for any non-blank value: not even the birth date is kept."""
    stripped = text.str.strip_chars()
    return pl.when(stripped.is_null() | (stripped == "")).then(None).otherwise(pl.lit(MASK))


def hmac_sha256_hex(
    values: pl.Series, key: bytes, con: duckdb.DuckDBPyConnection | None = None
) -> pl.Series:
    """HMAC-SHA256 (RFC 2104) of each value, hex; vectorised in DuckDB.

    ``con`` is any open DuckDB connection to compute on (nothing is written); without
    one a throw-away in-memory connection is used (costs ~25 ms to open). The hashes come
    back in the order of ``values`` whatever the connection's settings: the query orders
    by row number (with ``preserve_insertion_order`` off DuckDB may return rows of a
    parallel scan in any order, which would give a value another value's pseudonym).
    """
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    padded = key.ljust(_BLOCK, b"\x00")
    inner = bytes(b ^ 0x36 for b in padded)
    outer = bytes(b ^ 0x5C for b in padded)
    if values.null_count() == len(values):  # nothing to hash (a file without CPR values)
        return pl.Series(values.name, [None] * len(values), dtype=pl.String)
    frame = pl.DataFrame({"v": values}).with_row_index("i")  # noqa: F841 - scanned below
    query = (
        "select case when v is null then null"
        " else sha256($outer || unhex(sha256($inner || encode(v)))) end as h from frame"
        " order by i"
    )
    params = {"inner": inner, "outer": outer}
    if con is None:
        with duckdb.connect() as own:
            result = own.sql(query, params=params).to_arrow_table()
    else:
        result = con.sql(query, params=params).to_arrow_table()
    return pl.Series(values.name, pl.from_arrow(result.column("h")), dtype=pl.String)


def pseudonymise(
    frame: pl.DataFrame,
    cpr_column: str,
    key: bytes,
    drop: tuple[str, ...] = (),
    con: duckdb.DuckDBPyConnection | None = None,
) -> pl.DataFrame:
    """Replace text column ``cpr_column`` (and ``drop``) by ``person_id`` and ``cpr_masked``."""
    digits = frame.select(normalised_cpr(pl.col(cpr_column)).alias("cpr10"))["cpr10"]
    unique = digits.drop_nulls().unique()
    ids = pl.DataFrame({"cpr10": unique, PERSON_ID: hmac_sha256_hex(unique, key, con)})
    with_ids = pl.DataFrame({"cpr10": digits}).join(
        ids, on="cpr10", how="left", maintain_order="left"
    )
    return frame.with_columns(
        with_ids[PERSON_ID].alias(PERSON_ID),
        masked_cpr(pl.col(cpr_column)).alias(MASKED),
    ).drop(cpr_column, *drop)
