"""Per-outlet counts of body lines, for site-boilerplate detection (see
:mod:`newsprism.link.boilerplate`): in how many different stories each line of an outlet's
articles appeared (up to the number that makes it boilerplate). Both backends; schema component
``site_lines``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsprism.storage.schema import register_migrations

register_migrations("site_lines", ["""
CREATE TABLE site_lines (
    outlet TEXT NOT NULL,
    line INTEGER NOT NULL,
    stories TEXT NOT NULL,
    boilerplate INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (outlet, line)
);
CREATE INDEX site_lines_boilerplate ON site_lines(outlet, boilerplate);
"""])


def _grow(stories: list[str], story_id: str, limit: int) -> list[str] | None:
    """The story list with ``story_id`` added (None when unchanged)."""
    if story_id in stories or len(stories) >= limit:
        return None
    return [*stories, story_id]


class SQLiteSiteLines:
    """Site-line methods of :class:`~newsprism.storage.sqlite.SQLiteStore` (mixin)."""

    execute: Any
    executemany: Any

    def count_site_lines(self, outlet: str, lines: Sequence[tuple[int, str]], limit: int) -> list[int]:
        """Count ``(line key, story id)`` sightings of an outlet; a line reaching ``limit``
        different stories becomes boilerplate. Returns the keys that just became boilerplate."""
        keys = sorted({k for k, _ in lines})
        known: dict[int, list[str]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for line, stories in self.execute(
                f"SELECT line, stories FROM site_lines WHERE outlet = ? AND line IN ({marks})", [outlet, *chunk]
            ).fetchall():
                known[line] = stories.split("\x1f") if stories else []
        changed: dict[int, list[str]] = {}
        for key, story in lines:
            grown = _grow(changed.get(key, known.get(key, [])), story, limit)
            if grown is not None:
                changed[key] = grown
        self.executemany(
            "INSERT OR REPLACE INTO site_lines VALUES (?, ?, ?, ?)",
            [(outlet, k, "\x1f".join(v), int(len(v) >= limit)) for k, v in changed.items()],
        )
        return [k for k, v in changed.items() if len(v) >= limit]

    def site_boilerplate(self, outlet: str) -> set[int]:
        """The line keys that are this outlet's boilerplate."""
        rows = self.execute("SELECT line FROM site_lines WHERE outlet = ? AND boilerplate = 1", (outlet,))
        return {r[0] for r in rows.fetchall()}


class MemorySiteLines:
    """Site-line methods of :class:`~newsprism.storage.memory.MemoryStore` (mixin; state set in
    ``__new__`` so the session snapshot rolls it back)."""

    _site_lines: dict[tuple[str, int], tuple[tuple[str, ...], bool]]
    _lock: Any

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__new__(cls)
        obj._site_lines = {}
        return obj

    def count_site_lines(self, outlet: str, lines: Sequence[tuple[int, str]], limit: int) -> list[int]:
        """See :meth:`SQLiteSiteLines.count_site_lines`."""
        became = []
        with self._lock:
            for key, story in lines:
                stories = list(self._site_lines.get((outlet, key), ((), False))[0])
                grown = _grow(stories, story, limit)
                if grown is not None:
                    self._site_lines[(outlet, key)] = (tuple(grown), len(grown) >= limit)
                    if len(grown) >= limit:
                        became.append(key)
        return became

    def site_boilerplate(self, outlet: str) -> set[int]:
        """See :meth:`SQLiteSiteLines.site_boilerplate`."""
        return {k for (o, k), (_, flag) in self._site_lines.items() if o == outlet and flag}
