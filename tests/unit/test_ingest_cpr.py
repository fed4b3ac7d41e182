"""CPR numbers outside the cpr column: the free-text rule and masking text and bytes."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import polars as pl
import pytest

from ingest.cpr import (
    CPR_IN_TEXT,
    contains_cpr,
    has_cpr_text,
    mask_cpr_bytes,
    mask_cpr_expr,
    mask_cpr_text,
)
from ingest.filenames import parse_file_name
from ingest.load import load_reference
from ingest.prepare import prepare, validation_frame
from ingest.schema import SOURCES
from ingest.validate import FileContext, polars_failures, run_gx_suite

CASES = [
    ("0101801234", True),  # bare, 1 January 1980
    ("010180-1234", True),  # dashed
    ("320180-1234", True),  # dashed counts whatever the date
    ("3201801234", False),  # day 32
    ("3104801234", False),  # 31 April
    ("3103801234", True),  # 31 March
    ("2902041234", True),  # 29 February in a leap year
    ("2902011234", False),  # 29 February 2001 (or 1901): no such day
    ("2902001234", True),  # 29 February 2000
    ("0113801234", False),  # month 13
    ("S-0101801234", True),  # inside other text, bounded by non-digits
    ("sag 010180-1234/2", True),
    ("00101801234", False),  # eleven digits: not a CPR token
    ("01018012345", False),
    ("SD851-000123", False),  # the generator's case ids
    ("1234567890", False),  # month 34
    (None, None),
]


def test_cpr_tokens_in_free_text():
    values = [v for v, _ in CASES]
    got = pl.DataFrame({"v": values}, schema={"v": pl.String}).select(
        contains_cpr(pl.col("v")).alias("v")
    )
    assert got["v"].to_list() == [expected for _, expected in CASES]


def test_masking_text_and_names():
    assert mask_cpr_text("a 0101801234 b 020280-2345 c 3201801234") == (
        "a ******-**** b ******-**** c 3201801234"
    )
    assert mask_cpr_text("kol_0101801234") == "kol_******-****"


def test_quarantine_text_masks_any_ten_digit_run_even_when_adjacent():
    values = ["0101801234;0202801234;0303801234", '{"s":"X3201801234"}', "12345678901"]
    got = pl.DataFrame({"v": values}).select(mask_cpr_expr(pl.col("v")).alias("v"))["v"]
    assert got.to_list() == [
        "******-****;******-****;******-****",
        '{"s":"X******-****"}',
        "12345678901",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_bytes_are_masked_in_every_supported_encoding_and_nothing_else_changes(encoding):
    text = (
        "sags_id;cpr;bemærkning\r\n"
        "Ø1;010180-1234;født 0101801234 på Ærø\r\n"
        "Å2;3201801234;konto 123456789012, tlf 12345678\r\n"
        "æ3;0202801234;2019-03-04\r\n"
    )
    expected = (
        "sags_id;cpr;bemærkning\r\n"
        "Ø1;******-****;født ******-**** på Ærø\r\n"
        "Å2;3201801234;konto 123456789012, tlf 12345678\r\n"
        "æ3;******-****;2019-03-04\r\n"
    )
    assert mask_cpr_bytes(text.encode(encoding)) == expected.encode(encoding)


def _prepared(lines: list[str]):
    name = parse_file_name("ankesager_0851_2019-12-31.csv")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return prepare(data, name, b"k", load_reference())


def test_a_bare_cpr_as_case_id_is_quarantined_without_quoting_it():
    header = "anke_id;kommunekode;sags_id;lovomraade;modtaget_dato;afgoerelse_dato;afgoerelsestype"
    prepared = _prepared(
        [
            header,
            "A1;851;0101801234;sygedagpenge;2019-01-05;;stadfaestet",
            "A2;851;3201801234;sygedagpenge;2019-01-05;;stadfaestet",  # not a date: loads
            "A3;851;S-2902041234;sygedagpenge;2019-01-05;;stadfaestet",
        ]
    )
    assert prepared.raw["anke_id"].to_list() == ["A2"]
    assert prepared.raw["sags_id"].to_list() == ["3201801234"]
    q = prepared.quarantine
    assert q["source_row_number"].to_list() == [1, 3]
    assert q["rules"].to_list() == [["invalid_value"], ["invalid_value"]]
    assert q["reason"].to_list() == ["'sags_id' ligner et CPR-nummer og indlæses ikke"] * 2
    rows = [json.loads(r) for r in q["masked_row"]]
    assert [r["sags_id"] for r in rows] == ["******-****", "S-******-****"]
    assert "1234" not in q["masked_row"][0]


def test_great_expectations_state_the_same_free_text_rule():
    source = SOURCES["ankesager"]
    name = parse_file_name("ankesager_0851_2019-12-31.csv")
    header = "anke_id;kommunekode;sags_id;lovomraade;modtaget_dato;afgoerelse_dato;afgoerelsestype"
    rows = [header] + [
        f"A{i};851;{value};sygedagpenge;2019-01-05;;stadfaestet"
        for i, (value, _) in enumerate(CASES[:-1], start=1)
    ]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    frame, _ = validation_frame(data, name, b"k", load_reference())
    ctx = FileContext(851, dt.date(2019, 12, 31))
    by_gx = run_gx_suite(frame, source, ctx)
    expected = {i for i, (_, hit) in enumerate(CASES[:-1], start=1) if hit}
    assert by_gx["cpr_in_text:sags_id"] == expected
    assert polars_failures(frame, source, ctx)["cpr_in_text:sags_id"] == expected


# --- Great Expectations calls ingest's rule: no copy that could miss a form -------------


def _nfkc_preimages(targets: set[str]) -> dict[str, list[str]]:
    """For each target text (one or two characters), every character whose NFKC form is
    that text (found by brute force over all code points, independently of ingest.cpr):
    full-width, mathematical, superscript and circled digits, but also ``⒊`` (3.) and
    ``㉚`` (30), which NFKC expands to two characters."""
    found: dict[str, list[str]] = {t: [] for t in targets}
    for c in range(0x80, 0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        form = unicodedata.normalize("NFKC", chr(c))
        if form in found and form != chr(c):
            found[form].append(chr(c))
    return found


def _ankesager(values: list[str]) -> bytes:
    header = "anke_id;kommunekode;sags_id;lovomraade;modtaget_dato;afgoerelse_dato;afgoerelsestype"
    lines = [f"A{i};851;{v};sygedagpenge;2019-01-05;;stadfaestet" for i, v in enumerate(values, 1)]
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def test_great_expectations_find_every_nfkc_spelling_ingest_finds():
    # Every CPR form, and forms that are no CPR, with each character (and each pair of
    # neighbouring characters) in turn replaced by each character NFKC maps to it.
    bases = ["030303-7750", "030303 7750", "030303/7761", "0303037750", "320180-1234"]
    bases += ["3201801234", "x0303037750y", "12030303775", "030303 - 7750", "030303.7750"]
    pieces = {b[i : i + n] for b in bases for n in (1, 2) for i in range(len(b) - n + 1)}
    preimages = _nfkc_preimages(pieces)
    values = list(bases)
    for base in bases:
        for n in (1, 2):
            for i in range(len(base) - n + 1):
                values += [base[:i] + o + base[i + n :] for o in preimages[base[i : i + n]]]
    values = [v for v in dict.fromkeys(values) if ";" not in v]
    assert len(values) > 900
    source = SOURCES["ankesager"]
    name = parse_file_name("ankesager_0851_2019-12-31.csv")
    frame, _ = validation_frame(_ankesager(values), name, b"k", load_reference())
    ctx = FileContext(851, dt.date(2019, 12, 31))
    by_gx = run_gx_suite(frame, source, ctx)["cpr_in_text:sags_id"]
    by_ingest = polars_failures(frame, source, ctx)["cpr_in_text:sags_id"]
    assert by_gx == by_ingest
    # Both outcomes occur; the circled thirty and the digit-with-full-stop forms are found.
    assert 0 < len(by_gx) < len(values)
    expanded = {i for i, v in enumerate(values, 1) if "\u325a" in v or "\u248a" in v}
    hits = {i for i in expanded if has_cpr_text(values[i - 1])}
    assert hits and hits <= by_gx


def test_great_expectations_flag_the_hostile_corpus_like_ingest():
    from tests.unit.test_ingest_hostile import CASES as HOSTILE

    cases = [c for c in HOSTILE if c["target"] == "sags_id"]
    source = SOURCES["ankesager"]
    name = parse_file_name("ankesager_0851_2019-12-31.csv")
    header = "anke_id;kommunekode;sags_id;lovomraade;modtaget_dato;afgoerelse_dato;afgoerelsestype"
    lines = [
        f"A{i};851;{c['value'].replace(';', ',')};sygedagpenge;2019-01-05;;stadfaestet"
        for i, c in enumerate(cases, start=1)
    ]
    data = ("\n".join([header, *lines]) + "\n").encode("utf-8")
    frame, _ = validation_frame(data, name, b"k", load_reference())
    ctx = FileContext(851, dt.date(2019, 12, 31))
    expected = {i for i, c in enumerate(cases, start=1) if c["expected"] == "quarantine"}
    assert len(expected) >= 20
    assert run_gx_suite(frame, source, ctx)["cpr_in_text:sags_id"] == expected
    assert polars_failures(frame, source, ctx)["cpr_in_text:sags_id"] == expected
    # The forms that only show after NFKC are among them.
    nfkc_only = {
        i
        for i, c in enumerate(cases, start=1)
        if c["expected"] == "quarantine" and not re.search(CPR_IN_TEXT, c["value"])
    }
    assert len(nfkc_only) >= 4


def test_a_dashed_token_is_masked_whatever_its_date():
    # 32.13.99 is no date, but six digits, a dash and four digits is a CPR in all but name.
    for text in ("sag 991399-1234 afvist", "ref 321399–5678.", "000000-0000"):
        assert has_cpr_text(text), text
        assert "******-****" in mask_cpr_text(text), text
        assert not any(ch.isdigit() for ch in mask_cpr_text(text).replace("******-****", ""))
    assert mask_cpr_text("sag 991399-1234 afvist") == "sag ******-**** afvist"
    # Without the dash an invalid date is left alone (false positives are limited).
    assert mask_cpr_text("konto 9913991234") == "konto 9913991234"
