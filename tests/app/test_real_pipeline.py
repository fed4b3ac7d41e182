"""The dashboard on a real small pipeline run (generate seed 42 → ingest → build), checked
against the generator's truth (counted from its own data, never from the marts). The net
savings the pages show are checked by hand on the fixture snapshot (test_pages.py)."""

from __future__ import annotations

import shutil

import pytest

from core.format import fmt_int, fmt_pct
from core.paths import Home
from dashboards.auth import hash_password
from dashboards.site import PAGES as SITE_PAGES
from tests.app.conftest import PAGES, PASSWORDS, login, open_page
from tests.app.om_tallet_walk import check_page
from tests.app.test_om_tallet import UDEN_INDIKATORER
from tests.app.test_screen_words import FORBIDDEN, screen_texts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_home(small_pipeline) -> Home:
    assert small_pipeline.outputs["build"].exit_code == 0, small_pipeline.outputs["build"]
    return Home(small_pipeline.home)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_real_marts(app_for, real_home, page):
    at = open_page(app_for(real_home), page)
    assert not at.exception, [e.value for e in at.exception]
    # Every query found its tables and columns in the published snapshot.
    assert not [w.value for w in at.warning if "findes ikke" in w.value]
    if page != "sql":
        assert at.get("plotly_chart")


def _after_quarantine(small_pipeline, kommuner, years) -> tuple[int, int]:
    """Eligible LÆ285 cases and waivers the generator planted in ``kommuner`` and ``years``,
    counted from its own data as the warehouse keeps it once the corrupted rows are
    quarantined (truth.json, independent of the marts)."""
    rows = [
        r
        for r in small_pipeline.truth["expected"]["efter_karantaene"]["lae285_by_kommune_aar"]
        if r["kommunekode"] in kommuner and r["aar"] in years
    ]
    assert rows
    return sum(r["sager_omfattet"] for r in rows), sum(r["lae285_fravalgt"] for r in rows)


def test_overblik_share_waived_is_the_planted_share(app_for, real_home, small_pipeline):
    """The trial group's share waived during the trial (2018–2020 for every trial
    municipality of the small run) is the generator's count of waivers over eligible cases."""
    trial = small_pipeline.truth["municipalities"]["trial"]
    eligible, waived = _after_quarantine(small_pipeline, trial, range(2018, 2021))
    at = open_page(app_for(real_home), "overblik")
    table = next(f.value for f in at.dataframe if "Andel" in f.value.columns)
    row = table[(table["Gruppe"] == "Forsøgskommuner") & (table["Periode"] == "Under forsøget")]
    assert row["Andel"].tolist() == [fmt_pct(waived / eligible, 1)]
    assert any("sparede forsøgskommunerne netto" in m.value for m in at.markdown)


def test_laegeattester_aalborg_counts_are_the_planted_counts(app_for, real_home, small_pipeline):
    eligible, _ = _after_quarantine(small_pipeline, {851}, range(2000, 2100))
    at = open_page(app_for(real_home), "laegeattester")
    table = next(f.value for f in at.dataframe if "Nettobesparelse (kr.)" in f.value.columns)
    row = table[table["Kommune"] == "Aalborg"].iloc[0]
    assert row["Sager omfattet"] == fmt_int(eligible)


@pytest.fixture(scope="module")
def real_login_home(real_home, tmp_path_factory) -> Home:
    """A copy of the real snapshot with a manager user (the pipeline's home stays read-only)."""
    home = Home(tmp_path_factory.mktemp("real_login"))
    home.published_dir.mkdir(parents=True)
    shutil.copyfile(real_home.published, home.published)
    (home.root / "users.toml").write_text(
        f'[users.mette]\nrole = "manager"\npassword_hash = "{hash_password(PASSWORDS["mette"])}"\n',
        encoding="utf-8",
    )
    (home.root / "users.toml").chmod(0o600)
    return home


@pytest.mark.parametrize("page", [p for p in PAGES if p != "sql"])
def test_every_page_renders_suppressed_for_a_manager(app_for, real_login_home, page):
    at = app_for(real_login_home)
    # Læsø: the smallest municipality, where small cells occur.
    at.query_params["kommune"] = "825"
    login(at, "mette")
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("plotly_chart")
    if page == "kommune":
        # Læsø has a handful of cases a quarter: some cells must be hidden, none shown as 1–4.
        cells = at.dataframe[0].value.drop(columns=["Kvartal"]).to_numpy().ravel().tolist()
        assert "·" in cells
        assert not {"1", "2", "3", "4"} & set(cells)


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("page", [file.removesuffix(".py") for file, *_ in SITE_PAGES])
def test_every_page_defines_its_indicators_and_shows_no_codes(app_for, real_home, page, lang):
    """«Om tallet» under every indicator shown (tests/app/om_tallet_walk.py) and no code or
    English default on a Danish screen (tests/app/test_screen_words.py), on every page of
    the app with every mart present."""
    at = open_page(app_for(real_home), page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    defined = check_page(at, lang)
    if page not in UDEN_INDIKATORER:
        assert defined, f"{page} shows no «Om tallet»"
    if lang == "da":
        assert not sorted({t for t in screen_texts(at) if FORBIDDEN.search(t.strip())})
