{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='sygedagpengesag_id',
) }}

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
    A case's outcomes depend only on the DREAM rows of its person and on the person's cases
    (their id, municipality, first day of absence and end: kept here as afsluttet_dato).
    Incremental (`trialwh build` after new extracts): without a new DREAM delivery only the
    persons whose cases changed since the last build (a case new, or one of those columns
    changed, compared with this table as the last build left it) are recomputed, all their
    cases; a new DREAM delivery (meta.nye_kilder) recomputes every case. fct_sygedagpengeudfald
    publishes the contract's columns.
-#}

with

alle_sager as (
    select * from {{ ref('int_sygedagpengesager_deduplicated') }}
),

{% if is_incremental() %}
-- What the outcomes depend on per case, now and as the last build left it.
    {%- set grundlag_kolonner = [
        'sygedagpengesag_id',
        'person_id',
        'kommunekode',
        'foerste_fravaersdag',
        'afsluttet_dato',
    ] %}
    grundlag as (
        select {{ grundlag_kolonner | join(', ') }}
        from alle_sager
    ),

    forrige_grundlag as (
        select {{ grundlag_kolonner | join(', ') }}
        from {{ this }}
    ),

    aendrede as (
        (
            select * from grundlag
            except
            select * from forrige_grundlag
        )
        union all
        (
            select * from forrige_grundlag
            except
            select * from grundlag
        )
    ),

    ny_dream as (
        select count(*) > 0 as er_ny
        from {{ source('meta', 'nye_kilder') }}
        where kilde = 'dream'
    ),

    sager as (
        select alle_sager.*
        from alle_sager
        where
            (select ny_dream.er_ny from ny_dream)
            or alle_sager.sygedagpengesag_id in (select aendrede.sygedagpengesag_id from aendrede)
            or alle_sager.person_id in (select aendrede.person_id from aendrede)
    ),
{% else %}
    sager as (
        select * from alle_sager
    ),
{% endif %}

-- Only the persons with a case computed here (every use of DREAM joins on person_id).
dream as (
    select * from {{ ref('int_dream_superseded') }}
    where person_id in (select sager.person_id from sager)
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
        sygedagpengesag_id,
        person_id,
        kommunekode,
        foerste_fravaersdag,
        afsluttet_dato,
        date_trunc('week', foerste_fravaersdag)::date as uge_0_dato
    from sager
),

maaleuger as (
    select
        uge_0.sygedagpengesag_id,
        uge_0.person_id,
        maal.uge,
        (uge_0.uge_0_dato + 7 * maal.uge)::date as uge_dato
    from uge_0
    cross join (values (0), (13), (26), (51), (52)) as maal (uge)
),

-- The status in each week measured (one lookup, the macro every DREAM outcome uses).
status_i_maaleuger as (
    {{ dream_ydelsesgruppe_i_uge('maaleuger', 'dream') }}
),

maalinger as (
    select
        sygedagpengesag_id,
        bool_or(has_dream) as has_dream,
        -- one row per case and week measured: bool_or and en_vaerdi take its value
        bool_or(not har_ydelse) filter (where uge = 13 and er_uge_kendt) as er_selvforsoergende_uge_13,
        bool_or(not har_ydelse) filter (where uge = 26 and er_uge_kendt) as er_selvforsoergende_uge_26,
        bool_or(not har_ydelse) filter (where uge = 52 and er_uge_kendt) as er_selvforsoergende_uge_52,
        {{ en_vaerdi('ydelsesgruppe') }} filter (where uge = 52) as ydelsesgruppe_uge_52,
        count(*) filter (where uge in (0, 51) and er_uge_kendt) = 2 as er_kendt_uge_0_51
    from status_i_maaleuger
    group by sygedagpengesag_id
),

ydelsesuger as (
    select
        uge_0.sygedagpengesag_id,
        sum(
            {{ heltalsdivision(dage_mellem(
                'greatest(ydelser.fra_uge_dato, uge_0.uge_0_dato)',
                'least(ydelser.til_uge_dato, (uge_0.uge_0_dato + 7 * 51)::date)'
            ), 7) }} + 1
        ) as ydelsesuger_0_51
    from uge_0
    inner join ydelser
        on
            uge_0.person_id = ydelser.person_id
            and uge_0.uge_0_dato <= ydelser.til_uge_dato
            and ydelser.fra_uge_dato <= uge_0.uge_0_dato + 7 * 51
    group by uge_0.sygedagpengesag_id
),

-- Each person's runs of weeks without a benefit code inside the register, computed once
-- per person (not per case): before the first forløb, between two forløb and after the
-- last one; a person without any forløb has one run over the whole register.
naboer as (
    select
        person_id,
        fra_uge_dato,
        til_uge_dato,
        lag(til_uge_dato) over (partition by person_id order by fra_uge_dato) as forrige_til_uge_dato
    from ydelser
),

blanke_loeb as (
    select
        naboer.person_id,
        coalesce((naboer.forrige_til_uge_dato + 7)::date, personer.register_fra_uge_dato) as start_dato,
        (naboer.fra_uge_dato - 7)::date as slut_dato
    from naboer
    inner join personer
        on naboer.person_id = personer.person_id
    union all
    select
        personer.person_id,
        coalesce((max(ydelser.til_uge_dato) + 7)::date, personer.register_fra_uge_dato) as start_dato,
        personer.register_til_uge_dato as slut_dato
    from personer
    left join ydelser
        on personer.person_id = ydelser.person_id
    group by personer.person_id, personer.register_fra_uge_dato, personer.register_til_uge_dato
),

-- The first week t >= 0 that starts 4 blank weeks: in a blank run that lasts at least 4
-- weeks from max(its start, week 0).
selvforsoergelse as (
    select
        uge_0.sygedagpengesag_id,
        min({{ heltalsdivision(dage_mellem(
            'uge_0.uge_0_dato', 'greatest(blanke_loeb.start_dato, uge_0.uge_0_dato)'
        ), 7) }}) as uger_til_selvforsoergelse
    from uge_0
    inner join blanke_loeb
        on
            uge_0.person_id = blanke_loeb.person_id
            and blanke_loeb.slut_dato >= greatest(blanke_loeb.start_dato, uge_0.uge_0_dato) + 21
    group by uge_0.sygedagpengesag_id
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
        uge_0.afsluttet_dato,
        maalinger.has_dream,
        selvforsoergelse.uger_til_selvforsoergelse,
        maalinger.er_selvforsoergende_uge_13,
        maalinger.er_selvforsoergende_uge_26,
        maalinger.er_selvforsoergende_uge_52,
        maalinger.ydelsesgruppe_uge_52,
        case when maalinger.has_dream then selvforsoergelse.sygedagpengesag_id is null end
            as is_selvforsoergelse_censureret,
        case when maalinger.er_kendt_uge_0_51 then coalesce(ydelsesuger.ydelsesuger_0_51, 0) end
            as ydelsesuger_52,
        case
            when uge_0.afsluttet_dato is not null then coalesce(gensygemeldinger.har_ny_sag_182, false)
        end as is_gensygemeldt_6_mdr,
        case
            when uge_0.afsluttet_dato is not null then coalesce(gensygemeldinger.har_ny_sag_365, false)
        end as is_gensygemeldt_12_mdr
    from uge_0
    inner join maalinger
        on uge_0.sygedagpengesag_id = maalinger.sygedagpengesag_id
    left join ydelsesuger
        on uge_0.sygedagpengesag_id = ydelsesuger.sygedagpengesag_id
    left join selvforsoergelse
        on uge_0.sygedagpengesag_id = selvforsoergelse.sygedagpengesag_id
    left join gensygemeldinger
        on uge_0.sygedagpengesag_id = gensygemeldinger.sygedagpengesag_id
),

-- The contract's column order (§4.1), then the case's end (for the incremental build).
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
        is_gensygemeldt_12_mdr,
        afsluttet_dato
    from udfald
)

select * from final
