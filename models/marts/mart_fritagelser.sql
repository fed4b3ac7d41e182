with

rehabiliteringssager as (
    select * from {{ ref('fct_rehabiliteringssager') }}
),

sygedagpengesager as (
    select * from {{ ref('fct_sygedagpengesager') }}
    where is_omfattet_lae285
),

pr_sag as (
    select
        kommunekode,
        start_kvartal as kvartal,
        'rehab_fritagelse' as tema,
        maalgruppe,
        i_forsoeg_rehab_fritagelse as i_forsoeg,
        is_fritaget_rehabmoede as is_fritaget,
        moede_dato is not null as has_moede,
        false as is_moede_akut_fravaer
    from rehabiliteringssager
    union all
    select
        kommunekode,
        start_kvartal as kvartal,
        'lae265' as tema,
        maalgruppe,
        i_forsoeg_lae265 as i_forsoeg,
        is_lae265_fravalgt as is_fritaget,
        moede_dato is not null as has_moede,
        false as is_moede_akut_fravaer
    from rehabiliteringssager
    union all
    select
        kommunekode,
        start_kvartal as kvartal,
        'sundhedsfaglig_raadgivning' as tema,
        maalgruppe,
        i_forsoeg_sundhedsfaglig_raadgivning as i_forsoeg,
        coalesce(sundhedsfaglig_raadgiver = 'anden', false) as is_fritaget,
        moede_dato is not null as has_moede,
        false as is_moede_akut_fravaer
    from rehabiliteringssager
    union all
    select
        kommunekode,
        start_kvartal as kvartal,
        'akut_fravaer' as tema,
        maalgruppe,
        i_forsoeg_akut_fravaer as i_forsoeg,
        moede_dato is not null and is_moede_akut_fravaer as is_fritaget,
        moede_dato is not null as has_moede,
        moede_dato is not null and is_moede_akut_fravaer as is_moede_akut_fravaer
    from rehabiliteringssager
    union all
    select
        kommunekode,
        anmeldt_kvartal as kvartal,
        'lae285' as tema,
        'sygedagpenge' as maalgruppe,
        i_forsoeg_lae285 as i_forsoeg,
        is_lae285_fravalgt as is_fritaget,
        foerste_opfoelgning_dato is not null as has_moede,
        false as is_moede_akut_fravaer
    from sygedagpengesager
),

final as (
    select
        kommunekode,
        kvartal,
        tema,
        maalgruppe,
        count(*) as sager,
        count(*) filter (where is_fritaget) as fritaget,
        count(*) filter (where is_fritaget) / count(*) as andel_fritaget,
        case when tema = 'akut_fravaer' then count(*) filter (where has_moede) end as moeder,
        case when tema = 'akut_fravaer' then count(*) filter (where is_moede_akut_fravaer) end
            as moeder_akut_fravaer,
        count(*) filter (where i_forsoeg) as sager_i_forsoeg,
        bool_or(i_forsoeg) as i_forsoeg,
        year(kvartal) as aar,
        quarter(kvartal) as kvartal_nr
    from pr_sag
    group by kommunekode, kvartal, tema, maalgruppe
)

select * from final
