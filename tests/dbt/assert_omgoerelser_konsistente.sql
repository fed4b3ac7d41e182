-- Rows of mart_omgoerelser whose counts are not the ones counted here from the decisions
-- themselves: for the municipality's own appeals (kilde ankesager) one row per decided
-- appeal in fct_ankesager, for Ankestyrelsen's statistics (kilde ankestatistik) the
-- newest publication's counts. Every decision is either decided on the merits
-- (stadfæstet, ændret, ophævet, hjemvist) or not (afvist, bortfaldet), so the merits plus
-- afvist/bortfaldet must be all decisions, and omgjorte (ændret, ophævet, hjemvist) of the
-- merits give the percentage. Also percentages outside 0-100 and intervals not around
-- their estimate.
with

omgoerelser as (
    select * from {{ ref('mart_omgoerelser') }}
),

ankesager as (
    select * from {{ ref('fct_ankesager') }}
    where afgoerelsestype is not null and afgoerelse_dato is not null
),

ankestatistik as (
    select * from {{ ref('int_ankestatistik_superseded') }}
    where is_seneste_offentliggoerelse
),

afgoerelser as (
    select
        kommunekode,
        afgoerelse_kvartal as kvartal,
        lovomraade,
        'ankesager' as kilde,
        afgoerelsestype,
        1 as antal
    from ankesager
    union all
    select
        kommunekode,
        kvartal,
        lovomraade,
        'ankestatistik' as kilde,
        afgoerelsestype,
        antal
    from ankestatistik
),

optalt as (
    select
        kommunekode,
        kvartal,
        lovomraade,
        kilde,
        sum(antal) as alle,
        coalesce(sum(antal) filter (where afgoerelsestype in ('aendret', 'ophaevet', 'hjemvist')), 0)
            as omgjorte
    from afgoerelser
    group by kommunekode, kvartal, lovomraade, kilde
)

select
    omgoerelser.kommunekode,
    omgoerelser.kvartal,
    omgoerelser.lovomraade,
    omgoerelser.kilde
from omgoerelser
full outer join optalt
    on
        omgoerelser.kommunekode = optalt.kommunekode
        and omgoerelser.kvartal = optalt.kvartal
        and omgoerelser.lovomraade = optalt.lovomraade
        and omgoerelser.kilde = optalt.kilde
where
    omgoerelser.kilde is null
    or optalt.kilde is null
    or omgoerelser.realitetsbehandlede + omgoerelser.afvist_bortfaldet != optalt.alle
    or (
        omgoerelser.realitetsbehandlede > 0
        and abs(omgoerelser.omgoerelsesprocent - 100.0 * optalt.omgjorte / omgoerelser.realitetsbehandlede) > 1e-9
    )
    or omgoerelser.omgoerelsesprocent < 0
    or omgoerelser.omgoerelsesprocent > 100
    or omgoerelser.ci_lav > omgoerelser.omgoerelsesprocent + 1e-9
    or omgoerelser.ci_hoej < omgoerelser.omgoerelsesprocent - 1e-9
    or (omgoerelser.realitetsbehandlede = 0 and omgoerelser.omgoerelsesprocent is not null)
