{#-
    Self-support by weeks since the first absence, for the LÆ285-eligible cases; grain
    kommunekode × kvartal (of foerste_fravaersdag) × uge (0–52). Counts, so that any group
    of municipalities and quarters (trial vs control, before vs during) is summed exactly:
    - n_observeret / n_selvforsoergende: cases whose week is inside DREAM, and of those
      without a benefit code that week (the share self-supporting in week `uge`);
    - n_i_risiko / n_selvforsoerget: the Kaplan–Meier risk set and events for weeks to
      sustained self-support (fct_sygedagpengeudfald.uger_til_selvforsoergelse); a censored
      case leaves the risk set after the last week a 4-week blank run could start in DREAM.
      The survival curve of a group is the product over weeks of 1 − Σevents / Σat risk.
-#}

with

udfald as (
    select * from {{ ref('fct_sygedagpengeudfald') }}
),

sager as (
    select * from {{ ref('fct_sygedagpengesager') }}
),

dream as (
    select * from {{ ref('int_dream_superseded') }}
),

ydelser as (
    select * from dream
    where kode is not null
),

register as (
    select
        person_id,
        min(register_fra_uge_dato) as register_fra_uge_dato,
        max(register_til_uge_dato) as register_til_uge_dato
    from dream
    group by person_id
),

omfattede as (
    select
        udfald.sygedagpengesag_id,
        udfald.person_id,
        udfald.kommunekode,
        udfald.uger_til_selvforsoergelse,
        udfald.is_selvforsoergelse_censureret,
        register.register_fra_uge_dato,
        register.register_til_uge_dato,
        date_trunc('quarter', udfald.foerste_fravaersdag)::date as kvartal,
        date_trunc('week', udfald.foerste_fravaersdag)::date as uge_0_dato,
        {{ heltalsdivision(dage_mellem(
            "date_trunc('week', udfald.foerste_fravaersdag)::date", 'register.register_til_uge_dato'
        ), 7) }} - 3 as sidste_mulige_startuge
    from udfald
    inner join sager
        on udfald.sygedagpengesag_id = sager.sygedagpengesag_id
    inner join register
        on udfald.person_id = register.person_id
    where sager.is_omfattet_lae285 and udfald.has_dream
),

uger as (
    select
        omfattede.*,
        uge_nr.uge::integer as uge,
        (omfattede.uge_0_dato + 7 * uge_nr.uge::integer)::date as uge_dato
    from omfattede
    cross join generate_series(0, 52) as uge_nr (uge)
),

daekket as (
    select
        uger.sygedagpengesag_id,
        uger.uge,
        count(*) as antal_forloeb
    from uger
    inner join ydelser
        on
            uger.person_id = ydelser.person_id
            and uger.uge_dato between ydelser.fra_uge_dato and ydelser.til_uge_dato
    group by uger.sygedagpengesag_id, uger.uge
),

status as (
    select
        uger.kommunekode,
        uger.kvartal,
        uger.uge,
        uger.uge_dato between uger.register_fra_uge_dato and uger.register_til_uge_dato as er_kendt,
        daekket.sygedagpengesag_id is null as er_blank,
        coalesce(uger.uger_til_selvforsoergelse = uger.uge, false) as er_haendelse,
        coalesce(uger.uger_til_selvforsoergelse >= uger.uge, false)
        or (uger.is_selvforsoergelse_censureret and uger.sidste_mulige_startuge >= uger.uge) as er_i_risiko
    from uger
    left join daekket
        on uger.sygedagpengesag_id = daekket.sygedagpengesag_id and uger.uge = daekket.uge
),

pr_uge as (
    select
        kommunekode,
        kvartal,
        uge,
        count(*) filter (where er_kendt) as n_observeret,
        count(*) filter (where er_kendt and er_blank) as n_selvforsoergende,
        count(*) filter (where er_i_risiko) as n_i_risiko,
        count(*) filter (where er_haendelse) as n_selvforsoerget
    from status
    group by kommunekode, kvartal, uge
)

select * from pr_uge
