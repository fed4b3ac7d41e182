with

kontrolgrupper as (
    select * from {{ ref('kontrolgrupper') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

kommuner_i_data as (
    select * from {{ ref('int_kommuner_i_data') }}
),

temaer as (
    select tema from {{ ref('temaer') }}
),

i_tema as (
    select distinct
        tema,
        kommunekode
    from forsoeg
),

navngivne as (
    select
        kontrolgrupper.kontrolgruppe,
        temaer.tema,
        kontrolgrupper.kommunekode
    from kontrolgrupper
    cross join temaer
    where not exists (
        select 1
        from i_tema
        where i_tema.tema = temaer.tema and i_tema.kommunekode = kontrolgrupper.kommunekode
    )
),

alle_oevrige as (
    select
        'alle_oevrige' as kontrolgruppe,
        temaer.tema,
        kommuner_i_data.kommunekode
    from kommuner_i_data
    cross join temaer
    where not exists (
        select 1
        from i_tema
        where i_tema.tema = temaer.tema and i_tema.kommunekode = kommuner_i_data.kommunekode
    )
),

final as (
    select * from navngivne
    union all
    select * from alle_oevrige
)

select * from final
