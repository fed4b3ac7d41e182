{{ config(materialized='table') }}  -- read by the outcome models: computed once

{#
    A later DREAM update supersedes an earlier one per person: each person's forløb come
    from the newest update that holds the person (ties on the date: the latest load).
    Each forløb gets its benefit group from the seed dream_ydelsesgrupper.
#}

with

forloeb as (
    select * from {{ ref('stg_dream__forloeb') }}
),

ydelsesgrupper as (
    select * from {{ ref('dream_ydelsesgrupper') }}
),

rangeret as (
    select
        *,
        dense_rank() over (
            partition by person_id
            order by extract_date desc, loaded_at desc, load_id desc
        ) as opdatering_nr
    from forloeb
),

seneste as (
    select *
    from rangeret
    where opdatering_nr = 1
),

grupperet as (
    select
        seneste.person_id,
        seneste.bopaelskommune,
        seneste.fra_uge_dato,
        seneste.til_uge_dato,
        seneste.kode,
        ydelsesgrupper.ydelsesgruppe,
        seneste.register_fra_uge_dato,
        seneste.register_til_uge_dato,
        seneste.extract_date
    from seneste
    left join ydelsesgrupper
        on seneste.kode between ydelsesgrupper.kode_fra and ydelsesgrupper.kode_til
)

select * from grupperet
