{#-
    The process indicators that have a case date, per municipality and calendar month, for
    the month view (jobindsats' måned / kvartal / år / løbende 12 måneder). The cases and
    the month they count in are the panel's (mart_panel_kommune_kvartal): LÆ285-eligible
    sickness-benefit cases by the month of anmeldt_dato, rehabilitation cases of the
    exemption's target groups (jobafklaring, fleksjob) by the month of startdato. Summed
    over a quarter's months the counts equal the panel's (tests/dbt/assert_maaned_lig_kvartal).
    A source a municipality does not deliver gives null, not 0, as in the panel.
-#}

with

kommuner as (
    select * from {{ ref('kommuner') }}
),

kommuner_i_data as (
    select * from {{ ref('int_kommuner_i_data') }}
),

kalender as (
    select * from {{ ref('dim_kalender') }}
),

sygedagpengesager as (
    select * from {{ ref('fct_sygedagpengesager') }}
),

rehabiliteringssager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
),

maaneder as (
    select
        maaned,
        min(aar) as aar,
        min(maaned_nr) as maaned_nr,
        min(kvartal) as kvartal
    from kalender
    where is_i_panel
    group by maaned
),

gitter as (
    select
        kommuner_i_data.kommunekode,
        kommuner_i_data.has_sygedagpengesager,
        kommuner_i_data.has_rehabiliteringssager,
        kommuner.kommunenavn,
        maaneder.maaned,
        maaneder.aar,
        maaneder.maaned_nr,
        maaneder.kvartal
    from kommuner_i_data
    inner join kommuner
        on kommuner_i_data.kommunekode = kommuner.kommunekode
    cross join maaneder
),

-- The panel's counts (macro sager_pr_periode) by month: sygedagpenge_pr_maaned and
-- rehab_pr_maaned.
{{ sager_pr_periode('maaned') }},

samlet as (
    select
        gitter.kommunekode,
        gitter.kommunenavn,
        gitter.maaned,
        gitter.aar,
        gitter.maaned_nr,
        gitter.kvartal,
        {{ antal_hvis_leveret(
            'gitter.has_sygedagpengesager',
            'sygedagpenge_pr_maaned.sygedagpengesager_omfattet',
        ) }} as sygedagpengesager_omfattet,
        {{ antal_hvis_leveret(
            'gitter.has_sygedagpengesager',
            'sygedagpenge_pr_maaned.lae285_fravalgt',
        ) }} as lae285_fravalgt,
        {{ antal_hvis_leveret('gitter.has_rehabiliteringssager', 'rehab_pr_maaned.rehab_sager') }} as rehab_sager,
        {{ antal_hvis_leveret('gitter.has_rehabiliteringssager', 'rehab_pr_maaned.rehab_fritaget') }} as rehab_fritaget
    from gitter
    left join sygedagpenge_pr_maaned
        on
            gitter.kommunekode = sygedagpenge_pr_maaned.kommunekode
            and gitter.maaned = sygedagpenge_pr_maaned.maaned
    left join rehab_pr_maaned
        on
            gitter.kommunekode = rehab_pr_maaned.kommunekode
            and gitter.maaned = rehab_pr_maaned.maaned
),

final as (
    select
        *,
        {{ flydende('lae285_fravalgt') }} / nullif(sygedagpengesager_omfattet, 0) as andel_lae285_fravalgt,
        {{ flydende('rehab_fritaget') }} / nullif(rehab_sager, 0) as andel_rehab_fritaget
    from samlet
)

select * from final
