{{ config(materialized='table') }}  -- read by the fact and its tests: computed once

with

fritagelser as (
    select * from {{ ref('stg_uddannelsespaalaeg__fritagelser') }}
),

seneste as (
    {{ latest_snapshot('fritagelser', 'uddannelsespaalaeg_id') }}
)

select * from seneste  -- noqa: AM04
