{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by several models and tests: computed once
-- incremental: a build after new extracts updates their municipalities from the new loads
-- (trialwh build; macros/latest_snapshot_delta.sql)

with

ankesager as (
    select * from {{ ref('stg_ankesager__ankesager') }}
    {% if is_incremental() %}{{ nye_raekker(['ankesager']) }}{% endif %}
),

seneste as (
    {{ seneste_raekker('ankesager', 'ankesag_id', ['ankesager']) }}
)

select * from seneste  -- noqa: AM04
