"""Planting conflicts in real articles: one value of a sentence changed, the other outlet's
sentence that reports the same thing left as it was.

A *candidate* is a sentence ``i`` of article A and a sentence ``j`` of article B that report one
thing: each is the other's most similar sentence in the other article (MiniLM), their cosine is
at least :data:`SAME_COSINE`, both have :data:`MIN_WORDS` words or more, and they state one value
of a kind (the same figure, an overlapping date, the same town, the same person's surname). Planting
changes that value in A's sentence only:

* ``quantity``: the number (digits or a number word up to twelve) times or divided by a seeded
  factor in [1.25, 2] (a changed toll, not a part against a total);
* ``date``: a weekday moved three days, a day of the month moved ten, a month moved four, a
  year moved three;
* ``place``: a town or region replaced by a well-known city at least 500 km away, of the same
  country when the place is in the United States;
* ``actor``: a person's name replaced by a name in neither article.

The criteria are the benchmark's, not the detector's: they use the analysis stage's values and
the sentence embedder, never the comparison's aligner, conflict rules or thresholds.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.analyze.model import Analysis, Entity, Figure, Place, TimeExpression
from newsprism.model import PARAGRAPH_SEPARATOR, Article
from newsprism.testing import make_article

#: Cosine from which two mutually most similar sentences of one event's articles report the
#: same thing. First 0.65 without the mutual-best condition; raised after reading the dev
#: split's plants (not its scores), where 0.65 paired "the Angels had exclusive negotiating
#: rights with Teixeira" with "the Angels made an eight-year offer to Teixeira".
SAME_COSINE = 0.7
#: Fewest words either sentence must have: a headline or a dateline tells no statement.
MIN_WORDS = 8
KINDS = ("quantity", "date", "place", "actor")

_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
}
_WORD_OF = {v: k for k, v in _NUMBER_WORDS.items()}
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]
_MONTH_RE = re.compile(r"\b(" + "|".join(_MONTHS) + r"|" + "|".join(m[:3] for m in _MONTHS) + r")\.?\b")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
_DAY_RE = re.compile(r"\b([12]?\d|3[01])(?:st|nd|rd|th)?\b")
_YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")
#: Well-known cities (name, latitude, longitude, in the United States).
CITIES = [
    ("Chicago", 41.88, -87.63, True), ("Houston", 29.76, -95.37, True),
    ("Denver", 39.74, -104.99, True), ("Seattle", 47.61, -122.33, True),
    ("Boston", 42.36, -71.06, True), ("Atlanta", 33.75, -84.39, True),
    ("Miami", 25.76, -80.19, True), ("Phoenix", 33.45, -112.07, True),
    ("Dallas", 32.78, -96.80, True), ("Detroit", 42.33, -83.05, True),
    ("London", 51.51, -0.13, False), ("Paris", 48.86, 2.35, False),
    ("Berlin", 52.52, 13.40, False), ("Madrid", 40.42, -3.70, False),
    ("Rome", 41.90, 12.50, False), ("Tokyo", 35.68, 139.69, False),
    ("Sydney", -33.87, 151.21, False), ("Toronto", 43.65, -79.38, False),
    ("Mumbai", 19.08, 72.88, False), ("Cairo", 30.04, 31.24, False),
]
NAMES = [
    "David Miller", "Susan Hartley", "Robert Keane", "Linda Ostrowski", "James Whitfield",
    "Karen Delacroix", "Thomas Brennan", "Maria Castellanos", "Paul Lindqvist", "Helen Okafor",
]


@dataclass(frozen=True, slots=True)
class Plant:
    """One planted conflict: A's sentence ``sentence_a`` now says ``new`` where it said ``old``;
    ``partners`` are B's sentences that reported the old value (any counts as evidence)."""

    kind: str
    article: Article
    sentence_a: str
    old: str
    new: str
    partners: tuple[str, ...]


def _ints(text: str) -> list[str]:
    return _DIGITS.findall(text)


def _scaled(value: float, rng: random.Random) -> float:
    factor = rng.uniform(1.25, 2.0)
    return value * factor if rng.random() < 0.5 or value < 4 else value / factor


def _format_like(old: str, value: float) -> str:
    decimals = len(old.split(".")[1]) if "." in old else 0
    text = f"{value:,.{decimals}f}" if "," in old else f"{value:.{decimals}f}"
    return text


def _new_figure(f: Figure, body: str, rng: random.Random) -> tuple[int, int, str] | None:
    """(start, end, replacement) for the number inside a figure, or None."""
    text = body[f.start : f.end]
    m = _DIGITS.search(text)
    if m:
        raw = m.group()
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            return None
        if value <= 0 or ("," not in raw and "." not in raw and 1900 <= value <= 2100):
            return None  # a year, not a count
        new = _scaled(value, rng)
        if "." not in raw:
            new = round(new)
            if new == value:
                new = value + 2
        return f.start + m.start(), f.start + m.end(), _format_like(raw, new)
    for word, value in _NUMBER_WORDS.items():
        w = re.search(rf"\b{word}\b", text, re.IGNORECASE)
        if w:
            new_value = max(2, min(12, round(_scaled(value, rng))))
            if new_value == value:
                new_value = value + 2 if value <= 10 else value - 3
            new = _WORD_OF[new_value]
            new = new.capitalize() if w.group()[0].isupper() else new
            return f.start + w.start(), f.start + w.end(), new
    return None


def _new_time(t: TimeExpression, body: str) -> tuple[int, int, str] | None:
    text = body[t.start : t.end]
    w = _WEEKDAY_RE.search(text)
    if w:
        new = _WEEKDAYS[(_WEEKDAYS.index(w.group()) + 3) % 7]
        return t.start + w.start(), t.start + w.end(), new
    month = _MONTH_RE.search(text)
    if month:
        rest = text[: month.start()] + " " * len(month.group()) + text[month.end() :]
        day = _DAY_RE.search(rest)
        if day and not _YEAR_RE.fullmatch(day.group()):
            d = int(day.group(1))
            new_day = d - 10 if d > 15 else d + 10
            return t.start + day.start(1), t.start + day.end(1), str(new_day)
        full = next(m for m in _MONTHS if m.startswith(month.group(1)[:3]))
        new = _MONTHS[(_MONTHS.index(full) + 4) % 12]
        return t.start + month.start(), t.start + month.end(), new
    year = _YEAR_RE.search(text)
    if year:
        return t.start + year.start(), t.start + year.end(), str(int(year.group()) - 3)
    return None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _new_place(p: Place, texts: str, rng: random.Random) -> tuple[int, int, str] | None:
    pool = [
        name
        for name, lat, lon, us in CITIES
        if (us or p.country != "US") and (not us or p.country == "US")
        and _km(p.latitude, p.longitude, lat, lon) >= 500 and name not in texts
    ]
    return (p.start, p.end, rng.choice(pool)) if pool else None


def _new_actor(e: Entity, texts: str, rng: random.Random) -> tuple[int, int, str] | None:
    pool = [n for n in NAMES if n.split()[-1] not in texts]
    if not pool:
        return None
    name = rng.choice(pool)
    return e.start, e.end, name if len(e.text.split()) > 1 else name.split()[-1]


def _surname(e: Entity) -> str:
    words = re.findall(r"[A-Za-z]+", e.text)
    return words[-1].lower() if words else ""


def _in(items: Sequence, sentence: int) -> list:
    return [x for x in items if x.sentence == sentence]


def _shared(kind: str, an_a: Analysis, i: int, an_b: Analysis, j: int) -> list:
    """Values of A's sentence ``i`` that B's sentence ``j`` states too."""
    if kind == "quantity":
        fb = [g for g in _in(an_b.figures, j) if not g.vague]
        return [
            f for f in _in(an_a.figures, i)
            if not f.vague and any(abs(f.value - g.value) <= 0.01 * abs(f.value) for g in fb)
        ]
    if kind == "date":
        tb = [t for t in _in(an_b.times, j) if t.modifier is None]
        return [
            t for t in _in(an_a.times, i)
            if t.modifier is None and t.granularity in ("day", "month", "year")
            and any(t.first_day <= u.last_day and u.first_day <= t.last_day for u in tb)
        ]
    if kind == "place":
        names = {p.name for p in _in(an_b.places, j) if p.kind != "country"}
        return [p for p in _in(an_a.places, i) if p.kind != "country" and p.name in names]
    names = {_surname(e) for e in _in(an_b.entities, j) if e.label == "PERSON"}
    return [e for e in _in(an_a.entities, i) if e.label == "PERSON" and _surname(e) in names]


def candidates(
    an_a: Analysis, vec_a: np.ndarray, an_b: Analysis, vec_b: np.ndarray
) -> dict[str, list[tuple[int, object, list[int]]]]:
    """Per kind, ``(sentence of A, shared value, B's sentences stating it)``."""
    out: dict[str, list[tuple[int, object, list[int]]]] = {k: [] for k in KINDS}
    if not len(vec_a) or not len(vec_b) or vec_a.shape[1] == 0:
        return out
    cos = vec_a @ vec_b.T
    long_a = np.array([len(s.text.split()) >= MIN_WORDS for s in an_a.sentences[: len(vec_a)]])
    long_b = np.array([len(s.text.split()) >= MIN_WORDS for s in an_b.sentences[: len(vec_b)]])
    cos = np.where(long_a[:, None] & long_b[None, :], cos, 0.0)
    best = (cos == cos.max(axis=1, keepdims=True)) & (cos == cos.max(axis=0, keepdims=True))
    cos = np.where(best, cos, 0.0)
    for kind in KINDS:
        found: dict[tuple[int, int], list[int]] = {}
        for i, j in zip(*np.nonzero(cos >= SAME_COSINE)):
            for value in _shared(kind, an_a, int(i), an_b, int(j)):
                found.setdefault((int(i), id(value)), [value]).append(int(j))
        for (i, _), (value, *js) in found.items():
            out[kind].append((i, value, js))
    return out


def plant(
    kind: str,
    article: Article,
    analysis: Analysis,
    other: Article,
    choice: tuple[int, object, list[int]],
    b_sentences: Sequence[str],
    rng: random.Random,
) -> Plant | None:
    """Change one value of ``article`` (see the module doc); None when it cannot be changed."""
    i, value, js = choice
    body = article.body
    texts = body + other.body
    if kind == "quantity":
        edit = _new_figure(value, body, rng)  # type: ignore[arg-type]
    elif kind == "date":
        edit = _new_time(value, body)  # type: ignore[arg-type]
    elif kind == "place":
        edit = _new_place(value, texts, rng)  # type: ignore[arg-type]
    else:
        edit = _new_actor(value, texts, rng)  # type: ignore[arg-type]
    if edit is None:
        return None
    start, end, new = edit
    sentence = analysis.sentences[i]
    if not sentence.start <= start < end <= sentence.end or body[start:end] == new:
        return None
    old = body[start:end]
    text = body[sentence.start : sentence.end]
    if kind in ("place", "actor"):
        # every mention in the sentence: "Obama ... Obama's" must not keep the old name
        text = re.sub(rf"\b{re.escape(old)}\b", new, text)
        if kind == "actor" and len(old.split()) > 1:
            text = re.sub(rf"\b{re.escape(old.split()[-1])}\b", new.split()[-1], text)
    else:
        at = start - sentence.start
        text = text[:at] + new + text[at + len(old) :]
    new_body = body[: sentence.start] + text + body[sentence.end :]
    changed = make_article(
        article.title,
        new_body.split(PARAGRAPH_SEPARATOR),
        source=article.source,
        published=article.published,
        external_id=article.external_id,
    )
    return Plant(kind, changed, text, old, new, tuple(b_sentences[j] for j in js))
