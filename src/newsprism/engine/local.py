"""The default engine: every partition runs in this process, one after the other."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Self, TypeVar

from newsprism.engine.base import check_partition_size, partitions, peak_rss

T = TypeVar("T")
R = TypeVar("R")


class LocalEngine:
    """Runs :meth:`map_partitions` in the calling process (no workers, no pickling).

    Args:
        partition_size: items per call of the function (None: all items in one call, the
            cheapest; a size bounds what one call holds at once).

    Raises:
        ConfigError: ``partition_size`` is not a positive integer or None.
    """

    name = "local"

    def __init__(self, partition_size: int | None = None) -> None:
        check_partition_size(partition_size)
        self.partition_size = partition_size

    @property
    def workers(self) -> int:
        """One: this process."""
        return 1

    def map_partitions(self, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
        """``fn`` over consecutive partitions of ``items``, results concatenated in order."""
        out: list[R] = []
        for part in partitions(items, self.partition_size):
            out.extend(fn(list(part)))
        return out

    def imap_partitions(
        self, fn: Callable[[list[T]], list[R]], parts: Iterable[list[T]]
    ) -> Iterator[list[R]]:
        """``fn`` of each partition, computed when the caller asks for it."""
        for part in parts:
            yield fn(list(part))

    def peak_memory(self) -> dict[str, int]:
        """Peak resident bytes of this process, as ``{"local": bytes}``."""
        return {"local": peak_rss()}

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LocalEngine(partition_size={self.partition_size!r})"
