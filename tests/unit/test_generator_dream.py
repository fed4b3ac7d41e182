"""The synthetic DREAM register: consistent with the case files, messy as recorded."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from ingest.pseudonymise import normalised_cpr
from synthetic.dream import REGISTER_START, _plant_effect, simulate_dream, week_index
from synthetic.generator import generate


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("dream_gen")
    truth = generate(out, scale="small", seed=7, dream=True)
    return out, truth


def test_every_case_person_is_in_dream_and_the_files_are_listed(run):
    out, truth = run
    dream = pl.read_parquet(out / "dream_2022-12-31.parquet")
    case_cpr = set()
    for entry in truth["files"]:
        if entry["source"] == "sygedagpengesager" and entry["format"] == "csv":
            frame = pl.read_csv(
                out / entry["file"],
                separator=entry["delimiter"],
                infer_schema=False,
                encoding="utf8-lossy",
            )
            column = next(c for c in frame.columns if c.strip().lower() == "cpr")
            valid = frame.select(normalised_cpr(pl.col(column)).alias("c"))["c"]
            case_cpr |= set(valid.drop_nulls().to_list())
    assert len(case_cpr) > 100
    dream_cpr = set(dream.select(normalised_cpr(pl.col("cpr")).alias("c"))["c"].to_list())
    assert case_cpr <= dream_cpr
    assert dream.height > len(case_cpr)  # persons without a case too
    assert [f["file"] for f in truth["dream"]["files"]] == [
        "dream_2022-06-30.csv",
        "dream_2022-12-31.parquet",
    ]
    assert dream.columns[:3] == ["cpr", "bopaelskommune", "y_1501"]
    assert dream.columns[-1] == "y_2252"


def test_corrupted_rows_are_recorded_exactly(run):
    out, truth = run
    dream = pl.read_parquet(out / "dream_2022-12-31.parquet")
    week_cols = [c for c in dream.columns if c.startswith("y_")]
    long = (
        dream.with_row_index("row", offset=1)
        .unpivot(index="row", on=week_cols)
        .filter(pl.col("value").is_not_null() & ~pl.col("value").is_in(["890", "111", "211"]))
    )
    # Bad values: not three digits, or three digits no seed range covers.
    from ingest.dream import known_codes

    known = {f"{c:03d}" for c in known_codes()}
    bad = long.filter(~pl.col("value").is_in(sorted(known)))
    recorded = {
        (r["source_row_number"], r["column"])
        for r in truth["dream"]["corrupted_rows"]
        if r["file"] == "dream_2022-12-31.parquet"
    }
    assert set(bad.select("row", "variable").rows()) == recorded


def test_sickness_benefit_weeks_while_a_case_is_open():
    rng = np.random.default_rng(1)
    persons = pl.DataFrame({"person_nr": [0, 1], "cpr": ["020280-1235", "030380-1236"]})
    sdp = pl.DataFrame(
        {
            "person_nr": [0, 1],
            "kommunekode": [851, 851],
            "foerste_fravaersdag": [dt.date(2019, 3, 6), dt.date(2020, 1, 1)],
            "anmeldt_dato": [dt.date(2019, 3, 8), dt.date(2020, 1, 3)],
            "afsluttet_dato": [dt.date(2019, 5, 1), dt.date(2020, 6, 30)],
            "afslutningsaarsag": ["foertidspension", "raskmeldt"],
            "er_omfattet": [False, False],
            "i_tema": [False, False],
        }
    )
    rehab = pl.DataFrame(
        {"person_nr": [], "kommunekode": [], "startdato": []},
        schema={"person_nr": pl.Int64, "kommunekode": pl.Int64, "startdato": pl.Date},
    )
    people, matrix, truth = simulate_dream(
        rng, sdp, rehab, persons, {"dream_selvforsoergende_uge_26": 0.0}, dt.date(2022, 12, 31)
    )
    days = np.array([(d - dt.date(1970, 1, 1)).days for d in (dt.date(2019, 3, 4),)])
    w0 = int(week_index(days)[0])
    assert REGISTER_START + dt.timedelta(weeks=w0) == dt.date(2019, 3, 4)
    end = w0 + 8  # 1.5.2019 is in the week of Monday 29.4.2019
    assert (matrix[0, w0 : end + 1] == 890).all()
    assert matrix[0, w0 - 1] == 0
    # Førtidspension after the case, to the register's end.
    assert (matrix[0, end + 1 :] == 781).all()
    assert truth["planted_effect"]["flipped_cases"] == 0
    assert people["bopaelskommune"].to_list()[:2] == [851, 851]


def test_planted_effect_raises_week_26_self_support_by_the_effect_in_expectation():
    rng = np.random.default_rng(3)
    n = 4000
    start = dt.date(2019, 1, 7)
    sdp = pl.DataFrame(
        {
            "person_nr": np.arange(n),
            "foerste_fravaersdag": [start] * n,
            "afsluttet_dato": [start + dt.timedelta(weeks=10)] * n,
            "er_omfattet": [True] * n,
            "i_tema": [True] * n,
        }
    )
    w26 = int(week_index(np.array([(start - dt.date(1970, 1, 1)).days]))[0]) + 26
    matrix = np.zeros((n, w26 + 10), dtype=np.int16)
    matrix[: n // 2, w26 - 5 : w26 + 5] = 111  # half on unemployment benefit in week 26
    truth = _plant_effect(rng, matrix, sdp, {"dream_selvforsoergende_uge_26": 0.05}, 890)
    after = float((matrix[:, w26] == 0).mean())
    assert truth["flip_probability"] == pytest.approx(0.05 * n / (n // 2))
    # 4000 cases: the realised rise is 0.05 ± 3.5 standard errors (sd ≈ 0.0049).
    assert abs(after - 0.5 - 0.05) < 0.017
    assert truth["realised_effect"] == pytest.approx(after - 0.5)
