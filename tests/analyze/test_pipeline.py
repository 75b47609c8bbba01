"""analyze_pending over a store: incremental, batched, resumable, over worker processes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from newsprism.analyze import pipeline
from newsprism.analyze.analyzer import Analyzer
from newsprism.analyze.base import NullAnalyzer
from newsprism.analyze.model import Analysis
from newsprism.errors import ConfigError, StorageError
from newsprism.model import Article
from newsprism.storage import MemoryStore, SQLiteStore


def _store(kind: str, tmp_path: Path, articles: Iterable[Article]) -> Any:
    store: Any = SQLiteStore(tmp_path / "a.db") if kind == "sqlite" else MemoryStore()
    for a in articles:
        store.add_article(a)
    return store


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_pipeline_analyzes_only_what_is_missing(kind: str, tmp_path: Path, analyzer: Analyzer,
                                                gold_articles: list[Article]) -> None:
    store = _store(kind, tmp_path, gold_articles[:3])
    seen: list[int] = []
    assert pipeline.analyze_pending(store, analyzer=analyzer, batch_size=2,
                                    progress=seen.append) == 3
    assert seen == [2, 1]
    assert pipeline.analyze_pending(store, analyzer=analyzer) == 0
    store.add_article(gold_articles[3])
    assert pipeline.analyze_pending(store, analyzer=analyzer) == 1
    assert pipeline.analyze_pending(store, analyzer=analyzer, force=True) == 4
    stored = store.get_analysis(gold_articles[0].id)
    assert stored is not None and stored.version == analyzer.version and stored.entities
    store.close()


def test_pipeline_new_version_reanalyzes_everything(tmp_path: Path,
                                                    gold_articles: list[Article]) -> None:
    store = _store("memory", tmp_path, gold_articles[:2])
    assert pipeline.analyze_pending(store, analyzer=NullAnalyzer()) == 2
    assert store.get_analysis(gold_articles[0].id).version == NullAnalyzer.version

    class Newer(NullAnalyzer):
        version = "null-2"

    assert pipeline.analyze_pending(store, analyzer=Newer()) == 2


def test_pipeline_failing_article_is_recorded_not_fatal(gold_articles: list[Article]) -> None:
    class Flaky(NullAnalyzer):
        def analyze(self, article: Article) -> Analysis:
            if article.id == gold_articles[1].id:
                raise ValueError("bad input")
            return super().analyze(article)

        def analyze_many(self, articles: Iterable[Article]) -> list[Analysis]:
            return [self.analyze(a) for a in articles]

    store = _store("memory", Path("."), gold_articles[:3])
    seen: list[Any] = []
    assert pipeline.analyze_pending(store, analyzer=Flaky(), on_failure=seen.append) == 2
    assert store.get_analysis(gold_articles[1].id) is None
    [failure] = store.failures()
    assert failure == seen[0]
    assert (failure.ref, failure.stage, failure.reason) == (
        gold_articles[1].id, "analyze", "analyzer_error")
    assert failure.detail == "ValueError: bad input"
    assert store.get_analysis(gold_articles[0].id).sentences
    # Not retried on every run; retried on request, and a success clears the failure.
    assert pipeline.analyze_pending(store, analyzer=Flaky()) == 0
    assert pipeline.analyze_pending(store, analyzer=NullAnalyzer(), failed=True) == 1
    assert store.failures() == [] and store.get_analysis(gold_articles[1].id) is not None


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_pipeline_store_refusing_one_analysis_fails_only_that_article(
        kind: str, tmp_path: Path, gold_articles: list[Article],
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(kind, tmp_path, gold_articles[:4])
    original = store.save_analysis
    bad = gold_articles[2].id

    def save(analysis: Analysis) -> None:
        original(analysis)
        if analysis.article_id == bad:
            raise StorageError("UNIQUE constraint failed (simulated)")

    monkeypatch.setattr(store, "save_analysis", save)
    assert pipeline.analyze_pending(store, analyzer=NullAnalyzer(), batch_size=4) == 3
    assert [f.ref for f in store.failures(stage="analyze")] == [bad]
    assert store.failures()[0].reason == "store_error"
    assert store.get_analysis(bad) is None  # its half-written rows were rolled back
    assert store.count_analyses() == 3
    store.close()


def test_pipeline_runs_batches_in_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   gold_articles: list[Article]) -> None:
    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 0)
    store = _store("sqlite", tmp_path, gold_articles)
    assert pipeline.analyze_pending(store, workers=2, batch_size=2, progress=False) == 6
    assert store.count_analyses() == 6 and store.ids_needing_analysis(Analyzer().version) == []
    assert store.get_analysis(gold_articles[3].id).agencies == ("Anadolu Agency",)
    store.close()


def test_pipeline_show_analyses_and_stores_when_missing(analyzer: Analyzer,
                                                        gold_articles: list[Article]) -> None:
    store = _store("memory", Path("."), gold_articles[:1])
    data = pipeline.analysis_for_show(store, gold_articles[0], analyzer=analyzer)
    assert {"sentences", "entities", "places", "times", "attributions", "figures"} <= set(data)
    assert store.get_analysis(gold_articles[0].id) is not None


@pytest.mark.parametrize(("field", "value"), [("workers", 0), ("batch_size", 0)])
def test_pipeline_rejects_bad_parameters(field: str, value: int) -> None:
    with pytest.raises(ConfigError, match=field):
        pipeline.analyze_pending(MemoryStore(), analyzer=NullAnalyzer(), **{field: value})
