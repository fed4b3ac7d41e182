{#-
    Contract §4.2: exemptions from the education order per municipality × quarter of
    fritaget_dato (a cohort: what became of the young people exempted in the quarter).
    `ophoert_<aarsag>` split `ophoert` by the municipality's recorded reason;
    heraf_paabegyndt_uddannelse is the municipality's record (ophoer_aarsag).
    From DREAM (int_uddannelsespaalaeg_dream): heraf_paabegyndt_uddannelse_su (any SU week
    after the exemption) and the benefit group in the week of the trial's end:
    ydelsesgruppe_ved_forsoegets_slut, the most common group (ties: the first in the seed
    ydelsesgrupper's order), persons self-supporting / on a benefit / unknown (not in DREAM,
    or the week outside the register); the whole distribution is
    mart_uddannelsespaalaeg_ydelsesgrupper.
-#}

{%- set aarsager = ['paabegyndt_uddannelse', 'beskaeftigelse', 'anden_ydelse', 'fraflyttet', 'andet'] %}

with

fritagelser as (
    select * from {{ ref('fct_uddannelsespaalaeg') }}
),

dream as (
    select * from {{ ref('int_uddannelsespaalaeg_dream') }}
),

ydelsesgrupper as (
    select * from {{ ref('ydelsesgrupper') }}
),

med_dream as (
    select
        fritagelser.*,
        dream.has_su_uger_efter_fritagelse,
        dream.ydelsesgruppe_ved_forsoegets_slut
    from fritagelser
    left join dream
        on fritagelser.uddannelsespaalaeg_id = dream.uddannelsespaalaeg_id
),

grupper_rangeret as (
    select
        med_dream.kommunekode,
        med_dream.fritaget_kvartal,
        med_dream.ydelsesgruppe_ved_forsoegets_slut,
        row_number() over (
            partition by med_dream.kommunekode, med_dream.fritaget_kvartal
            order by count(*) desc, ydelsesgrupper.sortering
        ) as rang
    from med_dream
    inner join ydelsesgrupper
        on med_dream.ydelsesgruppe_ved_forsoegets_slut = ydelsesgrupper.ydelsesgruppe
    group by
        med_dream.kommunekode, med_dream.fritaget_kvartal, med_dream.ydelsesgruppe_ved_forsoegets_slut,
        ydelsesgrupper.sortering
),

hyppigste_gruppe as (
    select
        kommunekode,
        fritaget_kvartal,
        ydelsesgruppe_ved_forsoegets_slut
    from grupper_rangeret
    where rang = 1
),

pr_kvartal as (
    select
        fritagelser.kommunekode,
        fritagelser.fritaget_kvartal as kvartal,
        count(*) as fritaget,
        count(*) filter (where fritagelser.is_ophoert) as ophoert,
        count(*) filter (where not fritagelser.is_ophoert) as stadig_fritaget,
        {% for aarsag in aarsager %}
            count(*) filter (where fritagelser.ophoer_aarsag = '{{ aarsag }}') as ophoert_{{ aarsag }},
        {% endfor %}
        count(*) filter (where fritagelser.is_paabegyndt_uddannelse) as heraf_paabegyndt_uddannelse,
        {{ flydende('count(*) filter (where fritagelser.is_paabegyndt_uddannelse)') }} / count(*)
            as andel_paabegyndt_uddannelse,
        count(*) filter (where fritagelser.has_su_uger_efter_fritagelse) as heraf_paabegyndt_uddannelse_su,
        count(*) filter (where fritagelser.ydelsesgruppe_ved_forsoegets_slut = 'selvforsoergende')
            as ved_forsoegets_slut_selvforsoergende,
        count(*) filter (where fritagelser.ydelsesgruppe_ved_forsoegets_slut != 'selvforsoergende')
            as ved_forsoegets_slut_paa_ydelse,
        count(*) filter (where fritagelser.ydelsesgruppe_ved_forsoegets_slut is null) as ved_forsoegets_slut_ukendt
    from med_dream as fritagelser
    group by fritagelser.kommunekode, fritagelser.fritaget_kvartal
),

final as (
    select
        pr_kvartal.*,
        hyppigste_gruppe.ydelsesgruppe_ved_forsoegets_slut
    from pr_kvartal
    left join hyppigste_gruppe
        on
            pr_kvartal.kommunekode = hyppigste_gruppe.kommunekode
            and pr_kvartal.kvartal = hyppigste_gruppe.fritaget_kvartal
)

select * from final
