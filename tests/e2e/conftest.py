"""Fixtures for the API and web tests: a small store of our own articles, one of them hostile.

The texts are written for these tests (a fictional bridge closure told by two outlets, an
unrelated story, and an article whose title, body and URL try to run script).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsprism.config import IngestOptions
from newsprism.model import Article, RemovalReason, RemovedLine
from newsprism.storage.sqlite import SQLiteStore
from newsprism.testing import make_article

LOCAL = "http://127.0.0.1"
"""Base URL of in-process API clients: a loopback host, so writes pass without a token."""
TOKEN = "s3cret-token-for-tests"
HOSTILE_TITLE = "<script>document.title='pwned';window.__pwned=1</script>Hostile headline"
HOSTILE_BODY = (
    "<img src=x onerror=\"window.__pwned=2;document.title='pwned'\"> Readers saw this paragraph.",
    '<a href="javascript:window.__pwned=3">click me</a> and <svg onload="window.__pwned=4"></svg>.',
)


def fixture_articles() -> list[Article]:
    """Five articles: two outlets on one story, a follow-up, an unrelated story, a hostile one."""
    ledger = make_article(
        "Lumen River bridge shut after cracks found in main span",
        [
            (
                "Engineers closed the Lumen River bridge on Tuesday after inspectors found cracks in "
                "the main span, diverting about 40,000 vehicles a day onto the ring road."
            ),
            (
                "The city transport office said the bridge would stay shut for at least three weeks "
                "while divers examine the piers."
            ),
            "Mayor Ilse Varga called the closure a precaution and promised free ferry crossings.",
        ],
        source="Harbour Ledger",
        published=datetime(2025, 10, 14, 8, 30, tzinfo=UTC),
        url="https://ledger.example/bridge",
        subtitle="Inspectors found cracks in the main span",
        captions=("The bridge at dawn on Tuesday [Photo: Ledger staff]",),
        removed=(
            RemovedLine("Harbour Ledger - news for the bay", RemovalReason.SITE_TAGLINE, 0),
            RemovedLine("Share this article on social media", RemovalReason.SHARE_PROMPT, 9),
        ),
    )
    courier = make_article(
        "Cracked span forces closure of Lumen River crossing",
        [
            (
                "The Lumen River bridge was closed on Tuesday after inspectors found cracks in the "
                "main span, the city transport office said."
            ),
            (
                "Around 38,000 vehicles a day use the bridge; officials expect the closure to last "
                "a month."
            ),
            "Local shop owners on Quay Street said they feared losing customers.",
        ],
        source="Valley Courier",
        published=datetime(2025, 10, 14, 11, 0, tzinfo=UTC),
        url="https://courier.example/lumen-bridge",
    )
    follow_up = make_article(
        "Ferries double their crossings while Lumen bridge stays shut",
        [
            (
                "The ferry operator doubled its crossings on Wednesday, a day after the Lumen River "
                "bridge was closed because of cracks in its main span."
            ),
            "Commuters said queues at the quay were long but moving.",
        ],
        source="Harbour Ledger",
        published=datetime(2025, 10, 15, 7, 0, tzinfo=UTC),
    )
    orchard = make_article(
        "Orchard growers expect record apple harvest",
        [
            "Growers in the northern valley expect a record apple harvest after a mild spring.",
            "The cooperative said prices would likely fall by a tenth.",
        ],
        source="Northgate Post",
        published=datetime(2025, 9, 2, 9, 0, tzinfo=UTC),
    )
    hostile = make_article(
        HOSTILE_TITLE,
        list(HOSTILE_BODY),
        source="Mischief <b>Daily</b>",
        published=datetime(2025, 10, 16, 12, 0, tzinfo=UTC),
        url="javascript:window.__pwned=5",
        captions=("<script>window.__pwned=6</script>",),
        removed=(
            RemovedLine('<img src=y onerror="window.__pwned=7">', RemovalReason.BOILERPLATE, 1),
        ),
    )
    return [orchard, ledger, courier, follow_up, hostile]


@pytest.fixture()
def seeded_store(tmp_path: Path) -> Iterator[SQLiteStore]:
    """A SQLite store in ``tmp_path`` holding :func:`fixture_articles`."""
    store = SQLiteStore(tmp_path / "web.db")
    with store.session():
        for article in fixture_articles():
            store.add_article(article)
    yield store
    store.close()


def ingest_sample(store: SQLiteStore) -> int:
    """Ingest the bundled sample corpus as ``newsprism demo`` does (outlets of plain-text files
    from its manifest), linking stories; analysis is left to the comparison. Returns articles."""
    from newsprism.api import ingest_and_link
    from newsprism.data import sample_manifest, sample_path

    folder = sample_path()
    by_outlet: dict[str | None, list[Path]] = {}
    for doc in sample_manifest()["documents"]:
        path = folder / doc["ref"].split(":")[0].split("#")[0]
        paths = by_outlet.setdefault(doc["outlet"] if doc["format"] == "text" else None, [])
        if path not in paths:
            paths.append(path)
    for outlet, paths in by_outlet.items():
        ingest_and_link(
            paths, store, options=IngestOptions(source=outlet), analyze=False, progress=False
        )
    return store.count_articles()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file holding the bundled sample, linked into stories (built once per session)."""
    pytest.importorskip("newsprism.link", reason="needs the linking stage")
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    store = SQLiteStore(path)
    try:
        ingest_sample(store)
    finally:
        store.close()
    return path


def make_app(store: SQLiteStore | Path, **kwargs: Any) -> Any:
    """The app without the analysis stage (it would load spaCy after every write)."""
    from newsprism.present.api import create_app

    app = create_app(store, **kwargs)
    app.state.services.stages.pop("analyze_pending", None)
    return app


@pytest.fixture()
def client(seeded_store: SQLiteStore) -> Iterator[Any]:
    """An in-process API client over :func:`seeded_store`; no token (writes from loopback)."""
    from fastapi.testclient import TestClient

    with TestClient(make_app(seeded_store), base_url=LOCAL) as c:
        yield c
