"""DREAM (contract §1.6): a wide weekly register read in row batches and stored long.

A national file is ~1 million persons × ~470 week columns. It is never held as a wide
frame: CSV is streamed by pyarrow's incremental reader, Parquet by row groups, and each
batch of rows is unpivoted in DuckDB (blank cells dropped), checked and collapsed into
spells of equal codes (person × start week × end week × code). What stays in memory is
the spells, one short row per person and spell.

Row rules (the row is quarantined, with the reason in Danish):
- ``required_missing`` / ``invalid_cpr``: CPR blank or not a valid CPR number;
- ``invalid_value``: a week column name that is not a valid ISO week (``y_1854``) holding
  a value, a code that is not three digits, a ``bopaelskommune`` that is not a known
  municipality code;
- ``invalid_enum``: a three-digit code that no range of the seed ``dream_ydelsesgrupper``
  covers (never guessed);
- ``duplicate_key``: the same person on more than one row (the first row is loaded).
A file without ``cpr`` or without any ``y_`` column is rejected whole.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from core.paths import SEEDS_DIR
from ingest.cpr import mask_cpr_expr
from ingest.filenames import ExtractName
from ingest.prepare import FileRejected, Prepared, Reference
from ingest.pseudonymise import PERSON_ID, masked_cpr, pseudonymise
from ingest.read import DELIMITERS, FileUnreadable, normalise_header
from ingest.schema import DREAM_WEEK_PREFIX, WIDE_SOURCES

YDELSESGRUPPER_CSV = SEEDS_DIR / "dream_ydelsesgrupper.csv"
SOURCE = WIDE_SOURCES["dream"]
# Rows per batch: ~100k rows × 470 columns of short strings is ~0.5 GB in Arrow, which
# keeps the peak well under the 8 GB budget (measured in bench/bench_dream.py).
BATCH_ROWS = 50_000
_WEEK = re.compile(rf"^{DREAM_WEEK_PREFIX}(\d{{2}})(\d{{2}})$")
_ROW = "source_row_number"
# Weeks are numbered from this Monday (ISO week 1 of 2000) so consecutive weeks differ by 1.
_EPOCH = dt.date(2000, 1, 3)


@dataclass(frozen=True)
class WeekColumn:
    """A ``y_YYWW`` column: its Monday and week number, or why it is not a week."""

    name: str
    monday: dt.date | None
    problem: str | None


def week_column(name: str) -> WeekColumn:
    """Parse ``y_YYWW`` (``y_1801`` = ISO week 1 of 2018)."""
    match = _WEEK.match(name)
    if match is None:
        return WeekColumn(name, None, f"ugekolonnen '{name}' har ikke formen y_ÅÅUU")
    year, week = 2000 + int(match[1]), int(match[2])
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return WeekColumn(name, None, f"ugekolonnen '{name}': {year} har ingen uge {week}")
    return WeekColumn(name, monday, None)


def known_codes(path: Path = YDELSESGRUPPER_CSV) -> frozenset[int]:
    """Every code covered by a range of the seed ``dream_ydelsesgrupper``."""
    ranges = pl.read_csv(path, columns=["kode_fra", "kode_til"], infer_schema=False)
    codes: set[int] = set()
    for low, high in ranges.iter_rows():
        codes.update(range(int(low), int(high) + 1))
    return frozenset(codes)


# --- reading in batches ----------------------------------------------------------------


def _csv_batches(data: bytes) -> tuple[list[str], Iterator[pa.RecordBatch]]:
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    end = data.find(b"\n", start)
    header_bytes = data[start : end if end >= 0 else len(data)]
    if not header_bytes.strip():
        raise FileUnreadable("filen er tom")
    try:
        header = header_bytes.decode("utf-8")
        encoding = "utf8"
    except UnicodeDecodeError:
        header = header_bytes.decode("cp1252")
        encoding = "cp1252"
    header = header.rstrip("\r")
    delimiter = max(DELIMITERS, key=header.count)
    names = [normalise_header(n.strip('"')) for n in header.split(delimiter)]
    if len(set(names)) != len(names):
        raise FileUnreadable("filen har to kolonner med samme navn")
    reader = pa_csv.open_csv(
        pa.BufferReader(pa.py_buffer(data)[start:]),
        read_options=pa_csv.ReadOptions(
            column_names=names, skip_rows=1, encoding=encoding, block_size=1 << 24
        ),
        parse_options=pa_csv.ParseOptions(delimiter=delimiter),
        convert_options=pa_csv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=True
        ),
    )
    return names, iter(reader)


def _parquet_batches(data: bytes) -> tuple[list[str], Iterator[pa.RecordBatch]]:
    source = pq.ParquetFile(pa.BufferReader(pa.py_buffer(data)))
    original = source.schema_arrow.names
    names = [normalise_header(n) for n in original]
    if len(set(names)) != len(names):
        raise FileUnreadable("filen har to kolonner med samme navn")

    def batches() -> Iterator[pa.RecordBatch]:
        for batch in source.iter_batches(batch_size=BATCH_ROWS):
            columns = [batch.column(i).cast(pa.string()) for i in range(batch.num_columns)]
            yield pa.RecordBatch.from_arrays(columns, names=names)

    return names, batches()


def _rebatch(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.Table]:
    """Batches of about ``BATCH_ROWS`` rows (pyarrow's CSV blocks vary in size)."""
    pending: list[pa.RecordBatch] = []
    rows = 0
    for batch in batches:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= BATCH_ROWS:
            yield pa.Table.from_batches(pending)
            pending, rows = [], 0
    if pending:
        yield pa.Table.from_batches(pending)


# --- one batch ---------------------------------------------------------------------------


@dataclass
class _BatchResult:
    accepted: pl.DataFrame  # source_row_number, person_id, bopaelskommune
    spells: pl.DataFrame  # source_row_number, fra_uge, til_uge, kode
    quarantine: pl.DataFrame  # source_row_number, rules, reason, masked_row


def _batch(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    first_row: int,
    weeks: list[WeekColumn],
    has_kommune: bool,
    key: bytes,
    kommunekoder: frozenset[int],
    codes: list[int],
) -> _BatchResult:
    rows = pl.from_arrow(table)
    assert isinstance(rows, pl.DataFrame)
    rows = rows.with_row_index(_ROW, offset=first_row).with_columns(pl.col(_ROW).cast(pl.Int32))
    week_names = [w.name for w in weeks]
    cells_in = rows.select(_ROW, *week_names)  # noqa: F841 - scanned by DuckDB
    quoted = ", ".join(f'"{n}"' for n in week_names)
    cells = con.sql(
        f"""
        select {_ROW}, kolonne, trim(kode) as kode
        from (unpivot cells_in on {quoted} into name kolonne value kode)
        where trim(kode) <> ''
        """
    ).pl()
    cells = cells.join(_week_table(weeks), on="kolonne", how="left")
    three = pl.col("kode").str.contains(r"^\d{3}$")
    code = pl.when(three).then(pl.col("kode").cast(pl.Int16, strict=False))
    cells = cells.with_columns(code.alias("kode_nr"))
    problems = cells.with_columns(
        pl.when(pl.col("problem").is_not_null())
        .then(pl.lit("invalid_value"))
        .when(~three)
        .then(pl.lit("invalid_value"))
        .when(~pl.col("kode_nr").is_in(codes))
        .then(pl.lit("invalid_enum"))
        .alias("rule"),
        pl.when(pl.col("problem").is_not_null())
        .then(pl.col("problem") + pl.lit(" og har en værdi"))
        .when(~three)
        .then(pl.format("koden i {} er ikke tre cifre", pl.col("kolonne")))
        .otherwise(pl.format("ukendt ydelseskode {} i {}", pl.col("kode"), pl.col("kolonne")))
        .alias("why"),
    ).filter(pl.col("rule").is_not_null())
    row_frame = rows.select(
        _ROW,
        pl.col("cpr"),
        (pl.col("bopaelskommune") if has_kommune else pl.lit(None, pl.String)).alias("kommune"),
    )
    with_ids = pseudonymise(
        row_frame.with_columns(pl.col("cpr").alias("cpr_text")), "cpr_text", key, con=con
    )
    kommune_text = pl.col("kommune").str.strip_chars()
    kommune_nr = kommune_text.cast(pl.Int32, strict=False)
    with_ids = with_ids.with_columns(kommune_nr.alias("bopaelskommune"))
    cpr_blank = pl.col("cpr").is_null() | (pl.col("cpr").str.strip_chars() == "")
    row_problems = pl.concat(
        [
            with_ids.filter(cpr_blank).select(
                _ROW, pl.lit("required_missing").alias("rule"), pl.lit("cpr mangler").alias("why")
            ),
            with_ids.filter(~cpr_blank & pl.col(PERSON_ID).is_null()).select(
                _ROW,
                pl.lit("invalid_cpr").alias("rule"),
                pl.lit("cpr er ikke et gyldigt CPR-nummer").alias("why"),
            ),
            with_ids.filter(
                kommune_text.is_not_null()
                & (kommune_text != "")
                & ~pl.col("bopaelskommune").is_in(sorted(kommunekoder))
            ).select(
                _ROW,
                pl.lit("invalid_value").alias("rule"),
                pl.lit("bopaelskommune er ikke en kendt kommunekode").alias("why"),
            ),
            problems.select(_ROW, "rule", "why"),
        ]
    )
    reasons = (
        row_problems.group_by(_ROW, maintain_order=True)
        .agg(
            pl.col("rule").unique(maintain_order=True).alias("rules"),
            pl.col("why").head(3).str.join("; ").alias("first"),
            pl.len().alias("n"),
        )
        .with_columns(
            pl.when(pl.col("n") > 3)
            .then(pl.format("{} (i alt {} fejl)", pl.col("first"), pl.col("n")))
            .otherwise(pl.col("first"))
            .alias("reason")
        )
    )
    bad = reasons.select(_ROW)
    masked = _masked_rows(rows.join(bad, on=_ROW, how="semi"), weeks, has_kommune, with_ids)
    quarantine = reasons.join(masked, on=_ROW, how="left").select(
        _ROW, "rules", mask_cpr_expr(pl.col("reason")).alias("reason"), "masked_row"
    )
    accepted = with_ids.join(bad, on=_ROW, how="anti").select(_ROW, PERSON_ID, "bopaelskommune")
    good_cells = cells.join(bad, on=_ROW, how="anti").select(_ROW, "uge", "kode_nr")
    return _BatchResult(accepted, _spells(con, good_cells), quarantine)


def _week_table(weeks: list[WeekColumn]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "kolonne": [w.name for w in weeks],
            "uge": [None if w.monday is None else (w.monday - _EPOCH).days // 7 for w in weeks],
            "problem": [w.problem for w in weeks],
        },
        schema={"kolonne": pl.String, "uge": pl.Int32, "problem": pl.String},
    )


def _spells(con: duckdb.DuckDBPyConnection, good: pl.DataFrame) -> pl.DataFrame:
    """Runs of equal codes in consecutive weeks (gaps and islands), per row."""
    good_cells = good  # noqa: F841 - scanned by DuckDB
    return con.sql(
        f"""
        with numbered as (
            select
                {_ROW},
                uge,
                kode_nr,
                uge - row_number() over (partition by {_ROW}, kode_nr order by uge) as oe
            from good_cells
        )
        select {_ROW}, min(uge)::integer as fra_uge, max(uge)::integer as til_uge,
            kode_nr::smallint as kode
        from numbered
        group by {_ROW}, kode_nr, oe
        """
    ).pl()


def _masked_rows(
    bad: pl.DataFrame, weeks: list[WeekColumn], has_kommune: bool, with_ids: pl.DataFrame
) -> pl.DataFrame:
    """The quarantined row as JSON: CPR masked, the non-blank week cells as they came."""
    if bad.height == 0:
        return pl.DataFrame(schema={_ROW: pl.Int32, "masked_row": pl.String})
    week_names = [w.name for w in weeks]
    long = (
        bad.select(_ROW, *week_names)
        .unpivot(index=_ROW, variable_name="kolonne", value_name="kode")
        .filter(pl.col("kode").is_not_null() & (pl.col("kode").str.strip_chars() != ""))
        .group_by(_ROW)
        .agg(
            pl.format('"{}":"{}"', "kolonne", mask_cpr_expr(pl.col("kode")))
            .str.join(",")
            .alias("celler")
        )
    )
    head = bad.select(
        _ROW,
        masked_cpr(pl.col("cpr")).alias("cpr"),
        (pl.col("bopaelskommune") if has_kommune else pl.lit(None, pl.String)).alias(
            "bopaelskommune"
        ),
    ).join(with_ids.select(_ROW, PERSON_ID), on=_ROW, how="left")
    head = head.with_columns(
        pl.struct("cpr", "bopaelskommune", PERSON_ID).struct.json_encode().alias("head")
    ).join(long, on=_ROW, how="left")
    with_cells = (
        pl.col("head").str.strip_suffix("}") + pl.lit(',"uger":{') + pl.col("celler") + pl.lit("}}")
    )
    return head.select(
        _ROW,
        pl.when(pl.col("celler").is_null())
        .then(pl.col("head"))
        .otherwise(with_cells)
        .alias("masked_row"),
    )


# --- the whole file --------------------------------------------------------------------


def prepare_dream(
    data: bytes,
    name: ExtractName,
    key: bytes,
    reference: Reference,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Prepared:
    """Read, check and collapse a DREAM file into spells; ``FileRejected`` if unusable.

    ``con`` is not used: the work runs on a private in-memory DuckDB connection.
    """
    del con
    t0, c0 = time.perf_counter(), time.process_time()
    if name.extension not in ("csv", "parquet"):
        raise FileRejected("DREAM leveres som CSV eller Parquet")
    try:
        names, batches = (_parquet_batches if name.extension == "parquet" else _csv_batches)(data)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as error:
        raise FileUnreadable(
            f"filen kan ikke læses som en tabel ({type(error).__name__})"
        ) from None
    weeks = [week_column(n) for n in names if n.startswith(DREAM_WEEK_PREFIX)]
    ignored = [n for n in names if n not in ("cpr", "bopaelskommune") and not n.startswith("y_")]
    if "cpr" not in names:
        raise FileRejected("filen mangler kolonnen: cpr", None, ignored)
    if not weeks:
        raise FileRejected("filen har ingen ugekolonner (y_ÅÅUU)", None, ignored)
    valid = sorted(w.monday for w in weeks if w.monday is not None)
    if not valid:
        raise FileRejected("ingen af filens ugekolonner er en gyldig uge (y_ÅÅUU)", None, ignored)
    register = (valid[0], valid[-1])
    has_kommune = "bopaelskommune" in names
    accepted, spells, quarantine = [], [], []
    rows_read = 0
    with duckdb.connect() as own:
        own.execute("set threads = 2")
        codes = sorted(known_codes())
        try:
            for table in _rebatch(batches):
                result = _batch(
                    own,
                    table,
                    rows_read + 1,
                    weeks,
                    has_kommune,
                    key,
                    reference.kommunekoder,
                    codes,
                )
                rows_read += table.num_rows
                accepted.append(result.accepted)
                spells.append(result.spells)
                quarantine.append(result.quarantine)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise FileUnreadable(
                f"filen kan ikke læses som en tabel ({type(error).__name__})"
            ) from None
    t1, c1 = time.perf_counter(), time.process_time()
    raw, people, dup_quarantine = _assemble(accepted, spells, register)
    q_schema = {
        _ROW: pl.Int32,
        "rules": pl.List(pl.String),
        "reason": pl.String,
        "masked_row": pl.String,
    }
    all_quarantine = pl.concat(
        [q.cast(q_schema) for q in [*quarantine, dup_quarantine]], how="vertical"
    ).sort(_ROW)
    t2, c2 = time.perf_counter(), time.process_time()
    return DreamPrepared(
        rows_read=rows_read,
        raw=raw,
        quarantine=all_quarantine,
        timings={
            "read": t1 - t0,
            "validate": t2 - t1,
            "read_cpu": c1 - c0,
            "validate_cpu": c2 - c1,
        },
        ignored_columns=ignored,
        persons_loaded=people,
    )


@dataclass
class DreamPrepared(Prepared):
    """Prepared DREAM: ``raw`` holds spells, so rows loaded = persons, not raw rows."""

    persons_loaded: int = 0

    @property
    def rows_loaded(self) -> int:
        return self.persons_loaded


def _assemble(
    accepted: list[pl.DataFrame],
    spells: list[pl.DataFrame],
    register: tuple[dt.date, dt.date],
) -> tuple[pl.DataFrame, int, pl.DataFrame]:
    """Spells of the accepted persons, duplicates quarantined, a blank spell when none."""
    persons = (
        pl.concat(accepted)
        if accepted
        else pl.DataFrame(schema={_ROW: pl.Int32, PERSON_ID: pl.String, "bopaelskommune": pl.Int32})
    )
    first = pl.col(_ROW) == pl.col(_ROW).min().over(PERSON_ID)
    duplicates = persons.filter(~first)
    persons = persons.filter(first)
    all_spells = (
        pl.concat(spells)
        if spells
        else pl.DataFrame(
            schema={_ROW: pl.Int32, "fra_uge": pl.Int32, "til_uge": pl.Int32, "kode": pl.Int16}
        )
    )
    # The duplicate's weeks are kept in the quarantine as spells (Monday from–to: code).
    epoch = pl.lit(_EPOCH)
    dup_spells = (
        all_spells.join(duplicates.select(_ROW), on=_ROW, how="semi")
        .sort(_ROW, "fra_uge")
        .group_by(_ROW, maintain_order=True)
        .agg(
            pl.format(
                "{}–{}: {}",
                (epoch + pl.duration(weeks=pl.col("fra_uge"))).cast(pl.Date),
                (epoch + pl.duration(weeks=pl.col("til_uge"))).cast(pl.Date),
                pl.col("kode"),
            ).alias("forloeb")
        )
    )
    dup_quarantine = duplicates.join(dup_spells, on=_ROW, how="left").select(
        _ROW,
        pl.lit(["duplicate_key"]).alias("rules"),
        pl.lit("personen står mere end én gang i filen; den første række er indlæst").alias(
            "reason"
        ),
        pl.struct(PERSON_ID, "bopaelskommune", "forloeb").struct.json_encode().alias("masked_row"),
    )
    all_spells = all_spells.join(persons.select(_ROW), on=_ROW, how="semi")
    without = persons.join(all_spells.select(_ROW).unique(), on=_ROW, how="anti")
    start, end = ((d - _EPOCH).days // 7 for d in register)
    blank = without.select(
        _ROW,
        pl.lit(start, pl.Int32).alias("fra_uge"),
        pl.lit(end, pl.Int32).alias("til_uge"),
        pl.lit(None, pl.Int16).alias("kode"),
    )
    raw = (
        pl.concat([all_spells, blank])
        .join(persons, on=_ROW, how="left")
        .sort(_ROW, "fra_uge")
        .select(
            _ROW,
            PERSON_ID,
            "bopaelskommune",
            (epoch + pl.duration(weeks=pl.col("fra_uge"))).cast(pl.Date).alias("fra_uge_dato"),
            (epoch + pl.duration(weeks=pl.col("til_uge"))).cast(pl.Date).alias("til_uge_dato"),
            "kode",
            pl.lit(register[0]).alias("register_fra_uge_dato"),
            pl.lit(register[1]).alias("register_til_uge_dato"),
        )
    )
    return raw, persons.height, dup_quarantine


__all__ = ["DreamPrepared", "known_codes", "prepare_dream", "week_column"]
