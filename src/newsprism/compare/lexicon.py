"""Small word lists for framing: events a headline can foreground, loaded and evaluative terms.

The event words are written for newsprism; the loaded terms are not written by hand (see
:data:`LOADED_TERMS_FILE`). Entries are plain words or phrases;
:func:`stem` folds inflections so "loots", "looted" and "looting" meet, and phrases match word by
word on stems. Keep entries lower case; a hyphen counts as a word break ("war-torn" = "war torn").
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

#: Kinds of event a headline can put first, with words that evoke them (matched on stems).
EVENT_WORDS: Mapping[str, str] = {
    "bombing": "bomb, bombing, bombard, bombardment, airstrike, air strike, shell, shelling, "
    "rocket, missile, artillery, aerial, air raid, drone, barrel bomb, mortar, warplane",
    "fighting": "attack, assault, offensive, fighting, fight, clash, battle, combat, gunfire, "
    "firefight, ambush, incursion",
    "looting": "loot, looter, plunder, pillage, steal, stole, stolen, theft, ransack, rob, robbery",
    "killing": "kill, killing, dead, death, die, toll, casualty, fatality, massacre, slaughter, "
    "died, execute, murder, bodies",
    "displacement": "displace, displacement, refugee, flee, fled, evacuate, evacuation, exodus, "
    "homeless",
    "ceasefire": "ceasefire, cease fire, truce, armistice, de-escalation",
    "diplomacy": "deal, agreement, accord, talks, negotiation, summit, meeting, met, phone call, "
    "envoy, diplomat, treaty, sanction",
    "capture": "capture, recapture, seize, seizure, advance, retake, overrun",
    "protest": "protest, protester, demonstration, demonstrator, rally, riot",
    "arrest": "arrest, detain, detention, custody, jail, prison, trial, convict",
    "election": "election, vote, voter, ballot, poll, referendum, candidate",
    "disease": "coronavirus, covid, virus, pandemic, epidemic, outbreak, infect, infection, "
    "quarantine, vaccine",
    "disaster": "earthquake, quake, flood, storm, hurricane, typhoon, cyclone, wildfire, tsunami, "
    "landslide, drought, eruption",
    "economy": "economy, economic, market, inflation, price, trade, tariff, budget, tax, recession",
    "aid": "aid, humanitarian, relief, donation, food, shelter",
}

#: The loaded-terms lexicon: VADER's strongly valenced words and words BASIL's annotators marked
#: as lexical bias, fitted and scored by ``benchmarks/framing.py`` (held-out BASIL events); the
#: file records its provenance and the settings chosen. Word -> ``negative`` / ``positive``.
LOADED_TERMS_FILE = Path(__file__).resolve().parent.parent / "data" / "models" / "loaded_terms.json"
#: VADER 3.3.2's single-word entries (MIT licence, ``LICENSE-vader.txt`` beside it).
VADER_FILE = LOADED_TERMS_FILE.parent / "lexicons" / "vader_words.tsv"


def word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(words.split())


#: Words that carry no content in a headline.
HEADLINE_STOP = word_set(
    "a an the and or but of in on at to for from by with as is are was were be been has have had "
    "it its this that these those after before over under into amid about against says said new "
    "more than up out not no will would could can may might do does did his her their our they he "
    "she we you i us them who what why how when where which while"
)
#: Words that carry no content when two sentences are compared word by word.
CONTENT_STOP = word_set(
    "a an the and or but of in on at to for from by with as is are was were be been has have had "
    "it its this that these those their they he she his her who which when while after before "
    "than then there into over under about said says say told"
)
#: Number words (masked like digits when sentences are compared around their figures).
NUMBER_WORDS = word_set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion trillion dozen dozens hundreds thousands millions billions"
)


def stem(word: str) -> str:
    """A crude English stem: enough to join "loot", "loots", "looted" and "looting"."""
    w = word.lower().replace("’", "'")
    w = w.removesuffix("'s")
    for suffix, keep in (("ies", 4), ("ing", 5), ("ed", 4), ("es", 4), ("s", 3)):
        if w.endswith(suffix) and len(w) >= keep + len(suffix) - 1:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                break
            w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
            if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # "stopped" -> "stop"; "shelled" keeps "shell"
            break
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def stems(text: str) -> list[str]:
    """Stems of the words of ``text`` (hyphens and punctuation split words)."""
    return [stem(w) for w in _WORD.findall(text.lower().replace("’", "'"))]


def _entries(words: str) -> list[str]:
    return [w.strip() for w in words.split(",") if w.strip()]


def fold_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` (hyphens and punctuation split words)."""
    return _WORD.findall(text.lower().replace("’", "'"))


@lru_cache(maxsize=1)
def event_stems() -> Mapping[str, frozenset[tuple[str, ...]]]:
    """Event kind -> the stem sequences that evoke it."""
    return {
        kind: frozenset(tuple(stems(e)) for e in _entries(words) if stems(e))
        for kind, words in EVENT_WORDS.items()
    }


@lru_cache(maxsize=1)
def loaded_phrases() -> Mapping[tuple[str, ...], tuple[str, str]]:
    """Folded word sequence -> (term as listed, category), for every loaded term (read once from
    :data:`LOADED_TERMS_FILE`)."""
    terms = json.loads(LOADED_TERMS_FILE.read_text(encoding="utf-8"))["terms"]
    table: dict[tuple[str, ...], tuple[str, str]] = {}
    for entry, category in terms.items():
        key = tuple(fold_words(entry))
        if key:
            table.setdefault(key, (entry, category))
    return table
