with

source as (
    select * from {{ source('survey', 'survey') }}
),

renamed as (
    select
        svar_id,
        respondenttype,
        person_id,
        kommunekode,
        tema,
        boelge,
        spoergsmaal,
        svar,
        stratum,
        vaegt::double precision as vaegt,
        load_id,
        source_file,
        file_sha256,
        extract_date,
        source_row_number,
        loaded_at,
        kommunekode::varchar || ':' || svar_id as survey_svar_id
    from source
)

select * from renamed
