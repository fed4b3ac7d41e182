{#-
    One row per psychologist course (theme psykologbehandling, contract §1.7), latest
    extract wins. Linked to its sickness-benefit case (sags_id in the same municipality);
    `is_samme_person` checks the case belongs to the same person. The paired score change
    is efter − foer on the course's instrument (NULL unless both are measured); a clinically
    relevant drop is a fall of at least the instrument's threshold in seed screening_taerskler.
-#}

with

forloeb as (
    select * from {{ ref('int_psykologforloeb_deduplicated') }}
),

sager as (
    select * from {{ ref('fct_sygedagpengesager') }}
),

taerskler as (
    select * from {{ ref('screening_taerskler') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

final as (
    select
        forloeb.psykologforloeb_id,
        forloeb.forloeb_id,
        forloeb.person_id,
        forloeb.kommunekode,
        forloeb.sags_id,
        forloeb.sygedagpengesag_id,
        forloeb.henvist_dato,
        date_trunc('quarter', forloeb.henvist_dato)::date as henvist_kvartal,
        forloeb.diagnose,
        forloeb.antal_sessioner,
        forloeb.udgift_kr,
        forloeb.afsluttet_dato,
        forloeb.afsluttet_dato is null as is_aabent,
        forloeb.screening_instrument,
        forloeb.score_foer,
        forloeb.score_efter,
        forloeb.score_foer is not null and forloeb.score_efter is not null as has_parret_score,
        forloeb.score_efter - forloeb.score_foer as scoreaendring,
        taerskler.klinisk_relevant_fald,
        forloeb.score_foer - forloeb.score_efter >= taerskler.klinisk_relevant_fald as is_klinisk_relevant_fald,
        sager.sygedagpengesag_id is not null as has_sygedagpengesag,
        sager.person_id = forloeb.person_id as is_samme_person,
        sager.diagnosegruppe as sag_diagnosegruppe,
        {{ er_i_forsoeg('forsoeg', tema_for_kilde('psykologforloeb'), 'forloeb.kommunekode', 'forloeb.henvist_dato') }}
            as is_i_forsoeg_paa_sagsdato_{{ tema_for_kilde('psykologforloeb') }},
        forloeb.extract_date,
        forloeb.seneste_extract_date,
        forloeb.antal_udtraek,
        forloeb.is_missing_from_latest_extract,
        forloeb.source_file,
        forloeb.source_row_number
    from forloeb
    left join sager
        on forloeb.sygedagpengesag_id = sager.sygedagpengesag_id
    left join taerskler
        on forloeb.screening_instrument = taerskler.screening_instrument
)

select * from final
