"""The report on the command line (``story ID --report``, ``--compare``) and on the web page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsprism.present.cli import main
from newsprism.present.services import Services
from newsprism.storage.sqlite import SQLiteStore
from tests.report._articles import HERALD, POST, REVIEW, ferry_story
from tests.report.conftest import load

LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def ferry_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store file with the ferry story linked and analysed; (path, story id)."""
    path = tmp_path_factory.mktemp("report") / "ferry.db"
    store = SQLiteStore(path)
    try:
        story_id = load(store, ferry_story()).story.id
    finally:
        store.close()
    return path, story_id


def test_present_cli_story_report_text_and_json(
    ferry_db: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, story_id = ferry_db
    assert main(["story", story_id[:8], "--db", str(path), "--report"]) == 0
    text = capsys.readouterr().out
    for heading in ("Summary", "Timeline", "Published", "Coverage", "conflicts (", "framing"):
        assert heading in text
    assert f"[only {POST}]" in text and "(disputed: people killed)" in text
    assert "14 March 2026" in text and "“last month”" in text
    assert main(["story", story_id, "--db", str(path), "--report", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["story_id"] == story_id and data["sources"] == [HERALD, REVIEW, POST]
    assert data["summary"] and data["timeline"] and data["coverage"]["articles"]


def test_present_cli_story_compare(
    ferry_db: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, story_id = ferry_db
    assert main(["story", story_id, "--db", str(path), "--compare"]) == 0
    text = capsys.readouterr().out
    assert "3 articles compared" in text and "Reported by all" in text and "Conflicts" in text
    assert main(["story", story_id, "--db", str(path), "--compare", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["facts"]["conflicts"]
    with pytest.raises(SystemExit):
        main(["story", story_id, "--db", str(path), "--compare", "--report"])
    assert "not allowed with" in capsys.readouterr().err


@pytest.fixture()
def client(ferry_db: tuple[Path, str]) -> Iterator[TestClient]:
    from newsprism.present.api import create_app

    store = SQLiteStore(ferry_db[0])
    app = create_app(store)
    app.state.services.stages.pop("analyze_pending", None)
    with TestClient(app, base_url=LOCAL) as c:
        yield c
    store.close()


def test_present_web_story_page_shows_the_report(
    client: TestClient, ferry_db: tuple[Path, str]
) -> None:
    story_id = ferry_db[1]
    # the page builds the report from the story comparison, which runs in the background
    client.get(f"/stories/{story_id}")
    done = client.get(f"/api/stories/{story_id}/comparison", params={"wait": 120})
    assert done.status_code == 200, done.text
    page = client.get(f"/stories/{story_id}")
    assert page.status_code == 200
    html = page.text
    assert 'class="summary-points"' in html and f"only {POST} reports this" in html
    assert "disputed: people killed" in html
    assert '<time datetime="2026-03-14">14 March 2026</time>' in html
    assert "“last month”" in html
    assert 'class="reuse"' in html and "North Isles Herald published first" in html
    assert "only North Isles Herald uses the loaded terms: ruinous" in html
    api = client.get(f"/api/stories/{story_id}/report").json()
    assert api["story_id"] == story_id and len(api["summary"]) == 5


def test_present_services_pass_a_finished_comparison_to_the_report() -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []

    def stage(store: Any, story: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append((story, kwargs))
        return {"summary": []}

    from newsprism.present.stories import story_report
    from newsprism.storage import MemoryStore

    services = Services(MemoryStore(), {"report": stage})
    story = type("Story", (), {"id": "s1"})()
    assert story_report(services, story) == {"summary": []}
    assert story_report(services, story) == {"summary": []}  # remembered
    assert story_report(services, story, comparison="cmp") == {"summary": []}
    assert calls == [(story, {}), (story, {"comparison": "cmp"})]
