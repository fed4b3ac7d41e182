"""Streamlit's own screen texts in Danish.

Streamlit's frontend writes a few texts of its own in English and has no setting for its
language: the keyboard users' "Skip to main content" link, and the "Page not found" dialog
that opens when an address names no page of the app. The app cannot pass other words to
them, so the page's own script replaces them in the browser: a ``MutationObserver`` on the
document swaps each such text (``dashboards.i18n.STREAMLIT_TEKSTER``) for its Danish
wording as soon as Streamlit draws it, and back when the user switches to English.
"""

from __future__ import annotations

import json
import re

from dashboards.i18n import STREAMLIT_TEKSTER, Lang

# The JavaScript: one observer per browser tab (kept across reruns); every run sets the
# language it should write in.
_SCRIPT = """
(() => {
  const state = window.__trialwhTekster || (window.__trialwhTekster = {});
  state.lang = LANG;
  state.pairs = PAIRS.map(([pattern, en, da]) => [new RegExp("^" + pattern + "$"), en, da]);
  const swap = (text) => {
    const trimmed = text.trim();
    if (state.lang === "da") {
      for (const [pattern, _en, da] of state.pairs) {
        if (pattern.test(trimmed)) return trimmed.replace(pattern, da);
      }
    }
    if (state.lang !== "da" && state.original && state.original.has(trimmed)) {
      return state.original.get(trimmed);
    }
    return null;
  };
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType !== Node.TEXT_NODE || !node.data.trim()) continue;
      const replaced = swap(node.data);
      if (replaced !== null && replaced !== node.data.trim()) {
        // Remember Streamlit's own text only for a Danish replacement: recording the way
        // back too would swap the two texts forever.
        if (state.lang === "da") state.original.set(replaced, node.data.trim());
        node.data = replaced;
      }
    }
  };
  state.original = state.original || new Map();
  if (!state.observer) {
    state.observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "characterData") visit(record.target);
        for (const added of record.addedNodes) visit(added);
      }
    });
    state.observer.observe(document.body, {
      childList: true, subtree: true, characterData: true,
    });
  }
  visit(document.body);
})();
"""


def _pattern(text: str) -> str:
    """A JavaScript regular expression for ``text`` (``{side}`` matches a path)."""
    return re.escape(text).replace(re.escape("{side}"), "(.*)")


def _replacement(text: str) -> str:
    return text.replace("$", "$$").replace("{side}", "$1")


def script(lang: Lang) -> str:
    """The ``<script>`` that writes Streamlit's texts in ``lang`` (Danish: translated)."""
    pairs = [[_pattern(en), en, _replacement(da)] for en, da in STREAMLIT_TEKSTER.items()]
    body = _SCRIPT.replace("LANG", json.dumps(lang)).replace("PAIRS", json.dumps(pairs))
    return f"<script>{body}</script>"
