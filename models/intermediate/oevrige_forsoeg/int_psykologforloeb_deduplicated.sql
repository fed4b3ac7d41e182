{{ config(materialized='table') }}  -- read by the fact and its tests: computed once

with

forloeb as (
    select * from {{ ref('stg_psykologforloeb__forloeb') }}
),

seneste as (
    {{ latest_snapshot('forloeb', 'psykologforloeb_id') }}
)

select * from seneste  -- noqa: AM04
