"""Filter state lives apart from the widgets: switching language (which relabels every
widget) keeps theme, control group, period and municipality; Fra after Til is turned round
visibly."""

from __future__ import annotations

import datetime as dt

from tests.app.conftest import open_page

CHOSEN = {
    "tema": "rehab_fritagelse",
    "kontrol": "midtjylland",
    "fra": "2016K2",
    "til": "2019K3",
    "kommune": "840",
}


def _state(at) -> dict[str, str]:
    return {key: at.query_params[key] for key in CHOSEN}


def test_language_switch_keeps_every_filter(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", **CHOSEN)
    assert _state(at) == CHOSEN
    at.toggle(key="f_en").set_value(True).run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert at.query_params["lang"] == "en"
    assert _state(at) == CHOSEN
    assert at.selectbox(key="f_tema").value == "rehab_fritagelse"
    assert at.selectbox(key="f_kontrol").value == "midtjylland"
    assert at.selectbox(key="f_kommune").value == 840
    # And back to Danish, after changing the control group in English.
    at.selectbox(key="f_kontrol").set_value("alle_oevrige").run()
    at.toggle(key="f_en").set_value(False).run()
    assert at.title[0].value == "Overblik"
    assert _state(at) == {**CHOSEN, "kontrol": "alle_oevrige"}
    assert "lang" not in at.query_params


def test_fra_after_til_is_turned_round_visibly(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", fra="2017K1", til="2020K1")
    at.selectbox(key="f_fra").set_value(dt.date(2021, 1, 1)).run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "perioden er vendt om til 2020K1–2021K1" in warnings
    assert (at.query_params["fra"], at.query_params["til"]) == ("2020K1", "2021K1")


def test_municipality_list_shows_group_and_data(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", tema="lae285", kontrol="midtjylland")
    options = at.selectbox(key="f_kommune").options
    # Fixture: Aalborg trial; Horsens in Region Midtjylland (control); København not in that
    # control group. Every municipality has LÆ285 figures.
    assert "Aalborg (851) · forsøgskommune" in options
    assert "Horsens (615) · kontrolgruppe" in options
    assert "København (101)" in options


def test_html_lang_follows_the_language(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik")
    assert any("documentElement.lang = 'da'" in h.proto.body for h in at.get("html"))
    at.toggle(key="f_en").set_value(True).run()
    assert any("documentElement.lang = 'en'" in h.proto.body for h in at.get("html"))
