{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by several models and tests: computed once
-- incremental: a build after new extracts recomputes only their municipalities (trialwh build)

with

dokumenter as (
    select * from {{ ref('int_helbredsdokumenter_deduplicated') }}
    {% if is_incremental() %}{{ kun_nye_leverancer(['helbredsdokumentation']) }}{% endif %}
),

takster as (
    select * from {{ ref('attest_takster') }}
),

takstsat as (
    select
        dokumenter.*,
        {{ takst_efter_tolk('takster', 'dokumenter.har_tolk') }} as takst_kr
    from dokumenter
    left join takster
        on {{ takst_gyldig_paa('takster', 'dokumenter.dokumenttype', 'dokumenter.rekvireret_dato') }}
),

prissat as (
    select
        *,
        honorar_kr is null as is_honorar_imputeret,
        coalesce(honorar_kr, takst_kr) as udgift_kr
    from takstsat
),

final as (
    select
        *,
        case when is_honorar_imputeret then udgift_kr else 0 end as imputeret_udgift_kr
    from prissat
)

select * from final  -- noqa: AM04
