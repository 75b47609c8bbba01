"""An article a later stage failed on stays stored, and its failure shows on the API and the
article page (issue 11: "why did this article not finish?" answered where a reader looks)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from newsprism.storage import SQLiteStore
from newsprism.testing import make_article
from tests.e2e.conftest import LOCAL, make_app


def test_failures_shown_on_the_api_and_the_article_page(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "f.db")
    article = make_article()
    with store.session():
        store.add_article(article)
        store.record_failure(article.id, "analyze", "v1", "model_error", "NER crashed on this text")
    try:
        with TestClient(make_app(store), base_url=LOCAL) as client:
            data = client.get(f"/api/articles/{article.id}").json()
            assert [(f["stage"], f["reason"]) for f in data["failures"]] == [("analyze", "model_error")]
            html = client.get(f"/articles/{article.id}").text
            assert "Not finished" in html and "NER crashed on this text" in html
            fine = make_article("Another report", ["Nothing went wrong with this one at all today."])
            with store.session():
                store.add_article(fine)
            assert client.get(f"/api/articles/{fine.id}").json()["failures"] == []
            assert "Not finished" not in client.get(f"/articles/{fine.id}").text
    finally:
        store.close()


def test_web_articles_path_leads_to_the_article_list(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.db")
    article = make_article()
    with store.session():
        store.add_article(article)
    try:
        with TestClient(make_app(store), base_url=LOCAL) as client:
            page = client.get("/articles", params={"q": "dock workers"})
            assert page.status_code == 200 and "view=articles" in str(page.url) and "q=dock" in str(page.url)
            assert article.title in page.text
    finally:
        store.close()
