"""The default representer for linking: MinHash, sentence fingerprints and hashed TF-IDF at once.

One tokenisation feeds all three, so an article is read once. The TF-IDF document frequencies
grow with every article represented with ``observe=True`` (the streaming linker's stream).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from newsprism.model import Article
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.minhash import MinHasher, sentence_fingerprints, stable_hash64
from newsprism.represent.text import TokenHasher, normalized, sentence_words, tokens
from newsprism.represent.tfidf import HashedTfidf

# Publication dates outside this range are treated as wrong (a parser picked up a birth date or
# a typo'd year) and replaced by the ingest time, with a note.
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=2)


@dataclass(slots=True)
class PreparedText:
    """The part of an article's features that depends on its text alone (no stream state), so
    it can be computed in another process: see :mod:`newsprism.represent.worker`."""

    text_hash: int | None
    signature: np.ndarray
    sentences: list[int]
    ids: np.ndarray
    counts: np.ndarray
    word_count: int
    notes: list[str]


class LinkRepresenter:
    """Shingles + MinHash, sentence fingerprints, hashed TF-IDF.

    Representing is two steps: :meth:`prepare` reads the text (tokens, shingles, counts; the
    costly part, free of stream state) and :meth:`finish` adds what depends on the stream (the
    event time and the TF-IDF weights from the document frequencies so far).

    Args:
        minhasher: signature settings (default 64 permutations of word 5-shingles).
        tfidf: the hashed TF-IDF (holds the stream's document frequencies).
        max_tokens: tokens beyond this many are ignored for shingles and sentences.
    """

    def __init__(
        self,
        minhasher: MinHasher | None = None,
        tfidf: HashedTfidf | None = None,
        max_tokens: int = 5000,
    ) -> None:
        self.minhasher = minhasher or MinHasher()
        self.tfidf = tfidf or HashedTfidf(max_tokens=max_tokens)
        self.max_tokens = max_tokens
        self.max_sentences = 60
        self._hasher = TokenHasher()

    def represent(self, article: Article, *, now: datetime, observe: bool = True) -> ArticleFeatures:
        """Features of ``article``; with ``observe`` its terms join the document frequencies."""
        return self.finish(article, self.prepare(article.title, article.body), now=now, observe=observe)

    def prepare(self, title: str, body: str) -> PreparedText:
        """The text-only features of an article (the same in any process)."""
        notes: list[str] = []
        if len(body) > self.max_tokens * 12:  # a 200,000-word input costs no more than a long article
            body = body[: self.max_tokens * 12]
            notes.append("truncated")
        norm = normalized(body)
        words = norm.split()
        if len(words) > self.max_tokens:
            if "truncated" not in notes:
                notes.append("truncated")
            words = words[: self.max_tokens]
        if not words and not title.strip():
            notes.append("empty_text")
        signature = self.minhasher.signature_of_tokens(words or tokens(title), self._hasher)
        fingerprints = sentence_fingerprints(sentence_words(norm)[: self.max_sentences])
        ids, counts = self.tfidf.counts(title, words, body)
        return PreparedText(_text_hash(words), signature, fingerprints, ids, counts, len(words), notes)

    def finish(
        self, article: Article, prepared: PreparedText, *, now: datetime, observe: bool = True
    ) -> ArticleFeatures:
        """Features of ``article`` from its :meth:`prepare` output; with ``observe`` its terms
        join the document frequencies (before its own weights are computed, as one stream)."""
        time, time_note = event_time(article, now)
        ids = prepared.ids
        if observe and len(ids):
            self.tfidf.observe(ids)
        return ArticleFeatures(
            article_id=article.id,
            source=article.source,
            title=article.title,
            language=(article.language or None),
            time=time,
            time_note=time_note,
            text_hash=prepared.text_hash,
            signature=prepared.signature,
            sentences=prepared.sentences,
            vector=self.tfidf.vector(ids, prepared.counts),
            feature_ids=ids,
            word_count=prepared.word_count,
            notes=list(prepared.notes),
            counts=prepared.counts,
        )

    def trim(self) -> None:
        """Bound the token memos on long streams."""
        self._hasher.trim()
        self.tfidf.trim()


def event_time(article: Article, now: datetime) -> tuple[float, str]:
    """When the article's story happened, in UTC seconds, and where that time came from.

    Naive datetimes are read as UTC. Undated articles take ``now`` (the ingest time): the
    normalizer already turned any date line it found into ``published``, and a date guessed from
    body text (often some earlier event's date) split ECB+ stories more than it helped.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    published = article.published
    if published is not None:
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        if EARLIEST_PLAUSIBLE <= published <= now + FUTURE_TOLERANCE:
            return published.timestamp(), "published"
        return now.timestamp(), "implausible_date_ingest_time"
    return now.timestamp(), "no_date_ingest_time"


def _text_hash(words: list[str]) -> int | None:
    """63-bit hash of the normalised body (exact duplicates), the same in every process."""
    return stable_hash64(" ".join(words)) if words else None


def signature_matrix(features: list[ArticleFeatures]) -> np.ndarray:
    """Stack signatures (rows) for vectorised Jaccard estimates."""
    return np.vstack([f.signature for f in features]) if features else np.zeros((0, 0), np.uint32)
