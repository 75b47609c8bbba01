"""The Store protocol: everything newsprism keeps, behind one interface.

Backends: :class:`~newsprism.storage.sqlite.SQLiteStore` (default, a file),
:class:`~newsprism.storage.postgres.PostgresStore` (a server, extra ``newsprism[postgres]``) and
:class:`~newsprism.storage.memory.MemoryStore` (tests, throw-away runs). One contract suite
(``tests/contract``) runs against every backend. Every backend also keeps stories
(:class:`~newsprism.storage.stories.StoryStore`) and analyses (:class:`AnalysisStore`).

Writes outside :meth:`Store.session` commit one by one; inside, the whole block is one
transaction that commits on exit and rolls back on an exception (or a killed process).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol, runtime_checkable

from newsprism.errors import ConfigError
from newsprism.model import Analysis, Article, Rejected


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


@runtime_checkable
class AnalysisStore(Store, Protocol):
    """A :class:`Store` that also keeps article analyses and stage failures (every newsprism
    backend does; see :mod:`newsprism.storage.analysis`)."""

    def save_analysis(self, analysis: Analysis) -> None:
        """Store (or replace) the analysis of a stored article.

        Raises:
            NotFound: the article is not in the store.
        """
        ...

    def get_analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article (exact id), or None."""
        ...

    def ids_needing_analysis(self, version: str | None, *, limit: int | None = None,
                             failed: bool = False) -> list[str]:
        """Ids of articles (ingest order) with no analysis or one of another version."""
        ...

    def count_analyses(self, *, version: str | None = None) -> int:
        """How many analyses are stored (of one version)."""
        ...

    def articles_with_entity(self, key: str) -> list[str]:
        """Ids of analysed articles that mention the entity ``key``."""
        ...

    def entity_names(self, keys: Sequence[str] | None = None) -> dict[str, str]:
        """Store-wide canonical name of entity keys."""
        ...

    def record_failure(self, article_id: str, stage: str, version: str, reason: str,
                       detail: str) -> None:
        """Record that ``stage`` (at ``version``) failed on a stored article, and why."""
        ...

    def failures(self, *, stage: str | None = None, article_id: str | None = None,
                 limit: int | None = None, offset: int = 0) -> list[Rejected]:
        """Recorded stage failures, newest first."""
        ...

    def count_failures(self, *, stage: str | None = None) -> int:
        """How many stage failures are recorded (of one stage)."""
        ...

    def ids_failed(self, stage: str = "analyze") -> list[str]:
        """Ids of articles (ingest order) with a recorded failure of ``stage``."""
        ...


def analysis_store(store: Store) -> AnalysisStore:
    """``store`` as an :class:`AnalysisStore`.

    Raises:
        ConfigError: the store keeps no analyses (not one of newsprism's backends).
    """
    if not isinstance(store, AnalysisStore):
        raise ConfigError(
            f"this needs a store that keeps analyses (SQLiteStore, PostgresStore, MemoryStore), "
            f"got {type(store).__name__}"
        )
    return store
