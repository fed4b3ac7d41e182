{#-
    Kaplan–Meier quartiles of a duration per group, as a select statement.

    `relation` holds one row per forløb with `duration` (whole days, >= 0) and the
    boolean `event` (true = the end event was observed, false = censored: still open at
    the extract date). Per distinct time t: d = events at t, n = forløb with duration >= t,
    S(t) = product over times <= t of (1 - d / n). The q-quantile is the smallest t with
    S(t) <= 1 - q (the convention of lifelines' KaplanMeierFitter); NULL when the curve
    never gets that low (too many censored forløb). A tolerance of 1e-9 absorbs floating
    point error when S(t) is exactly 1 - q.
    Returns: group_by columns, km_n, km_haendelser, p25_dage, median_dage, p75_dage.
-#}
{% macro kaplan_meier_quartiles(relation, group_by, duration, event) %}
    {%- set groups = group_by | join(', ') %}
    select
        {{ groups }},
        sum(km_ud) as km_n,
        sum(km_haendelser) as km_haendelser,
        min(km_tid) filter (where km_overlevelse <= 0.75 + 1e-9) as p25_dage,
        min(km_tid) filter (where km_overlevelse <= 0.50 + 1e-9) as median_dage,
        min(km_tid) filter (where km_overlevelse <= 0.25 + 1e-9) as p75_dage
    from (
        select
            *,
            {{ kumulativt_produkt('1.0 - km_haendelser::double precision / km_risiko', groups, 'km_tid asc') }}
                as km_overlevelse
        from (
            select
                *,
                sum(km_ud) over (
                    partition by {{ groups }} order by km_tid desc rows between unbounded preceding and current row
                ) as km_risiko
            from (
                select
                    {{ groups }},
                    {{ duration }} as km_tid,
                    count(*) as km_ud,
                    count(*) filter (where {{ event }}) as km_haendelser
                from {{ relation }}
                where {{ duration }} >= 0
                group by {{ groups }}, {{ duration }}
            ) as km_times
        ) as km_at_risk
    ) as km_curve
    group by {{ groups }}
{% endmacro %}
