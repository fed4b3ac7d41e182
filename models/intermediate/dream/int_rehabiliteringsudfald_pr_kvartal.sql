{#-
    The panel's DREAM outcome of the exemption from the rehabilitation meeting: among the
    theme's target groups (jobafklaring and fleksjob, the population of the panel's
    andel_rehab_fritaget), the share self-supporting in week 52 after the municipality's
    decision (fct_rehabiliteringsudfald), by municipality and the quarter of the case's
    start (start_kvartal: the case date that puts a case in the theme, as the theme's
    other indicators). Only cases whose week 52 is known count: a case without a decision,
    a person not in DREAM or a week 52 after the register's end is left out.
-#}

with

sager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
),

udfald as (
    select * from {{ ref('fct_rehabiliteringsudfald') }}
),

maalgruppe_sager as (
    select
        sager.kommunekode,
        sager.start_kvartal,
        udfald.er_selvforsoergende_uge_52_efter_afgoerelse
    from sager
    inner join udfald
        on sager.rehabiliteringssag_id = udfald.rehabiliteringssag_id
    where {{ er_rehab_fritagelse_maalgruppe('sager.maalgruppe') }}
),

pr_kvartal as (
    select
        kommunekode,
        start_kvartal as kvartal,
        count(er_selvforsoergende_uge_52_efter_afgoerelse) as rehab_sager_kendt_uge_52_efter_afgoerelse,
        avg(er_selvforsoergende_uge_52_efter_afgoerelse::integer)
            as andel_selvforsoergende_uge_52_efter_afgoerelse
    from maalgruppe_sager
    group by kommunekode, start_kvartal
)

select * from pr_kvartal
