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

uge_52 as (
    select
        sager.rehabiliteringssag_id,
        sager.person_id,
        sager.kommunekode,
        sager.maalgruppe,
        sager.afgoerelse_dato,
        sager.is_fritaget_rehabmoede,
        (date_trunc('week', sager.afgoerelse_dato) + interval '364 day')::date as uge_dato
    from sager
),

-- The benefit group in week 52 (NULL without a decision, outside DREAM or its register).
maalt as (
    {{ dream_ydelsesgruppe_i_uge('uge_52', 'dream') }}
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
        ydelsesgruppe as ydelsesgruppe_uge_52_efter_afgoerelse,
        date_trunc('quarter', afgoerelse_dato)::date as afgoerelse_kvartal,
        ydelsesgruppe = 'selvforsoergende' as er_selvforsoergende_uge_52_efter_afgoerelse
    from maalt
)

select * from final
