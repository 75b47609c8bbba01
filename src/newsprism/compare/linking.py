"""Which sentences of two articles state the same claim.

Three kinds of evidence link sentence ``i`` of A to sentence ``j`` of B:

1. the paraphrase model (when installed) says they are paraphrases;
2. their MiniLM cosine plus their shared *anchors* reaches :data:`LINK_SCORE`. Anchors are what
   the analysis pinned down: entity identities, places, dates (a day also counts as its month,
   so "5 March" meets "last month" in March) and figures with what they count. Each shared
   anchor weighs its rarity in the two articles, ``log(N / df)``, so "Idlib" in a story about
   Idlib adds little and "12 January" or "Moscow" add much;
3. a reused passage covers both.

The threshold is a design choice checked, not fitted, on the seed pair and the compare fixtures
(the same claims told in other words score 0.83-0.93: "Erdogan met Putin in Moscow last month to
forge a new deal" / "Turkish and Russian presidents gathered in Moscow on 5 March to reach a new
deal" is cosine 0.55 + 0.28 of anchors; different claims of the story reach at most 0.69). Its
effect on real text is measured by ``benchmarks/conflicts.py`` (ECB+ and BASIL, report split):
a conflict needs two linked or aligned sentences.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from newsprism.analyze.model import Analysis
from newsprism.compare.base import AlignedPair
from newsprism.compare.lexicon import stem
from newsprism.compare.matching import align_vectors, candidate_pairs
from newsprism.compare.prepare import Prepared
from newsprism.compare.reuse import ReusedPassage

#: Cosine plus anchor score from which two sentences state the same claim (see module doc).
LINK_SCORE = 0.75
#: Score added per unit of anchor rarity (``log(N / df)``), and the most anchors may add.
ANCHOR_WEIGHT = 0.03
ANCHOR_CAP = 0.3
#: Pairs below this cosine are not linked by anchors alone (two sentences naming the same rare
#: place can still be about different things).
ANCHOR_MIN_COSINE = 0.5
#: Share of a sentence a reused passage must cover (on one side; a sixth of that on the other)
#: to link it to its counterpart: an 8-word copied clause inside a 40-word sentence links it.
REUSE_LINK_COVER = 0.25
_SKIP_TIME_MODIFIERS = frozenset({"duration", "since", "until"})


def sentence_anchors(analysis: Analysis, n: int) -> list[set[str]]:
    """Anchors of each of the first ``n`` sentences (places are entities with ``place:`` keys)."""
    out: list[set[str]] = [set() for _ in range(n)]
    for e in analysis.entities:
        if e.sentence < n:
            out[e.sentence].add(e.key)
    for t in analysis.times:
        if t.sentence < n and t.modifier not in _SKIP_TIME_MODIFIERS:
            out[t.sentence].add(
                f"T:{t.first_day[:7]}" if t.granularity in ("day", "month") else f"T:{t.value}"
            )
            if t.granularity == "day":
                out[t.sentence].add(f"T:{t.value}")
    for f in analysis.figures:
        if f.sentence < n and not f.vague:
            out[f.sentence].add(f"F:{f.value:g}:{stem(f.counted) if f.counted else f.event}")
    return out


def anchor_scores(anchors_a: Sequence[set[str]], anchors_b: Sequence[set[str]]) -> np.ndarray:
    """``(len(a), len(b))`` anchor scores: rarity-weighted shared anchors, capped."""
    scores = np.zeros((len(anchors_a), len(anchors_b)), dtype=np.float32)
    total = len(anchors_a) + len(anchors_b)
    df = Counter(x for s in (*anchors_a, *anchors_b) for x in s)
    for i, sa in enumerate(anchors_a):
        if not sa:
            continue
        for j, sb in enumerate(anchors_b):
            shared = sa & sb
            if shared:
                weight = sum(math.log(total / df[x]) for x in shared)
                scores[i, j] = min(ANCHOR_CAP, ANCHOR_WEIGHT * weight)
    return scores


def _overlap(s: int, e: int, lo: int, hi: int) -> int:
    return max(0, min(e, hi) - max(s, lo))


def reuse_links(pa: Prepared, pb: Prepared, passages: Sequence[ReusedPassage]) -> list[AlignedPair]:
    """Sentence pairs joined by a reused passage, matched by position inside the passage."""
    sents_a = pa.analysis.sentences[: len(pa.vectors)]
    sents_b = pb.analysis.sentences[: len(pb.vectors)]
    out = []
    for p in passages:
        for i, s in enumerate(sents_a):
            cover_a = _overlap(s.start, s.end, p.start_a, p.end_a) / max(1, s.end - s.start)
            if cover_a <= 0:
                continue
            middle = (max(s.start, p.start_a) + min(s.end, p.end_a)) / 2
            target = p.start_b + (middle - p.start_a) / max(1, p.end_a - p.start_a) * (
                p.end_b - p.start_b
            )
            j = next((k for k, t in enumerate(sents_b) if t.start <= target <= t.end), None)
            if j is None:
                continue
            t = sents_b[j]
            cover_b = _overlap(t.start, t.end, p.start_b, p.end_b) / max(1, t.end - t.start)
            if (
                max(cover_a, cover_b) >= REUSE_LINK_COVER
                and min(cover_a, cover_b) >= REUSE_LINK_COVER / 6
            ):
                out.append(AlignedPair(i, j, s.text, t.text, p.similarity, 0.0, True))
    return out


def _model_links(
    pa: Prepared, pb: Prepared, cos: np.ndarray, paraphraser: Any
) -> list[AlignedPair]:
    sa, sb = pa.sentences, pb.sentences
    if paraphraser is None:
        return align_vectors(sa, sb, pa.vectors, pb.vectors)
    cand = candidate_pairs(cos)
    probs = paraphraser.score([(sa[i], sb[j]) for i, j in cand]) if cand else []
    cut = paraphraser.cut
    return [
        AlignedPair(i, j, sa[i], sb[j], float(p), float(cos[i, j]), bool(p >= cut))
        for (i, j), p in zip(cand, probs)
    ]


def claim_links(
    pa: Prepared, pb: Prepared, passages: Sequence[ReusedPassage], paraphraser: Any = None
) -> list[AlignedPair]:
    """Sentence pairs of two articles that may state the same claim.

    Args:
        pa, pb: the prepared articles.
        passages: their reused passages.
        paraphraser: the paraphrase model (``score(pairs)``, ``cut``), or None for cosine only.

    Returns:
        Pairs in A's order; ``paraphrase`` is True for pairs that state the same claim, and
        ``score`` is the best of the model's probability and cosine plus anchors.
    """
    found: dict[tuple[int, int], AlignedPair] = {}
    sa, sb = pa.sentences, pb.sentences
    if pa.vectors.shape[1] and pb.vectors.shape[1] and sa and sb:
        cos = np.clip(pa.vectors @ pb.vectors.T, -1.0, 1.0)
        found = {(p.index_a, p.index_b): p for p in _model_links(pa, pb, cos, paraphraser)}
        bonus = anchor_scores(
            sentence_anchors(pa.analysis, len(sa)), sentence_anchors(pb.analysis, len(sb))
        )
        combined = np.where(cos >= ANCHOR_MIN_COSINE, cos + bonus, 0.0)
        for i, j in zip(*np.nonzero(combined >= LINK_SCORE)):
            i, j = int(i), int(j)
            old = found.get((i, j))
            score = float(combined[i, j])
            if old is None or score > old.score or not old.paraphrase:
                found[(i, j)] = AlignedPair(
                    i,
                    j,
                    sa[i],
                    sb[j],
                    max(score, old.score if old else 0.0),
                    float(cos[i, j]),
                    True,
                )
    for p in reuse_links(pa, pb, passages):
        old = found.get((p.index_a, p.index_b))
        if old is None or not old.paraphrase:
            found[(p.index_a, p.index_b)] = p
    return sorted(found.values(), key=lambda p: (p.index_a, p.index_b))
