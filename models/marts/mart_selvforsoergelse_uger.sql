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
        date_trunc('quarter', udfald.foerste_fravaersdag)::date as kvartal,
        date_trunc('week', udfald.foerste_fravaersdag)::date as uge_0_dato,
        {{ heltalsdivision(dage_mellem(
            "date_trunc('week', udfald.foerste_fravaersdag)::date", 'register.register_fra_uge_dato'
        ), 7) }} as foerste_kendte_uge,
        {{ heltalsdivision(dage_mellem(
            "date_trunc('week', udfald.foerste_fravaersdag)::date", 'register.register_til_uge_dato'
        ), 7) }} as sidste_kendte_uge
    from udfald
    inner join sager
        on udfald.sygedagpengesag_id = sager.sygedagpengesag_id
    inner join register
        on udfald.person_id = register.person_id
    where sager.is_omfattet_lae285 and udfald.has_dream
),

-- Weeks 0–52 of every case, with no join: whether the week is inside DREAM, the case is
-- at risk or has its event are comparisons with the case's own numbers.
uger as (
    select
        omfattede.kommunekode,
        omfattede.kvartal,
        uge_nr.uge::integer as uge,
        uge_nr.uge between omfattede.foerste_kendte_uge and omfattede.sidste_kendte_uge as er_kendt,
        coalesce(omfattede.uger_til_selvforsoergelse = uge_nr.uge, false) as er_haendelse,
        coalesce(omfattede.uger_til_selvforsoergelse >= uge_nr.uge, false)
        or (omfattede.is_selvforsoergelse_censureret and omfattede.sidste_kendte_uge - 3 >= uge_nr.uge)
            as er_i_risiko
    from omfattede
    cross join generate_series(0, 52) as uge_nr (uge)
),

pr_uge_alle as (
    select
        kommunekode,
        kvartal,
        uge,
        count(*) filter (where er_kendt) as n_observeret,
        count(*) filter (where er_i_risiko) as n_i_risiko,
        count(*) filter (where er_haendelse) as n_selvforsoerget
    from uger
    group by kommunekode, kvartal, uge
),

-- The weeks 0–52 a benefit forløb covers (always inside DREAM), one row per case and
-- week: a person's forløb never overlap (tested on int_dream_superseded).
daekkede_uger as (
    select
        omfattede.kommunekode,
        omfattede.kvartal,
        {{ heltal_raekke(
            'greatest(0, ' ~ heltalsdivision(dage_mellem('omfattede.uge_0_dato', 'ydelser.fra_uge_dato'), 7) ~ ')',
            'least(52, ' ~ heltalsdivision(dage_mellem('omfattede.uge_0_dato', 'ydelser.til_uge_dato'), 7) ~ ')'
        ) }} as uge
    from omfattede
    inner join ydelser
        on
            omfattede.person_id = ydelser.person_id
            and omfattede.uge_0_dato <= ydelser.til_uge_dato
            and ydelser.fra_uge_dato <= omfattede.uge_0_dato + 7 * 52
),

daekket_pr_uge as (
    select
        kommunekode,
        kvartal,
        uge::integer as uge,
        count(*) as n_daekket
    from daekkede_uger
    group by kommunekode, kvartal, uge
),

pr_uge as (
    select
        pr_uge_alle.kommunekode,
        pr_uge_alle.kvartal,
        pr_uge_alle.uge,
        pr_uge_alle.n_observeret,
        pr_uge_alle.n_i_risiko,
        pr_uge_alle.n_selvforsoerget,
        pr_uge_alle.n_observeret - coalesce(daekket_pr_uge.n_daekket, 0) as n_selvforsoergende
    from pr_uge_alle
    left join daekket_pr_uge
        on
            pr_uge_alle.kommunekode = daekket_pr_uge.kommunekode
            and pr_uge_alle.kvartal = daekket_pr_uge.kvartal
            and pr_uge_alle.uge = daekket_pr_uge.uge
),

final as (
    select
        kommunekode,
        kvartal,
        uge,
        n_observeret,
        n_selvforsoergende,
        n_i_risiko,
        n_selvforsoerget
    from pr_uge
)

select * from final
