{#-
    The paired score change (efter − foer) per screening instrument, municipality and
    quarter of henvist_dato, with a 95 % t interval, and the share with a clinically
    relevant drop (threshold per instrument in seed screening_taerskler).
-#}

with

forloeb as (
    select * from {{ ref('fct_psykologforloeb') }}
    where has_parret_score
),

pr_instrument as (
    select
        kommunekode,
        henvist_kvartal as kvartal,
        screening_instrument,
        count(*) as n_parret,
        avg(score_foer) as gns_score_foer,
        avg(score_efter) as gns_score_efter,
        avg(scoreaendring) as gns_scoreaendring,
        stddev_samp(scoreaendring) as sd_scoreaendring,
        count(*) filter (where is_klinisk_relevant_fald) as n_klinisk_relevant_fald,
        max(klinisk_relevant_fald) as klinisk_relevant_fald
    from forloeb
    group by kommunekode, henvist_kvartal, screening_instrument
),

final as (
    select
        kommunekode,
        kvartal,
        screening_instrument,
        n_parret,
        gns_score_foer,
        gns_score_efter,
        gns_scoreaendring,
        sd_scoreaendring,
        gns_scoreaendring - {{ t_kvantil_975('n_parret - 1') }} * sd_scoreaendring / sqrt(n_parret)
            as gns_scoreaendring_ci_lav,
        gns_scoreaendring + {{ t_kvantil_975('n_parret - 1') }} * sd_scoreaendring / sqrt(n_parret)
            as gns_scoreaendring_ci_hoej,
        klinisk_relevant_fald,
        n_klinisk_relevant_fald,
        {{ flydende('n_klinisk_relevant_fald') }} / n_parret as andel_klinisk_relevant_fald
    from pr_instrument
)

select * from final
