"""Kommune page as jobindsats users expect: several municipalities on one chart, the
municipality's rank among all municipalities against the national value, and "Om tallet"
under the indicator.

Hand-computed from tests/app/fixture_snapshot.py over 2015K1–2022K4 (32 quarters), LÆ285
waived share pooled per municipality: waivers only in the 12 LÆ285 trial quarters —
Aalborg 12 × 10 / (32 × 40) = 9,375 %, Rebild 12 × 5 / (32 × 20) = 9,375 %, Læsø 12 × 1 /
(32 × 2) = 18,75 %, the control municipalities 0 %."""

from __future__ import annotations

import json

from tests.app.conftest import open_page


def test_rank_and_national_value(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "kommune", kommune="840")
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    # Læsø first; Aalborg and Rebild share 2nd; national: (120 + 60 + 12) waived of
    # (1.280 + 640 + 64 + 960 + 960 + 1.600) eligible = 192 / 5.504 = 3,49 %.
    assert "Rebild ligger nr. 2 af 6 kommuner med 9,4 %; landsgennemsnittet er 3,5 %" in text
    table = next(d.value for d in at.dataframe if "Placering" in d.value.columns)
    assert table["Kommune"].tolist()[:3] == ["Læsø", "Aalborg", "Rebild"] or table[
        "Kommune"
    ].tolist()[:3] == ["Læsø", "Rebild", "Aalborg"]
    assert table["Placering"].tolist()[0] == "1"
    groups = dict(zip(table["Kommune"], table["Gruppe"], strict=True))
    assert groups["Læsø"] == "Forsøgskommuner" and groups["Horsens"] == "Kontrolgruppe"


def test_several_municipalities_on_one_chart(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "kommune", kommune="840")
    at.multiselect(key="kommune_sammenlign").set_value([851, 825]).run()
    assert not at.exception
    chart = next(
        json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Rebild (840)" in c.proto.spec
    )
    names = [t["name"] for t in chart["data"]]
    assert names[0] == "Rebild (840)"  # the chosen municipality first
    assert sorted(names[1:]) == ["Aalborg (851)", "Læsø (825)"]
    colours = {t["line"]["color"] for t in chart["data"]}
    assert not colours & {"#e45756", "#4c78a8"}  # never the trial or the control colour


def test_om_tallet_under_the_indicator(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "kommune", kommune="840")
    labels = [e.label for e in at.expander]
    assert "Om tallet: Andel omfattede sager hvor LÆ285 er fravalgt" in labels
    text = " ".join(m.value for m in at.markdown)
    # seed indikatorer, definition_da of andel_lae285_fravalgt
    assert "Sygedagpengesager i kategori 2 og 3, der forventes at vare over 8 uger" in text
