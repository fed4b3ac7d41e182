"""Reference data: the seeds load, pass their dbt tests, and agree with the shared reference."""

from __future__ import annotations

import csv
from collections import Counter

import duckdb

from core.paths import Home
from tests.conftest import PROJECT_DIR, require_input
from trialwh.dbt import run_dbt

SHARED_KOMMUNER = PROJECT_DIR.parent / "shared" / "reference" / "kommuner.csv"


def test_seeds_build_and_pass_their_tests(home):
    # cautious: the seeds' own tests, not the models' tests that refer to a seed
    # (e.g. mart_fritagelser.tema -> temaer), whose models are not built here.
    outcome = run_dbt(
        Home(home), ["build", "--select", "resource_type:seed", "--indirect-selection", "cautious"]
    )
    assert outcome.success, outcome.failures
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    regions = dict(
        con.execute("select region, count(*) from reference.kommuner group by region").fetchall()
    )
    # facts.md: Hovedstaden 29, Sjælland 17, Syddanmark 22, Midtjylland 19, Nordjylland 11.
    assert regions == {
        "Hovedstaden": 29,
        "Sjælland": 17,
        "Syddanmark": 22,
        "Midtjylland": 19,
        "Nordjylland": 11,
    }
    lae285 = con.execute(
        "select count(*) from reference.forsoeg_deltagelse where tema = 'lae285'"
    ).fetchone()[0]
    assert lae285 == 11  # the whole North Jutland network


def test_kommuner_seed_matches_shared_reference():
    seed_path = PROJECT_DIR / "seeds" / "kommuner.csv"
    seed = {r["kommunekode"]: r for r in csv.DictReader(seed_path.open(encoding="utf-8"))}
    # facts.md: 98 municipalities, 11 in North Jutland (checked whether or not the shared
    # reference is at hand).
    assert len(seed) == 98
    assert Counter(r["region"] for r in seed.values())["Nordjylland"] == 11
    require_input(
        SHARED_KOMMUNER.exists(),
        f"the shared reference {SHARED_KOMMUNER} is missing: seed not compared with it",
    )
    ref = list(csv.DictReader(SHARED_KOMMUNER.open(encoding="utf-8"), delimiter=";"))
    assert len(ref) == len(seed) == 98
    for row in ref:
        assert seed[row["kommunekode"]]["kommunenavn"] == row["kommunenavn"]
        assert seed[row["kommunekode"]]["region"] == row["region"]


def test_trial_participation_follows_the_documented_exceptions():
    path = PROJECT_DIR / "seeds" / "forsoeg_deltagelse.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    by_theme: dict[str, set[int]] = {}
    for r in rows:
        by_theme.setdefault(r["tema"], set()).add(int(r["kommunekode"]))
    # Brønderslev (810): only the jobafklaring exemption; Vesthimmerlands (820): only LÆ265.
    assert 810 in by_theme["rehab_fritagelse"] and 810 not in by_theme["lae265"]
    assert 820 in by_theme["lae265"] and 820 not in by_theme["rehab_fritagelse"]
