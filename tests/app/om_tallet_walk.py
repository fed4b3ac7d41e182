"""Walk a page in AppTest and check «Om tallet»: every indicator of seed ``indikatorer``
(read here with the csv module, not through the app's vocabulary) whose name is shown as a
title, metric, chart title or table header has an «Om tallet» expander, and every such
expander holds that indicator's definition, word for word, in the chosen language."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

SEED = Path(__file__).resolve().parents[2] / "seeds" / "indikatorer.csv"
PREFIX = {"da": "Om tallet: ", "en": "About the figure: "}


def seed_definitions(lang: str) -> dict[str, str]:
    """Indicator name → definition in ``lang``, straight from the seed file."""
    with SEED.open(encoding="utf-8", newline="") as handle:
        return {row[f"navn_{lang}"]: row[f"definition_{lang}"] for row in csv.DictReader(handle)}


def _chart_titles(at: AppTest) -> list[str]:
    titles = []
    for chart in at.get("plotly_chart"):
        title = json.loads(chart.proto.spec).get("layout", {}).get("title", {})
        text = title.get("text") if isinstance(title, dict) else title
        if text:
            titles.append(text)
    return titles


def shown_labels(at: AppTest) -> set[str]:
    """Texts that name what a figure is: titles, metric labels, chart titles, table headers."""
    texts = [e.value for kind in ("title", "header", "subheader") for e in at.get(kind)]
    texts += [m.label for m in at.metric]
    texts += _chart_titles(at)
    texts += [str(column) for frame in at.dataframe for column in frame.value.columns]
    return set(texts)


def om_tallet(at: AppTest, lang: str) -> dict[str, list[str]]:
    """Indicator name → the markdown inside its «Om tallet» expander(s)."""
    found: dict[str, list[str]] = {}
    for expander in at.expander:
        if expander.label.startswith(PREFIX[lang]):
            name = expander.label.removeprefix(PREFIX[lang])
            found.setdefault(name, []).extend(m.value for m in expander.markdown)
    return found


def check_page(at: AppTest, lang: str) -> set[str]:
    """Assert the rules above; returns the names of the indicators defined on the page."""
    definitions = seed_definitions(lang)
    found = om_tallet(at, lang)
    for name, bodies in found.items():
        assert name in definitions, f"«Om tallet» for an unknown indicator: {name!r}"
        assert bodies and all(body == definitions[name] for body in bodies), (name, bodies)
    shown = {name for name in definitions if name in shown_labels(at)}
    missing = shown - set(found)
    assert not missing, f"indicators shown without «Om tallet»: {sorted(missing)}"
    return set(found)
