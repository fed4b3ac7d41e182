"""Keyed pseudonyms, the key file and CPR masking."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import stat

import duckdb
import polars as pl
import pytest

from ingest.pseudonymise import (
    hmac_sha256_hex,
    load_key,
    masked_cpr,
    normalised_cpr,
    pseudonymise,
)


@pytest.mark.parametrize("key", [b"k", b"test-key-not-secret", b"x" * 64, b"y" * 200])
def test_vectorised_hmac_equals_the_standard_library(key):
    values = ["0101801234", "3112999999", "æøå", ""]
    expected = [hmac.new(key, v.encode(), hashlib.sha256).hexdigest() for v in values]
    assert hmac_sha256_hex(pl.Series(values), key).to_list() == expected


def test_missing_values_stay_missing():
    assert hmac_sha256_hex(pl.Series([None, "1"], dtype=pl.String), b"k")[0] is None


def test_key_file_is_created_once_with_mode_0600(tmp_path, monkeypatch):
    monkeypatch.delenv("TRIALWH_PSEUDONYM_KEY", raising=False)
    key_file = tmp_path / "home" / "pseudonym.key"
    first = load_key(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) == 64
    assert load_key(key_file) == first


def test_environment_key_wins_and_no_file_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("TRIALWH_PSEUDONYM_KEY", "from-env")
    key_file = tmp_path / "pseudonym.key"
    assert load_key(key_file) == b"from-env"
    assert not key_file.exists()


def test_cpr_normalisation_validates_shape_and_birth_date():
    values = [
        "010180-1234",
        "0101801234",
        " 290200-1111 ",
        "290201-1111",
        "320180-1234",
        "12345",
        "0101801234x",
    ]
    got = pl.DataFrame({"v": values}).select(normalised_cpr(pl.col("v")).alias("v"))["v"].to_list()
    assert got == ["0101801234", "0101801234", "2902001111", None, None, None, None]


def test_masks_never_show_the_serial_part():
    values = ["010180-1234", "0101801234", "12345", None]
    got = pl.DataFrame({"v": values}).select(masked_cpr(pl.col("v")).alias("v"))["v"].to_list()
    assert got == ["******-****", "******-****", "******-****", None]


def test_pseudonymise_drops_the_cpr_column_and_keeps_the_same_id_for_both_spellings():
    frame = pl.DataFrame({"cpr": ["010180-1234", "0101801234", "x"], "other": [1, 2, 3]})
    out = pseudonymise(frame, "cpr", b"k")
    assert out.columns == ["other", "person_id", "cpr_masked"]
    expected = hmac.new(b"k", b"0101801234", hashlib.sha256).hexdigest()
    assert out["person_id"].to_list() == [expected, expected, None]


def _is_date(dd: int, mm: int, yy: int) -> bool:
    year = 2000 if yy == 0 else 1900 + yy
    try:
        dt.date(year, mm, dd)
    except ValueError:
        return False
    return True


def test_cpr_validity_agrees_with_the_calendar_for_every_day_and_month():
    values, expected = [], []
    for yy in (0, 1, 4, 80, 96, 99):
        for mm in range(0, 14):
            for dd in range(0, 33):
                values.append(f"{dd:02d}{mm:02d}{yy:02d}-1234")
                expected.append(f"{dd:02d}{mm:02d}{yy:02d}1234" if _is_date(dd, mm, yy) else None)
    got = pl.DataFrame({"v": values}).select(normalised_cpr(pl.col("v")).alias("v"))["v"]
    assert got.to_list() == expected
    assert sum(e is not None for e in expected) == 366 + 365 + 366 + 366 + 366 + 365


def test_concurrent_first_use_gives_every_process_the_same_nonempty_key(tmp_path, monkeypatch):
    import multiprocessing

    monkeypatch.delenv("TRIALWH_PSEUDONYM_KEY", raising=False)
    key_file = tmp_path / "keys" / "pseudonym.key"
    context = multiprocessing.get_context("fork")
    with context.Pool(6) as pool:
        keys = pool.map(load_key, [key_file] * 24)
    assert all(keys) and len(set(keys)) == 1
    assert keys[0] == key_file.read_text(encoding="ascii").strip().encode("ascii")
    assert [p.name for p in key_file.parent.iterdir()] == ["pseudonym.key"]


def test_an_empty_key_file_is_an_error_never_an_empty_key(tmp_path, monkeypatch):
    from ingest.pseudonymise import KeyFileError

    monkeypatch.delenv("TRIALWH_PSEUDONYM_KEY", raising=False)
    key_file = tmp_path / "pseudonym.key"
    key_file.write_text("\n", encoding="ascii")
    with pytest.raises(KeyFileError, match="tom"):
        load_key(key_file)


def test_ingest_with_an_empty_key_file_stops_with_a_message(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from trialwh.cli import app

    monkeypatch.delenv("TRIALWH_PSEUDONYM_KEY", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    (home / "pseudonym.key").write_text("", encoding="ascii")
    extract = tmp_path / "sygedagpengesager_0851_2022-12-31.csv"
    extract.write_text("sags_id;cpr\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--home", str(home), "ingest", str(extract)])
    assert result.exit_code == 1
    assert "Indlæsning ikke startet" in result.output and "tom" in result.output


ORDER_KEY = b"test-key-not-secret"


def test_hashes_follow_the_input_order_without_preserve_insertion_order():
    values = pl.Series("cpr", [f"{i:010d}" for i in range(0, 3_000_000, 7)])  # 428,572 values
    with duckdb.connect() as con:
        con.execute("set preserve_insertion_order = false")
        con.execute("set threads = 4")
        hashes = hmac_sha256_hex(values, ORDER_KEY, con).to_list()
    expected = [hmac.new(ORDER_KEY, v.encode(), hashlib.sha256).hexdigest() for v in values]
    assert hashes == expected


def test_a_missing_value_keeps_its_place():
    values = pl.Series("cpr", ["0101801234", None, "0202851234"])
    hashes = hmac_sha256_hex(values, ORDER_KEY).to_list()
    assert hashes[1] is None
    assert hashes[0] == hmac.new(ORDER_KEY, b"0101801234", hashlib.sha256).hexdigest()
    assert hashes[2] == hmac.new(ORDER_KEY, b"0202851234", hashlib.sha256).hexdigest()
