{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by the fact and its tests: computed once
-- incremental: a build after new extracts recomputes only their municipalities (trialwh build)

with

fritagelser as (
    select * from {{ ref('stg_uddannelsespaalaeg__fritagelser') }}
    {% if is_incremental() %}{{ kun_nye_leverancer(['uddannelsespaalaeg']) }}{% endif %}
),

seneste as (
    {{ latest_snapshot('fritagelser', 'uddannelsespaalaeg_id') }}
)

select * from seneste  -- noqa: AM04
