with

source as (
    select * from {{ source('sagsgennemgang', 'sagsgennemgang') }}
),

renamed as (
    select
        sags_id,
        kommunekode,
        tema,
        vurdering,
        bemaerkning,
        load_id,
        source_file,
        file_sha256,
        extract_date,
        source_row_number,
        loaded_at,
        kommunekode::varchar || ':' || sags_id || ':' || tema as vurdering_id
    from source
)

select * from renamed
