"""The Dask engine: partitions run on the workers of a Dask cluster (extra ``newsprism[dask]``).

Without a scheduler address the engine starts a :class:`distributed.LocalCluster` of worker
processes on this machine and shuts it down on :meth:`DaskEngine.close`; with one
(``tcp://HOST:PORT``, a ``dask scheduler`` whose workers can import the same newsprism version)
it connects and leaves the cluster running.

Each partition is scattered to a worker (round robin) and the function follows it, sent to every
worker once; at most ``in_flight`` partitions per worker are out at a time, so neither the
cluster nor this process holds more than a few partitions of input beyond the results. The
results come back in partition order, whatever order the workers finish in (the oldest
partition out is waited for while the others run).

Importing this module needs no Dask; constructing the engine without it raises
:class:`~newsprism.errors.MissingDependency` with the install hint.
"""

from __future__ import annotations

import itertools
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar

from newsprism.engine.base import check_partition_size, partitions, peak_rss
from newsprism.errors import ConfigError, require

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

# Items per partition: 500 generated 400-word articles are ~1.5 MB to send and ~0.5-1 s of
# preparing on one core of the shared 2-core machine, so the per-task overhead of the scheduler
# (a few ms) is well under 1% and a partition's memory stays small.
DEFAULT_PARTITION_SIZE = 500


class DaskEngine:
    """Runs :meth:`map_partitions` on a Dask cluster.

    Args:
        scheduler: ``tcp://HOST:PORT`` of a running scheduler; None starts a local cluster.
        n_workers: worker processes of the local cluster (ignored with ``scheduler``).
        threads_per_worker: threads per local worker (1: our work holds the GIL).
        partition_size: items per task.
        in_flight: partitions out per worker at a time (2: a worker never waits for its next).
        connect_timeout: seconds to wait for the scheduler.

    Raises:
        ConfigError: a parameter out of range.
        MissingDependency: Dask is not installed (``pip install 'newsprism[dask]'``).
    """

    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        n_workers: int = 2,
        threads_per_worker: int = 1,
        partition_size: int = DEFAULT_PARTITION_SIZE,
        in_flight: int = 2,
        connect_timeout: float = 10.0,
    ) -> None:
        for label, value in (("n_workers", n_workers), ("threads_per_worker", threads_per_worker),
                             ("in_flight", in_flight)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{label} must be a positive integer; got {value!r}")
        check_partition_size(partition_size)
        if scheduler is not None and (not isinstance(scheduler, str) or "://" not in scheduler):
            raise ConfigError(
                f"scheduler must be an address like 'tcp://HOST:PORT'; got {scheduler!r}"
            )
        if not (isinstance(connect_timeout, int | float) and connect_timeout > 0):
            raise ConfigError(f"connect_timeout must be a positive number; got {connect_timeout!r}")
        require("distributed", "dask")
        self.scheduler = scheduler
        self.n_workers = n_workers
        self.threads_per_worker = threads_per_worker
        self.partition_size = partition_size
        self.in_flight = in_flight
        self.connect_timeout = connect_timeout
        self._cluster: Any = None
        self._client: Any = None

    @property
    def workers(self) -> int:
        """Workers connected now (starts or connects to the cluster)."""
        return len(self._connect().nthreads())

    @property
    def address(self) -> str:
        """The scheduler's address (starts or connects to the cluster)."""
        return str(self._connect().scheduler.address)

    def map_partitions(self, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
        """``fn`` over consecutive partitions of ``items`` on the workers, results in order.

        Raises:
            ConfigError: the scheduler cannot be reached.
            Whatever ``fn`` raised on a worker (the other partitions are cancelled).
        """
        parts = (list(part) for part in partitions(items, self.partition_size))
        return [value for result in self.imap_partitions(fn, parts) for value in result]

    def imap_partitions(
        self, fn: Callable[[list[T]], list[R]], parts: Iterable[list[T]]
    ) -> Iterator[list[R]]:
        """``fn`` of each partition on the workers, yielded in the order of ``parts``.

        At most ``in_flight`` partitions per worker are out; the next one is sent before a
        result is yielded, so the workers keep busy while the caller uses it.

        Raises:
            ConfigError: the scheduler cannot be reached.
            Whatever ``fn`` raised on a worker (the partitions still out are cancelled).
        """
        source = iter(parts)
        first = list(itertools.islice(source, 1))
        if not first:
            return
        client = self._connect()
        [fn_ref] = client.scatter([fn], broadcast=True, hash=False)
        pending: deque[Any] = deque()

        def submit(part: list[T]) -> None:
            [data] = client.scatter([list(part)], hash=False)
            pending.append(client.submit(_apply, fn_ref, data, pure=False))

        window = self.in_flight * max(1, self.workers)
        try:
            for part in itertools.chain(first, itertools.islice(source, window - 1)):
                submit(part)
            while pending:
                future = pending.popleft()
                result = future.result()
                future.release()
                for part in itertools.islice(source, 1):
                    submit(part)
                yield result
        finally:
            if pending:
                client.cancel(list(pending))
            fn_ref.release()

    def peak_memory(self) -> dict[str, int]:
        """Peak resident bytes of each worker process, by worker address."""
        return dict(self._connect().run(peak_rss))

    def close(self) -> None:
        """Disconnect; a local cluster this engine started is shut down."""
        client, self._client = self._client, None
        cluster, self._cluster = self._cluster, None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        where = self.scheduler or f"LocalCluster(n_workers={self.n_workers})"
        return f"DaskEngine({where}, partition_size={self.partition_size})"

    def _connect(self) -> Any:
        """The client, started on first use."""
        if self._client is not None:
            return self._client
        from distributed import Client, LocalCluster

        if self.scheduler is None:
            self._cluster = LocalCluster(
                n_workers=self.n_workers,
                threads_per_worker=self.threads_per_worker,
                processes=True,
                dashboard_address=None,
                # The scheduler serves /health and /metrics even without a dashboard, on port
                # 8787 unless told otherwise: a second cluster on the machine would warn and
                # move. Loopback and any free port instead.
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
            self._client = Client(self._cluster)
            logger.info("started a local Dask cluster of %d workers", self.n_workers)
            return self._client
        try:
            self._client = Client(self.scheduler, timeout=self.connect_timeout)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(
                f"the Dask scheduler at {self.scheduler!r} could not be reached in "
                f"{self.connect_timeout:g}s ({exc}); start one with `dask scheduler` and "
                "`dask worker ADDRESS`, or leave --scheduler out for a local cluster"
            ) from exc
        return self._client


def _apply(fn: Callable[[list[Any]], list[Any]], part: list[Any]) -> list[Any]:
    """Worker side: one partition."""
    return fn(part)
