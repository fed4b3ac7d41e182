with

sygedagpengesager as (
    select * from {{ ref('fct_sygedagpengesager') }}
    where is_omfattet_lae285
),

rehabiliteringssager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
    where is_omfattet_lae265
),

lae285_pr_sag as (
    select
        kommunekode,
        anmeldt_maaned as maaned,
        'LAE285' as dokumenttype,
        is_i_forsoeg_paa_sagsdato_lae285 as i_forsoeg,
        has_lae285_rekvireret as is_attest_indhentet,
        is_lae285_fravalgt as is_attest_fravalgt,
        lae285_takst_kr as takst_kr,
        lae285_udgift_kr as faktisk_kr,
        case when is_lae285_fravalgt then andre_dokumenter_udgift_kr else 0 end as alternativ_kr,
        lae285_imputeret_kr
        + case when is_lae285_fravalgt then andre_dokumenter_imputeret_kr else 0 end as imputeret_kr
    from sygedagpengesager
),

lae265_pr_sag as (
    select
        kommunekode,
        start_maaned as maaned,
        'LAE265' as dokumenttype,
        is_i_forsoeg_paa_sagsdato_lae265 as i_forsoeg,
        has_lae265_rekvireret as is_attest_indhentet,
        is_lae265_fravalgt as is_attest_fravalgt,
        lae265_takst_kr as takst_kr,
        lae265_udgift_kr as faktisk_kr,
        case when is_lae265_fravalgt then andre_dokumenter_udgift_kr else 0 end as alternativ_kr,
        lae265_imputeret_kr
        + case when is_lae265_fravalgt then andre_dokumenter_imputeret_kr else 0 end as imputeret_kr
    from rehabiliteringssager
),

pr_sag as (
    select * from lae285_pr_sag
    union all
    select * from lae265_pr_sag
),

-- The counterfactual: a case in the trial (its municipality in the theme on the case
-- date) would without the trial have had the certificate at the fee valid that day.
-- A case outside the trial (control municipality, baseline or after the theme) had no
-- trial, so its counterfactual is what was actually spent, and its saving is 0.
kontrafaktisk as (
    select
        *,
        case when i_forsoeg then takst_kr else faktisk_kr + alternativ_kr end as kontrafaktisk_kr
    from pr_sag
),

final as (
    select
        kommunekode,
        maaned,
        dokumenttype,
        count(*) as sager_omfattet,
        count(*) filter (where is_attest_indhentet) as attest_indhentet,
        count(*) filter (where is_attest_fravalgt) as attest_fravalgt,
        coalesce(sum(kontrafaktisk_kr), 0) as kontrafaktisk_udgift_kr,
        coalesce(sum(faktisk_kr), 0) as faktisk_attest_udgift_kr,
        coalesce(sum(alternativ_kr), 0) as alternativ_udgift_kr,
        coalesce(sum(kontrafaktisk_kr), 0) - coalesce(sum(faktisk_kr), 0) - coalesce(sum(alternativ_kr), 0)
            as nettobesparelse_kr,
        coalesce(sum(imputeret_kr), 0) as heraf_imputeret_kr,
        count(*) filter (where i_forsoeg) as sager_i_forsoeg,
        bool_or(i_forsoeg) as i_forsoeg,
        coalesce(sum(takst_kr), 0) as takstbaseret_udgift_kr,
        date_trunc('quarter', maaned)::date as kvartal,
        {{ dato_del('year', 'maaned') }} as aar
    from kontrafaktisk
    group by kommunekode, maaned, dokumenttype
)

select * from final
