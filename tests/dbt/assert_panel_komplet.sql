-- Municipalities in the panel without exactly one row per quarter 2015Q1..2022Q4.
with

panel as (
    select * from {{ ref('mart_panel_kommune_kvartal') }}
)

select
    kommunekode,
    count(*) as n_kvartaler,
    min(periode_index) as foerste_index,
    max(periode_index) as sidste_index
from panel
group by kommunekode
having count(*) != 32 or min(periode_index) != 1 or max(periode_index) != 32
