-- Rows of mart_omgoerelser whose counts or percentages do not add up.
with

omgoerelser as (
    select * from {{ ref('mart_omgoerelser') }}
)

select
    kommunekode,
    kvartal,
    lovomraade,
    kilde
from omgoerelser
where
    realitetsbehandlede != stadfaestet + aendret_ophaevet + hjemvist
    or omgoerelsesprocent < 0
    or omgoerelsesprocent > 100
    or ci_lav > omgoerelsesprocent + 1e-9
    or ci_hoej < omgoerelsesprocent - 1e-9
    or (realitetsbehandlede = 0 and omgoerelsesprocent is not null)
