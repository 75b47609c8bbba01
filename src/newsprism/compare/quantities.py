"""What a figure counts, and whether two hedged figures can state the same amount.

:mod:`newsprism.compare.values` decides conflicts; this module gives it two finer tests:

* :func:`figures_agree`: an approximate figure ("about 2,300", "some 2,600") allows
  :data:`APPROX_TOLERANCE` either way. Two approximate figures agree when they are within that
  share of each other (the tolerance is not spent twice: "about 2,300" and "some 2,600" are 13%
  apart and do not agree; "about 600" and "650" are 8% apart and do);
* :func:`counted_nouns` / :func:`same_thing`: the words a figure counts, with a few synonyms
  joined ("homes"/"houses", "strikers"/"dockworkers"/"workers", "killed"/"dead"/"deaths"), so
  "212 votes ahead" (the parser took "ahead" as the counted noun) still counts votes;
* :func:`whole_figures`: a sentence's figures less those told as a part of another amount
  ("Of that, $3 billion ..."; "five civilians, two of them children").
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from newsprism.analyze.model import Figure
from newsprism.compare.lexicon import CONTENT_STOP, NUMBER_WORDS, fold_words, stem, word_set

if TYPE_CHECKING:
    from newsprism.compare.facts import Claim

#: Share either way an approximate figure allows ("about 600" holds 540-660). A design choice:
#: "about N" rounds to N's leading one or two digits, which moves a figure by at most 5-10%;
#: wider would let a changed toll pass as rounding. (The sample's "about 2,300" / "some 2,600",
#: 13% apart, stays a conflict; "about 600" / "650" does not.)
APPROX_TOLERANCE = 0.10
#: Rounding allowed to an exact figure (a writer's "1.5 million" for 1,512,000).
ROUNDING = 0.01
#: Stems that name the same counted thing or event (each maps to one representative). A short
#: closed list by design (house, casualty and vote words news uses interchangeably), not a fit:
#: a general thesaurus (WordNet) is not in the default install, and looser synonyms would join
#: counts of different things.
SYNONYMS: dict[str, str] = {
    "hous": "hom",
    "dwelling": "hom",
    "property": "hom",
    "striker": "worker",
    "dockworker": "worker",
    "docker": "worker",
    "employe": "worker",
    "dead": "kill",
    "death": "kill",
    "died": "kill",
    "die": "kill",
    "fatality": "kill",
    "vot": "vot",
    "ballot": "vot",
}
#: Counted nouns too general to say what is counted ("people", "others").
GENERIC = frozenset(
    stem(w) for w in ("people", "person", "persons", "individual", "others", "other", "ahead")
)
#: Words of a figure's text that are hedges or articles, not what it counts.
_HEDGES = word_set(
    "about around some nearly almost roughly approximately over more than less fewer "
    "under up to at least most all only just the a an of"
)

_PART_BEFORE = re.compile(r"\bof (?:that|those|these|them|which|whom|it)\s*,?\s*$", re.IGNORECASE)
_PART_AFTER = re.compile(r"\s*of (?:them|whom|those|which)\b", re.IGNORECASE)


def _canon(word_stem: str) -> str:
    return SYNONYMS.get(word_stem, word_stem)


def figure_range(f: Figure) -> tuple[float, float]:
    """The values a figure allows, as a closed range (hedges widen or open it)."""
    v = f.value
    if f.value_high is not None:
        return (v * (1 - ROUNDING), f.value_high * (1 + ROUNDING))
    if f.bound in ("over", "at_least"):
        return (v, math.inf)
    if f.bound in ("under", "up_to"):
        return (0.0, v)
    if f.bound == "nearly":
        return (v * (1 - APPROX_TOLERANCE), v)
    if f.bound == "about":
        return (v * (1 - APPROX_TOLERANCE), v * (1 + APPROX_TOLERANCE))
    return (v * (1 - ROUNDING), v * (1 + ROUNDING))


def figures_agree(f: Figure, g: Figure) -> bool:
    """Whether two (non-vague) figures can state the same amount."""
    if f.bound == "about" and g.bound == "about" and f.value_high is None is g.value_high:
        low, high = sorted((abs(f.value), abs(g.value)))
        return high <= low * (1 + APPROX_TOLERANCE) + 1e-9
    a, b = figure_range(f), figure_range(g)
    return bool(a[0] <= b[1] and b[0] <= a[1])


def counted_nouns(f: Figure, *, canonical: bool = True) -> frozenset[str]:
    """Stems of what a figure counts: its counted noun and the words of its text that are not
    numbers or hedges ("Forty-six elderly residents" -> elderly, resident); synonyms joined
    unless ``canonical`` is False."""
    words = {stem(f.counted)} if f.counted else set()
    for w in fold_words(f.text):
        if w.isdigit() or w in NUMBER_WORDS or w in _HEDGES or w in CONTENT_STOP or len(w) < 3:
            continue
        if any(ch.isdigit() for ch in w):
            continue
        words.add(stem(w))
    return frozenset(_canon(w) for w in words) if canonical else frozenset(words)


def same_thing(f: Figure, g: Figure) -> bool:
    """Both figures count one specific thing (a shared noun other than a generic one, such as
    "people"), in the same unit, for the same event when both name one.

    A match through a synonym alone needs bare nouns on both sides: "2,300 dockworkers" and
    "2,600 strikers" count one thing, "120 agency workers" are a group of their own."""
    if f.vague or g.vague or f.unit != g.unit:
        return False
    if f.event and g.event and _canon(stem(f.event)) != _canon(stem(g.event)):
        return False
    nf, ng = counted_nouns(f), counted_nouns(g)
    shared = (nf & ng) - GENERIC
    if not shared:
        return False
    raw = (counted_nouns(f, canonical=False) & counted_nouns(g, canonical=False)) - GENERIC
    return bool(raw) or (nf == shared and ng == shared)


def whole_figures(claim: Claim) -> list[Figure]:
    """Figures of a sentence that are not told as a part of another amount ("Of that, $3
    billion"; "two of them children")."""
    out = []
    for f in claim.figures:
        before = claim.text[: max(0, f.start - claim.start)]
        if _PART_BEFORE.search(before) or _PART_AFTER.match(claim.text[f.end - claim.start :]):
            continue
        out.append(f)
    return out
