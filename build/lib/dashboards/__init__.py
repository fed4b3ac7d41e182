"""The Streamlit dashboard on the published snapshot (``trialwh serve``).

Layout:

* ``app.py`` — entry point: language, login, snapshot, sidebar filters, navigation;
* ``site.py`` — the page table; ``app_pages/*.py`` — one file per page (the folder is not
  called ``pages/``: next to an ``st.navigation`` entry point that name switches Streamlit's
  test harness to the old pages-folder mode);
* ``snapshot.py`` — read-only access to ``published/current.duckdb``; ``state.py`` —
  caching on the build id and the per-run :class:`~dashboards.state.PageContext`;
* ``queries.py`` (SQL over the marts), ``indicators.py`` (Wilson shares, Kaplan–Meier),
  ``effects.py`` (difference-in-differences), ``charts.py`` (plotly), ``tables.py``
  (suppression, Danish formats, CSV/Excel), ``sections.py`` (page building blocks),
  ``filters.py`` (sidebar ↔ URL), ``i18n.py`` (Danish/English words), ``auth.py`` (roles
  and hashed passwords in ``$TRIALWH_HOME/users.toml``), ``sql_guard.py`` (the SQL page's
  SELECT-only guard), ``serve.py`` (``trialwh serve``).
"""
