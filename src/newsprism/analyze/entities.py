"""Named entities: NER mentions, corrected by the gazetteer and the KB, grouped and canonicalized.

The NER model (spaCy) finds the mentions; this module fixes what a small model gets wrong in
this domain and adds what it misses:

1. trims possessives ("Bashar Al-Assad's") and drops non-entities ("Coronavirus");
2. relabels mentions the gazetteer knows as places ("Jabal al-Zawiya" tagged PERSON, "Idlib"
   tagged ORG, "Aleppo" tagged NORP); a town is trusted when it lies in a country the article
   names, or is large (see ``places.TRUSTED_POPULATION``);
3. scans capitalized phrases NER skipped for KB names (typos too: "Andalou Agency") and
   gazetteer places ("Binnish");
4. adds collective actors ("Syrian regime", "regime forces": :mod:`newsprism.analyze.actors`);
5. gives every mention a canonical name and a key (:mod:`newsprism.analyze.canonical`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsprism.analyze.actors import find_actors
from newsprism.analyze.canonical import EntityKB, group_orgs, group_people
from newsprism.analyze.gazetteer import DEMONYMS
from newsprism.analyze.kb import NOT_ENTITIES
from newsprism.analyze.model import Entity, Place
from newsprism.analyze.places import PlaceInfo, PlaceResolver, fold

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_WORD = r"(?:[A-Z][\w'\u2019\-]*|(?:al|el|ad|as|ash|an|ar)-[A-Z][\w'\u2019\-]*)"
_CANDIDATE = re.compile(rf"\b{_WORD}(?:\s+(?:(?:of|the|for|de|bin|ibn|al|el)\s+)?{_WORD})*")
_POSSESSIVE = re.compile(r"(?:['\u2019]s?|\s+)$")
_DESCRIPTORS = frozenset(DEMONYMS) | frozenset(
    ["arabic", "english", "french", "spanish", "german", "russian", "turkish", "persian", "farsi", "kurdish", "hebrew", "chinese", "urdu", "hindi", "portuguese", "italian"])
_INNER_POSSESSIVE = re.compile(r"['\u2019]s\s")
_MAX_CANDIDATE_WORDS = 5
# Capitalized only because they open a sentence or a title; never the start of a name.
_OPENERS = frozenset(
    ["the", "a", "an", "in", "on", "at", "but", "and", "or", "as", "after", "before", "when", "while", "if", "this", "that", "these", "those", "his", "her", "their", "its", "our", "we", "he", "she", "they", "it", "there", "however", "meanwhile", "for", "from", "with", "by", "of", "to"]
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A mention while entities are being built (offsets into the body)."""

    start: int
    end: int
    label: str
    place: PlaceInfo | None = None


@dataclass(frozen=True, slots=True)
class EntityResult:
    """Entities and the places among them, for one article."""

    entities: list[Entity]
    places: list[Place]


class EntityExtractor:
    """Builds entities from NER spans; owns the KB and the place resolver.

    Args:
        kb: people and organisations index.
        places: place resolver.
    """

    def __init__(self, kb: EntityKB, places: PlaceResolver) -> None:
        self.kb = kb
        self.places = places

    def extract(
        self, text: str, ner: Sequence[tuple[str, int, int]], sentence_of: Callable[[int], int],
        sentence_starts: frozenset[int] = frozenset(),
    ) -> EntityResult:
        """Entities and places of one article body.

        Args:
            text: the body.
            ner: ``(label, start, end)`` spans from the NER model.
            sentence_of: offset -> sentence index.
            sentence_starts: offsets where sentences start (a capital there proves nothing).
        """
        mentions = [m for m in (_trim(text, s, e, label) for label, s, e in ner if label in LABELS)
                    if m is not None]
        context = self._countries(text, mentions)
        mentions = [self._relabel(text, m, context, mentions) for m in mentions]
        mentions += self._scan(text, mentions, context, sentence_starts)
        actors = find_actors(text, self.kb, self.places)
        mentions = [m for m in mentions if not any(a.start <= m.start and m.end <= a.end
                                                    for a in actors)]
        mentions = _surnames_as_people(text, sorted(mentions, key=lambda m: m.start))
        entities = self._canonicalize(text, mentions, sentence_of)
        entities += [Entity(a.start, a.end, text[a.start:a.end], "ACTOR", a.canonical, a.key,
                            sentence_of(a.start)) for a in actors
                     if not any(m.start < a.end and a.start < m.end for m in mentions)]
        entities.sort(key=lambda e: (e.start, e.end))
        places = [Place(m.start, m.end, text[m.start:m.end], m.place.name, m.place.country,
                        m.place.country_name, m.place.latitude, m.place.longitude, m.place.kind,
                        sentence_of(m.start), m.place.geonameid)
                  for m in sorted(mentions, key=lambda m: m.start) if m.place is not None]
        return EntityResult(entities, places)

    def _countries(self, text: str, mentions: list[Mention]) -> frozenset[str]:
        """ISO codes of the countries the article names (by name or demonym)."""
        codes = set()
        for m in mentions:
            span = text[m.start:m.end]
            code = self.places.country_code(span) if m.label == "GPE" else None
            if m.label == "NORP":
                code = self.places.demonym_country(span)
            if code:
                codes.add(code)
        return frozenset(codes)

    def _relabel(self, text: str, m: Mention, context: frozenset[str],
                 mentions: list[Mention]) -> Mention:
        span = text[m.start:m.end]
        if m.label == "NORP" and self.places.demonym_country(span):
            return m
        if m.label == "ORG" and self.kb.org(span):
            return m
        if m.label == "PERSON" and self.kb.person(span):
            return m
        if m.label in ("PERSON", "NORP", "GPE") and self.kb.org(span, fuzzy=False):
            return Mention(m.start, m.end, "ORG")
        place = self.places.resolve(span, context)
        if place is None:
            return m
        if m.label in _PLACE_LABELS:
            label = m.label if m.label == "FAC" else "LOC" if place.kind == "region" else "GPE"
            return Mention(m.start, m.end, label, place)
        curated = place.geonameid is None
        if m.label == "PERSON" and not curated and (
            " " in span.strip() or _is_name_part(text, span, mentions)
        ):
            return m
        if curated or place.trusted:
            return Mention(m.start, m.end, "LOC" if place.kind == "region" else "GPE", place)
        return m

    def _scan(self, text: str, mentions: list[Mention], context: frozenset[str],
              sentence_starts: frozenset[int]) -> list[Mention]:
        """KB names and gazetteer places among capitalized phrases that NER skipped."""
        found: list[Mention] = []
        for cand in _CANDIDATE.finditer(text):
            if any(m.start < cand.end() and cand.start() < m.end for m in mentions):
                continue
            hit = self._lookup(text, cand.start(), cand.end(), context, sentence_starts)
            if hit is not None:
                found.append(hit)
        return found

    def _lookup(self, text: str, start: int, end: int, context: frozenset[str],
                sentence_starts: frozenset[int]) -> Mention | None:
        words = list(re.finditer(r"\S+", text[start:end]))[:_MAX_CANDIDATE_WORDS]
        while words and words[0].group().lower() in _OPENERS:
            words.pop(0)  # "The", "In", "But": capitalized because they open a sentence
        for size in range(len(words), 0, -1):  # longest sub-phrase first
            for i in range(len(words) - size + 1):
                s = start + words[i].start()
                e = _trim_end(text, s, start + words[i + size - 1].end())
                hit = self._known(text, s, e, context, initial=s in sentence_starts,
                                  fuzzy=size == len(words) and size > 1)
                if hit is not None:
                    return hit
        return None

    def _known(self, text: str, start: int, end: int, context: frozenset[str],
               initial: bool, fuzzy: bool) -> Mention | None:
        span = text[start:end]
        if not span or fold(span) in NOT_ENTITIES:
            return None
        if self.kb.org(span, fuzzy=fuzzy):
            return Mention(start, end, "ORG")
        if self.kb.person(span, fuzzy=fuzzy):
            return Mention(start, end, "PERSON")
        place = self.places.resolve(span, context)
        if place is None or (initial and " " not in span and place.geonameid is not None):
            return None
        if place.geonameid is None or place.kind == "country" or place.trusted:
            return Mention(start, end, "LOC" if place.kind == "region" else "GPE", place)
        return None

    def _canonicalize(self, text: str, mentions: list[Mention],
                      sentence_of: Callable[[int], int]) -> list[Entity]:
        people = [m for m in mentions if m.label == "PERSON"]
        orgs = [m for m in mentions if m.label == "ORG"]
        names: dict[int, tuple[str, str]] = {}
        for group, fn in ((people, group_people), (orgs, group_orgs)):
            for m, named in zip(group, fn([text[m.start:m.end] for m in group], self.kb)):
                names[m.start] = named
        out = []
        for m in mentions:
            span = text[m.start:m.end]
            canonical, key = names.get(m.start) or self._other_name(span, m)
            out.append(Entity(m.start, m.end, span, m.label, canonical, key, sentence_of(m.start)))
        return out

    def _other_name(self, span: str, m: Mention) -> tuple[str, str]:
        if m.place is not None:
            return m.place.name, f"place:{m.place.country}:{fold(m.place.name)}"
        if m.label == "NORP":
            code = self.places.demonym_country(span)
            if code:
                word = fold(span)
                if word not in DEMONYMS and word[:-1] in DEMONYMS:
                    word = word[:-1]
                return word.title(), f"norp:{code}"
        bare = span[4:] if span.lower().startswith("the ") else span
        return bare, f"{m.label.lower()}:{fold(bare)}"


def _surnames_as_people(text: str, mentions: list[Mention]) -> list[Mention]:
    """Surnames of people named in full become PERSON mentions wherever else they occur.

    NER often misses or mislabels the bare surname ("Vermeulen added", "Qureshi" as ORG).
    """
    surnames = set()
    for m in mentions:
        words = text[m.start:m.end].split()
        if m.label == "PERSON" and len(words) >= 2 and len(words[-1]) >= 3 and words[-1][0].isupper():
            surnames.add(words[-1])
    if not surnames:
        return mentions
    out = [Mention(m.start, m.end, "PERSON") if m.label != "PERSON" and m.place is None
           and text[m.start:m.end] in surnames else m for m in mentions]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in sorted(surnames)) + r")\b")
    for hit in pattern.finditer(text):
        if not any(m.start < hit.end() and hit.start() < m.end for m in out):
            out.append(Mention(hit.start(), hit.end(), "PERSON"))
    return sorted(out, key=lambda m: m.start)


def _is_name_part(text: str, span: str, mentions: list[Mention]) -> bool:
    """Whether a one-word PERSON mention is part of a longer person name in the article."""
    key = fold(span)
    return any(m.label == "PERSON" and key in fold(text[m.start:m.end]).split()
               and fold(text[m.start:m.end]) != key for m in mentions)


def _trim(text: str, start: int, end: int, label: str) -> Mention | None:
    """Drop possessives, edge punctuation and non-entities from a NER span.

    A possessive followed by a language or nationality ends it ("The New Arab's Arabic" is
    "The New Arab"); other possessives belong to the name ("Sam's Club").
    """
    inner = _INNER_POSSESSIVE.search(text, start, end)
    if inner and fold(text[inner.end():end]) in _DESCRIPTORS:
        end = inner.start()
    end = _trim_end(text, start, end)
    while start < end and not text[start].isalnum():
        start += 1
    if end <= start or fold(text[start:end]) in NOT_ENTITIES:
        return None
    return Mention(start, end, label)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start:
        m = _POSSESSIVE.search(text, start, end)
        if m and m.start() < end and m.end() == end and m.start() > start:
            end = m.start()
        elif not text[end - 1].isalnum() and text[end - 1] not in ".)":
            end -= 1
        else:
            break
    return end
