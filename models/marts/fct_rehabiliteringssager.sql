with

sager as (
    select * from {{ ref('int_rehabiliteringssager_deduplicated') }}
),

dokumenter_pr_sag as (
    select * from {{ ref('int_helbredsdokumenter_summed_per_sag') }}
    where sagstype = 'rehabilitering'
),

takster as (
    select * from {{ ref('attest_takster') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

beriget as (
    select
        sager.rehabiliteringssag_id,
        sager.sags_id,
        sager.person_id,
        sager.kommunekode,
        sager.maalgruppe,
        sager.startdato,
        date_trunc('month', sager.startdato)::date as start_maaned,
        date_trunc('quarter', sager.startdato)::date as start_kvartal,
        sager.is_fritaget_rehabmoede,
        sager.fritagelse_begrundelse,
        sager.is_lae265_fravalgt,
        sager.sundhedsfaglig_raadgiver,
        sager.moede_dato,
        sager.is_moede_akut_fravaer,
        sager.indstilling_dato,
        sager.afgoerelse_dato,
        sager.afgoerelse,
        sager.fleksjob_timer,
        sager.afgoerelse_dato is null as is_aaben,
        {{ er_lae265_maalgruppe('sager.maalgruppe') }} as is_omfattet_lae265,
        {% for tema, regel in tema_regler_for_sagstype('rehabilitering').items() %}
            {{ er_i_forsoeg(
                'forsoeg', tema, 'sager.kommunekode', 'sager.' ~ regel.sagsdato, maalgruppe='sager.maalgruppe'
            ) }}
                as is_i_forsoeg_paa_sagsdato_{{ tema }},
        {% endfor %}
        coalesce(dokumenter_pr_sag.har_tolk_paa_dokument, false) as har_tolk,
        {{ takst_efter_tolk('takster', 'coalesce(dokumenter_pr_sag.har_tolk_paa_dokument, false)') }}
            as lae265_takst_kr,
        coalesce(dokumenter_pr_sag.antal_lae265, 0) as antal_lae265,
        coalesce(dokumenter_pr_sag.antal_lae265, 0) > 0 as has_lae265_rekvireret,
        coalesce(dokumenter_pr_sag.lae265_udgift_kr, 0) as lae265_udgift_kr,
        coalesce(dokumenter_pr_sag.lae265_imputeret_kr, 0) as lae265_imputeret_kr,
        coalesce(dokumenter_pr_sag.antal_andre_dokumenter, 0) as antal_andre_dokumenter,
        coalesce(dokumenter_pr_sag.andre_dokumenter_udgift_kr, 0) as andre_dokumenter_udgift_kr,
        coalesce(dokumenter_pr_sag.andre_dokumenter_imputeret_kr, 0) as andre_dokumenter_imputeret_kr,
        {{ dage_mellem('sager.startdato', 'sager.moede_dato') }} as dage_til_moede,
        {{ dage_mellem('sager.startdato', 'sager.afgoerelse_dato') }} as dage_til_afgoerelse,
        sager.extract_date,
        sager.seneste_extract_date,
        sager.antal_udtraek,
        sager.is_missing_from_latest_extract,
        sager.source_file,
        sager.source_row_number
    from sager
    left join dokumenter_pr_sag
        on sager.rehabiliteringssag_id = dokumenter_pr_sag.sag_id
    left join takster
        on {{ takst_gyldig_paa('takster', "'LAE265'", 'sager.startdato') }}
)

select * from beriget
