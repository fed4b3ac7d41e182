with

ankesager as (
    select * from {{ ref('int_ankesager_deduplicated') }}
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
        is_fritaget_rehabmoede,
        is_lae265_fravalgt
    from {{ ref('int_rehabiliteringssager_deduplicated') }}
),

beriget as (
    select
        ankesager.ankesag_id,
        ankesager.anke_id,
        ankesager.kommunekode,
        ankesager.sags_id,
        sygedagpengesager.sygedagpengesag_id,
        rehabiliteringssager.rehabiliteringssag_id,
        ankesager.lovomraade,
        ankesager.modtaget_dato,
        ankesager.afgoerelse_dato,
        ankesager.afgoerelsestype,
        sygedagpengesager.is_lae285_fravalgt as is_sag_lae285_fravalgt,
        rehabiliteringssager.is_fritaget_rehabmoede as is_sag_fritaget_rehabmoede,
        rehabiliteringssager.is_lae265_fravalgt as is_sag_lae265_fravalgt,
        ankesager.extract_date,
        ankesager.seneste_extract_date,
        ankesager.antal_udtraek,
        ankesager.is_missing_from_latest_extract,
        ankesager.source_file,
        ankesager.source_row_number,
        date_trunc('quarter', ankesager.afgoerelse_dato)::date as afgoerelse_kvartal,
        {{ dage_mellem('ankesager.modtaget_dato', 'ankesager.afgoerelse_dato') }} as dage_til_afgoerelse,
        ankesager.afgoerelsestype in ('stadfaestet', 'aendret', 'ophaevet', 'hjemvist') as is_realitetsbehandlet,
        ankesager.afgoerelsestype in ('aendret', 'ophaevet', 'hjemvist') as is_omgjort
    from ankesager
    left join sygedagpengesager
        on
            ankesager.lovomraade = 'sygedagpenge'
            and ankesager.kommunekode::varchar || ':' || ankesager.sags_id = sygedagpengesager.sygedagpengesag_id
    left join rehabiliteringssager
        on
            ankesager.lovomraade != 'sygedagpenge'
            and ankesager.kommunekode::varchar || ':' || ankesager.sags_id = rehabiliteringssager.rehabiliteringssag_id
)

select * from beriget
