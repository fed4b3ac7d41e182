{#-
    The value of `parameter` in seed ressource_parametre (relation `parametre`) for a theme
    and target group: the row for the target group itself wins over the row with a blank
    maalgruppe (= every target group); a blank tema means every theme.
-#}
{% macro ressource_parameter(parametre, parameter, tema, maalgruppe) %}
    (
        select ressource_parameter_raekke.vaerdi
        from {{ parametre }} as ressource_parameter_raekke
        where
            ressource_parameter_raekke.parameter = '{{ parameter }}'
            and coalesce(ressource_parameter_raekke.tema, {{ tema }}) = {{ tema }}
            and coalesce(ressource_parameter_raekke.maalgruppe, {{ maalgruppe }}) = {{ maalgruppe }}
        order by
            ressource_parameter_raekke.maalgruppe is null,
            ressource_parameter_raekke.tema is null
        limit 1
    )
{% endmacro %}
