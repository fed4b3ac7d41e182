"""What the browser walk of every page found, held server-side: a chart that cannot be
shown is left out with its reason, not drawn empty."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from core.paths import Home
from tests.app.conftest import login, open_page
from tests.app.test_overblik_headline import _numbers

HIDDEN = "Udgiftskurven vises ikke, fordi en kommune har for få sager."


def _changed_copy(source: Home, root: Path, update: str) -> Home:
    """A copy of ``source`` under ``root`` whose published snapshot has had ``update`` run."""
    home = Home(root)
    shutil.copytree(source.root, home.root, dirs_exist_ok=True)
    with duckdb.connect(str(home.published)) as con:
        con.execute(update)
    return home


@pytest.fixture(scope="module")
def small_laesoe_home(login_home, tmp_path_factory) -> Home:
    """The login home with one small count: Læsø waives LÆ285 in 2 cases in 2019K1 (one
    month) and in none of its other months."""
    return _changed_copy(
        login_home,
        tmp_path_factory.mktemp("small_laesoe"),
        "update marts.mart_attestbesparelse set attest_fravalgt = case when maaned = "
        "date '2019-01-01' then 2 else 0 end where kommunekode = 825 and dokumenttype = "
        "'LAE285'",
    )


def _chart_titles(at) -> list[str]:
    # A long title is broken into lines (<br>) to fit a phone; the words are what count here.
    return [
        json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ")
        for c in at.get("plotly_chart")
    ]


@pytest.mark.parametrize(("user", "drawn"), [("mette", False), ("eva", True)])
def test_a_hidden_spend_curve_is_a_notice_without_an_empty_chart(
    app_for, small_laesoe_home, user, drawn
):
    # Læsø's 2 waived certificates could be read off the pooled monthly curve, so a
    # manager gets the notice only.
    at = app_for(small_laesoe_home)
    login(at, user)
    at.switch_page("app_pages/laegeattester.py").run()
    assert not at.exception, [e.value for e in at.exception]
    titles = _chart_titles(at)
    spend = [t for t in titles if "udgift pr. måned" in t]
    notices = [i.value for i in at.info]
    if drawn:
        assert spend == ["LÆ285: udgift pr. måned i forsøgskommunerne"]
        assert HIDDEN not in notices
    else:
        assert spend == [], titles
        assert HIDDEN in notices
        # The page's other charts are still there.
        assert titles


def test_datakvalitet_names_the_sources_in_words(app_for, fixture_home):
    # The fixture's load log has the sources sygedagpengesager and rehabiliteringssager.
    at = open_page(app_for(fixture_home), "datakvalitet")
    assert not at.exception, [e.value for e in at.exception]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    shown = {x for trace in spec["data"] for x in trace["x"]}
    assert shown == {"Sygedagpengesager", "Rehabiliteringssager"}, shown


def test_every_extract_source_has_a_name():
    from dashboards.i18n import KILDENAVNE
    from ingest.schema import SOURCES, WIDE_SOURCES

    assert set(KILDENAVNE) == set(SOURCES) | set(WIDE_SOURCES)
    assert all(da and en for da, en in KILDENAVNE.values())


@pytest.mark.parametrize(
    ("lang", "ours", "other"),
    [("da", "Hovedinterval: ", "Headline interval"), ("en", "Headline interval: ", "Hoved")],
)
def test_effekt_explains_its_interval_in_the_chosen_language(
    app_for, fixture_home, lang, ours, other
):
    # The lines under the estimate were English in Danish mode (and the reverse never).
    params = {"lang": "en"} if lang == "en" else {}
    at = open_page(app_for(fixture_home), "effekt", **params)
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    assert any(c.startswith(ours) for c in captions), captions
    assert not any(other in c for c in captions), captions
    label = "Effect (ATT)" if lang == "en" else "Effekt (ATT)"
    assert label in [m.label for m in at.metric]


@pytest.fixture(scope="module")
def laesoe_always_treated_home(fixture_home, tmp_path_factory) -> Home:
    """The fixture with Læsø (825) in the LÆ285 trial from the first quarter: with no
    quarter before its start the estimate leaves it out."""
    return _changed_copy(
        fixture_home,
        tmp_path_factory.mktemp("laesoe_always_treated"),
        "update marts.mart_panel_kommune_kvartal set forsoeg_start_index_lae285 = 1 "
        "where kommunekode = 825",
    )


def test_effekt_names_the_municipalities_left_out(app_for, laesoe_always_treated_home):
    # The line listed the bare code: "Udeladte kommuner: 825".
    at = open_page(app_for(laesoe_always_treated_home), "effekt")
    assert not at.exception, [e.value for e in at.exception]
    left_out = [c.value for c in at.caption if c.value.startswith("Udeladte kommuner: ")]
    assert left_out == ["Udeladte kommuner: Læsø (825)"], [c.value for c in at.caption]


@pytest.mark.parametrize(
    ("lang", "att", "unit"),
    [("da", "33,3 procentpoint", "procentpoint"), ("en", "33.3 percentage points", "points")],
)
def test_effekt_shows_a_share_effect_in_percentage_points(app_for, fixture_home, lang, att, unit):
    # LÆ285 waived in the trial quarters: 10/40, 5/20 and 1/2 in the three trial
    # municipalities, 0 before and in the controls: ATT = (0,25 + 0,25 + 0,5) / 3 = 1/3,
    # shown as a bare fraction "0,333" before.
    params = {"lang": "en"} if lang == "en" else {}
    at = open_page(app_for(fixture_home), "effekt", **params)
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Effect (ATT)" if lang == "en" else "Effekt (ATT)"] == att, metrics
    # The interval beside it is in the same unit, written once (four metrics in a row cut
    # "… procentpoint" short at 1440 px).
    interval = metrics["95% CI" if lang == "en" else "95 %-KI"]
    assert unit not in interval and " – " in interval, interval
    headline = next(c.value for c in at.caption if c.value.startswith(("Hoved", "Headline")))
    assert unit in headline, headline


def _named_traces(chart) -> list[str]:
    return [t["name"] for t in json.loads(chart.proto.spec)["data"] if t.get("name")]


@pytest.mark.parametrize(("lang", "suffix"), [("da", " %"), ("en", "%")])
def test_kaplan_meier_axis_is_in_percent(app_for, fixture_home, lang, suffix):
    # The y-axis read 0–1 where every other share axis reads %: a curve starts at 100 %.
    params = {"lang": "en"} if lang == "en" else {}
    at = open_page(app_for(fixture_home), "sagsbehandlingstid", **params)
    assert not at.exception, [e.value for e in at.exception]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["yaxis"]["ticksuffix"] == suffix
    assert spec["layout"]["yaxis"]["range"] == [0, 102]
    shares = [y for t in spec["data"] for y in _numbers(t["y"]) if y is not None]
    assert min(shares) >= 0 and max(shares) <= 100
    assert max(y for t in spec["data"] if t.get("name") for y in _numbers(t["y"])) > 1


def assert_trial_first_in_legends(at) -> None:
    """Every chart of ``at`` whose legend names the control group names the trial first."""
    assert not at.exception, [e.value for e in at.exception]
    legends = [_named_traces(c) for c in at.get("plotly_chart")]
    grouped = [names for names in legends if any(n.startswith("Kontrol") for n in names)]
    assert grouped, legends
    for names in grouped:
        first_control = next(i for i, n in enumerate(names) if n.startswith("Kontrol"))
        assert all(n.startswith("Forsøg") for n in names[:first_control]), names
        assert first_control > 0, names


@pytest.mark.parametrize("page", ["sagsbehandlingstid", "overblik"])
def test_legends_list_the_trial_first(app_for, fixture_home, page):
    # Some legends listed the control group first, others the trial.
    assert_trial_first_in_legends(open_page(app_for(fixture_home), page))


@pytest.mark.parametrize(
    ("lang", "att_row", "unit", "p_header", "measure", "value", "unit_col", "counts"),
    [
        (
            "da",
            "ATT (Callaway–Sant'Anna, simpel)",
            "procentpoint",
            "p-værdi",
            "Mål",
            "Værdi",
            "Enhed",
            "Kommuner: 3 i forsøg",
        ),
        (
            "en",
            "ATT (Callaway–Sant'Anna, simple)",
            "percentage points",
            "p-value",
            "Measure",
            "Value",
            "Unit",
            "Municipalities: 3 in the trial",
        ),
    ],
)
def test_effekt_summary_table_in_the_indicators_unit_and_language(
    app_for, fixture_home, lang, att_row, unit, p_header, measure, value, unit_col, counts
):
    # The summary table showed the share effect as the fraction 0,333, its row labels in
    # Danish in English mode, and its p-values with one decimal (0,050 as "0,1"). ATT =
    # (0,25 + 0,25 + 0,5)/3 = 1/3: 33,3 percentage points; three trial municipalities.
    params = {"lang": "en"} if lang == "en" else {}
    at = open_page(app_for(fixture_home), "effekt", **params)
    assert not at.exception, [e.value for e in at.exception]
    table = next(f.value for f in at.dataframe if unit_col in f.value.columns)
    rows = dict(zip(table[measure], zip(table[value], table[unit_col], strict=True), strict=True))
    sep = "," if lang == "da" else "."
    assert rows[att_row] == (f"33{sep}3", unit), rows[att_row]
    p_table = next(f.value for f in at.dataframe if p_header in f.value.columns)
    shown = p_table[p_header].to_list()
    assert shown and all(re.fullmatch(rf"[01]\{sep}\d{{3}}", p) for p in shown if p), shown
    assert any(c.value.startswith(counts) for c in at.caption), [c.value for c in at.caption]


def test_effekt_event_study_in_english_and_percentage_points(app_for, fixture_home):
    # Walking the manager in English at 1440 px: the event study's subtitle and axis were
    # Danish ("95 %-konfidensintervaller", "Estimeret effekt"), its estimates fractions.
    at = open_page(app_for(fixture_home), "effekt", lang="en")
    assert not at.exception, [e.value for e in at.exception]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    (event,) = [s for s in specs if "parallel trends" in s["layout"]["title"]["text"]]
    assert event["layout"]["yaxis"]["title"]["text"].endswith("percentage points")
    assert "konfidens" not in json.dumps(event["layout"])
    # After the start the LÆ285 share rose by 1/3 on average: 33.3 points, not 0.333.
    trace = event["data"][0]
    after = [y for x, y in zip(_numbers(trace["x"]), _numbers(trace["y"]), strict=True) if x >= 0]
    assert after and max(after) > 1
