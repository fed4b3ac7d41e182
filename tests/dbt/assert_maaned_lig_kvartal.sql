-- Municipality-quarters where the months of mart_kommune_maaned do not add up to the
-- panel's quarter (the same cases, counted by the same case date).
with

maaned as (
    select * from {{ ref('mart_kommune_maaned') }}
),

panel as (
    select * from {{ ref('mart_panel_kommune_kvartal') }}
),

summeret as (
    select
        kommunekode,
        kvartal,
        sum(sygedagpengesager_omfattet) as sygedagpengesager_omfattet,
        sum(lae285_fravalgt) as lae285_fravalgt,
        sum(rehab_sager) as rehab_sager,
        sum(rehab_fritaget) as rehab_fritaget
    from maaned
    group by kommunekode, kvartal
)

select
    panel.kommunekode,
    panel.kvartal
from panel
full outer join summeret
    on
        panel.kommunekode = summeret.kommunekode
        and panel.kvartal = summeret.kvartal
where
    panel.kommunekode is null
    or summeret.kommunekode is null
    or panel.sygedagpengesager_omfattet is distinct from summeret.sygedagpengesager_omfattet
    or panel.lae285_fravalgt is distinct from summeret.lae285_fravalgt
    or panel.rehab_sager is distinct from summeret.rehab_sager
    or panel.rehab_fritaget is distinct from summeret.rehab_fritaget
