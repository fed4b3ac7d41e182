"""Monthly full snapshots: earlier ones show cases as they were; the latest corrects some
rows and lacks a few cases; Ankestyrelsen's later publication restates past quarters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from synthetic import generate

FIRST, LATEST = "2022-10-31", "2022-12-31"


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("snapshots")
    return out, generate(out, scale="small", seed=21, mess=False)


def snapshot(out: Path, source: str, extract: str) -> pl.DataFrame:
    return pl.concat(
        [pl.read_csv(p, infer_schema=False) for p in sorted(out.glob(f"{source}_*_{extract}.csv"))]
    )


def test_three_month_end_snapshots_per_municipality_and_source(run):
    out, truth = run
    assert truth["snapshots"] == ["2022-10-31", "2022-11-30", "2022-12-31"]
    n_kommuner = len(truth["municipalities"]["trial"]) + len(truth["municipalities"]["control"])
    assert n_kommuner == 17
    for source in ("sygedagpengesager", "helbredsdokumentation", "rehabiliteringssager"):
        for extract in truth["snapshots"]:
            assert len(list(out.glob(f"{source}_*_{extract}.csv"))) == n_kommuner
    # Case-by-case appeals only for the 11 trial municipalities.
    assert len(list(out.glob(f"ankesager_*_{LATEST}.csv"))) == 11


def test_earlier_snapshot_shows_cases_as_they_were(run):
    out, _ = run
    first, latest = (
        snapshot(out, "sygedagpengesager", FIRST),
        snapshot(out, "sygedagpengesager", LATEST),
    )
    first = first.with_columns(pl.col("anmeldt_dato").str.to_date())
    assert first["anmeldt_dato"].max() <= date(2022, 10, 31)
    for col in ("foerste_opfoelgning_dato", "afsluttet_dato"):
        assert first[col].drop_nulls().str.to_date().max() <= date(2022, 10, 31)
    new_cases = latest.join(first, on=["kommunekode", "sags_id"], how="anti")
    assert new_cases.height > 50
    assert new_cases["anmeldt_dato"].str.to_date().min() > date(2022, 10, 31)
    # Open on 31 October, closed by 31 December: the latest extract fills the end date.
    both = first.join(latest, on=["kommunekode", "sags_id"], suffix="_latest")
    closed_later = both.filter(
        pl.col("afsluttet_dato").is_null() & pl.col("afsluttet_dato_latest").is_not_null()
    )
    assert closed_later.height > 20
    assert closed_later["afslutningsaarsag"].null_count() == closed_later.height
    assert closed_later["afslutningsaarsag_latest"].null_count() == 0


def test_corrections_and_disappearing_cases_match_the_files(run):
    out, truth = run
    first, latest = (
        snapshot(out, "sygedagpengesager", FIRST),
        snapshot(out, "sygedagpengesager", LATEST),
    )
    corrections = truth["expected"]["corrections"]
    assert {c["column"] for c in corrections} == {"diagnosegruppe", "afsluttet_dato"}
    for c in corrections:
        before = first.filter(pl.col("sags_id") == c["key"])
        after = latest.filter(pl.col("sags_id") == c["key"])
        if after.height == 0:  # corrected case that later disappeared too
            continue
        assert before[c["column"]].item() == c["tidligere"] != after[c["column"]].item()
        assert after[c["column"]].item() == c["seneste"]
    missing = truth["expected"]["missing_from_latest"]
    assert {m["source"] for m in missing} == {"sygedagpengesager", "rehabiliteringssager"}
    for source in ("sygedagpengesager", "rehabiliteringssager"):
        keys = [m["key"] for m in missing if m["source"] == source]
        frame_first = snapshot(out, source, FIRST)
        frame_latest = snapshot(out, source, LATEST)
        assert frame_first.filter(pl.col("sags_id").is_in(keys)).height == len(keys)
        assert frame_latest.filter(pl.col("sags_id").is_in(keys)).height == 0
    docs_latest = snapshot(out, "helbredsdokumentation", LATEST)
    gone = {m["key"] for m in missing}
    assert docs_latest.filter(pl.col("sags_id").is_in(gone)).height == 0


def test_ankestatistik_publications_and_restatements(run):
    out, truth = run
    early = pl.read_csv(out / "ankestatistik_2021-03-31.csv")
    late = pl.read_csv(out / "ankestatistik_2023-03-31.csv")
    assert (early["aar"] * 10 + early["kvartal"]).max() == 20204
    assert (late["aar"] * 10 + late["kvartal"]).min() == 20151
    assert (late["aar"] * 10 + late["kvartal"]).max() == 20224
    # All municipalities of the run, by name (no codes in Ankestyrelsen's table).
    assert late["kommune"].n_unique() == 17
    names = truth["expected"]["ankestatistik"]["names"]
    for pub, frame in (("2021-03-31", early), ("2023-03-31", late)):
        assert set(frame["kommune"]) == set(names[pub].values())
    # Restated cells: the earlier file held antal_foer (absent when 0), the later antal_efter.
    restated = truth["expected"]["ankestatistik"]["restatements"]
    assert len(restated) > 20
    code_to_name = {pub: {int(k): v for k, v in mapping.items()} for pub, mapping in names.items()}
    key = ["aar", "kvartal", "kommune", "lovomraade", "afgoerelsestype"]
    for r in restated[:200]:
        where = {
            "aar": r["aar"],
            "kvartal": r["kvartal"],
            "lovomraade": r["lovomraade"],
            "afgoerelsestype": r["afgoerelsestype"],
        }
        before = early.filter(**where, kommune=code_to_name["2021-03-31"][r["kommunekode"]])
        after = late.filter(**where, kommune=code_to_name["2023-03-31"][r["kommunekode"]])
        assert after["antal"].item() == r["antal_efter"]
        assert (before["antal"].item() if before.height else 0) == r["antal_foer"]
    assert not late.select(key).is_duplicated().any()
    # National omgørelsesprocent about 30 % (facts.md: 32.5 % in 2019).
    omg = late.filter(pl.col("afgoerelsestype").is_in(["aendret", "ophaevet", "hjemvist"]))
    real = late.filter(pl.col("afgoerelsestype") != "afvist").filter(
        pl.col("afgoerelsestype") != "bortfaldet"
    )
    assert 26 < 100 * omg["antal"].sum() / real["antal"].sum() < 34
