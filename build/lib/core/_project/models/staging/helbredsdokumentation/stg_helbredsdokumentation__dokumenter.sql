with

source as (
    select * from {{ source('helbredsdokumentation', 'helbredsdokumentation') }}
),

renamed as (
    select
        dokument_id,
        sags_id,
        sagstype,
        kommunekode,
        dokumenttype,
        udsteder,
        rekvireret_dato,
        modtaget_dato,
        honorar_kr,
        load_id,
        source_file,
        file_sha256,
        extract_date,
        source_row_number,
        loaded_at,
        kommunekode::varchar || ':' || dokument_id as helbredsdokument_id,
        kommunekode::varchar || ':' || sags_id as sag_id,
        coalesce(tolk, false) as har_tolk
    from source
)

select * from renamed
