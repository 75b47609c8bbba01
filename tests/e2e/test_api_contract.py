"""The API keeps the contract ``/openapi.json`` states: schemathesis (all checks, bounded) against
a real server on loopback, once without a token and once with one; and the CPU-heavy reads need
the token when the server has one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.storage.sqlite import SQLiteStore
from tests.e2e.conftest import LOCAL, TOKEN, make_app

ROOT = Path(__file__).resolve().parents[2]
#: Serves the e2e fixture articles (tests/e2e/conftest.py) from a fresh store, like make_app.
_SERVER = """
import sys, uvicorn
from tests.e2e.conftest import fixture_articles, make_app
from newsprism.storage.sqlite import SQLiteStore
store = SQLiteStore(sys.argv[1])
with store.session():
    for article in fixture_articles():
        store.add_article(article)
app = make_app(store, token=sys.argv[3] or None)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""
#: Examples per operation (about 500 requests, 8 s here), and a bound on the run. No
#: --max-time: it makes schemathesis repeat until the budget is spent.
EXAMPLES = 12
MAX_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["loopback", "token"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A server process on loopback: (base URL, its token or "")."""
    import httpx

    token = TOKEN if request.param == "token" else ""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NEWSPRISM_TOKEN", None)
    cmd = [sys.executable, "-c", _SERVER, str(tmp_path / "c.db"), str(port), token]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/health", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
                time.sleep(0.2)
        yield base, token
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


@pytest.mark.slow
def test_api_contract_schemathesis_all_checks_pass(server: tuple[str, str], tmp_path: Path) -> None:
    exe = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    base, token = server
    cmd = [
        exe, "run", f"{base}/openapi.json", "--checks", "all",
        "--max-examples", str(EXAMPLES), "--seed", "17",
        "--generation-database", "none", "--request-timeout", "30", "--no-color",
    ]
    if token:
        cmd += ["--header", f"Authorization: Bearer {token}"]
    run = subprocess.run(
        cmd, cwd=tmp_path, capture_output=True, text=True, timeout=MAX_SECONDS, check=False
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


# -- pieces of the contract, in-process -----------------------------------------------------------


def test_api_contract_errors_are_documented_as_error_objects(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            for status, answer in op["responses"].items():
                if status.startswith(("4", "5")):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorOut"), (method, path, status)


def test_api_contract_validation_errors_match_the_schema(client: TestClient) -> None:
    bad = client.get("/api/articles", params={"until": "0.5", "offset": -1})
    assert bad.status_code == 422
    body = bad.json()
    assert isinstance(body["detail"], str) and {e["loc"][-1] for e in body["errors"]} == {
        "until",
        "offset",
    }
    assert client.get("/api/articles", params={"since": "2025-10-01"}).status_code == 200
    stamp = {"since": "2025-10-01T00:00:00+02:00"}
    assert client.get("/api/articles", params=stamp).status_code == 200
    undated = client.post("/api/articles", json={"text": "A long enough text.", "date": False})
    assert undated.status_code == 422


def test_api_contract_405_lists_every_method_of_the_path(client: TestClient) -> None:
    answer = client.request("DELETE", "/api/articles")
    assert answer.status_code == 405
    assert {m.strip() for m in answer.headers["allow"].split(",")} >= {"GET", "POST"}


def test_api_contract_refused_article_is_200_with_reason_not_422(client: TestClient) -> None:
    answer = client.post("/api/articles", json={"text": "0"})
    assert answer.status_code == 200
    data = answer.json()
    assert data["ingested"] == 0 and data["rejected"] == 1 and data["rejections"][0]["reason"]
    blank = client.post("/api/ingest/raw", content=b"  \n", headers={"content-type": "text/plain"})
    assert blank.status_code == 422 and blank.json()["errors"][0]["loc"] == ["body"]
    garbled = client.post(
        "/api/articles", content=b"\xff\xfe{", headers={"content-type": "application/json"}
    )
    assert garbled.status_code == 422 and "JSON" in garbled.json()["detail"]


def test_api_contract_similarity_of_wordless_texts_is_null(client: TestClient) -> None:
    client.app.state.services.stages["similarity"] = _no_words  # type: ignore[attr-defined]
    answer = client.post("/api/similarity", json={"text1": "¤", "text2": "º"})
    assert answer.status_code == 200 and answer.json()["scores"] is None


def _no_words(text1: str, text2: str) -> None:
    from newsprism.errors import InputError

    raise InputError("empty", "cannot compare an empty text: it holds no words")


def test_api_cpu_heavy_reads_need_the_token_when_one_is_set(seeded_store: SQLiteStore) -> None:
    ids = [a.id for a in seeded_store.articles()]
    heavy = [
        ("POST", "/api/similarity", {"json": {"text1": "a b", "text2": "a c"}}),
        ("GET", "/api/compare", {"params": {"a": ids[0], "b": ids[1]}}),
        ("GET", "/api/stories/s1/comparison", {"params": {"wait": 0}}),
        ("GET", "/api/stories/s1/report", {}),
    ]
    with TestClient(make_app(seeded_store, token=TOKEN), base_url=LOCAL) as c:
        for method, path, kwargs in heavy:
            answer = c.request(method, path, **kwargs)  # type: ignore[arg-type]
            assert answer.status_code == 401, path
            assert answer.headers["www-authenticate"] == "Bearer"
        assert c.get("/api/articles").status_code == 200  # cheap reads stay open
        assert c.get("/api/stories").status_code in (200, 501)
