"""Coverage chart geometry (articles per outlet over time) for an inline SVG, no chart library.

The template draws one row per outlet and one dot per article at its publication time; the
numbers here are all it needs. Labels are plain strings that the template escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsprism.model import Article
from newsprism.report.base import date_only

#: Drawing size in SVG user units (the SVG scales to the page width).
WIDTH = 500
ROW_HEIGHT = 26
LEFT = 175
RIGHT = 20
TOP = 10
AXIS = 26


@dataclass(frozen=True, slots=True)
class Dot:
    """One article on the chart: a point at its time, or, for an article that gives only a date,
    a bar over that whole day (``x2`` > ``x``): never a time of day it did not give."""

    x: float
    y: float
    label: str
    href: str
    x2: float | None = None


@dataclass(frozen=True, slots=True)
class CoverageChart:
    """Everything the SVG template draws."""

    width: int
    height: int
    left: int
    right_edge: int
    axis_y: float
    rows: list[tuple[str, float, int]] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    ticks: list[tuple[float, str, str]] = field(default_factory=list)
    undated: int = 0


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def coverage_chart(articles: Sequence[Article], *, max_rows: int = 24) -> CoverageChart | None:
    """Lay out the coverage chart of a story; None when no article has a date.

    Args:
        articles: the story's articles.
        max_rows: outlets drawn at most (those that published first are kept).
    """
    dated = [(a, _utc(a.published)) for a in articles if a.published is not None]
    if not dated:
        return None
    first_seen: dict[str, datetime] = {}
    counts: dict[str, int] = {}
    for a, when in sorted(dated, key=lambda pair: pair[1]):
        name = a.source or "unknown outlet"
        first_seen.setdefault(name, when)
        counts[name] = counts.get(name, 0) + 1
    outlets = list(first_seen)[:max_rows]
    row_y = {name: TOP + ROW_HEIGHT * (i + 0.5) for i, name in enumerate(outlets)}
    lo = min(when for _, when in dated)
    hi = max(when + (_DAY if date_only(a.published) else timedelta(0)) for a, when in dated)
    span = max((hi - lo).total_seconds(), 3600.0)
    inner = WIDTH - LEFT - RIGHT

    def x_of(when: datetime) -> float:
        return round(LEFT + inner * (when - lo).total_seconds() / span, 1)

    dots = [_dot(a, when, row_y[a.source or "unknown outlet"], x_of)
            for a, when in dated if (a.source or "unknown outlet") in row_y]
    axis_y = TOP + ROW_HEIGHT * len(outlets) + 4
    ticks = _ticks(lo, span, x_of)
    rows = [(name, row_y[name], counts[name]) for name in outlets]
    return CoverageChart(
        WIDTH,
        int(axis_y + AXIS),
        LEFT,
        WIDTH - RIGHT,
        axis_y,
        rows,
        dots,
        ticks,
        undated=len(articles) - len(dated),
    )


def _dot(article: Article, when: datetime, y: float, x_of: Callable[[datetime], float]) -> Dot:
    outlet = article.source or "unknown outlet"
    if date_only(article.published):
        return Dot(x_of(when), y, f"{outlet}, {when:%Y-%m-%d} (a date only, no time given): {article.title}",
                   f"/articles/{article.id}", x_of(when + _DAY))
    return Dot(x_of(when), y, f"{outlet}, {when:%Y-%m-%d %H:%M} UTC: {article.title}", f"/articles/{article.id}")


_DAY = timedelta(days=1)


def _ticks(
    lo: datetime, span: float, x_of: Callable[[datetime], float]
) -> list[tuple[float, str, str]]:
    """Three time labels (x, text, text-anchor); the format follows the span (hours, days)."""
    fmt = "%d %b %H:%M" if span <= 3 * 86400 else "%d %b %Y"
    anchors = ("start", "middle", "end")
    return [
        (
            x_of(lo + timedelta(seconds=span * i / 2)),
            (lo + timedelta(seconds=span * i / 2)).strftime(fmt),
            anchors[i],
        )
        for i in range(3)
    ]
