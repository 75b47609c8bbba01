"""The seed pair (one story, two outlets) compared as issue 5 describes it.

Skipped where ../shared/seeds is absent (the seed texts are not part of the project).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism import MemoryStore, ingest
from newsprism.compare.pair import Comparison
from newsprism.config import IngestOptions
from tests.compare._articles import comparer

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no seed articles at {SEEDS}")


@pytest.fixture(scope="module")
def seed() -> Comparison:
    store = MemoryStore()
    tna, memo = sorted(SEEDS.glob("*.txt"))[:2]
    ingest([tna], store, options=IngestOptions(source="The New Arab"), progress=False)
    ingest([memo], store, options=IngestOptions(source="Middle East Monitor"), progress=False)
    by_source = {a.source: a for a in store.articles()}
    return comparer().compare(by_source["The New Arab"], by_source["Middle East Monitor"])


def _only(result: Comparison, article_id: str) -> str:
    return " ".join(c.text for f in result.facts.only(article_id) for c in f.claims)


def _shared_with(result: Comparison, *words: str) -> list[tuple[str, ...]]:
    """Sources of shared facts whose claims, in each article, mention one of ``words``."""
    out = []
    for fact in result.facts.by_coverage("all"):
        hits = {c.source for c in fact.claims if any(w in c.text for w in words)}
        if len(hits) == 2:
            out.append(tuple(sorted(hits)))  # type: ignore[arg-type]
    return out


def test_seed_looting_report_is_anadolu_wire_copy_in_both(seed: Comparison) -> None:
    [wire] = [w for w in seed.wire if w.agency == "Anadolu Agency"]
    assert set(wire.article_ids) == {seed.a.id, seed.b.id}
    looting = [
        f for f in wire.facts if all("loot" in c.text or "steal" in c.text for c in f.claims[:1])
    ]
    assert looting, "the looting report should be shared copy near both Anadolu credits"
    assert {c.article_id for c in looting[0].claims} == {seed.a.id, seed.b.id}
    assert (seed.origin.kind, seed.origin.name) == ("agency", "Anadolu Agency")


def test_seed_ceasefire_history_is_aligned(seed: Comparison) -> None:
    assert _shared_with(seed, "12 January")
    assert _shared_with(seed, "Moscow")


def test_seed_only_in_the_new_arab(seed: Comparison) -> None:
    only = _only(seed, seed.a.id)
    for words in ("villages were shelled", "coronavirus", "phone call", "Erdogan and Putin"):
        assert words in only


def test_seed_only_in_middle_east_monitor(seed: Comparison) -> None:
    only = _only(seed, seed.b.id)
    for words in ("Astana", "Sochi", "May 2019", "1,800 civilians"):
        assert words in only


def test_seed_headlines_focus_bombing_versus_looting(seed: Comparison) -> None:
    assert seed.framing.focus_a == ("bombing",)
    assert seed.framing.focus_b == ("looting",)
    assert seed.framing.a.backed and seed.framing.b.backed


def test_seed_has_no_false_conflict(seed: Comparison) -> None:
    assert seed.conflicts == ()
