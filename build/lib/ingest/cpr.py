"""What counts as a CPR number outside the ``cpr`` column, and masking it in text and bytes.

A CPR number is ``ddmmyy-ssss`` or, without the dash, ``ddmmyyssss``. In free text two
shapes count as one (a *CPR token*), each bounded by non-digits so that longer digit
runs (e.g. a 12-digit account number) do not match:

- the dashed form ``dddddd-dddd``, whatever the six digits (the dash makes it a CPR in
  all but name, and an invalid date does not make it less personal);
- the bare form of ten digits whose first six are a real date ``ddmmyy``: day 01–31 as
  the month allows, 29 February only when ``yy`` is divisible by four (as for 1904–1996
  and 2000). Ten digits that cannot be a birth date are left alone to limit false
  positives (about 1 in 27 random ten-digit numbers still looks like one).

The same patterns drive the row rule (``ingest.validate``), the masking of quarantine
text, and the masking of rejected-file copies, which works on the bytes: in UTF-8 (with
or without BOM) and Windows-1252 the digits and ``-`` are single ASCII bytes that occur
inside no multi-byte character, so a byte-level substitution finds exactly the tokens a
decoded read would and leaves every other byte as it was.
"""

from __future__ import annotations

import re

import polars as pl

# Six digits that are a real day, month and two-digit year (no lookarounds: the same
# text is used by polars' regex engine, Python's ``re`` and Great Expectations).
DATE_PART = (
    r"(?:(?:0[1-9]|1[0-9]|2[0-8])(?:0[1-9]|1[0-2])[0-9]{2}"
    r"|(?:29|30)(?:0[13-9]|1[0-2])[0-9]{2}"
    r"|31(?:0[13578]|1[02])[0-9]{2}"
    r"|2902(?:[02468][048]|[13579][26]))"
)
CPR_TOKEN = rf"(?:[0-9]{{6}}-[0-9]{{4}}|{DATE_PART}[0-9]{{4}})"
# A value containing a CPR token (digit-bounded); used by the row rule and its GX twin.
CPR_IN_TEXT = rf"(?:^|[^0-9]){CPR_TOKEN}(?:[^0-9]|$)"
MASK = "-****"

_DASHED_BYTES = re.compile(rb"(?<![0-9])([0-9]{6})-[0-9]{4}(?![0-9])")
_BARE_BYTES = re.compile(rb"(?<![0-9])(" + DATE_PART.encode("ascii") + rb")[0-9]{4}(?![0-9])")
_DASHED_TEXT = re.compile(_DASHED_BYTES.pattern.decode("ascii"), re.ASCII)
_BARE_TEXT = re.compile(_BARE_BYTES.pattern.decode("ascii"), re.ASCII)


def mask_cpr_bytes(data: bytes) -> bytes:
    """Every CPR token in ``data`` replaced by ``ddmmyy-****``; all other bytes unchanged."""
    dashed = _DASHED_BYTES.sub(rb"\1" + MASK.encode("ascii"), data)
    return _BARE_BYTES.sub(rb"\1" + MASK.encode("ascii"), dashed)


def mask_cpr_text(text: str) -> str:
    """``mask_cpr_bytes`` for a Python string (file names, column names)."""
    return _BARE_TEXT.sub(r"\1" + MASK, _DASHED_TEXT.sub(r"\1" + MASK, text))


# Quarantine text (reasons, masked rows) is masked more broadly: any digit-bounded
# ``dddddd-dddd`` or ten-digit run, valid date or not.
_ANY_TEN = r"(^|[^0-9])([0-9]{6})-?[0-9]{4}([^0-9]|$)"


def mask_cpr_expr(text: pl.Expr) -> pl.Expr:
    """Every digit-bounded ``dddddd-dddd`` or ten-digit run as ``dddddd-****`` (polars).

    polars' regex engine has no lookarounds, so the bounding characters are matched
    and put back; a token right after a masked one (one separator between them) is
    found by the second pass.
    """
    once = text.str.replace_all(_ANY_TEN, "${1}${2}" + MASK + "${3}")
    return once.str.replace_all(_ANY_TEN, "${1}${2}" + MASK + "${3}")


def contains_cpr(text: pl.Expr) -> pl.Expr:
    """True where the text value contains a CPR token (null stays null)."""
    return text.str.contains(CPR_IN_TEXT)
