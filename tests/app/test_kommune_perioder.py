"""Kommune page: an indicator per quarter, per year and as a rolling 12 months.

Hand-computed from tests/app/fixture_snapshot.py: Rebild (840) has 20 LÆ285-eligible cases
a quarter, 5 of them waived in the trial quarters 2018K1–2020K4, none before or after."""

from __future__ import annotations

import json

from tests.app.conftest import login, open_page
from tests.app.test_overblik_headline import _numbers


def _rebild(at) -> dict[str, float]:
    chart = next(
        json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Rebild (840)" in c.proto.spec
    )
    trace = next(t for t in chart["data"] if t["name"] == "Rebild (840)")
    values = [round(v, 9) for v in _numbers(trace["y"])]
    return dict(zip(_numbers(trace["x"]), values, strict=True)), chart


def test_year_and_rolling_twelve_months(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "kommune", kommune="840", fra="2017K1", til="2021K4")
    assert not at.exception
    quarters, _ = _rebild(at)
    assert quarters["2017K4"] == 0 and quarters["2018K1"] == 25.0
    at.radio(key="kommune_opdeling").set_value("aar").run()
    years, chart = _rebild(at)
    # Whole years: 2017 none waived, 2018–2020 5 of 20 every quarter, 2021 none.
    assert years == {"2017": 0.0, "2018": 25.0, "2019": 25.0, "2020": 25.0, "2021": 0.0}
    assert chart["layout"]["xaxis"]["title"]["text"] == "År"
    at.radio(key="kommune_opdeling").set_value("loebende_12_mdr").run()
    rolling, chart = _rebild(at)
    # Twelve calendar months (mart_kommune_maaned), not four quarters: any twelve months hold
    # each month of a quarter four times, 4 · (8 + 6 + 6) = 80 eligible cases. Waived: up to
    # 2018M01 only January's 3 (3,75 %), up to 2018M02 3 + 1 (5 %), up to 2018M03 a
    # quarter's 5 (6,25 %), up to 2018M06 10 (12,5 %), up to 2018M12 20 (25 %); up to
    # 2021M01 February–December 2020, 1 + 1 + 3 · 5 = 17 (21,25 %). Up to 2017M01 the window
    # reaches back before the chosen period (2016M02–2017M01), still shown.
    assert rolling["2018M01"] == 3.75 and rolling["2018M02"] == 5.0
    assert rolling["2018M03"] == 6.25 and rolling["2018M06"] == 12.5
    assert rolling["2018M12"] == 25.0 and rolling["2021M01"] == 21.25
    assert rolling["2017M01"] == 0.0
    keys = list(rolling)
    assert (keys[0], keys[-1], len(keys)) == ("2017M01", "2021M12", 60)
    assert chart["layout"]["xaxis"]["title"]["text"] == "Løbende 12 mdr. til og med måned"
    assert any("mart_kommune_maaned" in c.value for c in at.caption)


def test_rolling_twelve_months_wait_for_a_whole_window(app_for, fixture_home):
    """The fixture's months start in 2015M01: the first whole window ends in 2015M12."""
    at = open_page(app_for(fixture_home), "kommune", kommune="840", fra="2015K1", til="2015K4")
    at.radio(key="kommune_opdeling").set_value("loebende_12_mdr").run()
    assert not at.exception
    rolling, _ = _rebild(at)
    assert list(rolling) == ["2015M12"] and rolling["2015M12"] == 0.0


def test_rolling_twelve_months_of_a_quarterly_indicator_are_four_quarters(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "kommune", kommune="840", fra="2017K1", til="2021K4")
    choice = next(s for s in at.selectbox if s.label == "Indikator")
    choice.select_index(choice.options.index("Omgørelsesprocent i Ankestyrelsen")).run()
    at.radio(key="kommune_opdeling").set_value("loebende_12_mdr").run()
    assert not at.exception
    rolling, chart = _rebild(at)
    keys = list(rolling)
    assert (keys[0], keys[-1], len(keys)) == ("2017K1", "2021K4", 20)
    assert chart["layout"]["xaxis"]["title"]["text"] == "Løbende 12 mdr. til og med kvartal"
    assert any("kun har kvartalstal" in c.value for c in at.caption)


def test_month_view_from_the_monthly_mart(app_for, fixture_home):
    """The fixture splits a quarter's counts over its months as q − 2·⌊q/3⌋, ⌊q/3⌋, ⌊q/3⌋:
    Rebild's 20 eligible cases a quarter are 8, 6, 6 a month, its 5 waived 3, 1, 1."""
    at = open_page(app_for(fixture_home), "kommune", kommune="840", fra="2017K4", til="2018K1")
    at.radio(key="kommune_opdeling").set_value("maaned").run()
    assert not at.exception
    months, chart = _rebild(at)
    assert months == {
        "2017M10": 0.0,
        "2017M11": 0.0,
        "2017M12": 0.0,
        "2018M01": 37.5,  # 3 of 8
        "2018M02": round(100 / 6, 9),  # 1 of 6
        "2018M03": round(100 / 6, 9),
    }
    assert chart["layout"]["xaxis"]["title"]["text"] == "Måned"
    assert any("mart_kommune_maaned" in c.value for c in at.caption)


def test_month_view_for_a_quarterly_indicator_says_so(app_for, fixture_home):
    at = open_page(app_for(fixture_home), "kommune", kommune="840")
    choice = next(s for s in at.selectbox if s.label == "Indikator")
    choice.select_index(choice.options.index("Omgørelsesprocent i Ankestyrelsen")).run()
    at.radio(key="kommune_opdeling").set_value("maaned").run()
    assert not at.exception
    assert any("opgøres kun pr. kvartal" in i.value for i in at.info)
    assert not any("Rebild (840)" in c.proto.spec for c in at.get("plotly_chart")[1:])


def test_month_view_is_suppressed_for_managers(app_for, login_home):
    at = app_for(login_home)
    at.query_params.update({"kommune": "840", "fra": "2017K4", "til": "2018K1"})
    at.switch_page("app_pages/kommune.py")
    login(at, "mette")
    at.radio(key="kommune_opdeling").set_value("maaned").run()
    assert not at.exception
    months, _ = _rebild(at)
    # 3 of 8 and 1 of 6 waived: numerators of 1–4 cases are hidden, and so are their shares;
    # none of 8 or 6 (before the trial) is shown.
    assert {k: v for k, v in months.items() if v == v} == {
        "2017M10": 0.0,
        "2017M11": 0.0,
        "2017M12": 0.0,
    }
    assert set(months) == {"2017M10", "2017M11", "2017M12", "2018M01", "2018M02", "2018M03"}
