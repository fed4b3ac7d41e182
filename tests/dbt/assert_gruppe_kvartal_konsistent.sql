-- Rows of mart_gruppe_kvartal that break its definitions: a municipality with data in the
-- theme in a quarter outside the theme's window ('under'; the window is taken over the
-- municipalities with data, as the panel), a control municipality that is in the theme in
-- some quarter, or a period label on the wrong side of the window.
with

grupper as (
    select * from {{ ref('mart_gruppe_kvartal') }}
),

forsoeg_kvartaler as (
    select * from {{ ref('int_forsoeg_kvartaler_expanded') }}
),

kommuner_i_data as (
    select * from {{ ref('int_kommuner_i_data') }}
),

nogensinde as (
    select
        tema,
        kommunekode,
        bool_or(is_i_forsoeg) as is_nogensinde_i_forsoeg
    from forsoeg_kvartaler
    group by tema, kommunekode
)

select
    grupper.tema,
    grupper.kontrolgruppe,
    grupper.kommunekode,
    grupper.kvartal
from grupper
inner join nogensinde
    on grupper.tema = nogensinde.tema and grupper.kommunekode = nogensinde.kommunekode
left join kommuner_i_data
    on grupper.kommunekode = kommuner_i_data.kommunekode
where
    (grupper.is_i_forsoeg and grupper.periode != 'under' and kommuner_i_data.kommunekode is not null)
    or (grupper.gruppe = 'kontrol' and nogensinde.is_nogensinde_i_forsoeg)
    or (grupper.periode = 'under' and grupper.kvartal < grupper.forsoeg_start_kvartal)
    or (grupper.periode = 'efter' and grupper.kvartal <= grupper.forsoeg_slut_kvartal)
