"""Loading: idempotency, new content under the same name, atomicity, kill -9, CLI, status."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from core.paths import PROJECT_DIR, Home
from ingest.audit import WarehouseBusy
from ingest.load import FileResult, ingest_paths, totals_line
from ingest.status import status_report
from trialwh.cli import app

FILES = Path(__file__).resolve().parent.parent / "data" / "bad_files" / "files"
SYG = "sygedagpengesager_0851_2022-12-31.csv"
HELB = "helbredsdokumentation_0851_2022-12-31.csv"


def _count(home: Path, sql: str) -> int:
    with duckdb.connect(str(Home(home).warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()[0][0]


def _copy(names: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(FILES / name, folder / name)
    return folder


def test_loading_the_same_file_twice_is_a_no_op_that_says_so(home: Path, tmp_path: Path):
    folder = _copy([SYG, HELB], tmp_path / "in")
    first = ingest_paths(Home(home), [folder])
    second = ingest_paths(Home(home), [folder])
    assert [r.status for r in first] == ["loaded", "loaded"]
    assert [r.status for r in second] == ["skipped_duplicate", "skipped_duplicate"]
    assert "allerede indlæst" in second[0].reason
    assert _count(home, "select count(*) from raw.sygedagpengesager") == 3
    assert _count(home, "select count(*) from raw.helbredsdokumentation") == 3
    assert _count(home, "select count(*) from audit.quarantine") == 14 + 3
    assert (
        _count(home, "select count(*) from audit.load_log where status = 'skipped_duplicate'") == 2
    )


def test_changed_content_under_the_same_name_is_a_new_load(home: Path, tmp_path: Path):
    folder = _copy([SYG], tmp_path / "in")
    ingest_paths(Home(home), [folder])
    path = folder / SYG
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")  # header + S001 + S002
    results = ingest_paths(Home(home), [path])
    assert results[0].status == "loaded"
    assert (results[0].rows_read, results[0].rows_loaded) == (2, 2)
    assert _count(home, "select count(*) from raw.sygedagpengesager") == 3 + 2
    assert _count(home, "select count(distinct file_sha256) from raw.sygedagpengesager") == 2


def test_a_fault_mid_file_leaves_nothing_of_that_file(home: Path, tmp_path: Path):
    folder = _copy([SYG], tmp_path / "in")
    ingest_paths(Home(home), [_copy([HELB], tmp_path / "first")])

    def fail(stage: str) -> None:
        raise RuntimeError(f"injected fault after {stage}")

    with pytest.raises(RuntimeError, match="injected fault after raw_inserted"):
        ingest_paths(Home(home), [folder], fault_hook=fail)
    assert _count(home, "select count(*) from raw.sygedagpengesager") == 0
    assert (
        _count(home, "select count(*) from audit.quarantine where source = 'sygedagpengesager'")
        == 0
    )
    assert _count(home, f"select count(*) from audit.load_log where source_file = '{SYG}'") == 0
    assert _count(home, "select count(*) from raw.helbredsdokumentation") == 3
    # The file loads normally afterwards (it was never recorded as loaded).
    assert ingest_paths(Home(home), [folder])[0].status == "loaded"


def test_kill_9_mid_file_leaves_the_database_as_before(home: Path, tmp_path: Path):
    folder = _copy([SYG], tmp_path / "in")
    ingest_paths(Home(home), [_copy([HELB], tmp_path / "first")])
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from ingest.load import ingest_paths
        from core.paths import Home

        def hang(stage):
            print(stage, flush=True)
            time.sleep(3600)  # until killed by the test

        ingest_paths(Home(Path({str(home)!r})), [Path({str(folder)!r})], fault_hook=hang)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert proc.stdout.readline().strip() == "raw_inserted"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert _count(home, "select count(*) from raw.sygedagpengesager") == 0
    assert _count(home, f"select count(*) from audit.load_log where source_file = '{SYG}'") == 0
    assert _count(home, "select count(*) from raw.helbredsdokumentation") == 3
    assert ingest_paths(Home(home), [folder])[0].rows_loaded == 3


def test_cli_exit_codes_and_summary(home: Path, tmp_path: Path):
    runner = CliRunner()
    good = _copy([SYG], tmp_path / "good")
    result = runner.invoke(app, ["--home", str(home), "ingest", str(good)])
    assert result.exit_code == 0, result.output
    assert f"{SYG}: indlæst — 17 rækker læst, 3 indlæst, 14 i karantæne" in result.output
    again = runner.invoke(app, ["--home", str(home), "ingest", str(good)])
    assert again.exit_code == 0
    assert "sprunget over" in again.output
    bad = _copy(["ankesager_0851_2021-06-30.csv", HELB], tmp_path / "bad")
    rejected = runner.invoke(app, ["--home", str(home), "ingest", str(bad)])
    assert rejected.exit_code == 1
    assert "ankesager_0851_2021-06-30.csv: AFVIST — filen er tom" in rejected.output
    missing = runner.invoke(app, ["--home", str(home), "ingest", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(app, ["--home", str(home), "ingest", str(empty)]).exit_code == 2


def test_status_report_counts_loads_rejections_rules_and_freshness(home: Path, tmp_path: Path):
    assert status_report(Home(home)).is_empty
    folder = _copy(
        [SYG, HELB, "ankesager_0851_2021-06-30.csv", "ankestatistik_2023-01-15.csv"],
        tmp_path / "in",
    )
    ingest_paths(Home(home), [folder])
    ingest_paths(Home(home), [folder / SYG])
    report = status_report(Home(home))
    assert dict(report.loads.select("status", "filer").rows()) == {
        "loaded": 3,
        "rejected": 1,
        "skipped_duplicate": 1,
    }
    assert report.rejected_files["source_file"].to_list() == ["ankesager_0851_2021-06-30.csv"]
    rules = {(s, r): n for s, r, n in report.quarantine_by_rule.rows()}
    assert rules[("sygedagpengesager", "duplicate_key")] == 2
    assert rules[("sygedagpengesager", "invalid_cpr")] == 2
    assert rules[("ankestatistik", "unknown_kommune")] == 1
    fresh = {(s, k): str(d) for s, k, d, *_ in report.freshness.rows()}
    assert fresh == {
        ("ankestatistik", None): "2023-01-15",
        ("helbredsdokumentation", 851): "2022-12-31",
        ("sygedagpengesager", 851): "2022-12-31",
    }
    text = report.render()
    assert "Afviste filer" in text and "ankesager_0851_2021-06-30.csv" in text
    assert CliRunner().invoke(app, ["--home", str(home), "status"]).exit_code == 0


def test_summary_lines_use_danish_numbers_and_grammar():
    loaded = FileResult("a.csv", "loaded", None, 135772, 135052, 720)
    assert (
        loaded.summary() == "a.csv: indlæst — 135.772 rækker læst, 135.052 indlæst, 720 i karantæne"
    )
    one = FileResult("b.csv", "loaded", None, 1, 1, 0)
    assert one.summary() == "b.csv: indlæst — 1 række læst, 1 indlæst, 0 i karantæne"
    rejected = FileResult("c.csv", "rejected", "filen er tom", None, 0, 0)
    assert rejected.summary() == "c.csv: AFVIST — filen er tom"
    extra = FileResult("d.csv", "loaded", None, 2, 2, 0, ignored_columns=["note", "Sags nr"])
    assert extra.summary() == (
        "d.csv: indlæst — 2 rækker læst, 2 indlæst, 0 i karantæne; "
        "ignorerede kolonner (ikke i skemaet): note, Sags nr"
    )
    refused = FileResult("e.csv", "rejected", "forkert kommune", 1, 0, 0, ignored_columns=["x"])
    assert refused.summary() == (
        "e.csv: AFVIST — forkert kommune; ignoreret kolonne (ikke i skemaet): x"
    )
    assert totals_line([loaded, one, rejected]) == (
        "3 filer: 2 indlæst, 1 afvist, 0 sprunget over (allerede indlæst); "
        "135.053 rækker indlæst, 720 i karantæne"
    )


def test_a_warehouse_locked_by_another_process_gives_a_clear_message(home: Path, tmp_path: Path):
    ingest_paths(Home(home), [_copy([HELB], tmp_path / "in")])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; con = duckdb.connect({str(Home(home).warehouse)!r}); "
            "print('held', flush=True); time.sleep(3600)",  # until killed below
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match="er i brug af en anden proces"):
            status_report(Home(home))
        result = CliRunner().invoke(app, ["--home", str(home), "ingest", str(tmp_path / "in")])
        assert result.exit_code == 1
        assert "Indlæsning ikke startet" in result.output
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_an_unexpected_error_in_one_file_rejects_it_without_leaking_values(
    home: Path, tmp_path: Path, monkeypatch
):
    import ingest.load

    folder = _copy([SYG, HELB], tmp_path / "in")
    real_prepare = ingest.load.prepare

    def flaky(data, name, *args):
        if name.source == "sygedagpengesager":
            raise ValueError("value 010180-1234 broke it")
        return real_prepare(data, name, *args)

    monkeypatch.setattr(ingest.load, "prepare", flaky)
    results = {r.source_file: r for r in ingest_paths(Home(home), [folder])}
    assert results[HELB].status == "loaded"
    assert results[SYG].status == "rejected"
    assert results[SYG].reason == "uventet fejl under læsning (ValueError); filen er ikke indlæst"
    assert _count(home, "select count(*) from audit.load_log where reason like '%010180%'") == 0


def test_same_bytes_count_as_a_duplicate_only_with_the_same_meaning(home: Path, tmp_path: Path):
    header_only = (FILES / "ankesager_0851_2021-03-31.csv").read_bytes()
    folder = tmp_path / "in"
    folder.mkdir()
    # The same empty snapshot for three months, and once more with the code unpadded.
    for name in (
        "ankesager_0851_2021-03-31.csv",
        "ankesager_0851_2021-04-30.csv",
        "ankesager_0825_2021-04-30.csv",
    ):
        (folder / name).write_bytes(header_only)
    first = ingest_paths(Home(home), [folder])
    assert [r.status for r in first] == ["loaded", "loaded", "loaded"]
    again = tmp_path / "again"
    again.mkdir()
    (again / "ankesager_851_2021-04-30.csv").write_bytes(header_only)
    assert ingest_paths(Home(home), [again])[0].status == "skipped_duplicate"
    with duckdb.connect(str(Home(home).warehouse), read_only=True) as con:
        fresh = con.execute(
            "select kommunekode, max(extract_date)::varchar from audit.load_log"
            " where status = 'loaded' group by 1 order by 1"
        ).fetchall()
    assert fresh == [(825, "2021-04-30"), (851, "2021-04-30")]


def test_a_load_log_from_before_the_new_columns_gets_them_and_keeps_its_rows(
    home: Path, tmp_path: Path
):
    Home(home).root.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(Home(home).warehouse)) as con:
        con.execute("create schema audit")
        con.execute(
            "create table audit.load_log (load_id varchar, source_file varchar,"
            " file_path varchar, file_sha256 varchar, source varchar, kommunekode integer,"
            " extract_date date, status varchar, reason varchar, rows_read integer,"
            " rows_loaded integer, rows_quarantined integer, started_at timestamp,"
            " finished_at timestamp)"
        )
        con.execute(
            "insert into audit.load_log (load_id, source_file, status)"
            " values ('old', 'gammel.csv', 'rejected')"
        )
    folder = _copy([HELB], tmp_path / "in")
    [result] = ingest_paths(Home(home), [folder])
    assert result.ignored_columns == ["bemærkning"]
    with duckdb.connect(str(Home(home).warehouse), read_only=True) as con:
        rows = con.execute(
            "select load_id, ignored_columns, file_size_bytes from audit.load_log"
            " order by started_at nulls first"
        ).fetchall()
    size = (FILES / HELB).stat().st_size
    assert rows == [("old", None, None), (result.load_id, ["bemærkning"], size)]


def test_a_cpr_shaped_column_name_is_masked_when_logged_as_ignored(home: Path, tmp_path: Path):
    lines = (FILES / HELB).read_bytes().decode("cp1252").splitlines()
    lines[0] = lines[0].replace("bemærkning", "0101801234")
    path = tmp_path / HELB
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    [result] = ingest_paths(Home(home), [path])
    assert result.ignored_columns == ["******-****"]
    assert (
        _count(
            home, "select count(*) from audit.load_log where ignored_columns::varchar like '%1234%'"
        )
        == 0
    )


@pytest.mark.parametrize(
    ("name", "limit_name"),
    [
        ("sygedagpengesager_0851_2022-12-31.csv", "MAX_FILE_BYTES"),
        ("dream_2022-12-31.csv", "MAX_DREAM_FILE_BYTES"),
    ],
)
def test_a_file_over_the_size_limit_is_rejected_with_its_size_and_nothing_loads(
    tmp_path: Path, name: str, limit_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file one byte over its limit (512 MB for case extracts, 3 GB for DREAM) is
    rejected before it is read, with both sizes in the reason, and recorded in the load
    log; one byte less is read. The files are sparse, so the test writes no data."""
    import ingest.load as load

    limit = getattr(load, limit_name)
    folder = tmp_path / "ind"
    folder.mkdir()
    too_big = folder / name
    with too_big.open("wb") as handle:
        handle.truncate(limit + 1)
    results = ingest_paths(Home(tmp_path / "home"), [folder])
    assert [(r.status, r.rows_loaded) for r in results] == [("rejected", 0)]
    assert "filen er for stor" in results[0].reason
    assert f"{limit + 1:,}".replace(",", ".") in results[0].reason
    assert f"{limit:,}".replace(",", ".") in results[0].reason
    rejected = _count(
        tmp_path / "home",
        f"select count(*) from audit.load_log where status = 'rejected' and source_file = '{name}'",
    )
    assert rejected == 1
    at_limit = tmp_path / "ved_graensen.csv"  # exactly at a (lowered) limit: read
    with at_limit.open("wb") as handle:
        handle.truncate(8)
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 8)
    assert load.read_regular_file(at_limit) == b"\0" * 8


def test_a_fault_mid_batch_leaves_nothing_of_its_files_and_keeps_the_batches_before(
    home: Path, tmp_path: Path
):
    """Consecutive files of one source are one transaction: a fault in the second
    sygedagpengesager file leaves neither of them, while the helbredsdokumentation batch
    before them stays committed; only committed files are reported, and a second run
    loads the two files."""
    folder = _copy([HELB, SYG], tmp_path / "in")
    shutil.copyfile(FILES / SYG, folder / "sygedagpengesager_0851_2023-01-31.csv")
    calls: list[str] = []

    def fail_third(stage: str) -> None:
        calls.append(stage)
        if len(calls) == 3:
            raise RuntimeError("injected fault in the second file of the batch")

    reported: list[str] = []
    with pytest.raises(RuntimeError, match="second file of the batch"):
        ingest_paths(
            Home(home),
            [folder],
            on_result=lambda r: reported.append(r.source_file),
            fault_hook=fail_third,
        )
    assert reported == [HELB]
    assert _count(home, "select count(*) from raw.helbredsdokumentation") == 3
    assert _count(home, "select count(*) from raw.sygedagpengesager") == 0
    assert (
        _count(home, "select count(*) from audit.load_log where source = 'sygedagpengesager'") == 0
    )
    assert (
        _count(home, "select count(*) from audit.quarantine where source = 'sygedagpengesager'")
        == 0
    )
    again = ingest_paths(Home(home), [folder])
    assert [r.status for r in again] == ["skipped_duplicate", "loaded", "loaded"]
    assert _count(home, "select count(*) from raw.sygedagpengesager") == 3 + 3
    assert _count(home, "select count(distinct loaded_at) from raw.sygedagpengesager") == 2


def test_the_same_file_twice_in_one_run_is_loaded_once_and_the_second_names_the_first(
    home: Path, tmp_path: Path
):
    first = _copy([SYG], tmp_path / "a")
    second = _copy([SYG], tmp_path / "b")
    results = ingest_paths(Home(home), [first, second])
    assert [r.status for r in results] == ["loaded", "skipped_duplicate"]
    assert results[1].reason == (
        f"samme indhold er allerede indlæst som {SYG} (load_id {results[0].load_id})"
    )
    assert _count(home, "select count(*) from raw.sygedagpengesager") == 3
    assert _count(home, "select count(*) from audit.load_log") == 2
