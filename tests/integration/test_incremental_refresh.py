"""The monthly refresh: an incremental `trialwh build` gives the same published tables as a
full build of the same extracts.

A warehouse is built fully from every monthly snapshot but the newest (small synthetic
data with its mess: corrections in later snapshots, quarantined rows, cases missing from
later snapshots). The newest month then arrives in two deliveries (half of the
municipalities with the national DREAM delivery, then the rest: municipal extracts only,
so the DREAM tables stay and only the persons whose cases changed get new DREAM outcomes)
and each is built incrementally; finally
`trialwh build --full-refresh` rebuilds the same warehouse from all extracts. Every
published table of `marts` and `reference` must hold the same rows (as multisets, compared
with `except all` both ways), table by table.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from core.paths import Home
from ingest.load import ingest_paths
from synthetic import generate
from synthetic.params import snapshot_dates
from trialwh.build import build
from trialwh.set_tests import read_compiled_tests, read_set_tests

pytestmark = pytest.mark.slow  # generate, ingest and four dbt builds

_FILE = re.compile(r"^[a-z_]+?_(?:(\d{3,4})_)?(\d{4}-\d{2}-\d{2})\.[a-z]+$")
SNAPSHOTS = 3
COMPARED_SCHEMAS = ("marts", "reference")


def _split(extracts: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Files of the earlier months; the newest month's files of the first half of the
    municipalities (with the national files of that date); those of the other half."""
    newest = snapshot_dates(SNAPSHOTS)[-1].isoformat()
    earlier, newest_files = [], []
    for path in sorted(extracts.iterdir()):
        match = _FILE.match(path.name)
        if match is None:
            continue
        (newest_files if match.group(2) == newest else earlier).append(path)
    kommuner = sorted({int(m.group(1)) for p in newest_files if (m := _FILE.match(p.name))[1]})
    first_half = set(kommuner[: len(kommuner) // 2])
    first = [
        p for p in newest_files if (m := _FILE.match(p.name))[1] is None or int(m[1]) in first_half
    ]
    second = [p for p in newest_files if p not in first]
    return earlier, first, second


def _ingest(home: Home, files: list[Path]) -> None:
    results = ingest_paths(home, files)
    assert not [r for r in results if r.status == "rejected"], results


def _build(home: Home, *, full_refresh: bool = False):
    result = build(home, full_refresh=full_refresh)
    assert result.success, result.failures
    return result


def _n_skipped(note: str) -> int:
    """The number of data tests a build left out as unchanged (0 without a note)."""
    match = re.match(r"(\d+) datatests sprunget over", note)
    return int(match[1]) if match else 0


def _keep(home: Home, name: str) -> Path:
    kept = home.root / f"{name}.duckdb"
    shutil.copyfile(home.published, kept)
    return kept


def _compare(before: Path, after: Path) -> dict[str, str]:
    """Per published table, what differs between two snapshots ({} if nothing).

    Rows are compared as multisets over all columns; DOUBLE columns rounded to 9 decimals,
    since the order in which DuckDB sums floating-point numbers in parallel is not fixed
    (two full builds may differ in the last bits)."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as a (read_only)", [str(before)])
        con.execute("attach ? as b (read_only)", [str(after)])
        tables = {
            db: {
                (s, t)
                for s, t in con.execute(
                    "select schema_name, table_name from duckdb_tables() where database_name = ?",
                    [db],
                ).fetchall()
                if s in COMPARED_SCHEMAS
            }
            for db in ("a", "b")
        }
        differences: dict[str, str] = {}
        for schema, table in sorted(tables["a"] ^ tables["b"]):
            differences[f"{schema}.{table}"] = "only in one snapshot"
        for schema, table in sorted(tables["a"] & tables["b"]):
            columns = {
                db: con.execute(
                    "select column_name, data_type from duckdb_columns() where database_name = ? "
                    "and schema_name = ? and table_name = ? order by column_index",
                    [db, schema, table],
                ).fetchall()
                for db in ("a", "b")
            }
            name = f"{schema}.{table}"
            if columns["a"] != columns["b"]:
                differences[name] = f"columns differ: {columns['a']} != {columns['b']}"
                continue
            select = ", ".join(
                f'round("{c}", 9) as "{c}"' if t in {"DOUBLE", "FLOAT"} else f'"{c}"'
                for c, t in columns["a"]
            )
            counts = []
            for x, y in (("a", "b"), ("b", "a")):
                counts.append(
                    con.execute(
                        f'select count(*) from (select {select} from {x}."{schema}"."{table}" '
                        f'except all select {select} from {y}."{schema}"."{table}")'
                    ).fetchone()[0]
                )
            if counts != [0, 0]:
                differences[name] = (
                    f"{counts[0]} rows only in the first, {counts[1]} only in the second"
                )
        return differences
    finally:
        con.close()


def test_incremental_refresh_equals_full_build(tmp_path, monkeypatch):
    monkeypatch.setenv("TRIALWH_PSEUDONYM_KEY", "test-key-not-secret")
    extracts = tmp_path / "extracts"
    generate(extracts, scale="small", seed=7, snapshots=SNAPSHOTS)
    earlier, first, second = _split(extracts)
    assert earlier and first and second
    home = Home(tmp_path / "home")
    home.root.mkdir()

    _ingest(home, earlier)
    assert not _build(home).incremental  # no build before: full
    before_month = _keep(home, "before")

    _ingest(home, first)  # with the DREAM delivery: every case's DREAM outcomes recomputed
    step = _build(home)
    assert step.incremental, step.refresh_reason
    assert "dream" in step.refresh_reason.split("nye leverancer af")[1]
    _ingest(home, second)  # municipal extracts only: the DREAM tables are not rebuilt and
    step = _build(home)  # only the persons whose cases changed get new DREAM outcomes
    assert step.incremental, step.refresh_reason
    assert "dream" not in step.refresh_reason.split("nye leverancer af")[1]
    # The data tests that read only DREAM tables (and seeds) passed on the same tables
    # in the last build: left out, and counted with the rest.
    skipped_municipal = _n_skipped(step.data_tests_note)
    assert skipped_municipal > 0
    nothing_new = _build(home)  # nothing new since: incremental, recomputes nothing
    assert nothing_new.incremental
    # and none of the data tests run after dbt reads anything new
    manifest = home.dbt_target_dir / "manifest.json"
    assert _n_skipped(nothing_new.data_tests_note) == len(read_set_tests(manifest)[0]) + len(
        read_compiled_tests(manifest)[0]
    )
    assert nothing_new.n_tests_passed == step.n_tests_passed
    incremental = _keep(home, "incremental")

    full_build = _build(home, full_refresh=True)
    assert not full_build.incremental and full_build.data_tests_note == ""  # all run
    full = _keep(home, "full")

    # The new month changes the published facts (else the comparison below proves little).
    assert "marts.fct_sygedagpengesager" in _compare(before_month, incremental)
    assert _compare(incremental, full) == {}
