with

sager as (
    select * from {{ ref('stg_sygedagpengesager__sager') }}
),

seneste as (
    {{ latest_snapshot('sager', 'sygedagpengesag_id') }}
)

select * from seneste  -- noqa: AM04
