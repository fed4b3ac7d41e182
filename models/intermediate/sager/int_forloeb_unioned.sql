{#-
    One row per forløb (a case or document followed from a start event to an end event),
    for the case-processing times in mart_sagsbehandlingstid. A forløb whose end event has
    not happened is censored: its duration runs to the censoring date (the extract date of
    the case's latest snapshot; for first follow-up also the case's end if it closed first).
-#}
with

sygedagpengesager as (
    select * from {{ ref('int_sygedagpengesager_deduplicated') }}
),

rehabiliteringssager as (
    select * from {{ ref('int_rehabiliteringssager_deduplicated') }}
),

dokumenter as (
    select * from {{ ref('int_helbredsdokumenter_priced') }}
),

opfoelgning_fra_anmeldelse as (
    select
        kommunekode,
        sygedagpengesag_id as forloeb_id,
        'anmeldelse_til_foerste_opfoelgning' as forloeb,
        anmeldt_dato as start_dato,
        foerste_opfoelgning_dato as slut_dato,
        least(coalesce(afsluttet_dato, extract_date), extract_date) as censur_dato,
        cast(null as integer) as frist_dage
    from sygedagpengesager
),

opfoelgning_fra_fravaer as (
    select
        kommunekode,
        sygedagpengesag_id as forloeb_id,
        'fravaer_til_foerste_opfoelgning' as forloeb,
        foerste_fravaersdag as start_dato,
        foerste_opfoelgning_dato as slut_dato,
        least(coalesce(afsluttet_dato, extract_date), extract_date) as censur_dato,
        56 as frist_dage
    from sygedagpengesager
),

sygedagpengeforloeb as (
    select
        kommunekode,
        sygedagpengesag_id as forloeb_id,
        'sygedagpengeforloeb' as forloeb,
        foerste_fravaersdag as start_dato,
        afsluttet_dato as slut_dato,
        extract_date as censur_dato,
        cast(null as integer) as frist_dage
    from sygedagpengesager
),

attester as (
    select
        kommunekode,
        helbredsdokument_id as forloeb_id,
        'attest_rekvireret_til_modtaget' as forloeb,
        rekvireret_dato as start_dato,
        modtaget_dato as slut_dato,
        extract_date as censur_dato,
        cast(null as integer) as frist_dage
    from dokumenter
),

rehab_afgoerelse as (
    select
        kommunekode,
        rehabiliteringssag_id as forloeb_id,
        'rehab_start_til_afgoerelse' as forloeb,
        startdato as start_dato,
        afgoerelse_dato as slut_dato,
        extract_date as censur_dato,
        cast(null as integer) as frist_dage
    from rehabiliteringssager
),

rehab_moede as (
    select
        kommunekode,
        rehabiliteringssag_id as forloeb_id,
        'rehab_start_til_moede' as forloeb,
        startdato as start_dato,
        moede_dato as slut_dato,
        extract_date as censur_dato,
        case when maalgruppe = 'jobafklaring' then 28 end as frist_dage
    from rehabiliteringssager
    where not is_fritaget_rehabmoede
),

alle as (
    select * from opfoelgning_fra_anmeldelse
    union all
    select * from opfoelgning_fra_fravaer
    union all
    select * from sygedagpengeforloeb
    union all
    select * from attester
    union all
    select * from rehab_afgoerelse
    union all
    select * from rehab_moede
),

final as (
    select
        kommunekode,
        forloeb_id,
        forloeb,
        start_dato,
        slut_dato,
        censur_dato,
        frist_dage,
        cast(date_trunc('quarter', start_dato) as date) as kvartal,
        slut_dato is not null as is_afsluttet,
        date_diff('day', start_dato, coalesce(slut_dato, censur_dato)) as varighed_dage,
        case
            when frist_dage is null then null
            when slut_dato is not null then date_diff('day', start_dato, slut_dato) <= frist_dage
            when date_diff('day', start_dato, censur_dato) > frist_dage then false
        end as is_inden_frist
    from alle
)

select * from final
