"""Backend-neutral schema helpers: the migration registry and the stored time form.

Schema versions are kept per component (``core``, ``stories``, ``analysis``, ``identity``,
``site_lines``, and whatever a later stage adds), per backend: each backend speaks its own SQL,
so a component registers one list of migrations for each backend it supports. A store applies,
at open, the versions of each component it lacks, ``core`` first (other components' tables
refer to the articles).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from newsprism.errors import ConfigError

Migration = Callable[[Any], None] | str
"""One schema version: an SQL script, or a callable given the backend's connection."""

BACKENDS = ("sqlite", "postgres")
"""Backends with a migration registry."""

_REGISTRY: dict[str, dict[str, list[Migration]]] = {name: {} for name in BACKENDS}


def register_migrations(component: str, migrations: list[Migration], *,
                        backend: str = "sqlite") -> None:
    """Declare the schema of a component on one backend (SQL scripts or callables, oldest first).

    Call at import time of the component's storage module; stores opened afterwards apply the
    versions they lack.

    Raises:
        ConfigError: ``backend`` is not one of :data:`BACKENDS`.
    """
    if backend not in _REGISTRY:
        raise ConfigError(f"backend must be one of {BACKENDS}, got {backend!r}")
    _REGISTRY[backend][component] = migrations


def registered_migrations(backend: str) -> list[tuple[str, list[Migration]]]:
    """``(component, migrations)`` of one backend, ``core`` first, then in registration order."""
    items = list(_REGISTRY[backend].items())
    return sorted(items, key=lambda item: item[0] != "core")


def timestamp(value: datetime | None) -> float | None:
    """Sortable UTC seconds; a naive datetime is read as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def now_text() -> str:
    """The current UTC time as ISO text to the second (the stored form of ``at`` columns)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
