"""Every query the pages run: small SQL over the marts, returning polars frames.

Functions take a :class:`~dashboards.snapshot.Snapshot` and plain values (so results can be
cached on the snapshot's build id) and do the heavy lifting in DuckDB; pages only arrange
and format. Theme names are interpolated into column names, so they are checked against
:data:`TEMAER` first; every other value is a bound parameter.

Groups: ``forsoeg`` = municipalities ever in the theme (``dim_kommune.i_forsoeg_<tema>``),
``kontrol`` = the chosen control group for the theme (``dim_kontrolgruppe``) minus any trial
municipality. Periods: ``foer`` before the theme's first start quarter, ``under`` up to the
last quarter any municipality is in the theme, ``efter`` after that.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboards.snapshot import Snapshot

TEMAER = ("lae285", "rehab_fritagelse", "lae265", "sundhedsfaglig_raadgivning", "akut_fravaer")
DOKUMENTTYPER = ("LAE285", "LAE265")
PANEL = "marts.mart_panel_kommune_kvartal"


def _tema(tema: str) -> str:
    if tema not in TEMAER:
        raise ValueError(f"unknown tema {tema!r}; expected one of {TEMAER}")
    return tema


def _groups_sql(tema: str) -> str:
    """CTE body with (kommunekode, gruppe) for the theme; parameter: kontrolgruppe."""
    t = _tema(tema)
    return f"""
        select kommunekode, 'forsoeg' as gruppe from marts.dim_kommune where i_forsoeg_{t}
        union all
        select kommunekode, 'kontrol' as gruppe
        from marts.dim_kontrolgruppe
        where kontrolgruppe = $kontrolgruppe and tema = '{t}'
            and kommunekode not in (
                select kommunekode from marts.dim_kommune where i_forsoeg_{t}
            )
    """


def _periode_sql(date_column: str) -> str:
    """Period of ``date_column`` given parameters $start and $slut (first day of quarters)."""
    return f"""
        case
            when {date_column} < $start then 'foer'
            when {date_column} < $slut + interval 3 month then 'under'
            else 'efter'
        end
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
    t = _tema(tema)
    row = snap.query(
        f"select min(kvartal) as start, max(kvartal) as slut from {PANEL} where i_forsoeg_{t}"
    ).row(0)
    return row[0], row[1]


def grupper(snap: Snapshot, tema: str, kontrolgruppe: str) -> pl.DataFrame:
    """kommunekode, kommunenavn, gruppe for the theme's trial and control municipalities."""
    return snap.query(
        f"""
        with grp as ({_groups_sql(tema)})
        select grp.kommunekode, k.kommunenavn, grp.gruppe
        from grp inner join marts.dim_kommune as k on grp.kommunekode = k.kommunekode
        order by grp.gruppe desc, k.kommunenavn
        """,
        {"kontrolgruppe": kontrolgruppe},
    )


def _window_params(snap: Snapshot, tema: str) -> dict[str, dt.date]:
    start, slut = forsoegsvindue(snap, tema)
    # A theme no municipality is in: everything counts as "before".
    far = dt.date(9999, 1, 1)
    return {"start": start or far, "slut": slut or far}


def panel_summer(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Headline counts per gruppe × periode, summed over municipalities and quarters."""
    return snap.query(
        f"""
        with grp as ({_groups_sql(tema)})
        select
            grp.gruppe,
            {_periode_sql("p.kvartal")} as periode,
            count(distinct p.kommunekode) as n_kommuner,
            count(distinct p.kvartal) as n_kvartaler,
            sum(p.sygedagpengesager_omfattet) as sygedagpengesager_omfattet,
            sum(p.lae285_fravalgt) as lae285_fravalgt,
            sum(p.rehab_sager) as rehab_sager,
            sum(p.rehab_fritaget) as rehab_fritaget,
            sum(p.realitetsbehandlede) as realitetsbehandlede,
            sum(p.omgjorte) as omgjorte
        from {PANEL} as p inner join grp on p.kommunekode = grp.kommunekode
        where p.kvartal between $fra and $til
        group by 1, 2
        order by gruppe desc, periode = 'efter', periode = 'under'
        """,
        {"kontrolgruppe": kontrolgruppe, "fra": fra, "til": til, **_window_params(snap, tema)},
    )


def panel_tidsserie(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Headline counts per gruppe × kvartal (pooled over the group's municipalities)."""
    return snap.query(
        f"""
        with grp as ({_groups_sql(tema)})
        select
            grp.gruppe, p.kvartal,
            sum(p.sygedagpengesager_omfattet) as sygedagpengesager_omfattet,
            sum(p.lae285_fravalgt) as lae285_fravalgt,
            sum(p.rehab_sager) as rehab_sager,
            sum(p.rehab_fritaget) as rehab_fritaget,
            sum(p.realitetsbehandlede) as realitetsbehandlede,
            sum(p.omgjorte) as omgjorte
        from {PANEL} as p inner join grp on p.kommunekode = grp.kommunekode
        where p.kvartal between $fra and $til
        group by all
        order by gruppe desc, kvartal
        """,
        {"kontrolgruppe": kontrolgruppe, "fra": fra, "til": til},
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
        with grp as ({_groups_sql(tema)})
        select
            grp.gruppe, {_periode_sql("a.maaned")} as periode, a.dokumenttype,
            sum(a.sager_omfattet) as sager_omfattet,
            sum(a.attest_indhentet) as attest_indhentet,
            sum(a.attest_fravalgt) as attest_fravalgt,
            sum(a.kontrafaktisk_udgift_kr) as kontrafaktisk_udgift_kr,
            sum(a.faktisk_attest_udgift_kr) as faktisk_attest_udgift_kr,
            sum(a.alternativ_udgift_kr) as alternativ_udgift_kr,
            sum(a.nettobesparelse_kr) as nettobesparelse_kr,
            sum(a.heraf_imputeret_kr) as heraf_imputeret_kr
        from marts.mart_attestbesparelse as a inner join grp on a.kommunekode = grp.kommunekode
        where a.maaned between $fra and $til + interval 2 month
        group by 1, 2, 3
        order by gruppe desc, dokumenttype desc, periode = 'efter', periode = 'under'
        """,
        {"kontrolgruppe": kontrolgruppe, "fra": fra, "til": til, **_window_params(snap, tema)},
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
        with grp as ({_groups_sql(tema)})
        select
            grp.gruppe, s.kvartal,
            sum(s.n_sager) as n_sager,
            sum(s.median_dage * s.n_sager) / nullif(sum(s.n_sager), 0) as median_dage,
            sum(s.andel_inden_frist * s.n_sager)
                / nullif(sum(case when s.andel_inden_frist is not null then s.n_sager end), 0)
                as andel_inden_frist,
            round(sum(s.andel_inden_frist * s.n_sager))::bigint as inden_frist
        from marts.mart_sagsbehandlingstid as s
        inner join grp on s.kommunekode = grp.kommunekode
        where s.forloeb = $forloeb and s.kvartal between $fra and $til
        group by all
        order by gruppe desc, kvartal
        """,
        {"kontrolgruppe": kontrolgruppe, "forloeb": forloeb, "fra": fra, "til": til},
    )


# Case-level spells for Kaplan–Meier: (fact table, start, event date, extra censoring date).
KM_FORLOEB: dict[str, tuple[str, str, str, str | None]] = {
    "fravaer_til_foerste_opfoelgning": (
        "fct_sygedagpengesager",
        "foerste_fravaersdag",
        "foerste_opfoelgning_dato",
        "afsluttet_dato",
    ),
    "anmeldelse_til_foerste_opfoelgning": (
        "fct_sygedagpengesager",
        "anmeldt_dato",
        "foerste_opfoelgning_dato",
        "afsluttet_dato",
    ),
    "sygedagpengeforloeb": ("fct_sygedagpengesager", "foerste_fravaersdag", "afsluttet_dato", None),
    "rehab_start_til_afgoerelse": (
        "fct_rehabiliteringssager",
        "startdato",
        "afgoerelse_dato",
        None,
    ),
}


def km_optaelling(
    snap: Snapshot,
    tema: str,
    kontrolgruppe: str,
    forloeb: str,
    fra: dt.date,
    til: dt.date,
    data_as_of: dt.date,
) -> pl.DataFrame:
    """Per gruppe × periode × days: events and cases ending (event or censored) that day.

    A spell without its event is censored at the extra censoring date (e.g. the case closed
    without a follow-up) or else at the data's as-of date.
    """
    table, start, event, censor = KM_FORLOEB[forloeb]
    censor_at = f"coalesce({censor}, $as_of)" if censor else "$as_of"
    return snap.query(
        f"""
        with grp as ({_groups_sql(tema)}),
        spells as (
            select
                grp.gruppe,
                {_periode_sql("f." + start)} as periode,
                greatest(
                    date_diff('day', f.{start}, coalesce(f.{event}, {censor_at})), 0
                ) as dage,
                f.{event} is not null as haendelse
            from marts.{table} as f inner join grp on f.kommunekode = grp.kommunekode
            where f.{start} between $fra and $til + interval 3 month - interval 1 day
                and f.{start} <= $as_of
        )
        select gruppe, periode, dage,
            count(*) filter (where haendelse) as haendelser,
            count(*) as ophoer
        from spells
        group by all
        order by gruppe desc, periode, dage
        """,
        {
            "kontrolgruppe": kontrolgruppe,
            "fra": fra,
            "til": til,
            "as_of": data_as_of,
            **_window_params(snap, tema),
        },
    )


def fritagelser(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """``mart_fritagelser`` (tema rehab_fritagelse) per gruppe × periode × maalgruppe."""
    return snap.query(
        f"""
        with grp as ({_groups_sql(tema)})
        select grp.gruppe, {_periode_sql("f.kvartal")} as periode, f.maalgruppe,
            sum(f.sager) as sager, sum(f.fritaget) as fritaget,
            sum(f.fritaget) / nullif(sum(f.sager), 0) as andel_fritaget
        from marts.mart_fritagelser as f inner join grp on f.kommunekode = grp.kommunekode
        where f.tema = 'rehab_fritagelse' and f.kvartal between $fra and $til
        group by 1, 2, 3
        order by gruppe desc, periode = 'efter', periode = 'under', maalgruppe
        """,
        {"kontrolgruppe": kontrolgruppe, "fra": fra, "til": til, **_window_params(snap, tema)},
    )


def akut_fravaer(
    snap: Snapshot, tema: str, kontrolgruppe: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Team meetings and those held despite acute absence, per gruppe × kvartal."""
    return snap.query(
        f"""
        with grp as ({_groups_sql(tema)})
        select grp.gruppe, f.kvartal,
            sum(f.moeder) as moeder, sum(f.moeder_akut_fravaer) as moeder_akut_fravaer,
            sum(f.moeder_akut_fravaer) / nullif(sum(f.moeder), 0) as andel_akut_fravaer
        from marts.mart_fritagelser as f inner join grp on f.kommunekode = grp.kommunekode
        where f.tema = 'akut_fravaer' and f.kvartal between $fra and $til
        group by all
        order by gruppe desc, kvartal
        """,
        {"kontrolgruppe": kontrolgruppe, "fra": fra, "til": til},
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
    """Appeals decided on the merits and reversed, per gruppe × kvartal (all law areas)."""
    return snap.query(
        f"""
        with grp as ({_groups_sql(tema)})
        select grp.gruppe, o.kvartal,
            sum(o.realitetsbehandlede) as realitetsbehandlede,
            sum(o.aendret_ophaevet + o.hjemvist) as omgjorte
        from marts.mart_omgoerelser as o inner join grp on o.kommunekode = grp.kommunekode
        where o.kvartal between $fra and $til
        group by all
        order by gruppe desc, kvartal
        """,
        {"kontrolgruppe": kontrolgruppe, "fra": fra, "til": til},
    )


def omgoerelser_kommune(snap: Snapshot, tema: str, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """Per municipality (all in the data) over the period, for the funnel plot."""
    t = _tema(tema)
    return snap.query(
        f"""
        select o.kommunekode, k.kommunenavn, k.i_forsoeg_{t} as i_forsoeg,
            sum(o.realitetsbehandlede) as realitetsbehandlede,
            sum(o.aendret_ophaevet + o.hjemvist) as omgjorte,
            100.0 * sum(o.aendret_ophaevet + o.hjemvist)
                / nullif(sum(o.realitetsbehandlede), 0) as omgoerelsesprocent
        from marts.mart_omgoerelser as o
        inner join marts.dim_kommune as k on o.kommunekode = k.kommunekode
        where o.kvartal between $fra and $til
        group by all
        order by kommunenavn
        """,
        {"fra": fra, "til": til},
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
            count(*) filter (where a.afgoerelsestype in ('stadfaestet', 'aendret', 'ophaevet',
                'hjemvist')) as realitetsbehandlede,
            count(*) filter (where a.afgoerelsestype in ('aendret', 'ophaevet', 'hjemvist'))
                as omgjorte
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
