"""`trialwh report --tema X` for every theme of the vocabulary, on the hand-made dashboard
snapshot (every theme has trial municipalities there)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from core import vocabulary
from core.paths import Home
from report import writer as report_module
from tests.app.fixture_snapshot import build_fixture_snapshot
from trialwh.cli import app


@pytest.fixture(scope="module")
def snapshot_home(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("report_themes"))
    build_fixture_snapshot(home.published)
    return home


@pytest.mark.parametrize("tema", vocabulary.tema_koder())
def test_report_for_every_theme(tema, snapshot_home, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(report_module, "WCR_DRAWS", 99)
    monkeypatch.setattr(report_module, "RI_DRAWS", 19)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["--home", str(snapshot_home.root), "report", "--tema", tema, "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    html = (out / f"evaluering_{tema}_alle_oevrige.html").read_text(encoding="utf-8")
    assert f"<h1>Evaluering: {vocabulary.tema(tema).navn_da}</h1>" in html
    # Fixture: 3 trial municipalities (Aalborg, Rebild, Læsø); the default control group is
    # every other municipality (Horsens, Herning, København).
    assert "Forsøgskommuner: 3. Kontrolgruppe <b>alle_oevrige</b>: 3 kommuner." in html
    # Every headline indicator of the vocabulary has its section, named as in the seed.
    for indikator in vocabulary.indikatorer():
        if indikator.er_hovedindikator:
            assert f"<h2>{indikator.navn_da}</h2>" in html
    overview = pl.read_excel(out / f"evaluering_{tema}_alle_oevrige.xlsx", sheet_name="Overblik")
    # The headline indicators and the theme's own omgørelsesprocent on its law areas (legal
    # certainty per theme): the theme's own first, then those of every theme, then the
    # other themes', each in the vocabulary's order (a rehab report leads with rehab).
    shown = [
        i
        for i in vocabulary.indikatorer()
        if i.er_hovedindikator or i.kolonne == f"omgoerelsesprocent_{tema}"
    ]
    assert overview["Kolonne i panelet"].to_list() == [
        *(i.kolonne for i in shown if i.tema == tema),
        *(i.kolonne for i in shown if i.tema is None),
        *(i.kolonne for i in shown if i.tema not in (tema, None)),
    ]
