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
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from newsprism.analyze.model import Entity, Figure, Place, TimeExpression
from newsprism.compare import quantities
from newsprism.compare.lexicon import CONTENT_STOP, NUMBER_WORDS, fold_words, stem
from newsprism.compare.spans import covered, quote_spans

if TYPE_CHECKING:
    from newsprism.compare.facts import Claim

#: Places closer than this agree. A province and its capital city sit at one point in the
#: gazetteer, and towns a district apart are usually one front line (Saraqeb is 16 km from Idlib);
#: two different cities named as the scene (Idlib / Hama, 100 km) conflict.
NEAR_KM = 60.0
#: Relative widths of hedged figures: "about 100" is 90-110, "nearly 100" is 90-100.
ABOUT = quantities.APPROX_TOLERANCE
ROUNDING = quantities.ROUNDING
#: Counted nouns that mean "people in general" and so match a more specific group.
GENERIC_PEOPLE = frozenset({"people", "person", "persons", "individual", "others", "other"})
#: The first actor must start in this leading share of a sentence to count as its subject.
SUBJECT_SHARE = 0.5
#: Share of the other content words (figures, dates, places and actors left out) that two
#: aligned sentences must have in common before their values are compared: the rest of the
#: sentence must tell the same thing. Calibrated on 75 BASIL same-event pairs, where sentences
#: about different events of one story ("Obama has cut $716 billion from Medicare" / "his plan
#: would cut Medicare by $800 billion"; "on Sunday tried to clarify" / "in a speech on
#: Saturday") share under half of their words, and on the fixtures' versions of one sentence
#: (0.8-1.0).
RESIDUAL_OVERLAP = 0.6
#: Fewest content words the two sentences must share for the overlap to count at all.
MIN_SHARED_WORDS = 3
#: Two versions of one figure differ by at most this factor; beyond it, one counts a part of
#: what the other counts (BASIL: "$43,000" of "$750,000" spent; "two of them children" of five)
#: or another period. Was 5; 2 (as ``figurepairs.MAX_RATIO``) on the dev split of
#: ``benchmarks/conflicts.py``: false conflicts on unchanged pairs 10 -> 7 of 333 ("31 magazines"
#: seized in five operations against "12" in one; "923 rounds" against "about 300"), planted
#: conflicts found unchanged (37 of 329). A real dispute of more than double ("one dead" /
#: "three dead") is missed.
MAX_VERSION_RATIO = 2.0
#: Paraphrase-aligned sentences under ``RESIDUAL_OVERLAP`` still compare figures that count one
#: specific thing when they share this many other content words ("Port", "Saltmere" for two
#: sentences on the dockworkers' strike that tell its start and its cost).
COUNTED_MIN_SHARED = 2
_SUBJECT_LABELS = frozenset({"PERSON", "ORG", "ACTOR", "NORP"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "his", "her", "their", "its"})
_SKIP_TIME_MODIFIERS = frozenset({"duration", "since", "until"})
# A reporting verb, up to four words (its object), then the time: "said on", "told Reuters on".
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told|tells|reported|announced|added|stated|confirmed|wrote|tweeted|warned)"
    r"(?:\s+(?!(?:by|until|in|before|after|that|to|will|would|could|he|she|they|it|we|i)\b)"
    r"[\w’'.-]+){0,3}?\s+(?:on|late|early|last|this)?\s*$",
    re.IGNORECASE,
)
# The time right before the reporting verb: "Trump on Saturday said".
_SAID_AFTER = re.compile(
    r"\s*,?\s*(?:said|says|told|announced|added|stated|confirmed|wrote|tweeted)\b", re.IGNORECASE
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


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
    """The values a figure allows, as a closed range (see :func:`quantities.figure_range`)."""
    return quantities.figure_range(f)


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
        return (same_event and generic) or quantities.same_thing(fa, fb)
    if fa.unit is not None:
        return bool(same_event or (ca and ca == cb) or (fa.event is None and fb.event is None))
    return same_event or bool(ca and ca == cb) or quantities.same_thing(fa, fb)


def _what(f: Figure, g: Figure) -> str:
    noun = f.counted or g.counted or f.unit or "figure"
    event = f.event or g.event
    return f"{noun} {event}" if event else noun


def quantity_conflicts(
    a: Sequence[Figure],
    b: Sequence[Figure],
    same: Callable[[Figure, Figure], bool] = same_quantity,
) -> list[tuple[str, str, str]]:
    """``(what, value_a, value_b)`` for each figure of ``a`` that the same-quantity figures of
    ``b`` contradict (one entry per figure of ``a``).

    A figure that some figure of the other sentence can equal, whatever it counts, is never
    part of a conflict: "$US1 million ($1.52 million)" against "one million dollars" states the
    million on both sides (the parser may miss what the second figure is).

    Args:
        a, b: the figures of the two sentences.
        same: whether two figures count the same thing (default :func:`same_quantity`).
    """
    kept_a = [f for f in a if not _matched(f, b)]
    kept_b = [f for f in b if not _matched(f, a)]
    out = []
    for fa in kept_a:
        rivals = [fb for fb in kept_b if same(fa, fb) and _versions(fa, fb)]
        if rivals:
            out.append((_what(fa, rivals[0]), fa.text, rivals[0].text))
    return out


def _versions(f: Figure, g: Figure) -> bool:
    """Whether two values are close enough to be two versions of one figure: one at most
    :data:`MAX_VERSION_RATIO` times the other (a $43,000 watch against $750,000 of spending is
    a part against a total)."""
    low, high = sorted((abs(f.value), abs(g.value)))
    return low > 0 and high <= low * MAX_VERSION_RATIO


def _matched(f: Figure, others: Sequence[Figure]) -> bool:
    return any(not g.vague and quantities.figures_agree(f, g) for g in others)


def _dated(times: Iterable[TimeExpression], claim: Claim | None = None) -> list[TimeExpression]:
    """Times that date an event: not durations or open ranges, not the day something was said
    ("told Reuters on Wednesday" dates the telling, not the flood), not inside a quotation."""
    quotes = quote_spans(claim.text) if claim is not None else []
    out = []
    for t in times:
        if t.modifier in _SKIP_TIME_MODIFIERS:
            continue
        if claim is not None:
            at = t.start - claim.start
            said = _SAID_BEFORE.search(claim.text[: max(0, at)]) or _SAID_AFTER.match(
                claim.text[t.end - claim.start :]
            )
            if said or covered(quotes, at, at + 1):
                continue  # the day it was said, or a time inside someone's words
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
    return not any(_same_time(x, y) for x in da for y in db)


def _same_time(x: TimeExpression, y: TimeExpression) -> bool:
    """Whether two times can name the same day. A date written without its year ("March 2")
    took the year of publication, so against a date that states its year it is compared in
    that year."""
    if x.text.casefold() == y.text.casefold():
        return True
    xa, xb, ya, yb = x.first_day, x.last_day, y.first_day, y.last_day
    x_year, y_year = bool(_YEAR.search(x.text)), bool(_YEAR.search(y.text))
    if x_year != y_year and {x.granularity, y.granularity} <= {"day", "month"}:
        year = (ya if y_year else xa)[:4]
        if x_year:
            ya, yb = year + ya[4:], year + yb[4:]
        else:
            xa, xb = year + xa[4:], year + xb[4:]
    return _meet((xa, xb), (ya, yb))


def distance_km(p: Place, q: Place) -> float:
    """Great-circle distance between two places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (p.latitude, p.longitude, q.latitude, q.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _local(places: Iterable[Place]) -> list[Place]:
    # Two letters are an abbreviation ("Pelosi (D)" is a party, not a place).
    return [p for p in places if p.kind != "country" and len(p.text.strip(" .()")) > 2]


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
    """Who the sentence is about: the first person, organisation or party named in its leading
    part (the first :data:`SUBJECT_SHARE` of it), unless it opens with a pronoun ("He joined the
    Blazers" is about "he", not the Blazers). Wire agencies are sources, not subjects."""
    first = fold_words(claim.text[:12])[:1]
    if first and first[0] in _PRONOUNS:
        return None
    limit = claim.start + SUBJECT_SHARE * (claim.end - claim.start)
    quotes = quote_spans(claim.text)
    for e in sorted(claim.actors, key=lambda e: e.start):
        if e.start > limit:
            return None
        if covered(quotes, e.start - claim.start, e.end - claim.start):
            continue  # a name inside someone's words is not who the sentence is about
        if e.label in _SUBJECT_LABELS and e.canonical not in _agencies():
            return e
    return None


def _agencies() -> frozenset[str]:
    try:
        from newsprism.analyze.kb import WIRE_AGENCIES
    except ImportError:  # analysis stage absent
        return frozenset()
    return WIRE_AGENCIES


def _party(e: Entity) -> str:
    """Identity of an actor: NORP "Russian" and the ACTOR "Russian forces" are one party; a
    person is their surname (each article names its people in full its own way: "Paul D. Ryan",
    "Paul Ryan", "Rep. Ryan")."""
    if e.label == "PERSON":
        words = fold_words(e.canonical or e.text)
        return f"person:{words[-1]}" if words else e.key
    parts = e.key.split(":")
    if e.label in ("NORP", "ACTOR") and len(parts) >= 2 and len(parts[1]) == 2:
        return f"{parts[1]}:{parts[2] if len(parts) > 2 and e.label == 'ACTOR' else 'state'}"
    return e.key


def different_subjects(a: Claim, b: Claim) -> tuple[Entity, Entity] | None:
    """The two subjects when both sentences have one, they are different parties and neither is
    named anywhere in the other sentence; else None."""
    sa, sb = subject(a), subject(b)
    if sa is None or sb is None:
        return None
    pa, pb = _party(sa), _party(sb)
    named_a = {_party(e) for e in (*a.actors, *a.speakers)}
    named_b = {_party(e) for e in (*b.actors, *b.speakers)}
    if pa == pb or pa in named_b or pb in named_a:
        return None
    if _name(sa) in _words(b) or _name(sb) in _words(a):
        return None  # "Clinton" / "The Clintons", "Stone" as PERSON and as ORG: one name
    return sa, sb


def _name(e: Entity) -> str:
    """Stem of the last word of an actor's name ("Blake Farenthold" -> farenthold)."""
    words = fold_words(e.text) or fold_words(e.canonical or "")
    return stem(words[-1]) if words else ""


def _words(claim: Claim) -> set[str]:
    return {stem(w) for w in fold_words(claim.text)}


def actors_conflict(a: Claim, b: Claim) -> tuple[str, str] | None:
    """``(actor_a, actor_b)`` when :func:`different_subjects` finds two people, or two parties
    (nationalities, states, armed groups), for what is otherwise one statement; else None."""
    found = different_subjects(a, b)
    if found is None:
        return None
    sa, sb = found
    kinds = {sa.label, sb.label}
    if kinds <= {"PERSON"} or kinds <= {"NORP", "ACTOR"}:
        return sa.text, sb.text
    return None


def _value_spans(claim: Claim) -> list[tuple[int, int]]:
    """Spans (into the sentence) of its figures, times, places and actors."""
    items: list[Figure | TimeExpression | Place | Entity] = [
        *claim.figures,
        *claim.times,
        *claim.places,
        *claim.actors,
        *claim.speakers,
    ]
    return [(x.start - claim.start, x.end - claim.start) for x in items]


def residual_words(claim: Claim) -> set[str]:
    """Content stems of a sentence without its values: figures, times, places, actors and any
    other number are cut out, so two versions of one statement keep the same words."""
    chars = list(claim.text)
    for start, end in _value_spans(claim):
        for k in range(max(0, start), min(len(chars), end)):
            chars[k] = " "
    words = set()
    for w in fold_words("".join(chars)):
        if not (w.isdigit() or w in NUMBER_WORDS or w in CONTENT_STOP or len(w) < 2):
            words.add(stem(w))
    return words


def residual_overlap(a: Claim, b: Claim) -> float:
    """Shared :func:`residual_words` over those of the shorter sentence (0 when fewer than
    :data:`MIN_SHARED_WORDS` are shared)."""
    wa, wb = residual_words(a), residual_words(b)
    shared = len(wa & wb)
    if shared < MIN_SHARED_WORDS:
        return 0.0
    return shared / min(len(wa), len(wb))


def disagreements(a: Claim, b: Claim, *, strong: bool = True) -> list[tuple[str, str, str, str]]:
    """Every conflict between two aligned claims, as ``(kind, what, value_a, value_b)``.

    Values are compared only when the rest of the two sentences tells the same thing
    (:func:`residual_overlap` of at least :data:`RESIDUAL_OVERLAP`) about the same subject: two
    teams' offers to one player ("the Red Sox made a $200 million offer" / "the Nationals
    offered $160 million") are two facts, not one fact told two ways. Different subjects of
    one statement are themselves a conflict (``actor``) when the sentences are paraphrases.

    Args:
        a, b: the claims.
        strong: the two sentences are aligned as paraphrases. Without it only figures are
            compared (a figure names what it counts; a date, place or subject does not say which
            event of the sentence it belongs to).
    """
    if residual_overlap(a, b) < RESIDUAL_OVERLAP:
        return _counted_conflicts(a, b) if strong else []
    if different_subjects(a, b) is not None:
        actors = actors_conflict(a, b) if strong else None
        return [("actor", "actor", actors[0], actors[1])] if actors else []
    found = quantity_conflicts(quantities.whole_figures(a), quantities.whole_figures(b))
    out = [("quantity", what, va, vb) for what, va, vb in found]
    if not strong:
        return out
    if dates_conflict(a, b):
        da, db = _dated(a.times, a), _dated(b.times, b)
        out.append(("date", "date", _join(t.text for t in da), _join(t.text for t in db)))
    if places_conflict(a.places, b.places):
        pa, pb = _local(a.places), _local(b.places)
        out.append(("place", "place", _join(p.text for p in pa), _join(p.text for p in pb)))
    return out


def _counted_same(f: Figure, g: Figure) -> bool:
    return f.unit is None and quantities.same_thing(f, g)


def _counted_conflicts(a: Claim, b: Claim) -> list[tuple[str, str, str, str]]:
    """Quantity conflicts of two paraphrase-aligned sentences that tell the rest differently:
    figures counting one specific thing ("2,300 dockworkers" / "2,600 dockworkers"; not money,
    shares or "people") about one subject, in sentences sharing at least
    :data:`COUNTED_MIN_SHARED` other content words (the place or body they are about)."""
    if len(residual_words(a) & residual_words(b)) < COUNTED_MIN_SHARED:
        return []
    if different_subjects(a, b) is not None:
        return []
    found = quantity_conflicts(
        quantities.whole_figures(a), quantities.whole_figures(b), same=_counted_same
    )
    return [("quantity", what, va, vb) for what, va, vb in found]


def _join(items: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(items))
