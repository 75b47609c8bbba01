"""Shared helpers for the linking benchmarks: data locations, loaders and clustering scores.

Data lives in ../shared/data next to the repository (never copied into it); a benchmark whose
data is missing prints why and exits 0.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Hashable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from newsprism.model import Article
from newsprism.testing import make_article

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(__import__("os").environ.get("NEWSPRISM_SHARED", ROOT.parent / "shared"))
ECBPLUS = SHARED / "data" / "ecbplus" / "docs.jsonl"
BASIL = SHARED / "data" / "basil" / "articles"


def ecbplus_gold(path: Path = ECBPLUS) -> dict[str, str]:
    """ECB+ document id (the ingested article's ``external_id``) -> gold story label."""
    gold = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            gold[doc["id"]] = doc["story"]
    return gold


def basil_articles(root: Path = BASIL) -> tuple[list[Article], dict[str, str]]:
    """BASIL's 300 articles (100 events x Fox, NYT, HuffPost) and article id -> event label."""
    articles: list[Article] = []
    gold: dict[str, str] = {}
    for path in sorted(root.glob("*/*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in doc.get("body-paragraphs", [])]
        published = datetime.fromisoformat(doc["date"]).replace(tzinfo=UTC) if doc.get("date") else None
        article = make_article(
            doc.get("title") or "", [p for p in paragraphs if p.strip()] or [""],
            source=doc.get("source"), published=published, url=doc.get("url"), external_id=doc.get("uuid"),
        )
        articles.append(article)
        gold[article.id] = doc["triplet-uuid"]
    articles.sort(key=lambda a: (a.published or datetime.min.replace(tzinfo=UTC), a.id))
    return articles, gold


def bcubed(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering (one label per item in each list)."""
    by_pred: dict[Hashable, set[int]] = defaultdict(set)
    by_gold: dict[Hashable, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        both = len(by_pred[p] & by_gold[g])
        precision += both / len(by_pred[p])
        recall += both / len(by_gold[g])
    n = max(1, len(pred))
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pairwise(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 (pairs of items put in one cluster)."""

    def pairs(labels: Sequence[Hashable]) -> set[tuple[int, int]]:
        groups: dict[Hashable, list[int]] = defaultdict(list)
        for i, label in enumerate(labels):
            groups[label].append(i)
        return {(a, b) for members in groups.values() for i, a in enumerate(members) for b in members[i + 1 :]}

    p, g = pairs(pred), pairs(gold)
    precision = len(p & g) / len(p) if p else 1.0
    recall = len(p & g) / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
