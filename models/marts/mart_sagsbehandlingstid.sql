with

forloeb as (
    select
        fct_forloeb.kommunekode,
        fct_forloeb.start_kvartal as kvartal,
        fct_forloeb.forloeb,
        fct_forloeb.varighed_dage,
        fct_forloeb.is_afsluttet,
        fct_forloeb.frist_dage,
        fct_forloeb.is_inden_frist
    from {{ ref('fct_forloeb') }} as fct_forloeb
),

kaplan_meier as (
    {{ kaplan_meier_quartiles('forloeb', ['kommunekode', 'kvartal', 'forloeb'], 'varighed_dage', 'is_afsluttet') }}
),

optalt as (
    select
        kommunekode,
        kvartal,
        forloeb,
        count(*) as n_sager,
        count(*) filter (where is_afsluttet) as n_afsluttet,
        count(*) filter (where not is_afsluttet) as n_aabne,
        max(frist_dage) as frist_dage,
        count(*) filter (where is_inden_frist is not null) as n_frist_kendt,
        count(*) filter (where is_inden_frist) as n_inden_frist
    from forloeb
    group by kommunekode, kvartal, forloeb
),

final as (
    select
        optalt.kommunekode,
        optalt.kvartal,
        optalt.forloeb,
        optalt.n_sager,
        optalt.n_afsluttet,
        optalt.n_aabne,
        kaplan_meier.median_dage,
        kaplan_meier.p25_dage,
        kaplan_meier.p75_dage,
        optalt.frist_dage,
        optalt.n_frist_kendt,
        optalt.n_inden_frist,
        case when optalt.n_frist_kendt > 0 then {{ flydende('optalt.n_inden_frist') }} / optalt.n_frist_kendt end
            as andel_inden_frist
    from optalt
    left join kaplan_meier
        on
            optalt.kommunekode = kaplan_meier.kommunekode
            and optalt.kvartal = kaplan_meier.kvartal
            and optalt.forloeb = kaplan_meier.forloeb
)

select * from final
