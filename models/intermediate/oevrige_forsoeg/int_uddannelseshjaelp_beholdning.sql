{#-
    The young people on uddannelseshjælp per quarter, from DREAM (int_dream_superseded): one
    row per person with a code of the benefit uddannelseshjaelp (seed dream_ydelser) in the
    ISO week holding the quarter's first day (the quarter's stock, beholdning_uge), with the
    person's status in the week 26 weeks later (udfald_uge):
    - has_kendt_udfald: udfald_uge lies in the register (not after its last week);
    - ydelsesgruppe_uge_26: the benefit group that week, `selvforsoergende` when the week
      has no code; NULL when the outcome is not known;
    - is_uddannelse_eller_selvforsoergende_uge_26: the group is su_uddannelse or
      selvforsoergende; NULL when not known.
    The municipality is the person's bopaelskommune in the newest DREAM update (DREAM gives
    no address history); quarters whose first week lies outside the register are left out.
-#}

with

dream as (
    select * from {{ ref('int_dream_superseded') }}
),

ydelser as (
    select * from {{ ref('dream_ydelser') }}
    where ydelse = 'uddannelseshjaelp'
),

kalender as (
    select * from {{ ref('dim_kalender') }}
),

register as (
    select
        min(register_fra_uge_dato) as fra_uge_dato,
        max(register_til_uge_dato) as til_uge_dato
    from dream
),

kvartaler as (
    select distinct
        kalender.kvartal,
        date_trunc('week', kalender.kvartal)::date as beholdning_uge,
        (date_trunc('week', kalender.kvartal) + interval '182 day')::date as udfald_uge
    from kalender
    cross join register
    where date_trunc('week', kalender.kvartal) between register.fra_uge_dato and register.til_uge_dato
),

beholdning as (
    select
        dream.person_id,
        dream.bopaelskommune as kommunekode,
        kvartaler.kvartal,
        kvartaler.beholdning_uge,
        kvartaler.udfald_uge,
        kvartaler.udfald_uge <= dream.register_til_uge_dato as has_kendt_udfald
    from dream
    inner join ydelser
        on dream.kode between ydelser.kode_fra and ydelser.kode_til
    inner join kvartaler
        on kvartaler.beholdning_uge between dream.fra_uge_dato and dream.til_uge_dato
),

udfald_opslag as (
    select
        beholdning.*,
        beholdning.udfald_uge as uge_dato
    from beholdning
),

-- The benefit group in the week 26 weeks later (the one DREAM week lookup).
udfald as (
    {{ dream_ydelsesgruppe_i_uge('udfald_opslag', 'dream') }}
),

final as (
    select
        person_id,
        kommunekode,
        kvartal,
        beholdning_uge,
        udfald_uge,
        has_kendt_udfald,
        case when has_kendt_udfald then ydelsesgruppe end as ydelsesgruppe_uge_26,
        case
            when has_kendt_udfald then ydelsesgruppe in ('su_uddannelse', 'selvforsoergende')
        end as is_uddannelse_eller_selvforsoergende_uge_26
    from udfald
)

select * from final
