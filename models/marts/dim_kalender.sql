{#- Days from 2010 to 2030: wide enough for every case date the extracts can hold. -#}
with

dage as (
    select generate_series::date as dato
    from generate_series(date '2010-01-01', date '2030-12-31', interval 1 day)
),

final as (
    select
        dato,
        year(dato) as aar,
        quarter(dato) as kvartal_nr,
        month(dato) as maaned_nr,
        isodow(dato) as ugedag_nr,
        date_trunc('month', dato)::date as maaned,
        date_trunc('quarter', dato)::date as kvartal,
        (year(dato) - 2015) * 4 + quarter(dato) as periode_index,
        dato < date '2018-01-01' as is_foer_forsoeg,
        year(dato)::varchar || 'K' || quarter(dato)::varchar as kvartal_label
    from dage
)

select * from final
