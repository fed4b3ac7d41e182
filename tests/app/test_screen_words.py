"""Item 4 of the readers' review, walked on every page: no code, English default or raw
value reaches a Danish screen — not in text, tables, choices, nor chart titles, axes and
legends."""

from __future__ import annotations

import json
import re

import pytest

from dashboards.site import PAGES
from ingest import schema
from tests.app.conftest import open_page
from tests.app.test_om_tallet import FIXTURE_UDEN_DATA

SIDER = [file.removesuffix(".py") for file, *_ in PAGES if file != "sql.py"]
# Case codes with an underscore (plan_ivaerksat, ingen_arbejdsgiver, …): never shown as is.
KODER = sorted(
    code
    for codes in (
        schema.MAALGRUPPER,
        schema.FRAVALG_BEGRUNDELSER,
        schema.FRITAGELSE_BEGRUNDELSER,
        schema.SUNDHEDSFAGLIGE_RAADGIVERE,
    )
    for code in codes
    if "_" in code
)
FORBIDDEN = re.compile(
    r"\b("
    + "|".join(map(re.escape, KODER))
    + r")\b|Choose an option|^(True|False|empty|nan|NaN|None)$"
)


def _chart_texts(spec: dict) -> list[str]:
    layout = spec.get("layout", {})
    texts = []
    for key in ("title", "xaxis", "yaxis"):
        part = layout.get(key, {})
        title = part.get("title", part) if key != "title" else part
        if isinstance(title, dict) and title.get("text"):
            texts.append(title["text"])
    texts += [t["name"] for t in spec.get("data", []) if t.get("name")]
    for trace in spec.get("data", []):
        values = trace.get("x")
        if isinstance(values, list):
            texts += [v for v in values if isinstance(v, str)]
    return texts


def screen_texts(at) -> list[str]:
    texts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption")
        for e in at.get(kind)
    ]
    texts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    texts += [w.value for kind in ("info", "warning", "success", "error") for w in at.get(kind)]
    for widget in [*at.selectbox, *at.radio, *at.multiselect]:
        texts += [str(o) for o in widget.options] + [widget.label]
        placeholder = getattr(widget.proto, "placeholder", "")
        if placeholder:
            texts.append(placeholder)
    for frame in at.dataframe:
        value = frame.value
        texts += [str(c) for c in value.columns]
        texts += [str(v) for column in value.columns for v in value[column].tolist()]
    for chart in at.get("plotly_chart"):
        texts += _chart_texts(json.loads(chart.proto.spec))
    return texts


@pytest.mark.parametrize("page", [p for p in SIDER if p not in FIXTURE_UDEN_DATA])
def test_no_code_or_english_default_on_a_danish_page(app_for, fixture_home, page):
    at = open_page(app_for(fixture_home), page)
    assert not at.exception
    found = sorted({t for t in screen_texts(at) if FORBIDDEN.search(t.strip())})
    assert found == [], found
