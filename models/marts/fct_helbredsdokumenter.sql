with

dokumenter as (
    select * from {{ ref('int_helbredsdokumenter_priced') }}
),

sygedagpengesager as (
    select
        sygedagpengesag_id,
        is_lae285_fravalgt
    from {{ ref('int_sygedagpengesager_deduplicated') }}
),

rehabiliteringssager as (
    select
        rehabiliteringssag_id,
        is_lae265_fravalgt
    from {{ ref('int_rehabiliteringssager_deduplicated') }}
),

beriget as (
    select
        dokumenter.helbredsdokument_id,
        dokumenter.dokument_id,
        dokumenter.kommunekode,
        dokumenter.sagstype,
        dokumenter.sags_id,
        dokumenter.dokumenttype,
        dokumenter.udsteder,
        dokumenter.rekvireret_dato,
        dokumenter.modtaget_dato,
        dokumenter.har_tolk,
        dokumenter.honorar_kr,
        dokumenter.takst_kr,
        dokumenter.is_honorar_imputeret,
        dokumenter.udgift_kr,
        dokumenter.imputeret_udgift_kr,
        dokumenter.extract_date,
        dokumenter.seneste_extract_date,
        dokumenter.antal_udtraek,
        dokumenter.is_missing_from_latest_extract,
        dokumenter.source_file,
        dokumenter.source_row_number,
        case when dokumenter.sagstype = 'sygedagpenge' then sygedagpengesager.sygedagpengesag_id end
            as sygedagpengesag_id,
        case when dokumenter.sagstype = 'rehabilitering' then rehabiliteringssager.rehabiliteringssag_id end
            as rehabiliteringssag_id,
        coalesce(sygedagpengesager.sygedagpengesag_id, rehabiliteringssager.rehabiliteringssag_id) is not null
            as has_kendt_sag,
        case
            when dokumenter.sagstype = 'sygedagpenge' then sygedagpengesager.is_lae285_fravalgt
            when dokumenter.sagstype = 'rehabilitering' then rehabiliteringssager.is_lae265_fravalgt
        end as is_sagens_attest_fravalgt,
        date_trunc('month', dokumenter.rekvireret_dato)::date as rekvireret_maaned,
        date_trunc('quarter', dokumenter.rekvireret_dato)::date as rekvireret_kvartal,
        dokumenter.modtaget_dato is null as is_udestaaende,
        {{ dage_mellem('dokumenter.rekvireret_dato', 'dokumenter.modtaget_dato') }} as dage_til_modtaget
    from dokumenter
    left join sygedagpengesager
        on
            dokumenter.sagstype = 'sygedagpenge'
            and dokumenter.sag_id = sygedagpengesager.sygedagpengesag_id
    left join rehabiliteringssager
        on
            dokumenter.sagstype = 'rehabilitering'
            and dokumenter.sag_id = rehabiliteringssager.rehabiliteringssag_id
)

select * from beriget
