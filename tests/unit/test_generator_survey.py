"""The synthetic survey: the planted effect on positive answers is recovered, citizens'
design weights are N / n per municipality, and only ansøgning 1's themes are surveyed."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from core.vocabulary import temaer
from synthetic import params as P
from synthetic.municipalities import kommune_frame, load_reference, theme_windows
from synthetic.survey import RESPONDENTER, SURVEY_POSITIV_ANDEL, simulate_survey


@pytest.fixture(scope="module")
def answers() -> pl.DataFrame:
    ref = load_reference()
    kommuner = ref.kommuner.filter(pl.col("region").is_in(["Nordjylland", "Midtjylland"]))
    koder = kommuner["kommunekode"].to_list()
    kom = kommune_frame(ref, koder, np.random.default_rng(0))
    effects = P.resolve_effects({"survey_positiv_effekt": 0.15})
    return simulate_survey(np.random.default_rng(1), kom, theme_windows(ref, koder), effects)


def test_planted_effect_on_citizens_is_recovered(answers):
    borgere = answers.filter((pl.col("respondenttype") == "borger") & pl.col("svar").is_not_null())
    share = dict(
        borgere.group_by("i_tema").agg((pl.col("svar") >= 4).mean().alias("andel")).iter_rows()
    )
    n_in = borgere.filter("i_tema").height
    se = np.sqrt(0.7 * 0.3 / n_in + 0.55 * 0.45 / (borgere.height - n_in))
    assert share[False] == pytest.approx(SURVEY_POSITIV_ANDEL["borger"], abs=3 * se)
    assert share[True] - share[False] == pytest.approx(0.15, abs=4 * se)


def test_citizen_weights_are_population_over_sample(answers):
    ref = load_reference().kommuner.select("kommunekode", "indbyggere")
    vaegte = (
        answers.filter(pl.col("respondenttype") == "borger")
        .group_by("kommunekode")
        .agg(pl.col("vaegt").unique())
        .join(ref, on="kommunekode")
    )
    for _kode, vaegt, indbyggere in vaegte.iter_rows():
        assert vaegt == [round(max(20, indbyggere // 100) / RESPONDENTER["borger"], 2)]
    staff = answers.filter(pl.col("respondenttype") != "borger")["vaegt"].unique().to_list()
    assert staff == [1.0]


def test_only_the_themes_of_ansoegning_1_are_surveyed(answers):
    expected = sorted(t.tema for t in temaer() if t.ansoegning == 1)
    assert sorted(answers["tema"].unique().to_list()) == expected


@pytest.fixture(scope="module")
def messy_run(tmp_path_factory):
    from synthetic import generate

    out = tmp_path_factory.mktemp("survey_mess")
    return out, generate(out, scale="small", seed=5)


def test_survey_files_carry_the_same_mess_as_the_other_sources(messy_run):
    _, truth = messy_run
    files = [f for f in truth["files"] if f["source"] == "survey"]
    styles = {
        (f["format"], f["encoding"], f["delimiter"], f["style"]["header_style"]) for f in files
    }
    assert len(files) == len(truth["municipalities"]["trial"] + truth["municipalities"]["control"])
    assert {f["format"] for f in files} <= {"csv", "xlsx"}  # contract §1.9: no Parquet
    assert len(styles) > 3
    bad = [c for c in truth["corrupted_rows"] if c["file"].startswith("survey_")]
    # About KORRUPT_ANDEL of the answers are bad, each with one rule; a duplicated answer id
    # is recorded on both rows.
    answers = sum(f["rows"] for f in files)
    assert 0.002 * answers < len(bad) < 0.012 * answers
    assert len({c["rule"] for c in bad}) >= 4


def test_bad_survey_rows_are_quarantined_with_the_generators_rule(messy_run, home, tmp_path):
    import duckdb

    from core.paths import Home
    from ingest.load import ingest_paths

    out, truth = messy_run
    files = [out / f["file"] for f in truth["files"] if f["source"] == "survey"]
    results = ingest_paths(Home(home), files)
    assert {r.status for r in results} == {"loaded"}
    expected = {
        (c["file"], c["source_row_number"], c["rule"])
        for c in truth["corrupted_rows"]
        if c["file"].startswith("survey_")
    }
    with duckdb.connect(str(Home(home).warehouse), read_only=True) as con:
        got = con.execute(
            "select source_file, source_row_number, unnest(rules) from audit.quarantine"
        ).fetchall()
        reasons = con.execute("select rules[1], reason from audit.quarantine").fetchall()
        loaded = con.execute("select count(*) from raw.survey").fetchall()[0][0]
    assert set(got) == expected
    # Each rule with its Danish reason naming the column or key.
    phrase = {
        "required_missing": "er tomt, men skal udfyldes",
        "invalid_value": "'svar' skal være et helt tal, men er 'fire'",
        "invalid_enum": "'respondenttype' har en ukendt værdi 'leder'",
        "out_of_range": "'svar' = 7 ligger uden for det tilladte 1–5",
        "duplicate_key": "nøglen (svar_id) =",
        "kommunekode_mismatch": "passer ikke med filens kommunekode",
    }
    for rule, reason in reasons:
        assert phrase[rule] in reason, (rule, reason)
    answers = sum(f["rows"] for f in truth["files"] if f["source"] == "survey")
    assert loaded + len(reasons) == answers


def test_great_expectations_flag_the_same_bad_survey_rows_as_polars(messy_run):
    from ingest.filenames import parse_file_name
    from ingest.load import load_reference as ingest_reference
    from ingest.prepare import validation_frame
    from ingest.schema import SOURCES
    from ingest.validate import FileContext, polars_failures, run_gx_suite

    out, truth = messy_run
    bad_files = sorted(
        {c["file"] for c in truth["corrupted_rows"] if c["file"].startswith("survey_")}
    )
    name = parse_file_name(bad_files[0])
    frame, _ = validation_frame((out / bad_files[0]).read_bytes(), name, b"k", ingest_reference())
    ctx = FileContext(name.kommunekode, name.extract_date)
    by_gx = run_gx_suite(frame, SOURCES["survey"], ctx)
    assert by_gx == polars_failures(frame, SOURCES["survey"], ctx)
    assert any(by_gx.values())
