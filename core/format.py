"""Danish (and English) number and date formatting for tables shown to users.

Danish conventions (Retskrivningsordbogen / Danmarks Statistik):

* thousands separator ``.`` and decimal comma: ``1.234,5``;
* a space before the percent sign: ``18,6 %``;
* amounts in kroner with the unit after: ``1.140 kr.``;
* dates as ``dd.mm.yyyy``; quarters as ``2019K1`` (Danmarks Statistik's notation).

English (``lang="en"``) uses ``1,234.5``, ``18.6%``, ``DKK 1,140``, ISO dates and ``2019Q1``.
Missing values (``None``/NaN) format as the empty string.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

Lang = Literal["da", "en"]

MISSING = ""


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, float) and math.isnan(value)


def _group(value: float, decimals: int, lang: Lang) -> str:
    """``value`` rounded half away from zero with grouped thousands in ``lang``'s notation;
    an unbounded value (an interval end no data can bound) as ``∞`` / ``-∞``."""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    scaled = abs(value) * 10**decimals
    # Round half away from zero (as published tables do), robust to binary representation.
    rounded = math.floor(scaled + 0.5 + 1e-9)
    integer_part, fraction_part = divmod(rounded, 10**decimals) if decimals else (rounded, 0)
    grouped = f"{int(integer_part):,}"
    thousands, decimal = (".", ",") if lang == "da" else (",", ".")
    grouped = grouped.replace(",", thousands)
    text = grouped if decimals == 0 else f"{grouped}{decimal}{int(fraction_part):0{decimals}d}"
    negative = value < 0 and rounded != 0
    return f"-{text}" if negative else text


def fmt_int(value: float | None, lang: Lang = "da") -> str:
    """An integer with grouped thousands: ``fmt_int(1234) == "1.234"``."""
    if _is_missing(value):
        return MISSING
    return _group(float(value), 0, lang)


def fmt_num(value: float | None, decimals: int = 1, lang: Lang = "da") -> str:
    """A decimal number: ``fmt_num(1234.56) == "1.234,6"``."""
    if _is_missing(value):
        return MISSING
    return _group(float(value), decimals, lang)


def fmt_kr(value: float | None, decimals: int = 0, lang: Lang = "da") -> str:
    """An amount in kroner: ``fmt_kr(1140) == "1.140 kr."``,
    ``fmt_kr(1140.5, 2) == "1.140,50 kr."``."""
    if _is_missing(value):
        return MISSING
    number = _group(float(value), decimals, lang)
    return f"{number} kr." if lang == "da" else f"DKK {number}"


def fmt_pct(
    value: float | None, decimals: int = 1, lang: Lang = "da", *, fraction: bool = True
) -> str:
    """A percentage. ``value`` is a fraction 0–1 by default (``andel_*``): ``fmt_pct(0.186) ==
    "18,6 %"``; pass ``fraction=False`` for values already in percent (``omgoerelsesprocent``)."""
    if _is_missing(value):
        return MISSING
    percent = float(value) * 100 if fraction else float(value)
    number = _group(percent, decimals, lang)
    return f"{number} %" if lang == "da" else f"{number}%"


def fmt_date(value: dt.date | dt.datetime | None, lang: Lang = "da") -> str:
    """A date: ``fmt_date(date(2019, 3, 31)) == "31.03.2019"`` (``"2019-03-31"`` in English)."""
    if value is None:
        return MISSING
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.strftime("%d.%m.%Y") if lang == "da" else value.isoformat()


def fmt_kvartal(value: dt.date | None, lang: Lang = "da") -> str:
    """The quarter containing ``value``: ``fmt_kvartal(date(2019, 4, 1)) == "2019K2"``."""
    if value is None:
        return MISSING
    quarter = (value.month - 1) // 3 + 1
    return f"{value.year}{'K' if lang == 'da' else 'Q'}{quarter}"


def fmt_kommune(kode: object, navne: dict[int, str]) -> str:
    """A municipality as the pages and the report name it: ``Læsø (825)``; the code alone
    when ``navne`` (kommunekode → kommunenavn) does not know it."""
    try:
        navn = navne.get(int(kode))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        navn = None
    return f"{navn} ({kode})" if navn else str(kode)
