{#-
    Outcomes of each sickness-benefit case in DREAM (contract §4.1): the contract's columns
    of int_sygedagpengeudfald (which is built incrementally and defines them). A view: a
    copy of 1.2 M rows on every build would cost more than reading through it; publishing
    writes it as a table.
-#}

with

udfald as (
    select * from {{ ref('int_sygedagpengeudfald') }}
),

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
