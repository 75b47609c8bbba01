"""The Store protocol: everything newsprism keeps, behind one interface.

Backends: :class:`~newsprism.storage.sqlite.SQLiteStore` (default, a file) and
:class:`~newsprism.storage.memory.MemoryStore` (tests, throw-away runs). One contract suite
(``tests/contract``) runs against every backend.

Writes outside :meth:`Store.session` commit one by one; inside, the whole block is one
transaction that commits on exit and rolls back on an exception (or a killed process).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol, runtime_checkable

from newsprism.model import Article, Rejected


@runtime_checkable
class Store(Protocol):
    """Persistence of articles and rejected inputs."""

    def session(self) -> AbstractContextManager[Store]:
        """One transaction for a batch of writes; nests (inner sessions join the outer one)."""
        ...

    def add_article(self, article: Article) -> bool:
        """Store an article; return False (and change nothing) when its id is already there."""
        ...

    def add_rejected(self, rejected: Rejected) -> None:
        """Record a refused input; the same (ref, stage, reason) is kept once, with the newest detail."""
        ...

    def get_article(self, article_id: str) -> Article:
        """The article with this id or unique id prefix (at least 4 characters).

        Raises:
            NotFound: no article, or the prefix is ambiguous.
        """
        ...

    def has_article(self, article_id: str) -> bool:
        """Whether an article with exactly this id is stored."""
        ...

    def articles(
        self,
        *,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles in ingest order, optionally filtered by outlet and publication time."""
        ...

    def iter_articles(self, batch_size: int = 500) -> Iterator[Article]:
        """Every article in ingest order, fetched in batches (for archive-wide passes)."""
        ...

    def count_articles(self, *, source: str | None = None) -> int:
        """How many articles are stored."""
        ...

    def search(self, query: str, *, limit: int = 20) -> list[tuple[Article, float]]:
        """Full-text search over titles and bodies, best first, with a score (higher is better)."""
        ...

    def rejected(self, *, limit: int | None = None, offset: int = 0) -> list[Rejected]:
        """Refused inputs, newest first."""
        ...

    def count_rejected(self) -> int:
        """How many refused inputs are recorded."""
        ...

    def sources(self) -> Sequence[tuple[str, int]]:
        """Outlets with their article counts, most articles first."""
        ...

    def close(self) -> None:
        """Release the backend's resources."""
        ...
