"""Fixtures of the report tests: the ferry story (tests/report/_articles.py) linked and analysed
in a memory store, and its report; the analyzer and the embedder load once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.analyze.pipeline import analyze_pending, default_analyzer
from newsprism.link import get_story, make_link_hook, stories
from newsprism.link.api import StoryView
from newsprism.pipeline import ingest_articles
from newsprism.report import StoryReport, report
from newsprism.storage import MemoryStore
from newsprism.storage.base import Store
from tests.report._articles import ferry_story

# ../shared/seeds next to the repository (the two articles newsprism was conceived from)
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def load(store: Store, articles: list) -> StoryView:  # type: ignore[type-arg]
    """Store, link and analyse ``articles``; the story of the first one."""
    ingest_articles(articles, store, hooks=[make_link_hook(store)])
    analyze_pending(store, workers=1, analyzer=default_analyzer(), progress=False)
    [view] = [v for v in stories(store) if articles[0].id in {e.article.id for e in v.articles}]
    return get_story(store, view.story.id)


@pytest.fixture(scope="session")
def ferry_store() -> MemoryStore:
    """The ferry story, linked and analysed."""
    store = MemoryStore()
    load(store, ferry_story())
    return store


@pytest.fixture(scope="session")
def ferry_view(ferry_store: MemoryStore) -> StoryView:
    """The ferry story as ``get_story`` gives it."""
    [view] = stories(ferry_store)
    return get_story(ferry_store, view.story.id)


@pytest.fixture(scope="session")
def ferry(ferry_store: MemoryStore, ferry_view: StoryView) -> StoryReport:
    """The report of the ferry story."""
    return report(ferry_view, store=ferry_store)
