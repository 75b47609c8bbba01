"""The represent stage's protocol: an article in, the features linking needs out.

Implementations: :class:`~newsprism.represent.features.LinkRepresenter` (shingles + MinHash,
sentence fingerprints, hashed streaming TF-IDF; the default) and :class:`NullRepresenter`
(features that link nothing, for tests of the plumbing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

import numpy as np

from newsprism.model import Article
from newsprism.represent.tfidf import EMPTY, SparseVector


_NO_COUNTS = np.zeros(0, dtype=np.float32)


@dataclass(slots=True)
class ArticleFeatures:
    """What the linker knows about one article.

    Attributes:
        article_id: the article's id.
        time: event time in UTC seconds (publication date, else ingest time).
        time_note: where ``time`` came from: ``published``, ``no_date_ingest_time`` or
            ``implausible_date_ingest_time``.
        text_hash: hash of the normalised body, or None for an empty body (exact duplicates).
        signature: MinHash of word 5-shingles (near-duplicates).
        sentences: fingerprints of long sentences (wire rewrites share whole sentences).
        vector: unit TF-IDF vector (story similarity).
        feature_ids: the article's feature ids (counted into document frequencies).
        notes: reasons a person may want (``empty_text``, ``truncated``).
        counts: the weighted raw counts of ``feature_ids`` (to weigh the article again as the
            document frequencies grow; see :mod:`newsprism.link.revisit`).
    """

    article_id: str
    source: str | None
    title: str
    language: str | None
    time: float
    time_note: str
    text_hash: int | None
    signature: np.ndarray
    sentences: list[int]
    vector: SparseVector
    feature_ids: np.ndarray
    word_count: int
    notes: list[str] = field(default_factory=list)
    counts: np.ndarray = field(default_factory=lambda: _NO_COUNTS)

    @property
    def dated(self) -> bool:
        """Whether ``time`` comes from the article, not the ingest clock."""
        return self.time_note == "published"


@runtime_checkable
class Representer(Protocol):
    """Turns articles into :class:`ArticleFeatures`."""

    def represent(self, article: Article, *, now: datetime) -> ArticleFeatures:
        """Features of one article; ``now`` is the ingest time used for undated articles."""
        ...


class NullRepresenter:
    """Features with no content: every article stays a singleton."""

    def represent(self, article: Article, *, now: datetime) -> ArticleFeatures:
        """Empty features (timed at ``now``)."""
        return ArticleFeatures(
            article_id=article.id,
            source=article.source,
            title=article.title,
            language=article.language,
            time=now.timestamp(),
            time_note="no_date_ingest_time",
            text_hash=None,
            signature=np.zeros(0, dtype=np.uint32),
            sentences=[],
            vector=EMPTY,
            feature_ids=np.zeros(0, dtype=np.int64),
            word_count=article.word_count,
        )
