"""The REST API in-process (Starlette test client), article side: every endpoint, bad input too."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsprism.errors import ConfigError
from newsprism.present.api import MAX_LIMIT, create_app
from newsprism.storage.sqlite import SQLiteStore
from tests.e2e.conftest import HOSTILE_TITLE, LOCAL, TOKEN, make_app

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
def token_client(seeded_store: SQLiteStore) -> Iterator[TestClient]:
    with TestClient(make_app(seeded_store, token=TOKEN), base_url=LOCAL) as c:
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


def test_api_article_prefix_wildcards_are_plain_text(client: TestClient) -> None:
    first = client.get("/api/articles").json()["items"][0]["id"]
    for prefix in ("%25" + first[1:6], "_" + first[1:6], "%25%25%25%25", "____"):
        assert client.get(f"/api/articles/{prefix}").status_code == 404, prefix


def test_api_search_pages_filters_and_totals(client: TestClient) -> None:
    every = client.get("/api/articles", params={"q": "bridge", "limit": 10}).json()
    assert every["total"] == len(every["items"]) >= 3 and every["total_exact"] is True
    scores = [a["score"] for a in every["items"]]
    assert scores == sorted(scores, reverse=True)
    assert all(a["words"] > 5 and a["title"] for a in every["items"])
    second = client.get("/api/articles", params={"q": "bridge", "limit": 1, "offset": 1}).json()
    assert [a["id"] for a in second["items"]] == [every["items"][1]["id"]]
    dated = client.get("/api/articles", params={"q": "bridge", "since": "2025-10-15"}).json()
    assert {a["title"] for a in dated["items"]} == {
        "Ferries double their crossings while Lumen bridge stays shut"
    }
    assert dated["total"] == 1


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
    # a well-formed request whose article is refused: processed (200), the reason recorded
    assert bad.status_code == 200 and bad.json()["rejected"] == 1 and bad.json()["detail"]
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


def test_api_writes_queue_the_analysis(client: TestClient) -> None:
    done = threading.Event()
    calls: list[int] = []

    def analyze_pending(store: Any, workers: int = 2, progress: Any = None) -> int:
        calls.append(workers)
        done.set()
        return 1

    client.app.state.services.stages["analyze_pending"] = analyze_pending  # type: ignore[attr-defined]
    assert client.post("/api/articles", json=STRIKE).status_code == 201
    assert done.wait(5) and calls == [1]  # one run, in the server process


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
    app = make_app(seeded_store, max_body=4096)
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
    app = make_app(seeded_store)
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
    with TestClient(make_app(tmp_path / "fresh.db"), base_url=LOCAL) as c:
        assert c.get("/api/health").json()["articles"] == 0


def test_api_raw_cp1252_text_keeps_its_letters(client: TestClient) -> None:
    text = "Café owners protest\n\nThe naïve plan to close the quay angered café owners on Monday."
    answer = client.post(
        "/api/ingest/raw", content=text.encode("cp1252"), headers={"content-type": "text/plain"}
    )
    assert answer.status_code == 201, answer.text
    stored = client.get(f"/api/articles/{answer.json()['article_ids'][0]}").json()
    assert "naïve" in " ".join(stored["paragraphs"]) and "ď" not in stored["paragraphs"][0]


def test_api_raw_page_of_only_a_home_link_is_refused(client: TestClient) -> None:
    page = b"<html><head><title>Ledger</title></head><body><a href='/'>Home</a></body></html>"
    answer = client.post("/api/ingest/raw", content=page, headers={"content-type": "text/html"})
    assert answer.status_code == 200 and answer.json()["ingested"] == 0
    assert answer.json()["rejections"][0]["reason"] == "no_article"


def test_api_search_beyond_the_rank_limit_lists_newest_first(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.storage import sqlite

    monkeypatch.setattr(sqlite, "RANK_LIMIT", 2)  # three bridge articles: more than the limit
    data = client.get("/api/articles", params={"q": "bridge"}).json()
    assert data["order"] == "newest" and data["total_exact"] is False and data["total"] == 2
    published = [a["published"] for a in data["items"]]
    assert len(published) == 3 and published == sorted(published, reverse=True)
    assert all(a["score"] == 0.0 for a in data["items"])
