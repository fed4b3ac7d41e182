{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by several models and tests: computed once
-- incremental: a build after new extracts updates their municipalities from the new loads
-- (trialwh build; macros/latest_snapshot_delta.sql)

with

sager as (
    select * from {{ ref('stg_sygedagpengesager__sager') }}
    {% if is_incremental() %}{{ nye_raekker(['sygedagpengesager']) }}{% endif %}
),

seneste as (
    {{ seneste_raekker('sager', 'sygedagpengesag_id', ['sygedagpengesager']) }}
)

select * from seneste  -- noqa: AM04
