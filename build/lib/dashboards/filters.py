"""Sidebar filters mirrored in the URL, so a view can be shared by link.

URL parameters: ``tema`` (e.g. ``lae285``), ``kontrol`` (control group), ``fra`` and ``til``
(quarters, ``2018K1``; ISO dates are accepted too), ``kommune`` (code, e.g. ``851``),
``lang=en``. Values that do not exist in the data fall back to the defaults.
"""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from core.format import fmt_kvartal
from dashboards import queries
from dashboards.i18n import KONTROLGRUPPER, TEMAER, Lang, label, tr
from dashboards.snapshot import Snapshot
from dashboards.state import Filters, fetch

DEFAULT_TEMA = "lae285"
DEFAULT_KONTROL = "alle_oevrige"
DEFAULT_KOMMUNE = 851


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
    tema = params.get("tema") if params.get("tema") in queries.TEMAER else DEFAULT_TEMA
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
    if "f_tema" not in st.session_state:
        start = initial_values(
            dict(st.query_params.to_dict()),
            kontrolgrupper=kontrolgrupper,
            kvartaler=kvartaler,
            kommuner=koder,
        )
        st.session_state.update(
            f_tema=start.tema,
            f_kontrol=start.kontrolgruppe,
            f_fra=start.fra,
            f_til=start.til,
            f_kommune=start.kommune,
        )
    # A new snapshot may lack a value chosen earlier: fall back rather than fail.
    if st.session_state["f_kontrol"] not in kontrolgrupper:
        st.session_state["f_kontrol"] = kontrolgrupper[0]
    if st.session_state["f_kommune"] not in koder:
        st.session_state["f_kommune"] = koder[0]
    if st.session_state["f_fra"] not in kvartaler:
        st.session_state["f_fra"] = kvartaler[0]
    if st.session_state["f_til"] not in kvartaler:
        st.session_state["f_til"] = kvartaler[-1]

    side = st.sidebar
    tema = side.selectbox(
        tr(lang, "Tema", "Theme"),
        list(queries.TEMAER),
        key="f_tema",
        format_func=lambda code: label(TEMAER, code, lang),
    )
    kontrol = side.selectbox(
        tr(lang, "Kontrolgruppe", "Control group"),
        kontrolgrupper,
        key="f_kontrol",
        format_func=lambda code: label(KONTROLGRUPPER, code, lang),
    )
    left, right = side.columns(2)
    fra = left.selectbox(
        tr(lang, "Fra", "From"), kvartaler, key="f_fra", format_func=lambda d: fmt_kvartal(d, lang)
    )
    til = right.selectbox(
        tr(lang, "Til", "To"), kvartaler, key="f_til", format_func=lambda d: fmt_kvartal(d, lang)
    )
    if fra > til:
        fra, til = til, fra
    kommune = side.selectbox(
        tr(lang, "Kommune", "Municipality"),
        koder,
        key="f_kommune",
        format_func=lambda code: f"{navne.get(code, code)} ({code})",
    )
    chosen = Filters(tema=tema, kontrolgruppe=kontrol, fra=fra, til=til, kommune=kommune)
    st.query_params.from_dict(to_params(chosen, lang))
    return chosen
