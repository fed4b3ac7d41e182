{#-
    One row per municipality (all of them) × theme (seed temaer) × quarter of the panel
    window (vars panel_start … panel_slut): is the municipality in the theme during the
    quarter? It is when one of its trial periods (forsoeg_deltagelse, startdato to slutdato,
    both inclusive; blank slutdato = still running) overlaps the quarter. The one place
    this rule is written: the panel's i_forsoeg_<tema> and mart_gruppe_kvartal read it.
-#}
with

kommuner as (
    select * from {{ ref('kommuner') }}
),

temaer as (
    select * from {{ ref('temaer') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

kvartaler as (
    select
        generate_series::date as kvartal,
        (generate_series + interval '3 month' - interval '1 day')::date as kvartal_slut
    from generate_series(
        date '{{ var("panel_start") }}', date '{{ var("panel_slut") }}', interval '3 month'
    )
),

gitter as (
    select
        kommuner.kommunekode,
        temaer.tema,
        kvartaler.kvartal,
        kvartaler.kvartal_slut
    from kommuner
    cross join temaer
    cross join kvartaler
),

final as (
    select
        gitter.kommunekode,
        gitter.tema,
        gitter.kvartal,
        exists(
            select 1
            from forsoeg
            where
                forsoeg.kommunekode = gitter.kommunekode
                and forsoeg.tema = gitter.tema
                and gitter.kvartal_slut >= forsoeg.startdato
                and (forsoeg.slutdato is null or gitter.kvartal <= forsoeg.slutdato)
        ) as is_i_forsoeg
    from gitter
)

select * from final
