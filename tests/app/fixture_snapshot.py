"""A small hand-made published snapshot with the contract's mart columns (contract §4, C).

Every number is a constant per municipality and period, so the figures a page shows can be
worked out by hand. Municipalities:

* trial (every theme, 2018-01-01; LÆ285 until 2020-12-31, the others until 2022-12-31):
  851 Aalborg, 840 Rebild, 825 Læsø (tiny: counts below 5, for suppression);
* control: 615 Horsens and 657 Herning (control groups ``alle_oevrige`` and
  ``midtjylland``), 101 København (``alle_oevrige`` only).

Per quarter (panel): LÆ285-eligible cases 40 / 20 / 2 (trial) and 30 / 30 / 50 (control);
waived in the LÆ285 trial quarters (2018K1–2020K4) 10 / 5 / 1, else 0. Rehab cases 20 / 10 / 3
and 15 / 15 / 25; exempted in 2018K1–2022K4 8 / 4 / 1, else 0. Appeals: 12 decided on the
merits per quarter, 3 reversed (2 in trial municipalities during the trial), in each of two
law areas, from Ankestyrelsen (``kilde = 'ankestatistik'``); besides, the case-level appeals
(``kilde = 'ankesager'``) of sygedagpenge: 4 per quarter, 1 reversed — which no figure of
Ankestyrelsen's may include.

``mart_gruppe_kvartal`` and ``fct_forloeb`` are added from these tables by
``tests/app/fixture_marts.py`` (spells censored at the data's as-of date 2022-12-31).

Per month (mart_kommune_maaned): each quarter's counts split over its months (see
``_add_maaned``).

Per month (mart_attestbesparelse, LAE285): 10 eligible cases everywhere; in trial
municipalities during 2018-01..2020-12 7 requested and 3 waived, counterfactual 11.400 kr.,
actual 7.980 kr., alternative 600 kr., net saving 2.820 kr.; otherwise no saving.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.vocabulary import tema_koder
from tests.app.fixture_marts import add_forloeb, add_gruppe_kvartal

TEMAER = tema_koder()
BUILD_ID = "fixture-build-1"

KOMMUNER = """
    select * from (values
        (851, 'Aalborg', 'Nordjylland', 217075, true, 40, 10, 20, 8),
        (840, 'Rebild', 'Nordjylland', 30725, true, 20, 5, 10, 4),
        (825, 'Læsø', 'Nordjylland', 1786, true, 2, 1, 3, 1),
        (615, 'Horsens', 'Midtjylland', 90390, false, 30, 0, 15, 0),
        (657, 'Herning', 'Midtjylland', 89193, false, 30, 0, 15, 0),
        (101, 'København', 'Hovedstaden', 632340, false, 50, 0, 25, 0)
    ) as k(kommunekode, kommunenavn, region, indbyggere, forsoeg, omfattet, fravalgt,
           rehab, fritaget)
"""


def _slut(tema: str) -> str:
    return "date '2020-12-31'" if tema == "lae285" else "date '2022-12-31'"


def _add_maaned(con: duckdb.DuckDBPyConnection) -> None:
    """``mart_kommune_maaned``: each quarter's counts split over its months as q − 2·⌊q/3⌋,
    ⌊q/3⌋, ⌊q/3⌋ (Rebild's 20 eligible cases: 8, 6, 6; 5 waived: 3, 1, 1), so the months
    add up to the panel's quarter."""
    split = "case when i = 0 then p.{c} - 2 * (p.{c} // 3) else p.{c} // 3 end"
    counts = ("sygedagpengesager_omfattet", "lae285_fravalgt", "rehab_sager", "rehab_fritaget")
    con.execute(
        f"""
        create table marts.mart_kommune_maaned as
        with m as (
            select p.kommunekode, p.kommunenavn, p.kvartal + to_months(i) as maaned,
                {", ".join(f"{split.format(c=c)} as {c}" for c in counts)}
            from marts.mart_panel_kommune_kvartal as p cross join range(3) as r(i)
        )
        select kommunekode, kommunenavn, maaned::date as maaned, year(maaned) as aar,
            month(maaned) as maaned_nr, date_trunc('quarter', maaned)::date as kvartal,
            {", ".join(counts)},
            lae285_fravalgt / nullif(sygedagpengesager_omfattet, 0) as andel_lae285_fravalgt,
            rehab_fritaget / nullif(rehab_sager, 0) as andel_rehab_fritaget
        from m
        """
    )


def build_fixture_snapshot(path: Path, build_id: str = BUILD_ID) -> Path:
    """Write the fixture snapshot to ``path`` (replacing it atomically) and return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.duckdb")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        _write(con, build_id)
    finally:
        con.close()
    tmp.replace(path)
    return path


def _write(con: duckdb.DuckDBPyConnection, build_id: str) -> None:
    con.execute("create schema marts; create schema meta; create schema audit")
    con.execute(f"create temp table k as {KOMMUNER}")
    forsoeg_cols = ",\n".join(
        f"forsoeg as i_forsoeg_{t},"
        f" case when forsoeg then date '2018-01-01' end as forsoeg_start_{t}"
        for t in TEMAER
    )
    con.execute(
        f"create table marts.dim_kommune as select kommunekode, kommunenavn, region,"
        f" indbyggere, {forsoeg_cols} from k"
    )
    con.execute(
        """
        create table marts.dim_kontrolgruppe as
        select 'alle_oevrige' as kontrolgruppe, t.tema, k.kommunekode
        from k cross join (select unnest(?) as tema) as t where not k.forsoeg
        union all
        select 'midtjylland', t.tema, k.kommunekode
        from k cross join (select unnest(?) as tema) as t where k.kommunekode in (615, 657)
        """,
        [list(TEMAER), list(TEMAER)],
    )
    quarters = (
        "select (date '2015-01-01' + to_months(3 * i))::date as kvartal, i + 1 as periode_index"
        " from range(32) as r(i)"
    )
    tema_cols = ",\n".join(
        f"k.forsoeg and q.kvartal between date '2018-01-01' and {_slut(t)} as i_forsoeg_{t},"
        f" case when k.forsoeg then 13 end as forsoeg_start_index_{t}"
        for t in TEMAER
    )
    con.execute(
        f"""
        create table marts.mart_panel_kommune_kvartal as
        with q as ({quarters}),
        base as (
            select
                k.*, q.kvartal, q.periode_index,
                k.forsoeg and q.kvartal between date '2018-01-01' and date '2020-12-31'
                    as lae285_on,
                k.forsoeg and q.kvartal >= date '2018-01-01' as rehab_on,
                {tema_cols}
            from k cross join q
        )
        select
            kommunekode, kommunenavn, region, kvartal,
            year(kvartal) as aar, quarter(kvartal) as kvartal_nr, periode_index,
            {", ".join(f"i_forsoeg_{t}, forsoeg_start_index_{t}" for t in TEMAER)},
            omfattet as sygedagpengesager_omfattet,
            case when lae285_on then fravalgt else 0 end as lae285_fravalgt,
            (case when lae285_on then fravalgt else 0 end) / omfattet as andel_lae285_fravalgt,
            case when lae285_on then 1140.0 * (omfattet - fravalgt) / omfattet + 60.0
                else 1140.0 end as attestudgift_pr_sag_kr,
            case when lae285_on then 35.0 else 40.0 end as dage_til_foerste_opfoelgning,
            60.0 as sygedagpengeforloeb_dage,
            0.8 as andel_opfoelgning_inden_frist,
            rehab as rehab_sager,
            case when rehab_on then fritaget else 0 end as rehab_fritaget,
            (case when rehab_on then fritaget else 0 end) / rehab as andel_rehab_fritaget,
            12 as realitetsbehandlede,
            case when rehab_on then 2 else 3 end as omgjorte,
            100.0 * (case when rehab_on then 2 else 3 end) / 12 as omgoerelsesprocent
        from base
        """
    )
    _add_maaned(con)
    months = "select (date '2015-01-01' + to_months(i))::date as maaned from range(96) as r(i)"
    con.execute(
        f"""
        create table marts.mart_attestbesparelse as
        with m as ({months}),
        lae285 as (
            select k.kommunekode, m.maaned, 'LAE285' as dokumenttype,
                k.forsoeg and m.maaned between date '2018-01-01' and date '2020-12-01' as paa
            from k cross join m
        ),
        lae265 as (
            select k.kommunekode, m.maaned, 'LAE265' as dokumenttype,
                k.forsoeg and m.maaned >= date '2018-01-01' as paa
            from k cross join m
        )
        select kommunekode, maaned, dokumenttype,
            10 as sager_omfattet,
            case when paa then 7 else 10 end as attest_indhentet,
            case when paa then 3 else 0 end as attest_fravalgt,
            11400.0 as kontrafaktisk_udgift_kr,
            case when paa then 7980.0 else 11400.0 end as faktisk_attest_udgift_kr,
            case when paa then 600.0 else 0.0 end as alternativ_udgift_kr,
            case when paa then 2820.0 else 0.0 end as nettobesparelse_kr,
            case when paa then 100.0 else 0.0 end as heraf_imputeret_kr
        from lae285
        union all
        select kommunekode, maaned, dokumenttype,
            4, case when paa then 2 else 4 end, case when paa then 2 else 0 end,
            6556.0, case when paa then 3278.0 else 6556.0 end,
            case when paa then 500.0 else 0.0 end,
            case when paa then 2778.0 else 0.0 end, 0.0
        from lae265
        """
    )
    con.execute(
        f"""
        create table marts.mart_fritagelser as
        with q as ({quarters})
        select k.kommunekode, q.kvartal, 'rehab_fritagelse' as tema, g.maalgruppe,
            g.sager,
            case when k.forsoeg and q.kvartal >= date '2018-01-01' then g.fritaget else 0 end
                as fritaget,
            (case when k.forsoeg and q.kvartal >= date '2018-01-01' then g.fritaget else 0 end)
                / g.sager as andel_fritaget,
            null::integer as moeder, null::integer as moeder_akut_fravaer
        from k cross join q
        cross join (values ('jobafklaring', 10, 4), ('ressourceforloeb', 6, 0))
            as g(maalgruppe, sager, fritaget)
        union all
        select k.kommunekode, q.kvartal, 'akut_fravaer', 'alle', 8, 0, 0.0, 8,
            case when k.forsoeg and q.kvartal >= date '2018-01-01' then 2 else 0 end
        from k cross join q
        """
    )
    con.execute(
        f"""
        create table marts.mart_sagsbehandlingstid as
        with q as ({quarters})
        select k.kommunekode, q.kvartal, f.forloeb,
            20 as n_sager, 18 as n_afsluttet, 2 as n_aabne,
            case when k.forsoeg and q.kvartal >= date '2018-01-01' then f.median - 5.0
                else f.median end as median_dage,
            f.median - 10.0 as p25_dage, f.median + 15.0 as p75_dage,
            f.andel as andel_inden_frist
        from k cross join q
        cross join (values
            ('anmeldelse_til_foerste_opfoelgning', 30.0, null),
            ('fravaer_til_foerste_opfoelgning', 40.0, 0.8),
            ('sygedagpengeforloeb', 60.0, null),
            ('attest_rekvireret_til_modtaget', 12.0, 0.9),
            ('rehab_start_til_afgoerelse', 50.0, null),
            ('rehab_start_til_moede', 25.0, 0.7)
        ) as f(forloeb, median, andel)
        """
    )
    con.execute(
        f"""
        create table marts.mart_omgoerelser as
        with q as ({quarters}),
        base as (
            select k.kommunekode, q.kvartal, l.lovomraade, 12 as realitetsbehandlede,
                case when k.forsoeg and q.kvartal >= date '2018-01-01' then 2 else 3 end
                    as omgjort
            from k cross join q
            cross join (values ('sygedagpenge'), ('fleksjob')) as l(lovomraade)
        ),
        wilson as (
            select *, omgjort / realitetsbehandlede as p, 1.959963984540054 as z from base
        )
        select kommunekode, kvartal, lovomraade, realitetsbehandlede,
            realitetsbehandlede - omgjort as stadfaestet,
            omgjort - 1 as aendret_ophaevet, 1 as hjemvist, 1 as afvist_bortfaldet,
            100.0 * p as omgoerelsesprocent,
            100.0 * (p + z * z / (2 * realitetsbehandlede)
                - z * sqrt(p * (1 - p) / realitetsbehandlede
                    + z * z / (4 * realitetsbehandlede * realitetsbehandlede)))
                / (1 + z * z / realitetsbehandlede) as ci_lav,
            100.0 * (p + z * z / (2 * realitetsbehandlede)
                + z * sqrt(p * (1 - p) / realitetsbehandlede
                    + z * z / (4 * realitetsbehandlede * realitetsbehandlede)))
                / (1 + z * z / realitetsbehandlede) as ci_hoej,
            'ankestatistik' as kilde
        from wilson
        union all
        select k.kommunekode, q.kvartal, 'sygedagpenge', 4, 3, 1, 0, 0, 25.0, 3.0, 70.0,
            'ankesager'
        from k cross join q
        """
    )
    # Case-level facts: per municipality and year 2016 and 2019, a few cases with known
    # durations (days from first absence to first follow-up: 20, 30, 40, 50, then one open).
    con.execute(
        """
        create table marts.fct_sygedagpengesager as
        with c as (
            select k.kommunekode, k.forsoeg, y.aar, i
            from k cross join (values (2016), (2019)) as y(aar) cross join range(5) as r(i)
        )
        select
            kommunekode::varchar || ':' || aar || '-' || i as sygedagpengesag_id,
            aar || '-' || i as sags_id,
            kommunekode,
            make_date(aar, 3, 1) as foerste_fravaersdag,
            make_date(aar, 3, 3) as anmeldt_dato,
            2 as visitationskategori,
            true as forventet_over_8_uger,
            forsoeg and aar = 2019 and i < 2 as is_lae285_fravalgt,
            case when forsoeg and aar = 2019 and i < 2 then
                case when i = 0 then 'indlagt' else 'ingen_arbejdsgiver' end end
                as fravalg_begrundelse,
            case when i < 4 then make_date(aar, 3, 1) + (20 + 10 * i)::integer end
                as foerste_opfoelgning_dato,
            case when i < 4 then make_date(aar, 3, 1) + (60 + 10 * i)::integer end as afsluttet_dato
        from c
        """
    )
    con.execute(
        """
        create table marts.fct_rehabiliteringssager as
        select
            k.kommunekode::varchar || ':r' || i as rehabiliteringssag_id,
            'r' || i as sags_id, k.kommunekode,
            case when i % 2 = 0 then 'jobafklaring' else 'ressourceforloeb' end as maalgruppe,
            date '2019-02-01' as startdato,
            k.forsoeg and i < 2 as is_fritaget_rehabmoede,
            case when k.forsoeg and i < 2 then 'plan_ivaerksat' end as fritagelse_begrundelse,
            k.forsoeg and i = 2 as is_lae265_fravalgt,
            case when k.forsoeg then 'klinisk_funktion' else 'anden' end
                as sundhedsfaglig_raadgiver,
            case when not (k.forsoeg and i < 2) then date '2019-02-20' end as moede_dato,
            k.forsoeg and i = 3 as is_moede_akut_fravaer,
            date '2019-03-03' as afgoerelse_dato
        from k cross join range(4) as r(i)
        """
    )
    con.execute(
        """
        create table marts.fct_ankesager as
        select
            s.kommunekode::varchar || ':a' || s.sags_id as ankesag_id,
            'a' || s.sags_id as anke_id, s.kommunekode, s.sags_id,
            'sygedagpenge' as lovomraade,
            s.anmeldt_dato + 100 as modtaget_dato, s.anmeldt_dato + 200 as afgoerelse_dato,
            case when s.is_lae285_fravalgt then 'aendret' else 'stadfaestet' end
                as afgoerelsestype,
            true as is_realitetsbehandlet,
            s.is_lae285_fravalgt as is_omgjort
        from marts.fct_sygedagpengesager as s
        """
    )
    con.execute(
        """
        create table meta.build_info as
        select ?::varchar as build_id, timestamp '2023-01-15 08:30:00' as built_at,
            date '2022-12-31' as data_as_of, '1.11.0' as dbt_version, 321 as n_tests_passed
        """,
        [build_id],
    )
    con.execute(
        """
        create table audit.load_log as
        select * from (values
            ('l1', 'sygedagpengesager_0851_2022-12-31.csv', '/x/a.csv',
             'abc', 'sygedagpengesager', 851, date '2022-12-31', 'loaded', null, 120, 117, 3,
             timestamp '2023-01-15 08:00:00', timestamp '2023-01-15 08:00:01'),
            ('l2', 'sygedagpengesager_615_2022-12-31.csv', '/x/b.csv',
             'def', 'sygedagpengesager', 615, date '2022-12-31', 'loaded', null, 90, 90, 0,
             timestamp '2023-01-15 08:00:02', timestamp '2023-01-15 08:00:03'),
            ('l3', 'rehabiliteringssager_0851_2022-12-31.xlsx', '/x/c.xlsx',
             'ghi', 'rehabiliteringssager', 851, date '2022-12-31', 'rejected',
             'Kolonnen startdato mangler', 0, 0, 0,
             timestamp '2023-01-15 08:00:04', timestamp '2023-01-15 08:00:05')
        ) as t(load_id, source_file, file_path, file_sha256, source, kommunekode, extract_date,
               status, reason, rows_read, rows_loaded, rows_quarantined, started_at, finished_at)
        """
    )
    con.execute(
        """
        create table audit.quarantine as
        select 'l1' as load_id, 'sygedagpengesager_0851_2022-12-31.csv' as source_file,
            'sygedagpengesager' as source, 851 as kommunekode, 10 + i as source_row_number,
            ['invalid_date'] as rules, 'Datoen kan ikke læses' as reason,
            '{"anmeldt_dato": "31-02-2019"}' as masked_row,
            timestamp '2023-01-15 08:00:01' as quarantined_at
        from range(3) as r(i)
        """
    )
    add_gruppe_kvartal(con, TEMAER)
    add_forloeb(
        con,
        "date '2022-12-31'",
        omfattet="visitationskategori in (2, 3) and forventet_over_8_uger",
    )
