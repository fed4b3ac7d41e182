"""«Om tallet» under every indicator on every page (tests/app/om_tallet_walk.py), on the
hand-made snapshot: Danish and English, and per theme for the pages whose indicators
follow the theme."""

from __future__ import annotations

import csv

import pytest

from dashboards.site import PAGES
from tests.app.conftest import open_page
from tests.app.om_tallet_walk import SEED, check_page, seed_definitions

# Pages that show no indicator of seed indikatorer: data quality and the SQL page.
UDEN_INDIKATORER = {"datakvalitet", "sql"}
# The fixture snapshot lacks the marts of these pages (they say so per section); they are
# walked on the real pipeline's marts in test_real_pipeline.py.
FIXTURE_UDEN_DATA = {"retssikkerhed_ressourcer", "oevrige_forsoeg", "beskaeftigelse"}
SIDER = [file.removesuffix(".py") for file, *_ in PAGES]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("page", [p for p in SIDER if p not in FIXTURE_UDEN_DATA])
def test_every_shown_indicator_has_its_definition(app_for, fixture_home, page, lang):
    at = open_page(app_for(fixture_home), page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    defined = check_page(at, lang)
    if page not in UDEN_INDIKATORER:
        assert defined, f"{page} shows no «Om tallet»"


def test_overblik_defines_the_chosen_themes_indicators(app_for, fixture_home):
    """Under the rehabilitation theme the tiles and tables are its indicators, not LÆ285's."""
    at = open_page(app_for(fixture_home), "overblik", tema="rehab_fritagelse")
    defined = check_page(at, "da")
    definitions = seed_definitions("da")
    assert "Andel jobafklarings- og fleksjobsager fritaget for rehabiliteringsmøde" in defined
    assert "Andel omfattede sager hvor LÆ285 er fravalgt" not in defined
    assert defined <= set(definitions)


def test_the_definition_follows_the_indicator_on_the_kommune_page(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "kommune", kommune="840")
    choice = next(s for s in at.selectbox if s.label == "Indikator")
    wanted = "Omgørelsesprocent i Ankestyrelsen"
    choice.select_index(choice.options.index(wanted)).run()
    assert not at.exception
    assert check_page(at, "da") == {wanted}


def _names(*koder: str, lang: str = "da") -> set[str]:
    """Indicator names straight from the seed file (not through the app's vocabulary)."""
    with SEED.open(encoding="utf-8", newline="") as handle:
        rows = {row["indikator"]: row[f"navn_{lang}"] for row in csv.DictReader(handle)}
    return {rows[k] for k in koder}


def _choose(at, label: str, value: str) -> None:
    next(s for s in at.selectbox if s.label == label).set_value(value).run()


@pytest.mark.parametrize("lang", ["da", "en"])
def test_saving_turnaround_and_time_to_decision_have_their_definition(app_for, fixture_home, lang):
    """The net saving, the certificate turnaround and the rehabilitation time to decision
    are indicators of the seed wherever they are shown, each with its «Om tallet»."""
    overblik = open_page(app_for(fixture_home), "overblik", lang=lang)
    assert _names("nettobesparelse_kr", lang=lang) <= check_page(overblik, lang)
    attester = open_page(app_for(fixture_home), "laegeattester", lang=lang)
    assert _names(
        "nettobesparelse_kr", "dage_attest_svartid", "andel_attest_inden_frist", lang=lang
    ) <= check_page(attester, lang)
    rehab = open_page(app_for(fixture_home), "rehabilitering", lang=lang)
    assert _names("dage_rehab_afgoerelse", lang=lang) <= check_page(rehab, lang)
    tider = open_page(app_for(fixture_home), "sagsbehandlingstid", lang=lang)
    # The fixture's fct_forloeb has no certificate spell: the Kaplan–Meier part is walked
    # with the rehabilitation spell, the deadline part with the certificate.
    forloeb, frist = ("Forløb", "Frist") if lang == "da" else ("Spell", "Deadline")
    _choose(tider, forloeb, "rehab_start_til_afgoerelse")
    _choose(tider, frist, "attest_rekvireret_til_modtaget")
    assert not tider.exception
    assert _names("dage_rehab_afgoerelse", "andel_attest_inden_frist", lang=lang) <= check_page(
        tider, lang
    )
