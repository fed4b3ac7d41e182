{#-
    SQL that DuckDB and PostgreSQL write differently, one macro per construct, dispatched on
    the adapter (`adapter.dispatch`). The duckdb__ form is the SQL the models used before,
    so DuckDB's results are unchanged; the postgres__ form gives the same values there.
-#}

{#- Whole days from date `fra` to date `til` (til − fra; negative when til is earlier). -#}
{% macro dage_mellem(fra, til) %}
    {{- return(adapter.dispatch('dage_mellem', 'trialwh')(fra, til)) -}}
{% endmacro %}

{% macro default__dage_mellem(fra, til) -%}
    date_diff('day', {{ fra }}, {{ til }})
{%- endmacro %}

{% macro postgres__dage_mellem(fra, til) -%}
    (({{ til }})::date - ({{ fra }})::date)
{%- endmacro %}

{#- Quarters from the quarter of `fra` to the quarter of `til` (quarter boundaries crossed). -#}
{% macro kvartaler_mellem(fra, til) %}
    {{- return(adapter.dispatch('kvartaler_mellem', 'trialwh')(fra, til)) -}}
{% endmacro %}

{% macro default__kvartaler_mellem(fra, til) -%}
    date_diff('quarter', {{ fra }}, {{ til }})
{%- endmacro %}

{% macro postgres__kvartaler_mellem(fra, til) -%}
    (
        (extract(year from {{ til }}) - extract(year from {{ fra }})) * 4
        + extract(quarter from {{ til }}) - extract(quarter from {{ fra }})
    )::bigint
{%- endmacro %}

{#- Integer division of integer `taeller` by `naevner`, truncated toward zero (DuckDB's //). -#}
{% macro heltalsdivision(taeller, naevner) %}
    {{- return(adapter.dispatch('heltalsdivision', 'trialwh')(taeller, naevner)) -}}
{% endmacro %}

{% macro default__heltalsdivision(taeller, naevner) -%}
    {{ taeller }} // {{ naevner }}
{%- endmacro %}

{% macro postgres__heltalsdivision(taeller, naevner) -%}
    div({{ taeller }}, {{ naevner }})::bigint
{%- endmacro %}

{#- Any one value of `expression` in the group (all rows agree where the models use it). -#}
{% macro en_vaerdi(expression) %}
    {{- return(adapter.dispatch('en_vaerdi', 'trialwh')(expression)) -}}
{% endmacro %}

{% macro default__en_vaerdi(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{#- PostgreSQL has any_value from version 16 only: min is one of the group's values. -#}
{% macro postgres__en_vaerdi(expression) -%}
    min({{ expression }})
{%- endmacro %}

{#- The sorted list (DuckDB) or array (PostgreSQL) of `expression` in the group. -#}
{% macro sorteret_liste(expression) %}
    {{- return(adapter.dispatch('sorteret_liste', 'trialwh')(expression)) -}}
{% endmacro %}

{% macro default__sorteret_liste(expression) -%}
    list({{ expression }} order by {{ expression }})
{%- endmacro %}

{% macro postgres__sorteret_liste(expression) -%}
    array_agg({{ expression }} order by {{ expression }})
{%- endmacro %}

{#- An empty list of text. -#}
{% macro tom_tekstliste() %}
    {{- return(adapter.dispatch('tom_tekstliste', 'trialwh')()) -}}
{% endmacro %}

{% macro default__tom_tekstliste() -%}
    []
{%- endmacro %}

{% macro postgres__tom_tekstliste() -%}
    '{}'::varchar []
{%- endmacro %}

{#- True when `vaerdi` is one of the `skilletegn`-separated items of text `liste`. -#}
{% macro i_tekstliste(liste, vaerdi, skilletegn='|') %}
    {{- return(adapter.dispatch('i_tekstliste', 'trialwh')(liste, vaerdi, skilletegn)) -}}
{% endmacro %}

{% macro default__i_tekstliste(liste, vaerdi, skilletegn) -%}
    list_contains(string_split({{ liste }}, '{{ skilletegn }}'), {{ vaerdi }})
{%- endmacro %}

{% macro postgres__i_tekstliste(liste, vaerdi, skilletegn) -%}
    ({{ vaerdi }} = any(string_to_array({{ liste }}, '{{ skilletegn }}')))
{%- endmacro %}

{#-
    The columns of `relation` (a ref) but those in `uden`, each prefixed by `alias.`: the
    portable form of DuckDB's `alias.* exclude (...)`. On DuckDB it is that star expression.
-#}
{% macro alle_kolonner_undtagen(relation, alias, uden) %}
    {{- return(adapter.dispatch('alle_kolonner_undtagen', 'trialwh')(relation, alias, uden)) -}}
{% endmacro %}

{% macro default__alle_kolonner_undtagen(relation, alias, uden) -%}
    {{ alias }}.* exclude ({{ uden | join(', ') }})
{%- endmacro %}

{% macro postgres__alle_kolonner_undtagen(relation, alias, uden) -%}
    {%- if not execute -%}
        {{ alias }}.*
    {%- else -%}
        {%- set kolonner = adapter.get_columns_in_relation(relation) -%}
        {%- for kolonne in kolonner if kolonne.name | lower not in uden %}
            {{ alias }}.{{ kolonne.name }}{{ "," if not loop.last }}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- A part of date `dato` as an integer: year, quarter, month or isodow (Monday = 1). -#}
{% macro dato_del(del, dato) %}
    {{- return(adapter.dispatch('dato_del', 'trialwh')(del, dato)) -}}
{% endmacro %}

{% macro default__dato_del(del, dato) -%}
    {{ del }}({{ dato }})
{%- endmacro %}

{% macro postgres__dato_del(del, dato) -%}
    extract({{ del }} from {{ dato }})::integer
{%- endmacro %}

{#-
    Every column of the select's `from` but `sidst`, then the columns `sidst`: DuckDB moves
    them to the end (`* exclude (...)`); PostgreSQL keeps the columns in their place.
-#}
{% macro med_kolonner_sidst(sidst) %}
    {{- return(adapter.dispatch('med_kolonner_sidst', 'trialwh')(sidst)) -}}
{% endmacro %}

{% macro default__med_kolonner_sidst(sidst) -%}
    * exclude (
        {{ sidst | join(',\n        ') }}
    ),
    {{ sidst | join(',\n    ') }}
{%- endmacro %}

{% macro postgres__med_kolonner_sidst(sidst) -%}
    *
{%- endmacro %}

{#-
    The running product of `faktor` over the rows of `partition_by` up to the current row in
    `order_by` order. PostgreSQL has no product aggregate: there it is exp(Σ ln), exact up to
    floating point rounding, and 0 from the first factor that is 0 (factors are >= 0).
-#}
{% macro kumulativt_produkt(faktor, partition_by, order_by) %}
    {{- return(adapter.dispatch('kumulativt_produkt', 'trialwh')(faktor, partition_by, order_by)) -}}
{% endmacro %}

{% macro default__kumulativt_produkt(faktor, partition_by, order_by) -%}
    product({{ faktor }}) over (
        partition by {{ partition_by }} order by {{ order_by }} rows between unbounded preceding and current row
    )
{%- endmacro %}

{% macro postgres__kumulativt_produkt(faktor, partition_by, order_by) -%}
    case
        when min({{ faktor }}) over (
            partition by {{ partition_by }} order by {{ order_by }} rows between unbounded preceding and current row
        ) <= 0 then 0.0
        else exp(sum(ln(nullif({{ faktor }}, 0))) over (
            partition by {{ partition_by }} order by {{ order_by }} rows between unbounded preceding and current row
        ))
    end
{%- endmacro %}

{#-
    `tal` as a floating point number where dividing by an integer must not truncate:
    DuckDB's `/` always divides exactly (unchanged here), PostgreSQL's truncates integers.
-#}
{% macro flydende(tal) %}
    {{- return(adapter.dispatch('flydende', 'trialwh')(tal)) -}}
{% endmacro %}

{% macro default__flydende(tal) -%}
    {{ tal }}
{%- endmacro %}

{% macro postgres__flydende(tal) -%}
    ({{ tal }})::double precision
{%- endmacro %}

{#- The whole numbers from `fra` to `til` (both included), one row each, as a select-list
    item; no row when `til` < `fra`. -#}
{% macro heltal_raekke(fra, til) %}
    {{- return(adapter.dispatch('heltal_raekke', 'trialwh')(fra, til)) -}}
{% endmacro %}

{% macro default__heltal_raekke(fra, til) -%}
    unnest(range({{ fra }}, {{ til }} + 1))
{%- endmacro %}

{% macro postgres__heltal_raekke(fra, til) -%}
    generate_series({{ fra }}, {{ til }})
{%- endmacro %}
