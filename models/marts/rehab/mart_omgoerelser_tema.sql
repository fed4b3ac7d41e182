{#-
    Ankestyrelsen's omgørelsesprocent per trial theme, on the law areas the theme concerns
    (seed temaer, column lovomraader, "|"-separated), from the published statistics only
    (the newest publication of a quarter). One row per municipality and quarter present in
    the statistics × theme with law areas; a quarter with appeals only in other law areas has
    0 realitetsbehandlede and an empty percentage. Beside it the national rate on the same
    law areas in the same quarter (every municipality in the statistics).
-#}

with

ankestatistik as (
    select * from {{ ref('int_ankestatistik_superseded') }}
    where is_seneste_offentliggoerelse
),

tema_lovomraader as (
    select * from {{ ref('int_tema_lovomraader') }}
),

temaer_med_lovomraader as (
    select distinct tema
    from tema_lovomraader
),

kommune_kvartaler as (
    select distinct
        kommunekode,
        kvartal
    from ankestatistik
),

gitter as (
    select
        kommune_kvartaler.kommunekode,
        kommune_kvartaler.kvartal,
        temaer_med_lovomraader.tema
    from kommune_kvartaler
    cross join temaer_med_lovomraader
),

pr_tema as (
    select
        ankestatistik.kommunekode,
        ankestatistik.kvartal,
        tema_lovomraader.tema,
        sum(ankestatistik.antal) filter (where ankestatistik.afgoerelsestype = 'stadfaestet') as stadfaestet,
        sum(ankestatistik.antal) filter (where ankestatistik.afgoerelsestype in ('aendret', 'ophaevet'))
            as aendret_ophaevet,
        sum(ankestatistik.antal) filter (where ankestatistik.afgoerelsestype = 'hjemvist') as hjemvist,
        sum(ankestatistik.antal) filter (where ankestatistik.afgoerelsestype in ('afvist', 'bortfaldet'))
            as afvist_bortfaldet
    from ankestatistik
    inner join tema_lovomraader
        on ankestatistik.lovomraade = tema_lovomraader.lovomraade
    group by ankestatistik.kommunekode, ankestatistik.kvartal, tema_lovomraader.tema
),

optalt as (
    select
        gitter.kommunekode,
        gitter.kvartal,
        gitter.tema,
        coalesce(pr_tema.stadfaestet, 0)::bigint as stadfaestet,
        coalesce(pr_tema.aendret_ophaevet, 0)::bigint as aendret_ophaevet,
        coalesce(pr_tema.hjemvist, 0)::bigint as hjemvist,
        coalesce(pr_tema.afvist_bortfaldet, 0)::bigint as afvist_bortfaldet
    from gitter
    left join pr_tema
        on
            gitter.kommunekode = pr_tema.kommunekode
            and gitter.kvartal = pr_tema.kvartal
            and gitter.tema = pr_tema.tema
),

med_totaler as (
    select
        *,
        stadfaestet + aendret_ophaevet + hjemvist as realitetsbehandlede,
        aendret_ophaevet + hjemvist as omgjorte
    from optalt
),

landet as (
    select
        kvartal,
        tema,
        sum(realitetsbehandlede) as realitetsbehandlede_landet,
        sum(omgjorte) as omgjorte_landet
    from med_totaler
    group by kvartal, tema
),

final as (
    select
        med_totaler.kommunekode,
        med_totaler.kvartal,
        med_totaler.tema,
        med_totaler.realitetsbehandlede,
        med_totaler.stadfaestet,
        med_totaler.aendret_ophaevet,
        med_totaler.hjemvist,
        med_totaler.afvist_bortfaldet,
        med_totaler.omgjorte,
        case
            when med_totaler.realitetsbehandlede > 0
                then 100.0 * med_totaler.omgjorte / med_totaler.realitetsbehandlede
        end as omgoerelsesprocent,
        case
            when med_totaler.realitetsbehandlede > 0
                then greatest(
                    0.0, 100.0 * {{ wilson_lower('med_totaler.omgjorte', 'med_totaler.realitetsbehandlede') }}
                )
        end as ci_lav,
        case
            when med_totaler.realitetsbehandlede > 0
                then least(
                    100.0, 100.0 * {{ wilson_upper('med_totaler.omgjorte', 'med_totaler.realitetsbehandlede') }}
                )
        end as ci_hoej,
        landet.realitetsbehandlede_landet::bigint as realitetsbehandlede_landet,
        landet.omgjorte_landet::bigint as omgjorte_landet,
        case
            when landet.realitetsbehandlede_landet > 0
                then 100.0 * landet.omgjorte_landet / landet.realitetsbehandlede_landet
        end as omgoerelsesprocent_landet,
        case
            when landet.realitetsbehandlede_landet > 0
                then greatest(
                    0.0, 100.0 * {{ wilson_lower('landet.omgjorte_landet', 'landet.realitetsbehandlede_landet') }}
                )
        end as ci_lav_landet,
        case
            when landet.realitetsbehandlede_landet > 0
                then least(
                    100.0, 100.0 * {{ wilson_upper('landet.omgjorte_landet', 'landet.realitetsbehandlede_landet') }}
                )
        end as ci_hoej_landet,
        'ankestatistik' as kilde,
        {{ dato_del('year', 'med_totaler.kvartal') }} as aar,
        {{ dato_del('quarter', 'med_totaler.kvartal') }} as kvartal_nr
    from med_totaler
    inner join landet
        on med_totaler.kvartal = landet.kvartal and med_totaler.tema = landet.tema
)

select * from final
