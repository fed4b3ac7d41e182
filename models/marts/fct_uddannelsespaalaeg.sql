{#-
    One row per young person exempted from the education order (theme
    uddannelsespaalaeg_fritagelse, contract §1.8), latest extract wins.
-#}

with

fritagelser as (
    select * from {{ ref('int_uddannelsespaalaeg_deduplicated') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

final as (
    select
        uddannelsespaalaeg_id,
        sags_id,
        person_id,
        kommunekode,
        fritaget_dato,
        date_trunc('quarter', fritaget_dato)::date as fritaget_kvartal,
        begrundelse,
        ophoert_dato,
        ophoer_aarsag,
        ophoert_dato is not null as is_ophoert,
        coalesce(ophoer_aarsag = 'paabegyndt_uddannelse', false) as is_paabegyndt_uddannelse,
        {{ dage_mellem('fritaget_dato', 'ophoert_dato') }} as fritaget_dage,
        {{ er_i_forsoeg('forsoeg', tema_for_kilde('uddannelsespaalaeg'), 'kommunekode', 'fritaget_dato') }}
            as is_i_forsoeg_paa_sagsdato_{{ tema_for_kilde('uddannelsespaalaeg') }},
        extract_date,
        seneste_extract_date,
        antal_udtraek,
        is_missing_from_latest_extract,
        source_file,
        source_row_number
    from fritagelser
)

select * from final
