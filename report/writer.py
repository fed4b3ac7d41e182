"""`trialwh report`: the evaluation report for one trial theme and control group.

Reads the published snapshot (``Home.published``, read-only) and selects; the marts compute:

* ``marts.mart_panel_kommune_kvartal`` (unit ``kommunekode``, time ``periode_index``, first
  treated ``forsoeg_start_index_<tema>``): the indicators;
* ``marts.mart_gruppe_kvartal``: which municipalities are the trial and the control group
  and which quarters are before / during / after the theme (the analysis window ends with the
  last quarter in which any municipality is in the theme: after a theme ends the comparison
  is no longer clean, and the staggered estimator assumes that treatment, once started,
  lasts);
* ``marts.fct_forloeb``: case-level durations, with the one censoring rule of the model.

Themes, indicator names, units and rates come from the vocabulary (:mod:`core.vocabulary`,
seeds ``temaer`` and ``indikatorer``). It writes

* ``evaluering_<tema>_<kontrolgruppe>.html`` — a self-contained Danish report with figures
  (trends, event studies, funnel plot, synthetic control) and tables, rendered from the
  template ``report/templates/rapport.html.j2``, and
* ``evaluering_<tema>_<kontrolgruppe>.xlsx`` — every table of the report, one sheet each.

Counts of cases per municipality are shown with :func:`evaluation.suppression.suppress`
(counts 1–4 hidden, rates on small numbers hidden, complementary suppression against the
yearly totals).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import jinja2
import plotly.graph_objects as go
import polars as pl

from core import vocabulary
from core.eksport import DownloadTable, Kind, Sheet, column_kind, excel_bytes
from core.format import fmt_date, fmt_kommune, fmt_kr, fmt_kvartal, fmt_num, fmt_pct
from core.forskel import ENHEDER, Forskel, forskel_tekst, med_enhed
from core.paths import Home
from core.vocabulary import Enhed
from evaluation import did, measured, proportions, survival, synth
from evaluation.suppression import FOOTNOTE_DA, HIDDEN, Suppressed, display, suppress
from report import charts, uddannelseshjaelp
from report.ansoegning import ansoegning_sections, ansoegning_tables
from report.charts import event_study_figure, trend_figure
from report.udfald import udfald_definitioner, udfald_display, udfald_table

PANEL_MART = "mart_panel_kommune_kvartal"

# Group and period codes of mart_gruppe_kvartal → the words the report shows.
Gruppe = Literal["forsoeg", "kontrol"]
Periode = Literal["foer", "under", "efter"]
# The same group names as the dashboard (one name per group on every screen and page).
GRUPPE_NAVNE: dict[Gruppe, str] = {"forsoeg": "Forsøgskommuner", "kontrol": "Kontrolgruppe"}
PERIODE_NAVNE: dict[Periode, str] = {"foer": "før", "under": "under", "efter": "efter"}


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """A headline indicator of the panel mart (seed ``indikatorer``): column, Danish label,
    unit, and the theme it measures (None: every theme)."""

    column: str
    label: str
    unit: Enhed
    tema: str | None = None

    @classmethod
    def of(cls, indikator: vocabulary.Indikator) -> Indicator:
        return cls(
            column=indikator.kolonne,
            label=indikator.navn_da,
            unit=indikator.enhed,
            tema=indikator.tema,
        )

    def fmt(self, value: float | None, signed: bool = False) -> str:
        if value is None:
            return ""
        if signed:  # a difference: in the unit of core.forskel (procentpoint, kr., …)
            return forskel_tekst(value, self.unit, "da")
        if self.unit == "andel":
            return fmt_pct(value, 1)
        if self.unit == "procent":
            return fmt_pct(value, 1, fraction=False)
        if self.unit == "kr":
            return fmt_kr(value, 0)
        return med_enhed(fmt_num(value, 1), self.unit, "da")


def headline(tema: str | None = None) -> tuple[Indicator, ...]:
    """The headline indicators of the panel, in the vocabulary's order. With ``tema``, also
    the theme's own legal-certainty indicator (:func:`omgoerelse_column`) where it is not a
    headline indicator itself: every theme's report estimates its own omgørelsesprocent."""
    own = omgoerelse_column(tema) if tema else None
    return tuple(
        Indicator.of(i)
        for i in vocabulary.indikatorer()
        if i.mart == PANEL_MART and (i.er_hovedindikator or i.kolonne == own)
    )


def omgoerelse_column(tema: str) -> str | None:
    """The panel column of ``tema``'s omgørelsesprocent on its own law areas (seed
    ``temaer.lovomraader``, mart_omgoerelser_tema), when the vocabulary declares it."""
    column = f"omgoerelsesprocent_{tema}"
    declared = {i.kolonne for i in vocabulary.indikatorer() if i.mart == PANEL_MART}
    return column if column in declared else None


def rates() -> dict[str, tuple[str, str]]:
    """Rate column → (numerator, denominator) columns, for the indicators that are rates."""
    return {
        i.kolonne: (i.taeller, i.naevner)
        for i in vocabulary.indikatorer()
        if i.mart == PANEL_MART and i.taeller and i.naevner
    }


def count_columns() -> tuple[str, ...]:
    """The count columns behind the rates (denominator, then numerator)."""
    return tuple(dict.fromkeys(c for num, den in rates().values() for c in (den, num)))


def count_labels() -> dict[str, str]:
    """Column headers of the counts table: counts, and the rates by their vocabulary name."""
    return COUNT_LABELS | {
        i.kolonne: i.navn_da for i in vocabulary.indikatorer() if i.kolonne in rates()
    }


# Draws for the wild cluster bootstrap and the randomisation inference of every estimate.
WCR_DRAWS = 9_999
RI_DRAWS = 999

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
}


@dataclass(frozen=True, kw_only=True)
class ReportData:
    """What the report reads from the published snapshot: the panel in the analysis window
    with ``gruppe`` (Forsøg/Kontrol) and ``periode`` (før/under) from ``mart_gruppe_kvartal``."""

    panel: pl.DataFrame
    control_units: list[int]
    treated_units: list[int]
    window_end: int
    build_info: dict[str, object]


def _sql_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None):
    return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())


def _check_tema(tema: str) -> None:
    if tema not in vocabulary.tema_koder():
        raise ValueError(f"ukendt tema {tema!r}; vælg et af {', '.join(vocabulary.tema_koder())}")


def _build_info(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    has_meta = _sql_frame(
        con,
        "select count(*) as n from information_schema.tables "
        "where table_schema = 'meta' and table_name = 'build_info'",
    )["n"][0]
    if not has_meta:
        return {}
    rows = _sql_frame(con, "select * from meta.build_info")
    return rows.row(0, named=True) if rows.height else {}


GROUPED_PANEL_SQL = """
select panel.*, grupper.gruppe as gruppe_kode, grupper.periode as periode_kode
from marts.mart_panel_kommune_kvartal as panel
inner join marts.mart_gruppe_kvartal as grupper
    on panel.kommunekode = grupper.kommunekode and panel.kvartal = grupper.kvartal
where grupper.tema = ? and grupper.kontrolgruppe = ?
"""


def load_report_data(home: Home, tema: str, kontrolgruppe: str) -> ReportData:
    """Read the panel of ``tema``'s trial and control municipalities (``kontrolgruppe``) in
    the analysis window from the published snapshot."""
    _check_tema(tema)
    if not home.published.exists():
        raise FileNotFoundError(
            f"Der er ingen publiceret database ({home.published}); kør `trialwh build` først."
        )
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        available = _sql_frame(
            con,
            "select distinct kontrolgruppe from marts.mart_gruppe_kvartal where tema = ?"
            " order by kontrolgruppe",
            [tema],
        )["kontrolgruppe"].to_list()
        if kontrolgruppe not in available:
            raise ValueError(
                f"kontrolgruppe {kontrolgruppe!r} findes ikke for tema {tema!r}; "
                f"vælg en af {', '.join(available)}"
            )
        panel = _sql_frame(con, GROUPED_PANEL_SQL, [tema, kontrolgruppe])
        build_info = _build_info(con)
    finally:
        con.close()
    treated = sorted(panel.filter(pl.col("gruppe_kode") == "forsoeg")["kommunekode"].unique())
    if not treated:
        raise ValueError(f"ingen kommuner er i tema {tema!r} i data")
    controls = sorted(panel.filter(pl.col("gruppe_kode") == "kontrol")["kommunekode"].unique())
    window = panel.filter(pl.col("periode_kode") != "efter")
    return ReportData(
        panel=window.with_columns(
            pl.col("gruppe_kode").replace_strict(GRUPPE_NAVNE).alias("gruppe"),
            pl.col("periode_kode").replace_strict(PERIODE_NAVNE).alias("periode"),
        )
        .drop("gruppe_kode", "periode_kode")
        .sort("kommunekode", "kvartal"),
        control_units=controls,
        treated_units=treated,
        window_end=int(window["periode_index"].max()),
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
    return {
        indicator.column: estimate_indicator(data, tema, indicator.column, wcr_draws, ri_draws)
        for indicator in headline(tema)
    }


def estimate_indicator(
    data: ReportData,
    tema: str,
    column: str,
    wcr_draws: int = 9_999,
    ri_draws: int = 999,
    *,
    sensitivity: bool = True,
) -> did.DidResult | str:
    """The DiD result of one panel indicator, or a Danish note why it could not be estimated."""
    if column not in data.panel.columns or not _estimable(data.panel, column):
        return "Ikke nok data (eller ingen variation) for både forsøgs- og kontrolkommuner."
    try:
        return did.estimate(
            data.panel,
            column,
            "kommunekode",
            "periode_index",
            f"forsoeg_start_index_{tema}",
            control_units=data.control_units,
            wcr_draws=wcr_draws,
            ri_draws=ri_draws,
            region="region" if "region" in data.panel.columns else None,
            sensitivity=sensitivity,
        )
    except ValueError as error:
        return f"Kunne ikke estimeres: {error}"


def _estimated(
    results: dict[str, did.DidResult | str], tema: str | None = None
) -> tuple[Indicator, ...]:
    """The indicators ``results`` holds: with ``tema``, the theme's own first, then those of
    every theme, then the other themes' (so a rehab report leads with rehab indicators);
    within each, the vocabulary's order."""
    order = {tema: 0, None: 1} if tema else {}
    found = [
        Indicator.of(i)
        for i in vocabulary.indikatorer()
        if i.mart == PANEL_MART and i.kolonne in results
    ]
    return tuple(sorted(found, key=lambda i: order.get(i.tema, 2)))


def overview_table(
    results: dict[str, did.DidResult | str], tema: str | None = None
) -> pl.DataFrame:
    """One row per indicator (``tema``'s own first): the headline estimate, its uncertainty
    and the baseline."""
    rows = []
    for indicator in _estimated(results, tema):
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


def _counts_parts(data: ReportData, present: list[str]):
    """(cases per trial municipality and year, the rates shown, a function adding them)."""
    per_kommune = (
        data.panel.filter(pl.col("gruppe") == GRUPPE_NAVNE["forsoeg"])
        .group_by("aar", "kommunekode", "kommunenavn")
        .agg(
            [
                pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).cast(pl.Int64).alias(c)
                for c in present
            ]
        )
        .sort("aar", "kommunekode")
    )
    shown_rates = {r: parts for r, parts in rates().items() if set(parts) <= set(present)}
    percent = {i.kolonne for i in vocabulary.indikatorer() if i.enhed == "procent"}

    def with_rates(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            [
                (pl.col(num) / pl.col(den) * (100 if rate in percent else 1)).alias(rate)
                for rate, (num, den) in shown_rates.items()
            ]
        )

    return per_kommune, shown_rates, with_rates


def _counts_totals(per_kommune: pl.DataFrame, present: list[str], with_rates) -> pl.DataFrame:
    """The yearly totals row (``kommunenavn`` = ``I alt``)."""
    return with_rates(
        per_kommune.group_by("aar")
        .agg([pl.col(c).sum() for c in present])
        .with_columns(
            pl.lit(None, pl.Int64).alias("kommunekode"), pl.lit("I alt").alias("kommunenavn")
        )
        .select(per_kommune.columns)
    )


def counts_table(data: ReportData) -> pl.DataFrame:
    """Cases per trial municipality and year in the window, with yearly totals (suppressed)."""
    present = [c for c in count_columns() if c in data.panel.columns]
    per_kommune, shown_rates, with_rates = _counts_parts(data, present)
    cells = suppress(with_rates(per_kommune), list(present), shown_rates, totals_by=["aar"])
    totals = _counts_totals(per_kommune, present, with_rates)
    total_cells = suppress(totals, list(present), shown_rates)
    shown = pl.concat([display(cells, secondary_marker="x"), display(total_cells)])
    return shown.sort("aar", pl.col("kommunenavn") == "I alt", "kommunenavn")


def _own_omgoerelse(data: ReportData, tema: str | None) -> str | None:
    """``tema``'s omgørelsesprocent column when the panel holds it and its counts."""
    own = omgoerelse_column(tema) if tema else None
    if own and {own, f"realitetsbehandlede_{tema}"} <= set(data.panel.columns):
        return own
    return None


def omgoerelser_table(data: ReportData, tema: str | None = None) -> pl.DataFrame:
    """Omgørelsesprocent per municipality over the window with its Wilson interval. With
    ``tema`` and its own omgørelsesprocent in the panel (:func:`omgoerelse_column`), on the
    theme's law areas only (the counts behind ``omgoerelsesprocent_<tema>``); otherwise on
    every law area."""
    panel = data.panel
    own = _own_omgoerelse(data, tema)
    if own:
        # The panel holds the theme's decisions on the merits and its percentage; the
        # reversed decisions are their product (exact: the percentage is 100 · omgjorte / n).
        n = pl.col(f"realitetsbehandlede_{tema}")
        panel = panel.with_columns(
            realitetsbehandlede=n,
            omgjorte=pl.when(n > 0)
            .then((pl.col(own) * n / 100).round(0))
            .otherwise(0)
            .cast(pl.Int64),
        )
    if not {"omgjorte", "realitetsbehandlede"} <= set(panel.columns):
        return pl.DataFrame()
    frame = (
        panel.group_by("kommunekode", "kommunenavn", "gruppe")
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


def synth_indicator(tema: str) -> str | None:
    """The panel column the single-municipality synthetic control is run on: the theme's
    main indicator (seed ``temaer``, ``hovedindikator``)."""
    kode = vocabulary.tema(tema).hovedindikator
    return vocabulary.indikator(kode).kolonne if kode else None


def _size_column(tema: str, column: str) -> str | None:
    """The count that makes a municipality "the largest" for the synthetic control: the
    denominator of ``column`` if it is a rate, else of the theme's own first rate."""
    own = [i.kolonne for i in vocabulary.indikatorer_for_tema(tema) if i.tema == tema]
    for candidate in (column, *own):
        if candidate in rates():
            return rates()[candidate][1]
    return None


def _synthetic_control(data: ReportData, tema: str) -> synth.SynthResult | None:
    column = synth_indicator(tema)
    if column is None:
        return None
    if column not in data.panel.columns:
        return None
    complete = (
        data.panel.group_by("kommunekode")
        .agg(pl.col(column).is_null().sum().alias("missing"))
        .filter(pl.col("missing") == 0)["kommunekode"]
        .to_list()
    )
    size_column = _size_column(tema, column)
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


# The spells the report analyses (``fct_forloeb.forloeb``) and their headings.
FORLOEB_NAVNE: dict[str, str] = {
    "sygedagpengeforloeb": "Sygedagpengeforløbets varighed",
    "fravaer_til_foerste_opfoelgning": "Dage til første opfølgning",
}


# --------------------------------------------------------------- the other trials (ansøgning 2, 4)

PSYKOLOG_SQL = """
select
    screening_instrument,
    count(*) as n_parret,
    avg(scoreaendring) as gns_scoreaendring,
    stddev_samp(scoreaendring) as sd,
    count(*) filter (where is_klinisk_relevant_fald) as n_klinisk_relevant_fald
from marts.fct_psykologforloeb
where has_parret_score and kommunekode in (select unnest($koder)) and henvist_dato < $slut
group by screening_instrument
order by screening_instrument
"""

PSYKOLOG_UDGIFT_SQL = """
select sum(forloeb) as forloeb, sum(udgift_kr) as udgift_kr,
    sum(udgift_kr) / nullif(sum(forloeb_med_udgift), 0) as udgift_pr_forloeb_kr
from marts.mart_psykologbehandling
where kommunekode in (select unnest($koder)) and kvartal < $slut
"""

UDDANNELSE_SQL = """
select
    kommunekode, sum(fritaget) as fritaget, sum(ophoert) as ophoert,
    sum(stadig_fritaget) as stadig_fritaget,
    sum(ophoert_paabegyndt_uddannelse) as ophoert_paabegyndt_uddannelse,
    sum(ophoert_beskaeftigelse) as ophoert_beskaeftigelse,
    sum(ophoert_anden_ydelse) as ophoert_anden_ydelse,
    sum(ophoert_fraflyttet) as ophoert_fraflyttet,
    sum(ophoert_andet) as ophoert_andet,
    sum(heraf_paabegyndt_uddannelse) as heraf_paabegyndt_uddannelse
from marts.mart_uddannelsespaalaeg
where kvartal < $slut
group by kommunekode
order by kommunekode
"""


def _window_slut(data: ReportData) -> dt.date:
    quarter = data.panel.filter(pl.col("periode_index") == data.window_end)["kvartal"][0]
    return pl.Series([quarter]).dt.offset_by("3mo")[0]


# The panel's mean indicator of the psychologist theme (seed indikatorer): the DiD effect on
# a mean per psychiatric case times the cases gives the days saved in all, which a median's
# effect does not.
AARSDAGE_PSYKISK = "gns_sygedagpengedage_365_psykisk"


def psykolog_tables(
    home: Home,
    tema: str,
    data: ReportData,
    wcr_draws: int = 9_999,
    ri_draws: int = 999,
) -> dict[str, pl.DataFrame]:
    """Ansøgning 2: the paired score change per instrument in the trial municipalities (mean
    efter − foer with a 95 % t interval, share with a clinically relevant drop), and the cost
    per course against the benefit weeks saved: the DiD estimate on the mean days on
    sickness benefit in the first year (:data:`AARSDAGE_PSYKISK`) per psychiatric case,
    times the psychiatric cases, per course, with the estimate's headline interval."""
    from scipy import stats

    params = {"koder": data.treated_units, "slut": _window_slut(data)}
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        scores = _sql_frame(con, PSYKOLOG_SQL, params)
        udgift = _sql_frame(con, PSYKOLOG_UDGIFT_SQL, params)
    finally:
        con.close()
    t = pl.Series([stats.t.ppf(0.975, n - 1) if n > 1 else None for n in scores["n_parret"]])
    half = t * scores["sd"] / scores["n_parret"].cast(pl.Float64).sqrt()
    scores = scores.with_columns(
        (pl.col("gns_scoreaendring") - half).alias("ci_lav"),
        (pl.col("gns_scoreaendring") + half).alias("ci_hoej"),
        (pl.col("n_klinisk_relevant_fald") / pl.col("n_parret")).alias(
            "andel_klinisk_relevant_fald"
        ),
    ).drop("sd")
    tables = {"Scoreændring pr. instrument": scores}
    window = data.panel.filter(
        pl.col("kommunekode").is_in(data.treated_units)
        & (pl.col("periode_index") >= pl.col(f"forsoeg_start_index_{tema}"))
    )
    psykisk = float(window["psykisk_sager"].sum() or 0) if "psykisk_sager" in window.columns else 0
    forloeb = float(udgift["forloeb"][0] or 0)
    if not (forloeb and psykisk):
        return tables
    result = estimate_indicator(
        data, tema, AARSDAGE_PSYKISK, wcr_draws, ri_draws, sensitivity=False
    )
    if isinstance(result, did.DidResult):
        # The estimate is days per psychiatric case; only the treated ones can have gained.
        def uger(dage: float) -> float:
            return -dage / 7 * psykisk / forloeb

        uger_pr_forloeb = uger(result.att)
        pris = float(udgift["udgift_pr_forloeb_kr"][0] or 0) or None
        tables["Udgift mod sparede ydelsesuger"] = pl.DataFrame(
            {
                "forloeb": [forloeb],
                "sager_psykisk_i_forsoeget": [psykisk],
                "udgift_pr_forloeb_kr": [pris],
                "effekt_dage_pr_sag": [result.att],
                "sparede_uger_pr_forloeb": [uger_pr_forloeb],
                # A lower effect bound (more days saved) gives the upper bound of weeks saved.
                "sparede_uger_ci_lav": [uger(result.ci_high)],
                "sparede_uger_ci_hoej": [uger(result.ci_low)],
                "udgift_pr_sparet_uge_kr": [
                    pris / uger_pr_forloeb if pris and uger_pr_forloeb > 0 else None
                ],
                "note": [result.warning or ""],
            }
        )
    return tables


def uddannelse_tables(home: Home, data: ReportData) -> dict[str, pl.DataFrame]:
    """Ansøgning 4: exempted, ended (and why), started education, per municipality (suppressed)."""
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        frame = _sql_frame(con, UDDANNELSE_SQL, {"slut": _window_slut(data)})
    finally:
        con.close()
    counts = [c for c in frame.columns if c != "kommunekode"]
    return {"Fritagelser for uddannelsespålæg": display(suppress(frame, counts))}


def other_trial_tables(
    home: Home, tema: str, data: ReportData, wcr_draws: int = 9_999, ri_draws: int = 999
) -> dict[str, pl.DataFrame]:
    """The theme's own tables beside the panel estimates, chosen by the marts the theme's
    indicators live in (seed ``indikatorer``); empty for themes without such marts."""
    marts = {i.mart for i in vocabulary.indikatorer_for_tema(tema) if i.tema == tema}
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        published = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    # A snapshot built before a theme's own source existed has no such marts: no section.
    marts &= published
    tables: dict[str, pl.DataFrame] = {}
    if {"mart_psykologbehandling", "fct_psykologforloeb"} <= published and marts & {
        "mart_psykologbehandling",
        "mart_psykologbehandling_instrument",
    }:
        tables |= psykolog_tables(home, tema, data, wcr_draws, ri_draws)
    if "mart_uddannelsespaalaeg" in marts:
        tables |= uddannelse_tables(home, data)
    if uddannelseshjaelp.MART in marts:
        tables |= uddannelseshjaelp.report_tables(home.published)[1]
    return tables


def _theme_synthetic_control(home: Home, tema: str) -> synth.SynthResult | None:
    """The theme's own synthetic control where its indicators declare one (ansøgning 4:
    Aalborg's uddannelseshjælp outcomes against similar large municipalities)."""
    if not any(
        i.mart == uddannelseshjaelp.MART
        for i in vocabulary.indikatorer_for_tema(tema)
        if i.tema == tema
    ):
        return None
    return uddannelseshjaelp.report_tables(home.published)[0]


DURATION_SQL = """
select
    forloeb.forloeb,
    forloeb.kommunekode,
    forloeb.start_dato,
    forloeb.varighed_dage,
    forloeb.is_afsluttet,
    grupper.gruppe,
    grupper.periode
from marts.fct_forloeb as forloeb
inner join marts.mart_gruppe_kvartal as grupper
    on forloeb.kommunekode = grupper.kommunekode and forloeb.start_kvartal = grupper.kvartal
where grupper.tema = ? and grupper.kontrolgruppe = ? and grupper.periode <> 'efter'
    and list_contains(?, forloeb.forloeb) {extra}
order by
    forloeb.forloeb, grupper.gruppe, grupper.periode, forloeb.kommunekode, forloeb.start_dato
"""


@dataclass(frozen=True, kw_only=True)
class DurationAnalysis:
    """Kaplan–Meier by group (Forsøg/Kontrol) and period (før/under), per spell."""

    table: pl.DataFrame
    figures: dict[str, go.Figure]


def load_case_durations(home: Home, tema: str, kontrolgruppe: str) -> pl.DataFrame | None:
    """The report's spells (:data:`FORLOEB_NAVNE`) from ``marts.fct_forloeb`` for the trial
    and control municipalities before and during the theme (None if the table is missing).
    The model sets the censoring: an open spell ends at its censoring date. Where the model
    marks the cases the theme's rule covers (``is_omfattet_<tema>``), only those are used."""
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        columns = _sql_frame(
            con,
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'fct_forloeb'",
        )["column_name"].to_list()
        if not columns:
            return None
        omfattet = f"is_omfattet_{tema}"
        extra = f"and forloeb.{omfattet}" if omfattet in columns else ""
        frame = _sql_frame(
            con, DURATION_SQL.format(extra=extra), [tema, kontrolgruppe, list(FORLOEB_NAVNE)]
        )
    finally:
        con.close()
    return frame.with_columns(
        pl.col("gruppe").replace_strict(GRUPPE_NAVNE),
        pl.col("periode").replace_strict(PERIODE_NAVNE),
    )


def duration_analysis(cases: pl.DataFrame) -> DurationAnalysis | None:
    """Kaplan–Meier medians with Brookmeyer–Crowley intervals for trial and control
    municipalities before and during the theme, and the log-rank test trial vs control in
    each period."""
    if cases.height == 0:
        return None
    rows = []
    figures: dict[str, go.Figure] = {}
    for column, label in FORLOEB_NAVNE.items():
        usable = cases.filter(pl.col("forloeb") == column)
        event = "is_afsluttet"
        curves: dict[str, survival.KMResult] = {}
        for (gruppe, periode), part in usable.group_by("gruppe", "periode", maintain_order=True):
            if part.height < 5:
                continue
            km = survival.kaplan_meier(part["varighed_dage"].to_numpy(), part[event].to_numpy())
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
        for periode in (PERIODE_NAVNE["foer"], PERIODE_NAVNE["under"]):
            part = usable.filter(pl.col("periode") == periode)
            if part["gruppe"].n_unique() == 2 and part.height >= 10:
                test = survival.logrank(
                    part["varighed_dage"].to_numpy(),
                    part[event].to_numpy(),
                    part["gruppe"].to_numpy(),
                )
                for row in rows:
                    if row["varighed"] == column and row["periode"] == periode:
                        row["logrank_p_forsoeg_mod_kontrol"] = test.p_value
        if curves:
            figures[column] = charts.km_figure(
                dict(sorted(curves.items())),
                title=f"{label} (Kaplan–Meier; åbne sager censureret)",
                y_title="Andel uden hændelse",
                styles={
                    f"{gruppe}, {periode}": (
                        charts.GRUPPE_FARVER[gruppe],
                        "dot" if periode == PERIODE_NAVNE["foer"] else "solid",
                    )
                    for gruppe in GRUPPE_NAVNE.values()
                    for periode in PERIODE_NAVNE.values()
                },
            )
    if not rows:
        return None
    return DurationAnalysis(table=pl.DataFrame(rows, infer_schema_length=None), figures=figures)


# --------------------------------------------------------------------------- HTML


def _table(frame: pl.DataFrame) -> dict[str, list]:
    """A table for the template: column headers and rows of display strings."""
    return {
        "columns": [str(c) for c in frame.columns],
        "rows": [["" if v is None else str(v) for v in row] for row in frame.iter_rows()],
    }


def _p(value: float) -> str:
    if value != value:  # NaN
        return ""
    return "< 0,001" if value < 0.001 else fmt_num(value, 3)


def _overview_display(
    results: dict[str, did.DidResult | str], tema: str | None = None
) -> pl.DataFrame:
    rows = []
    for indicator in _estimated(results, tema):
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


class _Figures:
    """Plotly figures as HTML fragments; the first one carries plotly.js."""

    def __init__(self) -> None:
        self.first = True

    def html(self, figure: go.Figure) -> str:
        include, self.first = self.first, False
        return figure.to_html(full_html=False, include_plotlyjs=include)


def _indicator_sections(
    tema: str, data: ReportData, results: dict[str, did.DidResult | str], figures: _Figures
) -> list[dict[str, object]]:
    sections: list[dict[str, object]] = []
    start = int(data.panel[f"forsoeg_start_index_{tema}"].drop_nulls().min())
    kvartaler = dict(
        data.panel.select("periode_index", "kvartal").unique().sort("periode_index").iter_rows()
    )
    navne = dict(data.panel.select("kommunekode", "kommunenavn").unique().iter_rows())
    # The theme's own indicators lead, then those of every theme, then the other themes'.
    for indicator in _estimated(results, tema):
        result = results[indicator.column]
        if isinstance(result, str):
            sections.append({"label": indicator.label, "note": result})
            continue
        trend = trend_figure(
            data.panel,
            indicator.column,
            "periode_index",
            "gruppe",
            f"Udvikling: {indicator.label}",
            "Gennemsnit pr. kommune",
            start,
            time_labels={index: fmt_kvartal(day) for index, day in kvartaler.items()},
        )
        other = indicator.tema if indicator.tema not in (None, tema) else None
        sections.append(
            {
                "label": indicator.label,
                "note": None,
                "trend_figure": figures.html(trend),
                "event_study_figure": figures.html(
                    event_study_figure(
                        result,
                        title=indicator.label,
                        scale=ENHEDER[indicator.unit][0],
                        unit=ENHEDER[indicator.unit][2],
                    )
                ),
                "text": (
                    f"Effekt: {indicator.fmt(result.att, True)} (95 %-interval "
                    f"{indicator.fmt(result.ci_low, True)} til "
                    f"{indicator.fmt(result.ci_high, True)}); p-værdier: analytisk "
                    f"{_p(result.p_value)}, WCR {_p(result.p_wcr)}, randomisering "
                    f"{_p(result.p_ri)}. Før-trend-test p = "
                    f"{_p(result.pretrend_p) or 'kan ikke testes (ingen variation før start)'}."
                ),
                "other_tema": vocabulary.tema(other).navn_da if other else None,
                "inferens": inference_details(result, navne, indicator),
            }
        )
    return sections


def _omgoerelser_section(omgoerelser: pl.DataFrame, figures: _Figures) -> dict | None:
    if not omgoerelser.height:
        return None
    shown_table, plotted = protect_omgoerelser(omgoerelser)
    if not plotted.height or not plotted["realitetsbehandlede"].sum():
        # Nothing decided on the merits that may be shown: the table alone, no funnel.
        return {"figure": "", "table": _table(shown_table)}
    figure = charts.funnel_figure(
        plotted,
        "omgjorte",
        "realitetsbehandlede",
        "kommunenavn",
        title="Omgørelsesprocent mod antal realitetsbehandlede sager",
        y_title="Omgørelsesprocent",
        highlight=omgoerelser.filter(pl.col("gruppe") == GRUPPE_NAVNE["forsoeg"])[
            "kommunenavn"
        ].to_list(),
    )
    return {"figure": figures.html(figure), "table": _table(shown_table)}


def _synthetic_section(synthetic: synth.SynthResult | None, figures: _Figures) -> dict | None:
    if synthetic is None:
        return None
    weights = (
        synthetic.weights.filter(pl.col("weight") > 0.001)
        .with_columns(
            pl.col("weight").map_elements(lambda w: fmt_num(w, 3), return_dtype=pl.String)
        )
        .rename({"unit": "Donorkommune", "weight": "Vægt"})
    )
    return {
        "unit": synthetic.treated_unit,
        "figure": figures.html(charts.gap_figure(synthetic)),
        "att": fmt_num(synthetic.att, 2),
        "p": _p(synthetic.p_value),
        "n_placebo": synthetic.placebos.height,
        "weights": _table(weights),
    }


def _durations_section(durations: DurationAnalysis | None, figures: _Figures) -> dict | None:
    if durations is None:
        return None
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
    return {
        "figures": [figures.html(figure) for figure in durations.figures.values()],
        "table": _table(shown),
    }


_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True, kw_only=True)
class ReportContent:
    """Everything the HTML report shows, computed before it is rendered."""

    tema: str
    kontrolgruppe: str
    data: ReportData
    results: dict[str, did.DidResult | str]
    counts: pl.DataFrame
    omgoerelser: pl.DataFrame
    synthetic: synth.SynthResult | None = None
    durations: DurationAnalysis | None = None
    # Sections of the application's evaluation plan (report.ansoegning): title → table.
    ansoegning: dict[str, pl.DataFrame] = field(default_factory=dict)
    # The theme's DREAM outcomes by group and period (report.udfald.udfald_table).
    udfald: pl.DataFrame | None = None


def render_html(content: ReportContent) -> str:
    """The report as one self-contained HTML page (template ``rapport.html.j2``)."""
    data = content.data
    figures = _Figures()
    as_of = data.build_info.get("data_as_of")
    warnings = one_warning(
        [r.warning for r in content.results.values() if isinstance(r, did.DidResult)]
    )
    return _TEMPLATES.get_template("rapport.html.j2").render(
        tema_navn=vocabulary.tema(content.tema).navn_da,
        data_as_of=fmt_date(as_of) if isinstance(as_of, dt.date) else "ukendt",
        build_id=str(data.build_info.get("build_id", "ukendt")),
        dannet=fmt_date(dt.date.today()),
        n_forsoeg=len(data.treated_units),
        kontrolgruppe=content.kontrolgruppe,
        n_kontrol=len(data.control_units),
        periode_fra=fmt_kvartal(data.panel["kvartal"].min()),
        periode_til=fmt_kvartal(data.panel["kvartal"].max()),
        window_end=data.window_end,
        advarsler=warnings,
        foertrend_tekst=measured.pretrend_report_text(),
        sammenfatning=summary_in_words(content.tema, content.results),
        overblik=_table(_overview_display(content.results, content.tema)),
        indikatorer=_indicator_sections(content.tema, data, content.results, figures),
        counts=_table(content.counts.rename(count_labels(), strict=False)),
        omgoerelser=_omgoerelser_section(content.omgoerelser, figures),
        omgoerelser_eget_tema=_own_omgoerelse(data, content.tema) is not None,
        synthetic=_synthetic_section(content.synthetic, figures),
        durations=_durations_section(content.durations, figures),
        udfald=_udfald_section(content),
        ansoegning=[
            {"titel": titel, "tabel": _table(frame)}
            for titel, frame in ansoegning_sections(content.ansoegning)
        ],
    )


def _udfald_section(content: ReportContent) -> dict | None:
    table = content.udfald
    if table is None or not table.height:
        return None
    return {
        "tabel": _table(udfald_display(table, content.tema)),
        "definitioner": udfald_definitioner(content.tema, table),
    }


def one_warning(warnings: list[str | None]) -> list[str]:
    """The estimates' warnings, each kind once: the few-clusters warning differs only in its
    counts between indicators (not every municipality has every indicator), so it is shown
    once, with the range of counts."""
    texts = [w for w in dict.fromkeys(warnings) if w]
    kinds: dict[str, list[str]] = {}
    for text in texts:
        kinds.setdefault(re.sub(r"\d+", "#", text), []).append(text)
    shown = []
    for variants in kinds.values():
        if len(variants) == 1:
            shown.append(variants[0])
            continue
        numbers = [[int(n) for n in re.findall(r"\d+", v)] for v in variants]
        ranges = [
            str(min(column)) if min(column) == max(column) else f"{min(column)}–{max(column)}"
            for column in zip(*numbers, strict=True)
        ]
        parts = re.split(r"\d+", variants[0])
        merged = parts[0] + "".join(r + rest for r, rest in zip(ranges, parts[1:], strict=True))
        shown.append(f"{merged} (Antallet varierer mellem indikatorerne.)")
    return shown


def summary_in_words(tema: str, results: dict[str, did.DidResult | str]) -> list[str]:
    """One sentence per estimated indicator of the theme (its own first, then those of every
    theme): how far the trial municipalities moved against the control group, and whether
    that is a clear improvement, a clear worsening or could be chance."""
    sentences = []
    for indikator in vocabulary.indikatorer_for_tema(tema):
        result = results.get(indikator.kolonne)
        if indikator.mart != PANEL_MART or not isinstance(result, did.DidResult):
            continue
        forskel = Forskel.from_result(indikator, result)
        if forskel is not None:
            sentences.append(
                f"{indikator.navn_da}: {forskel.verdict('da')} ({forskel.interval('da')}.)"
            )
    return sentences


# --------------------------------------------------------------------------- Excel


# A workbook table: plain frame (display text is read back as numbers), a suppressed table,
# or a ready DownloadTable.
ExcelTable = pl.DataFrame | Suppressed | DownloadTable


def _counts_cells(data: ReportData) -> Suppressed | None:
    """The counts table's plain values and hidden cells (what :func:`counts_table` shows as
    text), rows in the same order: per year the municipalities, then the year's total."""
    present = [c for c in count_columns() if c in data.panel.columns]
    if not present:
        return None
    per_kommune, shown_rates, with_rates = _counts_parts(data, present)
    cells = suppress(with_rates(per_kommune), list(present), shown_rates, totals_by=["aar"])
    totals = suppress(_counts_totals(per_kommune, present, with_rates), present, shown_rates)
    frame = pl.concat([cells.data, totals.data], how="vertical_relaxed")
    mask = pl.concat([cells.mask, totals.mask])
    order = frame.with_row_index("_rad").sort(
        "aar", pl.col("kommunenavn") == "I alt", "kommunenavn"
    )["_rad"]
    return Suppressed(data=frame[order], mask=mask[order])


def _excel_tables(
    results: dict[str, did.DidResult | str],
    data: ReportData | None,
    omgoerelser: pl.DataFrame,
    synthetic: synth.SynthResult | None,
    durations: DurationAnalysis | None = None,
    tema: str | None = None,
) -> dict[str, ExcelTable]:
    tables: dict[str, ExcelTable] = {"Overblik": overview_table(results, tema)}
    estimated = [(column, r) for column, r in results.items() if isinstance(r, did.DidResult)]
    if estimated:
        tables["Haendelsesstudie"] = pl.concat(
            [r.event_study.with_columns(pl.lit(c).alias("indikator")) for c, r in estimated]
        ).select("indikator", "rel_time", "estimate", "se", "ci_low", "ci_high")
        tables["Gruppe_tid"] = pl.concat(
            [r.group_time.with_columns(pl.lit(c).alias("indikator")) for c, r in estimated]
        ).select("indikator", "group", "time", "estimate", "se", "ci_low", "ci_high")
    counts = _counts_cells(data) if data is not None else None
    if counts is not None:
        tables["Sager_pr_kommune"] = counts
    if omgoerelser.height:
        protected = suppress(omgoerelser, ["realitetsbehandlede", "omgjorte"], OMGOERELSE_RATES)
        # The interval is in percent 0–100, as the rate.
        percent: dict[str, Kind] = {"ci_lav": "percent", "ci_hoej": "percent"}
        tables["Omgoerelser"] = DownloadTable(
            protected.data, protected.mask, kinds_override=percent
        )
    if synthetic is not None:
        tables["Syntetisk_kontrol_vaegte"] = synthetic.weights
        tables["Syntetisk_kontrol_gab"] = synthetic.path
        tables["Syntetisk_placebo"] = synthetic.placebos
    if durations is not None:
        tables["Varigheder_KM"] = suppress(durations.table, ["sager", "afsluttede"])
    return tables


# Workbook column headers in Danish (the estimates' fields; other columns by the counts'
# labels and the vocabulary's names).
EXCEL_HEADERS = {
    "indikator": "Indikator",
    "kolonne": "Kolonne i panelet",
    "att": "Effekt (ATT)",
    "se": "Standardfejl",
    "ci_lav": "95 %-KI, nedre",
    "ci_hoej": "95 %-KI, øvre",
    "ci_low": "95 %-KI, nedre",
    "ci_high": "95 %-KI, øvre",
    "p_analytisk": "p (analytisk)",
    "p_wcr": "p (wild cluster bootstrap)",
    "p_ri": "p (randomisering)",
    "p_foertrend": "p (før-trend)",
    "att_dynamisk": "Effekt, dynamisk",
    "twfe_att": "Effekt, TWFE",
    "twfe_se": "Standardfejl, TWFE",
    "behandlede": "Forsøgskommuner",
    "kontroller": "Kontrolkommuner",
    "svag_inferens": "Svag statistisk sikkerhed",
    "note": "Note",
    "sager_psykisk_i_forsoeget": "Sager med psykisk diagnose i forsøget",
    "effekt_dage_pr_sag": "Effekt, sygedagpengedage det første år pr. sag",
    "sparede_uger_pr_forloeb": "Sparede ydelsesuger pr. forløb",
    "sparede_uger_ci_lav": "Sparede ydelsesuger pr. forløb, 95 %-KI nedre",
    "sparede_uger_ci_hoej": "Sparede ydelsesuger pr. forløb, 95 %-KI øvre",
    "udgift_pr_sparet_uge_kr": "Udgift pr. sparet ydelsesuge (kr.)",
    "rel_time": "Kvartaler fra start",
    "estimate": "Estimat",
    "group": "Startkvartal (indeks)",
    "time": "Kvartal (indeks)",
    "gruppe": "Gruppe",
    "periode": "Periode",
    "realitetsbehandlede": "Realitetsbehandlede",
    "omgjorte": "Omgjorte",
    "omgoerelsesprocent": "Omgørelsesprocent",
    "unit": "Kommune",
    "weight": "Vægt",
    "varighed": "Forløb",
    "sager": "Sager",
    "afsluttede": "Afsluttede",
    "median_dage": "Median (dage)",
    "logrank_p_forsoeg_mod_kontrol": "p (log-rank, forsøg mod kontrol)",
}
# Estimates, their uncertainty and p-values: three decimals (``#,##0.000``); quarter indices
# as plain integers.
EXCEL_KINDS: dict[str, Kind] = {
    **{
        c: "precise"
        for c in (
            "att",
            "se",
            "ci_lav",
            "ci_hoej",
            "ci_low",
            "ci_high",
            "p_analytisk",
            "p_wcr",
            "p_ri",
            "p_foertrend",
            "att_dynamisk",
            "twfe_att",
            "twfe_se",
            "estimate",
            "weight",
            "logrank_p_forsoeg_mod_kontrol",
        )
    },
    "group": "code",
    "time": "code",
}
_DANISH_NUMBER = re.compile(r"-?\d{1,3}(\.\d{3})*(,\d+)?|-?\d+(,\d+)?")
# Marks of a hidden cell in the display tables (evaluation.suppression.display; "x" for a
# cell hidden only to protect another).
_HIDDEN_MARKS = frozenset({HIDDEN, "x", "<5"})


def excel_headers() -> dict[str, str]:
    """Column → Danish header: the estimates' fields, the vocabulary's indicator names, the
    counts' labels. An indicator of ``mart_sagsbehandlingstid`` is one spell's rows of a
    column every spell has (``median_dage``): it does not name that column."""
    names = {
        i.kolonne: i.navn_da
        for i in vocabulary.indikatorer()
        if i.mart != "mart_sagsbehandlingstid"
    }
    return EXCEL_HEADERS | names | count_labels()


def _excel_value(value: object) -> tuple[object, str]:
    """A cell as (value, kind): numbers stay numbers; Danish number text from the display
    tables (``1.234``, ``27,0 %``, ``1.140 kr.``) becomes a number again; suppression markers
    stay text. Kind: int, float, pct, bool or text."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None, "text"
    if isinstance(value, bool):
        return ("Ja" if value else "Nej"), "text"
    if isinstance(value, int):
        return value, "int"
    if isinstance(value, float):
        return value, "float"
    text = str(value).strip()
    for suffix, kind, scale in ((" %", "pct", 0.01), (" kr.", "int", 1.0), ("", "float", 1.0)):
        body = text.removesuffix(suffix) if suffix else text
        if (suffix and not text.endswith(suffix)) or not _DANISH_NUMBER.fullmatch(body):
            continue
        number = float(body.replace(".", "").replace(",", ".")) * scale
        if kind == "float" and "," not in body:
            return int(number), "int"
        return number, kind
    return text, "text"


def _from_display(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A table of display text (evaluation.suppression.display) back to numbers: a text
    column whose every cell is a Danish number, empty or a hidden-cell mark becomes a number
    column (``27,0 %`` in a percent column 27.0, in a share column 0.27), its marks hidden
    cells in the returned mask."""
    columns: dict[str, pl.Series] = {}
    hidden: dict[str, list[bool]] = {}
    for name in frame.columns:
        series = frame[name]
        hidden[name] = [False] * frame.height
        if series.dtype != pl.String:
            columns[name] = series
            continue
        texts = series.to_list()
        marks = [t is not None and t.strip() in _HIDDEN_MARKS for t in texts]
        parsed = [
            _excel_value(t) if t is not None and t.strip() and not m else (None, "empty")
            for t, m in zip(texts, marks, strict=True)
        ]
        kinds = {kind for _, kind in parsed} - {"empty"}
        if not kinds or "text" in kinds or "bool" in kinds:
            columns[name] = series
            continue
        percent = column_kind(name, pl.Float64) == "percent"
        values = [
            None if kind == "empty" else float(v) * (100 if percent and kind == "pct" else 1)
            for v, kind in parsed
        ]
        whole = kinds == {"int"}
        columns[name] = pl.Series(name, values, dtype=pl.Float64)
        if whole:
            columns[name] = columns[name].cast(pl.Int64)
        hidden[name] = marks
    return pl.DataFrame(columns), pl.DataFrame(hidden, schema={c: pl.Boolean for c in hidden})


def _download_table(table: ExcelTable, headers: dict[str, str]) -> DownloadTable:
    """A report table as :mod:`core.eksport` writes it: plain numbers, hidden cells marked,
    Danish headers, estimates with three decimals."""
    if isinstance(table, DownloadTable):
        data, mask, extra = table.data, table.mask, table.kinds_override or {}
    elif isinstance(table, Suppressed):
        data, mask, extra = table.data, table.mask, {}
    else:
        data, mask = _from_display(table)
        extra = {}
    return DownloadTable(
        data,
        mask,
        {c: headers.get(c, c) for c in data.columns},
        EXCEL_KINDS | extra,
    )


def _write_excel(
    path: Path, tables: dict[str, ExcelTable], about: list[tuple[str, str]] | None = None
) -> None:
    """Every table on its own sheet, written by :func:`core.eksport.excel_bytes` (the
    dashboard's writer): Danish headers, numbers stored as numbers with Danish-Excel number
    formats (shares as %, kroner without decimals), suppressed cells marked ``·``, formulas
    neutralised; and a last sheet «Om udtrækket» (``about``)."""
    headers = excel_headers()
    sheets = [Sheet(name, _download_table(table, headers)) for name, table in tables.items()]
    path.write_bytes(excel_bytes(sheets, about or ()))


def about_rows(data: ReportData, tema: str, kontrolgruppe: str) -> list[tuple[str, str]]:
    """The workbook's «Om udtrækket»: what, for which filters, from where and which build."""
    as_of = data.build_info.get("data_as_of")
    return [
        ("Rapport", f"Evaluering: {vocabulary.tema(tema).navn_da}"),
        ("Tema", f"{vocabulary.tema(tema).navn_da} ({tema})"),
        ("Kontrolgruppe", kontrolgruppe),
        (
            "Periode",
            f"{fmt_kvartal(data.panel['kvartal'].min())}–{fmt_kvartal(data.panel['kvartal'].max())}",
        ),
        ("Forsøgskommuner", str(len(data.treated_units))),
        ("Kontrolkommuner", str(len(data.control_units))),
        ("Kilde", f"marts.{PANEL_MART}, marts.mart_gruppe_kvartal (published/current.duckdb)"),
        ("Data pr.", fmt_date(as_of) if isinstance(as_of, dt.date) else "ukendt"),
        ("Build", str(data.build_info.get("build_id", "ukendt"))),
        ("Skjulte tal", f"{HIDDEN} = {FOOTNOTE_DA}"),
    ]


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
    wcr_draws = WCR_DRAWS if wcr_draws is None else wcr_draws
    ri_draws = RI_DRAWS if ri_draws is None else ri_draws
    results = run_estimates(data, tema, wcr_draws=wcr_draws, ri_draws=ri_draws)
    counts = counts_table(data)
    omgoerelser = omgoerelser_table(data, tema)
    synthetic = _synthetic_control(data, tema) or _theme_synthetic_control(home, tema)
    cases = load_case_durations(home, tema, kontrolgruppe)
    durations = duration_analysis(cases) if cases is not None else None
    folder = Path(out) if out is not None else home.root / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"evaluering_{tema}_{kontrolgruppe}"
    html_path = folder / f"{stem}.html"
    xlsx_path = folder / f"{stem}.xlsx"
    ansoegning = ansoegning_tables(home.published, tema) | other_trial_tables(
        home, tema, data, wcr_draws, ri_draws
    )
    udfald = udfald_table(data.panel, tema)
    content = ReportContent(
        tema=tema,
        kontrolgruppe=kontrolgruppe,
        data=data,
        results=results,
        counts=counts,
        omgoerelser=omgoerelser,
        synthetic=synthetic,
        durations=durations,
        ansoegning=ansoegning,
        udfald=udfald,
    )
    html_path.write_text(render_html(content), encoding="utf-8")
    _write_excel(
        xlsx_path,
        {
            **_excel_tables(results, data, omgoerelser, synthetic, durations, tema),
            **ansoegning,
            **({"Beskaeftigelse_forsoergelse": udfald} if udfald.height else {}),
        },
        about_rows(data, tema, kontrolgruppe),
    )
    return [html_path, xlsx_path]


def inference_details(
    result: did.DidResult,
    navne: dict[int, str] | None = None,
    indicator: Indicator | None = None,
) -> dict[str, object]:
    """For the template: lines on the headline method, the analytic interval when shown, the
    evidence statement and units left out (named from ``navne``: kommunekode →
    kommunenavn), and the HonestDiD smoothness bounds as a table (Danish). With
    ``indicator`` the intervals are in its unit (procentpoint, kr., dage, uger)."""

    def num(value: float) -> str:
        if value != value:
            return "–"
        if value in (float("inf"), float("-inf")):
            return "ubegrænset"
        return indicator.fmt(value, True) if indicator else fmt_num(value, 3)

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
        lines.append(
            "Udeladte kommuner: "
            + ", ".join(fmt_kommune(u, navne or {}) for u in result.dropped_units["unit"])
        )
    sensitivity = None
    scale = ENHEDER[indicator.unit][0] if indicator else 1.0
    if result.sensitivity is not None:
        names = {"foerste": "første kvartal efter start", "gennemsnit": "gennemsnit efter start"}
        restrictions = {
            "smoothness": "glathed (M pr. kvartal)",
            "relative_magnitudes": "relativ størrelse (M × største brud før start)",
        }
        sensitivity = _table(
            pl.DataFrame(
                {
                    "Effekt": [names.get(m, m) for m in result.sensitivity["maal"]],
                    "Antagelse": [
                        restrictions.get(r, r) for r in result.sensitivity["restriktion"]
                    ],
                    # M bounds a slope change in the outcome's unit (smoothness) or is a
                    # multiple (relative magnitudes).
                    "M": [
                        fmt_num(m * scale if r == "smoothness" else m, 3)
                        for m, r in zip(
                            result.sensitivity["M"], result.sensitivity["restriktion"], strict=True
                        )
                    ],
                    "Nedre": [num(v) for v in result.sensitivity["ci_low"]],
                    "Øvre": [num(v) for v in result.sensitivity["ci_high"]],
                }
            )
        )
    return {"lines": lines, "sensitivity": sensitivity}
