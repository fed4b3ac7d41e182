"""DREAM (contract §1.6): a wide weekly register read in row batches and stored long.

A national file is ~1 million persons × ~470 week columns. It is never held as a wide
frame: CSV is streamed by pyarrow's incremental reader, Parquet by row groups, and each
batch is turned straight into spells of equal codes (person row × first week × last week
× code) with Arrow and NumPy: every week column's non-blank cells are looked up among the
seed's codes as text (``'890'``), written into a small integer matrix (rows × weeks in
week order) and run-length encoded along the weeks. Only the rare cells that are not a
known code as written (blank after trimming, a code with spaces around it, a bad code, a
value in a malformed week column) go through DuckDB, where they are trimmed like every
cell and the bad ones kept in ``problemceller``. The batches append to a private
in-memory DuckDB: the person columns to ``personer``, the spells to ``forloeb_alle``.
Every rule then runs once, in SQL, over those tables. What stays in memory is the spells
(~2 million rows for the bench's national file) and the person columns; the cells of a
quarantined row are rebuilt from its spells and problem cells.

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
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
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
# Rows per batch: 50k rows × 470 columns of short strings is ~0.25 GB in Arrow, which
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


# --- the batches into DuckDB ----------------------------------------------------------


@dataclass(frozen=True)
class WeekLayout:
    """Where each week column goes in a batch's code matrix (columns in week order)."""

    names: list[str]  # the week columns in file order (kolonne_nr = position)
    matrix_column: np.ndarray  # per file position: its matrix column, -1 if not a week
    weeks: np.ndarray  # per matrix column: its week number (weeks since _EPOCH)
    new_run: np.ndarray  # per matrix column: the week is not the one after the previous
    code_texts: pa.Array  # the seed's codes as written: '001' … '999'
    code_values: np.ndarray  # the same codes as small integers, then -1 (not a code)

    @classmethod
    def of(cls, weeks: list[WeekColumn], codes: list[int]) -> WeekLayout:
        numbers = np.array(
            [-1 if w.monday is None else (w.monday - _EPOCH).days // 7 for w in weeks],
            dtype=np.int64,
        )
        valid = np.flatnonzero(numbers >= 0)
        order = valid[np.argsort(numbers[valid], kind="stable")]
        matrix_column = np.full(len(weeks), -1, dtype=np.int64)
        matrix_column[order] = np.arange(len(order))
        in_order = numbers[order]
        new_run = np.ones(len(order), dtype=bool)
        new_run[1:] = np.diff(in_order) != 1
        return cls(
            names=[w.name for w in weeks],
            matrix_column=matrix_column,
            weeks=in_order.astype(np.int32),
            new_run=new_run,
            code_texts=pa.array([f"{c:03d}" for c in codes], pa.string()),
            code_values=np.array([*codes, -1], dtype=np.int16),
        )


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    first_row: int,
    layout: WeekLayout,
    has_kommune: bool,
) -> None:
    """Append one batch: its person columns to ``personer``, its spells to ``forloeb_alle``.

    Each week column's non-blank cells (taken with Arrow) are looked up among the codes as
    text; a hit goes into the matrix as its code, a miss (rare) is trimmed in DuckDB and
    is then a code, a blank or a problem cell. Problem cells stay blank in the matrix, so
    a quarantined row's valid cells are still in its spells (and rebuilt from them).
    """
    n = table.num_rows
    rows = pa.array(np.arange(first_row, first_row + n, dtype=np.int32))
    nye_personer = pa.table(  # noqa: F841 - scanned by DuckDB
        {
            _ROW: rows,
            "cpr": table.column("cpr"),
            "bopaelskommune": table.column("bopaelskommune")
            if has_kommune
            else pa.nulls(n, pa.string()),
        }
    )
    con.execute(f"insert into personer select {_ROW}, cpr, bopaelskommune from nye_personer")
    matrix = np.full((n, len(layout.weeks)), -1, dtype=np.int16)
    # All week columns as one array, column after column: cell p is in file column p // n,
    # row p % n. One Arrow call per step for the whole batch instead of one per column.
    cells = pa.concat_arrays(
        [chunk.cast(pa.string()) for name in layout.names for chunk in table.column(name).chunks]
    )
    present = pc.indices_nonzero(pc.is_valid(cells))
    if len(present) == 0:
        return
    values = pc.take(cells, present)
    del cells
    at = present.to_numpy()
    position, row = np.divmod(at, n)
    column = layout.matrix_column[position]
    not_a_code = len(layout.code_values) - 1
    index = pc.fill_null(pc.index_in(values, value_set=layout.code_texts), not_a_code).to_numpy()
    hit = (index != not_a_code) & (column >= 0)
    matrix[row[hit], column[hit]] = layout.code_values[index[hit]]
    if not hit.all():
        miss = ~hit
        _misses(
            con,
            matrix,
            first_row,
            layout,
            row[miss],
            position[miss].astype(np.int16),
            values.filter(pa.array(miss)),
        )
    _append_spells(con, matrix, first_row, layout)


def _misses(
    con: duckdb.DuckDBPyConnection,
    matrix: np.ndarray,
    first_row: int,
    layout: WeekLayout,
    miss_rows: np.ndarray,
    miss_positions: np.ndarray,
    miss_texts: pa.Array,
) -> None:
    """Cells that are not a code as written: trimmed (DuckDB's ``trim``, as every cell);
    a blank is dropped, a known code in a valid week goes into the matrix, the rest is
    appended to ``problemceller``."""
    nye_celler = pa.table(  # noqa: F841 - scanned by DuckDB
        {
            _ROW: pa.array((miss_rows + first_row).astype(np.int32)),
            "kolonne_nr": pa.array(miss_positions),
            "kode": miss_texts,
        }
    )
    trimmed = con.sql(
        f"""
        select nye_celler.{_ROW}, nye_celler.kolonne_nr, trim(nye_celler.kode) as kode,
            uger.problem is null and trim(nye_celler.kode) in (select tekst from kodetekster)
                as er_kode,
            try_cast(trim(nye_celler.kode) as smallint) as kode_nr
        from nye_celler
        inner join uger on nye_celler.kolonne_nr = uger.kolonne_nr
        where trim(nye_celler.kode) <> ''
        """
    ).to_arrow_table()
    if trimmed.num_rows == 0:
        return
    is_code = trimmed.column("er_kode").to_numpy(zero_copy_only=False)
    if is_code.any():
        codes = trimmed.filter(pa.array(is_code))
        row = codes.column(_ROW).to_numpy() - first_row
        column = layout.matrix_column[codes.column("kolonne_nr").to_numpy()]
        matrix[row, column] = codes.column("kode_nr").to_numpy()
    problems = trimmed.filter(pa.array(~is_code)).select([_ROW, "kolonne_nr", "kode"])
    if problems.num_rows:
        con.execute(f"insert into problemceller select {_ROW}, kolonne_nr, kode from problems")


def _append_spells(
    con: duckdb.DuckDBPyConnection, matrix: np.ndarray, first_row: int, layout: WeekLayout
) -> None:
    """Runs of one code in consecutive weeks (run-length encoding along each row)."""
    n, width = matrix.shape
    if n == 0 or width == 0:
        return
    boundary = np.empty((n, width), dtype=bool)
    boundary[:, 0] = True
    np.not_equal(matrix[:, 1:], matrix[:, :-1], out=boundary[:, 1:])
    boundary[:, 1:] |= layout.new_run[1:]
    starts = np.flatnonzero(boundary)
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:] - 1
    ends[-1] = n * width - 1
    codes = matrix.reshape(-1)[starts]
    keep = codes != -1
    starts, ends, codes = starts[keep], ends[keep], codes[keep]
    if len(starts) == 0:
        return
    nye_forloeb = pa.table(  # noqa: F841 - scanned by DuckDB
        {
            _ROW: pa.array((starts // width + first_row).astype(np.int32)),
            "fra_uge": pa.array(layout.weeks[starts % width]),
            "til_uge": pa.array(layout.weeks[ends % width]),
            "kode": pa.array(codes),
        }
    )
    con.execute(f"insert into forloeb_alle select {_ROW}, fra_uge, til_uge, kode from nye_forloeb")


def _create_tables(
    con: duckdb.DuckDBPyConnection,
    weeks: list[WeekColumn],
    codes: list[int],
    kommunekoder: frozenset[int],
) -> None:
    con.execute(f"create table personer ({_ROW} integer, cpr varchar, bopaelskommune varchar)")
    con.execute(f"create table problemceller ({_ROW} integer, kolonne_nr smallint, kode varchar)")
    con.execute(
        f"create table forloeb_alle ({_ROW} integer, fra_uge integer, til_uge integer,"
        " kode smallint)"
    )
    uger = pl.DataFrame(  # noqa: F841 - scanned by DuckDB
        {
            "kolonne_nr": list(range(len(weeks))),
            "kolonne": [w.name for w in weeks],
            "uge": [None if w.monday is None else (w.monday - _EPOCH).days // 7 for w in weeks],
            "problem": [w.problem for w in weeks],
        },
        schema={
            "kolonne_nr": pl.Int16,
            "kolonne": pl.String,
            "uge": pl.Int32,
            "problem": pl.String,
        },
    )
    con.execute("create table uger as select * from uger")
    seed_koder = pl.DataFrame(  # noqa: F841 - scanned by DuckDB
        {"kode": codes, "tekst": [f"{c:03d}" for c in codes]},
        schema={"kode": pl.Int16, "tekst": pl.String},
    )
    con.execute("create table koder as select kode from seed_koder")
    con.execute("create table kodetekster as select tekst from seed_koder")
    kommuner = pl.DataFrame(  # noqa: F841 - scanned by DuckDB
        {"kommunekode": sorted(kommunekoder)}, schema={"kommunekode": pl.Int32}
    )
    con.execute("create table kommuner as select * from kommuner")


def _cells(rows: str) -> str:
    """The non-blank cells (row, kolonne_nr, kolonne, trimmed code text) of the rows in
    table ``rows``, rebuilt: the valid ones from the spells, the others from problemceller.
    A valid cell was three digits after trimming, so its text is the code padded to three."""
    return f"""
        select
            forloeb_alle.{_ROW},
            uger.kolonne_nr,
            uger.kolonne,
            lpad(forloeb_alle.kode::varchar, 3, '0') as kode
        from forloeb_alle
        inner join {rows} on forloeb_alle.{_ROW} = {rows}.{_ROW}
        inner join uger on uger.uge between forloeb_alle.fra_uge and forloeb_alle.til_uge
        union all
        select problemceller.{_ROW}, uger.kolonne_nr, uger.kolonne, problemceller.kode
        from problemceller
        inner join {rows} on problemceller.{_ROW} = {rows}.{_ROW}
        inner join uger on problemceller.kolonne_nr = uger.kolonne_nr
    """


# --- the checks, once over the whole file ------------------------------------------------

_CELL_PROBLEMS = f"""
    select
        problemceller.{_ROW},
        2 as kategori,
        problemceller.kolonne_nr,
        case
            when uger.problem is not null then 'invalid_value'
            when not regexp_full_match(problemceller.kode, '[0-9]{{3}}') then 'invalid_value'
            else 'invalid_enum'
        end as rule,
        case
            when uger.problem is not null then uger.problem || ' og har en værdi'
            when not regexp_full_match(problemceller.kode, '[0-9]{{3}}')
                then 'koden i ' || uger.kolonne || ' er ikke tre cifre'
            else 'ukendt ydelseskode ' || problemceller.kode || ' i ' || uger.kolonne
        end as why
    from problemceller
    inner join uger on problemceller.kolonne_nr = uger.kolonne_nr
    where
        uger.problem is not null
        or not regexp_full_match(problemceller.kode, '[0-9]{{3}}')
        or try_cast(problemceller.kode as smallint) not in (select kode from koder)
"""

_ROW_PROBLEMS = f"""
    select {_ROW}, 1 as kategori, 0 as kolonne_nr, 'required_missing' as rule,
        'cpr mangler' as why
    from personer_id
    where cpr_blank
    union all
    select {_ROW}, 1, 1, 'invalid_cpr', 'cpr er ikke et gyldigt CPR-nummer'
    from personer_id
    where not cpr_blank and person_id is null
    union all
    select {_ROW}, 1, 2, 'invalid_value', 'bopaelskommune er ikke en kendt kommunekode'
    from personer_id
    where
        nullif(trim(kommune_tekst), '') is not null
        and (bopaelskommune is null or bopaelskommune not in (select kommunekode from kommuner))
"""


def _pseudonymise_persons(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """``personer_id``: row, person_id (null for an invalid CPR), municipality; no CPR."""
    persons = con.sql(f"select {_ROW}, cpr, bopaelskommune from personer").pl()
    # On ``con`` although it does not preserve insertion order (set in _read_into): the
    # HMAC query orders by row index, so each CPR gets its own pseudonym on any connection.
    with_ids = pseudonymise(
        persons.with_columns(pl.col("cpr").alias("cpr_text")), "cpr_text", key, con=con
    )
    blank = pl.col("cpr").is_null() | (pl.col("cpr").str.strip_chars() == "")
    kommune = pl.col("bopaelskommune").str.strip_chars()
    frame = with_ids.select(  # noqa: F841 - scanned by DuckDB
        _ROW,
        PERSON_ID,
        blank.alias("cpr_blank"),
        masked_cpr(pl.col("cpr")).alias("cpr_masked"),
        pl.col("bopaelskommune").alias("kommune_tekst"),
        kommune.cast(pl.Int32, strict=False).alias("bopaelskommune"),
    )
    del persons, with_ids
    con.execute("create table personer_id as select * from frame")
    con.execute("drop table personer")


def _quarantine(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per rejected row: rules, the first three reasons, the masked row."""
    reasons = con.sql(
        f"""
        with problemer as (
            {_ROW_PROBLEMS}
            union all
            {_CELL_PROBLEMS}
        )
        select
            {_ROW},
            list_distinct(list(rule order by kategori, kolonne_nr)) as rule_set,
            list(rule order by kategori, kolonne_nr) as rule_list,
            list(why order by kategori, kolonne_nr)[1:3] as first_whys,
            count(*) as n
        from problemer
        group by {_ROW}
        """
    ).pl()
    # list_distinct does not keep the order: the rules in the order they were met.
    reasons = reasons.with_columns(
        pl.col("rule_list").list.unique(maintain_order=True).alias("rules"),
        pl.when(pl.col("n") > 3)
        .then(pl.format("{} (i alt {} fejl)", pl.col("first_whys").list.join("; "), pl.col("n")))
        .otherwise(pl.col("first_whys").list.join("; "))
        .alias("reason"),
    ).select(_ROW, "rules", "reason")
    bad = reasons.select(_ROW)  # noqa: F841 - scanned by DuckDB
    con.execute("create table afviste as select * from bad")
    cells = con.sql(
        f"""
        with celler as ({_cells("afviste")})
        select {_ROW}, kolonne, kode
        from celler
        order by {_ROW}, kolonne_nr
        """
    ).pl()
    heads = con.sql(
        f"""
        select personer_id.{_ROW}, cpr_masked as cpr, kommune_tekst as bopaelskommune, person_id
        from personer_id
        inner join afviste on personer_id.{_ROW} = afviste.{_ROW}
        """
    ).pl()
    masked = _masked_rows(heads, cells)
    return reasons.join(masked, on=_ROW, how="left").select(
        pl.col(_ROW).cast(pl.Int32),
        "rules",
        mask_cpr_expr(pl.col("reason")).alias("reason"),
        "masked_row",
    )


def _masked_rows(heads: pl.DataFrame, cells: pl.DataFrame) -> pl.DataFrame:
    """The quarantined row as JSON: CPR masked, the non-blank week cells as they came."""
    long = cells.group_by(_ROW, maintain_order=True).agg(
        pl.format('"{}":"{}"', "kolonne", mask_cpr_expr(pl.col("kode")))
        .str.join(",")
        .alias("celler")
    )
    head = heads.with_columns(
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
    with duckdb.connect() as own:
        rows_read, register, ignored = _read_into(own, data, name, reference)
        t1, c1 = time.perf_counter(), time.process_time()
        _pseudonymise_persons(own, key)
        quarantine = _quarantine(own)
        dup_quarantine = _duplicates(own)
        raw, people = _spells(own, register)
    q_schema = {
        _ROW: pl.Int32,
        "rules": pl.List(pl.String),
        "reason": pl.String,
        "masked_row": pl.String,
    }
    all_quarantine = pl.concat(
        [q.cast(q_schema) for q in [quarantine, dup_quarantine]], how="vertical"
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


def _read_into(
    own: duckdb.DuckDBPyConnection, data: bytes, name: ExtractName, reference: Reference
) -> tuple[int, tuple[dt.date, dt.date], list[str]]:
    """Stream the file into ``personer``, ``forloeb_alle`` and ``problemceller`` of ``own``;
    rows read, register weeks
    (first and last Monday) and the ignored columns. ``FileRejected`` if unusable."""
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
    has_kommune = "bopaelskommune" in names
    codes = sorted(known_codes())
    layout = WeekLayout.of(weeks, codes)
    rows_read = 0
    own.execute("set threads = 2")
    own.execute("set preserve_insertion_order = false")
    _create_tables(own, weeks, codes, reference.kommunekoder)
    try:
        for table in _rebatch(batches):
            _load_batch(own, table, rows_read + 1, layout, has_kommune)
            rows_read += table.num_rows
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise FileUnreadable(
            f"filen kan ikke læses som en tabel ({type(error).__name__})"
        ) from None
    return rows_read, (valid[0], valid[-1]), ignored


def validation_frame(
    data: bytes, name: ExtractName, key: bytes, reference: Reference
) -> pl.DataFrame:
    """The long form the DREAM rules are stated on (the GX suite in ingest/validate.py).

    One row per file row with the person columns (``kolonne`` missing) and one per
    non-blank week cell (``kolonne``, its Monday ``uge_dato`` or missing for a malformed
    week column, the code as text and as a number when it is three digits).
    """
    with duckdb.connect() as own:
        _read_into(own, data, name, reference)
        _pseudonymise_persons(own, key)
        own.execute(f"create table celler as {_cells('personer_id')}")
        return own.sql(
            f"""
            select
                personer_id.{_ROW},
                personer_id.cpr_masked,
                personer_id.person_id,
                nullif(trim(personer_id.kommune_tekst), '') as bopaelskommune__text,
                personer_id.bopaelskommune,
                uger.kolonne,
                {_MONDAY.format("uger.uge")} as uge_dato,
                celler.kode as kode__text,
                case
                    when regexp_full_match(celler.kode, '[0-9]{{3}}') then celler.kode::smallint
                end as kode
            from personer_id
            left join celler on personer_id.{_ROW} = celler.{_ROW}
            left join uger on celler.kolonne_nr = uger.kolonne_nr
            union all
            select {_ROW}, cpr_masked, person_id, nullif(trim(kommune_tekst), ''),
                bopaelskommune, null, null, null, null
            from personer_id
            where {_ROW} in (select {_ROW} from celler)
            order by 1, 6 nulls first
            """
        ).pl()


@dataclass
class DreamPrepared(Prepared):
    """Prepared DREAM: ``raw`` holds spells, so rows loaded = persons, not raw rows."""

    persons_loaded: int = 0

    @property
    def rows_loaded(self) -> int:
        return self.persons_loaded


def _duplicates(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rows without problems whose person is on an earlier row: kept in the quarantine.

    Leaves ``godkendte`` (row, person_id, bopaelskommune): the rows that are loaded.
    """
    con.execute(
        f"""
        create table godkendte as
        select {_ROW}, person_id, bopaelskommune
        from personer_id
        where {_ROW} not in (select {_ROW} from afviste)
        """
    )
    con.execute(
        f"""
        create table dubletter as
        select {_ROW}, person_id, bopaelskommune
        from godkendte
        qualify {_ROW} != min({_ROW}) over (partition by person_id)
        """
    )
    con.execute(f"delete from godkendte where {_ROW} in (select {_ROW} from dubletter)")
    # The duplicate's weeks are kept in the quarantine as spells (Monday from–to: code).
    dup = con.sql(
        f"""
        with oer as (
            select forloeb_alle.*
            from forloeb_alle
            inner join dubletter on forloeb_alle.{_ROW} = dubletter.{_ROW}
        )
        select
            dubletter.{_ROW},
            dubletter.person_id,
            dubletter.bopaelskommune,
            list(
                strftime({_MONDAY.format("fra_uge")}, '%Y-%m-%d') || '–'
                || strftime({_MONDAY.format("til_uge")}, '%Y-%m-%d') || ': ' || kode
                order by fra_uge
            ) filter (where fra_uge is not null) as forloeb
        from dubletter
        left join oer on dubletter.{_ROW} = oer.{_ROW}
        group by all
        """
    ).pl()
    return dup.select(
        _ROW,
        pl.lit(["duplicate_key"]).alias("rules"),
        pl.lit("personen står mere end én gang i filen; den første række er indlæst").alias(
            "reason"
        ),
        pl.struct(PERSON_ID, "bopaelskommune", pl.col("forloeb").list.drop_nulls())
        .struct.json_encode()
        .alias("masked_row"),
    )


# The Monday of week number ``{}`` (weeks since _EPOCH).
_MONDAY = "(date '" + _EPOCH.isoformat() + "' + 7 * {})::date"


def _spells(
    con: duckdb.DuckDBPyConnection, register: tuple[dt.date, dt.date]
) -> tuple[pl.DataFrame, int]:
    """The loaded persons' spells, and a blank spell over the register for one without."""
    start, end = ((d - _EPOCH).days // 7 for d in register)
    raw = con.sql(
        f"""
        with oer as (
            select forloeb_alle.*
            from forloeb_alle
            inner join godkendte on forloeb_alle.{_ROW} = godkendte.{_ROW}
        ),
        med_blanke as (
            select {_ROW}, fra_uge, til_uge, kode from oer
            union all
            select {_ROW}, {start}, {end}, null::smallint
            from godkendte
            where {_ROW} not in (select {_ROW} from oer)
        )
        select
            med_blanke.{_ROW},
            godkendte.person_id,
            godkendte.bopaelskommune,
            {_MONDAY.format("med_blanke.fra_uge")} as fra_uge_dato,
            {_MONDAY.format("med_blanke.til_uge")} as til_uge_dato,
            med_blanke.kode,
            date '{register[0].isoformat()}' as register_fra_uge_dato,
            date '{register[1].isoformat()}' as register_til_uge_dato
        from med_blanke
        inner join godkendte on med_blanke.{_ROW} = godkendte.{_ROW}
        order by med_blanke.{_ROW}, med_blanke.fra_uge
        """
    ).pl()
    people = con.execute("select count(*) from godkendte").fetchone()
    return raw, int(people[0]) if people else 0


__all__ = ["DreamPrepared", "known_codes", "prepare_dream", "validation_frame", "week_column"]
