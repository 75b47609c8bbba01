"""Settings, validated once at construction.

Store location: ``--db PATH`` (or ``--db postgresql://USER@HOST/DB``) on every command, else env
``NEWSPRISM_DB``, else ``./newsprism.db``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from newsprism.errors import ConfigError

DEFAULT_DB = "newsprism.db"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


SERVER_SCHEMES = ("postgresql://", "postgres://")
"""``--db`` values with these prefixes name a PostgreSQL database, not a file."""


def is_server_db(db: str | Path | None) -> bool:
    """Whether ``db`` is a PostgreSQL URL (``postgresql://...``) rather than a store file."""
    return isinstance(db, str) and db.startswith(SERVER_SCHEMES)


def resolve_db(db: str | Path | None = None) -> str | Path:
    """The store: a PostgreSQL URL as given, else a file path (see :func:`resolve_db_path`)."""
    chosen = db or os.environ.get("NEWSPRISM_DB")
    return chosen if isinstance(chosen, str) and is_server_db(chosen) else resolve_db_path(db)


def resolve_db_path(db: str | Path | None = None) -> Path:
    """The store path: the argument, else ``$NEWSPRISM_DB``, else ``./newsprism.db``."""
    if db:
        return Path(db)
    env = os.environ.get("NEWSPRISM_DB")
    return Path(env) if env else Path(DEFAULT_DB)


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How inputs are read.

    Args:
        source: outlet name for inputs that do not say theirs.
        max_bytes: inputs larger than this are rejected (``too_large``); default 20 MB.
        batch_size: articles written per store transaction.
        detect_language: run language identification on each article.
        min_words: bodies shorter than this are rejected as ``no_article``.
        max_batch_wait_ms: also write a batch before it is full once its oldest article has
            waited this long (checked as each input arrives, so a stalled reader delays it), for
            low latency in a stream; ``None`` (default): batches are written only when full.
    """

    source: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = 200
    detect_language: bool = True
    min_words: int = 1
    max_batch_wait_ms: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.max_bytes, int) or self.max_bytes <= 0:
            raise ConfigError(
                f"max_bytes must be a positive integer number of bytes, got {self.max_bytes!r}"
            )
        if not isinstance(self.batch_size, int) or not 1 <= self.batch_size <= 100_000:
            raise ConfigError(f"batch_size must be an integer in [1, 100000], got {self.batch_size!r}")
        if not isinstance(self.min_words, int) or self.min_words < 0:
            raise ConfigError(f"min_words must be a non-negative integer, got {self.min_words!r}")
        if self.max_batch_wait_ms is not None and not (
            isinstance(self.max_batch_wait_ms, int | float) and self.max_batch_wait_ms > 0
        ):
            raise ConfigError(
                f"max_batch_wait_ms must be a positive number of milliseconds or None, "
                f"got {self.max_batch_wait_ms!r}"
            )
        if self.source is not None and not self.source.strip():
            raise ConfigError("source must be a non-empty outlet name or None, got an empty string")
