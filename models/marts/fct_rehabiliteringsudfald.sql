{#-
    Outcomes of each rehabilitation-team case in DREAM (issue: outcomes by theme where the
    theme has its own case population; the rehab exemptions are judged on them).
    Week 0 is the ISO week holding the municipality's decision (afgoerelse_dato); week 52
    starts 364 days after week 0's Monday.
    - ydelsesgruppe_uge_52_efter_afgoerelse: the benefit group in week 52
      (`selvforsoergende` when the week has no code); NULL when the case has no decision,
      the person is not in DREAM, or week 52 is outside the register of the person's newest
      DREAM update.
    - er_selvforsoergende_uge_52_efter_afgoerelse: that group is `selvforsoergende`.
-#}

with

sager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
),

dream as (
    select * from {{ ref('int_dream_superseded') }}
),

personer as (
    select
        person_id,
        min(register_fra_uge_dato) as register_fra_uge_dato,
        max(register_til_uge_dato) as register_til_uge_dato
    from dream
    group by person_id
),

uge_52 as (
    select
        sager.rehabiliteringssag_id,
        sager.person_id,
        sager.kommunekode,
        sager.maalgruppe,
        sager.afgoerelse_dato,
        sager.is_fritaget_rehabmoede,
        personer.register_fra_uge_dato,
        personer.register_til_uge_dato,
        personer.person_id is not null as has_dream,
        (date_trunc('week', sager.afgoerelse_dato) + interval '364 day')::date as uge_52_dato
    from sager
    left join personer
        on sager.person_id = personer.person_id
),

ydelse_i_uge_52 as (
    select
        uge_52.rehabiliteringssag_id,
        {{ en_vaerdi('dream.ydelsesgruppe') }} as ydelsesgruppe
    from uge_52
    inner join dream
        on
            uge_52.person_id = dream.person_id
            and uge_52.uge_52_dato between dream.fra_uge_dato and dream.til_uge_dato
    where dream.kode is not null
    group by uge_52.rehabiliteringssag_id
),

maalt as (
    select
        uge_52.rehabiliteringssag_id,
        uge_52.person_id,
        uge_52.kommunekode,
        uge_52.maalgruppe,
        uge_52.afgoerelse_dato,
        uge_52.is_fritaget_rehabmoede,
        uge_52.has_dream,
        case
            when
                uge_52.has_dream
                and uge_52.uge_52_dato between uge_52.register_fra_uge_dato and uge_52.register_til_uge_dato
                then coalesce(ydelse_i_uge_52.ydelsesgruppe, 'selvforsoergende')
        end as ydelsesgruppe_uge_52_efter_afgoerelse
    from uge_52
    left join ydelse_i_uge_52
        on uge_52.rehabiliteringssag_id = ydelse_i_uge_52.rehabiliteringssag_id
),

final as (
    select
        rehabiliteringssag_id,
        person_id,
        kommunekode,
        maalgruppe,
        afgoerelse_dato,
        is_fritaget_rehabmoede,
        has_dream,
        ydelsesgruppe_uge_52_efter_afgoerelse,
        date_trunc('quarter', afgoerelse_dato)::date as afgoerelse_kvartal,
        ydelsesgruppe_uge_52_efter_afgoerelse = 'selvforsoergende'
            as er_selvforsoergende_uge_52_efter_afgoerelse
    from maalt
)

select * from final
