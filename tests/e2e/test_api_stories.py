"""The REST API in-process, story side: stories, report, comparison, compare, similarity (with
stand-in stages and with the real ones on the bundled sample), and ``newsprism serve``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsprism.errors import ConfigError, InputError, NotFound
from newsprism.storage.sqlite import SQLiteStore
from tests.e2e.conftest import LOCAL, TOKEN, make_app

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
    with TestClient(make_app(store), base_url=LOCAL) as c:
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


# -- newsprism serve -------------------------------------------------------------------------------


def test_api_serve_refuses_a_public_host_without_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    from newsprism.present.cli import main
    from newsprism.present.commands.serve import check_host

    monkeypatch.delenv("NEWSPRISM_TOKEN", raising=False)
    assert main(["serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"]) == 2
    assert "NEWSPRISM_TOKEN" in capsys.readouterr().err
    check_host("127.0.0.1", None)
    check_host("::1", None)
    check_host("0.0.0.0", TOKEN)
    with pytest.raises(ConfigError):
        check_host("192.168.1.10", None)


def test_api_serve_command_answers_on_loopback(tmp_path: Any) -> None:
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "NEWSPRISM_TOKEN"}
    cmd = [
        sys.executable,
        "-m",
        "newsprism",
        "serve",
        "--db",
        str(tmp_path / "s.db"),
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).json()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
                time.sleep(0.2)
        assert health["loopback_only"] is True and health["articles"] == 0
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "listening on loopback only" in err


def test_api_stage_bugs_and_store_failures_answer_json(seeded_store: SQLiteStore) -> None:
    from newsprism.errors import StorageError

    app = make_app(seeded_store)

    def broken(text1: str, text2: str) -> Any:
        raise RuntimeError("boom")

    def locked(text1: str, text2: str) -> Any:
        raise StorageError("database is locked")

    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as c:
        app.state.services.stages["similarity"] = broken
        bug = c.post("/api/similarity", json={"text1": "a", "text2": "b"})
        assert bug.status_code == 500 and "internal error" in bug.json()["detail"]
        assert "boom" not in bug.text  # no internals in the answer
        app.state.services.stages["similarity"] = locked
        busy = c.post("/api/similarity", json={"text1": "a", "text2": "b"})
        assert busy.status_code == 503 and "locked" in busy.json()["detail"]
