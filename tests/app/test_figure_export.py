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
        # The camera button saves a PNG at twice the size, named after the chart.
        config = json.loads(chart.proto.config)
        assert config["toImageButtonOptions"]["format"] == "png"
        assert config["toImageButtonOptions"]["scale"] == 2
        assert config["displaylogo"] is False
