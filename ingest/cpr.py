"""What counts as a CPR number outside the ``cpr`` column, and masking it in text and bytes.

A CPR number is ``ddmmyy-ssss`` or, without the dash, ``ddmmyyssss``; people write it in
many other ways, and every one of them counts. Text is read NFKC-normalised (full-width
digits and separators become their plain forms), and a *CPR token* is, bounded by
non-digits (any script) so that longer digit runs (a 12-digit account number) do not
match:

- six digits, a dash (``-``, hyphen, en-dash, em-dash, minus sign, full-width or small
  hyphen; optionally with a space either side) and four digits, whatever the six digits
  (the dash makes it a CPR in all but name, and an invalid date does not make it less
  personal);
- six digits that are a real date ``ddmmyy`` (day 01–31 as the month allows, 29 February
  only when ``yy`` is divisible by four), then up to three separators (space of any
  width, dash, slash, dot) or none, then four digits: ``030303 7750``, ``030303/7761``,
  ``030303.7757``, ``0303037750``. Ten digits that cannot be a birth date are left alone
  to limit false positives (about 1 in 27 random ten-digit numbers still looks like one);
- the same shape written in another script's digits (Arabic-Indic, Devanagari, …; the
  first digit not ASCII), whatever the date.

The same patterns drive the row rule (``ingest.validate``), the masking of quarantine
text, file and column names, and the masking of rejected-file copies. A masked token is
``******-****``: not even the birth date is kept.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import polars as pl

# Six digits that are a real day, month and two-digit year (no lookarounds: the same
# text is used by polars' regex engine, Python's ``re`` and Great Expectations).
DATE_PART = (
    r"(?:(?:0[1-9]|1[0-9]|2[0-8])(?:0[1-9]|1[0-2])[0-9]{2}"
    r"|(?:29|30)(?:0[13-9]|1[0-2])[0-9]{2}"
    r"|31(?:0[13578]|1[02])[0-9]{2}"
    r"|2902(?:[02468][048]|[13579][26]))"
)
MASK = "******-****"

# Character classes (the characters themselves, so both regex engines read them alike).
_SPACES = " \t\u00a0\u2007\u2009\u202f\u3000"
_DASHES = r"\-" + "\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
_OTHER_SEPARATORS = "/.\u2044\u2215\uff0e\uff0f"
SEPARATOR_CLASS = f"[{_SPACES}{_DASHES}{_OTHER_SEPARATORS}]"


def _non_ascii_digit_class() -> str:
    """A character class of every Unicode decimal digit outside ``0-9``, as ranges."""
    codes = [
        c
        for c in range(0x80, sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Nd" and unicodedata.digit(chr(c), None) is not None
    ]
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]"


NON_ASCII_DIGIT = _non_ascii_digit_class()
_SPACE = f"[{_SPACES}]"
CPR_TOKEN = (
    rf"(?:[0-9]{{6}}{_SPACE}?[{_DASHES}]{_SPACE}?[0-9]{{4}}"
    rf"|{DATE_PART}{SEPARATOR_CLASS}{{0,3}}[0-9]{{4}}"
    rf"|{NON_ASCII_DIGIT}\d{{5}}{SEPARATOR_CLASS}{{0,3}}\d{{4}})"
)
# A value containing a CPR token (digit-bounded), matched on NFKC-normalised text; used
# by the row rule, which Great Expectations calls too (``values_with_cpr``).
CPR_IN_TEXT = rf"(?:^|\D){CPR_TOKEN}(?:\D|$)"
# Quarantine text (reasons, masked rows) is masked more broadly: any digit-bounded run of
# six and four digits (any script) with up to three separators between, valid date or not.
_ANY_TEN = rf"(^|\D)(\d{{6}}{SEPARATOR_CLASS}{{0,3}}\d{{4}})(\D|$)"

_TOKEN_TEXT = re.compile(rf"(?<!\d){CPR_TOKEN}(?!\d)")


def nfkc(text: str) -> str:
    """The NFKC form of ``text`` (full-width digits and separators as plain ones)."""
    return unicodedata.normalize("NFKC", text)


def has_cpr_text(text: str) -> bool:
    """True if the string (e.g. a file or column name) holds a CPR token in any form."""
    return _TOKEN_TEXT.search(text) is not None or _TOKEN_TEXT.search(nfkc(text)) is not None


def mask_cpr_text(text: str) -> str:
    """Every CPR token in ``text`` replaced by ``******-****``; other characters unchanged.

    When a token only shows after NFKC normalisation (e.g. superscript digits), the
    normalised text is returned masked.
    """
    masked = _TOKEN_TEXT.sub(MASK, text)
    if _TOKEN_TEXT.search(nfkc(masked)) is not None:
        masked = _TOKEN_TEXT.sub(MASK, nfkc(masked))
    return masked


_ASCII_BYTES = re.compile(rb"(?<![0-9])[0-9]{6}[-./ ]{0,3}[0-9]{4}(?![0-9])")


def mask_cpr_bytes(data: bytes) -> bytes:
    """Every CPR token in ``data`` masked; all other bytes unchanged.

    The bytes are decoded (UTF-8 with or without BOM, else Windows-1252), masked as text
    and encoded again the same way, which gives back the same bytes wherever nothing was
    masked. Bytes that are neither lose every ASCII run of six and four digits instead.
    """
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        masked = _TOKEN_TEXT.sub(MASK, text)
        if _TOKEN_TEXT.search(nfkc(masked)) is not None:
            masked = _mask_lines_nfkc(masked)
        try:
            return masked.encode(encoding)
        except UnicodeEncodeError:
            continue
    return _ASCII_BYTES.sub(MASK.encode("ascii"), data)


def _mask_lines_nfkc(text: str) -> str:
    """Mask tokens that only show after NFKC, normalising only the lines that hold one."""
    lines = text.splitlines(keepends=True)
    return "".join(
        _TOKEN_TEXT.sub(MASK, nfkc(line)) if _TOKEN_TEXT.search(nfkc(line)) else line
        for line in lines
    )


def _nfkc_series(values: pl.Series) -> pl.Series:
    """NFKC of the values holding a non-ASCII character; the others (nearly all, and NFKC
    leaves ASCII as it is) untouched, as normalising every value costs ~6× the regex."""
    needs = values.str.contains(r"[^\x00-\x7f]").fill_null(False)
    if not needs.any():
        return values
    rows = needs.arg_true()
    return values.clone().scatter(rows, values.gather(rows).str.normalize("NFKC"))


def nfkc_expr(text: pl.Expr) -> pl.Expr:
    """``text`` NFKC-normalised (polars), cheaply (see ``_nfkc_series``)."""
    return text.map_batches(_nfkc_series, return_dtype=pl.String)


def mask_cpr_expr(text: pl.Expr) -> pl.Expr:
    """Every digit-bounded run of six and four digits as ``******-****`` (polars).

    polars' regex engine has no lookarounds, so the bounding characters are matched
    and put back; a token right after a masked one (one separator between them) is
    found by the second pass. Text is NFKC-normalised first.
    """
    normalised = nfkc_expr(text)
    once = normalised.str.replace_all(_ANY_TEN, "${1}" + MASK + "${3}")
    return once.str.replace_all(_ANY_TEN, "${1}" + MASK + "${3}")


def contains_cpr(text: pl.Expr) -> pl.Expr:
    """True where the text value (NFKC-normalised) contains a CPR token (null stays null)."""
    return nfkc_expr(text).str.contains(CPR_IN_TEXT)


def values_with_cpr(values: list[str | None]) -> list[bool]:
    """For each value, whether it holds a CPR token (the row rule, ``contains_cpr``, on plain
    Python values; ``None`` holds none). Great Expectations' CPR expectation calls this, so
    the rule is stated once (``ingest.gx_cpr``)."""
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return frame.select(contains_cpr(pl.col("v")).fill_null(False))["v"].to_list()
