"""Settings of the report stage, and what its three parts (timeline, summary, coverage) read.

A :class:`Material` bundles one story's articles (oldest first), their analyses, the story
comparison of the compare stage (facts by coverage, conflicts, reuse, framing) and a sentence
encoder. It is built once per report (:mod:`newsprism.report.build`); every part reads it and
nothing else, so each can be tested from hand-made material.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np

from newsprism.analyze.model import Analysis
from newsprism.errors import ConfigError
from newsprism.model import Article

logger = logging.getLogger(__name__)

Encode = Callable[[Sequence[str]], np.ndarray]
"""Texts -> L2-normalised row vectors (the compare stage's caching sentence encoder)."""

#: Articles a report compares (the compare stage's own cap; pairs grow with the square).
MAX_ARTICLES = 40
#: Sentences embedded for the report's own comparison when none is given. A 20-article story
#: then reads the first 10 sentences of each article (inverted-pyramid leads hold what a
#: summary needs); embedding is most of the cost. On the 2-core reference machine the report of
#: 20 BASIL articles of ~770 words took 3.0 s wall / 3.3 s CPU with this budget
#: (``benchmarks/report_speed.py``), where comparing all their 656 sentences took 11.5 s wall.
SENTENCE_BUDGET = 200
#: Sentences per article read whatever the budget (a very large story still sees its leads).
MIN_SENTENCES = 8


def _check_int(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{name}: expected an integer in [{low}, {high}], got {value!r}")


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Settings of a story report.

    Args:
        summary_points: points in the multi-source summary (the issue asks for about five).
        sentence_budget: sentences embedded in all when the report runs its own comparison
            (spread evenly over the articles, at least ``min_sentences`` each); a given
            comparison is used as it is.
        min_sentences: sentences per article read whatever the budget.
        max_articles: articles compared (the earliest); the coverage counts every article.

    Raises:
        ConfigError: a setting is out of range.
    """

    summary_points: int = 5
    sentence_budget: int = SENTENCE_BUDGET
    min_sentences: int = MIN_SENTENCES
    max_articles: int = MAX_ARTICLES

    def __post_init__(self) -> None:
        _check_int("summary_points", self.summary_points, 1, 50)
        _check_int("sentence_budget", self.sentence_budget, 2, 100_000)
        _check_int("min_sentences", self.min_sentences, 1, 10_000)
        _check_int("max_articles", self.max_articles, 2, 1_000)

    def sentences_per_article(self, articles: int) -> int:
        """Sentences of each article the report's own comparison reads."""
        return max(self.min_sentences, self.sentence_budget // max(1, articles))


@dataclass(frozen=True, slots=True, eq=False)
class Material:
    """What a report is built from.

    Attributes:
        story_id: the story, when the articles came from one.
        title: the story's title.
        articles: every article of the story, oldest first (undated last).
        compared: the articles the comparison covers (the first ``max_articles``), same order.
        analyses: article id -> analysis, for every article of ``compared``.
        comparison: the compare stage's ``StoryComparison`` of ``compared``, or None (one
            article only).
        sentence_limit: sentences per article the comparison aligned (None: all of them);
            claims past it were never matched with other articles.
        encode: the sentence encoder, or None (no embedding model: no cosines).
        notes: caveats gathered while building the material.
    """

    story_id: str | None
    title: str
    articles: tuple[Article, ...]
    compared: tuple[Article, ...]
    analyses: Mapping[str, Analysis]
    comparison: Any = None
    sentence_limit: int | None = None
    encode: Encode | None = None
    notes: tuple[str, ...] = ()

    def outlet(self, article_id: str) -> str:
        """The outlet name of a compared article (a stand-in when it has none)."""
        for a in self.compared:
            if a.id == article_id:
                return outlet_name(a)
        return f"article {article_id[:8]}"

    @property
    def outlets(self) -> tuple[str, ...]:
        """Distinct outlets of the compared articles, in article order."""
        return tuple(dict.fromkeys(outlet_name(a) for a in self.compared))

    def vectors(self, texts: Sequence[str]) -> np.ndarray | None:
        """Vectors of ``texts`` (rows L2-normalised), or None without an encoder."""
        if self.encode is None or not texts:
            return None
        rows = np.asarray(self.encode(list(texts)), dtype=np.float32)
        return rows if rows.ndim == 2 and rows.shape[1] else None


def outlet_name(article: Article) -> str:
    """The article's outlet, or a stand-in naming the article when the input gave none."""
    return article.source or f"unknown outlet ({article.id[:8]})"


def coverage_of(outlets: int, total: int) -> str:
    """``"one"``, ``"some"`` or ``"all"`` outlets of ``total`` (the compare stage's words)."""
    if outlets <= 1:
        return "one"
    return "all" if outlets >= total else "some"


def date_only(value: datetime | None) -> bool:
    """Whether a publication time is a bare date (midnight exactly: the input gave no time)."""
    return value is not None and (value.hour, value.minute, value.second, value.microsecond) == (
        0,
        0,
        0,
        0,
    )


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601 form, or None."""
    return None if value is None else value.isoformat()


def sort_key(article: Article) -> tuple[int, float, str]:
    """Oldest first, undated last (naive times read as UTC, as the compare stage does)."""
    from newsprism.storage.schema import timestamp

    stamp = timestamp(article.published) if article.published is not None else None
    return (1, 0.0, article.id) if stamp is None else (0, stamp, article.id)
