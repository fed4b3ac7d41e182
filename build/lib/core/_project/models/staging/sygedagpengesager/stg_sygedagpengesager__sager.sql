with

source as (
    select * from {{ source('sygedagpengesager', 'sygedagpengesager') }}
),

renamed as (
    select
        sags_id,
        person_id,
        kommunekode,
        foerste_fravaersdag,
        anmeldt_dato,
        visitationskategori,
        forventet_over_8_uger,
        har_arbejdsgiver,
        diagnosegruppe,
        fravalg_begrundelse,
        foerste_opfoelgning_dato,
        afsluttet_dato,
        afslutningsaarsag,
        load_id,
        source_file,
        file_sha256,
        extract_date,
        source_row_number,
        loaded_at,
        kommunekode::varchar || ':' || sags_id as sygedagpengesag_id,
        coalesce(tolk, false) as har_tolk,
        coalesce(lae285_fravalgt, false) as is_lae285_fravalgt
    from source
)

select * from renamed
