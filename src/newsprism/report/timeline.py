"""The story's timeline: dated events the articles mention, merged across outlets.

Every time expression the analysis normalized (``12 January`` -> ``2020-01-12``, ``last
month`` -> ``2020-03``) is a *mention*: a date in a sentence of an article. Durations and
open periods ("for nine years", "since 2019") say how long, not when, and are left out.

Two mentions are one event when

* their dates fit: the same value, or one inside the other when the wider one is a month or a
  year ("5 March 2020" lies in "last month" = March 2020; "12 January" does not lie in
  "5 March"); and
* their sentences tell the same thing: the compare stage put them in one fact, or they pass its
  own claim-link rule, sentence cosine plus rarity-weighted shared anchors (entities, places,
  dates, figures) at least ``LINK_SCORE`` (:mod:`newsprism.compare.linking`). The shared date
  is itself an anchor, so two outlets telling one dated event in other words link, while two
  things that happened on the same Thursday stay apart.

A merged event takes its most precise date; every mention stays listed with its outlet, its
sentence and the expression as written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from newsprism.analyze.model import Analysis, TimeExpression
from newsprism.compare.linking import (
    ANCHOR_MIN_COSINE,
    LINK_SCORE,
    anchor_scores,
    sentence_anchors,
)
from newsprism.model import Article
from newsprism.report.base import Material, coverage_of, outlet_name

logger = logging.getLogger(__name__)

#: Time modifiers that make an expression a span of time rather than a date of an event.
SKIPPED_MODIFIERS = frozenset({"duration", "since", "until"})
#: Granularities from most to least precise (``range`` last: it is the widest kind).
PRECISION = {"day": 0, "month": 1, "year": 2, "range": 3}


@dataclass(frozen=True, slots=True)
class Mention:
    """One dated sentence: a time expression and the sentence it lies in.

    Attributes:
        sentence: index of the sentence in the article's analysis; ``start``/``end`` its
            offsets into ``Article.body``.
        expression: the time expression as written ("last month").
        value: its normalized ISO value at its granularity (``2020-03``).
    """

    article_id: str
    source: str
    sentence: int
    start: int
    end: int
    text: str
    expression: str
    value: str
    granularity: str
    first_day: str
    last_day: str
    anaphora: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "article_id": self.article_id,
            "source": self.source,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "expression": self.expression,
            "value": self.value,
            "granularity": self.granularity,
        }


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated event, with the outlets and sentences behind it.

    Attributes:
        when: the event's date at its granularity (``2020-03-05``, ``2020-03``, ``2017`` or
            ``2019-01-01/2020-04-02``): the most precise of its mentions.
        label: the date for people ("5 March 2020", "March 2020").
        text: the sentence of the mention that gives the date.
        sources: outlets that mention it, in article order; ``coverage`` says whether that is
            ``one``, ``some`` or ``all`` of the story's outlets.
        mentions: every dated sentence merged into the event.
    """

    when: str
    granularity: str
    first_day: str
    last_day: str
    label: str
    text: str
    sources: tuple[str, ...]
    article_ids: tuple[str, ...]
    coverage: str
    mentions: tuple[Mention, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "when": self.when,
            "granularity": self.granularity,
            "first_day": self.first_day,
            "last_day": self.last_day,
            "label": self.label,
            "text": self.text,
            "sources": list(self.sources),
            "article_ids": list(self.article_ids),
            "coverage": self.coverage,
            "expressions": list(dict.fromkeys(m.expression for m in self.mentions)),
            "mentions": [m.to_dict() for m in self.mentions],
        }


def date_label(value: str, granularity: str) -> str:
    """A normalized date for people: ``5 March 2020``, ``March 2020``, ``2017``, or a range."""
    try:
        if granularity == "day":
            d = date.fromisoformat(value)
            return f"{d.day} {d:%B %Y}"
        if granularity == "month":
            d = date.fromisoformat(f"{value}-01")
            return f"{d:%B %Y}"
        if granularity == "range" and "/" in value:
            lo, hi = (date_label(part, "day") for part in value.split("/", 1))
            return f"{lo} – {hi}"
    except ValueError:
        pass
    return value


def mentions_of(article: Article, analysis: Analysis) -> list[Mention]:
    """The dated sentences of one article: one mention per sentence and distinct date.

    A sentence naming one date twice ("September 2018 ... the same month") gives one mention,
    worded as its first non-anaphoric expression.
    """
    found: dict[tuple[int, str], Mention] = {}
    source = outlet_name(article)
    ordered = sorted(analysis.times, key=lambda t: (t.modifier == "anaphora", t.start))
    for t in ordered:
        if not _dated(t) or not 0 <= t.sentence < len(analysis.sentences):
            continue
        key = (t.sentence, t.value)
        if key in found:
            continue
        s = analysis.sentences[t.sentence]
        found[key] = Mention(
            article.id,
            source,
            t.sentence,
            s.start,
            s.end,
            s.text,
            t.text,
            t.value,
            t.granularity,
            t.first_day,
            t.last_day,
            t.modifier == "anaphora",
        )
    return sorted(found.values(), key=lambda m: (m.sentence, m.first_day))


def _dated(t: TimeExpression) -> bool:
    return (
        t.modifier not in SKIPPED_MODIFIERS
        and t.granularity in PRECISION
        and bool(t.first_day and t.last_day and t.value)
    )


def dates_fit(a: Mention, b: Mention) -> bool:
    """Whether two mentions may date one event: the same value, or the narrower inside a
    month or a year that holds it."""
    if a.value == b.value:
        return True
    wide, narrow = (a, b) if PRECISION[a.granularity] > PRECISION[b.granularity] else (b, a)
    if wide.granularity not in ("month", "year") or wide.granularity == narrow.granularity:
        return False
    return wide.first_day <= narrow.first_day and narrow.last_day <= wide.last_day


class _Events:
    """Union-find over mentions; a merge must keep every pair of dates fitting."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = mentions
        self.parent = list(range(len(mentions)))
        self.members = {i: [i] for i in range(len(mentions))}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        ms = self.mentions
        if not all(dates_fit(ms[x], ms[y]) for x in self.members[ri] for y in self.members[rj]):
            return
        self.parent[rj] = ri
        self.members[ri] += self.members.pop(rj)

    def groups(self) -> list[list[Mention]]:
        return [[self.mentions[i] for i in sorted(g)] for g in self.members.values()]


def _fact_index(material: Material) -> dict[tuple[str, int], int]:
    """(article id, sentence) -> index of its fact in the comparison (shared facts only)."""
    cmp = material.comparison
    if cmp is None:
        return {}
    out = {}
    for k, fact in enumerate(cmp.facts.facts):
        if len(fact.article_ids) > 1:
            for c in fact.claims:
                out[(c.article_id, c.sentence)] = k
    return out


class _LinkScore:
    """Claim-link score of two mentions' sentences: cosine plus the compare stage's anchor bonus
    (0 below its cosine floor). Only the sentences of ``needed`` mentions are embedded (a date
    nothing else fits needs no vector); anchor matrices are made per pair of articles, when
    asked."""

    def __init__(
        self, material: Material, mentions: Sequence[Mention], needed: Sequence[int]
    ) -> None:
        self.mentions = mentions
        vectors = material.vectors([mentions[i].text for i in needed])
        self.rows = {} if vectors is None else dict(zip(needed, vectors))
        self.analyses = material.analyses
        self._anchors: dict[str, list[set[str]]] = {}
        self._pairs: dict[tuple[str, str], np.ndarray] = {}

    def _anchors_of(self, article_id: str) -> list[set[str]]:
        if article_id not in self._anchors:
            analysis = self.analyses[article_id]
            self._anchors[article_id] = sentence_anchors(analysis, len(analysis.sentences))
        return self._anchors[article_id]

    def __call__(self, i: int, j: int) -> float:
        if i not in self.rows or j not in self.rows:
            return 0.0
        cos = float(np.clip(self.rows[i] @ self.rows[j], -1.0, 1.0))
        if cos < ANCHOR_MIN_COSINE:
            return 0.0
        mi, mj = self.mentions[i], self.mentions[j]
        key = (mi.article_id, mj.article_id)
        if key not in self._pairs:
            self._pairs[key] = anchor_scores(
                self._anchors_of(mi.article_id), self._anchors_of(mj.article_id)
            )
        return cos + float(self._pairs[key][mi.sentence, mj.sentence])


def _event(group: Sequence[Mention], order: dict[str, int], outlets: int) -> TimelineEvent:
    group = sorted(group, key=lambda m: (order.get(m.article_id, 0), m.sentence))
    best = min(group, key=lambda m: PRECISION[m.granularity])
    sources = tuple(dict.fromkeys(m.source for m in group))
    return TimelineEvent(
        when=best.value,
        granularity=best.granularity,
        first_day=best.first_day,
        last_day=best.last_day,
        label=date_label(best.value, best.granularity),
        text=best.text,
        sources=sources,
        article_ids=tuple(dict.fromkeys(m.article_id for m in group)),
        coverage=coverage_of(len(sources), outlets),
        mentions=tuple(group),
    )


def _fitting_pairs(mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """Pairs of mentions in different sentences whose dates may be one event's."""
    return [
        (i, j)
        for i, mi in enumerate(mentions)
        for j in range(i + 1, len(mentions))
        if (mi.article_id, mi.sentence) != (mentions[j].article_id, mentions[j].sentence)
        and dates_fit(mi, mentions[j])
    ]


def _links(material: Material, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """Pairs of mentions that tell one event, strongest first: in one fact of the comparison,
    then by claim-link score; pairs without an anaphoric date ("the following day") before
    those with one (such a date is told relative to another date of its sentence, and the other
    outlet's sentence links to that one)."""
    pairs = _fitting_pairs(mentions)
    score = _LinkScore(material, mentions, sorted({k for pair in pairs for k in pair}))
    facts = _fact_index(material)
    ranked = []
    for i, j in pairs:
        mi, mj = mentions[i], mentions[j]
        fi, fj = facts.get((mi.article_id, mi.sentence)), facts.get((mj.article_id, mj.sentence))
        linked = fi is not None and fi == fj
        value = score(i, j)
        if linked or value >= LINK_SCORE:
            plain = not (mi.anaphora or mj.anaphora)
            ranked.append(((linked, plain, value, -i, -j), (i, j)))
    return [pair for _, pair in sorted(ranked, reverse=True)]


def build_timeline(material: Material) -> tuple[TimelineEvent, ...]:
    """The dated events of the compared articles, merged across outlets, oldest first.

    Events on one date keep the order in which the articles tell them.
    """
    mentions = [
        m
        for a in material.compared
        if a.id in material.analyses
        for m in mentions_of(a, material.analyses[a.id])
    ]
    if not mentions:
        return ()
    events = _Events(mentions)
    for i, j in _links(material, mentions):
        events.union(i, j)
    order = {a.id: k for k, a in enumerate(material.compared)}
    built = [_event(g, order, len(material.outlets)) for g in events.groups()]
    built.sort(
        key=lambda e: (
            e.first_day,
            -PRECISION[e.granularity],
            min(order.get(m.article_id, 0) for m in e.mentions),
            e.mentions[0].sentence,
        )
    )
    logger.debug("timeline: %d mentions -> %d events", len(mentions), len(built))
    return tuple(built)
