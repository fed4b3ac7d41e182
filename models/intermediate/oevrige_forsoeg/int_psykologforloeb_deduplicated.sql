{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by the fact and its tests: computed once
-- incremental: a build after new extracts recomputes only their municipalities (trialwh build)

with

forloeb as (
    select * from {{ ref('stg_psykologforloeb__forloeb') }}
    {% if is_incremental() %}{{ kun_nye_leverancer(['psykologforloeb']) }}{% endif %}
),

seneste as (
    {{ latest_snapshot('forloeb', 'psykologforloeb_id') }}
)

select * from seneste  -- noqa: AM04
