{#-
    The law areas each trial theme concerns, one row per theme × law area, from the seed
    temaer (column lovomraader, "|"-separated). Themes without law areas have no rows.
-#}

with

temaer as (
    select * from {{ ref('temaer') }}
),

tema_lovomraader as (
    select distinct
        tema,
        trim(unnest(string_to_array(lovomraader, '|'))) as lovomraade
    from temaer
    where coalesce(trim(lovomraader), '') <> ''
)

select * from tema_lovomraader
