{#-
    One row per case and trial theme the case belongs to, with whether the theme's
    exemption was used: the population `trialwh sample` draws the case review from and
    mart_sagsgennemgang weights it back to. The per-theme rules (which cases a theme
    concerns and what "exempted" means) are kept in this one model:
    - rehab_fritagelse: every rehabilitation case; exempted from the team meeting;
    - lae265: rehabilitation cases LÆ265 concerns (is_omfattet_lae265); LÆ265 waived;
    - sundhedsfaglig_raadgivning: every rehabilitation case; adviser other than klinisk funktion;
    - akut_fravaer: cases with a team meeting; held although a member was acutely absent;
    - lae285: sickness-benefit cases covered by the LÆ285 rule; LÆ285 waived.
-#}

with

rehabiliteringssager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
),

sygedagpengesager as (
    select * from {{ ref('fct_sygedagpengesager') }}
    where is_omfattet_lae285
),

alle as (
    select
        kommunekode,
        sags_id,
        'rehab_fritagelse' as tema,
        maalgruppe,
        startdato as sagsdato,
        i_forsoeg_rehab_fritagelse as i_forsoeg,
        is_fritaget_rehabmoede as is_fritaget
    from rehabiliteringssager
    union all
    select
        kommunekode,
        sags_id,
        'lae265' as tema,
        maalgruppe,
        startdato as sagsdato,
        i_forsoeg_lae265 as i_forsoeg,
        coalesce(is_lae265_fravalgt, false) as is_fritaget
    from rehabiliteringssager
    where is_omfattet_lae265
    union all
    select
        kommunekode,
        sags_id,
        'sundhedsfaglig_raadgivning' as tema,
        maalgruppe,
        startdato as sagsdato,
        i_forsoeg_sundhedsfaglig_raadgivning as i_forsoeg,
        coalesce(sundhedsfaglig_raadgiver = 'anden', false) as is_fritaget
    from rehabiliteringssager
    union all
    select
        kommunekode,
        sags_id,
        'akut_fravaer' as tema,
        maalgruppe,
        startdato as sagsdato,
        i_forsoeg_akut_fravaer as i_forsoeg,
        coalesce(is_moede_akut_fravaer, false) as is_fritaget
    from rehabiliteringssager
    where moede_dato is not null
    union all
    select
        kommunekode,
        sags_id,
        'lae285' as tema,
        'sygedagpenge' as maalgruppe,
        anmeldt_dato as sagsdato,
        i_forsoeg_lae285 as i_forsoeg,
        coalesce(is_lae285_fravalgt, false) as is_fritaget
    from sygedagpengesager
),

final as (
    select
        kommunekode,
        sags_id,
        tema,
        maalgruppe,
        sagsdato,
        i_forsoeg,
        is_fritaget,
        case when is_fritaget then 'fritaget' else 'sammenligning' end as gruppe
    from alle
)

select * from final
