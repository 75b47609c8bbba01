"""compare() and compare_story() end to end on fixture articles, bad input, and the CLI."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from newsprism.compare.pair import Comparer, Comparison, compare
from newsprism.compare.story import compare_story
from newsprism.errors import ConfigError, InputError
from newsprism.present.commands.compare import format_comparison, format_story_comparison
from newsprism.testing import make_article
from tests.compare._articles import coastal, comparer, harbour, valley


@pytest.fixture(scope="module")
def pair() -> Comparison:
    return comparer().compare(coastal(), harbour())


def _texts(facts: tuple) -> list[str]:  # type: ignore[type-arg]
    return [c.text for f in facts for c in f.claims]


def test_pair_shared_and_unique_facts(pair: Comparison) -> None:
    a, b = pair.a.id, pair.b.id
    shared = _texts(pair.facts.by_coverage("all"))
    assert any("3,000 residents" in t for t in shared)
    assert any("28 March" in t for t in shared) and any("last month" in t for t in shared)
    only_a = _texts(pair.facts.only(a))
    assert any("200 million euros" in t for t in only_a)
    assert any("brutal storm" in t for t in only_a)
    assert any("missing fishermen" in t for t in _texts(pair.facts.only(b)))


def test_pair_finds_the_planted_conflict_and_no_other(pair: Comparison) -> None:
    [conflict] = pair.conflicts
    assert conflict.kind == "quantity"
    assert (conflict.value_a, conflict.value_b) == ("Twelve people", "Fifteen people")
    assert "Twelve" in conflict.claim_a.text and "Fifteen" in conflict.claim_b.text


def test_pair_reuse_quote_and_agency_origin(pair: Comparison) -> None:
    [passage] = pair.reuse.passages
    assert passage.kind == "quote"
    assert "never seen the water rise" in passage.text_a
    assert pair.a.body[passage.start_a : passage.end_a] == passage.text_a
    assert (pair.origin.kind, pair.origin.name) == ("agency", "Reuters")
    assert [w.agency for w in pair.wire] == ["Reuters"]


def test_pair_framing_and_paraphrases(pair: Comparison) -> None:
    assert pair.framing.loaded_a == ("brutal", "ruinous")
    assert "killing" in pair.framing.focus_b
    assert any("3,000" in p.text_a for p in pair.paraphrases)
    assert [p.index_a for p in pair.paraphrases] == sorted(p.index_a for p in pair.paraphrases)


def test_pair_to_dict_is_plain_json(pair: Comparison) -> None:
    data = json.loads(json.dumps(pair.to_dict()))
    assert data["a"]["id"] == pair.a.id
    assert set(data) >= {
        "similarity",
        "reuse",
        "origin",
        "paraphrases",
        "facts",
        "framing",
        "notes",
    }
    assert data["facts"]["counts"]["all"] == len(pair.facts.by_coverage("all"))


def test_pair_text_report_names_each_part(pair: Comparison) -> None:
    text = format_comparison(pair)
    for heading in (
        "Reused text",
        "Reported by both",
        "Only in A (Coastal Courier)",
        "Conflicts (1)",
        "Framing",
        "likely origin: Reuters",
    ):
        assert heading in text


def test_pair_article_with_itself_is_all_shared() -> None:
    article = coastal()
    result = comparer().compare(article, article)
    assert any("same article" in n for n in result.notes)
    assert result.reuse.share_a > 0.95
    assert not result.conflicts
    assert not result.facts.by_coverage("one")


def test_pair_empty_article_is_a_clear_error() -> None:
    empty = make_article("", ("   ",))
    with pytest.raises(InputError) as info:
        compare(empty, coastal(), comparer=comparer())
    assert info.value.reason == "empty"
    with pytest.raises(InputError):
        compare(42, coastal(), comparer=comparer())  # type: ignore[arg-type]


def test_pair_two_languages_note_and_result() -> None:
    german = make_article(
        "Sturm überflutet Porto",
        (
            "Der Sturm Helga hat am Dienstag die Altstadt von Porto überflutet, teilten die Behörden mit.",
        ),
        language="de",
    )
    result = comparer().compare(replace(coastal(), language="en"), german)
    assert any("different languages" in n for n in result.notes)
    assert not result.conflicts


def test_pair_huge_article_is_cut_not_hung() -> None:
    paragraph = (
        "The council met again on Tuesday to discuss the harbour budget for next year. " * 20
    )
    big = make_article("Harbour budget", tuple([paragraph] * 1250))  # about 200,000 words
    assert big.word_count > 190_000
    small = Comparer(comparer().models, max_sentences=40)
    start = time.perf_counter()
    result = small.compare(big, coastal())
    assert time.perf_counter() - start < 120
    assert any("were analysed" in n for n in result.notes)


def test_pair_rejects_bad_parameters() -> None:
    with pytest.raises(ConfigError, match="max_sentences"):
        Comparer(max_sentences=0)


def test_pair_story_of_three_by_coverage() -> None:
    result = compare_story([coastal(), harbour(), valley()], comparer=comparer(), similarity=False)
    ids = [a.id for a in result.articles]
    assert [a.source for a in result.articles] == [
        "Coastal Courier",
        "Harbour Ledger",
        "Valley Times",
    ]
    toll = [f for f in result.facts.facts if any("killed" in c.text for c in f.claims)]
    assert any(f.coverage == "all" for f in toll)
    repair = [f for f in result.facts.facts if any("200 million euros" in c.text for c in f.claims)]
    assert [(f.coverage, f.article_ids) for f in repair] == [("some", (ids[0], ids[2]))]
    kinds = {(c.claim_a.source, c.claim_b.source) for c in result.conflicts}
    assert ("Coastal Courier", "Harbour Ledger") in kinds and (
        "Harbour Ledger",
        "Valley Times",
    ) in kinds
    assert result.own_loaded[ids[0]] == ("brutal", "ruinous")
    assert len(result.pairs) == 3
    json.dumps(result.to_dict())
    text = format_story_comparison(result)
    assert "Reported by some" in text and "[3] Valley Times" in text


def test_pair_story_needs_two_articles() -> None:
    with pytest.raises(InputError):
        compare_story([coastal()], comparer=comparer())
    with pytest.raises(ConfigError, match="store"):
        compare_story("abcd1234", comparer=comparer())


def _write(path: Path, article_text: str) -> Path:
    path.write_text(article_text, encoding="utf-8")
    return path


def test_pair_cli_compares_files_without_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsprism.present.cli import main

    a, b = coastal(), harbour()
    fa = _write(tmp_path / "a.txt", a.title + "\n\n" + a.body)
    fb = _write(tmp_path / "b.txt", b.title + "\n\n" + b.body)
    code = main(
        [
            "compare",
            str(fa),
            str(fb),
            "--source-a",
            "Coastal Courier",
            "--no-similarity",
            "--json",
            "--db",
            str(tmp_path / "unused.db"),
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["a"]["source"] == "Coastal Courier"
    assert data["similarity"] is None
    assert data["facts"]["conflicts"][0]["kind"] == "quantity"
    assert not (tmp_path / "unused.db").exists()
    assert main(["compare", str(fa), "no-such-id", "--db", str(tmp_path / "x.db")]) == 1


def test_pair_story_from_a_store_id_and_from_a_story_view() -> None:
    from datetime import UTC, datetime

    from newsprism.link.api import get_story
    from newsprism.model import Story, StoryArticle
    from newsprism.storage import MemoryStore

    store = MemoryStore()
    articles = [coastal(), harbour()]
    for article in articles:
        store.add_article(article)
    when = datetime(2026, 4, 9, tzinfo=UTC)
    store.save_stories([Story("story-helga-1", "Storm Helga", 2)])
    store.save_story_articles(
        [StoryArticle(a.id, "story-helga-1", when, "published", "similar", 0.9) for a in articles]
    )
    by_id = compare_story("story-helga", store=store, comparer=comparer(), similarity=False)
    assert by_id.story_id == "story-helga-1"
    assert {a.id for a in by_id.articles} == {a.id for a in articles}
    view = compare_story(get_story(store, "story-helga-1"), comparer=comparer(), similarity=False)
    assert view.story_id == "story-helga-1" and len(view.articles) == 2


class _CountingEncoder:
    """A fake embedder: one-hot-ish vectors, and a count of texts it was asked for."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for k, text in enumerate(texts):
            out[k, len(text) % 4] = 1.0
        return out


def test_pair_caching_encoder_embeds_each_text_once_across_threads() -> None:
    from newsprism.compare.matching import CachingEncoder

    inner = _CountingEncoder()
    cache = CachingEncoder(inner, max_items=100, workers=2)
    texts = [f"sentence number {k}" + "x" * (k * 20) for k in range(30)]
    first = cache.encode(texts + texts[:3])
    assert first.shape == (33, 4)
    assert sorted(inner.seen) == sorted(texts)
    again = cache.encode(list(reversed(texts)))
    assert len(inner.seen) == 30
    assert np.array_equal(again[0], first[29])
    with pytest.raises(ConfigError, match="workers"):
        CachingEncoder(inner, workers=0)
    with pytest.raises(ConfigError, match="texts"):
        cache.encode("one string")  # type: ignore[arg-type]
