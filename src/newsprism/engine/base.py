"""How batch work runs: the :class:`Engine` protocol and :func:`open_engine`.

An engine applies a function to consecutive partitions of a list of items and hands back the
results in order: all at once (:meth:`Engine.map_partitions`), or partition by partition as they
are ready (:meth:`Engine.imap_partitions`, for a caller that reads its input and saves its
results as it goes). :class:`~newsprism.engine.local.LocalEngine` (the default) calls it in this
process; :class:`~newsprism.engine.dask.DaskEngine` (extra ``newsprism[dask]``) sends the
partitions to the workers of a Dask cluster, a local one or one at a scheduler address.

Stages never import this package: a stage that can spread work takes an ``engine=`` argument
typed by what it needs (``map_partitions``), and the caller (the CLI, a script) picks the engine.
The function given to an engine must be picklable (a module-level function, or a
``functools.partial`` of one with picklable arguments) and pure: a partition may run in any
process, and the same input gives the same output wherever it runs.
"""

from __future__ import annotations

import resource
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Protocol, Self, TypeVar, runtime_checkable

from newsprism.errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")

ENGINES = ("local", "dask")
"""The engine names :func:`open_engine` knows."""


@runtime_checkable
class Engine(Protocol):
    """Runs a function over partitions of items, in this process or on other machines.

    Attributes:
        name: ``local`` or ``dask``.
    """

    name: str

    @property
    def workers(self) -> int:
        """How many workers the partitions are spread over."""
        ...

    def map_partitions(self, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
        """``fn`` over consecutive partitions of ``items``; the results concatenated in order.

        Args:
            fn: picklable and pure; takes one partition (a list), returns a list.
            items: the items; their order is kept.

        Returns:
            ``fn(partition_1) + fn(partition_2) + ...``.

        Raises:
            Whatever ``fn`` raised on the first partition that failed.
        """
        ...

    def imap_partitions(
        self, fn: Callable[[list[T]], list[R]], parts: Iterable[list[T]]
    ) -> Iterator[list[R]]:
        """``fn`` of each partition, yielded in the order of ``parts``.

        ``parts`` is read lazily: only a few partitions are out at a time, so a caller can
        produce them from a store and save each result before the next arrives.

        Args:
            fn: picklable and pure; takes one partition, returns a list.
            parts: the partitions (lists), in order.

        Yields:
            ``fn(part)`` for each part, in order.

        Raises:
            Whatever ``fn`` raised, when its partition's turn comes (the rest are cancelled).
        """
        ...

    def close(self) -> None:
        """Release the workers (a cluster this engine started is shut down)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def open_engine(name: str = "local", *, scheduler: str | None = None) -> Engine:
    """An engine by name (what ``--engine`` and ``--scheduler`` choose).

    Args:
        name: ``local`` (this process) or ``dask`` (a Dask cluster; needs ``newsprism[dask]``).
        scheduler: a Dask scheduler address (``tcp://HOST:PORT``); without one, ``dask`` starts a
            local cluster of two worker processes.

    Returns:
        The engine; close it (or use it in a ``with`` block) when done.

    Raises:
        ConfigError: an unknown name, or a scheduler given for the local engine.
        MissingDependency: ``dask`` without the extra installed.
    """
    if name not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}; got {name!r}")
    if name == "local":
        if scheduler is not None:
            raise ConfigError(
                f"scheduler is for the dask engine; got scheduler={scheduler!r} with engine "
                "'local' (use --engine dask, or leave --scheduler out)"
            )
        from newsprism.engine.local import LocalEngine

        return LocalEngine()
    from newsprism.engine.dask import DaskEngine

    return DaskEngine(scheduler)


def partitions(items: Sequence[T], size: int | None) -> list[Sequence[T]]:
    """``items`` cut into consecutive slices of ``size`` (one slice when ``size`` is None)."""
    if size is None or len(items) <= size:
        return [items] if len(items) else []
    return [items[i : i + size] for i in range(0, len(items), size)]


def check_partition_size(size: int | None) -> None:
    """Raise ConfigError unless ``size`` is None or a positive integer."""
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 1):
        raise ConfigError(f"partition_size must be a positive integer or None; got {size!r}")


def peak_rss() -> int:
    """This process's peak resident memory in bytes (what a worker reports for the benchmark)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB
