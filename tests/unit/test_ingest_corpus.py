"""The bad-file corpus: every file's outcome and every quarantined row's rules, by hand."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from tests.unit.corpus_support import expected_files_match, ingest_corpus, query

CORPUS = Path(__file__).resolve().parent.parent / "data" / "bad_files"
FILES = CORPUS / "files"
KEY = "corpus-test-key"


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corpus_home")


@pytest.fixture(scope="module")
def loaded(corpus_home: Path):
    yield from ingest_corpus(corpus_home, FILES, KEY)


def test_every_corpus_file_has_an_expected_outcome():
    expected_files_match(CORPUS, FILES)


def test_file_outcomes_match_the_expected_table(loaded):
    results, con = loaded
    expected = pl.read_csv(CORPUS / "expected_files.csv", infer_schema=False)
    by_file = {r.source_file: r for r in results}
    log = query(con, "select * from audit.load_log")
    assert log.height == expected.height
    for row in expected.iter_rows(named=True):
        result = by_file[row["file"]]
        assert result.status == row["status"], row["file"]
        logged = log.filter(pl.col("source_file") == row["file"]).row(0, named=True)
        assert logged["status"] == row["status"]
        if row["status"] == "loaded":
            assert result.rows_read == int(row["rows_read"]), row["file"]
            assert result.rows_loaded == int(row["rows_loaded"]), row["file"]
            assert result.rows_quarantined == int(row["rows_quarantined"]), row["file"]
            assert logged["rows_read"] == int(row["rows_read"])
            assert logged["rows_loaded"] == int(row["rows_loaded"])
            assert logged["rows_quarantined"] == int(row["rows_quarantined"])
        else:
            assert row["reason_contains"] in result.reason, (row["file"], result.reason)
            assert row["reason_contains"] in logged["reason"]


def test_quarantined_rows_and_rules_match_the_expected_table(loaded):
    _, con = loaded
    expected = {
        (r["file"], r["source_row_number"]): set(r["rules"].split("|"))
        for r in pl.read_csv(CORPUS / "expected_rows.csv").iter_rows(named=True)
    }
    got = {
        (r["source_file"], r["source_row_number"]): set(r["rules"])
        for r in query(con, "select * from audit.quarantine").iter_rows(named=True)
    }
    assert got == expected


def test_row_accounting_loaded_plus_quarantined_is_read(loaded):
    _, con = loaded
    counts = query(
        con,
        """
        with raw_rows as (
            select source_file, count(*) as n from raw.sygedagpengesager group by 1
            union all select source_file, count(*) from raw.helbredsdokumentation group by 1
            union all select source_file, count(*) from raw.rehabiliteringssager group by 1
            union all select source_file, count(*) from raw.ankesager group by 1
            union all select source_file, count(*) from raw.ankestatistik group by 1
        ),
        quarantined as (select source_file, count(*) as n from audit.quarantine group by 1)
        select log.source_file, log.rows_read, log.rows_loaded, log.rows_quarantined,
               coalesce(raw_rows.n, 0) as in_raw, coalesce(quarantined.n, 0) as in_quarantine
        from audit.load_log as log
        left join raw_rows on raw_rows.source_file = log.source_file
        left join quarantined on quarantined.source_file = log.source_file
        where log.status = 'loaded'
        """,
    )
    assert counts.height == 9
    for row in counts.iter_rows(named=True):
        assert row["rows_loaded"] + row["rows_quarantined"] == row["rows_read"]
        assert row["in_raw"] == row["rows_loaded"]
        assert row["in_quarantine"] == row["rows_quarantined"]


def test_values_are_cast_by_the_project_rules(loaded):
    _, con = loaded
    helb = query(
        con,
        "select dokument_id, dokumenttype, kommunekode, rekvireret_dato, honorar_kr, tolk"
        " from raw.helbredsdokumentation order by dokument_id",
    )
    assert helb["dokument_id"].to_list() == ["D1", "D2", "D6"]
    assert helb["dokumenttype"].to_list() == ["LAE285", "LAE285", "LAE285"]
    assert helb["kommunekode"].to_list() == [851, 851, 851]
    assert [str(d) for d in helb["rekvireret_dato"].to_list()] == [
        "2019-02-01",
        "2019-03-01",
        "2019-05-10",
    ]
    assert helb["honorar_kr"].to_list() == [Decimal("1140.00"), Decimal("1290.50"), None]
    assert helb["tolk"].to_list() == [False, True, None]
    syg = query(
        con,
        "select sags_id, anmeldt_dato, visitationskategori, forventet_over_8_uger,"
        " har_arbejdsgiver, diagnosegruppe, lae285_fravalgt from raw.sygedagpengesager"
        " order by sags_id",
    )
    assert syg["sags_id"].to_list() == ["S001", "S002", "S016"]
    assert [str(d) for d in syg["anmeldt_dato"].to_list()] == [
        "2019-02-05",
        "2019-03-04",
        "2020-01-02",
    ]
    assert syg["visitationskategori"].to_list() == [2, 3, 1]
    assert syg["har_arbejdsgiver"].to_list() == [True, False, True]
    assert syg["diagnosegruppe"].to_list() == ["psykisk", "bevaegeapparat", "andet"]
    assert syg["lae285_fravalgt"].to_list() == [False, True, False]
    rehab = query(
        con,
        "select sags_id, fleksjob_timer from raw.rehabiliteringssager order by sags_id",
    )
    assert rehab.rows() == [("P1", Decimal("15.50")), ("R1", None), ("R2", Decimal("12.50"))]
    anke = query(con, "select anke_id, modtaget_dato, kommunekode from raw.ankesager")
    assert sorted((r[0], str(r[1]), r[2]) for r in anke.rows()) == [
        ("A10", "2020-01-05", 851),
        ("A12", "2020-03-05", 851),
        ("A21", "2018-02-05", 851),
    ]


def test_ankestatistik_names_map_to_codes(loaded):
    _, con = loaded
    rows = query(
        con, "select kommune, kommunekode, antal from raw.ankestatistik order by source_row_number"
    )
    assert rows.rows() == [
        ("Københavns", 101, 7),
        ("Vesthimmerlands Kommune", 820, 3),
        ("bornholms regionskommune", 400, 1),
        ("Aalborg", 851, 1234),
    ]


def test_person_id_is_hmac_of_the_normalised_cpr_across_sources(loaded):
    _, con = loaded
    expected = hmac.new(KEY.encode(), b"0101801234", hashlib.sha256).hexdigest()
    ids = query(
        con,
        "select person_id from raw.sygedagpengesager where sags_id = 'S001'"
        " union all select person_id from raw.rehabiliteringssager where sags_id = 'P1'",
    )["person_id"].to_list()
    assert ids == [expected, expected]
    no_dash = hmac.new(KEY.encode(), b"0202851234", hashlib.sha256).hexdigest()
    assert query(con, "select person_id from raw.sygedagpengesager where sags_id = 'S002'")[
        "person_id"
    ].to_list() == [no_dash]


def test_quarantine_keeps_a_masked_row_without_the_cpr(loaded):
    _, con = loaded
    rows = query(
        con,
        "select source_row_number, masked_row from audit.quarantine"
        " where source_file = 'sygedagpengesager_0851_2022-12-31.csv'",
    )
    masked = {r[0]: json.loads(r[1]) for r in rows.rows()}
    assert masked[4]["cpr"] == "******-****"
    assert masked[4]["foerste_fravaersdag"] == "31-02-2020"
    assert (
        masked[4]["person_id"] == hmac.new(KEY.encode(), b"0404902222", hashlib.sha256).hexdigest()
    )
    assert masked[13]["cpr"] == "******-****"
    assert masked[13]["person_id"] is None
    assert masked[17]["cpr"] == "******-****"
    assert masked[15]["cpr"] is None


def test_no_cpr_in_any_text_column(loaded):
    _, con = loaded
    raw_cprs = set(
        re.findall(
            r"\d{6}-?\d{4}", "".join(p.read_bytes().decode("latin-1") for p in FILES.iterdir())
        )
    )
    assert "010180-1234" in raw_cprs
    needles = raw_cprs | {c.replace("-", "") for c in raw_cprs}
    columns = con.sql(
        "select table_schema, table_name, column_name from information_schema.columns"
        " where data_type = 'VARCHAR' or data_type like 'VARCHAR[]'"
    ).fetchall()
    assert len(columns) > 20
    for schema, table, column in columns:
        values = con.sql(f'select distinct "{column}"::varchar from {schema}.{table}').fetchall()
        for (value,) in values:
            if value is None:
                continue
            assert not re.search(r"\b\d{6}-\d{4}\b", value), (schema, table, column)
            assert not any(n in value for n in needles), (schema, table, column)


# Every CPR in the corpus's rejected CSV files and its masked form, written out by hand.
REJECTED_CPRS = {
    b"010180-1234": b"******-****",
    b"0202851234": b"******-****",
    b"020280-2345": b"******-****",
}
UNREADABLE = "ankesager_0851_2020-12-31.parquet"


def test_rejected_files_are_kept_aside_with_every_cpr_masked(loaded, corpus_home: Path):
    results, con = loaded
    folder = corpus_home / "quarantine" / "files"
    copies = {p.name.split("_", 1)[1]: p for p in folder.iterdir()}
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in copies.values())
    rejected = sorted(r.source_file for r in results if r.status == "rejected")
    assert sorted(copies) == sorted(set(rejected) - {UNREADABLE})
    with_cpr = 0
    for name, copy in copies.items():
        original = (FILES / name).read_bytes()
        expected = original
        for cpr, masked in REJECTED_CPRS.items():
            expected = expected.replace(cpr, masked)
        with_cpr += expected != original
        content = copy.read_bytes()
        assert content == expected, name  # every other byte intact
        assert not re.search(rb"(?<![0-9])[0-9]{6}-?[0-9]{4}(?![0-9])", content), name
        assert not any(cpr in content for cpr in REJECTED_CPRS), name
    assert with_cpr == 6
    log = query(
        con,
        "select reason, file_sha256, file_size_bytes from audit.load_log"
        f" where source_file = '{UNREADABLE}'",
    ).row(0, named=True)
    original = (FILES / UNREADABLE).read_bytes()
    assert log["file_sha256"] == hashlib.sha256(original).hexdigest()
    assert log["file_size_bytes"] == len(b"this is not a parquet file\n") == len(original)
    assert log["reason"].startswith("parquet-filen kan ikke læses")
    assert "ikke gemt i karantænemappen" in log["reason"]


def test_columns_outside_the_schema_are_logged_as_ignored(loaded):
    results, con = loaded
    logged = dict(query(con, "select source_file, ignored_columns from audit.load_log").rows())
    # Only the helbredsdokumentation extract has an extra column; files that could not be
    # read (or were refused by name) have no column list at all.
    expected = {
        "helbredsdokumentation_0851_2022-12-31.csv": ["bemærkning"],
        "sygedagpengesager_0851_2021-12-31.csv": [],
        "sygedagpengesager_0860_2022-12-31.csv": [],
        "sygedagpengesager_0999_2022-12-31.csv": [],
        "ankesager_0851_2021-06-30.csv": None,
        "helbredsdokumentation_0851_2021-12-31.csv": None,
        "rehabiliteringssager_0851_2021-12-31.csv": None,
        "sygedagpenge_0851_2022-12-31.csv": None,
        "sygedagpengesager_851_31-12-2022.csv": None,
        "ankesager_0851_2020-12-31.parquet": None,
    }
    for name, columns in logged.items():
        assert columns == expected.get(name, []), name
    by_file = {r.source_file: r for r in results}
    assert by_file["helbredsdokumentation_0851_2022-12-31.csv"].summary() == (
        "helbredsdokumentation_0851_2022-12-31.csv: indlæst — 6 rækker læst, 3 indlæst, "
        "3 i karantæne; ignoreret kolonne (ikke i skemaet): bemærkning"
    )
