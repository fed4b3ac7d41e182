with

source as (
    select * from {{ source('rehabiliteringssager', 'rehabiliteringssager') }}
),

renamed as (
    select
        sags_id,
        person_id,
        kommunekode,
        maalgruppe,
        startdato,
        fritagelse_begrundelse,
        sundhedsfaglig_raadgiver,
        moede_dato,
        indstilling_dato,
        afgoerelse_dato,
        afgoerelse,
        fleksjob_timer,
        load_id,
        source_file,
        file_sha256,
        extract_date,
        source_row_number,
        loaded_at,
        kommunekode::varchar || ':' || sags_id as rehabiliteringssag_id,
        coalesce(fritaget_rehabmoede, false) as is_fritaget_rehabmoede,
        coalesce(lae265_fravalgt, false) as is_lae265_fravalgt,
        coalesce(moede_akut_fravaer, false) as is_moede_akut_fravaer
    from source
)

select * from renamed
