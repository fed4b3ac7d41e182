with

sager as (
    select * from {{ ref('int_sygedagpengesager_deduplicated') }}
),

dokumenter_pr_sag as (
    select * from {{ ref('int_helbredsdokumenter_summed_per_sag') }}
    where sagstype = 'sygedagpenge'
),

takster as (
    select * from {{ ref('attest_takster') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

beriget as (
    select
        sager.sygedagpengesag_id,
        sager.sags_id,
        sager.person_id,
        sager.kommunekode,
        sager.foerste_fravaersdag,
        sager.anmeldt_dato,
        date_trunc('month', sager.anmeldt_dato)::date as anmeldt_maaned,
        date_trunc('quarter', sager.anmeldt_dato)::date as anmeldt_kvartal,
        sager.visitationskategori,
        sager.forventet_over_8_uger,
        sager.har_arbejdsgiver,
        sager.diagnosegruppe,
        sager.har_tolk,
        sager.is_lae285_fravalgt,
        sager.fravalg_begrundelse,
        sager.foerste_opfoelgning_dato,
        sager.afsluttet_dato,
        sager.afslutningsaarsag,
        sager.afsluttet_dato is null as is_aaben,
        sager.visitationskategori in (2, 3)
        and coalesce(sager.forventet_over_8_uger, true) as is_omfattet_lae285,
        {% for tema, regel in tema_regler_for_sagstype('sygedagpenge').items() %}
            {{ er_i_forsoeg('forsoeg', tema, 'sager.kommunekode', 'sager.' ~ regel.sagsdato) }}
                as is_i_forsoeg_paa_sagsdato_{{ tema }},
        {% endfor %}
        {{ takst_efter_tolk('takster', 'sager.har_tolk') }} as lae285_takst_kr,
        coalesce(dokumenter_pr_sag.antal_lae285, 0) as antal_lae285,
        coalesce(dokumenter_pr_sag.antal_lae285, 0) > 0 as has_lae285_rekvireret,
        coalesce(dokumenter_pr_sag.lae285_udgift_kr, 0) as lae285_udgift_kr,
        coalesce(dokumenter_pr_sag.lae285_imputeret_kr, 0) as lae285_imputeret_kr,
        coalesce(dokumenter_pr_sag.antal_andre_dokumenter, 0) as antal_andre_dokumenter,
        coalesce(dokumenter_pr_sag.andre_dokumenter_udgift_kr, 0) as andre_dokumenter_udgift_kr,
        coalesce(dokumenter_pr_sag.andre_dokumenter_imputeret_kr, 0) as andre_dokumenter_imputeret_kr,
        {{ dage_mellem('sager.anmeldt_dato', 'sager.foerste_opfoelgning_dato') }}
            as dage_anmeldelse_til_foerste_opfoelgning,
        {{ dage_mellem('sager.foerste_fravaersdag', 'sager.foerste_opfoelgning_dato') }}
            as dage_til_foerste_opfoelgning,
        {{ dage_mellem('sager.foerste_fravaersdag', 'sager.afsluttet_dato') }} as varighed_dage,
        sager.extract_date,
        sager.seneste_extract_date,
        sager.antal_udtraek,
        sager.is_missing_from_latest_extract,
        sager.source_file,
        sager.source_row_number
    from sager
    left join dokumenter_pr_sag
        on sager.sygedagpengesag_id = dokumenter_pr_sag.sag_id
    left join takster
        on {{ takst_gyldig_paa('takster', "'LAE285'", 'sager.anmeldt_dato') }}
)

select * from beriget
