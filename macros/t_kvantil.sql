{#-
    The 97.5 % quantile of Student's t distribution with `df` degrees of freedom (the
    multiplier of a two-sided 95 % interval for a mean). Exact table values for df 1–5;
    from df 6 the Cornish–Fisher expansion around z = 1.959964 (Abramowitz & Stegun
    26.7.5), within 0.001 of the exact quantile (checked against scipy in the tests).
    NULL when df < 1.
-#}
{% macro t_kvantil_975(df) %}
    case
        when {{ df }} < 1 then null
        when {{ df }} = 1 then 12.706205
        when {{ df }} = 2 then 4.302653
        when {{ df }} = 3 then 3.182446
        when {{ df }} = 4 then 2.776445
        when {{ df }} = 5 then 2.570582
        else
            1.959964
            + (pow(1.959964, 3) + 1.959964) / (4.0 * {{ df }})
            + (5 * pow(1.959964, 5) + 16 * pow(1.959964, 3) + 3 * 1.959964) / (96.0 * pow({{ df }}, 2))
            + (3 * pow(1.959964, 7) + 19 * pow(1.959964, 5) + 17 * pow(1.959964, 3) - 15 * 1.959964)
            / (384.0 * pow({{ df }}, 3))
            + (
                79 * pow(1.959964, 9) + 776 * pow(1.959964, 7) + 1482 * pow(1.959964, 5)
                - 1920 * pow(1.959964, 3) - 945 * 1.959964
            )
            / (92160.0 * pow({{ df }}, 4))
    end
{% endmacro %}
