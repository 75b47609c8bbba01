"""Shared fixtures of the analyze tests: one analyzer (spaCy loaded once) per test session."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from newsprism.analyze.analyzer import Analyzer
from newsprism.model import Article
from newsprism.testing import make_article

DATA = Path(__file__).resolve().parents[1] / "data" / "analysis"
# ../shared/seeds next to the repository (the two articles newsprism was conceived from)
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The default analyzer with its models loaded (about 3 s, once per session)."""
    return Analyzer().load()


def gold_article(data: dict[str, Any]) -> Article:
    """An Article from one entry of ``tests/data/analysis/articles.json``."""
    return make_article(
        data["title"], data["paragraphs"], source=data["source"], id=data["id"],
        published=datetime.fromisoformat(data["published"]), language=data["language"],
    )


@pytest.fixture(scope="session")
def gold_articles() -> list[Article]:
    """The six gold-set articles."""
    entries = json.loads((DATA / "articles.json").read_text(encoding="utf-8"))
    return [gold_article(e) for e in entries]


@pytest.fixture(scope="session")
def gold() -> dict[str, Any]:
    """Gold annotations by article id."""
    return json.loads((DATA / "gold.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]
