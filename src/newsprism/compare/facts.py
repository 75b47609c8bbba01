"""Facts: claims that articles share, claims only some report, and claims they report differently.

A *claim* is one body sentence with what the analysis found in it (figures, times, places,
actors). Claims of different articles that the aligner matched (paraphrases, or sentences joined
by reused text) are linked; each connected group of claims is a :class:`Fact`, reported by all
articles, by some, or by only one.

A :class:`Conflict` needs two *aligned* sentences that state the same kind of thing with
incompatible values (:mod:`newsprism.compare.values` decides what is compatible):

* ``quantity``: figures counting the same thing (same counted noun or event, same unit) whose
  ranges cannot both hold ("over 1,800" and "more than 1,800" agree; "12 killed" and "15
  killed" do not);
* ``date``: every time of one sentence falls outside every time of the other ("5 March" lies in
  "last month" when that month is March);
* ``place``: the sentences' places are far apart and none is shared;
* ``actor``: the first actor of each sentence (its subject, as a rule) belongs to another party
  and is not named in the other sentence at all ("Russian jets" against "Syrian jets";
  "Iran-backed fighters" and "Iranian-backed militias" share one identity and agree).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism.analyze.model import Analysis, Entity, Figure, Place, TimeExpression
from newsprism.compare import figurepairs, restated, values
from newsprism.compare.lexicon import stems
from newsprism.compare.base import AlignedPair
from newsprism.model import Article

logger = logging.getLogger(__name__)

#: Sentences with fewer words are not claims ("Read more.", a stray heading).
MIN_CLAIM_WORDS = 4
#: Aligned pairs at or above this score may carry a conflict, besides pairs the aligner marked
#: paraphrases: two sentences that differ only in a number or a date score a little lower
#: than a plain paraphrase. Calibrated with the compare fixtures (changed death tolls and dates
#: score 0.62-0.9 with the default aligner; unrelated sentences of one story stay under 0.55).
CONFLICT_MIN_SCORE = 0.6
#: A pair below ``CONFLICT_MIN_SCORE`` is still compared when the two sentences share this share
#: of their content words (numbers masked) at a cosine of at least ``WORDING_MIN_COSINE``: one
#: outlet folding two sentences of the other into one lowers the cosine (0.57 for "Twelve people
#: were killed and 40 injured, the agency told Reuters" / "Fifteen people were killed and 40
#: injured when Storm Helga flooded Porto on Tuesday, the agency told Reuter").
WORDING_OVERLAP = 0.6
WORDING_MIN_COSINE = 0.5
#: Sentences of one article a fact may hold (see ``_Groups``).
MAX_CLAIMS_PER_ARTICLE = 2
#: Mean-vector cosine two groups of claims need to merge into one fact (MiniLM). A design choice
#: at the cosine where MiniLM sentences stop being about one topic (unrelated sentences of one
#: story sit under 0.5 in the compare fixtures); topics chained through a sentence telling two
#: things ("damage ... $1 million" / "no one was injured") fall under it, while linked pairs of
#: the seed pair (0.55-0.89) stay above.
MERGE_COSINE = 0.5
ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP", "ACTOR"})


@dataclass(frozen=True, slots=True)
class Claim:
    """One sentence of one article, with what it states.

    Attributes:
        actors: people, organisations and parties the sentence is about; ``speakers`` are
            those it cites as sources ("Kroon says ..."), kept apart: two outlets quoting two
            officials say the same thing, they do not disagree about who did it.
        doc: position of the article in the compared set.
        sentence: index in the article's analysis sentences; ``start``/``end`` offsets into
            ``Article.body``.
    """

    doc: int
    article_id: str
    source: str | None
    sentence: int
    start: int
    end: int
    text: str
    figures: tuple[Figure, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    places: tuple[Place, ...] = ()
    actors: tuple[Entity, ...] = ()
    speakers: tuple[Entity, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (figures, times, places and actors in short form)."""
        return {
            "article_id": self.article_id,
            "source": self.source,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "figures": [values.describe_figure(f) for f in self.figures],
            "times": [{"text": t.text, "value": t.value} for t in self.times],
            "places": [p.name for p in self.places],
            "actors": list(dict.fromkeys(e.canonical for e in self.actors)),
        }


@dataclass(frozen=True, slots=True)
class Fact:
    """Claims of one or more articles that state the same thing.

    Attributes:
        claims: the linked claims, in article then sentence order.
        article_ids: the articles reporting it, in compared-set order.
        coverage: ``"all"``, ``"some"`` or ``"one"`` article(s) of the compared set.
        score: the weakest alignment score inside the group (1.0 for a single claim).
    """

    claims: tuple[Claim, ...]
    article_ids: tuple[str, ...]
    sources: tuple[str | None, ...]
    coverage: str
    score: float

    @property
    def text(self) -> str:
        """The first claim's sentence."""
        return self.claims[0].text

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "coverage": self.coverage,
            "article_ids": list(self.article_ids),
            "sources": list(self.sources),
            "score": round(self.score, 4),
            "claims": [c.to_dict() for c in self.claims],
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """The same kind of thing reported differently by two aligned sentences.

    Attributes:
        kind: ``quantity``, ``date``, ``place`` or ``actor``.
        what: what is at stake ("civilians killed", "date", "place", "actor").
        value_a, value_b: the two versions as written.
        claim_a, claim_b: the evidence sentences.
        score: the alignment score of the two sentences.
    """

    kind: str
    what: str
    value_a: str
    value_b: str
    claim_a: Claim
    claim_b: Claim
    score: float

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "kind": self.kind,
            "what": self.what,
            "value_a": self.value_a,
            "value_b": self.value_b,
            "score": round(self.score, 4),
            "a": self.claim_a.to_dict(),
            "b": self.claim_b.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class FactReport:
    """Facts and conflicts across a set of articles (a pair or a story)."""

    article_ids: tuple[str, ...]
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]

    def by_coverage(self, coverage: str) -> tuple[Fact, ...]:
        """Facts of one coverage (``all``, ``some`` or ``one``)."""
        return tuple(f for f in self.facts if f.coverage == coverage)

    def only(self, article_id: str) -> tuple[Fact, ...]:
        """Facts reported by this article alone."""
        return tuple(f for f in self.facts if f.article_ids == (article_id,))

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form, grouped by coverage."""
        return {
            "article_ids": list(self.article_ids),
            "counts": {c: len(self.by_coverage(c)) for c in ("all", "some", "one")},
            "all": [f.to_dict() for f in self.by_coverage("all")],
            "some": [f.to_dict() for f in self.by_coverage("some")],
            "one": [f.to_dict() for f in self.by_coverage("one")],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


def _by_sentence(items: Sequence[Any]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for item in items:
        out.setdefault(item.sentence, []).append(item)
    return out


def claims_of(doc: int, article: Article, analysis: Analysis) -> list[Claim]:
    """Every sentence of an article as a claim, with its figures, dated times, places and actors."""
    figures = _by_sentence(analysis.figures)
    times = _by_sentence([t for t in analysis.times if t.modifier != "duration"])
    places = _by_sentence(analysis.places)
    cited = [(a.source_start, a.source_end) for a in analysis.attributions]
    named = [e for e in analysis.entities if e.label in ACTOR_LABELS]
    is_speaker = {id(e): any(s <= e.start and e.end <= t for s, t in cited) for e in named}
    actors = _by_sentence([e for e in named if not is_speaker[id(e)]])
    speakers = _by_sentence([e for e in named if is_speaker[id(e)]])
    return [
        Claim(
            doc=doc,
            article_id=article.id,
            source=article.source,
            sentence=i,
            start=s.start,
            end=s.end,
            text=s.text,
            figures=tuple(figures.get(i, ())),
            times=tuple(times.get(i, ())),
            places=tuple(places.get(i, ())),
            actors=tuple(actors.get(i, ())),
            speakers=tuple(speakers.get(i, ())),
        )
        for i, s in enumerate(analysis.sentences)
    ]


def is_claim(claim: Claim) -> bool:
    """Whether a sentence is long enough to state something."""
    return len(claim.text.split()) >= MIN_CLAIM_WORDS


Node = tuple[int, int]
"""A claim's place: (article index, sentence index)."""


class _Groups:
    """Union-find over claims that refuses merges making a fact incoherent.

    A fact holds at most :data:`MAX_CLAIMS_PER_ARTICLE` sentences of one article, near each
    other (one outlet may split a sentence of another in two), and two groups of three or more
    claims in all join only when their mean sentence vectors are at least :data:`MERGE_COSINE`
    alike. Without these, a 20-article story chained "damage was estimated at $1 million" to
    "no one was injured" through sentences telling both, into one 39-claim fact.
    """

    def __init__(self, vectors: Callable[[Node], np.ndarray | None] | None = None) -> None:
        self.parent: dict[Node, Node] = {}
        self.members: dict[Node, list[Node]] = {}
        self.weakest: dict[Node, float] = {}
        self.vectors = vectors

    def find(self, x: Node) -> Node:
        if x not in self.parent:
            self.parent[x] = x
            self.members[x] = [x]
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def _fits(self, a: list[Node], b: list[Node]) -> bool:
        per_doc: dict[int, list[int]] = {}
        for doc, sentence in (*a, *b):
            per_doc.setdefault(doc, []).append(sentence)
        for sentences in per_doc.values():
            if len(sentences) > MAX_CLAIMS_PER_ARTICLE or max(sentences) - min(sentences) > 2:
                return False
        if self.vectors is None or len(a) + len(b) < 3:
            return True
        return _centroid_cosine(a, b, self.vectors) >= MERGE_COSINE

    def union(self, x: Node, y: Node, score: float) -> bool:
        """Join the groups of ``x`` and ``y`` if the result stays coherent; whether it did."""
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return True
        if not self._fits(self.members[rx], self.members[ry]):
            return False
        self.parent[ry] = rx
        self.members[rx] += self.members.pop(ry)
        self.weakest[rx] = min(score, self.weakest.get(rx, 1.0), self.weakest.pop(ry, 1.0))
        return True


def _centroid_cosine(
    a: list[Node], b: list[Node], vectors: Callable[[Node], np.ndarray | None]
) -> float:
    def centroid(nodes: list[Node]) -> np.ndarray | None:
        rows = [v for v in (vectors(n) for n in nodes) if v is not None and v.size]
        if not rows:
            return None
        mean = np.mean(rows, axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm else None

    ca, cb = centroid(a), centroid(b)
    return 1.0 if ca is None or cb is None else float(ca @ cb)


def group_facts(
    claims: Sequence[Sequence[Claim]],
    links: Mapping[tuple[int, int], Sequence[AlignedPair]],
    conflicts: Sequence[Conflict] = (),
    vectors: Callable[[Node], np.ndarray | None] | None = None,
) -> list[Fact]:
    """Group claims into facts along aligned pairs, strongest link first.

    Args:
        claims: per article, its claims (see :func:`claims_of`).
        links: ``(i, j) -> pairs`` with ``index_a`` a sentence of article ``i`` and ``index_b``
            one of article ``j``; only pairs marked ``paraphrase`` link claims.
        conflicts: conflicting claims also join one fact (told by both, differently).
        vectors: a claim's sentence vector (keeps large facts coherent; see :class:`_Groups`).

    Returns:
        Facts in order of first appearance (article, then sentence).
    """
    groups = _Groups(vectors)
    edges = [
        (p.score, (i, p.index_a), (j, p.index_b))
        for (i, j), pairs in links.items()
        for p in pairs
        if p.paraphrase and _valid(claims, i, p.index_a) and _valid(claims, j, p.index_b)
    ]
    edges += [
        (c.score, (c.claim_a.doc, c.claim_a.sentence), (c.claim_b.doc, c.claim_b.sentence))
        for c in conflicts
    ]
    for score, x, y in sorted(edges, key=lambda e: -e[0]):
        groups.union(x, y, score)
    members: dict[Node, list[Claim]] = {}
    for doc_claims in claims:
        for c in doc_claims:
            if is_claim(c):
                members.setdefault(groups.find((c.doc, c.sentence)), []).append(c)
    n_docs = sum(1 for doc_claims in claims if any(is_claim(c) for c in doc_claims))
    facts = []
    for root, group in members.items():
        docs = sorted({c.doc for c in group})
        coverage = "one" if len(docs) == 1 else "all" if len(docs) >= n_docs else "some"
        first = {d: next(c for c in group if c.doc == d) for d in docs}
        facts.append(
            Fact(
                claims=tuple(sorted(group, key=lambda c: (c.doc, c.sentence))),
                article_ids=tuple(first[d].article_id for d in docs),
                sources=tuple(first[d].source for d in docs),
                coverage=coverage,
                score=groups.weakest.get(root, 1.0) if len(group) > 1 else 1.0,
            )
        )
    facts.sort(key=lambda f: (f.claims[0].doc, f.claims[0].sentence))
    return facts


def _valid(claims: Sequence[Sequence[Claim]], doc: int, sentence: int) -> bool:
    return 0 <= doc < len(claims) and 0 <= sentence < len(claims[doc])


def find_conflicts(
    claims: Sequence[Sequence[Claim]],
    links: Mapping[tuple[int, int], Sequence[AlignedPair]],
    *,
    min_score: float = CONFLICT_MIN_SCORE,
) -> list[Conflict]:
    """Conflicts between aligned sentences of different articles.

    Args:
        claims: per article, its claims.
        links: aligned pairs per article pair, as for :func:`group_facts`.
        min_score: pairs scoring at least this (or marked paraphrases) are compared.

    Returns:
        Conflicts, strongest alignment first; one per pair of sentences and kind.
    """
    found: list[Conflict] = []
    for (i, j), pairs in links.items():
        for p in pairs:
            if not (_valid(claims, i, p.index_a) and _valid(claims, j, p.index_b)):
                continue
            a, b = claims[i][p.index_a], claims[j][p.index_b]
            strong = p.paraphrase or p.score >= min_score
            if not strong and not _same_wording(p, a, b):
                continue
            for kind, what, va, vb in values.disagreements(a, b, strong=strong):
                found.append(Conflict(kind, what, va, vb, a, b, p.score))
    found.sort(key=lambda c: -c.score)
    return found


def _same_wording(p: AlignedPair, a: Claim, b: Claim) -> bool:
    """Two versions of one statement by their words (numbers masked), though not paraphrases."""
    return p.cosine >= WORDING_MIN_COSINE and values.residual_overlap(a, b) >= WORDING_OVERLAP


def _vector_lookup(
    vectors: Sequence[np.ndarray] | None,
) -> Callable[[Node], np.ndarray | None] | None:
    if vectors is None:
        return None

    def lookup(node: Node) -> np.ndarray | None:
        doc, sentence = node
        rows = vectors[doc] if 0 <= doc < len(vectors) else None
        return rows[sentence] if rows is not None and sentence < len(rows) else None

    return lookup


def fact_report(
    articles: Sequence[Article],
    analyses: Sequence[Analysis],
    links: Mapping[tuple[int, int], Sequence[AlignedPair]],
    vectors: Sequence[np.ndarray] | None = None,
) -> FactReport:
    """Facts and conflicts of a set of articles.

    Args:
        articles: the compared articles.
        analyses: their analyses, in the same order.
        links: aligned sentence pairs per article pair ``(i, j)``, ``i < j``.
        vectors: per article, its sentence vectors (row ``k`` for sentence ``k``), to keep
            facts of many articles coherent.

    Returns:
        The :class:`FactReport`.
    """
    claims = [claims_of(i, a, an) for i, (a, an) in enumerate(zip(articles, analyses))]
    conflicts = find_conflicts(claims, links)
    judged = {key: {(p.index_a, p.index_b) for p in pairs} for key, pairs in links.items()}
    for a, b, cos, (what, va, vb) in figurepairs.unaligned_conflicts(claims, judged, vectors):
        conflicts.append(Conflict("quantity", what, va, vb, a, b, cos))
    seen = {(c.claim_a.doc, c.claim_a.sentence, c.claim_b.doc, c.claim_b.sentence) for c in conflicts}
    words = [set(stems(a.body)) for a in articles]
    for c in restated.restated_conflicts(claims, vectors, words, seen):
        conflicts.append(Conflict(c.kind, c.what, c.value_a, c.value_b, c.a, c.b, c.cosine))
    return FactReport(
        article_ids=tuple(a.id for a in articles),
        facts=tuple(group_facts(claims, links, conflicts, _vector_lookup(vectors))),
        conflicts=tuple(conflicts),
    )
