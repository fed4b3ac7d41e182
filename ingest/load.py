"""Load extract files into the warehouse: one DuckDB transaction per batch of files.

``ingest_paths`` is what ``trialwh ingest`` calls. Each file is either loaded (accepted
rows to ``raw.<source>``, failing rows to ``audit.quarantine``, one ``audit.load_log``
row), rejected whole (reason in the load log, a copy with every CPR masked under the
home's quarantine folder: ``ingest.rejected_copy``), or skipped because the same content
was loaded before (identified by its SHA-256).

Consecutive files of one source (a month's deliveries of every municipality) are written
in one transaction, a batch: all of its files are in the warehouse or none. A rejected
file ends the batch before it; a fault or a crash mid-batch leaves the warehouse as it
was before the batch, and the next ingest of the same files loads them (nothing of the
batch was recorded as loaded). One transaction per file cost about twice the CPU of the
inserts themselves (commit and the WAL's later checkpoint; bench/bench_refresh.py).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from core.format import fmt_int
from core.paths import Home
from ingest.audit import (
    QUARANTINE_COLUMNS,
    LoadIdentity,
    create_ingest_tables,
    insert_load_log,
    load_identity,
    loaded_before,
    loaded_identities,
    open_warehouse,
)
from ingest.cpr import mask_cpr_text
from ingest.dream import prepare_dream
from ingest.filenames import (
    EXTENSIONS,
    ExtractName,
    FileNameError,
    parse_file_name,
    printable_name,
)
from ingest.prepare import FileRejected, Prepared, Reference, now_utc, prepare
from ingest.pseudonymise import load_key
from ingest.read import FileUnreadable
from ingest.reference import kommune_name_map, kommunekoder
from ingest.rejected_copy import (
    NOTHING,
    RejectedCopy,
    rejected_copy,
    scrub_kept_copies,
    write_rejected_copy,
)
from ingest.schema import WIDE_SOURCES, source_spec

FaultHook = Callable[[str], None]


@dataclass
class FileResult:
    """What happened to one file (the per-file summary line)."""

    source_file: str
    status: str  # loaded | rejected | skipped_duplicate
    reason: str | None
    rows_read: int | None
    rows_loaded: int
    rows_quarantined: int
    path: Path | None = None
    load_id: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal, in Danish."""
        if self.status == "loaded":
            return (
                f"{self.source_file}: indlæst — {antal_raekker(self.rows_read or 0)} læst, "
                f"{fmt_int(self.rows_loaded)} indlæst, "
                f"{fmt_int(self.rows_quarantined)} i karantæne{self._ignored()}"
            )
        if self.status == "skipped_duplicate":
            return f"{self.source_file}: sprunget over — {self.reason}"
        return f"{self.source_file}: AFVIST — {self.reason}{self._ignored()}"

    def _ignored(self) -> str:
        if not self.ignored_columns:
            return ""
        label = "ignoreret kolonne" if len(self.ignored_columns) == 1 else "ignorerede kolonner"
        return f"; {label} (ikke i skemaet): {', '.join(self.ignored_columns)}"


def antal_raekker(n: int) -> str:
    """'1 række', '2 rækker', '1.234 rækker'."""
    return f"{fmt_int(n)} {'række' if n == 1 else 'rækker'}"


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus extract files (csv/xlsx/parquet) found under folders.

    Symbolic links, devices and FIFOs are listed too (never followed or opened) so that
    ingest can reject them with a reason. Raises ``FileNotFoundError`` for a path that
    does not exist.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if (p.is_symlink() or not p.is_dir())
                    and not p.name.startswith(".")
                    and p.suffix.lower().lstrip(".") in EXTENSIONS
                )
            )
        elif path.is_symlink() or path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(str(path))
    return found


# Largest extract file accepted, in bytes (the national synthetic set's largest file is
# far smaller); the per-field limit is ``ingest.prepare.MAX_FIELD_CHARS``.
MAX_FILE_BYTES = 512 * 1024 * 1024
# DREAM is national (contract §1.6): ~1.7 mio. persons × 418 weeks is 860 MB as CSV; the
# file is streamed into long form (ingest/dream.py), so it gets a larger limit.
MAX_DREAM_FILE_BYTES = 3 * 1024 * 1024 * 1024


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file, never through a symbolic link; ``FileRejectedEarly``
    with a Danish reason for a link, a device, a FIFO, a socket or a file over the limit."""
    if path.is_symlink():
        raise FileRejectedEarly("filen er et symbolsk link; links følges ikke ved indlæsning")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise FileRejectedEarly(f"filen kan ikke åbnes ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FileRejectedEarly(
                "er ikke en almindelig fil (en enhed, FIFO eller sokkel) og indlæses ikke"
            )
        limit = MAX_DREAM_FILE_BYTES if path.name.lower().startswith("dream_") else MAX_FILE_BYTES
        if info.st_size > limit:
            raise FileRejectedEarly(
                f"filen er for stor ({fmt_int(info.st_size)} bytes; højst {fmt_int(limit)} bytes)"
            )
        return handle.read(limit + 1)


class FileRejectedEarly(ValueError):
    """The path cannot be read as an extract file; the message is a Danish reason."""


# Checkpoint once per batch, not whenever the WAL passes DuckDB's 16 MB default: with
# hundreds of files the repeated checkpoints cost more than the inserts themselves
# (measured in bench/bench_ingest.py). Committed files are durable in the WAL meanwhile.
BATCH_CHECKPOINT_THRESHOLD = "4GB"


def connect(home: Home) -> duckdb.DuckDBPyConnection:
    """A short-lived write connection to the working warehouse, tables ensured."""
    home.root.mkdir(parents=True, exist_ok=True)
    con = open_warehouse(str(home.warehouse))
    con.execute(f"set checkpoint_threshold = '{BATCH_CHECKPOINT_THRESHOLD}'")
    create_ingest_tables(con)
    return con


def load_reference() -> Reference:
    """The reference data ingest needs, read from the seeds."""
    return Reference(kommunekoder(), kommune_name_map())


def ingest_paths(
    home: Home,
    paths: list[Path],
    progress: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    fault_hook: FaultHook | None = None,
) -> list[FileResult]:
    """Ingest every file in ``paths`` (folders recursively); one result per file.

    Files are prepared (read, cast, pseudonymised, validated) ahead in background threads
    while the current one is written (``STAGE_WORKERS``); writes stay strictly in file
    order on one connection, one transaction per batch (module doc).

    ``on_result`` is called for each file once its batch is committed (the CLI prints the
    summary line); ``fault_hook(stage)`` is called inside the transaction after a file's
    raw insert (tests use it to inject a fault or a kill mid-load).
    """
    files = collect_files(paths)
    results: list[FileResult] = []
    if not files:
        return results
    key = load_key(home.key_file)
    reference = load_reference()
    scrub_kept_copies(home)

    def deliver(done: list[FileResult]) -> None:
        for result in done:
            results.append(result)
            if on_result is not None:
                on_result(result)

    # One write connection for the run, closed at the end: each batch is its own
    # transaction, so a crash loses at most the batch being written.
    with connect(home) as con:
        known = loaded_identities(con)
        writer = BatchWriter(home, con, known, fault_hook)

        def stage(path: Path) -> Staged:
            # A cursor serves one thread at a time: one per file (opening one takes ~35 µs).
            with con.cursor() as cursor:
                return stage_file(path, key, reference, known, cursor)

        bar = _progress_bar(progress, len(files))
        with bar, writer, ThreadPoolExecutor(max_workers=STAGE_WORKERS) as pool:
            ahead = _Ahead(pool, stage, files)
            for path in files:
                staged = ahead.next()
                bar.describe(path.name)
                deliver(writer.add(staged))
                bar.advance()
            deliver(writer.commit())
        con.execute("checkpoint")
    return results


# Files are prepared by STAGE_WORKERS threads, up to STAGE_AHEAD files ahead of the one
# being written: preparing is mostly polars and DuckDB work that runs beside the writes
# (one thread one file ahead took 13.2 s for a national month, these 10.8 s;
# bench/bench_refresh.py). Beyond the next file, files are prepared ahead only while the
# files waiting add up to at most STAGE_AHEAD_BYTES, so a large file (a DREAM delivery)
# is never held prepared beside several others.
STAGE_WORKERS = 2
STAGE_AHEAD = 4
STAGE_AHEAD_BYTES = 64 * 1024 * 1024


def _size(path: Path) -> int:
    """The size of ``path`` without following a link (0 when it cannot be read)."""
    try:
        return path.lstat().st_size
    except OSError:
        return 0


class _Ahead:
    """The files' staged results in file order, prepared ahead in ``pool`` (see above)."""

    def __init__(
        self, pool: ThreadPoolExecutor, stage: Callable[[Path], Staged], files: list[Path]
    ) -> None:
        self._pool, self._stage = pool, stage
        self._files = deque(files)
        self._waiting: deque[tuple[Future[Staged], int]] = deque()
        self._bytes = 0
        self._fill()

    def _fill(self) -> None:
        while self._files and len(self._waiting) < STAGE_AHEAD:
            size = _size(self._files[0])
            if self._waiting and self._bytes + size > STAGE_AHEAD_BYTES:
                return
            path = self._files.popleft()
            self._waiting.append((self._pool.submit(self._stage, path), size))
            self._bytes += size

    def next(self) -> Staged:
        """The next file's staged result (waits for it); prepares further files."""
        future, size = self._waiting.popleft()
        self._bytes -= size
        self._fill()
        return future.result()


class _Bar:
    """A rich progress bar over files, or nothing."""

    def __init__(self, total: int | None) -> None:
        self._progress = None
        if total is not None:
            from rich.progress import Progress

            self._progress = Progress(transient=True)
            self._task = self._progress.add_task("Indlæser udtræk", total=total)

    def __enter__(self) -> _Bar:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def describe(self, name: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=f"Indlæser {name}")

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)


def _progress_bar(progress: bool, total: int) -> _Bar:
    return _Bar(total if progress else None)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Staged:
    """A file read and prepared, not yet written: what ``BatchWriter.add`` needs."""

    path: Path
    base: dict[str, object]
    name: ExtractName | None = None
    prepared: Prepared | None = None
    reject_reason: str | None = None
    rows_read: int | None = None
    ignored_columns: list[str] | None = None  # None: the file was not read
    copy: RejectedCopy = NOTHING  # what is kept of a rejected file (CPR masked)


def stage_file(
    path: Path,
    key: bytes,
    reference: Reference,
    known: frozenset[LoadIdentity] = frozenset(),
    con: duckdb.DuckDBPyConnection | None = None,
) -> Staged:
    """Read and prepare one file without writing anything (safe in a background thread).

    ``con`` is only used to compute pseudonyms; a file whose load identity is in ``known``
    (loaded before) is not prepared.
    """
    # Names are logged and shown: a CPR-shaped part of a name is masked (ingest.cpr).
    base: dict[str, object] = {
        "load_id": uuid.uuid4().hex,
        "source_file": mask_cpr_text(printable_name(path.name)),
        "file_path": mask_cpr_text(printable_name(str(path.absolute()))),
        "started_at": now_utc(),
    }
    staged = Staged(path, base)
    try:
        data = read_regular_file(path)
    except FileRejectedEarly as error:
        staged.reject_reason = str(error)
        return staged
    base["file_sha256"] = _sha256(data)
    base["file_size_bytes"] = len(data)
    try:
        staged.name = parse_file_name(path)
    except FileNameError as error:
        staged.reject_reason = mask_cpr_text(str(error))
        staged.copy = rejected_copy(path.name, data)
        return staged
    base |= {
        "source": staged.name.source,
        "kommunekode": staged.name.kommunekode,
        "extract_date": staged.name.extract_date,
    }
    if load_identity(base) in known:
        return staged
    try:
        prepare_file = prepare_dream if staged.name.source in WIDE_SOURCES else prepare
        staged.prepared = prepare_file(data, staged.name, key, reference, con)
    except (FileUnreadable, FileRejected) as error:
        staged.reject_reason = str(error)
        staged.rows_read = getattr(error, "rows_read", None)
        staged.ignored_columns = getattr(error, "ignored_columns", None)
    except Exception as error:  # one unusable file must not stop the batch
        # Only the error's type: its message could quote a value from the file (a CPR).
        staged.reject_reason = (
            f"uventet fejl under læsning ({type(error).__name__}); filen er ikke indlæst"
        )
    if staged.reject_reason is not None:
        staged.copy = rejected_copy(path.name, data)
    return staged


class BatchWriter:
    """Writes staged files in file order over the write connection ``con``.

    A loaded file joins the open transaction when it is of the open batch's source, else
    the batch is committed and a new one begun; a rejected file commits the open batch
    first and is logged on its own (its masked copy is written outside the database). A
    skipped duplicate's log row joins the open transaction, if any. Results come back
    once committed, in file order. Used as a context manager: leaving it by an exception
    rolls the open batch back.
    """

    def __init__(
        self,
        home: Home,
        con: duckdb.DuckDBPyConnection,
        known: frozenset[LoadIdentity] = frozenset(),
        fault_hook: FaultHook | None = None,
    ) -> None:
        self.home = home
        self.con = con
        self.fault_hook = fault_hook
        # Identities loaded before the run or within it: only those can be duplicates,
        # so only for those is the load log asked which load it was.
        self.loaded = set(known)
        self.source: str | None = None  # source of the open transaction's batch
        self.pending: list[FileResult] = []  # files written in the open transaction

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is not None:
            self.rollback()

    def add(self, staged: Staged) -> list[FileResult]:
        """Write ``staged``; the results committed by this call (possibly none)."""
        if staged.reject_reason is not None:
            done = self.commit()
            done.append(_reject(self.home, self.con, staged))
            return done
        base = staged.base
        identity = None if staged.name is None else load_identity(base)
        earlier = (
            loaded_before(self.con, identity)
            if identity is not None and identity in self.loaded
            else None
        )
        if earlier is not None:
            reason = f"samme indhold er allerede indlæst som {earlier[1]} (load_id {earlier[0]})"
            insert_load_log(
                self.con,
                base | {"status": "skipped_duplicate", "reason": reason, "finished_at": now_utc()},
            )
            result = FileResult(
                str(base["source_file"]),
                "skipped_duplicate",
                reason,
                None,
                0,
                0,
                staged.path,
                str(base["load_id"]),
            )
            return self._after(result)
        prepared, name = staged.prepared, staged.name
        if prepared is None or name is None or identity is None:
            # known content whose load was since removed
            raise RuntimeError(f"{staged.path.name}: prepared content missing")
        done = []
        if self.source != name.source:
            done = self.commit()
            self.con.execute("begin transaction")
            self.source = name.source
        t0, c0 = time.perf_counter(), time.process_time()
        _write(self.con, base, name, prepared, self.fault_hook)
        timings = prepared.timings | {
            "write": time.perf_counter() - t0,
            "write_cpu": time.process_time() - c0,
        }
        self.loaded.add(identity)
        self.pending.append(
            FileResult(
                str(base["source_file"]),
                "loaded",
                None,
                prepared.rows_read,
                prepared.rows_loaded,
                prepared.quarantine.height,
                staged.path,
                str(base["load_id"]),
                timings,
                prepared.ignored_columns,
            )
        )
        return done

    def _after(self, result: FileResult) -> list[FileResult]:
        """``result`` now if no transaction is open, else with its batch."""
        if self.source is None:
            return [result]
        self.pending.append(result)
        return []

    def commit(self) -> list[FileResult]:
        """Commit the open batch, if any; its results."""
        if self.source is None:
            return []
        t0, c0 = time.perf_counter(), time.process_time()
        self.con.execute("commit")
        done, self.pending, self.source = self.pending, [], None
        # The commit is the batch's: its time is counted on the batch's last file.
        last = next((r for r in reversed(done) if r.status == "loaded"), None)
        if last is not None:
            last.timings["commit"] = time.perf_counter() - t0
            last.timings["commit_cpu"] = time.process_time() - c0
        return done

    def rollback(self) -> None:
        """Undo the open batch, if any (nothing of its files stays)."""
        if self.source is not None:
            self.pending, self.source = [], None
            self.con.execute("rollback")


def _reject(home: Home, con: duckdb.DuckDBPyConnection, staged: Staged) -> FileResult:
    """Log a file rejected whole and keep its CPR-masked copy (``ingest.rejected_copy``)."""
    base, rows_read = staged.base, staged.rows_read
    # A reader's message could quote a value from the file: CPR tokens masked.
    reason = mask_cpr_text(str(staged.reject_reason))
    shown = reason if rows_read is None else f"{reason} ({antal_raekker(rows_read)} i filen)"
    note = write_rejected_copy(home, str(base["load_id"]), staged.copy)
    if note is not None:
        shown = f"{shown}; {note}"
    insert_load_log(
        con,
        base
        | {
            "status": "rejected",
            "reason": shown,
            "ignored_columns": staged.ignored_columns,
            "rows_loaded": 0,
            "rows_quarantined": 0,
            "finished_at": now_utc(),
        },
    )
    return FileResult(
        str(base["source_file"]),
        "rejected",
        shown,
        rows_read,
        0,
        0,
        staged.path,
        str(base["load_id"]),
        ignored_columns=staged.ignored_columns or [],
    )


def _write(
    con: duckdb.DuckDBPyConnection,
    base: dict[str, object],
    name: ExtractName,
    prepared: Prepared,
    fault_hook: FaultHook | None,
) -> None:
    """Raw rows, quarantine rows and the load-log row of one file, in the caller's
    open transaction (``BatchWriter``)."""
    loaded_at = now_utc()
    source = source_spec(name.source)
    # The load's own columns are parameters, the same value on every row (DuckDB fills
    # them in, rather than polars building a column of each per file).
    load_values = {
        "load_id": base["load_id"],
        "source_file": base["source_file"],
        "file_sha256": base["file_sha256"],
        "extract_date": name.extract_date,
        "loaded_at": loaded_at,
    }
    raw_names = [n for n, _ in source.raw_columns()]
    raw_arrow = prepared.raw.to_arrow()  # noqa: F841 - scanned by DuckDB
    con.execute(
        f"insert into raw.{source.name} ({', '.join(raw_names)}) select "
        + ", ".join(f"${n}" if n in load_values else n for n in raw_names)
        + " from raw_arrow",
        load_values,
    )
    if fault_hook is not None:
        fault_hook("raw_inserted")
    if prepared.quarantine.height:
        quarantine = prepared.quarantine.select(
            pl.lit(base["load_id"]).alias("load_id"),
            pl.lit(base["source_file"]).alias("source_file"),
            pl.lit(name.source).alias("source"),
            pl.lit(name.kommunekode, dtype=pl.Int32).alias("kommunekode"),
            pl.col("source_row_number"),
            pl.col("rules"),
            pl.col("reason"),
            pl.col("masked_row"),
            pl.lit(loaded_at).alias("quarantined_at"),
        )
        q_names = [n for n, _ in QUARANTINE_COLUMNS]
        q_arrow = quarantine.select(q_names).to_arrow()  # noqa: F841 - scanned by DuckDB
        con.execute(
            f"insert into audit.quarantine ({', '.join(q_names)})"
            f" select {', '.join(q_names)} from q_arrow"
        )
    insert_load_log(
        con,
        base
        | {
            "status": "loaded",
            "rows_read": prepared.rows_read,
            "rows_loaded": prepared.rows_loaded,
            "rows_quarantined": prepared.quarantine.height,
            "ignored_columns": prepared.ignored_columns,
            "blank_lines_skipped": prepared.blank_lines_skipped,
            "finished_at": now_utc(),
        },
    )


def totals_line(results: list[FileResult]) -> str:
    """One closing line: how many files were loaded, rejected and skipped, rows in total."""
    counts = {
        s: sum(r.status == s for r in results) for s in ("loaded", "rejected", "skipped_duplicate")
    }
    rows_loaded = sum(r.rows_loaded for r in results)
    rows_quarantined = sum(r.rows_quarantined for r in results)
    return (
        f"{len(results)} filer: {counts['loaded']} indlæst, {counts['rejected']} afvist, "
        f"{counts['skipped_duplicate']} sprunget over (allerede indlæst); "
        f"{antal_raekker(rows_loaded)} indlæst, {fmt_int(rows_quarantined)} i karantæne"
    )
