"""The dashboard on a real small pipeline run (generate seed 42 → ingest → build), checked
against numbers computed independently from the published marts and the generator's truth."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import polars as pl
import pytest

from core.format import fmt_kr, fmt_pct
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


@pytest.fixture(scope="module")
def attest(real_home) -> pl.DataFrame:
    con = duckdb.connect(str(real_home.published), read_only=True)
    try:
        return con.sql("select * from marts.mart_attestbesparelse").pl()
    finally:
        con.close()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_real_marts(app_for, real_home, page):
    at = open_page(app_for(real_home), page)
    assert not at.exception, [e.value for e in at.exception]
    # Every query found its tables and columns in the published snapshot.
    assert not [w.value for w in at.warning if "findes ikke" in w.value]
    if page != "sql":
        assert at.get("plotly_chart")


def test_overblik_share_waived_matches_marts_and_truth(app_for, real_home, attest, small_pipeline):
    trial = small_pipeline.truth["municipalities"]["trial"]
    during = attest.filter(
        pl.col("kommunekode").is_in(trial)
        & (pl.col("dokumenttype") == "LAE285")
        & pl.col("maaned").is_between(dt.date(2018, 1, 1), dt.date(2020, 12, 1))
    )
    share = during["attest_fravalgt"].sum() / during["sager_omfattet"].sum()
    at = open_page(app_for(real_home), "overblik")
    # The tiles compare with the control group; the trial group's own share during the trial
    # is in the detail table, the net saving in the sentence above its table.
    table = next(f.value for f in at.dataframe if "Andel" in f.value.columns)
    row = table[(table["Gruppe"] == "Forsøgskommuner") & (table["Periode"] == "Under forsøget")]
    assert row["Andel"].tolist() == [fmt_pct(share, 1)]
    netto = fmt_kr(float(during["nettobesparelse_kr"].sum()), 0)
    assert any(f"sparede forsøgskommunerne netto {netto}" in m.value for m in at.markdown)
    # The generator's own count (before rows were corrupted) agrees within a point.
    rows = [r for r in small_pipeline.truth["expected"]["lae285_by_kommune_aar"] if r["i_tema"]]
    planted = sum(r["lae285_fravalgt"] for r in rows) / sum(r["sager_omfattet"] for r in rows)
    assert abs(share - planted) < 0.01


def test_laegeattester_aalborg_saving_matches_the_mart(app_for, real_home, attest):
    aalborg = attest.filter((pl.col("kommunekode") == 851) & (pl.col("dokumenttype") == "LAE285"))
    at = open_page(app_for(real_home), "laegeattester")
    for frame in at.dataframe:
        if "Nettobesparelse (kr.)" in frame.value.columns:
            table = frame.value
            break
    row = table[table["Kommune"] == "Aalborg"].iloc[0]
    assert row["Nettobesparelse (kr.)"] == fmt_kr(float(aalborg["nettobesparelse_kr"].sum()), 0)
    assert row["Sager omfattet"] == f"{int(aalborg['sager_omfattet'].sum()):,}".replace(",", ".")


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
