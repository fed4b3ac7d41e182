"""Plotly figures for the pages: functions from a polars frame to a figure.

Danish number notation (``separators=",."``: decimal comma, thousands dot), quarters as
``2019K1`` (``2019Q1`` in English), labels in the user's language. Null values (e.g. cells
hidden by suppression) become gaps, never zeros.
"""

from __future__ import annotations

from functools import lru_cache

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from core.format import fmt_kvartal
from core.forskel import AKSE_TITLER
from dashboards.i18n import CODE_TABLES, GRUPPER, PERIODER, Lang, label
from dashboards.shared import shared_figure

PALETTE = {"forsoeg": "#e45756", "kontrol": "#4c78a8"}
DEFAULT_COLOURS = ["#4c78a8", "#e45756", "#54a24b", "#f58518", "#b279a2", "#72b7b2"]
# Legend order of the groups: the trial first, then the control group, on every chart.
GRUPPE_ORDEN = ("forsoeg", "kontrol")


def trial_first(grupper: list[str]) -> list[str]:
    """``grupper`` without repeats, in :data:`GRUPPE_ORDEN` (other values after, in their
    first order): the legend lists the trial first on every chart."""
    unique = list(dict.fromkeys(grupper))
    rank = {g: i for i, g in enumerate(GRUPPE_ORDEN)}
    return sorted(unique, key=lambda g: rank.get(g, len(rank)))


# Single municipalities: never the trial red or the control blue of PALETTE.
KOMMUNE_COLOURS = ["#54a24b", "#f58518", "#b279a2", "#72b7b2", "#9d755d", "#eeca3b"]


@lru_cache(maxsize=16)
def _template(trace_types: frozenset[str]) -> go.layout.Template:
    """Plotly's ``plotly_white`` with the trace defaults of ``trace_types`` only: the same
    look for the figure's traces, at a tenth of the full template's cost (plotly validates
    and copies its defaults for every trace type on each figure) and half its JSON."""
    white = pio.templates["plotly_white"]
    return go.layout.Template(
        layout=white.layout,
        data={kind: white.data[kind] for kind in sorted(trace_types) if kind in white.data},
    )


TITLE_LINE_CHARS = 40
TITLE_LINE_PX = 20


def talformat(figure: go.Figure, lang: Lang) -> go.Figure:
    """Numbers on the axes as the reader writes them: ``1.200`` and ``2,5`` in Danish,
    ``30,000`` and ``2.5`` in English, never plotly's SI suffixes (``30k``, ``1.2M``); a
    long title broken into lines that fit a phone (plotly does not wrap titles)."""
    figure.update_layout(separators=",." if lang == "da" else ".,")
    figure.update_xaxes(exponentformat="none", separatethousands=True)
    figure.update_yaxes(exponentformat="none", separatethousands=True)
    title = figure.layout.title.text
    if title:
        lines = _title_lines(title)
        added = len(lines) - len(title.split("<br>"))
        figure.update_layout(title_text="<br>".join(lines))
        if added > 0:
            # Room above the legend for the title's new lines (about 20 px each).
            top = figure.layout.margin.t if figure.layout.margin.t is not None else 100
            figure.update_layout(margin={"t": top + TITLE_LINE_PX * added})
    return figure


def _title_lines(title: str) -> list[str]:
    """The title's lines (``<br>``-separated, a ``<sup>`` subtitle kept as one) broken to
    at most ``TITLE_LINE_CHARS`` characters each."""
    lines: list[str] = []
    for part in title.split("<br>"):
        if part.startswith("<sup>") and part.endswith("</sup>"):
            inner = part.removeprefix("<sup>").removesuffix("</sup>")
            lines += [f"<sup>{line}</sup>" for line in _lines(inner, TITLE_LINE_CHARS + 15)]
        else:
            lines += _lines(part, TITLE_LINE_CHARS)
    return lines


def _lines(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _layout(figure: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    figure.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        separators=",.",
        template=_template(frozenset(trace.type for trace in figure.data)),
        # The legend above the plot: below it, it ran into the rotated quarters and the
        # source line at phone width.
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        margin={"t": 90, "l": 60, "r": 20, "b": 40},
        height=420,
    )
    return figure


# Axis title of an indicator's unit (seed indikatorer, enhed).
def unit_title(enhed: str, lang: Lang) -> str:
    """The y-axis title for an indicator's unit."""
    return label(AKSE_TITLER, enhed, lang)


def kvartal_labels(frame: pl.DataFrame, lang: Lang, column: str = "kvartal") -> pl.DataFrame:
    """Adds ``kvartal_label`` (``2019K1``) for a categorical quarter axis."""
    return frame.with_columns(
        pl.col(column)
        .map_elements(lambda d: fmt_kvartal(d, lang), return_dtype=pl.String)
        .alias(f"{column}_label")
    )


@shared_figure
def gruppe_linjer(
    frame: pl.DataFrame,
    y: str,
    *,
    title: str,
    y_title: str,
    lang: Lang,
    percent: bool = False,
    band: tuple[str, str] | None = None,
    marker_x: str | None = None,
    marker_text: str | None = None,
) -> go.Figure:
    """One line per ``gruppe`` over ``kvartal``; optional confidence band (low, high
    columns) and a vertical line at ``marker_x`` (e.g. the trial start quarter label),
    labelled ``marker_text`` (by default "Forsøget starter 2018K1")."""
    frame = kvartal_labels(frame, lang)
    figure = go.Figure()
    scale = 100.0 if percent else 1.0
    for gruppe in trial_first(frame["gruppe"].to_list()):
        part = frame.filter(pl.col("gruppe") == gruppe)
        colour = PALETTE.get(gruppe, "#54a24b")
        name = label(GRUPPER, gruppe, lang)
        if band is not None:
            low, high = band
            figure.add_trace(
                go.Scatter(
                    x=[*part["kvartal_label"], *reversed(part["kvartal_label"].to_list())],
                    y=[*(part[high] * scale), *reversed((part[low] * scale).to_list())],
                    fill="toself",
                    fillcolor=colour,
                    opacity=0.15,
                    line={"width": 0},
                    hoverinfo="skip",
                    name=f"{name} 95 %",
                    showlegend=False,
                )
            )
        figure.add_trace(
            go.Scatter(
                x=part["kvartal_label"],
                y=part[y] * scale,
                mode="lines+markers",
                name=name,
                line={"color": colour},
                connectgaps=False,
                hovertemplate="%{x}: %{y:,.1f}<extra>" + name + "</extra>",
            )
        )
    if marker_x is not None and marker_x in frame["kvartal_label"].to_list():
        figure.add_vline(x=marker_x, line_dash="dot", line_color="grey")
        # A dotted line alone does not say what it marks: the trial start unless told.
        if marker_text is None:
            marker_text = (
                f"Trial starts {marker_x}" if lang == "en" else f"Forsøget starter {marker_x}"
            )
        if marker_text:
            # Inside the plot at its top: above it, the label ran into the legend (which
            # sits above the plot) on a phone.
            figure.add_annotation(
                x=marker_x,
                y=1,
                yref="paper",
                text=marker_text,
                showarrow=False,
                xanchor="left",
                yanchor="top",
                bgcolor="rgba(255,255,255,0.85)",
                font={"color": "#595959", "size": 11},
            )
    x_title = "Quarter" if lang == "en" else "Kvartal"
    figure = _layout(figure, title, x_title, y_title)
    figure.update_xaxes(type="category")
    return figure


@shared_figure
def kommune_linjer(
    frame: pl.DataFrame,
    *,
    title: str,
    y_title: str,
    lang: Lang,
    percent: bool = False,
    fremhaevet: int | None = None,
    x_title: str | None = None,
) -> go.Figure:
    """One line per municipality (``kommunekode``, ``kommunenavn``, ``kvartal``,
    ``vaerdi``) over the quarters; ``fremhaevet`` drawn thicker and first. A frame that
    already has ``kvartal_label`` (years, rolling windows) keeps its labels."""
    if "kvartal_label" not in frame.columns:
        frame = kvartal_labels(frame, lang)
    scale = 100.0 if percent else 1.0
    figure = go.Figure()
    koder = frame["kommunekode"].unique(maintain_order=True).to_list()
    koder.sort(key=lambda code: code != fremhaevet)
    for index, kode in enumerate(koder):
        part = frame.filter(pl.col("kommunekode") == kode)
        name = f"{part['kommunenavn'][0]} ({kode})"
        figure.add_trace(
            go.Scatter(
                x=part["kvartal_label"],
                y=part["vaerdi"] * scale,
                mode="lines+markers",
                name=name,
                line={
                    "color": KOMMUNE_COLOURS[index % len(KOMMUNE_COLOURS)],
                    "width": 4 if kode == fremhaevet else 2,
                },
                connectgaps=False,
                hovertemplate="%{x}: %{y:,.1f}<extra>" + name + "</extra>",
            )
        )
    default_x = "Quarter" if lang == "en" else "Kvartal"
    figure = _layout(figure, title, x_title or default_x, y_title)
    figure.update_xaxes(type="category")
    return figure


@shared_figure
def attest_udgifter(frame: pl.DataFrame, *, title: str, lang: Lang) -> go.Figure:
    """Monthly counterfactual, actual and alternative spend, and the cumulative net saving
    (right axis)."""
    names = {
        "kontrafaktisk_udgift_kr": ("Udgift uden forsøg", "Cost without the trial"),
        "faktisk_attest_udgift_kr": ("Faktisk attestudgift", "Actual certificate cost"),
        "alternativ_udgift_kr": ("Alternativ dokumentation", "Alternative documents"),
        "kumuleret_besparelse_kr": ("Kumuleret nettobesparelse", "Cumulative net saving"),
    }
    figure = go.Figure()
    for index, (column, pair) in enumerate(names.items()):
        cumulative = column == "kumuleret_besparelse_kr"
        figure.add_trace(
            go.Scatter(
                x=frame["maaned"],
                y=frame[column],
                name=pair[1] if lang == "en" else pair[0],
                mode="lines",
                line={"color": DEFAULT_COLOURS[index], "dash": "dot" if cumulative else "solid"},
                yaxis="y2" if cumulative else "y",
                hovertemplate="%{x|%m.%Y}: %{y:,.0f} kr.<extra></extra>",
            )
        )
    kr = "DKK" if lang == "en" else "kr."
    figure = _layout(
        figure,
        title,
        "Month" if lang == "en" else "Måned",
        f"{kr} / {'month' if lang == 'en' else 'måned'}",
    )
    figure.update_layout(
        yaxis2={
            "title": ("Cumulative" if lang == "en" else "Kumuleret") + f" ({kr})",
            "overlaying": "y",
            "side": "right",
        }
    )
    figure.update_xaxes(tickformat="%m.%Y")
    return figure


@shared_figure
def soejler(
    frame: pl.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    color: str | None = None,
    lang: Lang = "da",
    percent: bool = False,
) -> go.Figure:
    """Bar chart of ``y`` by ``x`` (grouped by ``color`` when given: gruppe or periode are
    translated)."""
    scale = 100.0 if percent else 1.0
    if x in CODE_TABLES and frame.schema[x] == pl.String:
        words = {code: label(CODE_TABLES[x], code, lang) for code in CODE_TABLES[x]}
        frame = frame.with_columns(pl.col(x).replace(words))
    figure = go.Figure()
    if color is None:
        figure.add_trace(go.Bar(x=frame[x], y=frame[y] * scale, marker_color=DEFAULT_COLOURS[0]))
    else:
        vocabulary = GRUPPER if color == "gruppe" else PERIODER
        values = frame[color].unique(maintain_order=True).to_list()
        if color == "gruppe":
            values = trial_first(values)
        for index, value in enumerate(values):
            part = frame.filter(pl.col(color) == value)
            figure.add_trace(
                go.Bar(
                    x=part[x],
                    y=part[y] * scale,
                    name=label(vocabulary, str(value), lang),
                    marker_color=PALETTE.get(str(value), DEFAULT_COLOURS[index % 6]),
                )
            )
        figure.update_layout(barmode="group")
    return _layout(figure, title, x_title, y_title)


@shared_figure
def event_study(frame: pl.DataFrame, *, title: str, y_title: str, lang: Lang) -> go.Figure:
    """Event-study estimates (rel_time, estimate, ci_low, ci_high) with error bars."""
    figure = go.Figure(
        go.Scatter(
            x=frame["rel_time"],
            y=frame["estimate"],
            mode="markers",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": frame["ci_high"] - frame["estimate"],
                "arrayminus": frame["estimate"] - frame["ci_low"],
            },
            marker={"color": DEFAULT_COLOURS[1]},
            name="ATT",
        )
    )
    figure.add_hline(y=0, line_color="grey")
    figure.add_vline(x=-0.5, line_dash="dot", line_color="grey")
    x_title = (
        "Quarters relative to trial start"
        if lang == "en"
        else "Kvartaler i forhold til forsøgsstart"
    )
    return _layout(figure, title, x_title, y_title)


@shared_figure
def syntetisk_kontrol(
    frame: pl.DataFrame,
    *,
    title: str,
    y_title: str,
    navne: tuple[str, str],
    lang: Lang,
    start: str | None = None,
) -> go.Figure:
    """The treated municipality against its synthetic control over the quarters
    (``kvartal``, ``andel_forsoegskommune``, ``andel_syntetisk_kontrol``, shares 0–1 drawn in
    percent); ``navne``: (treated, synthetic) legend names; ``start``: the first trial
    quarter's label, marked by a dashed line."""
    frame = kvartal_labels(frame, lang)
    figure = go.Figure()
    for column, name, colour in (
        ("andel_forsoegskommune", navne[0], PALETTE["forsoeg"]),
        ("andel_syntetisk_kontrol", navne[1], PALETTE["kontrol"]),
    ):
        figure.add_trace(
            go.Scatter(
                x=frame["kvartal_label"],
                y=frame[column] * 100,
                mode="lines+markers",
                name=name,
                line={"color": colour, "width": 3},
                connectgaps=False,
                hovertemplate="%{x}: %{y:,.1f} %<extra>" + name + "</extra>",
            )
        )
    if start is not None:
        figure.add_vline(x=start, line_dash="dash", line_color="grey")
    figure = _layout(figure, title, "Quarter" if lang == "en" else "Kvartal", y_title)
    figure.update_xaxes(type="category")
    return figure
