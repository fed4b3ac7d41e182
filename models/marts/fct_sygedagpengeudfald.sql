{#-
    Outcomes of each sickness-benefit case in DREAM (contract §4.1). Weeks are counted from
    week 0, the ISO week that holds foerste_fravaersdag; week k is the ISO week starting
    7·k days after week 0's Monday. A week is known when it lies inside the register of
    the person's newest DREAM update; a week outside it gives NULL, never a guess.
    - er_selvforsoergende_uge_k: no benefit code in week k.
    - uger_til_selvforsoergelse: first week t >= 0 that starts 4 consecutive weeks without
      a code, all inside the register (candidates: week 0 and the week after each benefit
      forløb; the blank run lasts until the next forløb or the register's last week).
    - ydelsesuger_52: weeks with a code among weeks 0–51; NULL unless week 51 is known.
    - is_gensygemeldt_*: another case of the person, any municipality, whose first day of
      absence is after this case ended and at most 182/365 days later; NULL while open.
-#}

with

sager as (
    select * from {{ ref('int_sygedagpengesager_deduplicated') }}
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

ydelser as (
    select * from dream
    where kode is not null
),

uge_0 as (
    select
        sager.sygedagpengesag_id,
        sager.person_id,
        sager.kommunekode,
        sager.foerste_fravaersdag,
        sager.afsluttet_dato,
        personer.register_fra_uge_dato,
        personer.register_til_uge_dato,
        date_trunc('week', sager.foerste_fravaersdag)::date as uge_0_dato,
        personer.person_id is not null as has_dream
    from sager
    left join personer
        on sager.person_id = personer.person_id
),

maaleuger as (
    select
        uge_0.sygedagpengesag_id,
        maal.uge,
        (uge_0.uge_0_dato + 7 * maal.uge)::date as uge_dato,
        uge_0.has_dream
        and uge_0.uge_0_dato + 7 * maal.uge between uge_0.register_fra_uge_dato and uge_0.register_til_uge_dato
            as er_kendt
    from uge_0
    cross join (values (13), (26), (51), (52)) as maal (uge)
),

status_i_maaleuger as (
    select
        maaleuger.sygedagpengesag_id,
        maaleuger.uge,
        maaleuger.er_kendt,
        {{ en_vaerdi('ydelser.ydelsesgruppe') }} as ydelsesgruppe,
        count(ydelser.person_id) as antal_forloeb
    from maaleuger
    inner join uge_0
        on maaleuger.sygedagpengesag_id = uge_0.sygedagpengesag_id
    left join ydelser
        on
            uge_0.person_id = ydelser.person_id
            and maaleuger.uge_dato between ydelser.fra_uge_dato and ydelser.til_uge_dato
    group by maaleuger.sygedagpengesag_id, maaleuger.uge, maaleuger.er_kendt
),

maalinger as (
    select
        sygedagpengesag_id,
        bool_or(er_kendt and antal_forloeb = 0) filter (where uge = 13)
            as er_selvforsoergende_uge_13_kendt,
        bool_or(er_kendt) filter (where uge = 13) as er_kendt_uge_13,
        bool_or(er_kendt and antal_forloeb = 0) filter (where uge = 26)
            as er_selvforsoergende_uge_26_kendt,
        bool_or(er_kendt) filter (where uge = 26) as er_kendt_uge_26,
        bool_or(er_kendt and antal_forloeb = 0) filter (where uge = 52)
            as er_selvforsoergende_uge_52_kendt,
        bool_or(er_kendt) filter (where uge = 52) as er_kendt_uge_52,
        bool_or(er_kendt) filter (where uge = 51) as er_kendt_uge_51,
        {{ en_vaerdi("coalesce(ydelsesgruppe, 'selvforsoergende')") }} filter (where uge = 52)
            as ydelsesgruppe_uge_52_kendt
    from status_i_maaleuger
    group by sygedagpengesag_id
),

ydelsesuger as (
    select
        uge_0.sygedagpengesag_id,
        coalesce(sum(
            greatest(
                0,
                {{ heltalsdivision(dage_mellem(
                    'greatest(ydelser.fra_uge_dato, uge_0.uge_0_dato)',
                    'least(ydelser.til_uge_dato, (uge_0.uge_0_dato + 7 * 51)::date)'
                ), 7) }} + 1
            )
        ) filter (where ydelser.person_id is not null), 0) as ydelsesuger_0_51
    from uge_0
    left join ydelser
        on
            uge_0.person_id = ydelser.person_id
            and uge_0.uge_0_dato <= ydelser.til_uge_dato
            and ydelser.fra_uge_dato <= uge_0.uge_0_dato + 7 * 51
    group by uge_0.sygedagpengesag_id
),

-- Where a blank run may start: week 0 (or the register's first week) and the week after
-- each benefit forløb that ends in or after week 0.
kandidater as (
    select
        sygedagpengesag_id,
        person_id,
        greatest(uge_0_dato, register_fra_uge_dato) as start_dato,
        register_til_uge_dato
    from uge_0
    where has_dream
    union all
    select
        uge_0.sygedagpengesag_id,
        uge_0.person_id,
        (ydelser.til_uge_dato + 7)::date as start_dato,
        uge_0.register_til_uge_dato
    from uge_0
    inner join ydelser
        on uge_0.person_id = ydelser.person_id and uge_0.uge_0_dato <= ydelser.til_uge_dato
),

-- A blank run lasts until the week before the first forløb still running at or after its
-- start (a forløb covering the start makes the run empty), else to the register's end.
blanke_loeb as (
    select
        kandidater.sygedagpengesag_id,
        kandidater.start_dato,
        coalesce((min(ydelser.fra_uge_dato) - 7)::date, {{ en_vaerdi('kandidater.register_til_uge_dato') }})
            as slut_dato
    from kandidater
    left join ydelser
        on kandidater.person_id = ydelser.person_id and kandidater.start_dato <= ydelser.til_uge_dato
    group by kandidater.sygedagpengesag_id, kandidater.start_dato
),

selvforsoergelse as (
    select
        blanke_loeb.sygedagpengesag_id,
        min({{ heltalsdivision(dage_mellem('uge_0.uge_0_dato', 'blanke_loeb.start_dato'), 7) }})
            as uger_til_selvforsoergelse
    from blanke_loeb
    inner join uge_0
        on blanke_loeb.sygedagpengesag_id = uge_0.sygedagpengesag_id
    where {{ heltalsdivision(dage_mellem('blanke_loeb.start_dato', 'blanke_loeb.slut_dato'), 7) }} + 1 >= 4
    group by blanke_loeb.sygedagpengesag_id
),

gensygemeldinger as (
    select
        sagen.sygedagpengesag_id,
        bool_or({{ dage_mellem('sagen.afsluttet_dato', 'senere.foerste_fravaersdag') }} <= 182)
            as har_ny_sag_182,
        bool_or({{ dage_mellem('sagen.afsluttet_dato', 'senere.foerste_fravaersdag') }} <= 365)
            as har_ny_sag_365
    from sager as sagen
    inner join sager as senere
        on
            sagen.person_id = senere.person_id
            and sagen.sygedagpengesag_id != senere.sygedagpengesag_id
            and sagen.afsluttet_dato < senere.foerste_fravaersdag
    group by sagen.sygedagpengesag_id
),

udfald as (
    select
        uge_0.sygedagpengesag_id,
        uge_0.person_id,
        uge_0.kommunekode,
        uge_0.foerste_fravaersdag,
        uge_0.has_dream,
        selvforsoergelse.uger_til_selvforsoergelse,
        case when maalinger.er_kendt_uge_13 then maalinger.er_selvforsoergende_uge_13_kendt end
            as er_selvforsoergende_uge_13,
        case when maalinger.er_kendt_uge_26 then maalinger.er_selvforsoergende_uge_26_kendt end
            as er_selvforsoergende_uge_26,
        case when maalinger.er_kendt_uge_52 then maalinger.er_selvforsoergende_uge_52_kendt end
            as er_selvforsoergende_uge_52,
        case when uge_0.has_dream then selvforsoergelse.sygedagpengesag_id is null end
            as is_selvforsoergelse_censureret,
        case
            when maalinger.er_kendt_uge_51 and uge_0.uge_0_dato >= uge_0.register_fra_uge_dato
                then ydelsesuger.ydelsesuger_0_51
        end as ydelsesuger_52,
        case when maalinger.er_kendt_uge_52 then maalinger.ydelsesgruppe_uge_52_kendt end
            as ydelsesgruppe_uge_52,
        case
            when uge_0.afsluttet_dato is not null then coalesce(gensygemeldinger.har_ny_sag_182, false)
        end as is_gensygemeldt_6_mdr,
        case
            when uge_0.afsluttet_dato is not null then coalesce(gensygemeldinger.har_ny_sag_365, false)
        end as is_gensygemeldt_12_mdr
    from uge_0
    left join maalinger
        on uge_0.sygedagpengesag_id = maalinger.sygedagpengesag_id
    left join ydelsesuger
        on uge_0.sygedagpengesag_id = ydelsesuger.sygedagpengesag_id
    left join selvforsoergelse
        on uge_0.sygedagpengesag_id = selvforsoergelse.sygedagpengesag_id
    left join gensygemeldinger
        on uge_0.sygedagpengesag_id = gensygemeldinger.sygedagpengesag_id
),

-- The contract's column order (§4.1).
final as (
    select
        sygedagpengesag_id,
        person_id,
        kommunekode,
        foerste_fravaersdag,
        has_dream,
        er_selvforsoergende_uge_13,
        er_selvforsoergende_uge_26,
        er_selvforsoergende_uge_52,
        uger_til_selvforsoergelse,
        is_selvforsoergelse_censureret,
        ydelsesuger_52,
        ydelsesgruppe_uge_52,
        is_gensygemeldt_6_mdr,
        is_gensygemeldt_12_mdr
    from udfald
)

select * from final
