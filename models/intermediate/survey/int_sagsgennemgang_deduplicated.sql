with

vurderinger as (
    select * from {{ ref('stg_sagsgennemgang__vurderinger') }}
),

seneste as (
    {{ latest_snapshot('vurderinger', 'vurdering_id') }}
)

select * from seneste  -- noqa: AM04
