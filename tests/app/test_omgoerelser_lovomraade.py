"""Ankestyrelsen: decisions by law area and decision type, trial against control group.

Hand-computed from tests/app/fixture_snapshot.py: every municipality has, per quarter and
law area (sygedagpenge, fleksjob), 12 decisions on the merits of which 3 reversed (2 in the
trial municipalities from 2018K1): aendret_ophaevet = reversed − 1, hjemvist = 1,
afvist_bortfaldet = 1, stadfaestet = 12 − reversed."""

from __future__ import annotations

from tests.app.conftest import open_page


def _table(at):
    return next(d.value for d in at.dataframe if "Lovområde" in d.value.columns)


def test_decisions_by_law_area_and_type(app_for, fixture_home):
    at = open_page(
        app_for(fixture_home), "ankestyrelsen", tema="lae285", fra="2018K1", til="2018K4"
    )
    assert not at.exception
    table = _table(at)
    rows = {(r["Gruppe"], r["Lovområde"]): r for _, r in table.iterrows()}
    assert set(rows) == {
        (g, law)
        for g in ("Forsøgskommuner", "Kontrolgruppe")
        for law in ("Sygedagpenge", "Fleksjob")
    }
    trial = rows[("Forsøgskommuner", "Sygedagpenge")]
    control = rows[("Kontrolgruppe", "Fleksjob")]
    # 2018: 4 quarters. Trial (3 municipalities): 12 decisions, 2 reversed (1 changed,
    # 1 remitted) a quarter → 144 decisions, 120 upheld, 12 changed, 12 remitted, 16,7 %.
    assert (trial["Realitetsbehandlede"], trial["Stadfæstet"]) == ("144", "120")
    assert (trial["Ændret eller ophævet"], trial["Hjemvist"]) == ("12", "12")
    assert trial["Omgørelsesprocent"] == "16,7 %"
    # Control: 3 reversed (2 changed, 1 remitted) a quarter → 25,0 %.
    assert control["Omgørelsesprocent"] == "25,0 %"
    assert int(control["Ændret eller ophævet"]) == 2 * int(control["Hjemvist"])
    labels = [e.label for e in at.expander]
    assert "Om afgørelsestyperne" in labels
    assert "Om tallet: Omgørelsesprocent i Ankestyrelsen" in labels


def test_law_areas_in_english(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "ankestyrelsen", lang="en")
    table = next(d.value for d in at.dataframe if "Law area" in d.value.columns)
    assert set(table["Law area"]) == {"Sickness benefit", "Flexi-job"}
    assert "Upheld" in table.columns and "Remitted" in table.columns
