"""Story pages over prepared comparisons, in-process: a cold page is cheap and says the
comparison is coming, its status route tells the page when to reload, a big story is compared on
the articles chosen for it and the page says so; the worker process prepares stock stories."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from newsprism.errors import NotFound
from newsprism.model import Story, StoryArticle
from newsprism.storage.sqlite import SQLiteStore
from newsprism.testing import make_article
from tests.e2e.conftest import LOCAL, make_app

START = datetime(2025, 5, 1, tzinfo=UTC)


class _Cmp:
    def __init__(self, ids: list[str]) -> None:
        self.ids = ids

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.ids}


def _big_story_store(path: Path, count: int = 30) -> tuple[SQLiteStore, list[Any]]:
    store = SQLiteStore(path)
    arts = [
        make_article(
            f"Harbour crane collapse, report {n}",
            [(f"A crane collapsed at the harbour on Monday, outlet {n} reported, citing {n % 4} "
             f"witnesses."), f"Dock workers {'stopped work' if n % 9 else 'went on strike'}."],
            source=f"Outlet {n}",
            published=START + timedelta(hours=n),
        )
        for n in range(count)
    ]
    with store.session():
        for a in arts:
            store.add_article(a)
        store.save_stories([Story("big", arts[0].title, count, seq=1,
                                  last_published=arts[-1].published)])
        store.save_story_articles(
            [StoryArticle(a.id, "big", a.published or START, "published", "similar", 0.5)
             for a in arts]
        )
    return store, arts


def test_web_prepared_cold_page_polls_then_shows_the_chosen_articles(tmp_path: Path) -> None:
    store, _arts = _big_story_store(tmp_path / "big.db")
    gate, calls = threading.Event(), []

    def compare_story(articles: list[Any], store: Any = None) -> _Cmp:
        calls.append(len(articles))
        assert gate.wait(10)
        return _Cmp([a.id for a in articles])

    app = make_app(store)
    stages = app.state.services.stages
    stages["compare_story"] = compare_story
    stages["report"] = lambda _store, story, comparison=None: {"summary": None}
    with TestClient(app, base_url=LOCAL) as c:
        cold = c.get("/stories/big")
        assert cold.status_code == 200 and 'id="comparison-status"' in cold.text
        assert "/stories/big/status?v=" in cold.text
        assert c.get("/stories/big/status").status_code == 202  # still being prepared
        assert c.get("/stories/big").text == cold.text  # the pending page is not rebuilt
        gate.set()
        api = c.get("/api/stories/big/comparison", params={"wait": 60}).json()
        assert api["status"] == "ready" and len(api["articles"]) == 12
        assert api["selection"]["total"] == 30 and "12 of 30" in api["selection"]["note"]
        assert c.get("/stories/big/status").status_code == 200
        ready = c.get("/stories/big")
        assert 'id="comparison-status"' not in ready.text
        assert "12 of 30 articles compared" in ready.text and 'id="selection-note"' in ready.text
        assert ready.text.count('class="column"') == 6
        assert calls == [12]
        c.get("/stories/big")
        assert calls == [12]  # served from the stored comparison
    store.close()


def test_web_prepared_story_change_makes_the_page_prepare_again(tmp_path: Path) -> None:
    store, _arts = _big_story_store(tmp_path / "s.db", count=3)
    calls: list[int] = []

    def compare_story(articles: list[Any], store: Any = None) -> _Cmp:
        calls.append(len(articles))
        return _Cmp([a.id for a in articles])

    app = make_app(store)
    app.state.services.stages["compare_story"] = compare_story
    with TestClient(app, base_url=LOCAL) as c:
        assert c.get("/api/stories/big/comparison", params={"wait": 60}).status_code == 200
        extra = make_article("Harbour crane collapse, late report",
                             ["A crane collapsed at the harbour on Monday, a late report said."],
                             source="Late Post", published=START + timedelta(days=1))
        with store.session():
            store.add_article(extra)
            store.save_story_articles([StoryArticle(extra.id, "big", START, "published", "similar")])
            store.bump_link_generation()
        again = c.get("/api/stories/big/comparison", params={"wait": 60}).json()
        assert len(again["articles"]) == 4 and calls == [3, 4]
    store.close()


def test_web_prepared_failed_comparison_is_shown(tmp_path: Path) -> None:
    from newsprism.errors import InputError

    store, _ = _big_story_store(tmp_path / "f.db", count=2)

    def compare_story(articles: list[Any], store: Any = None) -> Any:
        raise InputError("empty", "an article holds no words")

    app = make_app(store)
    app.state.services.stages["compare_story"] = compare_story
    with TestClient(app, base_url=LOCAL) as c:
        assert c.get("/api/stories/big/comparison", params={"wait": 60}).status_code == 422
        page = c.get("/stories/big").text
        assert "could not be compared" in page and "holds no words" in page
    store.close()


def test_web_prepared_stock_stages_prepare_in_the_worker_process(tmp_path: Path) -> None:
    store, _ = _big_story_store(tmp_path / "w.db", count=2)
    app = make_app(store)
    prepared = app.state.services.prepared()
    worker = prepared.worker()
    assert worker is not None  # a store file and the stock stages: the child process does it
    app.state.services.stages["get_story"] = _no_story
    assert prepared.worker() is None  # stand-in stages run in this process
    app.state.services.close()
    store.close()


def _no_story(_store: Any, story_id: str) -> Any:
    raise NotFound(story_id)
