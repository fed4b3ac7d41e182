"""The planted trial effects are visible in the raw files (clean run, read with polars)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from synthetic import generate

THEME_START, LAE285_END = date(2018, 1, 1), date(2020, 12, 31)
LATEST = "2022-12-31"
# Expected LÆ285 waiver share in the theme under the default rules, computed by hand from
# the documented shares in params.py:
#   P(hospital | diagnosis) = indlagt + (1 - indlagt) * sygehusbehandling
#     bevaegeapparat .145, psykisk .154, kraeft .61, hjerte_kar .51, andet .172, ukendt .0975
#   weighted by the diagnosis mix (.30 .21 .07 .06 .31 .05): P(hospital) = .207335
#   otherwise: no employer (.35) x .70 + employed (.65) x (.5 x .15 + .5 x .03) = .3035
#   share = .207335 x .85 + .792665 x .3035 = .4168
EXPECTED_WAIVER_SHARE = 0.4168


def read_latest(out: Path, source: str) -> pl.DataFrame:
    frames = [
        pl.read_csv(path, infer_schema=False)
        for path in sorted(out.glob(f"{source}_*_{LATEST}.csv"))
    ]
    return pl.concat(frames, how="diagonal")


def as_dates(frame: pl.DataFrame, *cols: str) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).str.to_date("%Y-%m-%d") for c in cols)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("default")
    return out, generate(out, scale="small", seed=11, mess=False)


@pytest.fixture(scope="module")
def placebo_run(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("placebo")
    return out, generate(out, scale="small", seed=11, mess=False, effects={"placebo": True})


def eligible_cases(out: Path, truth: dict) -> pl.DataFrame:
    cases = as_dates(
        read_latest(out, "sygedagpengesager"),
        "anmeldt_dato",
        "foerste_fravaersdag",
        "foerste_opfoelgning_dato",
    )
    trial = truth["municipalities"]["trial"]
    return cases.filter(
        pl.col("visitationskategori").is_in(["2", "3"]) & (pl.col("forventet_over_8_uger") == "J")
    ).with_columns(
        trial=pl.col("kommunekode").cast(pl.Int64).is_in(trial),
        in_theme=pl.col("anmeldt_dato").is_between(THEME_START, LAE285_END),
        waived=pl.col("lae285_fravalgt") == "J",
    )


def test_lae285_waiver_share_in_theme_matches_the_planted_rules(default_run):
    out, truth = default_run
    assert truth["expected"]["lae285_forventet_fravalgsandel_i_tema"] == pytest.approx(
        EXPECTED_WAIVER_SHARE, abs=1e-3
    )
    cases = eligible_cases(out, truth)
    in_theme = cases.filter(pl.col("trial") & pl.col("in_theme"))
    n = in_theme.height
    share = in_theme["waived"].mean()
    se = (EXPECTED_WAIVER_SHARE * (1 - EXPECTED_WAIVER_SHARE) / n) ** 0.5
    assert n > 300
    assert abs(share - EXPECTED_WAIVER_SHARE) < 4 * se
    # Old rules everywhere else: no waivers in control municipalities or outside the theme.
    assert cases.filter(~pl.col("trial"))["waived"].sum() == 0
    assert cases.filter(pl.col("trial") & ~pl.col("in_theme"))["waived"].sum() == 0


def test_waiver_reasons_follow_rebild_like_rules(default_run):
    out, truth = default_run
    waived = eligible_cases(out, truth).filter("waived")
    assert waived["fravalg_begrundelse"].null_count() == 0
    no_employer = waived.filter(pl.col("har_arbejdsgiver") == "N")
    employed = waived.filter(pl.col("har_arbejdsgiver") == "J")
    assert set(no_employer["fravalg_begrundelse"]) <= {
        "indlagt",
        "sygehusbehandling",
        "ingen_arbejdsgiver",
    }
    assert "ingen_arbejdsgiver" not in set(employed["fravalg_begrundelse"])
    # No employer is waived far more often than employed (0.70 vs 0.09 outside hospital).
    cases = eligible_cases(out, truth).filter(pl.col("trial") & pl.col("in_theme"))
    by_employer = dict(cases.group_by("har_arbejdsgiver").agg(pl.col("waived").mean()).iter_rows())
    assert by_employer["N"] > 0.6 and by_employer["J"] < 0.35


def test_first_follow_up_is_sooner_in_the_theme(default_run):
    out, truth = default_run
    cases = eligible_cases(out, truth).filter(pl.col("foerste_opfoelgning_dato").is_not_null())
    days = cases.with_columns(
        dage=(pl.col("foerste_opfoelgning_dato") - pl.col("foerste_fravaersdag")).dt.total_days(),
        baseline=pl.col("anmeldt_dato") < THEME_START,
    ).filter(pl.col("anmeldt_dato") <= LAE285_END)
    means = {
        (trial, base): frame["dage"].mean()
        for (trial, base), frame in days.group_by("trial", "baseline")
    }
    # Difference-in-differences (trial vs control, theme years vs baseline) removes the
    # common trend (-0.8 days a year) and recovers the planted -5 days (noise sd 8 days,
    # hundreds of cases per cell).
    did = (means[(True, False)] - means[(True, True)]) - (
        means[(False, False)] - means[(False, True)]
    )
    assert -7.5 < did < -2.5
    # The controls' own change is the trend alone: about -0.8 x 3.5 years.
    assert -5.0 < means[(False, False)] - means[(False, True)] < 0.0


def test_lae285_documents_follow_the_waivers(default_run):
    out, truth = default_run
    cases = eligible_cases(out, truth).filter(pl.col("anmeldt_dato") <= date(2022, 12, 20))
    docs = read_latest(out, "helbredsdokumentation")
    lae285 = docs.filter(pl.col("dokumenttype") == "LAE285").select("kommunekode", "sags_id")
    with_doc = cases.join(lae285, on=["kommunekode", "sags_id"], how="semi")
    # Every non-waived eligible case has its LÆ285 (requested within a week); no waived one.
    assert with_doc.height == cases.filter(~pl.col("waived")).height
    assert with_doc["waived"].sum() == 0
    # Fees from attest_takster: 1,140 kr., 1,290 kr. with interpreter.
    fees = docs.filter(pl.col("dokumenttype") == "LAE285")["honorar_kr"].drop_nulls().unique()
    assert set(fees) == {"1140.00", "1290.00"}


def test_documents_link_to_cases_of_the_same_municipality(default_run):
    out, _ = default_run
    docs = read_latest(out, "helbredsdokumentation")
    sdp = read_latest(out, "sygedagpengesager").select(
        "kommunekode", "sags_id", pl.lit("sygedagpenge").alias("sagstype")
    )
    rehab = read_latest(out, "rehabiliteringssager").select(
        "kommunekode", "sags_id", pl.lit("rehabilitering").alias("sagstype")
    )
    cases = pl.concat([sdp, rehab])
    orphans = docs.join(cases, on=["kommunekode", "sags_id", "sagstype"], how="anti")
    assert docs.height > 1000
    assert orphans.height == 0


def test_rehab_exemptions_and_lae265_waivers(default_run):
    out, truth = default_run
    rehab = as_dates(read_latest(out, "rehabiliteringssager"), "startdato").with_columns(
        trial=pl.col("kommunekode").cast(pl.Int64).is_in(truth["municipalities"]["trial"]),
        in_theme=pl.col("startdato") >= THEME_START,
    )
    # Brønderslev (810) is in rehab_fritagelse for jobafklaring only; Vesthimmerland (820)
    # is not in it at all (seed, facts.md).
    fritagelse = rehab.filter(
        pl.col("maalgruppe").is_in(["jobafklaring", "fleksjob"])
        & pl.col("trial")
        & pl.col("in_theme")
        & (pl.col("kommunekode") != "820")
        & ((pl.col("kommunekode") != "810") | (pl.col("maalgruppe") == "jobafklaring"))
    )
    share = (fritagelse["fritaget_rehabmoede"] == "J").mean()
    assert fritagelse.height > 150
    assert abs(share - 0.30) < 4 * (0.3 * 0.7 / fritagelse.height) ** 0.5
    exempt = rehab.filter(pl.col("fritaget_rehabmoede") == "J")
    assert exempt["moede_dato"].null_count() == exempt.height
    assert exempt["fritagelse_begrundelse"].null_count() == 0
    assert (
        rehab.filter(~pl.col("trial") | ~pl.col("in_theme"))["fritaget_rehabmoede"] == "J"
    ).sum() == 0
    broenderslev_fleksjob = rehab.filter(
        (pl.col("kommunekode") == "810") & (pl.col("maalgruppe") == "fleksjob")
    )
    assert broenderslev_fleksjob.height > 0
    assert (broenderslev_fleksjob["fritaget_rehabmoede"] == "J").sum() == 0
    lae265 = rehab.filter(
        pl.col("maalgruppe").is_in(["ressourceforloeb", "fleksjob", "foertidspension"])
        & pl.col("trial")
        & pl.col("in_theme")
        & (pl.col("kommunekode") != "810")
    )
    share265 = (lae265["lae265_fravalgt"] == "J").mean()
    assert abs(share265 - 0.35) < 4 * (0.35 * 0.65 / lae265.height) ** 0.5
    assert (rehab.filter(~pl.col("trial"))["lae265_fravalgt"] == "J").sum() == 0


def test_placebo_plants_nothing(placebo_run):
    out, truth = placebo_run
    assert truth["effects"]["placebo"] is True
    assert all(v == 0.0 for k, v in truth["effects"].items() if k != "placebo")
    cases = eligible_cases(out, truth)
    assert cases.height > 1000 and cases["waived"].sum() == 0
    rehab = read_latest(out, "rehabiliteringssager")
    assert (rehab["fritaget_rehabmoede"] == "J").sum() == 0
    assert (rehab["lae265_fravalgt"] == "J").sum() == 0
    assert (rehab["sundhedsfaglig_raadgiver"] == "anden").sum() == 0


def test_truth_counts_agree_with_the_files(default_run):
    out, truth = default_run
    cases = eligible_cases(out, truth)
    expected = pl.DataFrame(truth["expected"]["lae285_by_kommune_aar"])
    missing = pl.DataFrame(truth["expected"]["missing_from_latest"]).filter(
        pl.col("source") == "sygedagpengesager"
    )
    assert missing.height > 0
    # Cases missing from the latest snapshot are in the earlier ones; truth counts them.
    first = pl.concat(
        [
            pl.read_csv(p, infer_schema=False)
            for p in sorted(out.glob("sygedagpengesager_*_2022-10-31.csv"))
        ]
    )
    gone = first.filter(pl.col("sags_id").is_in(missing["key"].to_list()))
    assert gone.height == missing.height
    gone_eligible = gone.filter(
        pl.col("visitationskategori").is_in(["2", "3"]) & (pl.col("forventet_over_8_uger") == "J")
    )
    assert expected["sager_omfattet"].sum() == cases.height + gone_eligible.height
    assert (
        expected["lae285_fravalgt"].sum()
        == cases["waived"].sum() + (gone_eligible["lae285_fravalgt"] == "J").sum()
    )
    assert (
        truth["expected"]["latest_snapshot_keys"]["sygedagpengesager"]["total"]
        == read_latest(out, "sygedagpengesager")["sags_id"].n_unique()
    )


def test_realistic_distributions(default_run):
    out, _ = default_run
    sdp = read_latest(out, "sygedagpengesager")
    share = dict(sdp["visitationskategori"].value_counts(normalize=True).iter_rows())
    for kategori, expected in (("1", 0.45), ("2", 0.40), ("3", 0.15)):
        assert abs(share[kategori] - expected) < 0.03
    diagnoses = dict(sdp["diagnosegruppe"].value_counts(normalize=True).iter_rows())
    # facts.md (2009 survey): musculoskeletal ~30 %, mental ~21 %, cancer+heart ~13 %.
    assert abs(diagnoses["bevaegeapparat"] - 0.30) < 0.03
    assert abs(diagnoses["psykisk"] - 0.21) < 0.03
    assert abs(diagnoses["kraeft"] + diagnoses["hjerte_kar"] - 0.13) < 0.03
    assert abs((sdp["tolk"] == "J").mean() - 0.05) < 0.015  # interpreters a minority
    # Seasonal sick-listing: January-February busier than July (profile 1.25 vs 0.70).
    months = sdp["anmeldt_dato"].str.to_date().dt.month().value_counts()
    by_month = dict(months.iter_rows())
    assert (by_month[1] + by_month[2]) / 2 > 1.4 * by_month[7]
    # Open cases at the extract date: most of the last quarter's cohort.
    cases = sdp.with_columns(pl.col("anmeldt_dato").str.to_date())
    q4 = cases.filter(pl.col("anmeldt_dato") >= date(2022, 10, 1))
    assert q4["afsluttet_dato"].null_count() > 0.5 * q4.height
    docs = read_latest(out, "helbredsdokumentation").with_columns(
        pl.col("rekvireret_dato", "modtaget_dato").str.to_date()
    )
    received = docs.filter(pl.col("modtaget_dato").is_not_null())
    assert 0.015 < received["honorar_kr"].null_count() / received.height < 0.05  # ~3 %
    lae285 = received.filter(pl.col("dokumenttype") == "LAE285").with_columns(
        dage=(pl.col("modtaget_dato") - pl.col("rekvireret_dato")).dt.total_days()
    )
    # LÆ285 often late: a quarter or more take over three weeks.
    assert (lae285["dage"] > 21).mean() > 0.2
    assert docs.filter(pl.col("modtaget_dato").is_null())["honorar_kr"].null_count() == (
        docs["modtaget_dato"].null_count()
    )


def _jobafklaring_meetings(out: Path, truth: dict) -> pl.DataFrame:
    """Jobafklaring cases that met the team, with days to the meeting and whether the case
    started in the exemption theme (a trial municipality other than Vesthimmerland, 820,
    from 2018: seed forsoeg_deltagelse; Brønderslev exempts jobafklaring cases too)."""
    rehab = as_dates(read_latest(out, "rehabiliteringssager"), "startdato", "moede_dato")
    return rehab.filter(
        (pl.col("maalgruppe") == "jobafklaring") & pl.col("moede_dato").is_not_null()
    ).with_columns(
        dage=(pl.col("moede_dato") - pl.col("startdato")).dt.total_days(),
        in_theme=pl.col("kommunekode").cast(pl.Int64).is_in(truth["municipalities"]["trial"])
        & (pl.col("kommunekode") != "820")
        & (pl.col("startdato") >= THEME_START),
    )


def test_jobafklaring_meetings_mostly_but_not_always_within_four_weeks(default_run):
    """Planted: 80 % of jobafklaring meetings within the 28-day deadline outside the
    exemption theme, 80 % + rehab_moede_inden_frist_effekt (10 points) inside it."""
    out, truth = default_run
    held = _jobafklaring_meetings(out, truth)
    assert truth["expected"]["rehab"]["andel_jobafklaring_moede_inden_frist_i_tema"] == 0.9
    for in_theme, expected in ((False, 0.8), (True, 0.9)):
        part = held.filter(pl.col("in_theme") == in_theme)
        within = (part["dage"] <= 28).mean()
        assert part.height > 100
        assert abs(within - expected) < 4 * (expected * (1 - expected) / part.height) ** 0.5
    assert held["dage"].max() <= 60


def test_placebo_keeps_the_jobafklaring_deadline_share(placebo_run):
    out, truth = placebo_run
    assert truth["effects"]["rehab_moede_inden_frist_effekt"] == 0.0
    held = _jobafklaring_meetings(out, truth).filter(pl.col("in_theme"))
    within = (held["dage"] <= 28).mean()
    assert held.height > 100
    assert abs(within - 0.8) < 4 * (0.8 * 0.2 / held.height) ** 0.5
