"""`trialwh report`: the evaluation report for one trial theme and control group.

Reads the published snapshot (``Home.published``, read-only): ``marts.mart_panel_kommune_kvartal``
(unit ``kommunekode``, time ``periode_index``, first treated ``forsoeg_start_index_<tema>``)
and ``marts.dim_kontrolgruppe``; writes

* ``evaluering_<tema>_<kontrolgruppe>.html`` — a self-contained Danish report with figures
  (trends, event studies, funnel plot, synthetic control) and tables, and
* ``evaluering_<tema>_<kontrolgruppe>.xlsx`` — every table of the report, one sheet each.

Analysis window: from the first quarter to the last quarter in which any municipality is in
the theme (``i_forsoeg_<tema>``). After a theme ends the comparison is no longer clean (for
LÆ285 the national law made the certificate optional for every municipality from 2021), and
the staggered estimator assumes that treatment, once started, lasts
(:func:`evaluation.analysis_window.analysis_window_end`, shared with the dashboard).

Counts of cases per municipality are shown with :func:`evaluation.suppression.suppress`
(counts 1–4 hidden, rates on small numbers hidden, complementary suppression against the
yearly totals).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import polars as pl
import xlsxwriter

from core.format import fmt_date, fmt_kr, fmt_kvartal, fmt_num, fmt_pct
from core.paths import Home
from evaluation import did, proportions, survival, synth
from evaluation.analysis_window import analysis_window_end
from evaluation.suppression import display, suppress
from report.charts import trend_figure

TEMAER: tuple[str, ...] = (
    "lae285",
    "rehab_fritagelse",
    "lae265",
    "sundhedsfaglig_raadgivning",
    "akut_fravaer",
)

TEMA_NAVNE: dict[str, str] = {
    "lae285": "Differentieret brug af LÆ285 (sygedagpenge)",
    "rehab_fritagelse": "Fritagelse for rehabiliteringsmøde (jobafklaring)",
    "lae265": "Fravalg af LÆ265 til rehabiliteringsteamet",
    "sundhedsfaglig_raadgivning": "Sundhedsfaglig rådgivning uden for klinisk funktion",
    "akut_fravaer": "Rehabiliteringsmøde trods akut fravær",
}


@dataclass(frozen=True)
class Indicator:
    """A headline indicator of the panel mart: column, Danish label, unit of measure."""

    column: str
    label: str
    unit: str  # andel (0-1), kr, dage, procent (0-100)

    def fmt(self, value: float | None, signed: bool = False) -> str:
        if value is None:
            return ""
        if self.unit == "andel":
            return fmt_pct(value, 1) if not signed else f"{fmt_num(value * 100, 1)} %-point"
        if self.unit == "procent":
            return (
                fmt_pct(value, 1, fraction=False)
                if not signed
                else (f"{fmt_num(value, 1)} %-point")
            )
        if self.unit == "kr":
            return fmt_kr(value, 0)
        return f"{fmt_num(value, 1)} dage"


HEADLINE: tuple[Indicator, ...] = (
    Indicator("andel_lae285_fravalgt", "Andel omfattede sager hvor LÆ285 er fravalgt", "andel"),
    Indicator("attestudgift_pr_sag_kr", "Attestudgift pr. omfattet sag", "kr"),
    Indicator(
        "dage_til_foerste_opfoelgning",
        "Dage fra første fraværsdag til første opfølgning (median, LÆ285-omfattede sager)",
        "dage",
    ),
    Indicator(
        "sygedagpengeforloeb_dage",
        "Sygedagpengeforløbets varighed (median, LÆ285-omfattede sager)",
        "dage",
    ),
    Indicator(
        "andel_rehab_fritaget",
        "Andel jobafklarings- og fleksjobsager fritaget for rehabiliteringsmøde",
        "andel",
    ),
    Indicator("omgoerelsesprocent", "Omgørelsesprocent i Ankestyrelsen", "procent"),
)

# The theme each headline indicator measures (omgoerelsesprocent: every theme).
INDICATOR_TEMA: dict[str, str] = {
    "andel_lae285_fravalgt": "lae285",
    "attestudgift_pr_sag_kr": "lae285",
    "dage_til_foerste_opfoelgning": "lae285",
    "sygedagpengeforloeb_dage": "lae285",
    "andel_rehab_fritaget": "rehab_fritagelse",
}

# Draws for the wild cluster bootstrap and the randomisation inference of every estimate.
WCR_DRAWS = 9_999
RI_DRAWS = 999

# The indicator the single-municipality synthetic control is run on, per theme.
SYNTH_INDICATOR: dict[str, str] = {
    "lae285": "attestudgift_pr_sag_kr",
    "rehab_fritagelse": "andel_rehab_fritaget",
    "lae265": "omgoerelsesprocent",
    "sundhedsfaglig_raadgivning": "omgoerelsesprocent",
    "akut_fravaer": "andel_rehab_fritaget",
}

COUNT_COLUMNS = (
    "sygedagpengesager_omfattet",
    "lae285_fravalgt",
    "rehab_sager",
    "rehab_fritaget",
    "realitetsbehandlede",
    "omgjorte",
)
COUNT_LABELS = {
    "aar": "År",
    "kommunekode": "Kode",
    "kommunenavn": "Kommune",
    "sygedagpengesager_omfattet": "LÆ285-omfattede sager",
    "lae285_fravalgt": "LÆ285 fravalgt",
    "rehab_sager": "Rehabiliteringssager (jobafklaring, fleksjob)",
    "rehab_fritaget": "Fritaget for møde",
    "realitetsbehandlede": "Realitetsbehandlede anker",
    "omgjorte": "Omgjorte",
    "andel_lae285_fravalgt": "Andel LÆ285 fravalgt",
    "andel_rehab_fritaget": "Andel fritaget",
    "omgoerelsesprocent": "Omgørelsesprocent",
}
RATES = {
    "andel_lae285_fravalgt": ("lae285_fravalgt", "sygedagpengesager_omfattet"),
    "andel_rehab_fritaget": ("rehab_fritaget", "rehab_sager"),
    "omgoerelsesprocent": ("omgjorte", "realitetsbehandlede"),
}


@dataclass(frozen=True)
class ReportData:
    """What the report reads from the published snapshot."""

    panel: pl.DataFrame
    control_units: list[int]
    treated_units: list[int]
    window_end: int
    build_info: dict[str, object]


def _sql_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())


def load_report_data(home: Home, tema: str, kontrolgruppe: str) -> ReportData:
    """Read the panel and the control group for ``tema`` from the published snapshot."""
    if tema not in TEMAER:
        raise ValueError(f"ukendt tema {tema!r}; vælg et af {', '.join(TEMAER)}")
    if not home.published.exists():
        raise FileNotFoundError(
            f"Der er ingen publiceret database ({home.published}); kør `trialwh build` først."
        )
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        panel = _sql_frame(con, "select * from marts.mart_panel_kommune_kvartal")
        groups = _sql_frame(
            con,
            "select kontrolgruppe, kommunekode from marts.dim_kontrolgruppe where tema = ?",
            [tema],
        )
        has_meta = _sql_frame(
            con,
            "select count(*) as n from information_schema.tables "
            "where table_schema = 'meta' and table_name = 'build_info'",
        )["n"][0]
        build_info: dict[str, object] = {}
        if has_meta:
            rows = _sql_frame(con, "select * from meta.build_info")
            if rows.height:
                build_info = rows.row(0, named=True)
    finally:
        con.close()
    available = sorted(groups["kontrolgruppe"].unique().to_list())
    if kontrolgruppe not in available:
        raise ValueError(
            f"kontrolgruppe {kontrolgruppe!r} findes ikke for tema {tema!r}; "
            f"vælg en af {', '.join(available)}"
        )
    start = f"forsoeg_start_index_{tema}"
    treated = sorted(panel.filter(pl.col(start).is_not_null())["kommunekode"].unique().to_list())
    if not treated:
        raise ValueError(f"ingen kommuner er i tema {tema!r} i data")
    controls = sorted(
        set(groups.filter(pl.col("kontrolgruppe") == kontrolgruppe)["kommunekode"].to_list())
        - set(treated)
    )
    window_end = analysis_window_end(panel, tema)
    return ReportData(
        panel=panel.filter(
            pl.col("kommunekode").is_in(treated + controls)
            & (pl.col("periode_index") <= window_end)
        ).with_columns(
            pl.when(pl.col("kommunekode").is_in(treated))
            .then(pl.lit("Forsøg"))
            .otherwise(pl.lit("Kontrol"))
            .alias("gruppe")
        ),
        control_units=controls,
        treated_units=treated,
        window_end=window_end,
        build_info=build_info,
    )


def _estimable(panel: pl.DataFrame, column: str) -> bool:
    observed = panel.filter(pl.col(column).is_not_null())
    groups = observed.group_by("gruppe").agg(pl.col("kommunekode").n_unique())
    varies = observed.height > 1 and float(observed[column].cast(pl.Float64).std() or 0) > 0
    return groups.height == 2 and int(groups["kommunekode"].min()) >= 1 and varies


def run_estimates(
    data: ReportData, tema: str, wcr_draws: int = 9_999, ri_draws: int = 999
) -> dict[str, did.DidResult | str]:
    """The DiD result per headline indicator, or a Danish note why it could not be estimated."""
    results: dict[str, did.DidResult | str] = {}
    for indicator in HEADLINE:
        if indicator.column not in data.panel.columns or not _estimable(
            data.panel, indicator.column
        ):
            results[indicator.column] = (
                "Ikke nok data (eller ingen variation) for både forsøgs- og kontrolkommuner."
            )
            continue
        try:
            results[indicator.column] = did.estimate(
                data.panel,
                indicator.column,
                "kommunekode",
                "periode_index",
                f"forsoeg_start_index_{tema}",
                control_units=data.control_units,
                wcr_draws=wcr_draws,
                ri_draws=ri_draws,
                region="region" if "region" in data.panel.columns else None,
                sensitivity=True,
            )
        except ValueError as error:
            results[indicator.column] = f"Kunne ikke estimeres: {error}"
    return results


def overview_table(results: dict[str, did.DidResult | str]) -> pl.DataFrame:
    """One row per indicator: the headline estimate, its uncertainty and the baseline."""
    rows = []
    for indicator in HEADLINE:
        result = results[indicator.column]
        if isinstance(result, str):
            rows.append({"indikator": indicator.label, "kolonne": indicator.column, "note": result})
            continue
        rows.append(
            {
                "indikator": indicator.label,
                "kolonne": indicator.column,
                "att": result.att,
                "se": result.se,
                "ci_lav": result.ci_low,
                "ci_hoej": result.ci_high,
                "p_analytisk": result.p_value,
                "p_wcr": result.p_wcr,
                "p_ri": result.p_ri,
                "p_foertrend": result.pretrend_p,
                "att_dynamisk": result.dynamic_att,
                "twfe_att": result.twfe_att,
                "twfe_se": result.twfe_se,
                "behandlede": result.n_treated,
                "kontroller": result.n_control,
                "svag_inferens": result.weak_inference,
                "note": result.warning or "",
            }
        )
    return pl.DataFrame(rows, infer_schema_length=None)


def counts_table(data: ReportData) -> pl.DataFrame:
    """Cases per trial municipality and year in the window, with yearly totals (suppressed)."""
    present = [c for c in COUNT_COLUMNS if c in data.panel.columns]
    per_kommune = (
        data.panel.filter(pl.col("gruppe") == "Forsøg")
        .group_by("aar", "kommunekode", "kommunenavn")
        .agg(
            [
                pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).cast(pl.Int64).alias(c)
                for c in present
            ]
        )
        .sort("aar", "kommunekode")
    )
    rates = {r: parts for r, parts in RATES.items() if set(parts) <= set(present)}

    def with_rates(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            [
                (pl.col(num) / pl.col(den) * (100 if rate.endswith("procent") else 1)).alias(rate)
                for rate, (num, den) in rates.items()
            ]
        )

    cells = suppress(with_rates(per_kommune), list(present), rates, totals_by=["aar"])
    totals = with_rates(
        per_kommune.group_by("aar")
        .agg([pl.col(c).sum() for c in present])
        .with_columns(
            pl.lit(None, pl.Int64).alias("kommunekode"), pl.lit("I alt").alias("kommunenavn")
        )
        .select(per_kommune.columns)
    )
    total_cells = suppress(totals, list(present), rates)
    shown = pl.concat([display(cells, secondary_marker="x"), display(total_cells)])
    return shown.sort("aar", pl.col("kommunenavn") == "I alt", "kommunenavn")


def omgoerelser_table(data: ReportData) -> pl.DataFrame:
    """Omgørelsesprocent per municipality over the window with its Wilson interval."""
    if not {"omgjorte", "realitetsbehandlede"} <= set(data.panel.columns):
        return pl.DataFrame()
    frame = (
        data.panel.group_by("kommunekode", "kommunenavn", "gruppe")
        .agg(pl.col("omgjorte").sum(), pl.col("realitetsbehandlede").sum())
        .filter(pl.col("realitetsbehandlede") > 0)
        .sort("kommunekode")
    )
    procent, low, high = proportions.omgoerelsesprocent(
        frame["omgjorte"].to_numpy(),
        0,
        frame["realitetsbehandlede"].to_numpy() - frame["omgjorte"].to_numpy(),
    )
    return frame.with_columns(
        pl.Series("omgoerelsesprocent", procent),
        pl.Series("ci_lav", low),
        pl.Series("ci_hoej", high),
    )


OMGOERELSE_RATES = {
    c: ("omgjorte", "realitetsbehandlede") for c in ("omgoerelsesprocent", "ci_lav", "ci_hoej")
}


def protect_omgoerelser(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The omgørelser table for users: ``(display strings, rows safe to plot)``. Counts
    1–4 are hidden and so are rates (and their interval) on fewer than 5; the funnel plot
    only shows municipalities whose counts and rate are all shown (a point at rate × n
    would reveal the hidden count)."""
    protected = suppress(frame, ["realitetsbehandlede", "omgjorte"], OMGOERELSE_RATES)
    hidden = protected.mask.select(
        pl.any_horizontal("realitetsbehandlede", "omgjorte", "omgoerelsesprocent")
    ).to_series()
    return display(protected), frame.filter(~hidden)


def _synthetic_control(data: ReportData, tema: str) -> synth.SynthResult | None:
    column = SYNTH_INDICATOR[tema]
    if column not in data.panel.columns:
        return None
    complete = (
        data.panel.group_by("kommunekode")
        .agg(pl.col(column).is_null().sum().alias("missing"))
        .filter(pl.col("missing") == 0)["kommunekode"]
        .to_list()
    )
    size_column = "sygedagpengesager_omfattet" if tema == "lae285" else "rehab_sager"
    candidates = (
        data.panel.filter(
            pl.col("kommunekode").is_in(data.treated_units) & pl.col("kommunekode").is_in(complete)
        )
        .group_by("kommunekode")
        .agg(
            pl.col(size_column).sum().alias("size")
            if size_column in data.panel.columns
            else pl.len().alias("size"),
            pl.col(f"forsoeg_start_index_{tema}").first().alias("start"),
        )
        .sort("size", "kommunekode", descending=[True, False])
    )
    donors = [u for u in data.control_units if u in complete]
    if candidates.height == 0 or len(donors) < 2:
        return None
    unit, start = candidates["kommunekode"][0], int(candidates["start"][0])
    try:
        return synth.synthetic_control(
            data.panel, column, "kommunekode", "periode_index", unit, start, donors=donors
        )
    except ValueError:
        return None


DURATION_SQL = """
select
    kommunekode,
    anmeldt_dato,
    date_diff('day', foerste_fravaersdag, coalesce(afsluttet_dato, seneste_extract_date))
        as varighed_dage,
    afsluttet_dato is not null as is_afsluttet,
    date_diff(
        'day',
        foerste_fravaersdag,
        coalesce(foerste_opfoelgning_dato, afsluttet_dato, seneste_extract_date)
    ) as dage_til_foerste_opfoelgning,
    foerste_opfoelgning_dato is not null as has_opfoelgning
from marts.fct_sygedagpengesager
where foerste_fravaersdag is not null and anmeldt_dato is not null {extra}
"""


@dataclass(frozen=True)
class DurationAnalysis:
    """Kaplan–Meier by group (Forsøg/Kontrol) and period (før/under), per duration."""

    table: pl.DataFrame
    figures: dict[str, go.Figure]


def load_case_durations(home: Home, tema: str) -> pl.DataFrame | None:
    """Case-level durations from ``marts.fct_sygedagpengesager`` (None if the table is
    missing). Open cases are censored at the latest extract date; a case closed without a
    follow-up interview is censored at its end for the follow-up duration. For the LÆ285
    theme only cases covered by the LÆ285 rule (``is_omfattet_lae285``) are used."""
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        present = _sql_frame(
            con,
            "select count(*) as n from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'fct_sygedagpengesager'",
        )["n"][0]
        if not present:
            return None
        extra = "and is_omfattet_lae285" if tema == "lae285" else ""
        return _sql_frame(con, DURATION_SQL.format(extra=extra))
    finally:
        con.close()


def duration_analysis(cases: pl.DataFrame, data: ReportData, tema: str) -> DurationAnalysis | None:
    """Kaplan–Meier medians with Brookmeyer–Crowley intervals for trial and control
    municipalities before and during the theme, and the log-rank test trial vs control in
    each period."""
    start_index = int(data.panel[f"forsoeg_start_index_{tema}"].drop_nulls().min())
    dates = data.panel.select("periode_index", "kvartal").unique()
    start = dates.filter(pl.col("periode_index") == start_index)["kvartal"][0]
    end_quarter = dates.filter(pl.col("periode_index") == data.window_end)["kvartal"][0]
    end = (pl.Series([end_quarter]).dt.offset_by("3mo"))[0]
    frame = (
        cases.filter(pl.col("kommunekode").is_in(data.treated_units + data.control_units))
        .filter(pl.col("anmeldt_dato") < end)
        .with_columns(
            pl.when(pl.col("kommunekode").is_in(data.treated_units))
            .then(pl.lit("Forsøg"))
            .otherwise(pl.lit("Kontrol"))
            .alias("gruppe"),
            pl.when(pl.col("anmeldt_dato") < start)
            .then(pl.lit("før"))
            .otherwise(pl.lit("under"))
            .alias("periode"),
        )
    )
    if frame.height == 0:
        return None
    rows = []
    figures: dict[str, go.Figure] = {}
    durations = {
        "varighed_dage": ("is_afsluttet", "Sygedagpengeforløbets varighed"),
        "dage_til_foerste_opfoelgning": ("has_opfoelgning", "Dage til første opfølgning"),
    }
    for column, (event, label) in durations.items():
        usable = frame.filter(pl.col(column) >= 0)
        curves: dict[str, survival.KMResult] = {}
        for (gruppe, periode), part in usable.group_by("gruppe", "periode", maintain_order=True):
            if part.height < 5:
                continue
            km = survival.kaplan_meier(part[column].to_numpy(), part[event].to_numpy())
            curves[f"{gruppe}, {periode}"] = km
            rows.append(
                {
                    "varighed": column,
                    "gruppe": gruppe,
                    "periode": periode,
                    "sager": km.n,
                    "afsluttede": km.n_events,
                    "median_dage": km.median,
                    "ci_lav": km.median_ci_low,
                    "ci_hoej": km.median_ci_high,
                    "logrank_p_forsoeg_mod_kontrol": None,
                }
            )
        for periode in ("før", "under"):
            part = usable.filter(pl.col("periode") == periode)
            if part["gruppe"].n_unique() == 2 and part.height >= 10:
                test = survival.logrank(
                    part[column].to_numpy(), part[event].to_numpy(), part["gruppe"].to_numpy()
                )
                for row in rows:
                    if row["varighed"] == column and row["periode"] == periode:
                        row["logrank_p_forsoeg_mod_kontrol"] = test.p_value
        if curves:
            figures[column] = survival.km_figure(
                dict(sorted(curves.items())),
                title=f"{label} (Kaplan–Meier; åbne sager censureret)",
                y_title="Andel uden hændelse",
            )
    if not rows:
        return None
    return DurationAnalysis(table=pl.DataFrame(rows, infer_schema_length=None), figures=figures)


# --------------------------------------------------------------------------- HTML


def _table_html(frame: pl.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
        + "</tr>"
        for row in frame.iter_rows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _p(value: float) -> str:
    if value != value:  # NaN
        return ""
    return "< 0,001" if value < 0.001 else fmt_num(value, 3)


def _overview_display(results: dict[str, did.DidResult | str]) -> pl.DataFrame:
    rows = []
    for indicator in HEADLINE:
        result = results[indicator.column]
        if isinstance(result, str):
            rows.append((indicator.label, "", "", "", "", "", "", "", result))
            continue
        rows.append(
            (
                indicator.label,
                indicator.fmt(result.att, signed=True),
                f"{indicator.fmt(result.ci_low, True)} til {indicator.fmt(result.ci_high, True)}",
                _p(result.p_value),
                _p(result.p_wcr),
                _p(result.p_ri),
                _p(result.pretrend_p),
                indicator.fmt(result.twfe_att, signed=True),
                f"{result.n_treated} forsøg / {result.n_control} kontrol",
            )
        )
    return pl.DataFrame(
        rows,
        schema=[
            "Indikator",
            "Effekt (ATT)",
            "95 %-konfidensinterval",
            "p (analytisk)",
            "p (WCR-bootstrap)",
            "p (randomisering)",
            "p (før-trend)",
            "TWFE (sammenligning)",
            "Kommuner",
        ],
        orient="row",
    )


METHOD_TEXT = """
<p><b>Estimator.</b> Forskel-i-forskelle for forskudt start (Callaway &amp; Sant'Anna 2021):
effekten for hver startkohorte og hvert kvartal sammenlignes med kontrolkommunerne
(aldrig-behandlede i den valgte kontrolgruppe), uden kovariater, og vægtes sammen efter
kohortens størrelse (ATT). Den klassiske to-vejs faste effekter-model (TWFE) vises til
sammenligning; den kan være skæv når effekten varierer over tid eller mellem kohorter.</p>
<p><b>Usikkerhed.</b> Standardfejl fra influensfunktionen, klynget på kommune
(SE = √(Σψ²)/n, uden småstikprøvekorrektion, som R-pakken <i>did</i>); 95 %-intervaller
er normalapproksimationer. Wild cluster bootstrap (WCR): nulhypotesen om ingen effekt
pålægges, Rademacher-vægte pr. kommune; alle 2<sup>G</sup> fortegnsvektorer når der er
højst 12 kommuner, ellers 9.999 tilfældige (fast frø). Randomiseringsinferens: forsøgets
startdatoer fordeles tilfældigt på kommunerne 999 gange; p-værdien er andelen af
fordelinger med en mindst lige så stor |ATT|.</p>
<p><b>Hændelsesstudie.</b> Effekt pr. kvartal før og efter start, målt i forhold til
kvartalet før start (−1 = 0). Før-trend-testen er en samlet Wald-test af, at alle
effekter før start (−2 og tidligere) er nul; en lille p-værdi er et advarselstegn om, at
forsøgs- og kontrolkommuner ikke fulgte samme udvikling før forsøget.</p>
<p><b>Periode.</b> Fra 2015K1 til det sidste kvartal, hvor temaet var i kraft; derefter er
sammenligningen ikke ren (for LÆ285 blev attesten valgfri i alle kommuner fra 2021).</p>
<p><b>Diskretion.</b> Antal 1–4 vises som "&lt;5"; andele, hvor tæller eller nævner er under 5,
vises ikke; når en række i en årstotal er skjult, skjules også den næstmindste, så tallet
ikke kan regnes ud ved subtraktion.</p>
"""

CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:0.85em;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f2f2f2} td:first-child,th:first-child{text-align:left}
.advarsel{background:#fff4e5;border-left:5px solid #f58518;padding:0.8em 1em}
.meta{color:#555}
"""


def _figure_html(figure: go.Figure, first: list[bool]) -> str:
    include = first[0]
    first[0] = False
    return figure.to_html(full_html=False, include_plotlyjs=include)


def _html_report(
    tema: str,
    kontrolgruppe: str,
    data: ReportData,
    results: dict[str, did.DidResult | str],
    counts: pl.DataFrame,
    omgoerelser: pl.DataFrame,
    synthetic: synth.SynthResult | None,
    durations: DurationAnalysis | None = None,
) -> str:
    first = [True]
    built = data.build_info
    as_of = built.get("data_as_of")
    meta = (
        f"Data til og med {fmt_date(as_of) if isinstance(as_of, dt.date) else 'ukendt'}; "
        f"build {html.escape(str(built.get('build_id', 'ukendt')))}. "
        f"Rapporten er dannet {fmt_date(dt.date.today())}."
    )
    parts = [
        f"<h1>Evaluering: {html.escape(TEMA_NAVNE[tema])}</h1>",
        f"<p class='meta'>{meta}</p>",
        f"<p>Forsøgskommuner: {len(data.treated_units)}. Kontrolgruppe "
        f"<b>{html.escape(kontrolgruppe)}</b>: {len(data.control_units)} kommuner. Periode: "
        f"{fmt_kvartal(data.panel['kvartal'].min())}–{fmt_kvartal(data.panel['kvartal'].max())}"
        f" (kvartal 1–{data.window_end}).</p>",
    ]
    warnings = {r.warning for r in results.values() if isinstance(r, did.DidResult) and r.warning}
    for text in sorted(warnings):
        parts.append(f"<p class='advarsel'>{html.escape(text)}</p>")
    parts += ["<h2>Overblik</h2>", _table_html(_overview_display(results))]
    for indicator in HEADLINE:
        result = results[indicator.column]
        parts.append(f"<h2>{html.escape(indicator.label)}</h2>")
        if isinstance(result, str):
            parts.append(f"<p>{html.escape(result)}</p>")
            continue
        start = int(data.panel[f"forsoeg_start_index_{tema}"].drop_nulls().min())
        parts.append(
            _figure_html(
                trend_figure(
                    data.panel,
                    indicator.column,
                    "periode_index",
                    "gruppe",
                    f"Udvikling: {indicator.label}",
                    "Gennemsnit pr. kommune",
                    start,
                ),
                first,
            )
        )
        parts.append(_figure_html(result.figure(title=indicator.label), first))
        text = (
            f"Effekt: {indicator.fmt(result.att, True)} (95 %-interval "
            f"{indicator.fmt(result.ci_low, True)} til {indicator.fmt(result.ci_high, True)}); "
            f"p-værdier: analytisk {_p(result.p_value)}, WCR {_p(result.p_wcr)}, "
            f"randomisering {_p(result.p_ri)}. Før-trend-test p = "
            f"{_p(result.pretrend_p) or 'kan ikke testes (ingen variation før start)'}."
        )
        parts.append(f"<p>{html.escape(text)}</p>")
        parts.extend(inference_paragraphs(result))
        if INDICATOR_TEMA.get(indicator.column, tema) != tema:
            other = TEMA_NAVNE[INDICATOR_TEMA[indicator.column]]
            parts.append(
                "<p class='advarsel'>"
                + html.escape(
                    f"Indikatoren hører til temaet '{other}'. Deltager de samme kommuner i "
                    "begge temaer fra samme tid, måler effekten dét tema, ikke dette."
                )
                + "</p>"
            )
    parts += [
        "<h2>Sager pr. forsøgskommune og år</h2>",
        "<p>&lt;5: 1–4 sager, eller en andel beregnet på færre end 5. x: skjult, for at tallet "
        "i en anden celle ikke kan regnes ud fra årets total.</p>",
        _table_html(counts.rename(COUNT_LABELS, strict=False)),
    ]
    if omgoerelser.height:
        shown_table, plotted = protect_omgoerelser(omgoerelser)
        figure = proportions.funnel_figure(
            plotted,
            "omgjorte",
            "realitetsbehandlede",
            "kommunenavn",
            title="Omgørelsesprocent mod antal realitetsbehandlede sager",
            y_title="Omgørelsesprocent",
            highlight=omgoerelser.filter(pl.col("gruppe") == "Forsøg")["kommunenavn"].to_list(),
        )
        parts += [
            "<h2>Omgørelser: tragtdiagram</h2>",
            _figure_html(figure, first),
            "<p>Kommuner med færre end 5 omgjorte eller realitetsbehandlede sager vises ikke. "
            "Intervallerne er Wilson 95 %.</p>",
            _table_html(shown_table),
        ]
    if synthetic is not None:
        parts += [
            f"<h2>Syntetisk kontrol: kommune {synthetic.treated_unit}</h2>",
            _figure_html(synthetic.figure(), first),
            f"<p>Gennemsnitlig forskel efter start: {fmt_num(synthetic.att, 2)}; "
            f"placebo-p = {_p(synthetic.p_value)} ({synthetic.placebos.height} placebo-"
            "kommuner).</p>",
            _table_html(
                synthetic.weights.filter(pl.col("weight") > 0.001)
                .with_columns(
                    pl.col("weight").map_elements(lambda w: fmt_num(w, 3), return_dtype=pl.String)
                )
                .rename({"unit": "Donorkommune", "weight": "Vægt"})
            ),
        ]
    if durations is not None:
        parts.append("<h2>Varigheder (Kaplan–Meier)</h2>")
        for figure in durations.figures.values():
            parts.append(_figure_html(figure, first))
        table = durations.table
        shown = display(suppress(table, ["sager", "afsluttede"])).with_columns(
            table.select(
                pl.col("median_dage", "ci_lav", "ci_hoej").map_elements(
                    lambda v: "ikke nået" if v == float("inf") else fmt_num(v, 0),
                    return_dtype=pl.String,
                ),
                pl.col("logrank_p_forsoeg_mod_kontrol").map_elements(_p, return_dtype=pl.String),
            )
        )
        parts.append(_table_html(shown))
    parts += ["<h2>Metode</h2>", METHOD_TEXT]
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'>"
        f"<title>Evaluering {html.escape(tema)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


# --------------------------------------------------------------------------- Excel


def _excel_tables(
    results: dict[str, did.DidResult | str],
    counts: pl.DataFrame,
    omgoerelser: pl.DataFrame,
    synthetic: synth.SynthResult | None,
    durations: DurationAnalysis | None = None,
) -> dict[str, pl.DataFrame]:
    tables: dict[str, pl.DataFrame] = {"Overblik": overview_table(results)}
    estimated = [(column, r) for column, r in results.items() if isinstance(r, did.DidResult)]
    if estimated:
        tables["Haendelsesstudie"] = pl.concat(
            [r.event_study.with_columns(pl.lit(c).alias("indikator")) for c, r in estimated]
        ).select("indikator", "rel_time", "estimate", "se", "ci_low", "ci_high")
        tables["Gruppe_tid"] = pl.concat(
            [r.group_time.with_columns(pl.lit(c).alias("indikator")) for c, r in estimated]
        ).select("indikator", "group", "time", "estimate", "se", "ci_low", "ci_high")
    tables["Sager_pr_kommune"] = counts
    if omgoerelser.height:
        tables["Omgoerelser"] = protect_omgoerelser(omgoerelser)[0]
    if synthetic is not None:
        tables["Syntetisk_kontrol_vaegte"] = synthetic.weights
        tables["Syntetisk_kontrol_gab"] = synthetic.path
        tables["Syntetisk_placebo"] = synthetic.placebos
    if durations is not None:
        tables["Varigheder_KM"] = suppress(durations.table, ["sager", "afsluttede"]).data
    return tables


def _write_excel(path: Path, tables: dict[str, pl.DataFrame]) -> None:
    with xlsxwriter.Workbook(str(path)) as workbook:
        for name, table in tables.items():
            floats = pl.col(pl.Float64, pl.Float32)
            finite = table.with_columns(pl.when(floats.is_finite()).then(floats).otherwise(None))
            finite.write_excel(workbook=workbook, worksheet=name[:31], autofit=True)


def write_report(
    home: Home,
    tema: str,
    kontrolgruppe: str,
    out: Path | None = None,
    *,
    wcr_draws: int | None = None,
    ri_draws: int | None = None,
) -> list[Path]:
    """Write the HTML report and the Excel workbook for ``tema`` against ``kontrolgruppe``;
    returns their paths. ``out`` defaults to ``<home>/reports``. Bootstrap and
    randomisation draws default to :data:`WCR_DRAWS` and :data:`RI_DRAWS`."""
    data = load_report_data(home, tema, kontrolgruppe)
    results = run_estimates(
        data,
        tema,
        wcr_draws=WCR_DRAWS if wcr_draws is None else wcr_draws,
        ri_draws=RI_DRAWS if ri_draws is None else ri_draws,
    )
    counts = counts_table(data)
    omgoerelser = omgoerelser_table(data)
    synthetic = _synthetic_control(data, tema)
    cases = load_case_durations(home, tema)
    durations = duration_analysis(cases, data, tema) if cases is not None else None
    folder = Path(out) if out is not None else home.root / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"evaluering_{tema}_{kontrolgruppe}"
    html_path = folder / f"{stem}.html"
    xlsx_path = folder / f"{stem}.xlsx"
    html_path.write_text(
        _html_report(tema, kontrolgruppe, data, results, counts, omgoerelser, synthetic, durations),
        encoding="utf-8",
    )
    _write_excel(xlsx_path, _excel_tables(results, counts, omgoerelser, synthetic, durations))
    return [html_path, xlsx_path]


def inference_paragraphs(result: did.DidResult) -> list[str]:
    """HTML paragraphs: the headline method, the analytic interval when shown, the evidence
    statement, units left out, and the HonestDiD smoothness bounds (Danish)."""

    def num(value: float) -> str:
        if value != value:
            return "–"
        if value in (float("inf"), float("-inf")):
            return "ubegrænset"
        return fmt_num(value, 3)

    method = did.HEADLINE_LABELS.get(result.headline, result.headline)
    lines = [
        f"Hovedinterval ({method}): {num(result.ci_low)} til {num(result.ci_high)}, "
        f"p = {_p(result.p_headline)}."
    ]
    if result.analytic_shown:
        lines.append(
            f"Analytisk interval: {num(result.ci_low_analytic)} til {num(result.ci_high_analytic)}."
        )
    else:
        lines.append("Intet analytisk interval: for få behandlede kommuner bærer det.")
    if result.evidence:
        lines.append(result.evidence)
    if result.dropped_units.height:
        lines.append("Udeladte kommuner: " + ", ".join(result.dropped_units["unit"].to_list()))
    parts = [f"<p>{html.escape(line)}</p>" for line in lines]
    if result.sensitivity is not None:
        names = {"foerste": "første kvartal efter start", "gennemsnit": "gennemsnit efter start"}
        rows = "".join(
            f"<tr><td>{html.escape(names.get(r['maal'], r['maal']))}</td><td>{num(r['M'])}</td>"
            f"<td>{num(r['ci_low'])}</td><td>{num(r['ci_high'])}</td></tr>"
            for r in result.sensitivity.iter_rows(named=True)
        )
        parts.append(
            "<p>Følsomhed over for brud på parallelle forløb (Rambachan &amp; Roth, glathed): "
            "intervallet, hvis forskellen i trend må ændre hældning med højst M pr. kvartal.</p>"
            "<table><tr><th>Effekt</th><th>M</th><th>Nedre</th><th>Øvre</th></tr>"
            f"{rows}</table>"
        )
    return parts
