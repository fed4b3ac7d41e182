"""Charts export as PNG with their source, period and data-as-of on them."""

from __future__ import annotations

import json
import re

import pytest

from tests.app.conftest import PAGES, open_page


@pytest.mark.parametrize("page", [p for p in PAGES if p != "sql"])
def test_every_chart_carries_source_period_and_data_as_of(app_for, fixture_home, page):
    at = open_page(app_for(fixture_home), page)
    assert not at.exception
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        stamps = [a for a in spec["layout"]["annotations"] if a.get("name") == "trialwh_kilde"]
        assert len(stamps) == 1, page
        text = stamps[0]["text"]
        # The fixture's build: data as of 31.12.2022, build id fixture-build-1.
        assert re.match(r"Kilde: (marts|audit)\.[a-z_]+", text), text
        assert "Periode: 2015K1–2022K4" in text
        assert "Data pr. 31.12.2022" in text and "build fixture-build-1" in text
        # Three short lines (source; period and data as of; build), each narrow enough for
        # a 390 px phone from the plot's left edge (about 45 characters of 10 px text).
        lines = text.split("<br>")
        assert len(lines) == 3 and lines[2] == "build fixture-build-1", lines
        assert all(len(line) <= 48 for line in lines), lines
        # A long title is broken into lines of at most 40 characters (one line ran past the
        # figure's edge on a phone).
        # (A subtitle in smaller <sup> text: at most 55 characters a line.)
        title = spec["layout"]["title"]["text"]
        for line in title.split("<br>"):
            small = line.startswith("<sup>")
            assert len(re.sub(r"<[^>]+>", "", line)) <= (55 if small else 40), title
        # ... with room for them above the legend: 90 px for a one-line title (charts of
        # dashboards.charts), 20 px more per added line.
        if spec["layout"]["margin"].get("l") == 60 and "<sup>" not in title:
            lines = title.count("<br>") + 1
            assert spec["layout"]["margin"]["t"] == 90 + 20 * (lines - 1), (title, spec["layout"])
        # Every dotted quarter line says what it marks (the fixture's trial starts 2018K1).
        for line in spec["layout"].get("shapes", []):
            if line.get("line", {}).get("dash") == "dot" and line.get("x0") == "2018K1":
                notes = [a.get("text") for a in spec["layout"]["annotations"]]
                assert "Forsøget starter 2018K1" in notes, (page, notes)
        # Danish numbers on the axes (30.000, not 30k; 1.200, not 1200).
        assert spec["layout"]["separators"] == ",.", page
        axes = [v for k, v in spec["layout"].items() if re.match(r"[xy]axis\d*$", k)]
        assert axes and all(a.get("exponentformat") == "none" for a in axes), page
        # 1.200 kr., not 1200 (plotly separates only from five digits by default).
        assert all(a.get("separatethousands") is True for a in axes), page
        # The camera button saves a PNG at twice the size, named after the chart.
        config = json.loads(chart.proto.config)
        assert config["toImageButtonOptions"]["format"] == "png"
        assert config["toImageButtonOptions"]["scale"] == 2
        assert config["displaylogo"] is False


def test_english_charts_write_english_numbers(app_for, fixture_home):
    """In English the same charts use the decimal point and the thousands comma."""
    at = open_page(app_for(fixture_home), "laegeattester", lang="en")
    assert not at.exception
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        assert spec["layout"]["separators"] == ".,"
        stamp = next(a for a in spec["layout"]["annotations"] if a.get("name") == "trialwh_kilde")
        assert stamp["text"].startswith("Source: ") and "Data as of 2022-12-31" in stamp["text"]
