{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='kommunekode',
) }}  -- read by several models and tests: computed once
-- incremental: a build after new extracts updates their municipalities from the new loads
-- (trialwh build; macros/latest_snapshot_delta.sql) and prices their documents again
-- depends_on: {{ ref('stg_helbredsdokumentation__dokumenter') }}

with

dokumenter as (
    {% if delta_dedup() %}
        {%- set nye_dokumenter -%}
            (select * from {{ ref('stg_helbredsdokumentation__dokumenter') }}
            {{ nye_raekker(['helbredsdokumentation']) }})
        {%- endset %}
        {{ seneste_raekker(
            nye_dokumenter, 'helbredsdokument_id', ['helbredsdokumentation'],
            ekstra=['takst_kr', 'is_honorar_imputeret', 'udgift_kr', 'imputeret_udgift_kr']
        ) }}
    {% else %}
        select * from {{ ref('int_helbredsdokumenter_deduplicated') }}
        {% if is_incremental() %}{{ kun_nye_leverancer(['helbredsdokumentation']) }}{% endif %}
    {% endif %}
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
