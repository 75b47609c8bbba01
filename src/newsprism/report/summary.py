"""The multi-source summary: a few sentences that say what the story is, each told once.

The compare stage already grouped the sentences of all articles into *facts* (sentences of
different articles that state the same thing, told by all, some or one outlet). The summary picks
facts, not sentences, so a point two outlets repeat appears once, with both outlets behind it:

1. candidates are facts with at least one summary-worthy sentence (8-60 words, not mostly a
   direct quote; when the comparison aligned only each article's first sentences, only those);
2. each is scored by how many outlets back it, how close to the top of an article it comes
   (news leads hold the main points), and how central it is to the story (cosine to the mean
   sentence vector of all articles);
3. up to half the points go to the articles' leads (the fact holding each article's first
   summary-worthy sentence), best first; the rest to the best remaining facts, each score
   lowered by its closeness to the points already taken (maximal marginal relevance), and a
   near-repeat of a taken point skipped;
4. the points are shown in story order (where they come in the articles), each worded by the
   sentence that reads best on its own (no leading "But"/"He"), with its outlets; a point only
   one outlet reports says so.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism.compare.facts import Claim, Fact, fact_report
from newsprism.compare.spans import covered, quote_spans
from newsprism.report.base import Material, coverage_of

logger = logging.getLogger(__name__)

#: Sentence lengths (words) a summary point may have: shorter ones rarely stand alone
#: ("The talks failed."), longer ones are paragraphs run together.
MIN_WORDS, MAX_WORDS = 8, 60
#: A sentence more than this share inside quotation marks is a quote, not a point.
MAX_QUOTED = 0.5
#: Weights of the three scores (each in [0, 1]): equal, a design choice (no human-rated
#: multi-source summaries to fit them on; none of the three is known to matter more). Read, not
#: fitted, on the seed pair, the sample's multi-outlet stories and the report tests' ferry story
#: (shared lead facts rank first; single-outlet background paragraphs last). With two outlets
#: support is all or nothing, so each outlet's lead also gets a reserved place (``_pick``).
W_SUPPORT, W_LEAD, W_CENTRAL = 1.0, 1.0, 1.0
#: Sentence index at which the lead score halves (sentence 0 scores 1, sentence 3 0.5).
LEAD_HALF = 3.0
#: Weight of a candidate's highest cosine to the points already taken (maximal marginal
#: relevance). A design choice: 0.5 is the usual MMR balance of relevance and novelty
#: (Carbonell & Goldstein 1998 use 0.3-0.7); without it, three looting details of the seed pair
#: took three of five points.
W_REDUNDANCY = 0.5
#: Score lost by a fact whose every sentence leans on the one before ("They were reported...").
LEANING_PENALTY = 0.5
#: Cosine from which a candidate repeats a point already taken (the compare stage links
#: restatements from about 0.75 with anchors; 0.8 leaves related but distinct points in).
REDUNDANT_COSINE = 0.8
#: Opening words of sentences that lean on the one before (poor stand-alone points).
_LEANING = re.compile(
    r"^(?:but|and|however|meanwhile|later|also|still|yet|instead|then|so|thus|this|these|"
    r"those|that|he|she|they|it|his|her|their|its|such|there|in response|as a result)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SummaryPoint:
    """One point of the summary.

    Attributes:
        text: the sentence that words it; ``article_id``/``sentence``/``start``/``end``
            locate it.
        sources: outlets that report it, in article order; ``coverage`` is ``one``, ``some`` or
            ``all`` of the story's outlets (``one``: only that outlet reports it).
        claims: every sentence of the fact, ``(article_id, outlet, sentence, start, end, text)``.
        score: the ranking score (support + lead + centrality).
        disputed: what the outlets report differently in these sentences ("people killed"),
            from the comparison's conflicts.
    """

    text: str
    article_id: str
    sentence: int
    start: int
    end: int
    sources: tuple[str, ...]
    article_ids: tuple[str, ...]
    coverage: str
    score: float
    claims: tuple[tuple[str, str, int, int, int, str], ...]
    disputed: tuple[str, ...] = ()

    @property
    def only(self) -> str | None:
        """The one outlet that reports this point, or None when several do."""
        return self.sources[0] if self.coverage == "one" and self.sources else None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "text": self.text,
            "article_id": self.article_id,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "sources": list(self.sources),
            "article_ids": list(self.article_ids),
            "coverage": self.coverage,
            "only": self.only,
            "score": round(self.score, 4),
            "disputed": list(self.disputed),
            "claims": [
                {"article_id": a, "source": s, "sentence": i, "start": b, "end": e, "text": t}
                for a, s, i, b, e, t in self.claims
            ],
        }


@dataclass(slots=True)
class _Candidate:
    fact: Fact
    claims: list[Claim]
    vector: np.ndarray | None = None
    score: float = 0.0
    position: float = 1.0


def _facts(material: Material) -> Sequence[Fact]:
    if material.comparison is not None:
        return tuple(material.comparison.facts.facts)
    # One article: each of its sentences is a fact of its own (the compare stage's form).
    articles = [a for a in material.compared if a.id in material.analyses]
    analyses = [material.analyses[a.id] for a in articles]
    return fact_report(articles, analyses, {}).facts


def _usable(material: Material, quotes: dict[str, list[tuple[int, int]]], claim: Claim) -> bool:
    limit = material.sentence_limit
    if limit is not None and claim.sentence >= limit:
        return False
    if not MIN_WORDS <= len(claim.text.split()) <= MAX_WORDS:
        return False
    spans = quotes.get(claim.article_id, [])
    quoted = covered(spans, claim.start, claim.end) if spans else 0
    return quoted <= MAX_QUOTED * max(1, claim.end - claim.start)


def _candidates(material: Material) -> list[_Candidate]:
    quotes = {a.id: quote_spans(a.body) for a in material.compared}
    out = []
    for fact in _facts(material):
        claims = [c for c in fact.claims if _usable(material, quotes, c)]
        if claims:
            out.append(_Candidate(fact, claims))
    return out


def _normalize(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def _score(material: Material, cands: list[_Candidate]) -> None:
    """Vectors, scores and story positions of the candidates."""
    texts = list(dict.fromkeys(c.text for cand in cands for c in cand.claims))
    rows = material.vectors(texts)
    by_text = {} if rows is None else dict(zip(texts, rows))
    per_article: dict[str, list[np.ndarray]] = {}
    for cand in cands:
        for c in cand.claims:
            if c.text in by_text:
                per_article.setdefault(c.article_id, []).append(by_text[c.text])
    centroid = (
        _normalize(np.mean([np.mean(v, axis=0) for v in per_article.values()], axis=0))
        if per_article
        else None
    )
    total = len(material.outlets)
    lengths = {k: max(1, len(a.sentences)) for k, a in material.analyses.items()}
    for cand in cands:
        outlets = {material.outlet(a) for a in cand.fact.article_ids}
        support = (len(outlets) - 1) / max(1, total - 1)
        lead = max(1.0 / (1.0 + c.sentence / LEAD_HALF) for c in cand.claims)
        central = 0.0
        if centroid is not None:
            cand.vector = _normalize(np.mean([by_text[c.text] for c in cand.claims], axis=0))
            central = max(0.0, float(cand.vector @ centroid))
        leaning = all(_LEANING.match(c.text) for c in cand.claims)
        cand.score = (
            W_SUPPORT * support + W_LEAD * lead + W_CENTRAL * central - LEANING_PENALTY * leaning
        )
        cand.position = min(c.sentence / lengths.get(c.article_id, 1) for c in cand.claims)


def _leads(material: Material, cands: list[_Candidate]) -> set[int]:
    """Candidates holding an article's first usable sentence (its lead)."""
    first: dict[str, tuple[int, int]] = {}
    for k, cand in enumerate(cands):
        for c in cand.claims:
            if c.article_id not in first or c.sentence < first[c.article_id][0]:
                first[c.article_id] = (c.sentence, k)
    return {k for _, k in first.values()}


def _redundancy(cand: _Candidate, chosen: Sequence[_Candidate]) -> float:
    sims = [
        float(cand.vector @ o.vector)
        for o in chosen
        if cand.vector is not None and o.vector is not None
    ]
    return max(sims, default=0.0)


def _pick(material: Material, cands: list[_Candidate], points: int) -> list[_Candidate]:
    """Leads first (up to half the points, best first), then the rest by score less
    redundancy with what is already taken (maximal marginal relevance)."""
    chosen: list[_Candidate] = []
    leads = _leads(material, cands)
    ranked = sorted(range(len(cands)), key=lambda k: -cands[k].score)
    for k in ranked:
        if len(chosen) >= (points + 1) // 2:
            break
        if k in leads and _redundancy(cands[k], chosen) < REDUNDANT_COSINE:
            chosen.append(cands[k])
    while len(chosen) < points:
        rest = [
            (c.score - W_REDUNDANCY * _redundancy(c, chosen), k)
            for k, c in enumerate(cands)
            if all(c is not o for o in chosen) and _redundancy(c, chosen) < REDUNDANT_COSINE
        ]
        if not rest:
            break
        chosen.append(cands[max(rest)[1]])
    return chosen


def _point(material: Material, cand: _Candidate) -> SummaryPoint:
    order = {a.id: k for k, a in enumerate(material.compared)}
    best = min(
        cand.claims,
        key=lambda c: (bool(_LEANING.match(c.text)), c.sentence, order.get(c.article_id, 0)),
    )
    claims = sorted(cand.fact.claims, key=lambda c: (order.get(c.article_id, 0), c.sentence))
    sources = tuple(dict.fromkeys(material.outlet(c.article_id) for c in claims))
    where = {(c.article_id, c.sentence) for c in claims}
    conflicts = material.comparison.conflicts if material.comparison is not None else ()
    disputed = tuple(
        dict.fromkeys(
            x.what
            for x in conflicts
            if (x.claim_a.article_id, x.claim_a.sentence) in where
            or (x.claim_b.article_id, x.claim_b.sentence) in where
        )
    )
    return SummaryPoint(
        text=best.text,
        article_id=best.article_id,
        sentence=best.sentence,
        start=best.start,
        end=best.end,
        sources=sources,
        article_ids=tuple(dict.fromkeys(c.article_id for c in claims)),
        coverage=coverage_of(len(sources), len(material.outlets)),
        score=cand.score,
        claims=tuple(
            (c.article_id, material.outlet(c.article_id), c.sentence, c.start, c.end, c.text)
            for c in claims
        ),
        disputed=disputed,
    )


def build_summary(material: Material, points: int = 5) -> tuple[SummaryPoint, ...]:
    """The multi-source summary of the compared articles.

    Args:
        material: the story's articles, analyses and comparison.
        points: at most this many points.

    Returns:
        Points in story order (see the module docstring).
    """
    cands = _candidates(material)
    if not cands:
        return ()
    _score(material, cands)
    chosen = _pick(material, cands, points)
    chosen.sort(key=lambda c: (c.position, -c.score))
    logger.debug("summary: %d candidate facts -> %d points", len(cands), len(chosen))
    return tuple(_point(material, c) for c in chosen)
