with

source as (
    select * from {{ source('ankesager', 'ankesager') }}
),

renamed as (
    select
        anke_id,
        kommunekode,
        sags_id,
        lovomraade,
        modtaget_dato,
        afgoerelse_dato,
        afgoerelsestype,
        load_id,
        source_file,
        file_sha256,
        extract_date,
        source_row_number,
        loaded_at,
        kommunekode::varchar || ':' || anke_id as ankesag_id
    from source
)

select * from renamed
