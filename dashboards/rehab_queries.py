"""Queries for the page on ansøgning 1 and 3's evaluation plans: omgørelsesprocent per
theme against the national rate, working time saved, rehabilitation indicators, surveys
and the case review. Same conventions as :mod:`dashboards.queries` (a snapshot and plain
values in, a polars frame out; every value a bound parameter). Trial municipalities are
those in ``reference.forsoeg_deltagelse`` for the theme."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboards.snapshot import Snapshot

_FORSOEG = "select distinct kommunekode from reference.forsoeg_deltagelse where tema = $tema"


def omgoerelser_tema_tidsserie(
    snap: Snapshot, tema: str, fra: dt.date, til: dt.date
) -> pl.DataFrame:
    """Per quarter: the trial municipalities' pooled omgørelsesprocent on the theme's law
    areas and the national rate on the same areas."""
    return snap.query(
        f"""
        select
            kvartal,
            sum(realitetsbehandlede) filter (where kommunekode in ({_FORSOEG}))
                as realitetsbehandlede,
            sum(omgjorte) filter (where kommunekode in ({_FORSOEG})) as omgjorte,
            max(realitetsbehandlede_landet) as realitetsbehandlede_landet,
            max(omgjorte_landet) as omgjorte_landet,
            max(omgoerelsesprocent_landet) as omgoerelsesprocent_landet
        from marts.mart_omgoerelser_tema
        where tema = $tema and kvartal between $fra and $til
        group by kvartal
        order by kvartal
        """,
        {"tema": tema, "fra": fra, "til": til},
    )


def ressourcebesparelse(snap: Snapshot, tema: str, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """Working time saved per municipality over the period, beside the certificate fee saving
    of the same quarters (certificate themes only)."""
    return snap.query(
        """
        select
            r.kommunekode,
            k.kommunenavn,
            sum(r.sager) as sager,
            sum(r.moeder_sparet) as moeder_sparet,
            sum(r.attester_sparet) as attester_sparet,
            sum(r.timer_rehabiliteringsteam) as timer_rehabiliteringsteam,
            sum(r.timer_sagsbehandler) as timer_sagsbehandler,
            sum(r.timer_laege) as timer_laege,
            sum(r.timer_i_alt) as timer_i_alt,
            sum(r.besparelse_kr) as besparelse_kr,
            sum(r.honorarbesparelse_kr) as honorarbesparelse_kr
        from marts.mart_ressourcebesparelse as r
        left join reference.kommuner as k on r.kommunekode = k.kommunekode
        where r.tema = $tema and r.kvartal between $fra and $til
        group by r.kommunekode, k.kommunenavn
        order by k.kommunenavn
        """,
        {"tema": tema, "fra": fra, "til": til},
    )


def ressource_parametre(snap: Snapshot, tema: str) -> pl.DataFrame:
    """The parameters behind the working-time figures, with their source or ANTAGELSE."""
    return snap.query(
        """
        select parameter, coalesce(maalgruppe, 'alle') as maalgruppe, vaerdi, enhed,
            beskrivelse_da, kilde
        from reference.ressource_parametre
        where tema = $tema or tema is null
        order by parameter, maalgruppe
        """,
        {"tema": tema},
    )


def rehab_indikatorer(snap: Snapshot, tema: str, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """Rehabilitation indicators per quarter, trial municipalities against the others; the
    share of LÆ265 answered within 30 days pooled over the group's certificates. The meeting
    and decision deadlines are in :func:`rehab_frister`, pooled with their counts (an
    average of municipalities' shares would show a single case's outcome unsuppressed)."""
    return snap.query(
        f"""
        select
            r.kvartal,
            case when r.kommunekode in ({_FORSOEG}) then 'forsoeg' else 'kontrol' end as gruppe,
            sum(r.fritaget_fleksjob_med_timer) as fritaget_fleksjob_med_timer,
            sum(r.fritaget_fleksjob_0_10_timer) as fritaget_fleksjob_0_10_timer,
            sum(r.fritaget_jobafklaring) as fritaget_jobafklaring,
            sum(r.fritaget_gentaget_jobafklaring) as fritaget_gentaget_jobafklaring,
            sum(r.rehab_moeder) as rehab_moeder,
            sum(r.rehab_moeder_akut_fravaer) as rehab_moeder_akut_fravaer,
            sum(r.lae265_svar_frist_kendt) as lae265_svar_frist_kendt,
            sum(r.lae265_svar_inden_frist) as lae265_svar_inden_frist,
            sum(r.lae265_svar_inden_frist) / nullif(sum(r.lae265_svar_frist_kendt), 0)
                as andel_lae265_svar_inden_frist
        from marts.mart_rehab_kvartal as r
        where r.kvartal between $fra and $til
        group by all
        order by r.kvartal, gruppe
        """,
        {"tema": tema, "fra": fra, "til": til},
    )


def survey_andele(snap: Snapshot, tema: str) -> pl.DataFrame:
    """Weighted shares of positive answers, trial against control, per wave and question."""
    return snap.query(
        """
        select boelge, respondenttype, spoergsmaal, gruppe, n_svar, n_positiv, andel_positiv,
            ci_lav, ci_hoej, n_effektiv
        from marts.mart_survey_andele
        where tema = $tema
        order by boelge, respondenttype, spoergsmaal, gruppe
        """,
        {"tema": tema},
    )


def sagsgennemgang(snap: Snapshot, tema: str) -> pl.DataFrame:
    """The case review summarised: weighted share correct / wrong per group."""
    return snap.query(
        """
        select gruppe, n_vurderet, n_kan_ikke_vurderes, n_korrekt, n_delvist_korrekt, n_forkert,
            andel_korrekt, andel_korrekt_ci_lav, andel_korrekt_ci_hoej,
            andel_forkert, andel_forkert_ci_lav, andel_forkert_ci_hoej
        from marts.mart_sagsgennemgang
        where tema = $tema
        order by gruppe
        """,
        {"tema": tema},
    )


def anker_efter_fritagelse(snap: Snapshot, tema: str) -> pl.DataFrame:
    """Appeals of exempted/waived cases against the others, with Newcombe's interval."""
    return snap.query(
        """
        select realitetsbehandlede_fritaget, omgjorte_fritaget, andel_fritaget,
            realitetsbehandlede_ikke_fritaget, omgjorte_ikke_fritaget, andel_ikke_fritaget,
            forskel, forskel_ci_lav, forskel_ci_hoej
        from marts.mart_anker_efter_fritagelse
        where tema = $tema
        """,
        {"tema": tema},
    )


def rehab_frister(snap: Snapshot, tema: str, fra: dt.date, til: dt.date) -> pl.DataFrame:
    """Per target group and spell: cases whose deadline is known and the share within it,
    trial municipalities against the others over the period. All cases are not shown
    beside them: cases ≥ known ≥ within would pin a hidden known count between two equal
    shown ones."""
    return snap.query(
        f"""
        select
            maalgruppe,
            forloeb,
            case when kommunekode in ({_FORSOEG}) then 'forsoeg' else 'kontrol' end as gruppe,
            sum(n_frist_kendt) as n_frist_kendt,
            sum(n_inden_frist) as n_inden_frist,
            sum(n_inden_frist) / nullif(sum(n_frist_kendt), 0) as andel_inden_frist
        from marts.mart_rehab_sagsbehandlingstid
        where kvartal between $fra and $til
        group by all
        order by maalgruppe, forloeb, gruppe
        """,
        {"tema": tema, "fra": fra, "til": til},
    )
