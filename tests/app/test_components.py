"""The dashboard's building blocks without Streamlit: snapshot access, the SQL guard,
passwords and roles, URL filter parsing, table preparation and downloads."""

from __future__ import annotations

import datetime as dt
import io
import threading

import duckdb
import polars as pl
import pytest

from dashboards.auth import (
    UsersFileError,
    authenticate,
    hash_password,
    load_users,
    verify_password,
)
from dashboards.filters import initial_values, parse_kvartal, to_params
from dashboards.snapshot import QueryTimeout, Snapshot, SnapshotMissing, snapshot_key
from dashboards.sql_guard import RejectedQuery, run_select, vet_select
from dashboards.tables import TableSpec, prepare, to_excel
from tests.app.fixture_snapshot import build_fixture_snapshot

# --- snapshot -----------------------------------------------------------------------------


@pytest.fixture
def snapshot_path(tmp_path):
    return build_fixture_snapshot(tmp_path / "published" / "current.duckdb", build_id="b1")


def test_snapshot_reads_build_info_and_marts(snapshot_path):
    snap = Snapshot(snapshot_path)
    assert snap.build.build_id == "b1"
    assert snap.build.data_as_of == dt.date(2022, 12, 31)
    assert snap.build.n_tests_passed == 321
    # 6 municipalities × 32 quarters.
    assert snap.query("select count(*) as n from marts.mart_panel_kommune_kvartal")["n"][0] == 192
    # Sums come back as plain integers, not DECIMAL.
    total = snap.query("select sum(rehab_sager) as s from marts.mart_panel_kommune_kvartal")
    assert total.schema["s"] == pl.Int64
    assert total["s"][0] == 32 * (20 + 10 + 3 + 15 + 15 + 25)


def test_snapshot_is_read_only_and_has_no_file_access(snapshot_path, tmp_path):
    snap = Snapshot(snapshot_path)
    with pytest.raises(duckdb.Error):
        snap.query("create table marts.x as select 1")
    with pytest.raises(duckdb.Error):
        snap.query(f"select * from read_csv('{snapshot_path}')")
    with pytest.raises(duckdb.Error):
        snap.query(f"copy (select 1) to '{tmp_path / 'out.csv'}'")
    assert not (tmp_path / "out.csv").exists()


def test_replaced_snapshot_gets_a_new_key_and_old_readers_keep_working(snapshot_path):
    old = Snapshot(snapshot_path)
    build_fixture_snapshot(snapshot_path, build_id="b2")  # os.replace while `old` is open
    assert snapshot_key(snapshot_path) != old.key
    new = Snapshot(snapshot_path)
    assert (old.build.build_id, new.build.build_id) == ("b1", "b2")
    assert old.query("select count(*) as n from marts.dim_kommune")["n"][0] == 6


def test_snapshot_missing(tmp_path):
    with pytest.raises(SnapshotMissing):
        Snapshot(tmp_path / "published" / "current.duckdb")


def test_cursors_are_independent_across_threads(snapshot_path):
    snap = Snapshot(snapshot_path)
    results: list[int] = []

    def count() -> None:
        results.append(snap.query("select count(*) as n from marts.fct_sygedagpengesager")["n"][0])

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 6 municipalities × 2 years × 5 cases.
    assert results == [60] * 8


# --- SQL guard ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "drop table marts.dim_kommune",
        "delete from marts.dim_kommune",
        "insert into marts.dim_kommune select * from marts.dim_kommune",
        "select 1; drop table marts.dim_kommune",
        "copy marts.dim_kommune to '/tmp/x.csv'",
        "attach '/tmp/other.duckdb' as other",
        "set enable_external_access = true",
        "pragma database_list",
        "create table t as select 1",
        "",
        "selec 1",
    ],
)
def test_guard_rejects_everything_but_one_select(sql):
    with pytest.raises(RejectedQuery):
        vet_select(sql)


def test_guard_accepts_select_and_with():
    assert vet_select(" select 1 ; ") == "select 1"
    assert vet_select("with a as (select 2 as x) select x from a") == (
        "with a as (select 2 as x) select x from a"
    )


def test_run_select_limits_rows_and_times_out(snapshot_path):
    snap = Snapshot(snapshot_path)
    result = run_select(snap, "select * from range(10) order by 1", max_rows=4)
    assert result.data["range"].to_list() == [0, 1, 2, 3]
    assert result.truncated
    assert not run_select(snap, "select 1 as x", max_rows=4).truncated
    with pytest.raises(QueryTimeout):
        run_select(
            snap,
            "select count(*) from range(1000000000) as a, range(1000000) as b",
            timeout_s=0.3,
        )


# --- passwords and roles ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2_sha256"])
def test_password_hash_round_trip(method):
    stored = hash_password("hemmelig", method)
    assert stored.startswith(method + "$")
    assert verify_password("hemmelig", stored)
    assert not verify_password("Hemmelig", stored)
    # Salted: the same password hashes differently each time.
    assert hash_password("hemmelig", method) != stored


def test_pbkdf2_matches_an_independent_computation():
    import base64
    import hashlib

    salt = b"0123456789abcdef"
    stored = hash_password("pw", "pbkdf2_sha256", salt=salt)
    expected = hashlib.pbkdf2_hmac("sha256", b"pw", salt, 600_000)
    assert stored.split("$")[3] == base64.b64encode(expected).decode()


def test_malformed_hash_never_verifies():
    assert not verify_password("x", "md5$abc")
    assert not verify_password("x", "scrypt$notanumber$8$1$AA==$AA==")


def test_users_file(tmp_path):
    assert load_users(tmp_path / "users.toml") is None  # demo: no login
    path = tmp_path / "users.toml"
    path.write_text(
        f'[users.mette]\nrole = "manager"\npassword_hash = "{hash_password("a1", "scrypt")}"\n'
    )
    path.chmod(0o600)
    users = load_users(path)
    assert users["mette"].role == "manager"
    assert authenticate(users, "mette", "a1").name == "mette"
    assert authenticate(users, "mette", "a2") is None
    assert authenticate(users, "ukendt", "a1") is None
    path.write_text('[users.x]\nrole = "admin"\npassword_hash = "y"\n')
    with pytest.raises(UsersFileError):
        load_users(path)


# --- URL filters --------------------------------------------------------------------------


def test_parse_kvartal():
    assert parse_kvartal("2018K1") == dt.date(2018, 1, 1)
    assert parse_kvartal("2019q4") == dt.date(2019, 10, 1)
    assert parse_kvartal("2020-05-17") == dt.date(2020, 4, 1)
    assert parse_kvartal("2020K5") is None
    assert parse_kvartal(None) is None


def test_initial_values_check_against_the_data():
    quarters = [dt.date(2015, 1, 1), dt.date(2015, 4, 1), dt.date(2015, 7, 1)]
    chosen = initial_values(
        {"tema": "akut_fravaer", "kontrol": "midtjylland", "fra": "2015K3", "til": "2015K1"},
        kontrolgrupper=["alle_oevrige", "midtjylland"],
        kvartaler=quarters,
        kommuner=[101, 851],
    )
    # fra > til is swapped; a missing kommune falls back to 851.
    assert (chosen.tema, chosen.kontrolgruppe) == ("akut_fravaer", "midtjylland")
    assert (chosen.fra, chosen.til, chosen.kommune) == (quarters[0], quarters[2], 851)
    assert to_params(chosen, "en") == {
        "tema": "akut_fravaer",
        "kontrol": "midtjylland",
        "fra": "2015K1",
        "til": "2015K3",
        "kommune": "851",
        "lang": "en",
    }
    fallback = initial_values(
        {"tema": "x", "kontrol": "y", "kommune": "abc"},
        kontrolgrupper=["alle_oevrige"],
        kvartaler=quarters,
        kommuner=[101],
    )
    assert (fallback.tema, fallback.kontrolgruppe, fallback.kommune) == (
        "lae285",
        "alle_oevrige",
        101,
    )


# --- tables and downloads -----------------------------------------------------------------

FRAME = pl.DataFrame(
    {
        "gruppe": ["forsoeg", "kontrol"],
        "sager": [3, 40],
        "fritaget": [1, 10],
        "andel_fritaget": [1 / 3, 0.25],
    }
)
SPEC = TableSpec(counts=["sager", "fritaget"], rates={"andel_fritaget": ("fritaget", "sager")})


def test_prepare_suppresses_for_managers_only():
    shown, download = prepare(FRAME, SPEC, suppressed=True, lang="da")
    assert shown.columns == ["Gruppe", "Sager", "Fritaget", "Andel fritaget"]
    assert shown.row(0) == ("Forsøgskommuner", "·", "·", "·")
    assert shown.row(1) == ("Kontrolgruppe", "40", "10", "25,0 %")
    # The download carries the same hidden cells (as empty values).
    assert download.row(0) == ("Forsøgskommuner", None, None, None)
    shown, download = prepare(FRAME, SPEC, suppressed=False, lang="en")
    assert shown.row(0) == ("Trial municipalities", "3", "1", "33.3%")
    assert download["Cases"].to_list() == [3, 40]


def test_excel_download_round_trips():
    _, download = prepare(FRAME, SPEC, suppressed=False, lang="da")
    data = to_excel(download, "fritagelser")
    back = pl.read_excel(io.BytesIO(data))
    assert back["Sager"].to_list() == [3, 40]
    assert back["Gruppe"].to_list() == ["Forsøgskommuner", "Kontrolgruppe"]


def test_kr_short_for_metric_tiles():
    from dashboards.sections import kr_short

    assert kr_short(304_560, "da") == "304.560 kr."
    assert kr_short(8_434_120, "da") == "8,4 mio. kr."
    assert kr_short(8_434_120, "en") == "DKK 8.4m"
    assert kr_short(None, "da") == "–"


def test_serve_command_is_headless_without_usage_stats(tmp_path):
    from core.paths import Home
    from dashboards.serve import APP, command, environment

    cmd = command(8599)
    assert cmd[1:5] == ["-m", "dashboards.server", "run", str(APP)]
    assert {
        "--server.headless=true",
        "--server.port=8599",
        "--browser.gatherUsageStats=false",
    } <= set(cmd)
    env = environment(Home(tmp_path))
    assert env["TRIALWH_HOME"] == str(tmp_path)
    assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false"
