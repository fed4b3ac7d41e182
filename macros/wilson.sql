{#-
    Wilson score interval for a proportion successes / n (default 95 %: z = 1.959963984540054,
    the normal quantile statsmodels' proportion_confint uses). NULL when n = 0.
-#}
{% macro wilson_lower(successes, n, z=1.959963984540054) %}
    {%- set successes = flydende(successes) %}
    case
        when {{ n }} > 0
            then (
                ({{ successes }}) / ({{ n }}) + {{ z }} ^ 2 / (2 * ({{ n }}))
                - {{ z }} * sqrt(
                    ({{ successes }}) / ({{ n }}) * (1 - ({{ successes }}) / ({{ n }})) / ({{ n }})
                    + {{ z }} ^ 2 / (4 * ({{ n }}) ^ 2)
                )
            ) / (1 + {{ z }} ^ 2 / ({{ n }}))
    end
{% endmacro %}

{% macro wilson_upper(successes, n, z=1.959963984540054) %}
    {%- set successes = flydende(successes) %}
    case
        when {{ n }} > 0
            then (
                ({{ successes }}) / ({{ n }}) + {{ z }} ^ 2 / (2 * ({{ n }}))
                + {{ z }} * sqrt(
                    ({{ successes }}) / ({{ n }}) * (1 - ({{ successes }}) / ({{ n }})) / ({{ n }})
                    + {{ z }} ^ 2 / (4 * ({{ n }}) ^ 2)
                )
            ) / (1 + {{ z }} ^ 2 / ({{ n }}))
    end
{% endmacro %}
