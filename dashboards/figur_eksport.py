"""Charts that can be exported as PNG with their provenance on them.

Every figure gets a small line at its foot: source mart, period, data as of and build id,
and the chart's camera button (plotly's modebar, "Hent som PNG") saves a PNG at twice the
screen resolution under a file name of the chart's title. The PNG is drawn by plotly.js in
the browser, so it works without a network and needs no server-side renderer (kaleido
needs a Chrome of its own to be installed, which the serving machine need not have); the
stamp is part of the figure, so it is in the PNG as on the screen.
"""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go

from core.format import fmt_date, fmt_kvartal
from dashboards.i18n import tr
from dashboards.state import PageContext

STAMP_NAME = "trialwh_kilde"
# Pixels below the plot area for the stamp (under tick labels and the axis title).
STAMP_OFFSET_PX = 92
# The stamp's three lines (source; period and data as of; build) of 10 px text.
STAMP_LINES = 3
STAMP_MARGIN_PX = 118 + (STAMP_LINES - 1) * 13


def stamp_text(ctx: PageContext, source: str) -> str:
    """``Kilde: marts.mart_x<br>Periode: 2018K1–2020K4 · Data pr. 31.03.2021<br>build b1``:
    three short lines, each narrow enough for a phone (about 45 characters)."""
    f, lang, build = ctx.filters, ctx.lang, ctx.snap.build
    return "<br>".join(
        [
            f"{tr(lang, 'Kilde', 'Source')}: {source}",
            f"{tr(lang, 'Periode', 'Period')}: "
            f"{fmt_kvartal(f.fra, lang)}–{fmt_kvartal(f.til, lang)} · "
            f"{tr(lang, 'Data pr.', 'Data as of')} {fmt_date(build.data_as_of, lang) or '?'}",
            f"build {build.build_id}",
        ]
    )


def stamp(fig: go.Figure, ctx: PageContext, source: str) -> go.Figure:
    """``fig`` with the provenance line at its foot (replacing an earlier stamp)."""
    kept = [a for a in fig.layout.annotations if a.name != STAMP_NAME]
    fig.layout.annotations = kept
    fig.add_annotation(
        name=STAMP_NAME,
        text=stamp_text(ctx, source),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-STAMP_OFFSET_PX,
        showarrow=False,
        align="left",
        font={"size": 10, "color": "#595959"},
    )
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else 0
    fig.update_layout(margin={"b": max(bottom, STAMP_MARGIN_PX)})
    return fig


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "figur"


def png_config(fig: go.Figure) -> dict[str, Any]:
    """plotly config: the camera button saves a PNG named after the chart's title."""
    title = fig.layout.title.text or ""
    plain = re.sub(r"<[^>]+>", " ", title)
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": _slug(plain.translate(str.maketrans("æøåÆØÅ", "aoaAOA"))),
            "scale": 2,
        },
    }
