{#- Every municipality that occurs in at least one extract source (after supersession). -#}
with

sygedagpengesager as (
    select * from {{ ref('int_sygedagpengesager_deduplicated') }}
),

rehabiliteringssager as (
    select * from {{ ref('int_rehabiliteringssager_deduplicated') }}
),

dokumenter as (
    select * from {{ ref('int_helbredsdokumenter_priced') }}
),

ankesager as (
    select * from {{ ref('int_ankesager_deduplicated') }}
),

ankestatistik as (
    select * from {{ ref('int_ankestatistik_superseded') }}
),

alle as (
    select
        kommunekode,
        'sygedagpengesager' as kilde
    from sygedagpengesager
    union
    select
        kommunekode,
        'rehabiliteringssager' as kilde
    from rehabiliteringssager
    union
    select
        kommunekode,
        'helbredsdokumentation' as kilde
    from dokumenter
    union
    select
        kommunekode,
        'ankesager' as kilde
    from ankesager
    union
    select
        kommunekode,
        'ankestatistik' as kilde
    from ankestatistik
),

final as (
    select
        kommunekode,
        bool_or(kilde = 'sygedagpengesager') as has_sygedagpengesager,
        bool_or(kilde = 'rehabiliteringssager') as has_rehabiliteringssager,
        bool_or(kilde = 'helbredsdokumentation') as has_helbredsdokumentation,
        bool_or(kilde = 'ankesager') as has_ankesager,
        bool_or(kilde = 'ankestatistik') as has_ankestatistik
    from alle
    group by kommunekode
)

select * from final
