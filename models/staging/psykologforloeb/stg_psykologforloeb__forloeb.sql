with

source as (
    select * from {{ source('psykologforloeb', 'psykologforloeb') }}
),

renamed as (
    select
        forloeb_id,
        person_id,
        kommunekode,
        sags_id,
        henvist_dato,
        diagnose,
        antal_sessioner,
        udgift_kr,
        afsluttet_dato,
        screening_instrument,
        score_foer,
        score_efter,
        load_id,
        source_file,
        file_sha256,
        extract_date,
        source_row_number,
        loaded_at,
        kommunekode::varchar || ':' || forloeb_id as psykologforloeb_id,
        kommunekode::varchar || ':' || sags_id as sygedagpengesag_id
    from source
)

select * from renamed
