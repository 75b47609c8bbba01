"""Conflicts between sentences the aligner left apart but that state one count.

Two outlets may report one tally in sentences that say different things around it ("A man has
died and 340 homes have been flooded in Delmont after the river burst its banks" / "Emergency
services said about 600 people had been evacuated and that 430 homes had been flooded"): the
sentences are not paraphrases, yet the counts are two versions of one fact. Such a pair is
compared when

* the sentences are at least :data:`MIN_COSINE` alike (one story, one topic);
* a figure of each counts the same specific thing (:func:`quantities.same_thing`) *and* the
  same thing happened to it: the same event, or the same verb right after it ("homes have been
  flooded" / "homes had been flooded");
* the values cannot both hold, differ by at most :data:`MAX_RATIO` (a far larger count is a
  total against a part, or another period), and the sentences share at least
  :data:`MIN_SHARED_WORDS` other content words, about one subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from newsprism.analyze.model import Figure
from newsprism.compare import quantities, values
from newsprism.compare.lexicon import fold_words, stem, word_set

if TYPE_CHECKING:
    from newsprism.compare.facts import Claim

#: Sentence cosine (MiniLM) from which two sentences of one story may state one count. The
#: Delmont pair above is 0.51; sentences of one story on other topics sit under 0.45.
MIN_COSINE = 0.45
#: Largest ratio between two versions of one count (340 / 430 homes is 1.26).
MAX_RATIO = 2.0
MIN_SHARED_WORDS = 2
#: Words between a counted noun and its verb ("have been", "were").
_AUXILIARY = word_set(
    "have has had been be being were was are is will would could may might also all now"
)
#: Words after a figure's text searched for its verb.
_VERB_WINDOW = 4


def _verb(f: Figure, claim: Claim) -> str | None:
    """The figure's event, else the first word after it that is not an auxiliary."""
    if f.event:
        return quantities.SYNONYMS.get(stem(f.event), stem(f.event))
    after = claim.text[max(0, f.end - claim.start) :]
    for word in fold_words(after)[:_VERB_WINDOW]:
        if word not in _AUXILIARY:
            s = stem(word)
            return quantities.SYNONYMS.get(s, s)
    return None


def _same_count(f: Figure, a: Claim, g: Figure, b: Claim) -> bool:
    if f.unit is not None or not quantities.same_thing(f, g):
        return False
    vf, vg = _verb(f, a), _verb(g, b)
    if vf is None or vf != vg:
        return False
    low, high = sorted((abs(f.value), abs(g.value)))
    return low > 0 and high / low <= MAX_RATIO


def count_conflicts(a: Claim, b: Claim) -> list[tuple[str, str, str]]:
    """``(what, value_a, value_b)`` for counts of one thing two unaligned sentences state
    differently (see the module doc); empty when the sentences tell of other things."""
    if not a.figures or not b.figures:
        return []
    if len(values.residual_words(a) & values.residual_words(b)) < MIN_SHARED_WORDS:
        return []
    if values.different_subjects(a, b) is not None:
        return []
    return values.quantity_conflicts(
        quantities.whole_figures(a),
        quantities.whole_figures(b),
        same=lambda f, g: _same_count(f, a, g, b),
    )


def candidate_pairs(
    claims_a: Sequence[Claim],
    claims_b: Sequence[Claim],
    vectors_a: np.ndarray | None,
    vectors_b: np.ndarray | None,
    skip: set[tuple[int, int]],
) -> list[tuple[int, int, float]]:
    """``(i, j, cosine)`` for sentences with figures, at least :data:`MIN_COSINE` alike, not in
    ``skip`` (pairs the aligner already judged)."""
    if vectors_a is None or vectors_b is None:
        return []
    rows = [c.sentence for c in claims_a if c.figures and c.sentence < len(vectors_a)]
    cols = [c.sentence for c in claims_b if c.figures and c.sentence < len(vectors_b)]
    if not rows or not cols:
        return []
    cos = vectors_a[rows] @ vectors_b[cols].T
    out = []
    for r, c in zip(*np.nonzero(cos >= MIN_COSINE)):
        i, j = rows[int(r)], cols[int(c)]
        if (i, j) not in skip:
            out.append((i, j, float(cos[r, c])))
    return out


def unaligned_conflicts(
    claims: Sequence[Sequence[Claim]],
    judged: dict[tuple[int, int], set[tuple[int, int]]],
    vectors: Sequence[np.ndarray] | None,
) -> list[tuple[Claim, Claim, float, tuple[str, str, str]]]:
    """Count conflicts between sentence pairs of every two articles that the aligner did not
    judge: ``(claim_a, claim_b, cosine, (what, value_a, value_b))``.

    Args:
        claims: per article, its claims.
        judged: per article pair ``(i, j)``, the sentence pairs the aligner scored.
        vectors: per article, its sentence vectors; None compares nothing.
    """
    if vectors is None:
        return []
    out = []
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if i >= len(vectors) or j >= len(vectors):
                continue
            pairs = candidate_pairs(
                claims[i], claims[j], vectors[i], vectors[j], judged.get((i, j), set())
            )
            for si, sj, cos in pairs:
                a, b = claims[i][si], claims[j][sj]
                out += [(a, b, cos, found) for found in count_conflicts(a, b)]
    return out
