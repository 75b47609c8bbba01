"""Collective actors that NER does not tag: "Syrian regime", "regime forces", "Iran-backed fighters".

A state actor is a country (by demonym, name or leader: "Syrian", "Syria's", "Assad") before a
state noun ("regime", "government", "army", "forces" ...). A bare "regime" / "regime forces"
is the article's dominant regime: the country most often called a regime in it. All mentions
of one state share the key ``actor:<ISO>:state``; the canonical name is "<Demonym> regime" when
the article calls it a regime, else "<Demonym> government" (the state with its forces).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsprism.analyze.canonical import EntityKB
from newsprism.analyze.gazetteer import DEMONYMS
from newsprism.analyze.places import PlaceResolver

_STATE_NOUN = r"(?:regime|government|army|military|forces|troops|soldiers|authorities)"
_STATE = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<who>[A-Z][\w\-]*(?:\s+al-[A-Z]\w+)?)(?:['\u2019]s?)?\s+"
    rf"(?P<heads>(?:(?:regime|government|armed|security)\s+)*{_STATE_NOUN})\b"
)
_BARE_REGIME = re.compile(
    r"\b(?:[Tt]he\s+)?[Rr]egime(?:\s+(?:forces|army|troops|soldiers|militias|reinforcements))?\b"
)
_BACKED = re.compile(
    r"\b(?P<who>[A-Z][a-z]+)-backed\s+(?:[a-z]+\s+){0,2}?"
    r"(?P<head>fighters?|militias?|militants?|groups?|forces|rebels?|proxies)\b"
)
_OPPOSITION = re.compile(
    r"\b(?:[Tt]he\s+)?(?:armed\s+)?(?:opposition|rebels?)(?:\s+(?:groups?|fighters?|forces|"
    r"factions?|militants?))?\b"
)
_DEMONYM_OF: dict[str, str] = {}
for _word, _code in DEMONYMS.items():
    _DEMONYM_OF.setdefault(_code, _word.title())


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One actor mention before sentence numbers are attached."""

    start: int
    end: int
    key: str
    canonical: str


def find_actors(text: str, kb: EntityKB, places: PlaceResolver) -> list[ActorMention]:
    """Collective actors in ``text`` with offsets, stable keys and canonical names.

    Returns:
        Mentions in text order, none overlapping.
    """
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, str]] = []  # start, end, code or marker, head kind
    for m in _BACKED.finditer(text):
        code = _country_of(m.group("who"), kb, places)
        if code:
            found.append((m.start(), m.end(), f"backed:{code}", "backed"))
            taken.append((m.start(), m.end()))
    for m in _STATE.finditer(text):
        code = _country_of(m.group("who"), kb, places)
        if code and not _overlaps(m.start(), m.end(), taken):
            kind = "regime" if "regime" in m.group("heads") else "state"
            found.append((m.start(), m.end(), code, kind))
            taken.append((m.start(), m.end()))
    regime = _dominant_regime(found)
    for pattern, kind in ((_BARE_REGIME, "bare-regime"), (_OPPOSITION, "opposition")):
        for m in pattern.finditer(text):
            if not _overlaps(m.start(), m.end(), taken):
                found.append((m.start(), m.end(), regime or "", kind))
                taken.append((m.start(), m.end()))
    mentions = []
    for start, end, code, kind in sorted(found):
        if text[start:start + 4].lower() == "the ":
            start += 4
        mentions.append(_mention(start, end, code, kind, found, places))
    return mentions


def _mention(start: int, end: int, code: str, kind: str,
             found: list[tuple[int, int, str, str]], places: PlaceResolver) -> ActorMention:
    if kind == "backed":
        country = code.split(":", 1)[1]
        name = places.country_name(country) or country
        return ActorMention(start, end, f"actor:{country}:backed", f"{name}-backed forces")
    if kind == "opposition":
        demonym = _DEMONYM_OF.get(code, "")
        key = f"actor:{code}:opposition" if code else "actor:opposition"
        return ActorMention(start, end, key, f"{demonym} opposition".strip())
    if not code:
        return ActorMention(start, end, "actor:regime", "regime")
    called_regime = any(c == code and k in ("regime", "bare-regime") for _, _, c, k in found)
    noun = "regime" if called_regime else "government"
    demonym = _DEMONYM_OF.get(code) or places.country_name(code)
    return ActorMention(start, end, f"actor:{code}:state", f"{demonym} {noun}")


def _country_of(word: str, kb: EntityKB, places: PlaceResolver) -> str | None:
    """ISO code of a demonym, country name, or leader surname."""
    code = places.demonym_country(word) or places.country_code(word)
    if code:
        return code
    person = kb.person(word)
    return kb.country.get(person) if person else None


def _dominant_regime(found: list[tuple[int, int, str, str]]) -> str | None:
    counts = Counter(code for _, _, code, kind in found if kind == "regime")
    if not counts:
        counts = Counter(code for _, _, code, kind in found if kind == "state")
        if len(counts) != 1:  # a bare "regime" among several states is unresolved
            return None
    return counts.most_common(1)[0][0]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)
