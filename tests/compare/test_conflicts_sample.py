"""Conflicts on the bundled sample: the planted conflicting figures are found, the non-conflict
pairs (one fact written two ways) are not conflicts. Only the pairs the manifest names are
compared."""

from __future__ import annotations

from typing import Any

import pytest

from newsprism import MemoryStore, ingest
from newsprism.config import IngestOptions
from newsprism.data import sample_manifest, sample_path
from newsprism.model import Article
from tests.compare._articles import comparer

MANIFEST = sample_manifest()


def _norm(text: str) -> str:
    return " ".join(text.split())


def _is(claim_text: str, gold: str) -> bool:
    a, b = _norm(claim_text), _norm(gold)
    return bool(a) and (a in b or b in a)


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    """The sample documents named by the stories' conflict and non-conflict entries."""
    refs = set()
    for story in MANIFEST["stories"].values():
        refs |= {v["ref"] for v in story["conflict"]["values"]}
        refs |= {v["ref"] for v in story["non_conflict"]["items"]}
    docs = {d["ref"]: d for d in MANIFEST["documents"]}
    store = MemoryStore()
    by_outlet: dict[str | None, list[Any]] = {}
    for ref in sorted(refs):
        doc = docs[ref]
        path = sample_path() / ref.split(":")[0].split("#")[0]
        outlet = doc["outlet"] if doc["format"] == "text" else None
        if path not in by_outlet.setdefault(outlet, []):
            by_outlet[outlet].append(path)
    for outlet, paths in by_outlet.items():
        ingest(paths, store, options=IngestOptions(source=outlet), progress=False)
    return {a.input_ref.split("/")[-1]: a for a in store.articles()}


def _conflicts(a: Article, b: Article) -> Any:
    """Conflicts of one pair (the similarity model is not needed)."""
    pa, pb = comparer().prepare_many([a, b])
    return comparer().compare_prepared(pa, pb, similarity=False).conflicts


def _between(conflicts: Any, text_a: str, text_b: str) -> list[Any]:
    return [
        c
        for c in conflicts
        if (_is(c.claim_a.text, text_a) and _is(c.claim_b.text, text_b))
        or (_is(c.claim_a.text, text_b) and _is(c.claim_b.text, text_a))
    ]


def test_conflicts_sample_planted_figures_found(articles: dict[str, Article]) -> None:
    found = []
    for key, story in MANIFEST["stories"].items():
        first, *rest = story["conflict"]["values"]
        other = next(v for v in rest if v["value"] != first["value"])
        conflicts = _conflicts(articles[first["ref"]], articles[other["ref"]])
        hits = [
            c for c in _between(conflicts, first["text"], other["text"]) if c.kind == "quantity"
        ]
        if hits:
            found.append(key)
            assert hits[0].value_a != hits[0].value_b
    assert len(found) >= 5, found


def test_conflicts_sample_non_conflict_pairs_are_not_conflicts(
    articles: dict[str, Article],
) -> None:
    for key, story in MANIFEST["stories"].items():
        a, b = story["non_conflict"]["items"][:2]
        conflicts = _conflicts(articles[a["ref"]], articles[b["ref"]])
        assert _between(conflicts, a["text"], b["text"]) == [], key
