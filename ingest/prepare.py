"""From a file's bytes to the rows to load and the rows to quarantine (nothing is written)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import duckdb
import polars as pl

from ingest.cpr import mask_cpr_expr, mask_cpr_text
from ingest.filenames import ExtractName
from ingest.normalise import ROW, ignored_columns, missing_columns, normalise, text_column
from ingest.pseudonymise import PERSON_ID, pseudonymise
from ingest.read import read_text_table
from ingest.reference import normalise_kommunenavn
from ingest.schema import LOAD_METADATA_COLUMNS, SOURCES, Source
from ingest.validate import FileContext, shown_text, validate


class FileRejected(ValueError):
    """A file-level failure; the message is a Danish reason.

    ``rows_read`` and ``ignored_columns`` (columns not in the schema) when known.
    """

    def __init__(
        self,
        reason: str,
        rows_read: int | None = None,
        ignored_columns: list[str] | None = None,
    ) -> None:
        super().__init__(reason)
        self.rows_read = rows_read
        self.ignored_columns = ignored_columns


@dataclass
class Prepared:
    """The outcome of reading and validating one file."""

    rows_read: int
    raw: pl.DataFrame  # typed rows in raw-table column order, without load metadata
    quarantine: pl.DataFrame  # source_row_number, rules, reason, masked_row
    timings: dict[str, float] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)  # in the file, not the schema
    blank_lines_skipped: int = 0  # blank lines (empty rows), not counted in rows_read

    @property
    def rows_loaded(self) -> int:
        """Rows of the file loaded (a long source stores more raw rows than it read)."""
        return self.raw.height


@dataclass(frozen=True)
class ValidationInput:
    """A file read, normalised and pseudonymised: what the row rules run on."""

    frame: pl.DataFrame
    rows_read: int  # non-blank rows
    ignored_columns: list[str]
    blank_lines_skipped: int = 0


@dataclass(frozen=True)
class Reference:
    """Reference data used at ingest: known municipality codes and the name map."""

    kommunekoder: frozenset[int]
    kommune_names: pl.DataFrame  # navn_norm, kommunekode


def _map_kommune(frame: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    keyed = frame.with_columns(
        normalise_kommunenavn(pl.col(text_column("kommune"))).alias("__navn_norm")
    )
    return keyed.join(
        names.rename({"navn_norm": "__navn_norm"}).with_columns(
            pl.col("kommunekode").cast(pl.Int32)
        ),
        on="__navn_norm",
        how="left",
        maintain_order="left",
    ).drop("__navn_norm")


def _masked_row(source: Source) -> pl.Expr:
    # A CPR-shaped value in any shown field is masked as well (defence in depth); the
    # person_id hash is added after masking (its hex digits may form ten-digit runs).
    fields = [
        mask_cpr_expr(pl.col(shown_text(source, c.name))).alias(c.name) for c in source.columns
    ]
    if source.cpr_columns:
        fields.append(pl.col(PERSON_ID))
    if not source.per_municipality:
        fields.append(pl.col("kommunekode"))
    return pl.struct(fields).struct.json_encode()


# The quarantine rows ``prepare`` returns, as typed when there are none (planning the
# masking of no rows cost ~5 ms a file).
QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    ROW: pl.Int32(),
    "rules": pl.List(pl.String),
    "reason": pl.String(),
    "masked_row": pl.String(),
}


# The longest field accepted, in characters (the longest free-text remark the contract
# needs is far shorter); a longer one rejects the file rather than load and publish it.
MAX_FIELD_CHARS = 10_000


def _check_field_sizes(frame: pl.DataFrame, rows_read: int, ignored: list[str]) -> None:
    """``FileRejected`` naming the first column (and row) holding an over-long field."""
    if not frame.height:
        return
    # No field has more characters than bytes: count characters only when some field
    # has more bytes than the limit allows characters.
    most_bytes = frame.select(pl.max_horizontal(pl.all().str.len_bytes().max())).item()
    if most_bytes is None or most_bytes <= MAX_FIELD_CHARS:
        return
    lengths = frame.select(pl.all().str.len_chars().max())
    for column in frame.columns:
        longest = lengths[column][0]
        if longest is not None and longest > MAX_FIELD_CHARS:
            row = int(frame[column].str.len_chars().arg_max() or 0) + 1
            raise FileRejected(
                f"feltet '{mask_cpr_text(column)}' i række {row} er for langt "
                f"({longest} tegn; højst {MAX_FIELD_CHARS})",
                rows_read,
                ignored,
            )


def validation_frame(
    data: bytes,
    name: ExtractName,
    key: bytes,
    reference: Reference,
    con: duckdb.DuckDBPyConnection | None = None,
) -> tuple[pl.DataFrame, int]:
    """Read, normalise and pseudonymise: the frame the row rules run on, and rows read.

    ``con``: an open DuckDB connection to compute pseudonyms on (see ``hmac_sha256_hex``).
    Raises ``FileUnreadable`` / ``FileRejected`` for file-level failures.
    """
    read = validation_input(data, name, key, reference, con)
    return read.frame, read.rows_read


def validation_input(
    data: bytes,
    name: ExtractName,
    key: bytes,
    reference: Reference,
    con: duckdb.DuckDBPyConnection | None = None,
) -> ValidationInput:
    """``validation_frame`` plus the file's columns that are not in the schema."""
    source = SOURCES[name.source]
    table = read_text_table(data, name.extension)
    rows_read = table.frame.height
    ignored = ignored_columns(table.frame, source)
    _check_field_sizes(table.frame, rows_read, ignored)
    missing = missing_columns(table.frame, source)
    if missing:
        raise FileRejected(
            f"filen mangler kolonnen/kolonnerne: {', '.join(missing)}", rows_read, ignored
        )
    frame = normalise(table.frame, source, table.row_numbers)
    for cpr in source.cpr_columns:
        frame = pseudonymise(frame, text_column(cpr), key, drop=(cpr,), con=con)
    if source.per_municipality:
        if name.kommunekode not in reference.kommunekoder:
            raise FileRejected(
                f"kommunekoden {name.kommunekode} i filnavnet er ukendt", rows_read, ignored
            )
        # A snapshot with no cases is valid; rows that all belong elsewhere are not.
        if frame.height and not (frame["kommunekode"] == name.kommunekode).any():
            raise FileRejected(
                f"forkert kommune: ingen rækker har filnavnets kommunekode {name.kommunekode}",
                rows_read,
                ignored,
            )
    else:
        frame = _map_kommune(frame, reference.kommune_names)
    return ValidationInput(frame, rows_read, ignored, table.blank_rows)


def prepare(
    data: bytes,
    name: ExtractName,
    key: bytes,
    reference: Reference,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Prepared:
    """Read, normalise, pseudonymise and validate one file; ``FileRejected`` if unusable."""
    source = SOURCES[name.source]
    t0, c0 = time.perf_counter(), time.process_time()
    read = validation_input(data, name, key, reference, con)
    frame, rows_read = read.frame, read.rows_read
    t1, c1 = time.perf_counter(), time.process_time()
    checked = validate(frame, source, FileContext(name.kommunekode, name.extract_date))
    raw_names = [n for n, _ in source.raw_columns()[: -len(LOAD_METADATA_COLUMNS)]]
    raw = checked.accepted.select(ROW, *raw_names)
    quarantine = (
        checked.rejected.select(
            ROW,
            "rules",
            mask_cpr_expr(pl.col("reason")),
            _masked_row(source).alias("masked_row"),
        )
        if checked.rejected.height
        else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    )
    t2, c2 = time.perf_counter(), time.process_time()
    return Prepared(
        rows_read=rows_read,
        raw=raw,
        quarantine=quarantine,
        timings={
            "read": t1 - t0,
            "validate": t2 - t1,
            "read_cpu": c1 - c0,
            "validate_cpu": c2 - c1,
        },
        ignored_columns=read.ignored_columns,
        blank_lines_skipped=read.blank_lines_skipped,
    )


def now_utc() -> dt.datetime:
    """Current UTC time without tzinfo (stored as DuckDB TIMESTAMP)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
