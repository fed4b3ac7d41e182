{#-
    The panel's DREAM outcomes (contract §4.1): the LÆ285-eligible cases (is_omfattet_lae285,
    as the panel's other LÆ285 indicators) by municipality and the quarter of
    foerste_fravaersdag. A share counts only the cases whose outcome is known (not NULL).
-#}

with

udfald as (
    select * from {{ ref('fct_sygedagpengeudfald') }}
),

sager as (
    select * from {{ ref('fct_sygedagpengesager') }}
),

omfattede as (
    select
        udfald.*,
        date_trunc('quarter', udfald.foerste_fravaersdag)::date as kvartal
    from udfald
    inner join sager
        on udfald.sygedagpengesag_id = sager.sygedagpengesag_id
    where sager.is_omfattet_lae285
),

pr_kvartal as (
    select
        kommunekode,
        kvartal,
        avg(er_selvforsoergende_uge_26::integer) as andel_selvforsoergende_uge_26,
        avg(er_selvforsoergende_uge_52::integer) as andel_selvforsoergende_uge_52,
        avg(is_gensygemeldt_6_mdr::integer) as andel_gensygemeldt_6_mdr,
        avg(ydelsesuger_52) as gns_ydelsesuger_52
    from omfattede
    group by kommunekode, kvartal
)

select * from pr_kvartal
