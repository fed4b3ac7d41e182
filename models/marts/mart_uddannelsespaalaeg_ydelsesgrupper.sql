{#-
    The DREAM benefit group in the week of the trial's end of the young people exempted
    from the education order, per municipality × quarter of fritaget_dato × group
    (int_uddannelsespaalaeg_dream); `ukendt` rows are not counted (not in DREAM, or the
    week outside the register). andel_unge: share of the quarter's exempted with a known
    group.
-#}

with

fritagelser as (
    select * from {{ ref('fct_uddannelsespaalaeg') }}
),

dream as (
    select * from {{ ref('int_uddannelsespaalaeg_dream') }}
),

kendte as (
    select
        fritagelser.kommunekode,
        fritagelser.fritaget_kvartal as kvartal,
        dream.ydelsesgruppe_ved_forsoegets_slut as ydelsesgruppe
    from fritagelser
    inner join dream
        on fritagelser.uddannelsespaalaeg_id = dream.uddannelsespaalaeg_id
    where dream.ydelsesgruppe_ved_forsoegets_slut is not null
),

final as (
    select
        kommunekode,
        kvartal,
        ydelsesgruppe,
        count(*) as unge,
        {{ flydende('count(*)') }} / sum(count(*)) over (partition by kommunekode, kvartal) as andel_unge
    from kendte
    group by kommunekode, kvartal, ydelsesgruppe
)

select * from final
