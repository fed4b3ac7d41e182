{#-
    The case review loaded back (source sagsgennemgang) summarised per theme × group
    (fritaget = the theme's exemption was used, sammenligning = not), among cases in the
    trial (fct_tema_sager, the population `trialwh sample` draws from). Each reviewed case
    is weighted back to its stratum (municipality × target group × group): vaegt = N / n,
    N the cases in the stratum, n the reviewed cases in it. Shares are among the cases that
    could be assessed (kan_ikke_vurderes left out); 95 % Wilson interval on Kish's
    effective sample size.
-#}

with

vurderinger as (
    select * from {{ ref('int_sagsgennemgang_deduplicated') }}
),

tema_sager as (
    select * from {{ ref('fct_tema_sager') }}
    where i_forsoeg
),

population as (
    select
        tema,
        kommunekode,
        maalgruppe,
        gruppe,
        count(*) as n_population
    from tema_sager
    group by tema, kommunekode, maalgruppe, gruppe
),

vurderet as (
    select
        vurderinger.tema,
        vurderinger.kommunekode,
        vurderinger.sags_id,
        vurderinger.vurdering,
        tema_sager.maalgruppe,
        tema_sager.gruppe
    from vurderinger
    inner join tema_sager
        on
            vurderinger.kommunekode = tema_sager.kommunekode
            and vurderinger.sags_id = tema_sager.sags_id
            and vurderinger.tema = tema_sager.tema
),

vaegtet as (
    select
        vurderet.*,
        {{ flydende('population.n_population') }} / count(*) over (
            partition by vurderet.tema, vurderet.kommunekode, vurderet.maalgruppe, vurderet.gruppe
        ) as vaegt
    from vurderet
    inner join population
        on
            vurderet.tema = population.tema
            and vurderet.kommunekode = population.kommunekode
            and vurderet.maalgruppe = population.maalgruppe
            and vurderet.gruppe = population.gruppe
),

optalt as (
    select
        tema,
        gruppe,
        count(*) as n_vurderet,
        count(*) filter (where vurdering = 'kan_ikke_vurderes') as n_kan_ikke_vurderes,
        count(*) filter (where vurdering = 'korrekt') as n_korrekt,
        count(*) filter (where vurdering = 'delvist_korrekt') as n_delvist_korrekt,
        count(*) filter (where vurdering = 'forkert') as n_forkert,
        sum(vaegt) filter (where vurdering <> 'kan_ikke_vurderes') as vaegt_sum,
        sum(vaegt * vaegt) filter (where vurdering <> 'kan_ikke_vurderes') as vaegt_kvadratsum,
        coalesce(sum(vaegt) filter (where vurdering = 'korrekt'), 0.0) as vaegt_korrekt,
        coalesce(sum(vaegt) filter (where vurdering = 'forkert'), 0.0) as vaegt_forkert
    from vaegtet
    group by tema, gruppe
),

med_andel as (
    select
        *,
        vaegt_korrekt / nullif(vaegt_sum, 0) as andel_korrekt,
        vaegt_forkert / nullif(vaegt_sum, 0) as andel_forkert,
        vaegt_sum * vaegt_sum / nullif(vaegt_kvadratsum, 0) as n_effektiv
    from optalt
),

final as (
    select
        tema,
        gruppe,
        n_vurderet,
        n_kan_ikke_vurderes,
        n_korrekt,
        n_delvist_korrekt,
        n_forkert,
        andel_korrekt,
        greatest(0.0, {{ wilson_lower('andel_korrekt * n_effektiv', 'n_effektiv') }}) as andel_korrekt_ci_lav,
        least(1.0, {{ wilson_upper('andel_korrekt * n_effektiv', 'n_effektiv') }}) as andel_korrekt_ci_hoej,
        andel_forkert,
        greatest(0.0, {{ wilson_lower('andel_forkert * n_effektiv', 'n_effektiv') }}) as andel_forkert_ci_lav,
        least(1.0, {{ wilson_upper('andel_forkert * n_effektiv', 'n_effektiv') }}) as andel_forkert_ci_hoej,
        n_effektiv
    from med_andel
)

select * from final
