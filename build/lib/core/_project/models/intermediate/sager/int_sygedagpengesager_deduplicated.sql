{{ config(materialized='table') }}  -- read by several models and tests: computed once

with

sager as (
    select * from {{ ref('stg_sygedagpengesager__sager') }}
),

seneste as (
    {{ latest_snapshot('sager', 'sygedagpengesag_id') }}
)

select * from seneste  -- noqa: AM04
