"""Every query the pages run: small SQL over the marts, returning polars frames.

Functions take a :class:`~dashboards.snapshot.Snapshot` and plain values (so results can be
cached on the snapshot's build id) and do the heavy lifting in DuckDB; pages only arrange
and format. Every value is a bound parameter; theme codes are checked against the
vocabulary (:mod:`core.vocabulary`).

Groups and periods are selected, never derived here: ``marts.mart_gruppe_kvartal`` holds,
per theme × control group × municipality × quarter, the group (``forsoeg``/``kontrol``) and
the period (``foer``/``under``/``efter``). Case-level durations come from
``marts.fct_forloeb`` (one censoring rule, in the model); reversals are counted by the
marts (``mart_omgoerelser``, ``fct_ankesager.is_omgjort``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from core import vocabulary
from dashboards.snapshot import Snapshot

DOKUMENTTYPER = ("LAE285", "LAE265")
PANEL = "marts.mart_panel_kommune_kvartal"
GRUPPE_KVARTAL = "marts.mart_gruppe_kvartal"


def temaer() -> tuple[str, ...]:
    """The theme codes, in the vocabulary's order (seed ``temaer``)."""
    return vocabulary.tema_koder()


def _tema(tema: str) -> str:
    if tema not in temaer():
        raise ValueError(f"unknown tema {tema!r}; expected one of {temaer()}")
    return tema


def _groups_cte() -> str:
    """CTE body with (kommunekode, kvartal, gruppe, periode) for the theme and control group
    from ``mart_gruppe_kvartal``; parameters: $tema, $kontrolgruppe."""
    return f"""
        select kommunekode, kvartal, gruppe, periode
        from {GRUPPE_KVARTAL}
        where tema = $tema and kontrolgruppe = $kontrolgruppe
    """


def kommuner(snap: Snapshot) -> pl.DataFrame:
    """``dim_kommune`` sorted by name."""
    return snap.query("select * from marts.dim_kommune order by kommunenavn")


def kontrolgrupper(snap: Snapshot) -> list[str]:
    """Names of the control groups, ``alle_oevrige`` first."""
    frame = snap.query(
        "select distinct kontrolgruppe from marts.dim_kontrolgruppe"
        " order by kontrolgruppe <> 'alle_oevrige', kontrolgruppe"
    )
    return frame["kontrolgruppe"].to_list()


def kvartaler(snap: Snapshot) -> list[dt.date]:
    """All quarters in the panel, ascending."""
    return snap.query(f"select distinct kvartal from {PANEL} order by kvartal")["kvartal"].to_list()


def forsoegsvindue(snap: Snapshot, tema: str) -> tuple[dt.date | None, dt.date | None]:
    """(first, last) quarter in which any municipality is in the theme; (None, None) if none."""
    row = snap.query(
        f"select min(forsoeg_start_kvartal) as start, max(forsoeg_slut_kvartal) as slut"
        f" from {GRUPPE_KVARTAL} where tema = $tema",
        {"tema": _tema(tema)},
    ).row(0)
    return row[0], row[1]


def grupper(snap: Snapshot, tema: str, kontrolgruppe: str) -> pl.DataFrame:
    """kommunekode, kommunenavn, gruppe for the theme's trial and control municipalities."""
    return snap.query(
        f"""
        select distinct kommunekode, kommunenavn, gruppe
        from {GRUPPE_KVARTAL}
        where tema = $tema and kontrolgruppe = $kontrolgruppe
        order by gruppe desc, kommunenavn
        """,
        _group_params(tema, kontrolgruppe),
    )


def _group_params(tema: str, kontrolgruppe: str) -> dict[str, str]:
    return {"tema": _tema(tema), "kontrolgruppe": kontrolgruppe}


def panel_summer(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Headline counts per gruppe × periode, summed over municipalities and quarters."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select
            grp.gruppe,
            grp.periode,
            count(distinct p.kommunekode) as n_kommuner,
            count(distinct p.kvartal) as n_kvartaler,
            sum(p.sygedagpengesager_omfattet) as sygedagpengesager_omfattet,
            sum(p.lae285_fravalgt) as lae285_fravalgt,
            sum(p.rehab_sager) as rehab_sager,
            sum(p.rehab_fritaget) as rehab_fritaget,
            sum(p.realitetsbehandlede) as realitetsbehandlede,
            sum(p.omgjorte) as omgjorte
        from {PANEL} as p
        inner join grp on p.kommunekode = grp.kommunekode and p.kvartal = grp.kvartal
        where p.kvartal between $fra and $til
        group by 1, 2
        order by gruppe desc, periode = 'efter', periode = 'under'
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )


def panel_tidsserie(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Headline counts per gruppe × kvartal (pooled over the group's municipalities)."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select
            grp.gruppe, p.kvartal,
            sum(p.sygedagpengesager_omfattet) as sygedagpengesager_omfattet,
            sum(p.lae285_fravalgt) as lae285_fravalgt,
            sum(p.rehab_sager) as rehab_sager,
            sum(p.rehab_fritaget) as rehab_fritaget,
            sum(p.realitetsbehandlede) as realitetsbehandlede,
            sum(p.omgjorte) as omgjorte
        from {PANEL} as p
        inner join grp on p.kommunekode = grp.kommunekode and p.kvartal = grp.kvartal
        where p.kvartal between $fra and $til
        group by all
        order by gruppe desc, kvartal
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )


def kommune_tidsserie(snap: Snapshot, kommunekode: int, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """One municipality's panel rows in the period."""
    return snap.query(
        f"select * from {PANEL} where kommunekode = $kode and kvartal between $fra and $til"
        " order by kvartal",
        {"kode": kommunekode, "fra": fra, "til": til},
    )


def panel(snap: Snapshot, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """The whole panel in the period (for the effect estimates)."""
    return snap.query(
        f"select * from {PANEL} where kvartal between $fra and $til order by kommunekode, kvartal",
        {"fra": fra, "til": til},
    )


def attest_summer(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """``mart_attestbesparelse`` summed per gruppe × periode × dokumenttype."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select
            grp.gruppe, grp.periode, a.dokumenttype,
            sum(a.sager_omfattet) as sager_omfattet,
            sum(a.attest_indhentet) as attest_indhentet,
            sum(a.attest_fravalgt) as attest_fravalgt,
            sum(a.kontrafaktisk_udgift_kr) as kontrafaktisk_udgift_kr,
            sum(a.faktisk_attest_udgift_kr) as faktisk_attest_udgift_kr,
            sum(a.alternativ_udgift_kr) as alternativ_udgift_kr,
            sum(a.nettobesparelse_kr) as nettobesparelse_kr,
            sum(a.heraf_imputeret_kr) as heraf_imputeret_kr
        from marts.mart_attestbesparelse as a
        inner join grp
            on a.kommunekode = grp.kommunekode
            and date_trunc('quarter', a.maaned) = grp.kvartal
        where a.maaned between $fra and $til + interval 2 month
        group by 1, 2, 3
        order by gruppe desc, dokumenttype desc, periode = 'efter', periode = 'under'
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )


def attest_maaned(
    snap: Snapshot, dokumenttype: str, kommunekoder: list[int], fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Monthly cost components and cumulative net saving for a set of municipalities."""
    return snap.query(
        """
        select
            maaned,
            sum(kontrafaktisk_udgift_kr) as kontrafaktisk_udgift_kr,
            sum(faktisk_attest_udgift_kr) as faktisk_attest_udgift_kr,
            sum(alternativ_udgift_kr) as alternativ_udgift_kr,
            sum(nettobesparelse_kr) as nettobesparelse_kr,
            sum(sum(nettobesparelse_kr)) over (order by maaned) as kumuleret_besparelse_kr
        from marts.mart_attestbesparelse
        where dokumenttype = $dok and list_contains($koder, kommunekode)
            and maaned between $fra and $til + interval 2 month
        group by maaned
        order by maaned
        """,
        {"dok": dokumenttype, "koder": kommunekoder, "fra": fra, "til": til},
    )


def attest_kommune(
    snap: Snapshot, dokumenttype: str, kommunekoder: list[int], fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Per municipality: eligible cases, waived, cost components and net saving."""
    return snap.query(
        """
        select
            a.kommunekode, k.kommunenavn,
            sum(a.sager_omfattet) as sager_omfattet,
            sum(a.attest_indhentet) as attest_indhentet,
            sum(a.attest_fravalgt) as attest_fravalgt,
            sum(a.attest_fravalgt) / nullif(sum(a.sager_omfattet), 0) as andel_fravalgt,
            sum(a.kontrafaktisk_udgift_kr) as kontrafaktisk_udgift_kr,
            sum(a.faktisk_attest_udgift_kr) as faktisk_attest_udgift_kr,
            sum(a.alternativ_udgift_kr) as alternativ_udgift_kr,
            sum(a.nettobesparelse_kr) as nettobesparelse_kr,
            sum(a.heraf_imputeret_kr) as heraf_imputeret_kr
        from marts.mart_attestbesparelse as a
        inner join marts.dim_kommune as k on a.kommunekode = k.kommunekode
        where a.dokumenttype = $dok and list_contains($koder, a.kommunekode)
            and a.maaned between $fra and $til + interval 2 month
        group by all
        order by nettobesparelse_kr desc, kommunenavn
        """,
        {"dok": dokumenttype, "koder": kommunekoder, "fra": fra, "til": til},
    )


def fravalgsbegrundelser(
    snap: Snapshot, kommunekoder: list[int], fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Waived LÆ285 certificates by reason (``fct_sygedagpengesager``)."""
    return snap.query(
        """
        select coalesce(fravalg_begrundelse, 'ukendt') as begrundelse, count(*) as antal
        from marts.fct_sygedagpengesager
        where is_lae285_fravalgt and list_contains($koder, kommunekode)
            and anmeldt_dato between $fra and $til + interval 3 month - interval 1 day
        group by all
        order by antal desc, begrundelse
        """,
        {"koder": kommunekoder, "fra": fra, "til": til},
    )


def sagsbehandlingstid_kvartal(
    snap: Snapshot, tema: str, kontrolgruppe: str, forloeb: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Per gruppe × kvartal for one spell: cases, case-weighted mean of the municipal
    medians, and the share within the legal deadline (case-weighted)."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select
            grp.gruppe, s.kvartal,
            sum(s.n_sager) as n_sager,
            sum(s.median_dage * s.n_sager) / nullif(sum(s.n_sager), 0) as median_dage,
            sum(s.andel_inden_frist * s.n_sager)
                / nullif(sum(case when s.andel_inden_frist is not null then s.n_sager end), 0)
                as andel_inden_frist,
            round(sum(s.andel_inden_frist * s.n_sager))::bigint as inden_frist
        from marts.mart_sagsbehandlingstid as s
        inner join grp on s.kommunekode = grp.kommunekode and s.kvartal = grp.kvartal
        where s.forloeb = $forloeb and s.kvartal between $fra and $til
        group by all
        order by gruppe desc, kvartal
        """,
        {**_group_params(tema, kontrolgruppe), "forloeb": forloeb, "fra": fra, "til": til},
    )


def km_forloeb(snap: Snapshot) -> list[str]:
    """The spells in ``marts.fct_forloeb``: those with a legal deadline first (in the order
    of the vocabulary's ``frister``), then the rest by name."""
    present = snap.query("select distinct forloeb from marts.fct_forloeb order by forloeb")
    names = present["forloeb"].to_list()
    with_deadline = list(dict.fromkeys(f.forloeb for f in vocabulary.frister()))
    first = [name for name in with_deadline if name in names]
    return first + [name for name in names if name not in first]


def km_optaelling(
    snap: Snapshot,
    tema: str,
    kontrolgruppe: str,
    forloeb: str,
    fra: dt.date,
    til: dt.date,
) -> pl.DataFrame:
    """Per gruppe × periode × days: events and spells ending (event or censored) that day,
    for spells of ``forloeb`` starting in ``fra``–``til`` (``marts.fct_forloeb``: the model
    decides the censoring date)."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select grp.gruppe, grp.periode, f.varighed_dage as dage,
            count(*) filter (where f.is_afsluttet) as haendelser,
            count(*) as ophoer
        from marts.fct_forloeb as f
        inner join grp on f.kommunekode = grp.kommunekode and f.start_kvartal = grp.kvartal
        where f.forloeb = $forloeb and f.start_kvartal between $fra and $til
        group by all
        order by gruppe desc, periode, dage
        """,
        {**_group_params(tema, kontrolgruppe), "forloeb": forloeb, "fra": fra, "til": til},
    )


def fritagelser(
    snap: Snapshot,
    tema: str,
    kontrolgruppe: str,
    fra: dt.date,
    til: dt.date,
    fritagelse_tema: str,
) -> pl.DataFrame:
    """``mart_fritagelser`` rows of ``fritagelse_tema`` per gruppe × periode × maalgruppe,
    groups and periods of ``tema``."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select grp.gruppe, grp.periode, f.maalgruppe,
            sum(f.sager) as sager, sum(f.fritaget) as fritaget,
            sum(f.fritaget) / nullif(sum(f.sager), 0) as andel_fritaget
        from marts.mart_fritagelser as f
        inner join grp on f.kommunekode = grp.kommunekode and f.kvartal = grp.kvartal
        where f.tema = $fritagelse_tema and f.kvartal between $fra and $til
        group by 1, 2, 3
        order by gruppe desc, periode = 'efter', periode = 'under', maalgruppe
        """,
        {
            **_group_params(tema, kontrolgruppe),
            "fra": fra,
            "til": til,
            "fritagelse_tema": _tema(fritagelse_tema),
        },
    )


def akut_fravaer(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Team meetings and those held despite acute absence, per gruppe × kvartal (the rows of
    ``mart_fritagelser`` that count meetings)."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select grp.gruppe, f.kvartal,
            sum(f.moeder) as moeder, sum(f.moeder_akut_fravaer) as moeder_akut_fravaer,
            sum(f.moeder_akut_fravaer) / nullif(sum(f.moeder), 0) as andel_akut_fravaer
        from marts.mart_fritagelser as f
        inner join grp on f.kommunekode = grp.kommunekode and f.kvartal = grp.kvartal
        where f.moeder is not null and f.kvartal between $fra and $til
        group by all
        order by gruppe desc, kvartal
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )


def rehab_fordeling(
    snap: Snapshot, column: str, kommunekoder: list[int], fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Rehab cases by ``fritagelse_begrundelse`` (exempted cases) or by
    ``sundhedsfaglig_raadgiver``, per municipality group given as codes."""
    if column == "fritagelse_begrundelse":
        where = "is_fritaget_rehabmoede"
    elif column == "sundhedsfaglig_raadgiver":
        where = "true"
    else:
        raise ValueError(column)
    return snap.query(
        f"""
        select coalesce({column}, 'ukendt') as kategori, count(*) as antal
        from marts.fct_rehabiliteringssager
        where {where} and list_contains($koder, kommunekode)
            and startdato between $fra and $til + interval 3 month - interval 1 day
        group by all
        order by antal desc, kategori
        """,
        {"koder": kommunekoder, "fra": fra, "til": til},
    )


def omgoerelser_tidsserie(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Appeals decided on the merits and reversed, per gruppe × kvartal (all law areas):
    Ankestyrelsen's own figures (``kilde = 'ankestatistik'``) only."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select grp.gruppe, o.kvartal,
            sum(o.realitetsbehandlede) as realitetsbehandlede,
            sum(o.aendret_ophaevet + o.hjemvist) as omgjorte
        from marts.mart_omgoerelser as o
        inner join grp on o.kommunekode = grp.kommunekode and o.kvartal = grp.kvartal
        where o.kilde = 'ankestatistik' and o.kvartal between $fra and $til
        group by all
        order by gruppe desc, kvartal
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )


def omgoerelser_kommune(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Per municipality (all in the data) over the period, for the funnel plot:
    Ankestyrelsen's own figures (``kilde = 'ankestatistik'``) only; ``gruppe`` is the
    municipality's group for the theme and control group (null when in neither), and
    ``i_forsoeg`` marks the theme's trial municipalities. The group is what the page's
    suppression protects: the quarterly table shows each group's total."""
    return snap.query(
        f"""
        with grp as ({_groups_cte()}),
        kommunegruppe as (
            select kommunekode, min(gruppe) as gruppe
            from grp
            where kvartal between $fra and $til
            group by kommunekode
        )
        select o.kommunekode, k.kommunenavn, kg.gruppe,
            coalesce(kg.gruppe = 'forsoeg', false) as i_forsoeg,
            sum(o.realitetsbehandlede) as realitetsbehandlede,
            sum(o.aendret_ophaevet + o.hjemvist) as omgjorte,
            100.0 * sum(o.aendret_ophaevet + o.hjemvist)
                / nullif(sum(o.realitetsbehandlede), 0) as omgoerelsesprocent
        from marts.mart_omgoerelser as o
        inner join marts.dim_kommune as k on o.kommunekode = k.kommunekode
        left join kommunegruppe as kg on o.kommunekode = kg.kommunekode
        where o.kilde = 'ankestatistik' and o.kvartal between $fra and $til
        group by all
        order by kommunenavn
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )


def anker_efter_fravalg(
    snap: Snapshot, kommunekoder: list[int], fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Sickness-benefit appeals known case by case, linked to their municipal case: decided
    on the merits and reversed, split by whether LÆ285 was waived in the case."""
    return snap.query(
        """
        select
            s.is_lae285_fravalgt as lae285_fravalgt_sag,
            count(*) filter (where a.is_realitetsbehandlet) as realitetsbehandlede,
            count(*) filter (where a.is_omgjort) as omgjorte
        from marts.fct_ankesager as a
        inner join marts.fct_sygedagpengesager as s
            on a.kommunekode = s.kommunekode and a.sags_id = s.sags_id
        where a.lovomraade = 'sygedagpenge' and list_contains($koder, a.kommunekode)
            and a.afgoerelse_dato between $fra and $til + interval 3 month - interval 1 day
        group by all
        order by lae285_fravalgt_sag desc
        """,
        {"koder": kommunekoder, "fra": fra, "til": til},
    )


def load_oversigt(snap: Snapshot) -> pl.DataFrame:
    """Per source × municipality: files loaded/rejected, rows, quarantined, latest extract."""
    return snap.query(
        """
        select source, kommunekode,
            count(*) filter (where status = 'loaded') as filer_indlaest,
            count(*) filter (where status = 'rejected') as filer_afvist,
            coalesce(sum(rows_loaded), 0) as raekker_indlaest,
            coalesce(sum(rows_quarantined), 0) as raekker_karantaene,
            max(extract_date) filter (where status = 'loaded') as seneste_udtraek
        from audit.load_log
        group by all
        order by source, kommunekode
        """
    )


def afviste_filer(snap: Snapshot) -> pl.DataFrame:
    return snap.query(
        "select source_file, source, kommunekode, reason, started_at from audit.load_log"
        " where status = 'rejected' order by started_at desc"
    )


def karantaene_regler(snap: Snapshot) -> pl.DataFrame:
    """Quarantined rows per source × rule."""
    return snap.query(
        """
        select source, rule, count(*) as antal
        from (select source, unnest(rules) as rule from audit.quarantine)
        group by all
        order by source, antal desc
        """
    )


def valideringer(snap: Snapshot) -> pl.DataFrame:
    """Build metadata: tests passed, when built, data as of."""
    return snap.query("select * from meta.build_info order by built_at desc")


def indikator_tidsserie(
    snap: Snapshot,
    tema: str,
    kontrolgruppe: str,
    indikator: str,
    fra: dt.date,
    til: dt.date,
) -> pl.DataFrame:
    """gruppe, kvartal, vaerdi, n_kommuner: one panel indicator per group and quarter. A
    share with a numerator and denominator in the vocabulary is pooled (sum over sum, in the
    indicator's unit); any other indicator is the mean of the group's municipalities."""
    ind = vocabulary.indikator(indikator)
    if ind.mart != PANEL.removeprefix("marts.") or not ind.kolonne.isidentifier():
        raise ValueError(f"{indikator!r} is not a column of {PANEL}")
    if ind.taeller and ind.naevner:
        scale = "100.0 * " if ind.enhed == "procent" else ""
        value = f"{scale}sum(p.{ind.taeller}) / nullif(sum(p.{ind.naevner}), 0)"
    else:
        value = f"avg(p.{ind.kolonne})"
    return snap.query(
        f"""
        with grp as ({_groups_cte()})
        select
            grp.gruppe,
            p.kvartal,
            {value} as vaerdi,
            count(distinct p.kommunekode) filter (where p.{ind.kolonne} is not null)
                as n_kommuner
        from {PANEL} as p
        inner join grp on p.kommunekode = grp.kommunekode and p.kvartal = grp.kvartal
        where p.kvartal between $fra and $til
        group by 1, 2
        order by grp.gruppe, p.kvartal
        """,
        {**_group_params(tema, kontrolgruppe), "fra": fra, "til": til},
    )


def panel_kolonner(snap: Snapshot) -> list[str]:
    """The columns this snapshot's panel holds (an older build may lack newer indicators)."""
    return snap.query(f"select * from {PANEL} limit 0").columns


def kommuner_med_data(snap: Snapshot, tema: str) -> list[int]:
    """The municipalities with at least one quarter of the theme's headline indicator (seed
    ``temaer``, ``hovedindikator``) in the panel; every municipality in the panel when the
    theme has none or this snapshot lacks its column."""
    kode = vocabulary.tema(_tema(tema)).hovedindikator
    kolonne = vocabulary.indikator(kode).kolonne if kode else None
    where = f"where {kolonne} is not null" if kolonne in panel_kolonner(snap) else ""
    frame = snap.query(f"select distinct kommunekode from {PANEL} {where} order by 1")
    return frame["kommunekode"].to_list()


def _rate_sql(indikator: str) -> tuple[vocabulary.Indikator, str]:
    """The indicator (a rate of the panel with numerator and denominator) and its pooled
    value as SQL over ``p`` (percent 0–100 for ``procent``, else a fraction)."""
    ind = vocabulary.indikator(indikator)
    if ind.mart != PANEL.removeprefix("marts.") or not (ind.taeller and ind.naevner):
        raise ValueError(f"{indikator!r} is not a rate of {PANEL}")
    scale = "100.0 * " if ind.enhed == "procent" else ""
    return ind, f"{scale}sum(p.{ind.taeller}) / nullif(sum(p.{ind.naevner}), 0)"


def rangering(snap: Snapshot, indikator: str, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """Every municipality's pooled value of a rate over the period, highest first:
    kommunekode, kommunenavn, taeller, naevner, vaerdi, placering (1 = highest; municipalities
    without cases last, unranked)."""
    ind, value = _rate_sql(indikator)
    return snap.query(
        f"""
        with per_kommune as (
            select
                p.kommunekode,
                any_value(p.kommunenavn) as kommunenavn,
                sum(p.{ind.taeller}) as taeller,
                sum(p.{ind.naevner}) as naevner,
                {value} as vaerdi
            from {PANEL} as p
            where p.kvartal between $fra and $til
            group by p.kommunekode
        )
        select
            *,
            case when vaerdi is not null then rank() over (
                order by vaerdi desc nulls last
            ) end as placering
        from per_kommune
        order by vaerdi desc nulls last, kommunenavn
        """,
        {"fra": fra, "til": til},
    )


def landsgennemsnit(snap: Snapshot, indikator: str, fra: dt.date, til: dt.date) -> float | None:
    """The national value of a rate over the period (pooled over every municipality)."""
    _, value = _rate_sql(indikator)
    row = snap.query(
        f"select {value} as vaerdi from {PANEL} as p where p.kvartal between $fra and $til",
        {"fra": fra, "til": til},
    )
    return row["vaerdi"][0]


def kommuner_tidsserie(
    snap: Snapshot, indikator: str, kommuner: tuple[int, ...], fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """kommunekode, kommunenavn, kvartal, taeller, naevner, vaerdi: a rate per quarter for
    several municipalities (one series each)."""
    ind, value = _rate_sql(indikator)
    return snap.query(
        f"""
        select p.kommunekode, any_value(p.kommunenavn) as kommunenavn, p.kvartal,
            sum(p.{ind.taeller}) as taeller, sum(p.{ind.naevner}) as naevner,
            {value} as vaerdi
        from {PANEL} as p
        where p.kvartal between $fra and $til and list_contains($kommuner, p.kommunekode)
        group by p.kommunekode, p.kvartal
        order by p.kommunekode, p.kvartal
        """,
        {"fra": fra, "til": til, "kommuner": list(kommuner)},
    )
