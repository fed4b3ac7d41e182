"""Descriptive charts for the evaluation report (plotly figures, Danish labels)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl


def trend_figure(
    panel: pl.DataFrame,
    outcome: str,
    time: str,
    group: str,
    title: str,
    y_title: str,
    start: int | None = None,
) -> go.Figure:
    """Unweighted mean of ``outcome`` per period for each value of ``group`` (e.g. "Forsøg" /
    "Kontrol"), with a dashed line at ``start`` (the first trial period)."""
    means = (
        panel.filter(pl.col(outcome).is_not_null())
        .group_by(group, time)
        .agg(pl.col(outcome).mean().alias("gennemsnit"), pl.len().alias("kommuner"))
        .sort(group, time)
    )
    figure = go.Figure()
    colours = {"Forsøg": "#e45756", "Kontrol": "#4c78a8"}
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
    figure.update_layout(
        title=title,
        xaxis_title="Kvartal (1 = 2015K1)",
        yaxis_title=y_title,
        separators=",.",
        template="plotly_white",
    )
    return figure
