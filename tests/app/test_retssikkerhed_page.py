"""The page Retssikkerhed og ressourcer: renders, and on a snapshot without its marts says
so per section instead of showing numbers."""

from __future__ import annotations

from tests.app.conftest import open_page


def test_page_renders_and_reports_missing_marts(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "retssikkerhed_ressourcer", tema="rehab_fritagelse")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Retssikkerhed og ressourcer"
    missing = [w.value for w in at.warning if "data findes ikke i dette snapshot" in w.value]
    # The hand-made fixture snapshot has none of the page's marts: one warning per section.
    assert len(missing) == 6
    assert not at.dataframe


def test_a_missing_mart_is_said_in_danish_without_duckdbs_english(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "retssikkerhed_ressourcer", tema="rehab_fritagelse")
    missing = [w.value for w in at.warning if "data findes ikke i dette snapshot" in w.value]
    assert missing and not any("Error" in m or "does not exist" in m for m in missing)
    assert any("(mangler: mart_omgoerelser_tema)" in m for m in missing)
