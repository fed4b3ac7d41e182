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

import functools
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
# by the row rule. Its Great Expectations twin, which sees the text as it came, is
# generated from it: ``cpr_in_raw_text()``.
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


# --- the same rule on text as it came (for Great Expectations) -----------------------------
#
# GX runs the regex on the field as read, without NFKC. ``cpr_in_raw_text()`` is
# ``CPR_IN_TEXT`` rewritten so that it matches a raw value exactly when ``CPR_IN_TEXT``
# matches its NFKC form, for every character that NFKC maps to one character (full-width
# and mathematical digits, superscripts, en/em spaces, small and full-width separators):
# each character class (and literal digit) of the pattern gains every character whose NFKC
# form is one of its members, a member NFKC changes (``０``) is left to its NFKC form, and
# the digit bounds become "a character whose NFKC form does not start/end with a digit".
# Characters that NFKC expands to several (``⒈`` → ``1.``) are not followed inside a token.


def _nfkc_changed() -> dict[str, str]:
    """Every character that NFKC changes, with its NFKC form."""
    changed = {}
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        form = unicodedata.normalize("NFKC", char)
        if form != char:
            changed[char] = form
    return changed


def _as_class(chars: set[str], negated: bool = False) -> str:
    """A regex character class of ``chars`` (as ranges), for Python's ``re``."""
    codes = sorted(ord(c) for c in chars)
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))

    def one(code: int) -> str:
        return re.escape(chr(code)) if chr(code) in "\\]^-[" else chr(code)

    body = "".join(one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in ranges)
    return f"[{'^' if negated else ''}{body}]"


def _widen(members: set[str], changed: dict[str, str]) -> set[str]:
    """The raw characters whose NFKC form is one character of ``members``."""
    kept = {c for c in members if c not in changed}
    return kept | {c for c, form in changed.items() if form in kept}


def _class_members(body: str) -> set[str]:
    """The characters of a class body such as ``0-9`` or ``\\-\u2010-\u2015/.``."""
    chars: list[tuple[str, bool]] = []  # (char, escaped)
    i = 0
    while i < len(body):
        if body[i] == "\\":
            chars.append((body[i + 1], True))
            i += 2
        else:
            chars.append((body[i], False))
            i += 1
    members: set[str] = set()
    j = 0
    while j < len(chars):
        if j + 2 < len(chars) and chars[j + 1] == ("-", False):
            members |= {chr(c) for c in range(ord(chars[j][0]), ord(chars[j + 2][0]) + 1)}
            j += 3
        else:
            members.add(chars[j][0])
            j += 1
    return members


def _all_digits() -> set[str]:
    return {
        chr(c)
        for c in range(sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) == "Nd"
    }


def widen_pattern(pattern: str, changed: dict[str, str], digits: set[str]) -> str:
    """``pattern`` (classes, literal digits, ``\\d``, groups and quantifiers only) rewritten to
    match raw text whose NFKC form it matches, character by character."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "[":
            end = i + 1
            while pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            body = pattern[i + 1 : end]
            if body.startswith("^"):
                raise ValueError(f"negated class not supported: [{body}]")
            out.append(_as_class(_widen(_class_members(body), changed)))
            i = end + 1
        elif char == "{":
            end = pattern.index("}", i)
            out.append(pattern[i : end + 1])
            i = end + 1
        elif char == "\\":
            escaped = pattern[i + 1]
            if escaped == "d":
                out.append(_as_class(_widen(digits, changed)))
            elif escaped.isalnum():
                raise ValueError(f"escape not supported: \\{escaped}")
            else:
                out.append(_as_class(_widen({escaped}, changed)))
            i += 2
        elif char == "(" and pattern.startswith("(?:", i):
            out.append("(?:")
            i += 3
        elif char in "()|?*+^$":
            out.append(char)
            i += 1
        else:
            out.append(_as_class(_widen({char}, changed)))
            i += 1
    return "".join(out)


@functools.cache
def cpr_in_raw_text() -> str:
    """``CPR_IN_TEXT`` for text as it came (not NFKC-normalised): the regex of the Great
    Expectations copy of the rule. Built on first use (~2 s: every code point's NFKC)."""
    changed = _nfkc_changed()
    digits = _all_digits()
    token = widen_pattern(CPR_TOKEN, changed, digits)
    # A bound is a character whose NFKC form does not end (before) / start (after) with
    # a digit.
    ends_digit = {c for c in digits if c not in changed}
    ends_digit |= {c for c, form in changed.items() if form[-1] in digits}
    starts_digit = {c for c in digits if c not in changed}
    starts_digit |= {c for c, form in changed.items() if form[0] in digits}
    before = _as_class(ends_digit, negated=True)
    after = _as_class(starts_digit, negated=True)
    return rf"(?:^|{before}){token}(?:{after}|$)"
