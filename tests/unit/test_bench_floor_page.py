"""The floor page of ``bench/bench_pages_browser.py``: each ``--elements`` variant draws the
elements its description names, and nothing else beside the floor's title and chart (so the
cost the benchmark prints for a variant is the cost of those elements)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from bench.bench_pages_browser import ALL_ELEMENTS, FLOOR_APP, FLOOR_ELEMENTS


def _run(query: dict[str, str]) -> AppTest:
    app = AppTest.from_string(FLOOR_APP, default_timeout=30)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception
    return app


def _counts(app: AppTest) -> dict[str, int]:
    return {
        "selectbox": len(app.selectbox),
        "sidebar_selectbox": len(app.sidebar.selectbox),
        "checkbox": len(app.checkbox),
        "markdown": len(app.markdown),
        "expander": len(app.expander),
        "metric": len(app.metric),
        "dataframe": len(app.dataframe),
        "table": len(app.table),
        "download": len(app.get("download_button")),
        "chart": len(app.get("plotly_chart")),
        "title": len(app.title),
    }


FLOOR = {
    "selectbox": 0,
    "sidebar_selectbox": 0,
    "checkbox": 0,
    "markdown": 0,
    "expander": 0,
    "metric": 0,
    "dataframe": 0,
    "table": 0,
    "download": 0,
    "chart": 1,
    "title": 1,
}

# What each variant adds to the floor, counted by hand from FLOOR_ELEMENTS' descriptions.
ADDED = {
    "sidepanel": {"selectbox": 5, "sidebar_selectbox": 5, "checkbox": 1},
    "vaelger": {"selectbox": 1},
    "tekst": {"markdown": 35},
    "foldud": {"expander": 9, "markdown": 9},
    "noegletal": {"metric": 4},
    "tabel": {"dataframe": 1},
    "tabeller": {"dataframe": 4},
    "tabel_foldet": {"expander": 1, "dataframe": 1},
    "statiske_tabeller": {"table": 4},
    "hent": {"download": 8},
    "diagram2": {"chart": 1},
}


def test_every_variant_is_counted_here():
    assert set(ADDED) == set(FLOOR_ELEMENTS)


def test_the_floor_is_a_title_and_one_chart():
    assert _counts(_run({})) == FLOOR
    assert _counts(_run({"diagram": "0"})) == FLOOR | {"chart": 0}


@pytest.mark.parametrize("name", sorted(FLOOR_ELEMENTS))
def test_a_variant_adds_only_its_elements(name):
    expected = dict(FLOOR)
    for kind, n in ADDED[name].items():
        expected[kind] += n
    assert _counts(_run({"med": name})) == expected


def test_all_elements_together():
    expected = dict(FLOOR)
    for name in ALL_ELEMENTS.split(","):
        for kind, n in ADDED[name].items():
            expected[kind] += n
    assert _counts(_run({"med": ALL_ELEMENTS})) == expected
