{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by several models and tests: computed once
-- incremental: a build after new extracts recomputes only their municipalities (trialwh build)

with

sager as (
    select * from {{ ref('stg_sygedagpengesager__sager') }}
    {% if is_incremental() %}{{ kun_nye_leverancer(['sygedagpengesager']) }}{% endif %}
),

seneste as (
    {{ latest_snapshot('sager', 'sygedagpengesag_id') }}
)

select * from seneste  -- noqa: AM04
