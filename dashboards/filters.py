"""Sidebar filters mirrored in the URL, so a view can be shared by link.

URL parameters: ``tema`` (a theme code of the vocabulary; default its first theme),
``kontrol`` (control group), ``fra`` and ``til``
(quarters, ``2018K1``; ISO dates are accepted too), ``kommune`` (code, e.g. ``851``),
``lang=en``. Values that do not exist in the data fall back to the defaults.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import streamlit as st

from core.format import fmt_kvartal
from dashboards import queries
from dashboards.i18n import KONTROLGRUPPER, TEMAER, Lang, label, tr
from dashboards.precomputed import DEFAULT_KONTROL
from dashboards.snapshot import Snapshot
from dashboards.state import Filters, fetch

DEFAULT_KOMMUNE = 851


# Session-state keys of the filter values (independent of any widget) and of the widgets
# that show them.
STATE = {
    "tema": "filter_tema",
    "kontrol": "filter_kontrol",
    "fra": "filter_fra",
    "til": "filter_til",
    "kommune": "filter_kommune",
}
WIDGET = {name: f"f_{name}" for name in STATE}


def _store(name: str) -> None:
    st.session_state[STATE[name]] = st.session_state[WIDGET[name]]


def _bound(name: str, lang: Lang) -> dict[str, Any]:
    """Keyword arguments tying a widget to the filter value ``name`` (and a placeholder in
    the user's language instead of Streamlit's "Choose an option")."""
    return {
        "key": WIDGET[name],
        "on_change": _store,
        "args": (name,),
        "placeholder": tr(lang, "Vælg", "Choose"),
    }


def _keep_within(name: str, allowed: list[Any], fallback: Any) -> None:
    if st.session_state[STATE[name]] not in allowed:
        st.session_state[STATE[name]] = fallback


class NoData(RuntimeError):
    """The snapshot has no municipalities, quarters or control groups to choose from."""


def parse_kvartal(text: str | None) -> dt.date | None:
    """``2018K1``/``2018Q1``/``2018-01-01`` → first day of that quarter; None if unreadable."""
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})[KkQq]([1-4])", text.strip())
    if match:
        return dt.date(int(match[1]), 3 * int(match[2]) - 2, 1)
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def kvartal_param(day: dt.date) -> str:
    return fmt_kvartal(day, "da")


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def initial_values(
    params: dict[str, str],
    *,
    kontrolgrupper: list[str],
    kvartaler: list[dt.date],
    kommuner: list[int],
) -> Filters:
    """Filters from URL parameters, each checked against what exists, with defaults."""
    temaer = queries.temaer()
    tema = params.get("tema") if params.get("tema") in temaer else temaer[0]
    kontrol = params.get("kontrol")
    if kontrol not in kontrolgrupper:
        kontrol = DEFAULT_KONTROL if DEFAULT_KONTROL in kontrolgrupper else kontrolgrupper[0]
    fra = parse_kvartal(params.get("fra"))
    til = parse_kvartal(params.get("til"))
    fra = fra if fra in kvartaler else kvartaler[0]
    til = til if til in kvartaler else kvartaler[-1]
    if fra > til:
        fra, til = til, fra
    kommune = _int_or_none(params.get("kommune"))
    if kommune not in kommuner:
        kommune = DEFAULT_KOMMUNE if DEFAULT_KOMMUNE in kommuner else kommuner[0]
    return Filters(tema=tema, kontrolgruppe=kontrol, fra=fra, til=til, kommune=kommune)


def kommune_label(
    code: int, navne: dict[int, str], roller: dict[int, str], med_data: set[int], lang: Lang
) -> str:
    """``Aalborg (851) · forsøgskommune``; ``· ingen data`` for a municipality without figures
    for the theme's headline indicator."""
    parts = [f"{navne.get(code, code)} ({code})"]
    rolle = roller.get(code)
    if rolle == "forsoeg":
        parts.append(tr(lang, "forsøgskommune", "trial municipality"))
    elif rolle == "kontrol":
        parts.append(tr(lang, "kontrolgruppe", "control group"))
    if code not in med_data:
        parts.append(tr(lang, "ingen data", "no data"))
    return " · ".join(parts)


def to_params(filters: Filters, lang: Lang) -> dict[str, str]:
    params = {
        "tema": filters.tema,
        "kontrol": filters.kontrolgruppe,
        "fra": kvartal_param(filters.fra),
        "til": kvartal_param(filters.til),
        "kommune": str(filters.kommune),
    }
    if lang == "en":
        params["lang"] = "en"
    return params


def sidebar(snap: Snapshot, lang: Lang) -> Filters:
    """Draw the filters in the sidebar (first run: from the URL) and write them to the URL."""
    kontrolgrupper = fetch(snap, queries.kontrolgrupper)
    kvartaler = fetch(snap, queries.kvartaler)
    kommune_frame = fetch(snap, queries.kommuner)
    koder = kommune_frame["kommunekode"].to_list()
    if not (kontrolgrupper and kvartaler and koder):
        raise NoData("no municipalities, quarters or control groups in the marts")
    navne = dict(zip(koder, kommune_frame["kommunenavn"].to_list(), strict=True))
    if not all(key in st.session_state for key in STATE.values()):
        start = initial_values(
            dict(st.query_params.to_dict()),
            kontrolgrupper=kontrolgrupper,
            kvartaler=kvartaler,
            kommuner=koder,
        )
        st.session_state.update(
            {
                STATE["tema"]: start.tema,
                STATE["kontrol"]: start.kontrolgruppe,
                STATE["fra"]: start.fra,
                STATE["til"]: start.til,
                STATE["kommune"]: start.kommune,
            }
        )
    # A new snapshot may lack a value chosen earlier: fall back rather than fail.
    _keep_within("kontrol", kontrolgrupper, kontrolgrupper[0])
    _keep_within("kommune", koder, koder[0])
    _keep_within("fra", kvartaler, kvartaler[0])
    _keep_within("til", kvartaler, kvartaler[-1])
    _keep_within("tema", list(queries.temaer()), queries.temaer()[0])
    # The widgets show the filter state; they never own it. A widget whose label changes
    # (the language switch) is a new widget to Streamlit and would start from its first
    # option, so every run hands it the current value, and its callback writes a user's
    # choice back.
    for name in STATE:
        st.session_state[WIDGET[name]] = st.session_state[STATE[name]]

    side = st.sidebar
    tema = side.selectbox(
        tr(lang, "Tema", "Theme"),
        list(queries.temaer()),
        format_func=lambda code: label(TEMAER, code, lang),
        **_bound("tema", lang),
    )
    kontrol = side.selectbox(
        tr(lang, "Kontrolgruppe", "Control group"),
        kontrolgrupper,
        format_func=lambda code: label(KONTROLGRUPPER, code, lang),
        **_bound("kontrol", lang),
    )
    left, right = side.columns(2)
    fra = left.selectbox(
        tr(lang, "Fra", "From"),
        kvartaler,
        format_func=lambda d: fmt_kvartal(d, lang),
        **_bound("fra", lang),
    )
    til = right.selectbox(
        tr(lang, "Til", "To"),
        kvartaler,
        format_func=lambda d: fmt_kvartal(d, lang),
        **_bound("til", lang),
    )
    if fra > til:
        side.warning(
            tr(
                lang,
                f"«Fra» ligger efter «Til»; perioden er vendt om til "
                f"{fmt_kvartal(til, lang)}–{fmt_kvartal(fra, lang)}.",
                f"'From' is after 'To'; the period has been turned round to "
                f"{fmt_kvartal(til, lang)}–{fmt_kvartal(fra, lang)}.",
            )
        )
        fra, til = til, fra
    roller = dict(
        fetch(snap, queries.grupper, tema, kontrol).select("kommunekode", "gruppe").iter_rows()
    )
    med_data = set(fetch(snap, queries.kommuner_med_data, tema))
    kommune = side.selectbox(
        tr(lang, "Kommune", "Municipality"),
        koder,
        format_func=lambda code: kommune_label(code, navne, roller, med_data, lang),
        **_bound("kommune", lang),
    )
    chosen = Filters(tema=tema, kontrolgruppe=kontrol, fra=fra, til=til, kommune=kommune)
    st.query_params.from_dict(to_params(chosen, lang))
    return chosen
