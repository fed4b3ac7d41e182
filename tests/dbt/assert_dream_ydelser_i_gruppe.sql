-- Code ranges of seed dream_ydelser that do not lie inside one range of
-- dream_ydelsesgrupper with the same ydelsesgruppe (a benefit must refine its group).
with

ydelser as (
    select * from {{ ref('dream_ydelser') }}
),

grupper as (
    select * from {{ ref('dream_ydelsesgrupper') }}
)

select
    ydelser.kode_fra,
    ydelser.kode_til,
    ydelser.ydelse,
    ydelser.ydelsesgruppe
from ydelser
where not exists (
    select 1
    from grupper
    where
        grupper.ydelsesgruppe = ydelser.ydelsesgruppe
        and ydelser.kode_fra >= grupper.kode_fra
        and ydelser.kode_til <= grupper.kode_til
        and ydelser.kode_fra <= ydelser.kode_til
)
