with

source as (
    select * from {{ source('ankestatistik', 'ankestatistik') }}
),

renamed as (
    select
        aar,
        kvartal as kvartal_nr,
        kommune as kommune_navn_i_kilden,
        kommunekode,
        lovomraade,
        afgoerelsestype,
        antal,
        load_id,
        source_file,
        file_sha256,
        extract_date,
        source_row_number,
        loaded_at,
        make_date(aar, 3 * kvartal - 2, 1) as kvartal
    from source
)

select * from renamed
