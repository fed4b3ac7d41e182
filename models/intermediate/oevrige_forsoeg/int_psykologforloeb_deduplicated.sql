{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by the fact and its tests: computed once
-- incremental: a build after new extracts updates their municipalities from the new loads
-- (trialwh build; macros/latest_snapshot_delta.sql)

with

forloeb as (
    select * from {{ ref('stg_psykologforloeb__forloeb') }}
    {% if is_incremental() %}{{ nye_raekker(['psykologforloeb']) }}{% endif %}
),

seneste as (
    {{ seneste_raekker('forloeb', 'psykologforloeb_id', ['psykologforloeb']) }}
)

select * from seneste  -- noqa: AM04
