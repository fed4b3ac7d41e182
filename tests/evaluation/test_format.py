"""Danish number and date formatting (values written out by hand)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.format import fmt_date, fmt_int, fmt_kr, fmt_kvartal, fmt_num, fmt_pct


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234, "1.234"), (0, "0"), (-1234567, "-1.234.567"), (999, "999"), (None, "")],
)
def test_fmt_int(value, expected):
    assert fmt_int(value) == expected


def test_fmt_int_english():
    assert fmt_int(1234567, lang="en") == "1,234,567"


def test_fmt_num_rounds_half_away_from_zero():
    assert fmt_num(1234.56) == "1.234,6"
    assert fmt_num(0.25, 1) == "0,3"
    assert fmt_num(-0.25, 1) == "-0,3"
    assert fmt_num(-0.04, 1) == "0,0"
    assert fmt_num(float("nan")) == ""


def test_fmt_kr():
    assert fmt_kr(1140) == "1.140 kr."
    assert fmt_kr(1140.5, 2) == "1.140,50 kr."
    assert fmt_kr(40_000_000) == "40.000.000 kr."
    assert fmt_kr(1290, lang="en") == "DKK 1,290"


def test_fmt_pct():
    # Ankestyrelsen's worked example: 24 omgjorte of 129 = 18.6 %.
    assert fmt_pct(24 / 129) == "18,6 %"
    assert fmt_pct(32.5, fraction=False) == "32,5 %"
    assert fmt_pct(24 / 129, 0) == "19 %"
    assert fmt_pct(0.186, lang="en") == "18.6%"


def test_fmt_date_and_kvartal():
    assert fmt_date(dt.date(2019, 3, 31)) == "31.03.2019"
    assert fmt_date(dt.datetime(2019, 3, 31, 12, 0)) == "31.03.2019"
    assert fmt_date(dt.date(2019, 3, 31), lang="en") == "2019-03-31"
    assert fmt_kvartal(dt.date(2019, 4, 1)) == "2019K2"
    assert fmt_kvartal(dt.date(2022, 12, 31), lang="en") == "2022Q4"
    assert fmt_date(None) == ""


def test_unbounded_interval_ends_are_written_as_infinity() -> None:
    from core.format import fmt_kr, fmt_num

    assert fmt_num(float("inf"), 3) == "∞"
    assert fmt_num(float("-inf")) == "-∞"
    assert fmt_kr(float("-inf")).startswith("-∞")
