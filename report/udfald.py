"""The report's section «Beskæftigelse og forsørgelse»: the theme's outcomes measured in
DREAM (panel indicators of seed ``indikatorer``), trial vs control before vs during the
trial, each with its definition from the vocabulary.

The values are means over the municipality-quarters that have one (the panel's grain; the
rules, weeks and censoring live in the models). The difference-in-differences of each is
on the dashboard's Effekt page, which offers every panel indicator.
"""

from __future__ import annotations

import polars as pl

from core import vocabulary
from core.format import fmt_num, fmt_pct

PANEL_MART = "mart_panel_kommune_kvartal"
# The panel indicators measured in DREAM (from fct_sygedagpengeudfald and
# fct_rehabiliteringsudfald): codes of seed indikatorer, whose rows hold names and
# definitions. Each report shows those of its own theme.
DREAM_INDIKATORER: tuple[str, ...] = (
    "andel_selvforsoergende_uge_26",
    "andel_selvforsoergende_uge_52",
    "andel_gensygemeldt_6_mdr",
    "gns_ydelsesuger_52",
    "andel_selvforsoergende_uge_52_efter_afgoerelse",
    "andel_selvforsoergende_uge_13_psykisk",
    "andel_selvforsoergende_uge_26_psykisk",
    "andel_selvforsoergende_uge_52_psykisk",
    "andel_gensygemeldt_6_mdr_psykisk",
    "andel_gensygemeldt_12_mdr_psykisk",
    "gns_ydelsesuger_52_psykisk",
)
COLUMNS = ("Indikator", "Gruppe", "Periode", "Gennemsnit", "Kommunekvartaler med værdi")


def udfald_indikatorer(tema: str) -> tuple[vocabulary.Indikator, ...]:
    """The theme's own DREAM outcomes of the panel, in the vocabulary's order."""
    return tuple(
        i
        for i in vocabulary.indikatorer()
        if i.indikator in DREAM_INDIKATORER and i.tema == tema and i.mart == PANEL_MART
    )


def udfald_table(panel: pl.DataFrame, tema: str) -> pl.DataFrame:
    """Per indicator of ``tema`` in ``panel`` × gruppe × periode: the mean over the
    municipality-quarters with a value and how many they are (columns :data:`COLUMNS`).
    ``panel`` holds the report's ``gruppe`` and ``periode`` words; empty when the snapshot
    has none of the theme's DREAM columns."""
    parts = [
        panel.group_by("gruppe", "periode")
        .agg(
            pl.col(ind.kolonne).mean().alias("Gennemsnit"),
            pl.col(ind.kolonne).count().cast(pl.Int64).alias("Kommunekvartaler med værdi"),
        )
        .with_columns(pl.lit(ind.navn_da).alias("Indikator"))
        .sort("gruppe", "periode")
        for ind in udfald_indikatorer(tema)
        if ind.kolonne in panel.columns
    ]
    if not parts:
        return pl.DataFrame(schema=dict.fromkeys(COLUMNS, pl.String))
    return pl.concat(parts).rename({"gruppe": "Gruppe", "periode": "Periode"}).select(COLUMNS)


def _fmt(value: float | None, enhed: str) -> str:
    if value is None:
        return ""
    if enhed == "andel":
        return fmt_pct(value, 1)
    return f"{fmt_num(value, 1)} {enhed}"


def udfald_display(table: pl.DataFrame, tema: str) -> pl.DataFrame:
    """The HTML table: one row per indicator, a column per gruppe × periode (formatted as
    the indicator's unit, with the number of municipality-quarters)."""
    enheder = {i.navn_da: i.enhed for i in udfald_indikatorer(tema)}
    cells = table.with_columns(
        pl.format("{} {}", "Gruppe", "Periode").alias("kolonne"),
        pl.struct("Indikator", "Gennemsnit", "Kommunekvartaler med værdi")
        .map_elements(
            lambda row: (
                f"{_fmt(row['Gennemsnit'], enheder[row['Indikator']])}"
                f" ({row['Kommunekvartaler med værdi']})"
            ),
            return_dtype=pl.String,
        )
        .alias("celle"),
    )
    return cells.pivot("kolonne", index="Indikator", values="celle", maintain_order=True)


def udfald_definitioner(tema: str, table: pl.DataFrame) -> list[dict[str, str]]:
    """Name and Danish definition of each indicator the table shows (seed indikatorer)."""
    shown = set(table["Indikator"].to_list())
    return [
        {"navn": i.navn_da, "definition": i.definition_da}
        for i in udfald_indikatorer(tema)
        if i.navn_da in shown
    ]
