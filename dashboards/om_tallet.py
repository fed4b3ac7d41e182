"""«Om tallet»: the definition of an indicator (seed ``indikatorer``) under the figure that
shows it, in the chosen language. Every page uses this one helper, so the expander's label
names the indicator and its body is the seed's definition, word for word."""

from __future__ import annotations

import streamlit as st

from core import vocabulary
from dashboards.i18n import Lang, tr


def label(indikator: vocabulary.Indikator, lang: Lang) -> str:
    """The expander's label: «Om tallet: <the indicator's name>»."""
    return f"{tr(lang, 'Om tallet', 'About the figure')}: {indikator.navn(lang)}"


def om_tallet(lang: Lang, *indikatorer: str | vocabulary.Indikator) -> None:
    """One «Om tallet» expander per indicator (a code of seed ``indikatorer`` or the row)."""
    for item in indikatorer:
        ind = item if isinstance(item, vocabulary.Indikator) else vocabulary.indikator(item)
        with st.expander(label(ind, lang)):
            st.markdown(ind.definition(lang))
            kilde = f"{ind.kilde} (`{ind.mart}.{ind.kolonne}`)"
            st.caption(tr(lang, "Kilde: ", "Source: ") + kilde)
