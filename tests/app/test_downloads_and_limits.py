"""Downloads cannot run formulas; the SQL page's connection is capped and cancelled on time."""

from __future__ import annotations

import io
import os
import time
import zipfile

import duckdb
import polars as pl
import pytest

from dashboards.snapshot import MAX_TEMP_SIZE, MEMORY_LIMIT, QueryTimeout, Snapshot
from dashboards.sql_guard import run_select
from dashboards.tables import to_csv, to_excel

HOSTILE = [
    '=HYPERLINK("http://x","klik")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    "-12",
    "+4,5",
    "-0.25",
    "Aalborg",
]
SAFE = [
    '\'=HYPERLINK("http://x","klik")',
    "'+1+2",
    "'-2+3",
    "'@SUM(A1)",
    "'\tcmd",
    "'\rcmd",
    "-12",
    "+4,5",
    "-0.25",
    "Aalborg",
]


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {"tekst": HOSTILE, "tal": [-5, 3, 0, -1, 2, 7, -12, 4, 1, 9], "=kolonne": ["a"] * 10}
    )


def test_csv_download_neutralises_formulas_and_keeps_numbers():
    data = to_csv(_frame())
    back = pl.read_csv(io.BytesIO(data), separator=";", infer_schema=False)
    assert back.columns == ["tekst", "tal", "'=kolonne"]
    assert back["tekst"].to_list() == SAFE
    assert back["tal"].to_list() == ["-5", "3", "0", "-1", "2", "7", "-12", "4", "1", "9"]


def _sheet_xml(workbook: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_excel_download_holds_no_formula_and_keeps_numbers():
    data = to_excel(_frame(), "t")
    assert "<f>" not in _sheet_xml(data)
    back = pl.read_excel(io.BytesIO(data))
    assert back["tekst"].to_list()[:4] == SAFE[:4]
    assert back["tal"].to_list() == [-5, 3, 0, -1, 2, 7, -12, 4, 1, 9]


def test_report_workbook_holds_no_formula(tmp_path):
    from report.writer import _write_excel

    path = tmp_path / "r.xlsx"
    _write_excel(path, {"Tabel": _frame()})
    assert "<f>" not in _sheet_xml(path.read_bytes())


def test_sql_page_results_download_neutralised(fixture_home):
    snap = Snapshot(fixture_home.published)
    try:
        result = run_select(snap, "select '=1+1' as x, -3 as n")
    finally:
        snap.close()
    back = pl.read_csv(io.BytesIO(to_csv(result.data)), separator=";", infer_schema=False)
    assert back.row(0) == ("'=1+1", "-3")


def test_the_serving_connection_is_capped(fixture_home):
    snap = Snapshot(fixture_home.published, threads=2)
    try:
        settings = snap.query(
            "select current_setting('memory_limit') as m, current_setting('threads') as t,"
            " current_setting('max_temp_directory_size') as x,"
            " current_setting('temp_directory') as d"
        ).row(0, named=True)
        assert settings["t"] == 2
        # DuckDB reports the limits in its own units (GiB): 1GB ≈ 953.6 MiB, 2GB ≈ 1.8 GiB.
        assert settings["m"] in ("953.6 MiB", MEMORY_LIMIT)
        assert settings["x"] in ("1.8 GiB", "1.9 GiB", MAX_TEMP_SIZE)
        assert oct(os.stat(settings["d"]).st_mode & 0o777) == "0o700"
        with pytest.raises(Exception, match=r"locked|configuration"):
            snap.query("set memory_limit = '100GB'")
    finally:
        snap.close()


def test_a_long_query_is_cancelled_at_the_stated_time(fixture_home):
    snap = Snapshot(fixture_home.published)
    try:
        # Would run for many minutes: the call must come back with QueryTimeout.
        with pytest.raises(QueryTimeout):
            run_select(snap, "select count(*) from range(1000000000000) a", timeout_s=0.5)
        # The connection is usable afterwards (once DuckDB has stopped the query; on a
        # loaded machine the interrupted thread may wait a while for a core).
        deadline = time.monotonic() + 120
        while True:
            try:
                assert snap.query("select 1 as one")["one"][0] == 1
                break
            except duckdb.Error:
                if time.monotonic() > deadline:
                    raise AssertionError("the connection stayed busy after the interrupt") from None
                time.sleep(0.1)
    finally:
        snap.close()


def test_memory_limit_stops_a_query_that_would_take_the_server(fixture_home):
    snap = Snapshot(fixture_home.published)
    try:
        with pytest.raises(Exception, match=r"(?i)memory|out of"):
            run_select(
                snap,
                "select list(repeat('x', 1000) || i::varchar) as l from range(3000000) t(i)",
                # The memory limit must stop it, not the clock: generous for a loaded machine.
                timeout_s=900,
            )
    finally:
        snap.close()


def test_manager_table_with_relation_hides_a_recoverable_part_and_explains_dots():
    from dashboards.tables import TableSpec, prepare

    frame = pl.DataFrame(
        {
            "kommunenavn": ["Vesthimmerland", "Læsø", "Aalborg"],
            "sager_omfattet": [93, 10, 200],
            "attest_indhentet": [82, 9, 150],
            "attest_fravalgt": [11, 1, 50],
            "nettobesparelse_kr": [1_000.0, 90.0, 5_000.0],
        }
    )
    counts = ["sager_omfattet", "attest_indhentet", "attest_fravalgt"]
    spec = TableSpec(
        counts=counts,
        totals_by=[],
        relations=[("sager_omfattet", ("attest_indhentet", "attest_fravalgt"))],
        follows={"nettobesparelse_kr": tuple(counts)},
    )
    shown, download = prepare(frame, spec, suppressed=True, lang="da")
    cells = shown.drop(shown.columns[0]).rows()
    for row in cells:
        # Within a row, never exactly one hidden count (it would be omfattet − the other).
        assert sum(v == "·" for v in row[:3]) != 1, row
    for column in range(3):
        # Per column, never exactly one hidden count (it would be the total − the others).
        assert sum(row[column] == "·" for row in cells) != 1
    # Læsø's 1 waived: its row partner 9 and Vesthimmerland's 11 (column) and 82 (row)
    # go too; the amounts go with their counts; Aalborg is left as it is.
    assert cells == [
        ("93", "·", "·", "·"),
        ("10", "·", "·", "·"),
        ("200", "150", "50", "5.000 kr."),
    ]
    assert download.row(1) == ("Læsø", 10, None, None, None)
