"""In-memory twin of the SQLite store, for tests and throw-away runs.

Sessions are transactional here too: an exception inside ``session()`` restores the state from
before the block, so the contract suite can hold both backends to the same rules.
"""

from __future__ import annotations

import copy
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from newsprism.errors import NotFound
from newsprism.model import Article, Rejected
from newsprism.storage.analysis import AnalysisMemoryMixin
from newsprism.storage.identity import IdentityMemoryMixin
from newsprism.storage.schema import timestamp
from newsprism.storage.sitelines import MemorySiteLines
from newsprism.storage.stories import MemoryStoryStore

_WORD = re.compile(r"\w+")


class MemoryStore(MemoryStoryStore, AnalysisMemoryMixin, IdentityMemoryMixin, MemorySiteLines):
    """A :class:`~newsprism.storage.base.Store` held in dictionaries."""

    def __init__(self) -> None:
        self._articles: dict[str, Article] = {}
        self._rejected: dict[tuple[str, str, str], Rejected] = {}
        self._meta: dict[str, str] = {}
        self._lock = threading.RLock()
        self._depth = 0

    def _state(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k not in ("_lock", "_depth")}

    @contextmanager
    def session(self) -> Iterator[MemoryStore]:
        """All-or-nothing block of writes (nested sessions join the outer one)."""
        with self._lock:
            snapshot = copy.copy(self._state()) if self._depth == 0 else None
            if snapshot is not None:
                snapshot = {k: copy.copy(v) for k, v in snapshot.items()}
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if snapshot is not None:
                    vars(self).update(snapshot)
                raise
            self._depth -= 1

    def add_article(self, article: Article) -> bool:
        """Store an article; False (and its input kept as an alias) when it is stored already
        (see :mod:`newsprism.storage.identity`)."""
        with self._lock:
            stored = self.stored_as(article)
            if stored is not None:
                self.add_alias(stored, article)
                return False
            self._articles[article.id] = article
            self._record_key(article)
            return True

    def has_article(self, article_id: str) -> bool:
        """Whether this exact id is stored."""
        return article_id in self._articles

    def get_article(self, article_id: str) -> Article:
        """The article with this id or unique prefix (4+ characters)."""
        if article_id in self._articles:
            return self._articles[article_id]
        hits = [a for k, a in self._articles.items() if len(article_id) >= 4 and k.startswith(article_id)]
        if len(hits) > 1:
            raise NotFound(f"article id prefix {article_id!r} is ambiguous; give more of it")
        if not hits:
            raise NotFound(f"no article with id {article_id!r}")
        return hits[0]

    def articles(
        self,
        *,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles in ingest order, filtered by outlet and publication time."""
        picked = [a for a in self._articles.values() if _matches(a, source, since, until)]
        end = None if limit is None else offset + limit
        return picked[offset:end]

    def iter_articles(self, batch_size: int = 500) -> Iterator[Article]:
        """Every article in ingest order."""
        yield from list(self._articles.values())

    def count_articles(self, *, source: str | None = None) -> int:
        """How many articles (of one outlet)."""
        return len(self.articles(source=source))

    def search(self, query: str, *, limit: int = 20) -> list[tuple[Article, float]]:
        """Every query term must occur; score is a tf-idf sum with titles weighted 3x."""
        terms = [t.casefold() for t in _WORD.findall(query)]
        if not terms:
            return []
        docs = {
            a.id: (_tokens(a.title), _tokens(a.body)) for a in self._articles.values()
        }
        n = max(len(docs), 1)
        scored: list[tuple[Article, float]] = []
        for art_id, (title, body) in docs.items():
            if not all(t in title or t in body for t in terms):
                continue
            score = 0.0
            for t in terms:
                df = sum(1 for ti, bo in docs.values() if t in ti or t in bo)
                idf = math.log(1 + n / df)
                score += idf * (3 * title.count(t) + body.count(t))
            scored.append((self._articles[art_id], score))
        scored.sort(key=lambda pair: -pair[1])
        return scored[:limit]

    def sources(self) -> list[tuple[str, int]]:
        """Outlets and their article counts, most first."""
        counts: dict[str, int] = {}
        for a in self._articles.values():
            if a.source is not None:
                counts[a.source] = counts.get(a.source, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def add_rejected(self, rejected: Rejected) -> None:
        """Record a refused input once per (ref, stage, reason), newest last."""
        with self._lock:
            key = (rejected.ref, rejected.stage, rejected.reason)
            self._rejected.pop(key, None)
            self._rejected[key] = rejected

    def rejected(self, *, limit: int | None = None, offset: int = 0) -> list[Rejected]:
        """Refused inputs, newest first."""
        items = list(reversed(self._rejected.values()))
        end = None if limit is None else offset + limit
        return items[offset:end]

    def count_rejected(self) -> int:
        """How many refused inputs are recorded."""
        return len(self._rejected)

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A stored setting or marker."""
        return self._meta.get(key, default)

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting or marker."""
        self._meta[key] = value

    def close(self) -> None:
        """Nothing to release."""


def _tokens(text: str) -> list[str]:
    return [t.casefold() for t in _WORD.findall(text)]


def _matches(a: Article, source: str | None, since: datetime | None, until: datetime | None) -> bool:
    if source is not None and (a.source or "").casefold() != source.casefold():
        return False
    ts = timestamp(a.published)
    if since is not None and (ts is None or ts < (timestamp(since) or 0)):
        return False
    if until is not None and (ts is None or ts >= (timestamp(until) or 0)):
        return False
    return True
