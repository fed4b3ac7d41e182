"""Synthetic CPR numbers: valid-looking, unique, and never a real person's number."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from synthetic.cpr import birth_dates, make_cpr
from synthetic.generator import generate

WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]


def mod11_ok(cpr: str) -> bool:
    digits = [int(c) for c in cpr.replace("-", "")]
    return sum(w * d for w, d in zip(WEIGHTS, digits, strict=True)) % 11 == 0


def century(cpr: str) -> int:
    """Birth year per the CPR office's 7th-digit table."""
    yy, seventh = int(cpr[4:6]), int(cpr[7])
    if seventh <= 3:
        return 1900 + yy
    if seventh in (4, 9):
        return (2000 if yy <= 36 else 1900) + yy
    return (2000 if yy <= 57 else 1800) + yy


def test_known_numbers_by_hand():
    # 070761-4285: 4*0+3*7+2*0+7*7+6*6+5*1+4*4+3*2+2*8+1*5 = 154 = 14 x 11, modulus 11 holds.
    assert mod11_ok("070761-4285")
    assert century("070761-4285") == 1961
    assert century("010105-5001") == 2005


def test_generated_numbers_are_valid_looking_and_never_real():
    rng = np.random.default_rng(1)
    ref = np.full(50_000, (date(2019, 6, 1) - date(1970, 1, 1)).days)
    births = birth_dates(rng, ref)
    cprs = make_cpr(rng, births)
    assert len(set(cprs)) == len(cprs)  # unique per person
    birth_series = pl.Series(births).cast(pl.Date)
    for cpr, born in zip(cprs[:5000], birth_series.to_list()[:5000], strict=True):
        assert len(cpr) == 11 and cpr[6] == "-" and cpr.replace("-", "").isdigit()
        day, month = int(cpr[:2]), int(cpr[2:4])
        assert date(century(cpr), month, day) == born  # valid date, right century digit
        assert day != 1  # exhausted modulus-11 dates (1 January ...) never used
        assert not mod11_ok(cpr)  # never issued for other dates
    ages = [(date(2019, 6, 1) - b).days / 365.25 for b in birth_series.to_list()]
    assert min(ages) >= 18 and max(ages) <= 67


def test_cpr_in_files_and_person_linkage(tmp_path):
    truth = generate(tmp_path, scale="small", seed=2, mess=False)
    sdp = pl.concat(
        [
            pl.read_csv(p, infer_schema=False)
            for p in tmp_path.glob("sygedagpengesager_*_2022-12-31.csv")
        ]
    )
    rehab = pl.concat(
        [
            pl.read_csv(p, infer_schema=False)
            for p in tmp_path.glob("rehabiliteringssager_*_2022-12-31.csv")
        ]
    )
    cprs = pl.concat([sdp["cpr"], rehab["cpr"]]).unique().to_list()
    assert not any(mod11_ok(c) for c in cprs)
    assert all(int(c[:2]) != 1 for c in cprs)
    # The same person has several sickness-benefit cases, and some a rehabilitation case too.
    repeated = sdp.group_by("cpr").len().filter(pl.col("len") > 1).height
    both = sdp.select("cpr").unique().join(rehab.select("cpr").unique(), on="cpr").height
    assert repeated > 50 and both > 50
    persons = truth["expected"]["persons"]
    assert persons["personer_med_sygedagpenge_og_rehab"] >= both
