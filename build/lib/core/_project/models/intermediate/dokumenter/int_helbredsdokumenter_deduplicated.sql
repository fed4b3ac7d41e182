with

dokumenter as (
    select * from {{ ref('stg_helbredsdokumentation__dokumenter') }}
),

seneste as (
    {{ latest_snapshot('dokumenter', 'helbredsdokument_id') }}
)

select * from seneste  -- noqa: AM04
