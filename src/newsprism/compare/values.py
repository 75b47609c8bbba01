"""When two stated values can both be true: figures, times, places and actors of aligned claims.

Each value becomes a range and two values conflict only when their ranges cannot meet:

* a figure's range follows its hedge (``over 1,800`` is [1800, inf), ``nearly two million`` is
  [1.7M, 2M], an exact figure allows 1% rounding); vague figures ("millions") never conflict;
* a time is the inclusive day range it covers ("last month" on 2 April 2020 is all of March,
  so "5 March" lies inside it);
* places within :data:`NEAR_KM` of each other agree (a town and the province named after its
  capital; two spellings resolved to one place); countries are left out (a city and its country
  are not two versions);
* actors compare by the analysis' identity key, which already joins "Iran-backed fighters" and
  "Iranian-backed militias".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from newsprism.analyze.model import Entity, Figure, Place, TimeExpression
from newsprism.compare.lexicon import fold_words, stem

if TYPE_CHECKING:
    from newsprism.compare.facts import Claim

#: Places closer than this agree. A province and its capital city sit at one point in the
#: gazetteer, and towns a district apart are usually one front line (Saraqeb is 16 km from Idlib);
#: two different cities named as the scene (Idlib / Hama, 100 km) conflict.
NEAR_KM = 60.0
#: Relative widths of hedged figures: "about 100" is 85-115, "nearly 100" is 85-100.
ABOUT = 0.15
ROUNDING = 0.01
#: Counted nouns that mean "people in general" and so match a more specific group.
GENERIC_PEOPLE = frozenset({"people", "person", "persons", "individual", "others", "other"})
#: The first actor must start in this leading share of a sentence to count as its subject.
SUBJECT_SHARE = 0.5
#: Content words two sentences must share before :func:`content_overlap` counts at all.
MIN_SHARED_WORDS = 4
NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "dozen",
        "dozens",
        "hundreds",
        "thousands",
        "millions",
    ]
)
_ACTOR_CONFLICT_LABELS = frozenset({"PERSON", "ACTOR", "NORP"})
_SKIP_TIME_MODIFIERS = frozenset({"duration", "since", "until"})
# A reporting verb, up to four words (its object), then the time: "said on", "told Reuters on".
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told|tells|reported|announced|added|stated|confirmed|wrote|tweeted|warned)"
    r"(?:\s+[\w’'.-]+){0,4}?\s+(?:on|late|early|last|this)?\s*$",
    re.IGNORECASE,
)


def describe_figure(f: Figure) -> dict[str, Any]:
    """Short plain-JSON form of a figure."""
    return {
        "text": f.text,
        "value": f.value,
        "bound": f.bound,
        "counted": f.counted,
        "event": f.event,
        "unit": f.unit,
        "vague": f.vague,
    }


def figure_range(f: Figure) -> tuple[float, float]:
    """The values a figure allows, as a closed range."""
    v = f.value
    if f.value_high is not None:
        return (v * (1 - ROUNDING), f.value_high * (1 + ROUNDING))
    if f.bound in ("over", "at_least"):
        return (v, math.inf)
    if f.bound in ("under", "up_to"):
        return (0.0, v)
    if f.bound == "nearly":
        return (v * (1 - ABOUT), v)
    if f.bound == "about":
        return (v * (1 - ABOUT), v * (1 + ABOUT))
    return (v * (1 - ROUNDING), v * (1 + ROUNDING))


def _meet(a: tuple[Any, Any], b: tuple[Any, Any]) -> bool:
    return bool(a[0] <= b[1] and b[0] <= a[1])


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_PEOPLE)


def _counted(f: Figure) -> str | None:
    return stem(f.counted) if f.counted else None


def same_quantity(fa: Figure, fb: Figure) -> bool:
    """Whether two figures count the same thing: same unit, and the same event or counted noun
    (a generic "people" matches a specific group when the events agree), never contradicting."""
    if fa.vague or fb.vague or fa.unit != fb.unit:
        return False
    if fa.event and fb.event and fa.event != fb.event:
        return False
    ca, cb = _counted(fa), _counted(fb)
    same_event = bool(fa.event and fa.event == fb.event)
    if ca and cb and ca != cb:
        generic = ca in _GENERIC_STEMS or cb in _GENERIC_STEMS
        return same_event and generic
    if fa.unit is not None:
        return bool(same_event or (ca and ca == cb) or (fa.event is None and fb.event is None))
    return same_event or bool(ca and ca == cb)


def _what(f: Figure, g: Figure) -> str:
    noun = f.counted or g.counted or f.unit or "figure"
    event = f.event or g.event
    return f"{noun} {event}" if event else noun


def quantity_conflicts(a: Sequence[Figure], b: Sequence[Figure]) -> list[tuple[str, str, str]]:
    """``(what, value_a, value_b)`` for each figure of ``a`` that every same-quantity figure of
    ``b`` contradicts (one entry per figure of ``a``)."""
    out = []
    for fa in a:
        rivals = [fb for fb in b if same_quantity(fa, fb)]
        if rivals and not any(_meet(figure_range(fa), figure_range(fb)) for fb in rivals):
            out.append((_what(fa, rivals[0]), fa.text, rivals[0].text))
    return out


def _dated(times: Iterable[TimeExpression], claim: Claim | None = None) -> list[TimeExpression]:
    """Times that date an event: not durations or open ranges, and not the day something was
    said ("told Reuters on Wednesday" dates the telling, not the flood)."""
    out = []
    for t in times:
        if t.modifier in _SKIP_TIME_MODIFIERS:
            continue
        if claim is not None and _SAID_BEFORE.search(claim.text[: max(0, t.start - claim.start)]):
            continue
        out.append(t)
    return out


def dates_conflict(a: Claim, b: Claim) -> bool:
    """Both sentences date an event and no time of one overlaps any time of the other.

    The same words agree whatever they resolved to: copy published on two days turns one
    "tonight" or "yesterday" into two dates.
    """
    da, db = _dated(a.times, a), _dated(b.times, b)
    if not da or not db:
        return False
    return not any(
        x.text.casefold() == y.text.casefold()
        or _meet((x.first_day, x.last_day), (y.first_day, y.last_day))
        for x in da
        for y in db
    )


def distance_km(p: Place, q: Place) -> float:
    """Great-circle distance between two places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (p.latitude, p.longitude, q.latitude, q.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _local(places: Iterable[Place]) -> list[Place]:
    return [p for p in places if p.kind != "country"]


def places_conflict(a: Sequence[Place], b: Sequence[Place]) -> bool:
    """Both sentences name towns or regions and none of A's is the same as or near one of B's."""
    la, lb = _local(a), _local(b)
    if not la or not lb:
        return False
    for p in la:
        for q in lb:
            if p.name == q.name or (p.geonameid and p.geonameid == q.geonameid):
                return False
            if distance_km(p, q) < NEAR_KM:
                return False
    return True


def subject(claim: Claim) -> Entity | None:
    """The first person or party named in the leading part of the sentence, if any."""
    limit = claim.start + SUBJECT_SHARE * (claim.end - claim.start)
    for e in sorted(claim.actors, key=lambda e: e.start):
        if e.start > limit:
            return None
        if e.label in _ACTOR_CONFLICT_LABELS:
            return e
    return None


def _party(e: Entity) -> str:
    """Identity of an actor: NORP "Russian" and the ACTOR "Russian forces" are one party."""
    parts = e.key.split(":")
    if e.label in ("NORP", "ACTOR") and len(parts) >= 2 and len(parts[1]) == 2:
        return f"{parts[1]}:{parts[2] if len(parts) > 2 and e.label == 'ACTOR' else 'state'}"
    return e.key


def actors_conflict(a: Claim, b: Claim) -> tuple[str, str] | None:
    """``(actor_a, actor_b)`` when the subjects are different parties of one kind and neither
    is named anywhere in the other sentence; else None."""
    sa, sb = subject(a), subject(b)
    if sa is None or sb is None:
        return None
    if (sa.label == "PERSON") != (sb.label == "PERSON"):
        return None
    pa, pb = _party(sa), _party(sb)
    if pa == pb or pa in {_party(e) for e in b.actors} or pb in {_party(e) for e in a.actors}:
        return None
    return sa.text, sb.text


_CONTENT_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "their",
        "they",
        "he",
        "she",
        "his",
        "her",
        "who",
        "which",
        "when",
        "while",
        "after",
        "before",
        "than",
        "then",
        "there",
        "into",
        "over",
        "under",
        "about",
        "said",
        "says",
        "say",
        "told",
    ]
)


def _content(text: str) -> set[str]:
    words = set()
    for w in fold_words(text):
        if w.isdigit() or w in NUMBER_WORDS:
            words.add("#")
        elif w not in _CONTENT_STOP and len(w) > 1:
            words.add(stem(w))
    return words


def content_overlap(a: str, b: str) -> float:
    """Shared content words over those of the shorter sentence, numbers counted as one word "#"
    (so two versions of one sentence that differ in a figure still overlap fully); 0 when fewer
    than :data:`MIN_SHARED_WORDS` are shared."""
    wa, wb = _content(a), _content(b)
    shared = len(wa & wb)
    if shared < MIN_SHARED_WORDS:
        return 0.0
    return shared / min(len(wa), len(wb))


def disagreements(a: Claim, b: Claim, *, strong: bool = True) -> list[tuple[str, str, str, str]]:
    """Every conflict between two aligned claims, as ``(kind, what, value_a, value_b)``.

    Args:
        a, b: the claims.
        strong: the two sentences are aligned as paraphrases. Without it only figures are
            compared (a figure names what it counts; a date, place or subject does not say which
            event of the sentence it belongs to).
    """
    out = [("quantity", what, va, vb) for what, va, vb in quantity_conflicts(a.figures, b.figures)]
    if not strong:
        return out
    if dates_conflict(a, b):
        out.append(
            (
                "date",
                "date",
                _join(t.text for t in _dated(a.times, a)),
                _join(t.text for t in _dated(b.times, b)),
            )
        )
    if places_conflict(a.places, b.places):
        out.append(
            (
                "place",
                "place",
                _join(p.text for p in _local(a.places)),
                _join(p.text for p in _local(b.places)),
            )
        )
    actors = actors_conflict(a, b)
    if actors:
        out.append(("actor", "actor", actors[0], actors[1]))
    return out


def _join(items: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(items))
