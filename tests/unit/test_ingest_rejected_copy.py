"""Copies of rejected files: CSV masked byte for byte, workbooks/Parquet as masked CSV."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import duckdb
import polars as pl
import xlsxwriter

from core.paths import Home
from ingest.load import ingest_paths

FILES_OK = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "bad_files"
    / "files"
    / "ankesager_0851_2021-03-31.csv"
)
CPR_TOKEN = re.compile(rb"(?<![0-9])[0-9]{6}-?[0-9]{4}(?![0-9])")


def _copies(home: Path) -> dict[str, bytes]:
    folder = Home(home).quarantine_dir / "files"
    if not folder.exists():
        return {}
    return {p.name.split("_", 1)[1]: p.read_bytes() for p in folder.iterdir()}


def _log(home: Path, name: str) -> dict:
    with duckdb.connect(str(Home(home).warehouse), read_only=True) as con:
        rows = con.execute(
            "select status, reason, file_sha256, file_size_bytes, source_file"
            " from audit.load_log where source_file = ?",
            [name],
        ).fetchall()
    status, reason, sha, size, source_file = rows[0]
    return {"status": status, "reason": reason, "sha": sha, "size": size, "file": source_file}


def test_a_rejected_windows_1252_csv_keeps_its_bytes_except_the_cprs(home: Path, tmp_path: Path):
    name = "sygedagpengesager_0851_2022-12-31.csv"
    # No visitationskategori column: rejected whole. CRLF, cp1252, Danish letters.
    text = (
        "sags_id;cpr;kommunekode;foerste_fravaersdag;anmeldt_dato;bemærkning\r\n"
        "S1;010180-1234;851;01-02-2019;05-02-2019;Søren fra Ærø\r\n"
        "S2;0202851234;851;01-02-2019;05-02-2019;ring 0303901111 i morgen\r\n"
        "S3;3202851234;851;01-02-2019;05-02-2019;konto 12345678901234\r\n"
    )
    masked = (
        "sags_id;cpr;kommunekode;foerste_fravaersdag;anmeldt_dato;bemærkning\r\n"
        "S1;******-****;851;01-02-2019;05-02-2019;Søren fra Ærø\r\n"
        "S2;******-****;851;01-02-2019;05-02-2019;ring ******-**** i morgen\r\n"
        "S3;3202851234;851;01-02-2019;05-02-2019;konto 12345678901234\r\n"
    )
    (tmp_path / name).write_bytes(text.encode("cp1252"))
    [result] = ingest_paths(Home(home), [tmp_path / name])
    assert result.status == "rejected"
    assert "mangler kolonnen" in result.reason
    assert "ikke gemt" not in result.reason
    copy = _copies(home)[name]
    assert copy == masked.encode("cp1252")
    assert not any(v in copy for v in (b"010180-1234", b"0202851234", b"0303901111"))


def test_a_rejected_parquet_file_is_kept_as_a_masked_csv_rendering(home: Path, tmp_path: Path):
    name = "rehabiliteringssager_0851_2020-12-31.parquet"
    pl.DataFrame(
        {
            "sags_id": ["P1", "0101801234"],
            "CPR": [101801234, 202802345],  # numeric: leading zero lost, masked whole
            "kommunekode": [860, 860],  # not the file's municipality: rejected whole
            "startdato": [dt.date(2020, 1, 1), None],
            "note": ["ring 010180-1234", "Åse"],
        }
    ).write_parquet(tmp_path / name)
    [result] = ingest_paths(Home(home), [tmp_path / name])
    assert result.status == "rejected"
    copies = _copies(home)
    assert list(copies) == [f"{name}.csv"]
    assert copies[f"{name}.csv"].decode("utf-8") == (
        "sags_id;CPR;kommunekode;startdato;note\n"
        "P1;******-****;860;2020-01-01;ring ******-****\n"
        "******-****;******-****;860;;Åse\n"
    )


def test_a_rejected_workbook_is_kept_as_a_masked_csv_rendering(home: Path, tmp_path: Path):
    name = "ankesager_0851_2022-12-31.xlsx"
    workbook = xlsxwriter.Workbook(tmp_path / name)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["anke_id", "kommunekode", "sags_id"])  # columns missing
    sheet.write_row(1, 0, ["A1", "851", "0101801234"])
    sheet.write_row(2, 0, ["A2", "851", "S2 / 020280-2345"])
    workbook.close()
    [result] = ingest_paths(Home(home), [tmp_path / name])
    assert result.status == "rejected"
    assert _copies(home)[f"{name}.csv"].decode("utf-8") == (
        "anke_id;kommunekode;sags_id\nA1;851;******-****\nA2;851;S2 / ******-****\n"
    )


def test_an_unreadable_file_is_not_kept_only_its_hash_and_size(home: Path, tmp_path: Path):
    workbook = "ankesager_0851_2022-12-31.xlsx"
    broken = b"PK\x03\x04 not really a workbook 010180-1234"
    (tmp_path / workbook).write_bytes(broken)
    utf16 = "sygedagpengesager_0851_2022-12-31.csv"
    wide = "sags_id;cpr\r\nS1;010180-1234\r\n".encode("utf-16")
    (tmp_path / utf16).write_bytes(wide)
    results = ingest_paths(Home(home), [tmp_path])
    assert [r.status for r in results] == ["rejected", "rejected"]
    assert _copies(home) == {}
    for name, data in ((workbook, broken), (utf16, wide)):
        log = _log(home, name)
        assert log["sha"] == hashlib.sha256(data).hexdigest()
        assert log["size"] == len(data)
        assert log["reason"].endswith(
            "filen kan ikke læses og er derfor ikke gemt i karantænemappen "
            "(kun dens sha256 og størrelse er logget)"
        )
    assert len(broken) == 4 + 23 + 11 and len(wide) == 2 + 2 * (13 + 16)


def test_a_cpr_in_the_file_name_is_masked_in_the_log_the_summary_and_the_copy(
    home: Path, tmp_path: Path
):
    name = "sygedagpengesager_010180-1234.csv"
    (tmp_path / name).write_bytes(b"sags_id;cpr\nS1;x\n")
    [result] = ingest_paths(Home(home), [tmp_path / name])
    assert result.status == "rejected"
    assert result.source_file == "sygedagpengesager_******-****.csv"
    assert "1234" not in result.summary()
    log = _log(home, "sygedagpengesager_******-****.csv")
    assert "1234" not in log["reason"]
    assert list(_copies(home)) == ["sygedagpengesager_******-****.csv"]
    assert not CPR_TOKEN.search(b"".join(_copies(home).values()))


def test_a_copy_that_cannot_be_written_does_not_stop_the_batch(home: Path, tmp_path: Path):
    quarantine = Home(home).quarantine_dir
    quarantine.mkdir(parents=True)
    (quarantine / "files").write_text("not a folder")
    bad = "sygedagpengesager_0999_2022-12-31.csv"
    (tmp_path / bad).write_bytes(b"sags_id;cpr\nS1;010180-1234\n")
    [result] = ingest_paths(Home(home), [tmp_path / bad])
    assert result.status == "rejected"
    assert result.reason.startswith("filen mangler kolonnen")
    assert "en maskeret kopi kunne ikke gemmes i karantænemappen (File exists)" in result.reason


def test_copies_kept_whole_by_earlier_versions_are_masked_on_the_next_ingest(
    home: Path, tmp_path: Path
):
    folder = Home(home).quarantine_dir / "files"
    folder.mkdir(parents=True)
    (folder / "a1_sygedagpengesager_0999_2022-12-31.csv").write_bytes(
        "S1;010180-1234;Ærø\r\n".encode("cp1252")
    )
    pl.DataFrame({"cpr": ["0202801234"]}).write_parquet(
        folder / "b2_rehabiliteringssager_0851_2020-12-31.parquet"
    )
    (folder / "c3_ankesager_0851_2020-12-31.parquet").write_bytes(b"broken 0101801234")
    ingest_paths(Home(home), [FILES_OK])
    assert _copies(home) == {
        "sygedagpengesager_0999_2022-12-31.csv": "S1;******-****;Ærø\r\n".encode("cp1252"),
        "rehabiliteringssager_0851_2020-12-31.parquet.csv": b"cpr\n******-****\n",
    }
    assert sorted(p.name[:2] for p in folder.iterdir()) == ["a1", "b2"]
