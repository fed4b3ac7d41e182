"""Charts of the evaluation (plotly figures, Danish labels), for the report and the
dashboard's Effekt page; the estimators in :mod:`evaluation` return numbers only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
import polars as pl

from core.format import fmt_num
from evaluation.did import DidResult
from evaluation.proportions import funnel_limits
from evaluation.survival import KMResult
from evaluation.synth import SynthResult

# The dashboard's colours: the trial group is always red, the control group blue.
GRUPPE_FARVER = {"Forsøgskommuner": "#e45756", "Kontrolgruppe": "#4c78a8"}


def trend_figure(
    panel: pl.DataFrame,
    outcome: str,
    time: str,
    group: str,
    title: str,
    y_title: str,
    start: int | None = None,
    time_labels: dict[int, str] | None = None,
) -> go.Figure:
    """Unweighted mean of ``outcome`` per period for each value of ``group`` (e.g.
    "Forsøgskommuner" / "Kontrolgruppe"), with a dashed line at ``start`` (the first trial
    period). ``time_labels``: the quarter (``2018K1``) of each period, for the axis."""
    means = (
        panel.filter(pl.col(outcome).is_not_null())
        .group_by(group, time)
        .agg(pl.col(outcome).mean().alias("gennemsnit"), pl.len().alias("kommuner"))
        .sort(group, time)
    )
    figure = go.Figure()
    colours = GRUPPE_FARVER
    for (name,), part in means.group_by(group, maintain_order=True):
        figure.add_trace(
            go.Scatter(
                x=part[time],
                y=part["gennemsnit"],
                mode="lines+markers",
                name=str(name),
                line={"color": colours.get(str(name))},
                customdata=part["kommuner"],
                hovertemplate="%{x}: %{y:.3f} (%{customdata} kommuner)<extra></extra>",
            )
        )
    if start is not None:
        figure.add_vline(x=start - 0.5, line_dash="dash", line_color="grey")
        if time_labels and start in time_labels:
            figure.add_annotation(
                x=start - 0.5,
                y=1,
                yref="paper",
                text=f"Forsøget starter {time_labels[start]}",
                showarrow=False,
                xanchor="left",
                yanchor="bottom",
                font={"color": "grey"},
            )
    if time_labels:
        ticks = sorted(time_labels)[:: max(1, len(time_labels) // 12)]
        figure.update_xaxes(tickvals=ticks, ticktext=[time_labels[t] for t in ticks])
    figure.update_layout(
        title=title,
        xaxis_title="Kvartal" if time_labels else "Kvartal (1 = 2015K1)",
        yaxis_title=y_title,
        separators=",.",
        template="plotly_white",
    )
    return figure


def event_study_figure(
    result: DidResult,
    title: str | None = None,
    x_title: str | None = None,
    *,
    lang: str = "da",
    scale: float = 1.0,
    unit: str = "",
) -> go.Figure:
    """Leads and lags with their pointwise confidence intervals; the reference period (−1)
    is fixed at 0; a dashed line marks the start of the trial. ``lang``: "da" or "en";
    estimates times ``scale`` in ``unit`` (an indicator's display unit, e.g. 100 and
    procentpoint for a share kept as a fraction)."""
    en = lang == "en"
    es = result.event_study
    percent = round(result.level * 100)
    estimate = es["estimate"] * scale
    low, high = es["ci_low"] * scale, es["ci_high"] * scale
    figure = go.Figure(
        go.Scatter(
            x=es["rel_time"],
            y=estimate,
            mode="markers+lines",
            name="Estimate" if en else "Estimat",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (high - estimate).to_list(),
                "arrayminus": (estimate - low).to_list(),
            },
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        )
    )
    figure.add_hline(y=0, line_color="black", line_width=1)
    figure.add_vline(x=-0.5, line_dash="dash", line_color="grey", annotation_text="Start")
    p = fmt_num(result.pretrend_p, 2, "en" if en else "da")
    if en:
        heading = title or f"Event study: {result.outcome}"
        pretrend = "cannot be tested" if np.isnan(result.pretrend_p) else f"p = {p}"
        subtitle = f"{percent}% confidence intervals; test of parallel trends before the start"
        y_title = "Estimated effect (difference in differences)"
    else:
        heading = title or f"Hændelsesstudie: {result.outcome}"
        pretrend = "kan ikke testes" if np.isnan(result.pretrend_p) else f"p = {p}"
        subtitle = f"{percent} %-konfidensintervaller; test for parallelle forløb før start"
        y_title = "Estimeret effekt (forskel i forskelle)"
    figure.update_layout(
        title=f"{heading}<br><sup>{subtitle}: {pretrend}</sup>",
        xaxis_title=x_title
        or ("Quarters before/after start" if en else "Kvartaler før/efter start"),
        yaxis_title=f"{y_title}, {unit}" if unit else y_title,
        separators=".," if en else ",.",
        template="plotly_white",
    )
    return figure


def funnel_figure(
    data: pl.DataFrame,
    successes: str,
    n: str,
    label: str,
    title: str = "Tragtdiagram",
    y_title: str = "Andel",
    percent: bool = True,
    highlight: Sequence[object] | None = None,
) -> go.Figure:
    """Funnel plot of ``successes / n`` per unit (e.g. omgørelsesprocent per municipality
    against its number of decisions), with 95 % and 99,8 % limits around the pooled rate.

    ``highlight``: labels to draw in a second colour (e.g. the trial municipalities).
    """
    frame = data.filter(pl.col(n) > 0)
    total_x, total_n = float(frame[successes].sum()), float(frame[n].sum())
    pooled = total_x / total_n
    scale = 100.0 if percent else 1.0
    grid = np.unique(np.linspace(1, max(float(frame[n].max()), 2.0), 300).round())
    limits = funnel_limits(pooled, grid)
    figure = go.Figure()
    styles = {"95": ("dash", "95 %-grænse"), "998": ("dot", "99,8 %-grænse")}
    for tag, (dash, name) in styles.items():
        for side in ("lav", "hoej"):
            figure.add_trace(
                go.Scatter(
                    x=limits["n"],
                    y=limits[f"{side}_{tag}"] * scale,
                    mode="lines",
                    line={"dash": dash, "color": "grey"},
                    name=name,
                    showlegend=side == "lav",
                    hoverinfo="skip",
                )
            )
    # The pooled rate as a legend entry, not a label on the line: the label ran into the
    # municipalities' dots.
    figure.add_trace(
        go.Scatter(
            x=[float(grid[0]), float(grid[-1])],
            y=[pooled * scale, pooled * scale],
            mode="lines",
            line={"color": "black"},
            name="Samlet niveau",
            hoverinfo="skip",
        )
    )
    marked = set(highlight or [])
    # As floats: a DECIMAL(38,0) sum divided by another keeps scale 0 and rounds every rate
    # to 0 (the report's funnel once drew every municipality at 0 %).
    frame = frame.with_columns(
        (pl.col(successes).cast(pl.Float64) / pl.col(n).cast(pl.Float64) * scale).alias("__rate"),
        pl.col(label).is_in(list(marked)).alias("__marked"),
    )
    # Trial municipalities in the trial colour of every chart; the rest (not the control
    # group: every other municipality) in grey.
    dots = ((False, "Øvrige kommuner", "#9d9d9d"), (True, "Forsøgskommuner", "#e45756"))
    for is_marked, name, colour in dots:
        part = frame.filter(pl.col("__marked") == is_marked)
        if part.height == 0:
            continue
        figure.add_trace(
            go.Scatter(
                x=part[n],
                y=part["__rate"],
                mode="markers",
                name=name,
                marker={"color": colour},
                text=part[label].cast(pl.String),
                hovertemplate="%{text}: %{y:.1f} (n = %{x})<extra></extra>",
            )
        )
    figure.update_layout(
        title=title,
        xaxis_title="Antal (n)",
        yaxis_title=y_title,
        separators=",.",
        template="plotly_white",
    )
    return figure


def km_figure(
    curves: Mapping[str, KMResult],
    title: str = "Kaplan–Meier",
    x_title: str = "Dage",
    y_title: str = "Andel endnu ikke afsluttet",
    styles: Mapping[str, tuple[str, str]] | None = None,
    lang: str = "da",
) -> go.Figure:
    """Step curves (with shaded pointwise bands) for several named Kaplan–Meier estimates,
    the share on a percent axis (``50 %``; ``50%`` when ``lang`` is ``"en"``) as every other
    share axis. ``styles``: curve name → (colour, dash), so a group keeps its colour on every
    chart whichever curves are drawn; curves not named there take the palette's colours."""
    palette = ["#4c78a8", "#e45756", "#54a24b", "#f58518", "#b279a2", "#72b7b2"]
    styles = styles or {}
    figure = go.Figure()
    for index, (name, result) in enumerate(curves.items()):
        colour, dash = styles.get(name, (palette[index % len(palette)], "solid"))
        curve = result.curve
        figure.add_trace(
            go.Scatter(
                x=np.concatenate([curve["time"], curve["time"][::-1]]),
                y=100 * np.concatenate([curve["ci_high"], curve["ci_low"][::-1]]),
                fill="toself",
                line={"shape": "hv", "width": 0},
                fillcolor=colour,
                opacity=0.15,
                hoverinfo="skip",
                showlegend=False,
            )
        )
        figure.add_trace(
            go.Scatter(
                x=curve["time"],
                y=100 * np.asarray(curve["survival"]),
                mode="lines",
                line={"shape": "hv", "color": colour, "dash": dash},
                name=f"{name} (median {result.median:g})",
            )
        )
    figure.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        yaxis_range=[0, 102],
        yaxis_ticksuffix="%" if lang == "en" else " %",
        separators=".," if lang == "en" else ",.",
        template="plotly_white",
    )
    return figure


def gap_figure(result: SynthResult, title: str | None = None) -> go.Figure:
    """Gap (treated − synthetic) over time with the placebo gaps in grey."""
    figure = go.Figure()
    if result.placebo_gaps.height:
        for name, part in result.placebo_gaps.group_by("unit", maintain_order=True):
            figure.add_trace(
                go.Scatter(
                    x=part["time"],
                    y=part["gap"],
                    mode="lines",
                    line={"color": "lightgrey", "width": 1},
                    name=f"Placebo {name[0]}",
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    figure.add_trace(
        go.Scatter(
            x=result.path["time"],
            y=result.path["gap"],
            mode="lines+markers",
            line={"color": "#e45756", "width": 3},
            name=f"{result.treated_unit} − syntetisk kontrol",
        )
    )
    figure.add_hline(y=0, line_color="black", line_width=1)
    figure.add_vline(x=result.treatment_time - 0.5, line_dash="dash", line_color="grey")
    figure.update_layout(
        title=title
        or f"Syntetisk kontrol: {result.outcome}, kommune {result.treated_unit}"
        f"<br><sup>placebo-p = {result.p_value:.2f}</sup>",
        xaxis_title="Periode",
        yaxis_title="Forskel til syntetisk kontrol",
        separators=",.",
        template="plotly_white",
    )
    return figure
