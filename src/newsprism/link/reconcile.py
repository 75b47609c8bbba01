"""Stable story ids across a re-clustering: who keeps which id, what merged, what split.

Rules (users bookmark story ids):

* a split keeps the id on the larger part: an old story's id goes to the new cluster holding
  most of its articles (ties: the cluster whose earliest article comes first);
* a merge keeps the older id: when several old stories go to one cluster, the one created first
  (smallest creation number) keeps its id and the others are recorded as merged into it;
* a cluster that no old story goes to gets a new id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class Reconciliation:
    """The outcome: final id per cluster, merges and splits.

    Attributes:
        ids: cluster key -> final story id.
        merges: (survivor, merged) old ids, in a stable order.
        splits: old id -> final ids of the other parts that left it.
        new: final ids that no old story had.
    """

    ids: dict[str, str] = field(default_factory=dict)
    merges: list[tuple[str, str]] = field(default_factory=list)
    splits: dict[str, list[str]] = field(default_factory=dict)
    new: list[str] = field(default_factory=list)


def reconcile(
    clusters: Mapping[str, Sequence[str]],
    old_story: Mapping[str, str],
    old_seq: Mapping[str, int],
    new_id: Callable[[str], str],
) -> Reconciliation:
    """Give each new cluster its final story id.

    Args:
        clusters: cluster key -> article ids (earliest article first).
        old_story: article id -> its story id before (articles never linked are absent).
        old_seq: old story id -> creation number (smaller is older).
        new_id: makes a fresh story id for a cluster key (called only for clusters no old story
            goes to).

    Returns:
        A :class:`Reconciliation`.
    """
    overlap: dict[str, Counter[str]] = {}
    order = {key: i for i, key in enumerate(clusters)}
    for key, members in clusters.items():
        for aid in members:
            old = old_story.get(aid)
            if old is not None:
                overlap.setdefault(old, Counter())[key] += 1
    home: dict[str, str] = {}
    for old, counts in overlap.items():
        home[old] = max(counts, key=lambda k: (counts[k], -order[k]))
    claims: dict[str, list[str]] = {}
    for old, key in home.items():
        claims.setdefault(key, []).append(old)
    out = Reconciliation()
    for key in clusters:
        olds = sorted(claims.get(key, []), key=lambda o: (old_seq.get(o, 1 << 62), o))
        if olds:
            out.ids[key] = olds[0]
            out.merges += [(olds[0], other) for other in olds[1:]]
        else:
            out.ids[key] = new_id(key)
            out.new.append(out.ids[key])
    for old, counts in overlap.items():
        others = [out.ids[k] for k in counts if k != home[old]]
        if others:
            out.splits[old] = others
    return out
