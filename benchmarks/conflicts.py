"""Conflicts on real text: seeded conflicts planted in same-event articles of ECB+ and BASIL.

For pairs of articles on one event (ECB+ sub-topics, BASIL's Fox / NYT / HuffPost triplets),
a seeded script changes one figure, date, place or person in a sentence of A that B also
reports (see ``benchmarks/_plant.py``) and compares the changed A with B as ``compare`` does
(the similarity score, which conflicts do not read, is skipped). It prints

* **recall**: planted conflicts found with both evidence sentences (A's changed sentence and a
  sentence of B that reported the old value), per kind and overall;
* **false conflicts**: conflicts reported on the *unchanged* pairs, per pair (every one counts
  as false, though some may be real differences between outlets; they are printed for reading);
* the same two figures for a **baseline** beside them: flag any two sentences of the pair
  at least ``SAME_COSINE`` alike whose values of one kind differ.

Splits, fixed before any result was looked at: ECB+ topics 1-25 (its usual train and dev
topics) and BASIL's first 50 events by triplet id are ``dev``, where the rules may be tuned;
ECB+ topics 26-45 and BASIL's other 50 events are ``report``, the only figures the floors check.

Floors (on ``report``, both corpora together): recall >= 0.80, false conflicts <= 1 per 20
unchanged pairs. Exit status 1 below a floor. The bundled sample's six planted conflicts are a
test (``tests/compare/test_conflicts_sample.py``), not this benchmark.

Usage::

    .venv/bin/python benchmarks/conflicts.py [--split report|dev] [--ecb-pairs 4] [--seed 14]
        [--show 10]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _plant
from benchmarks._data import BASIL, ECBPLUS, basil_articles

from newsprism.compare.pair import Comparer
from newsprism.compare.prepare import Prepared
from newsprism.model import Article
from newsprism.testing import make_article

MIN_RECALL = 0.80
MAX_FALSE_PER_PAIR = 1 / 20
DEV_ECB_TOPICS = 25
DEV_BASIL_EVENTS = 50


def _detokenize(text: str) -> str:
    """ECB+ text is tokenised ("May 03 , 2013", "90 - day"): put punctuation back in place."""
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    text = re.sub(r"(\w) - (\w)", r"\1-\2", text)
    text = re.sub(r"(\d): (\d)", r"\1:\2", text)
    text = re.sub(r"\b([ap])\. m\.", r"\1.m.", text)
    return re.sub(r" (['’](?:s|re|ve|ll|d|t)\b)", r"\1", text)


def ecb_pairs(split: str, per_story: int, rng: random.Random) -> list[tuple[str, Article, Article]]:
    """Seeded same-story pairs of ECB+ documents in the split (``per_story`` per sub-topic)."""
    stories: dict[str, list[Article]] = defaultdict(list)
    with ECBPLUS.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            in_dev = int(doc["topic"]) <= DEV_ECB_TOPICS
            if in_dev != (split == "dev"):
                continue
            lines = [_detokenize(x) for x in doc["text"].split("\n") if x.strip()]
            lines = [x for x in lines if not x.startswith("http")]
            article = make_article(
                "", lines or [""], source=f"ecb:{doc['id']}", external_id=doc["id"]
            )
            stories[doc["story"]].append(article)
    out = []
    for story in sorted(stories):
        pairs = list(combinations(stories[story], 2))
        for a, b in rng.sample(pairs, min(per_story, len(pairs))):
            out.append((f"ecb:{story}", a, b))
    return out


def basil_pairs(split: str) -> list[tuple[str, Article, Article]]:
    """Every pair of each BASIL triplet in the split."""
    articles, gold = basil_articles(BASIL)
    by_event: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_event[gold[a.id]].append(a)
    events = sorted(by_event)
    chosen = events[:DEV_BASIL_EVENTS] if split == "dev" else events[DEV_BASIL_EVENTS:]
    return [(f"basil:{e}", a, b) for e in chosen for a, b in combinations(by_event[e], 2)]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _same(claim_text: str, gold: str) -> bool:
    a, b = _norm(claim_text), _norm(gold)
    return bool(a) and (a in b or b in a)


def found_plant(conflicts: Any, p: _plant.Plant) -> Any:
    """The first conflict with A's changed sentence and one of B's partner sentences."""
    for c in conflicts:
        for x, y in ((c.claim_a.text, c.claim_b.text), (c.claim_b.text, c.claim_a.text)):
            if _same(x, p.sentence_a) and any(_same(y, s) for s in p.partners):
                return c
    return None


def baseline_flags(pa: Prepared, pb: Prepared) -> set[tuple[str, int, int]]:
    """``(kind, i, j)`` for sentences at least ``SAME_COSINE`` alike whose values differ."""
    out = set()
    if pa.vectors.shape[1] == 0 or not len(pa.vectors) or not len(pb.vectors):
        return out
    an_a, an_b = pa.analysis, pb.analysis
    cos = pa.vectors @ pb.vectors.T
    for i, j in zip(*(cos >= _plant.SAME_COSINE).nonzero()):
        i, j = int(i), int(j)
        for kind in _plant.KINDS:
            va, vb = _values(kind, an_a, i), _values(kind, an_b, j)
            if va and vb and not va & vb:
                out.add((kind, i, j))
            elif kind == "quantity" and va and vb and va != vb:
                out.add((kind, i, j))
    return out


def _values(kind: str, an: Any, i: int) -> set[str]:
    if kind == "quantity":
        return {f"{f.value:g}" for f in an.figures if f.sentence == i and not f.vague}
    if kind == "date":
        return {t.first_day for t in an.times if t.sentence == i and t.modifier is None}
    if kind == "place":
        return {p.name for p in an.places if p.sentence == i and p.kind != "country"}
    return {_plant._surname(e) for e in an.entities if e.sentence == i and e.label == "PERSON"}


@dataclass(frozen=True)
class Item:
    """One compared pair: unchanged (``plant`` None) or with a conflict planted in A."""

    corpus: str
    a: Prepared
    b: Prepared
    plant: _plant.Plant | None = None


def items(split: str, per_story: int, seed: int, comparer: Comparer) -> Iterator[Item]:
    """Each same-event pair of the split unchanged, then once per kind with a planted conflict
    (each article prepared once; each changed article prepared anew)."""
    rng = random.Random(seed)
    prepared: dict[str, Prepared] = {}

    def prep(article: Article) -> Prepared:
        if article.id not in prepared:
            [prepared[article.id]] = comparer.prepare_many([article])
        return prepared[article.id]

    for corpus, a, b in _pairs(split, per_story, rng):
        pa, pb = prep(a), prep(b)
        yield Item(corpus, pa, pb)
        options = _plant.candidates(pa.analysis, pa.vectors, pb.analysis, pb.vectors)
        for kind in _plant.KINDS:
            for choice in rng.sample(options[kind], len(options[kind])):
                p = _plant.plant(kind, a, pa.analysis, b, choice, pb.sentences, rng)
                if p is not None:
                    [changed] = comparer.prepare_many([p.article])
                    yield Item(corpus, changed, pb, p)
                    break


class Run:
    """The tallies."""

    def __init__(self, comparer: Comparer) -> None:
        self.comparer = comparer
        self.planted: Counter[tuple[str, str]] = Counter()
        self.found: Counter[tuple[str, str]] = Counter()
        self.base_found: Counter[tuple[str, str]] = Counter()
        self.pairs: Counter[str] = Counter()
        self.false: Counter[str] = Counter()
        self.base_false: Counter[str] = Counter()
        self.false_seen: list[Any] = []
        self.missed: list[tuple[_plant.Plant, str]] = []
        self.seconds = 0.0
        self.compares = 0

    def conflicts(self, pa: Prepared, pb: Prepared) -> Any:
        start = time.perf_counter()
        result = self.comparer.compare_prepared(pa, pb, similarity=False).conflicts
        self.seconds += time.perf_counter() - start
        self.compares += 1
        return result

    def add(self, item: Item) -> None:
        """Compare one item and count it."""
        corpus, pa, pb, p = item.corpus, item.a, item.b, item.plant
        found = self.conflicts(pa, pb)
        flags = baseline_flags(pa, pb)
        if p is None:
            self.pairs[corpus] += 1
            self.false[corpus] += len(found)
            self.false_seen += found
            self.base_false[corpus] += len(flags)
            return
        key = (corpus, p.kind)
        self.planted[key] += 1
        hit = found_plant(found, p)
        self.found[key] += hit is not None
        if hit is None:
            self.missed.append((p, corpus))
        self.base_found[key] += any(
            k == p.kind and _same(pa.sentences[i], p.sentence_a)
            and any(_same(pb.sentences[j], s) for s in p.partners)
            for k, i, j in flags
        )


def _ratio(n: int, d: int) -> str:
    return f"{n / d:.3f} ({n}/{d})" if d else "-"


def report(run: Run, split: str, show: int) -> bool:
    """Print the tables; whether the floors hold."""
    corpora = sorted({c for c, _ in run.planted} | set(run.pairs))
    print(f"split: {split}   (recall: found / planted; baseline: any two >= "
          f"{_plant.SAME_COSINE} alike sentences whose values differ)")
    print(f"{'corpus':8s} {'kind':9s} {'recall':>16s} {'baseline':>16s}")
    for corpus in corpora:
        for kind in _plant.KINDS:
            n = run.planted[(corpus, kind)]
            print(f"{corpus:8s} {kind:9s} {_ratio(run.found[(corpus, kind)], n):>16s} "
                  f"{_ratio(run.base_found[(corpus, kind)], n):>16s}")
        n = sum(run.planted[(corpus, k)] for k in _plant.KINDS)
        print(f"{corpus:8s} {'all':9s} {_ratio(sum(run.found[(corpus, k)] for k in _plant.KINDS), n):>16s} "
              f"{_ratio(sum(run.base_found[(corpus, k)] for k in _plant.KINDS), n):>16s}")
    total = sum(run.planted.values())
    recall = sum(run.found.values()) / total if total else 0.0
    base_recall = sum(run.base_found.values()) / total if total else 0.0
    pairs = sum(run.pairs.values())
    false = sum(run.false.values()) / pairs if pairs else 0.0
    base_false = sum(run.base_false.values()) / pairs if pairs else 0.0
    print("false conflicts per unchanged pair")
    for corpus in corpora:
        print(f"  {corpus:8s} {run.false[corpus] / max(1, run.pairs[corpus]):.3f} "
              f"({run.false[corpus]} over {run.pairs[corpus]} pairs); baseline "
              f"{run.base_false[corpus] / max(1, run.pairs[corpus]):.3f}")
    by_kind = Counter(c.kind for c in run.false_seen)
    print(f"  all      {false:.3f} ({sum(run.false.values())} over {pairs} pairs {dict(by_kind)});"
          f" baseline {base_false:.3f}")
    for c in run.false_seen[:show]:
        print(f"    {c.kind} {c.what!r}: {c.value_a!r} vs {c.value_b!r}")
        print(f"        A: {_norm(c.claim_a.text)[:150]}")
        print(f"        B: {_norm(c.claim_b.text)[:150]}")
    print(f"missed plants (first {show}):")
    for p, corpus in run.missed[:show]:
        print(f"    {corpus} {p.kind}: {p.old!r} -> {p.new!r}")
        print(f"        A: {_norm(p.sentence_a)[:150]}")
        print(f"        B: {_norm(p.partners[0])[:150]}")
    print(f"compare: {run.compares} pair comparisons in {run.seconds:.0f} s "
          f"({run.seconds / max(1, run.compares):.2f} s each, preparation not counted)")
    ok = recall >= MIN_RECALL and false <= MAX_FALSE_PER_PAIR
    print(f"{'PASS' if ok else 'FAIL'} [{split}]: recall {recall:.3f} over {total} planted "
          f"(floor {MIN_RECALL}; baseline {base_recall:.3f}), false conflicts {false:.3f} per pair "
          f"over {pairs} (ceiling {MAX_FALSE_PER_PAIR:.3f}; baseline {base_false:.3f})")
    return ok


def _pairs(split: str, per_story: int, rng: random.Random) -> Iterator[tuple[str, Article, Article]]:
    if ECBPLUS.exists():
        for key, a, b in ecb_pairs(split, per_story, rng):
            yield "ecb+", a, b
    if BASIL.is_dir():
        for key, a, b in basil_pairs(split):
            yield "basil", a, b


def main() -> int:
    """Plant, compare and print; exit status 1 when a floor fails on the split."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("report", "dev"), default="report")
    parser.add_argument("--ecb-pairs", type=int, default=4, help="pairs per ECB+ sub-topic")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--show", type=int, default=10, help="false conflicts and misses printed")
    args = parser.parse_args()
    if not ECBPLUS.exists() and not BASIL.is_dir():
        print(f"no data at {ECBPLUS.parent.parent}: skipped")
        return 0
    comparer = Comparer()
    run = Run(comparer)
    start = time.perf_counter()
    for item in items(args.split, args.ecb_pairs, args.seed, comparer):
        run.add(item)
    print(f"({time.perf_counter() - start:.0f} s in all)")
    return 0 if report(run, args.split, args.show) else 1


if __name__ == "__main__":
    sys.exit(main())
