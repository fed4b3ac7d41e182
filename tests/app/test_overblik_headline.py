"""Overblik answers "compared to what?": one tile per main indicator of the chosen theme with
trial vs control as a difference-in-differences estimate, its interval and a verdict, and the
headline indicator over time for both groups with the trial start marked.

Expected values worked out by hand from tests/app/fixture_snapshot.py: every trial
municipality starts 2018K1 and the control groups never change, so the estimate is the mean
change of the trial municipalities from before to during the trial minus the control group's
change (zero)."""

from __future__ import annotations

import base64
import json

import numpy as np

from tests.app.conftest import open_page


def _numbers(values) -> list[float]:
    """A plotly array: a list, or a typed array ``{"dtype", "bdata"}`` (base64)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return list(values)


def _tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_lae285_tiles_are_differences_against_control(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", tema="lae285")
    assert not at.exception, [e.value for e in at.exception]
    tiles = _tiles(at)
    # Certificate cost per case: before 1.140 kr. everywhere; during the trial
    # 1.140 × 30/40 + 60 = 915 (Aalborg), 1.140 × 15/20 + 60 = 915 (Rebild),
    # 1.140 × 1/2 + 60 = 630 (Læsø): changes −225, −225, −510, mean −320.
    assert tiles["Attestudgift pr. omfattet sag"] == "-320 kr."
    # Share waived: 10/40, 5/20, 1/2 during the trial, 0 before: mean 1/3 = 33,3 points.
    assert tiles["Andel omfattede sager hvor LÆ285 er fravalgt"] == "+33,3 procentpoint"
    # Days to first follow-up: 40 before, 35 during in every trial municipality.
    assert tiles["Dage fra første fraværsdag til første opfølgning"] == "-5,0 dage"
    # The theme's headline indicator (seed temaer) comes first.
    assert at.metric[0].label == "Attestudgift pr. omfattet sag"
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Forsøg vs. kontrol: 95 %-interval:") for c in captions)
    text = " ".join(m.value for m in at.markdown)
    assert "Forsøgskommunerne ligger 5,0 dage under kontrolgruppen" in text
    # 3 trial against 3 control municipalities: the randomisation interval has only
    # C(6, 3) = 20 assignments, so its smallest p-value is 1/20 = 0,05 and no 95 % bound
    # exists: the tiles say so instead of claiming a clear difference.
    assert "Intervallet er ubegrænset" in text
    assert "Det er en sikker" not in text
    assert any("−∞ til ∞" in c for c in captions)
    assert len(at.get("page_link")) == len(at.metric)


def test_tiles_follow_the_theme(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", tema="sundhedsfaglig_raadgivning")
    assert not at.exception, [e.value for e in at.exception]
    tiles = _tiles(at)
    # No LÆ285 figure under a theme that is not about LÆ285.
    assert not any("LÆ285" in label or "Attest" in label for label in tiles)
    assert "Nettobesparelse" not in [s.value for s in at.subheader]
    # Reversal rate: 3 of 12 before, 2 of 12 during the trial (25 % → 16,7 %); control 25 %
    # throughout: −8,3 points, lower is better.
    assert tiles["Omgørelsesprocent i Ankestyrelsen"] == "-8,3 procentpoint"


def test_chart_is_trial_against_control_over_time_with_the_start_marked(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", tema="lae285")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [trace["name"] for trace in spec["data"]]
    assert names == ["Forsøgskommuner", "Kontrolgruppe"]
    notes = [a for a in spec["layout"]["annotations"] if a.get("name") != "trialwh_kilde"]
    assert [a["text"] for a in notes] == ["Forsøget starter 2018K1"]
    # The label hangs from the plot's top edge, inside the plot, so that it cannot run into
    # the legend above the plot (it did at 390 px).
    assert notes[0]["y"] == 1 and notes[0]["yanchor"] == "top" and notes[0]["yref"] == "paper"
    assert spec["layout"]["legend"]["y"] >= 1 and spec["layout"]["legend"]["yanchor"] == "bottom"
    assert spec["layout"]["shapes"][0]["x0"] == "2018K1"
    trial = spec["data"][0]
    quarters, values = trial["x"], _numbers(trial["y"])
    # Pooled over Aalborg, Rebild and Læsø: (1.140 × 62) / 62 = 1.140 before; during
    # (915 + 915 + 630) / 3 = 820 (mean of the municipalities: not a share).
    assert values[quarters.index("2017K4")] == 1140.0
    assert abs(values[quarters.index("2019K1")] - 820.0) < 1e-9


def test_period_after_the_trial_is_explained(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", tema="lae285", fra="2021K1")
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    # LÆ285's last trial quarter is 2020K4.
    assert "Den valgte periode ligger efter forsøget" in infos
    assert "2020K4" in infos
    assert not at.metric


def test_every_tile_has_om_tallet_from_the_vocabulary(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "overblik", tema="lae285")
    labels = [e.label for e in at.expander]
    # One «Om tallet» per tile, named after it (the chart's indicator is a tile's too).
    assert at.metric and all(f"Om tallet: {m.label}" in labels for m in at.metric)
    text = " ".join(m.value for m in at.markdown)
    # seed indikatorer, definition_da of attestudgift_pr_sag_kr
    assert "Udgift til LÆ285 og til den dokumentation, der blev indhentet i stedet" in text


def test_period_after_the_trial_is_not_called_too_few_cases(app_for, fixture_home):
    # LÆ285 ended 2020K4; 2021K1–2022K4 has plenty of cases but none during the trial.
    at = open_page(app_for(fixture_home), "overblik", tema="lae285", fra="2021K1")
    text = " ".join(m.value for m in at.markdown)
    assert "Den valgte periode rummer ingen kvartaler under forsøget." in text
    assert "For få sager" not in text
