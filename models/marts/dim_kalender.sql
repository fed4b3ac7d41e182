{#-
    Days from 2010 to 2030: wide enough for every case date the extracts can hold. The
    panel's quarters (mart_panel_kommune_kvartal, mart_gruppe_kvartal) are taken from here.
-#}
with

dage as (
    select generate_series::date as dato
    from generate_series(date '2010-01-01', date '2030-12-31', interval '1 day')
),

final as (
    select
        dato,
        {{ dato_del('year', 'dato') }} as aar,
        {{ dato_del('quarter', 'dato') }} as kvartal_nr,
        {{ dato_del('month', 'dato') }} as maaned_nr,
        {{ dato_del('isodow', 'dato') }} as ugedag_nr,
        date_trunc('month', dato)::date as maaned,
        date_trunc('quarter', dato)::date as kvartal,
        {{ kvartaler_mellem("date '" ~ var("panel_start") ~ "'", "date_trunc('quarter', dato)") }} + 1 as periode_index,
        dato < date '{{ var("forsoeg_start") }}' as is_foer_forsoeg,
        {{ dato_del('year', 'dato') }}::varchar || 'K' || {{ dato_del('quarter', 'dato') }}::varchar as kvartal_label,
        date_trunc('quarter', dato)::date between date '{{ var("panel_start") }}' and date '{{ var("panel_slut") }}'
            as is_i_panel
    from dage
)

select * from final
