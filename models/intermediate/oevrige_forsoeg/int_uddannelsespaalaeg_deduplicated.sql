{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by the fact and its tests: computed once
-- incremental: a build after new extracts updates their municipalities from the new loads
-- (trialwh build; macros/latest_snapshot_delta.sql)

with

fritagelser as (
    select * from {{ ref('stg_uddannelsespaalaeg__fritagelser') }}
    {% if is_incremental() %}{{ nye_raekker(['uddannelsespaalaeg']) }}{% endif %}
),

seneste as (
    {{ seneste_raekker('fritagelser', 'uddannelsespaalaeg_id', ['uddannelsespaalaeg']) }}
)

select * from seneste  -- noqa: AM04
