{#-
    Days from 2010 to 2030: wide enough for every case date the extracts can hold. The
    panel's quarters (mart_panel_kommune_kvartal, mart_gruppe_kvartal) are taken from here.
-#}
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
        date_diff('quarter', date '{{ var("panel_start") }}', date_trunc('quarter', dato)) + 1 as periode_index,
        dato < date '{{ var("forsoeg_start") }}' as is_foer_forsoeg,
        year(dato)::varchar || 'K' || quarter(dato)::varchar as kvartal_label,
        date_trunc('quarter', dato)::date between date '{{ var("panel_start") }}' and date '{{ var("panel_slut") }}'
            as is_i_panel
    from dage
)

select * from final
