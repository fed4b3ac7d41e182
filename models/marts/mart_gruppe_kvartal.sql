{#-
    Trial and control group and period per theme × control group × municipality × quarter:
    the one place these are assigned (the dashboard and the report select from here).
    - forsoeg: municipalities ever in the theme (forsoeg_deltagelse);
    - kontrol: the control group's municipalities (dim_kontrolgruppe) minus any ever in the
      theme;
    - the theme's window: first and last quarter in which any municipality of the panel is
      in the theme (int_forsoeg_kvartaler_expanded, as i_forsoeg_<tema> in the panel);
    - periode: foer before the window's first quarter, under up to and including its last
      quarter, efter after it; a theme no municipality is in is foer throughout.
-#}
with

temaer as (
    select * from {{ ref('temaer') }}
),

kommuner as (
    select * from {{ ref('kommuner') }}
),

kommuner_i_data as (
    select * from {{ ref('int_kommuner_i_data') }}
),

forsoeg as (
    select * from {{ ref('forsoeg_deltagelse') }}
),

forsoeg_kvartaler as (
    select * from {{ ref('int_forsoeg_kvartaler_expanded') }}
),

kontrolgrupper as (
    select * from {{ ref('dim_kontrolgruppe') }}
),

forsoegskommuner as (
    select distinct
        tema,
        kommunekode
    from forsoeg
),

-- The panel's municipalities: those with data.
panel_kvartaler as (
    select forsoeg_kvartaler.*
    from forsoeg_kvartaler
    inner join kommuner_i_data
        on forsoeg_kvartaler.kommunekode = kommuner_i_data.kommunekode
),

kontrolgruppenavne as (
    select distinct kontrolgruppe
    from kontrolgrupper
),

vinduer as (
    select
        temaer.tema,
        min(panel.kvartal) filter (where panel.is_i_forsoeg) as forsoeg_start_kvartal,
        max(panel.kvartal) filter (where panel.is_i_forsoeg) as forsoeg_slut_kvartal
    from temaer
    left join panel_kvartaler as panel
        on temaer.tema = panel.tema
    group by temaer.tema
),

grupper as (
    select
        forsoegskommuner.tema,
        kontrolgruppenavne.kontrolgruppe,
        forsoegskommuner.kommunekode,
        'forsoeg' as gruppe
    from forsoegskommuner
    cross join kontrolgruppenavne
    union all
    select
        kontrolgrupper.tema,
        kontrolgrupper.kontrolgruppe,
        kontrolgrupper.kommunekode,
        'kontrol' as gruppe
    from kontrolgrupper
    where not exists (
        select 1
        from forsoegskommuner
        where
            forsoegskommuner.tema = kontrolgrupper.tema
            and forsoegskommuner.kommunekode = kontrolgrupper.kommunekode
    )
),

med_periode as (
    select
        grupper.tema,
        grupper.kontrolgruppe,
        grupper.kommunekode,
        kommuner.kommunenavn,
        forsoeg_kvartaler.kvartal,
        grupper.gruppe,
        forsoeg_kvartaler.is_i_forsoeg,
        vinduer.forsoeg_start_kvartal,
        vinduer.forsoeg_slut_kvartal,
        case
            when vinduer.forsoeg_start_kvartal is null or forsoeg_kvartaler.kvartal < vinduer.forsoeg_start_kvartal
                then 'foer'
            when forsoeg_kvartaler.kvartal <= vinduer.forsoeg_slut_kvartal then 'under'
            else 'efter'
        end as periode
    from grupper
    inner join kommuner
        on grupper.kommunekode = kommuner.kommunekode
    inner join forsoeg_kvartaler
        on grupper.tema = forsoeg_kvartaler.tema and grupper.kommunekode = forsoeg_kvartaler.kommunekode
    inner join vinduer
        on grupper.tema = vinduer.tema
),

final as (
    select
        tema,
        kontrolgruppe,
        kommunekode,
        kommunenavn,
        kvartal,
        gruppe,
        periode,
        is_i_forsoeg,
        forsoeg_start_kvartal,
        forsoeg_slut_kvartal
    from med_periode
)

select * from final
