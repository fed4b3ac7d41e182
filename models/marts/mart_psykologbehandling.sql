{#-
    Contract §4.2: psychologist courses per municipality × quarter of henvist_dato.
    gns_scoreaendring is the mean of efter − foer over the courses with both scores
    (n_med_screening of them), with a 95 % t interval; the instruments have different
    scales, so mart_psykologbehandling_instrument gives the same per instrument.
-#}

with

forloeb as (
    select * from {{ ref('fct_psykologforloeb') }}
),

pr_kvartal as (
    select
        kommunekode,
        henvist_kvartal as kvartal,
        count(*) as forloeb,
        count(*) filter (where not is_aabent) as forloeb_afsluttet,
        avg(antal_sessioner) as gns_sessioner,
        sum(udgift_kr) as udgift_kr,
        count(udgift_kr) as forloeb_med_udgift,
        count(*) filter (where score_foer is not null) as n_med_score_foer,
        count(*) filter (where has_parret_score) as n_med_screening,
        avg(scoreaendring) as gns_scoreaendring,
        stddev_samp(scoreaendring) as sd_scoreaendring,
        count(*) filter (where is_klinisk_relevant_fald) as n_klinisk_relevant_fald
    from forloeb
    group by kommunekode, henvist_kvartal
),

final as (
    select
        kommunekode,
        kvartal,
        forloeb,
        forloeb_afsluttet,
        gns_sessioner,
        udgift_kr,
        forloeb_med_udgift,
        udgift_kr / nullif(forloeb_med_udgift, 0) as udgift_pr_forloeb_kr,
        n_med_score_foer,
        n_med_screening,
        gns_scoreaendring,
        gns_scoreaendring - {{ t_kvantil_975('n_med_screening - 1') }} * sd_scoreaendring / sqrt(n_med_screening)
            as gns_scoreaendring_ci_lav,
        gns_scoreaendring + {{ t_kvantil_975('n_med_screening - 1') }} * sd_scoreaendring / sqrt(n_med_screening)
            as gns_scoreaendring_ci_hoej,
        n_klinisk_relevant_fald,
        {{ flydende('n_klinisk_relevant_fald') }} / nullif(n_med_screening, 0) as andel_klinisk_relevant_fald
    from pr_kvartal
)

select * from final
