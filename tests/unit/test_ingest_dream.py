"""DREAM ingest: row rules, whole-file rejections, long storage and supersession input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from core.paths import Home
from ingest.dream import week_column
from ingest.load import ingest_paths

HEADER = "CPR;Bopaelskommune;y_2401;y_2402;y_2403;y_2404;y_2453;ekstra"
ROWS = [
    "010180-1234;851;890;890;;;;",  # 1: loaded, one spell of 890 in weeks 1-2
    "0202801234;;;;;;;x",  # 2: loaded, no benefit week: one blank spell over the register
    "0303801234;851;12;890;;;;",  # 3: code with two digits
    "040480-1234;851;305;;;;;",  # 4: code no range covers (300-399 is not in the seed)
    "050580-1234;851;;111;111;731;;",  # 5: loaded, two spells
    "0505801234;851;890;;;;;",  # 6: same person as row 5
    ";;;;;;;",  # 7: no CPR
    "320180-1234;851;;;;;;",  # 8: not a valid CPR (day 32)
    "060680-1234;851;;;;;890;",  # 9: a value in y_2453 (2024 has no week 53)
    "070780-1234;999;;;;;;",  # 10: 999 is no municipality
]


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def loaded(home, tmp_path):
    files = tmp_path / "in"
    files.mkdir()
    _write(files, "dream_2024-06-30.csv", [HEADER, *ROWS])
    results = ingest_paths(Home.resolve(home), [files])
    with duckdb.connect(str(Home.resolve(home).warehouse), read_only=True) as con:
        raw = con.sql("select * from raw.dream order by source_row_number, fra_uge_dato").pl()
        quarantine = con.sql(
            "select source_row_number, rules, reason, masked_row from audit.quarantine"
            " order by source_row_number"
        ).pl()
        log = con.sql(
            "select status, rows_read, rows_loaded, rows_quarantined from audit.load_log"
        ).pl()
    return results, raw, quarantine, log


def test_rows_are_loaded_or_quarantined_with_a_danish_reason(loaded):
    results, _, quarantine, log = loaded
    assert [r.status for r in results] == ["loaded"]
    assert log.row(0) == ("loaded", 10, 3, 7)
    reasons = dict(quarantine.select("source_row_number", "reason").rows())
    rules = dict(quarantine.select("source_row_number", "rules").rows())
    assert sorted(reasons) == [3, 4, 6, 7, 8, 9, 10]
    assert reasons[3] == "koden i y_2401 er ikke tre cifre"
    assert rules[3] == ["invalid_value"]
    assert reasons[4] == "ukendt ydelseskode 305 i y_2401"
    assert rules[4] == ["invalid_enum"]
    assert rules[6] == ["duplicate_key"]
    assert rules[7] == ["required_missing"]
    assert rules[8] == ["invalid_cpr"]
    assert reasons[9] == "ugekolonnen 'y_2453': 2024 har ingen uge 53 og har en værdi"
    assert rules[10] == ["invalid_value"]


def test_rows_loaded_plus_quarantined_equal_rows_read(loaded):
    _, raw, quarantine, log = loaded
    read, n_loaded, n_quarantined = log.row(0)[1:]
    assert raw["source_row_number"].n_unique() == n_loaded
    assert quarantine.height == n_quarantined
    assert n_loaded + n_quarantined == read


def test_stored_long_as_spells_with_mondays_and_small_int_codes(loaded):
    _, raw, _, _ = loaded
    assert raw.schema["kode"] == pl.Int16
    week = {n: week_column(n).monday for n in ("y_2401", "y_2402", "y_2403", "y_2404")}
    assert week["y_2401"] == dt.date(2024, 1, 1)
    got = raw.select(
        "source_row_number",
        "fra_uge_dato",
        "til_uge_dato",
        "kode",
        "register_fra_uge_dato",
        "register_til_uge_dato",
    ).rows()
    start, end = dt.date(2024, 1, 1), dt.date(2024, 1, 22)
    assert got == [
        (1, week["y_2401"], week["y_2402"], 890, start, end),
        (2, start, end, None, start, end),
        (5, week["y_2402"], week["y_2403"], 111, start, end),
        (5, week["y_2404"], week["y_2404"], 731, start, end),
    ]
    assert raw["person_id"].null_count() == 0


def test_quarantine_never_holds_a_cpr_number(loaded):
    _, _, quarantine, _ = loaded
    for text in quarantine["masked_row"].to_list() + quarantine["reason"].to_list():
        assert "-1234" not in text and "801234" not in text
    row3 = json.loads(quarantine.filter(pl.col("source_row_number") == 3)["masked_row"][0])
    assert row3["cpr"] == "******-****"
    assert row3["uger"] == {"y_2401": "12", "y_2402": "890"}


def test_same_person_id_as_the_case_files(home, tmp_path):
    from ingest.pseudonymise import hmac_sha256_hex, load_key

    files = tmp_path / "in"
    files.mkdir()
    _write(files, "dream_2024-06-30.csv", [HEADER, ROWS[0]])
    ingest_paths(Home.resolve(home), [files])
    key = load_key(Home.resolve(home).key_file)
    expected = hmac_sha256_hex(pl.Series(["0101801234"]), key)[0]
    with duckdb.connect(str(Home.resolve(home).warehouse), read_only=True) as con:
        assert con.sql("select distinct person_id from raw.dream").fetchall() == [(expected,)]


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["bopaelskommune;y_2401", "851;890"], "filen mangler kolonnen: cpr"),
        (["cpr;bopaelskommune", "010180-1234;851"], "filen har ingen ugekolonner (y_ÅÅUU)"),
    ],
)
def test_file_without_cpr_or_weeks_is_rejected_whole(home, tmp_path, lines, reason):
    files = tmp_path / "in"
    files.mkdir()
    _write(files, "dream_2024-06-30.csv", lines)
    results = ingest_paths(Home.resolve(home), [files])
    assert results[0].status == "rejected"
    assert results[0].reason.startswith(reason)
    with duckdb.connect(str(Home.resolve(home).warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.dream").fetchone() == (0,)


def test_parquet_with_a_later_update_is_loaded_beside_the_earlier(home, tmp_path):
    files = tmp_path / "in"
    files.mkdir()
    _write(files, "dream_2024-06-30.csv", [HEADER, ROWS[0]])
    pl.DataFrame({"cpr": ["0101801234"], "y_2401": ["731"], "y_2402": [None]}).write_parquet(
        files / "dream_2024-12-31.parquet"
    )
    results = ingest_paths(Home.resolve(home), [files])
    assert [r.status for r in results] == ["loaded", "loaded"]
    with duckdb.connect(str(Home.resolve(home).warehouse), read_only=True) as con:
        got = con.sql(
            "select extract_date, kode, bopaelskommune from raw.dream order by extract_date"
        ).fetchall()
    assert got == [(dt.date(2024, 6, 30), 890, 851), (dt.date(2024, 12, 31), 731, None)]


def test_week_columns():
    assert week_column("y_1801").monday == dt.date(2018, 1, 1)
    assert week_column("y_2053").monday == dt.date(2020, 12, 28)
    assert week_column("y_2153").problem is not None
    assert week_column("y_18011").problem is not None


def test_gx_suite_flags_the_rows_ingest_quarantines(tmp_path):
    """The declared suite, run by Great Expectations on the long form, finds the same rows
    as the SQL checks of ingest (test_rows_are_loaded_or_quarantined_…): row by row."""
    from ingest.dream import validation_frame
    from ingest.filenames import parse_file_name
    from ingest.load import load_reference
    from ingest.validate import run_dream_gx_suite

    path = _write(tmp_path, "dream_2024-06-30.csv", [HEADER, *ROWS])
    frame = validation_frame(path.read_bytes(), parse_file_name(path), b"k", load_reference())
    assert frame.filter(pl.col("kolonne").is_null()).height == len(ROWS)
    failing = run_dream_gx_suite(frame)
    assert failing == {
        "required_missing:cpr": {7},
        "invalid_cpr:cpr": {8},
        "invalid_value:bopaelskommune": {10},
        "invalid_value:uge": {9},
        "invalid_value:kode": {3},
        "invalid_enum:kode": {4},
        # GX flags every row of the person; ingest loads the first (row 5) and keeps row 6.
        "duplicate_key:cpr": {5, 6},
    }


def test_committed_dream_suite_matches_the_rules():
    from core.paths import EXPECTATIONS_DIR
    from ingest.validate import dream_suite_as_dict

    committed = json.loads((EXPECTATIONS_DIR / "dream.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(dream_suite_as_dict()))


def test_each_row_gets_the_python_hmac_of_its_own_cpr():
    """On the ingest's own connection (no insertion order, two threads) every loaded row's
    person_id is Python's HMAC-SHA256 of that row's CPR, not another row's. (The parallel
    reordering itself is provoked in test_ingest_pseudonymise on 428,572 values.)"""
    import hashlib
    import hmac

    from ingest.dream import prepare_dream
    from ingest.filenames import parse_file_name
    from ingest.prepare import Reference

    key = b"test-key-not-secret"
    n = 20_000
    # Valid CPRs: day 01-28, month 01-12, year 00-99, serial 0000-9999 (all distinct).
    cprs = [
        f"{1 + i % 28:02d}{1 + i // 28 % 12:02d}{i // 336 % 100:02d}{i // 33_600:04d}"
        for i in range(n)
    ]
    lines = ["cpr;y_2401", *(f"{c};{'890' if i % 3 else ''}" for i, c in enumerate(cprs))]
    data = ("\n".join(lines) + "\n").encode()
    reference = Reference(kommunekoder=frozenset({851}), kommune_names=pl.DataFrame())
    prepared = prepare_dream(data, parse_file_name("dream_2024-06-30.csv"), key, reference)
    assert prepared.quarantine.height == 0
    got = prepared.raw.group_by("source_row_number").agg(pl.col("person_id").unique())
    got = got.sort("source_row_number")
    assert got["source_row_number"].to_list() == list(range(1, n + 1))
    expected = [hmac.new(key, c.encode(), hashlib.sha256).hexdigest() for c in cprs]
    assert got["person_id"].to_list() == [[h] for h in expected]
