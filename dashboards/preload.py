"""Start loading plotly.js as soon as a page starts, not when its first chart arrives.

Streamlit's browser code loads plotly.js (its ``PlotlyChart`` chunk, 4.7 MB) only when the
first chart element reaches the browser, so on a fresh visit the download and compilation
of plotly.js waited for the server to get that far down the page. A ``modulepreload`` link
to the same file, added by the page's first element, lets the browser fetch and compile it
while the server is still running the page; the chart then imports the module already
loaded (the same URL is the same module). The file name is read from the installed
Streamlit, so it follows an upgrade; without it nothing is added. A page that draws no chart
(``dashboards.site.PAGES_WITHOUT_CHARTS``, by the last part of the address) gets no link:
there plotly.js would only take the browser's time.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit

from dashboards.site import PAGES_WITHOUT_CHARTS

STATIC_JS = Path(streamlit.__file__).resolve().parent / "static" / "static" / "js"


@cache
def plotly_chunk() -> str | None:
    """The file name of Streamlit's plotly.js chunk, if there is exactly one."""
    found = sorted(path.name for path in STATIC_JS.glob("PlotlyChart.*.js"))
    return found[0] if len(found) == 1 else None


def preload_script() -> str:
    """JavaScript adding the ``modulepreload`` link once per page (empty if no chunk)."""
    name = plotly_chunk()
    if name is None:
        return ""
    return (
        "(() => {"
        " if (document.querySelector('link[data-trialwh-preload]')) return;"
        f" const noCharts = {json.dumps(sorted(PAGES_WITHOUT_CHARTS))};"
        " if (noCharts.includes(location.pathname.replace(/\\/+$/, '').split('/').pop())) return;"
        ' const index = document.querySelector(\'script[type="module"][src*="/static/js/"]\');'
        f" const name = {json.dumps(name)};"
        " const link = document.createElement('link');"
        " link.rel = 'modulepreload';"
        " link.href = index ? new URL(name, index.src).href"
        " : new URL('static/js/' + name, document.baseURI).href;"
        " link.dataset.trialwhPreload = '1';"
        " document.head.appendChild(link);"
        " })();"
    )
