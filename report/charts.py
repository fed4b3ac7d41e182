"""Charts of the evaluation (plotly figures, Danish labels), for the report and the
dashboard's Effekt page; the estimators in :mod:`evaluation` return numbers only."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import polars as pl

from core.format import fmt_num
from evaluation.did import DidResult


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
    # The dashboard's colours: the trial group is always red, the control group blue.
    colours = {"Forsøgskommuner": "#e45756", "Kontrolgruppe": "#4c78a8"}
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
    result: DidResult, title: str | None = None, x_title: str = "Kvartaler før/efter start"
) -> go.Figure:
    """Leads and lags with their pointwise confidence intervals; the reference period (−1)
    is fixed at 0; a dashed line marks the start of the trial."""
    es = result.event_study
    percent = round(result.level * 100)
    figure = go.Figure(
        go.Scatter(
            x=es["rel_time"],
            y=es["estimate"],
            mode="markers+lines",
            name="Estimat",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (es["ci_high"] - es["estimate"]).to_list(),
                "arrayminus": (es["estimate"] - es["ci_low"]).to_list(),
            },
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        )
    )
    figure.add_hline(y=0, line_color="black", line_width=1)
    figure.add_vline(x=-0.5, line_dash="dash", line_color="grey", annotation_text="Start")
    heading = title or f"Hændelsesstudie: {result.outcome}"
    pretrend = (
        "kan ikke testes" if np.isnan(result.pretrend_p) else f"p = {fmt_num(result.pretrend_p, 2)}"
    )
    figure.update_layout(
        title=f"{heading}<br><sup>{percent} %-konfidensintervaller; "
        f"test for parallelle forløb før start: {pretrend}</sup>",
        xaxis_title=x_title,
        yaxis_title="Estimeret effekt (forskel i forskelle)",
        separators=",.",
        template="plotly_white",
    )
    return figure
