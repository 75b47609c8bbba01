"""The REST API in-process (Starlette test client): every endpoint, good and bad input."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsprism.errors import ConfigError, InputError, NotFound
from newsprism.present.api import MAX_LIMIT, create_app
from newsprism.storage.sqlite import SQLiteStore
from tests.e2e.conftest import HOSTILE_TITLE

LOCAL = "http://127.0.0.1"
TOKEN = "s3cret-token-for-tests"
STRIKE = {
    "title": "Dock strike halts cargo at Kestrel Bay",
    "text": "Dock workers at the port of Kestrel Bay walked out on Monday after talks collapsed.\n\n"
    "The union said 1,200 members joined the strike, the first at the port in eleven years.",
    "source": "Harbour Wire",
    "date": "2025-03-03T09:00:00Z",
    "url": "https://wire.example/strike",
    "id": "hw-1",
}


def _article(n: int) -> dict[str, Any]:
    return {
        "title": f"Council approves budget number {n}",
        "text": f"The council approved budget number {n} on Thursday after a long debate.\n\n"
        f"Councillors voted {n + 10} to {n} in favour of the plan.",
        "source": "Town Crier",
    }


@pytest.fixture()
def client(seeded_store: SQLiteStore) -> Iterator[TestClient]:
    """No token: writes are accepted from loopback."""
    with TestClient(create_app(seeded_store), base_url=LOCAL) as c:
        yield c


@pytest.fixture()
def token_client(seeded_store: SQLiteStore) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_store, token=TOKEN), base_url=LOCAL) as c:
        yield c


# -- meta -----------------------------------------------------------------------------------------


def test_api_health_says_loopback_only_without_token(client: TestClient) -> None:
    data = client.get("/api/health").json()
    assert data["status"] == "ok"
    assert data["articles"] == 5
    assert data["write_access"] == "loopback-only" and data["loopback_only"] is True
    assert "loopback" in data["note"]
    assert set(data["features"]) >= {"stories", "report", "compare", "similarity"}


def test_api_health_says_token_mode(token_client: TestClient) -> None:
    data = token_client.get("/api/health").json()
    assert data["write_access"] == "token" and data["loopback_only"] is False


def test_api_openapi_lists_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/ingest/raw",
        "/api/rejected",
        "/api/health",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/report",
        "/api/compare",
        "/api/similarity",
    ):
        assert path in paths, path
    assert "post" in paths["/api/articles"] and "get" in paths["/api/articles"]


def test_api_docs_served_locally_without_external_urls(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/api/stories/{story_id}/report" in page.text
    assert "://" not in page.text  # no CDN, no external script, style or font
    assert client.get("/redoc").status_code == 404


def test_api_security_headers_on_every_answer(client: TestClient) -> None:
    for path in ("/api/health", "/", "/api/articles/nope"):
        csp = client.get(path).headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp


# -- reading --------------------------------------------------------------------------------------


def test_api_articles_list_in_ingest_order_with_total(client: TestClient) -> None:
    data = client.get("/api/articles", params={"limit": 2}).json()
    assert data["total"] == 5 and data["limit"] == 2 and data["offset"] == 0
    assert data["items"][0]["source"] == "Northgate Post"  # ingested first
    rest = client.get("/api/articles", params={"limit": 2, "offset": 4}).json()
    assert len(rest["items"]) == 1 and rest["items"][0]["title"] == HOSTILE_TITLE
    assert client.get("/api/articles", params={"offset": 50}).json()["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": MAX_LIMIT + 1},
        {"offset": -1},
        {"limit": "ten"},
        {"since": "yesterday-ish"},
    ],
)
def test_api_articles_pagination_bounds_are_422(client: TestClient, params: dict[str, Any]) -> None:
    answer = client.get("/api/articles", params=params)
    assert answer.status_code == 422
    assert isinstance(answer.json()["detail"], str) and answer.json()["errors"]


def test_api_articles_filter_by_outlet_and_date(client: TestClient) -> None:
    ledger = client.get("/api/articles", params={"source": "harbour ledger"}).json()
    assert ledger["total"] == 2 and {a["source"] for a in ledger["items"]} == {"Harbour Ledger"}
    october = client.get(
        "/api/articles", params={"since": "2025-10-01", "until": "2025-10-15"}
    ).json()
    assert october["total"] == 2


def test_api_articles_search(client: TestClient) -> None:
    data = client.get("/api/articles", params={"q": "bridge cracks"}).json()
    assert data["total"] >= 2 and all("score" in a for a in data["items"])
    assert all("ridge" in a["title"] or "span" in a["title"] for a in data["items"])
    narrowed = client.get(
        "/api/articles", params={"q": "bridge", "source": "Valley Courier"}
    ).json()
    assert [a["source"] for a in narrowed["items"]] == ["Valley Courier"]
    assert client.get("/api/articles", params={"q": '"*) OR ('}).json()["total"] == 0


def test_api_article_detail_and_prefix(client: TestClient) -> None:
    first = client.get("/api/articles", params={"source": "Valley Courier"}).json()["items"][0]
    full = client.get(f"/api/articles/{first['id']}").json()
    assert full["paragraphs"][0].startswith("The Lumen River bridge was closed")
    assert client.get(f"/api/articles/{first['id'][:8]}").json()["id"] == first["id"]


def test_api_unknown_ids_are_404_json(client: TestClient) -> None:
    for path in (
        "/api/articles/ffffffffffffffff",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/nothing",
    ):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"].startswith("application/json")
        assert "detail" in answer.json()


def test_api_static_files_do_not_reach_the_file_system(client: TestClient) -> None:
    assert client.get("/static/style.css").status_code == 200
    for name in ("..%2Fapi.py", "%2e%2e%2f%2e%2e%2fpyproject.toml", "../api.py", "templates"):
        assert client.get(f"/static/{name}").status_code == 404, name


def test_api_rejected_lists_refused_inputs(client: TestClient) -> None:
    client.post("/api/ingest/raw", content=b"\n\n   \n", headers={"content-type": "text/plain"})
    client.post("/api/articles", json={"title": "x", "text": "   "})
    bad = client.post(
        "/api/ingest/raw",
        content=b"Only a headline, no body",
        headers={"content-type": "text/plain"},
    )
    assert bad.status_code == 422 and bad.json()["rejected"] == 1
    data = client.get("/api/rejected").json()
    assert data["total"] >= 1 and data["items"][0]["reason"]
    assert client.get("/api/rejected", params={"limit": 0}).status_code == 422


# -- writing --------------------------------------------------------------------------------------


def test_api_post_article_then_read_it_back(client: TestClient) -> None:
    answer = client.post("/api/articles", json=STRIKE)
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert report["ingested"] == 1
    stored = client.get(f"/api/articles/{report['article_ids'][0]}").json()
    assert stored["title"] == STRIKE["title"] and stored["source"] == "Harbour Wire"
    assert stored["external_id"] == "hw-1" and stored["published"].startswith("2025-03-03")
    again = client.post("/api/articles", json=STRIKE)
    assert again.status_code == 200 and again.json()["duplicates"] == 1


def test_api_post_batch(client: TestClient) -> None:
    answer = client.post("/api/articles", json=[_article(n) for n in range(1, 4)])
    assert answer.status_code == 201 and answer.json()["ingested"] == 3
    assert client.get("/api/articles", params={"source": "Town Crier"}).json()["total"] == 3


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b'{"title": "oops", ', "not valid JSON"),
        (b"[]", "body"),
        (b'{"title": "no text"}', "text"),
        (b"42", "body"),
    ],
)
def test_api_post_bad_json_is_422_with_message(
    client: TestClient, body: bytes, needle: str
) -> None:
    answer = client.post(
        "/api/articles", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert needle in answer.json()["detail"]


def test_api_post_batch_over_limit_is_422(client: TestClient) -> None:
    answer = client.post("/api/articles", json=[_article(1)] * 1001)
    assert answer.status_code == 422


def test_api_huge_body_is_413(seeded_store: SQLiteStore) -> None:
    app = create_app(seeded_store, max_body=4096)
    with TestClient(app, base_url=LOCAL) as c:
        big = json.dumps({**STRIKE, "text": "word " * 2000})
        declared = c.post(
            "/api/articles", content=big, headers={"content-type": "application/json"}
        )
        assert declared.status_code == 413 and "4096" in declared.json()["detail"]

        def chunks() -> Iterator[bytes]:
            for _ in range(10):
                yield b"x" * 1000

        streamed = c.post(
            "/api/ingest/raw", content=chunks(), headers={"content-type": "text/plain"}
        )
        assert streamed.status_code == 413
        assert c.get("/api/health").json()["articles"] == 5


def test_api_raw_text_and_html(client: TestClient) -> None:
    text = (
        "Tram line reopens after repairs\n\nThe number 4 tram line reopened on Friday after two "
        "weeks of track repairs.\n\nThe operator said services would run every ten minutes."
    )
    answer = client.post(
        "/api/ingest/raw",
        params={"source": "Metro Beat"},
        content=text.encode(),
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert answer.status_code == 201, answer.text
    stored = client.get(f"/api/articles/{answer.json()['article_ids'][0]}").json()
    assert stored["source"] == "Metro Beat" and "tram" in stored["title"].lower()
    html = (
        "<html><head><title>Library extends opening hours</title></head><body><article>"
        "<h1>Library extends opening hours</h1>"
        "<p>The central library will open until nine in the evening from next month.</p>"
        "<p>Students had asked for longer hours during the exam season for several years.</p>"
        "<p>The change costs about 80,000 a year, paid from the culture budget.</p>"
        "</article></body></html>"
    )
    answer = client.post(
        "/api/ingest/raw",
        params={"source": "Metro Beat"},
        content=html.encode(),
        headers={"content-type": "text/html"},
    )
    assert answer.status_code == 201, answer.text


def test_api_raw_refuses_other_types_and_empty(client: TestClient) -> None:
    assert (
        client.post(
            "/api/ingest/raw", content=b"{}", headers={"content-type": "application/json"}
        ).status_code
        == 415
    )
    assert (
        client.post(
            "/api/ingest/raw", content=b"", headers={"content-type": "text/plain"}
        ).status_code
        == 422
    )
    binary = client.post(
        "/api/ingest/raw", content=bytes(range(256)) * 8, headers={"content-type": "text/plain"}
    )
    assert binary.status_code == 422 and binary.json()["detail"]


def test_api_token_required_for_writes(token_client: TestClient) -> None:
    missing = token_client.post("/api/articles", json=STRIKE)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = token_client.post(
        "/api/articles", json=STRIKE, headers={"Authorization": "Bearer nope-nope"}
    )
    assert wrong.status_code == 401
    raw = token_client.post("/api/ingest/raw", content=b"x", headers={"content-type": "text/plain"})
    assert raw.status_code == 401
    right = token_client.post(
        "/api/articles", json=STRIKE, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert right.status_code == 201
    assert token_client.get("/api/articles").status_code == 200  # reads stay open


def test_api_without_token_refuses_remote_and_cross_site_writes(seeded_store: SQLiteStore) -> None:
    app = create_app(seeded_store)
    with TestClient(app, base_url="http://newsprism.example") as remote:
        assert remote.post("/api/articles", json=STRIKE).status_code == 403
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        evil = local.post("/api/articles", json=STRIKE, headers={"Origin": "http://evil.example"})
        assert evil.status_code == 403
        same = local.post("/api/articles", json=STRIKE, headers={"Origin": "http://127.0.0.1:8000"})
        assert same.status_code == 201


def test_api_create_app_validates_parameters(seeded_store: SQLiteStore) -> None:
    with pytest.raises(ConfigError, match="max_body"):
        create_app(seeded_store, max_body=0)
    with pytest.raises(ConfigError, match="token"):
        create_app(seeded_store, token="short")


def test_api_create_app_opens_a_path(tmp_path: Any) -> None:
    with TestClient(create_app(tmp_path / "fresh.db"), base_url=LOCAL) as c:
        assert c.get("/api/health").json()["articles"] == 0


# -- optional stages ------------------------------------------------------------------------------


class _Story:
    def __init__(self, story_id: str, title: str, ids: list[str], sources: list[str]) -> None:
        self.id, self.title, self.article_ids, self.sources = story_id, title, ids, sources
        self.article_count = len(ids)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "article_count": self.article_count,
            "sources": self.sources,
            "article_ids": self.article_ids,
        }


def _fake_stages(client: TestClient, store: SQLiteStore) -> dict[str, Any]:
    ids: dict[str, str] = {}
    for a in store.articles():
        ids.setdefault(a.source or "", a.id)
    story = _Story(
        "s1",
        "Lumen River bridge shut",
        [ids["Harbour Ledger"], ids["Valley Courier"]],
        ["Harbour Ledger", "Valley Courier"],
    )

    def get_story(_store: Any, story_id: str) -> _Story:
        if story_id != "s1":
            raise NotFound(f"no story with id {story_id!r}")
        return story

    stages = client.app.state.services.stages  # type: ignore[attr-defined]
    stages.pop("list_stories", None)  # the store's own story list would bypass the stand-in
    stages.update(
        {
            "stories": lambda _store, since=None, source=None: [story],
            "get_story": get_story,
            "report": lambda _store, s: {"story": s.id, "timeline": []},
            "compare": lambda a, b: {"a": a.id, "b": b.id, "similarity": 0.5},
            "similarity": lambda t1, t2: {"overall": 1.0 if t1 == t2 else 0.1},
        }
    )
    return ids


def test_api_story_endpoints_with_stages(client: TestClient, seeded_store: SQLiteStore) -> None:
    ids = _fake_stages(client, seeded_store)
    page = client.get("/api/stories").json()
    assert page["total"] == 1 and page["items"][0]["source_count"] == 2
    assert client.get("/api/stories", params={"q": "orchard"}).json()["total"] == 0
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422
    detail = client.get("/api/stories/s1").json()
    assert [a["source"] for a in detail["articles"]] == ["Harbour Ledger", "Valley Courier"]
    assert client.get("/api/stories/s1/report").json()["story"] == "s1"
    assert client.get("/api/stories/nope").status_code == 404
    assert client.get("/api/stories/nope/report").status_code == 404
    cmp = client.get(
        "/api/compare", params={"a": ids["Harbour Ledger"], "b": ids["Valley Courier"]}
    )
    assert cmp.json()["similarity"] == 0.5
    assert (
        client.get("/api/compare", params={"a": ids["Harbour Ledger"], "b": "ffffffff"}).status_code
        == 404
    )
    assert client.get("/api/compare", params={"a": ids["Harbour Ledger"]}).status_code == 422
    same = client.post("/api/similarity", json={"text1": "a b c", "text2": "a b c"})
    assert same.json()["overall"] == 1.0
    assert client.post("/api/similarity", json={"text1": "only one"}).status_code == 422


def test_api_missing_stages_answer_501(client: TestClient) -> None:
    client.app.state.services.stages.clear()  # type: ignore[attr-defined]
    assert client.get("/api/stories").status_code == 501
    assert client.get("/api/stories/s1").status_code == 501
    assert client.get("/api/stories/s1/report").status_code == 501
    ids = [a["id"] for a in client.get("/api/articles").json()["items"]]
    assert client.get("/api/compare", params={"a": ids[0], "b": ids[1]}).status_code == 501
    answer = client.post("/api/similarity", json={"text1": "a", "text2": "b"})
    assert answer.status_code == 501 and "not available" in answer.json()["detail"]


class _Comparison:
    def __init__(self, ids: list[str]) -> None:
        self.ids = ids

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.ids, "facts": {"conflicts": []}}


def test_api_story_comparison_runs_in_the_background(
    client: TestClient, seeded_store: SQLiteStore
) -> None:
    _fake_stages(client, seeded_store)
    gate = threading.Event()

    def compare_story(articles: list[Any], store: Any = None) -> _Comparison:
        assert gate.wait(10)
        return _Comparison([a.id for a in articles])

    client.app.state.services.stages["compare_story"] = compare_story  # type: ignore[attr-defined]
    pending = client.get("/api/stories/s1/comparison", params={"wait": 0})
    assert pending.status_code == 202 and pending.json()["status"] == "pending"
    gate.set()
    ready = client.get("/api/stories/s1/comparison", params={"wait": 10})
    assert ready.status_code == 200 and len(ready.json()["articles"]) == 2
    assert client.get("/api/stories/s1/comparison", params={"wait": 301}).status_code == 422
    assert client.get("/api/stories/nope/comparison").status_code == 404


def test_api_story_comparison_failure_is_reported(
    client: TestClient, seeded_store: SQLiteStore
) -> None:
    _fake_stages(client, seeded_store)

    def compare_story(articles: list[Any], store: Any = None) -> Any:
        raise InputError("empty", "an article is empty")

    client.app.state.services.stages["compare_story"] = compare_story  # type: ignore[attr-defined]
    failed = client.get("/api/stories/s1/comparison", params={"wait": 10})
    assert failed.status_code == 422 and "empty" in failed.json()["detail"]


# -- the real stages, on the bundled sample ------------------------------------------------------


@pytest.fixture()
def sample_client(sample_db: Any) -> Iterator[TestClient]:
    store = SQLiteStore(sample_db)
    with TestClient(create_app(store), base_url=LOCAL) as c:
        yield c
    store.close()


def test_api_real_story_list_filters_and_pages(sample_client: TestClient) -> None:
    page = sample_client.get("/api/stories", params={"limit": 3}).json()
    assert page["total"] >= 6 and len(page["items"]) == 3
    lasts = [s["last_published"] for s in page["items"]]
    assert lasts == sorted(lasts, reverse=True)
    second = sample_client.get("/api/stories", params={"limit": 3, "offset": 3}).json()
    assert not {s["id"] for s in page["items"]} & {s["id"] for s in second["items"]}
    biggest = sample_client.get("/api/stories", params={"sort": "biggest"}).json()["items"]
    counts = [s["article_count"] for s in biggest]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 3
    northgate = sample_client.get("/api/stories", params={"source": "northgate post"}).json()
    assert northgate["total"] >= 1
    assert all("Northgate Post" in s["sources"] for s in northgate["items"])
    recent = sample_client.get("/api/stories", params={"since": "2026-03-01T00:00:00Z"}).json()
    assert 0 < recent["total"] < page["total"]
    early = sample_client.get("/api/stories", params={"until": "2025-10-01T00:00:00Z"}).json()
    assert all(s["first_published"] < "2025-10-01" for s in early["items"])
    assert sample_client.get("/api/stories", params={"sort": "oldest"}).status_code == 422


def test_api_real_story_detail(sample_client: TestClient) -> None:
    biggest = sample_client.get("/api/stories", params={"sort": "biggest", "limit": 1}).json()
    story_id = biggest["items"][0]["id"]
    detail = sample_client.get(f"/api/stories/{story_id}").json()
    assert detail["id"] == story_id and len(detail["articles"]) == detail["article_count"]
    article = sample_client.get(f"/api/articles/{detail['articles'][0]['id']}").json()
    assert article["story_id"] == story_id
    assert sample_client.get("/api/stories/s000000000000").status_code == 404
    report = sample_client.get(f"/api/stories/{story_id}/report")
    assert report.status_code in (200, 501)
