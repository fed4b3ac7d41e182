-- Municipalities in the panel without exactly one row per quarter of the panel window
-- (vars panel_start … panel_slut, 2015Q1..2022Q4 = 32 quarters).
with

panel as (
    select * from {{ ref('mart_panel_kommune_kvartal') }}
),

vindue as (
    select
        {{ kvartaler_mellem("date '" ~ var("panel_start") ~ "'", "date '" ~ var("panel_slut") ~ "'") }} + 1
            as n_kvartaler
)

select
    panel.kommunekode,
    count(*) as n_kvartaler,
    min(panel.periode_index) as foerste_index,
    max(panel.periode_index) as sidste_index
from panel
cross join vindue
group by panel.kommunekode, vindue.n_kvartaler
having
    count(*) != vindue.n_kvartaler
    or min(panel.periode_index) != 1
    or max(panel.periode_index) != vindue.n_kvartaler
