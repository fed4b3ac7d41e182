with

source as (
    select * from {{ source('uddannelsespaalaeg', 'uddannelsespaalaeg') }}
),

renamed as (
    select
        sags_id,
        person_id,
        kommunekode,
        fritaget_dato,
        begrundelse,
        ophoert_dato,
        ophoer_aarsag,
        load_id,
        source_file,
        file_sha256,
        extract_date,
        source_row_number,
        loaded_at,
        kommunekode::varchar || ':' || sags_id as uddannelsespaalaeg_id
    from source
)

select * from renamed
