{#-
    Rehabilitation indicators per municipality × quarter of the case's start, for the panel
    (mart_panel_kommune_kvartal) and so for DiD and the report:
    - deadline shares from mart_rehab_sagsbehandlingstid (frister): the team treats a
      jobafklaring case within 28 days; seniorførtidspension decided within 6 months; the
      doctor answers LÆ265 within 30 days (every target group; cases whose deadline has not
      passed at the extract are left out);
    - Kaplan–Meier median days from readiness to decision for the exemption's target groups
      jobafklaring and fleksjob, and to the team meeting for jobafklaring (target-group
      rules of the theme, kept in this one model);
    - guardrails the application names: exempted fleksjob cases decided at 0–10 weekly
      hours, and exempted jobafklaring cases of persons who already had a jobafklaring case;
    - theme 4: meetings held although a member was acutely absent (meetings that would
      otherwise have been cancelled or postponed).
-#}

with

rehabiliteringssager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
),

tider as (
    select * from {{ ref('mart_rehab_sagsbehandlingstid') }}
),

-- A jobafklaring case is a repeat when the same person had an earlier one (any municipality).
sager as (
    select
        *,
        maalgruppe = 'jobafklaring'
        and person_id is not null
        and row_number() over (
            partition by person_id, maalgruppe order by startdato, rehabiliteringssag_id
        ) > 1 as is_gentaget_jobafklaring
    from rehabiliteringssager
),

pr_sag as (
    select
        kommunekode,
        start_kvartal as kvartal,
        count(*) filter (
            where is_fritaget_rehabmoede and afgoerelse = 'fleksjob' and fleksjob_timer is not null
        ) as fritaget_fleksjob_med_timer,
        count(*) filter (
            where is_fritaget_rehabmoede and afgoerelse = 'fleksjob' and fleksjob_timer <= 10
        ) as fritaget_fleksjob_0_10_timer,
        count(*) filter (
            where not is_fritaget_rehabmoede and afgoerelse = 'fleksjob' and fleksjob_timer is not null
        ) as ikke_fritaget_fleksjob_med_timer,
        count(*) filter (
            where not is_fritaget_rehabmoede and afgoerelse = 'fleksjob' and fleksjob_timer <= 10
        ) as ikke_fritaget_fleksjob_0_10_timer,
        count(*) filter (where is_fritaget_rehabmoede and maalgruppe = 'jobafklaring') as fritaget_jobafklaring,
        count(*) filter (where is_fritaget_rehabmoede and is_gentaget_jobafklaring)
            as fritaget_gentaget_jobafklaring,
        count(*) filter (where moede_dato is not null) as rehab_moeder,
        count(*) filter (where moede_dato is not null and is_moede_akut_fravaer) as rehab_moeder_akut_fravaer
    from sager
    group by kommunekode, start_kvartal
),

pr_tid as (
    select
        kommunekode,
        kvartal,
        sum(n_inden_frist) filter (where forloeb = 'rehab_start_til_moede' and maalgruppe = 'jobafklaring')
        / nullif(
            sum(n_frist_kendt) filter (where forloeb = 'rehab_start_til_moede' and maalgruppe = 'jobafklaring'), 0
        ) as andel_jobafklaring_moede_inden_frist,
        sum(n_inden_frist) filter (
            where forloeb = 'rehab_start_til_afgoerelse' and maalgruppe = 'seniorfoertidspension'
        )
        / nullif(
            sum(n_frist_kendt) filter (
                where forloeb = 'rehab_start_til_afgoerelse' and maalgruppe = 'seniorfoertidspension'
            ),
            0
        ) as andel_seniorfoertidspension_inden_frist,
        max(median_dage) filter (where forloeb = 'rehab_start_til_afgoerelse' and maalgruppe = 'jobafklaring')
            as dage_til_afgoerelse_jobafklaring,
        max(median_dage) filter (where forloeb = 'rehab_start_til_afgoerelse' and maalgruppe = 'fleksjob')
            as dage_til_afgoerelse_fleksjob,
        max(median_dage) filter (where forloeb = 'rehab_start_til_moede' and maalgruppe = 'jobafklaring')
            as dage_til_moede_jobafklaring,
        coalesce(sum(n_sager) filter (where forloeb = 'attest_rekvireret_til_modtaget'), 0)::bigint
            as lae265_rekvireret,
        coalesce(sum(n_frist_kendt) filter (where forloeb = 'attest_rekvireret_til_modtaget'), 0)::bigint
            as lae265_svar_frist_kendt,
        coalesce(sum(n_inden_frist) filter (where forloeb = 'attest_rekvireret_til_modtaget'), 0)::bigint
            as lae265_svar_inden_frist
    from tider
    group by kommunekode, kvartal
),

final as (
    select
        pr_sag.kommunekode,
        pr_sag.kvartal,
        pr_tid.andel_jobafklaring_moede_inden_frist,
        pr_tid.andel_seniorfoertidspension_inden_frist,
        pr_tid.dage_til_afgoerelse_jobafklaring,
        pr_tid.dage_til_afgoerelse_fleksjob,
        pr_tid.dage_til_moede_jobafklaring,
        pr_sag.fritaget_fleksjob_med_timer,
        pr_sag.fritaget_fleksjob_0_10_timer,
        pr_sag.ikke_fritaget_fleksjob_med_timer,
        pr_sag.ikke_fritaget_fleksjob_0_10_timer,
        pr_sag.fritaget_jobafklaring,
        pr_sag.fritaget_gentaget_jobafklaring,
        pr_sag.rehab_moeder,
        pr_sag.rehab_moeder_akut_fravaer,
        {{ flydende('pr_sag.fritaget_fleksjob_0_10_timer') }} / nullif(pr_sag.fritaget_fleksjob_med_timer, 0)
            as andel_fritaget_fleksjob_0_10_timer,
        {{ flydende('pr_sag.ikke_fritaget_fleksjob_0_10_timer') }} / nullif(pr_sag.ikke_fritaget_fleksjob_med_timer, 0)
            as andel_ikke_fritaget_fleksjob_0_10_timer,
        {{ flydende('pr_sag.fritaget_gentaget_jobafklaring') }} / nullif(pr_sag.fritaget_jobafklaring, 0)
            as andel_fritaget_gentaget_jobafklaring,
        {{ flydende('pr_sag.rehab_moeder_akut_fravaer') }} / nullif(pr_sag.rehab_moeder, 0)
            as andel_moeder_akut_fravaer,
        coalesce(pr_tid.lae265_rekvireret, 0) as lae265_rekvireret,
        coalesce(pr_tid.lae265_svar_frist_kendt, 0) as lae265_svar_frist_kendt,
        coalesce(pr_tid.lae265_svar_inden_frist, 0) as lae265_svar_inden_frist,
        {{ flydende('pr_tid.lae265_svar_inden_frist') }} / nullif(pr_tid.lae265_svar_frist_kendt, 0)
            as andel_lae265_svar_inden_frist
    from pr_sag
    left join pr_tid
        on pr_sag.kommunekode = pr_tid.kommunekode and pr_sag.kvartal = pr_tid.kvartal
)

select * from final
