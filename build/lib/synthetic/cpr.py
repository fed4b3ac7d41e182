"""Synthetic CPR numbers that look real but are never a real person's number.

Format ``ddmmyy-ssss`` with a valid birth date and a 7th digit that matches the birth
century (0-3 for 1900-1999, 5-8 for 2000-2057), so they pass shape and date checks.

Why no real person can have one of these numbers, by construction:

1. Every number *fails* the modulus-11 check (weights 4,3,2,7,6,5,4,3,2,1). The CPR office
   issued only modulus-11 numbers until 2007; since then numbers without modulus 11 are
   issued only for birth dates whose modulus-11 series ran out, all of them the 1st of
   January (CPR-kontoret's list: 1 Jan 1960, 1964, 1965, 1966, 1969, 1970, 1980, 1982,
   1984-1992).
2. No generated birth date is ever the 1st of a month, so those exhausted dates (and any
   similar later additions on a 1st) are never used.

Numbers are unique per synthetic person: within a birth date, persons get consecutive
prefixes (7th digit, 8th-9th digits) and only the last digit is chosen to break modulus 11.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

MOD11_WEIGHTS = np.array([4, 3, 2, 7, 6, 5, 4, 3, 2, 1])
_EPOCH = date(1970, 1, 1).toordinal()


def mod11_sum(digits: np.ndarray) -> np.ndarray:
    """Weighted modulus-11 sum of an (n, 10) array of digits."""
    return (digits * MOD11_WEIGHTS).sum(axis=1) % 11


def birth_dates(rng: np.random.Generator, ref_dates: np.ndarray) -> np.ndarray:
    """Birth dates (days since 1970-01-01) for persons aged 18-66 at ``ref_dates``.

    Ages skew towards 30-60 as among sickness-benefit recipients; never the 1st of a month.
    """
    n = ref_dates.shape[0]
    age_years = rng.normal(44.0, 11.0, n)
    outside = (age_years < 18.2) | (age_years > 66.8)
    age_years = np.where(outside, rng.uniform(18.2, 66.8, n), age_years)
    days = ref_dates - np.round(age_years * 365.25).astype(np.int64)
    dom = pl.Series(days).cast(pl.Date).dt.day().to_numpy()
    return days + np.where(dom == 1, 1, 0)


def make_cpr(rng: np.random.Generator, birth_days: np.ndarray) -> np.ndarray:
    """Unique synthetic CPR strings ``ddmmyy-ssss`` for the given birth dates."""
    n = birth_days.shape[0]
    dates = pl.Series("d", birth_days).cast(pl.Date)
    frame = pl.DataFrame({"d": dates, "i": np.arange(n)})
    frame = frame.with_columns(rank=pl.int_range(pl.len()).over("d"))
    rank = frame.sort("i")["rank"].to_numpy()
    year = dates.dt.year().to_numpy()
    if rank.max(initial=0) >= 400:
        raise ValueError("too many synthetic persons on one birth date")
    # 7th digit: century code; 8th-9th: rank within the birth date.
    century_19 = year < 2000
    # Scramble the prefixes per birth date (bijections on 0-3 and 0-99 for a fixed date).
    shift = birth_days.astype(np.int64)
    block = (rank // 100 + shift) % 4
    seventh = np.where(century_19, block, 5 + block)  # 0-3 for 1900s, 5-8 for 2000s
    middle = (rank % 100 * 37 + shift * 7919) % 100
    last = rng.integers(0, 10, n)
    day = dates.dt.day().to_numpy()
    month = dates.dt.month().to_numpy()
    yy = year % 100
    digits = np.column_stack(
        [
            day // 10,
            day % 10,
            month // 10,
            month % 10,
            yy // 10,
            yy % 10,
            seventh,
            middle // 10,
            middle % 10,
            last,
        ]
    )
    # Break modulus 11 where it holds: changing the last digit by 1 changes the sum by 1.
    valid = mod11_sum(digits) == 0
    digits[:, 9] = np.where(valid, (digits[:, 9] + 1) % 10, digits[:, 9])
    chars = digits.astype(np.uint8) + ord("0")
    dash = np.full((n, 1), ord("-"), dtype=np.uint8)
    table = np.hstack([chars[:, :6], dash, chars[:, 6:]])
    return table.view("S11").ravel().astype(str)


def person_frame(rng: np.random.Generator, ref_days: np.ndarray) -> pl.DataFrame:
    """Persons (person_nr 0..n-1) with a birth date and synthetic CPR, one per ref date."""
    births = birth_dates(rng, ref_days)
    return pl.DataFrame({"person_nr": np.arange(ref_days.shape[0]), "cpr": make_cpr(rng, births)})
