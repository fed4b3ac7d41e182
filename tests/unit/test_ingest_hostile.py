"""The hostile corpus (tests/data/hostile/manifest.csv): CPR numbers written every way,
hostile file and column names, links, FIFOs, over-long fields, decomposed names.

Each case is ingested on its own; the test checks the manifest's expected outcome and then
scans everything the product keeps or shows (every table of the warehouse and of a
published snapshot, the kept copies of rejected files, the log files and the summary
lines) for the planted CPR number in any form, with a scanner that does not use
``ingest.cpr``: NFKC, every Unicode digit as its ASCII digit, separators removed.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import re
import unicodedata
from pathlib import Path

import duckdb
import pytest

from core.paths import Home
from ingest.load import ingest_paths
from trialwh.build import publish

MANIFEST = Path(__file__).resolve().parent.parent / "data" / "hostile" / "manifest.csv"
KEY = "test-key-not-secret"  # the ``home`` fixture's TRIALWH_PSEUDONYM_KEY
SYG_COLUMNS = (
    "sags_id;cpr;kommunekode;foerste_fravaersdag;anmeldt_dato;visitationskategori;"
    "forventet_over_8_uger;har_arbejdsgiver;diagnosegruppe;tolk;foerste_opfoelgning_dato;"
    "afsluttet_dato;afslutningsaarsag"
)
SYG_NAME = "sygedagpengesager_0851_2022-12-31.csv"


def _cases() -> list[dict[str, str]]:
    with MANIFEST.open(encoding="ascii", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["value"] = row["value"].encode("ascii").decode("unicode_escape")
    return rows


CASES = _cases()


def test_the_corpus_has_at_least_forty_cases_each_with_an_outcome():
    assert len(CASES) >= 40
    assert {c["expected"] for c in CASES} <= {"quarantine", "load", "ignored", "rejected"}
    assert len({c["case"] for c in CASES}) == len(CASES)


_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d/.\u2044\u2215]")


def fold(text: str) -> str:
    """NFKC, every decimal digit of any script as ASCII, separators removed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        str(unicodedata.digit(ch)) if unicodedata.digit(ch, None) is not None else ch for ch in text
    )
    return _SEPARATORS.sub("", text)


def _row(sags_id: str = "S1", cpr: str = "0101801234") -> str:
    return f"{sags_id};{cpr};851;01-02-2019;05-02-2019;2;J;J;psykisk;N;;;"


def _syg_file(folder: Path, lines: list[str], header: str = SYG_COLUMNS) -> Path:
    path = folder / SYG_NAME
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _make_input(case: dict[str, str], folder: Path, home: Path) -> tuple[Path, str | None]:
    """The file to ingest for ``case`` and the planted CPR digits (None: nothing planted)."""
    target, value = case["target"], case["value"]
    planted = None
    if target == "sags_id":
        path = _syg_file(folder, [_row("S0"), _row(value, "0202801234")])
        planted = value if case["expected"] == "quarantine" else None
    elif target == "cpr":
        path = _syg_file(folder, [_row("S0"), _row("S1", value)])
        planted = value
    elif target == "header":
        path = _syg_file(folder, [_row("S0") + ";x"], header=SYG_COLUMNS + ";" + value)
        planted = value
    elif target == "filename":
        path = folder / value
        path.write_text(SYG_COLUMNS + "\n" + _row("S0") + "\n", encoding="utf-8")
        planted = value if re.search(r"\d{6}\D{0,3}\d{4}", fold(value)) else None
    elif target == "special" and value == "symlink":
        key = Path(home) / "pseudonym.key"
        key.write_text("0303037750-secret-key\n", encoding="utf-8")
        path = folder / SYG_NAME
        path.symlink_to(key)
        planted = "0303037750"
    elif target == "special" and value == "fifo":
        path = folder / SYG_NAME
        os.mkfifo(path)
    elif target == "special" and value == "long_field":
        path = _syg_file(folder, [_row("S0"), _row("S" + "x" * 20_000)])
    elif target == "kommune":
        path = folder / "ankestatistik_2023-01-15.csv"
        path.write_text(
            "aar,kvartal,kommune,lovomraade,afgoerelsestype,antal\n"
            f"2022,4,{value},sygedagpenge,stadfaestet,12\n",
            encoding="utf-8",
        )
    else:  # pragma: no cover - a manifest typo
        raise AssertionError(f"unknown target {target}")
    return path, planted


def _digits(planted: str) -> str:
    match = re.search(r"\d{10}", fold(planted))
    assert match is not None, planted
    return match.group(0)


def _texts_of_database(path: Path) -> list[str]:
    texts: list[str] = []
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        for schema, table in tables:
            for row in con.execute(f'select * from "{schema}"."{table}"').fetchall():
                texts.extend(str(v) for v in row if v is not None)
    return texts


def _everything_kept(home: Home, summaries: list[str]) -> list[str]:
    texts = list(summaries)
    texts += _texts_of_database(home.warehouse)
    if home.published.exists():
        texts += _texts_of_database(home.published)
    for folder in (home.quarantine_dir, home.logs_dir):
        if folder.exists():
            for p in folder.rglob("*"):
                if p.is_file():
                    texts.append(p.name)
                    texts.append(p.read_bytes().decode("utf-8", errors="replace"))
    return texts


def _person_id(cpr10: str) -> str:
    return hmac.new(KEY.encode(), cpr10.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_hostile_case(case: dict[str, str], home: Path, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    path, planted = _make_input(case, folder, home)
    h = Home(home)
    # Links and FIFOs are found in a folder (never followed); the others named directly.
    [result] = ingest_paths(h, [folder if case["target"] == "special" else path])
    expected = case["expected"]
    if expected == "rejected":
        assert result.status == "rejected", result.summary()
    else:
        assert result.status == "loaded", result.summary()
    if expected in ("quarantine", "load", "ignored"):
        with duckdb.connect(str(h.warehouse), read_only=True) as con:
            n_quarantined = con.execute("select count(*) from audit.quarantine").fetchone()[0]
        assert n_quarantined == (1 if expected == "quarantine" else 0), result.summary()
    if expected == "ignored":
        assert len(result.ignored_columns) == 1
    if case["target"] == "cpr" and expected == "load":
        with duckdb.connect(str(h.warehouse), read_only=True) as con:
            ids = con.execute(
                "select person_id from raw.sygedagpengesager where sags_id = 'S1'"
            ).fetchone()
        assert ids == (_person_id("0303037750"),)
    # The printed line is safe for a terminal: no control characters.
    assert not any(unicodedata.category(ch) == "Cc" for ch in result.summary())
    if path.is_symlink():
        assert not any("secret-key" in t for t in _everything_kept(h, [result.summary()])), (
            "the link's target was copied"
        )
    publish(h, build_id="hostile", n_tests_passed=0)
    if planted is not None:
        digits = _digits(planted)
        leaks = [t for t in _everything_kept(h, [result.summary()]) if digits in fold(t)]
        assert leaks == []


def test_the_scanner_finds_every_planted_form():
    # Control for the scan above: it does see each planted CPR in its raw form.
    for case in CASES:
        if case["expected"] == "quarantine" and case["target"] == "sags_id":
            assert _digits(case["value"]) in fold(f"x;{case['value']};y")


def test_the_published_quarantine_holds_no_birth_date_beside_person_id(home: Path, tmp_path: Path):
    # A valid CPR on a row quarantined for another reason (visitationskategori 9).
    row = "S1;100187-1234;851;01-02-2019;05-02-2019;9;J;J;psykisk;N;;;"
    path = _syg_file(tmp_path, [_row("S0"), row])
    h = Home(home)
    [result] = ingest_paths(h, [path])
    assert result.rows_quarantined == 1
    publish(h, build_id="hostile", n_tests_passed=0)
    with duckdb.connect(str(h.published), read_only=True) as con:
        masked_row, reason = con.execute(
            "select masked_row, reason from audit.quarantine"
        ).fetchone()
    assert _person_id("1001871234") in masked_row  # the row is still traceable
    assert "100187" not in masked_row and "100187" not in reason
    # Not even the masked CPR field is published beside person_id; the other fields are.
    published = json.loads(masked_row)
    assert "cpr" not in published and "*" not in masked_row
    assert published["visitationskategori"] == "9" and published["sags_id"] == "S1"
    with duckdb.connect(str(h.warehouse), read_only=True) as con:
        kept = json.loads(con.execute("select masked_row from audit.quarantine").fetchone()[0])
    assert kept["cpr"] == "******-****"  # the warehouse keeps the row as ingest wrote it
    assert {k: v for k, v in kept.items() if k != "cpr"} == published
