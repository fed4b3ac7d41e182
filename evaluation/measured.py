"""What ``bench/bench_evaluation.py`` measured, and the sentences that quote it.

One place for these figures: the warning of :func:`evaluation.did.estimate`, the Effekt
page and the report read them from here (Danish first, English on request). The run: 400
replications per design, seeds 1001–1400 (the one-region design: 1400, seeds 1001–2400),
99 wild-bootstrap and 99 randomisation draws
(evaluation/README.md, "Measured", gives the whole table and how it was run). ``SIZE``
holds the share of true nulls rejected at the 5 % level (p ≤ 0.05), per design and
p-value.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["da", "en"]

SIZE: dict[str, dict[str, float]] = {
    "region": {  # 1400 replications, seeds 1001–2400
        "analytic": 247 / 1400,
        "wcr": 161 / 1400,
        "ri": 163 / 1400,
        "headline": 70 / 1400,
        "pretrend": 57 / 1400,
    },
    "random": {"pretrend": 0.055},
    "noisy": {"pretrend": 0.05},
}


def pct(share: float, lang: Lang = "da") -> str:
    """A measured share as a percentage with one decimal: ``5,8 %`` / ``5.8%``."""
    value = f"{share * 100:.1f}"
    return f"{value.replace('.', ',')} %" if lang == "da" else f"{value}%"


def regional_other_p_values(lang: Lang = "da") -> str:
    """The sentence on the p-values that do not see a shock to the treated region."""
    s = SIZE["region"]
    if lang == "da":
        return (
            "Den analytiske p-værdi, wild cluster bootstrap-p-værdien og den almindelige "
            "randomiserings-p-værdi ser ikke stødet i regionen og giver for mange fund: i "
            "simulationer med 11 forsøgskommuner i én region forkastede de "
            f"{pct(s['analytic'])}, {pct(s['wcr'])} og {pct(s['ri'])} af sande "
            f"nulhypoteser ved 5 %-niveau (hovedintervallets {pct(s['headline'])}). "
        )
    return (
        "The analytic, wild cluster bootstrap and plain randomisation p-values do not see "
        "the region's shock and find too much: in simulations with 11 trial "
        f"municipalities in one region they rejected {pct(s['analytic'], 'en')}, "
        f"{pct(s['wcr'], 'en')} and {pct(s['ri'], 'en')} of true nulls at the 5% level "
        f"(the headline {pct(s['headline'], 'en')}). "
    )


def pretrend_note(method: str, lang: Lang = "da") -> str:
    """How the pre-trend test works and how often it rejected true nulls in the bench;
    ``method`` is ``DidResult.pretrend_method`` (``"regional"`` or ``"randomisering"``)."""
    if method == "regional":
        size = pct(SIZE["region"]["pretrend"], lang)
        if lang == "da":
            return (
                "Testen bruger de sidste fire kvartaler før start og placebo-forsøg i de andre "
                "regioner, fordi alle forsøgskommuner ligger i samme region. I simulationer "
                f"med 11 forsøgskommuner i én region forkastede den {size} af sande "
                "nulhypoteser ved 5 %-niveau."
            )
        return (
            "The test uses the last four quarters before the start and placebo trials in the "
            "other regions, because all trial municipalities are in one region. In "
            f"simulations with 11 trial municipalities in one region it rejected {size} of "
            "true nulls at the 5% level."
        )
    random, noisy = (pct(SIZE[d]["pretrend"], lang) for d in ("random", "noisy"))
    if lang == "da":
        return (
            "Testen ser på gennemsnittet af de sidste fire kvartaler før start, divideret med "
            "dets standardfejl, og fordeler forsøgsstarterne om på kommunerne. I simulationer "
            f"med 11 forsøgskommuner forkastede den {random} af sande nulhypoteser ved "
            f"5 %-niveau, og {noisy}, når forsøgskommunerne havde mere støj end de andre: en "
            "lille p-værdi er et advarselstegn, ikke et bevis."
        )
    return (
        "The test looks at the average of the last four quarters before the start, divided "
        "by its standard error, and reassigns the trial starts across municipalities. In "
        f"simulations with 11 trial municipalities it rejected {random} of true nulls at the "
        f"5% level, and {noisy} when the trial municipalities were noisier than the others: "
        "a small p-value is a warning sign, not proof."
    )


def pretrend_report_text() -> str:
    """The report's description of the pre-trend test (Danish), with the measured sizes."""
    random, noisy, region = (pct(SIZE[d]["pretrend"]) for d in ("random", "noisy", "region"))
    return (
        "Før-trend-testen undersøger, om effekterne i de sidste fire kvartaler før start "
        "(−5 til −2) i gennemsnit er nul: gennemsnittet divideret med dets standardfejl "
        "sammenlignet med samme størrelse, når forsøgsstarterne fordeles om på kommunerne; når "
        "alle forsøgskommuner ligger i samme region, summen af de fire kvartalers kvadrerede "
        "t-værdier sammenlignet med placebo-forsøg i de andre regioner. En lille p-værdi er et "
        "advarselstegn om, at forsøgs- og kontrolkommuner ikke fulgte samme udvikling før "
        "forsøget, ikke et bevis: i simulationer med 11 forsøgskommuner og ingen forskel "
        f"forkastede testen {random} ved 5 %-niveau ({noisy}, når forsøgskommunerne havde "
        f"mere støj end de andre; {region} med placebo-regioner)."
    )
