"""End to end on the generator's small output: quarantine matches truth, no CPR gets in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from core.paths import Home
from ingest.filenames import parse_file_name
from ingest.load import ingest_paths, load_reference
from ingest.prepare import validation_frame
from ingest.schema import SOURCES
from ingest.validate import FileContext, polars_failures, run_gx_suite
from synthetic import generate

pytestmark = pytest.mark.slow

CPR_SHAPED = re.compile(r"\d{6}-\d{4}")
DIGIT_RUN = re.compile(r"\d{10,}")
# A float's decimals (five or more, as a float written out has) are not scanned: they hold
# some CPR's digits by chance (test_no_cpr_anywhere.py explains the same rule).
FLOAT_DECIMALS = re.compile(r"(?<![\d.])(\d+)\.\d{5,}(?![\d.])")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    extracts = tmp_path_factory.mktemp("extracts")
    truth = generate(extracts, scale="small", seed=42)
    home = Home(tmp_path_factory.mktemp("home"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRIALWH_PSEUDONYM_KEY", "integration-key")
        first = ingest_paths(home, [extracts])
        counts_first = _table_counts(home)
        second = ingest_paths(home, [extracts])
    return extracts, truth, home, first, counts_first, second


def _table_counts(home: Home) -> dict[str, int]:
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_schema in ('raw', 'audit') and table_name <> 'load_log'"
        ).fetchall()
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for (t,) in tables}


def _input_cprs(extracts: Path) -> set[str]:
    """Every CPR in the input files, read independently of ingest's reader."""
    found: set[str] = set()
    for path in extracts.iterdir():
        if path.suffix == ".csv":
            text = path.read_bytes().decode("latin-1")
            found |= set(re.findall(r"(?<!\d)\d{6}-?\d{4}(?!\d)", text))
        elif path.suffix in (".xlsx", ".parquet"):
            frame = (
                pl.read_parquet(path)
                if path.suffix == ".parquet"
                else pl.read_excel(path, infer_schema_length=0)
            )
            for column in frame.columns:
                if column.strip().lower() == "cpr":
                    found |= {str(v).strip() for v in frame[column].drop_nulls().to_list()}
    return {c for c in found if re.fullmatch(r"\d{6}-?\d{4}", c)}


def test_every_generated_file_is_accounted_for(run):
    _, truth, _, first, _, _ = run
    by_file = {r.source_file: r for r in first}
    bad = {b["file"] for b in truth["bad_files"]}
    for entry in truth["files"]:
        result = by_file[entry["file"]]
        if entry["file"] in bad:
            assert result.status == "rejected"
            continue
        assert result.status == "loaded", result.summary()
        assert result.rows_read == entry["rows"]
        assert result.rows_loaded + result.rows_quarantined == result.rows_read
    assert {r.source_file for r in first if r.status == "rejected"} == bad


def test_quarantine_matches_the_generators_corruption_record(run):
    _, truth, home, _, _, _ = run
    corrupted = truth["corrupted_rows"] + truth.get("dream", {}).get("corrupted_rows", [])
    expected = {(c["file"], c["source_row_number"], c["rule"]) for c in corrupted}
    assert len(expected) > 50
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_file, source_row_number, unnest(rules) from audit.quarantine"
        ).fetchall()
    assert set(rows) == expected


def test_raw_rows_plus_quarantine_equal_rows_in_each_file(run):
    _, truth, home, _, _, _ = run
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        sources = sorted({f["source"] for f in truth["files"]})
        union = " union all ".join(
            f"select source_file, count(*) as n from raw.{s} group by 1" for s in sources
        )
        got = dict(
            con.execute(
                f"with r as ({union}), q as (select source_file, count(*) as n"
                " from audit.quarantine group by 1)"
                " select coalesce(r.source_file, q.source_file),"
                " coalesce(r.n, 0) + coalesce(q.n, 0) from r full join q using (source_file)"
            ).fetchall()
        )
    expected = {f["file"]: f["rows"] for f in truth["files"] if f["rows"] > 0}
    # DREAM is stored as spells (raw rows are not file rows): checked through the load log.
    dream = {f["file"]: f["rows"] for f in truth.get("dream", {}).get("files", [])}
    assert {k: v for k, v in got.items() if k not in dream} == expected
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        logged = dict(
            con.execute(
                "select source_file, rows_loaded + rows_quarantined from audit.load_log"
                " where source = 'dream' and status = 'loaded'"
            ).fetchall()
        )
    assert logged == dream


def test_no_cpr_in_any_text_column_of_any_table(run):
    extracts, _, home, _, _, _ = run
    cprs = _input_cprs(extracts)
    assert len(cprs) > 1000
    needles = cprs | {c.replace("-", "") for c in cprs}
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
            " where data_type in ('VARCHAR', 'VARCHAR[]')"
        ).fetchall()
        assert len(columns) > 30
        for schema, table, column in columns:
            values = con.execute(
                f'select distinct "{column}"::varchar from {schema}.{table}'
                f' where "{column}" is not null'
            ).fetchall()
            for (value,) in values:
                assert not CPR_SHAPED.search(value), (schema, table, column, value[:12])
                for digits in DIGIT_RUN.findall(FLOAT_DECIMALS.sub(r"\1 ", value)):
                    windows = {digits[i : i + 10] for i in range(len(digits) - 9)}
                    assert not windows & needles, (schema, table, column)


def test_loading_twice_changes_nothing(run):
    _, _, home, first, counts_first, second = run
    assert {r.status for r in second} == {"skipped_duplicate"}
    assert len(second) == len(first)
    assert _table_counts(home) == counts_first
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        statuses = dict(
            con.execute("select status, count(*) from audit.load_log group by 1").fetchall()
        )
    assert statuses["skipped_duplicate"] == len(first)


def test_truth_file_is_written_beside_the_extracts(run):
    extracts, truth, _, _, _, _ = run
    assert json.loads((extracts / "truth.json").read_text())["seed"] == truth["seed"] == 42


def test_great_expectations_agree_with_polars_on_generated_files(run):
    extracts, truth, _, _, _, _ = run
    reference = load_reference()
    corrupted = {c["file"] for c in truth["corrupted_rows"]}
    checked = 0
    for source in SOURCES:
        candidates = sorted(
            f["file"] for f in truth["files"] if f["source"] == source and f["file"] in corrupted
        )
        if not candidates:
            continue
        name = parse_file_name(candidates[0])
        frame, _ = validation_frame((extracts / candidates[0]).read_bytes(), name, b"k", reference)
        ctx = FileContext(name.kommunekode, name.extract_date)
        by_gx = run_gx_suite(frame, SOURCES[source], ctx)
        assert by_gx == polars_failures(frame, SOURCES[source], ctx)
        assert any(by_gx.values())
        checked += 1
    assert checked >= 4
