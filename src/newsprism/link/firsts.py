"""Who reported a story first, claimed only when the articles' own times prove it.

An article's time is an interval: a published time is a point; a bare date (midnight exactly: the
input gave no time of day) is that whole day; an article without a date (timed at ingest) could be
from any time. An outlet reported first only when its article's interval ends before every other
article's begins: a 05:00 report and a date-only report of the same day have no known order, and
two reports stamped the same minute have none either. A story of one article has its one reporter.

A story keeps only the extremes that decide this (:data:`Firsts`): the earliest end with its
article and outlet, and the two earliest starts, so adding an article or merging two stories is
O(1), and the claim never needs the members' times again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["Firsts", "add", "interval", "merge", "reporter", "stored"]

_DAY = 86400.0
_INF = math.inf

# (earliest end, its outlet, its article id, earliest start, its article id, second start)
Firsts = tuple[float, str | None, str, float, str, float]


def interval(time: float, dated: bool) -> tuple[float, float]:
    """The interval an article's time stands for (UTC seconds; see the module docstring)."""
    if not dated:
        return -_INF, _INF
    if time % _DAY == 0.0:  # midnight UTC exactly: a bare date
        return time, time + _DAY - 1e-3
    return time, time


def add(firsts: Firsts | None, time: float, dated: bool, source: str | None, article_id: str) -> Firsts:
    """The extremes with one more article."""
    start, end = interval(time, dated)
    if firsts is None:
        return end, source, article_id, start, article_id, _INF
    e1, e_src, e_id, s1, s_id, s2 = firsts
    if end < e1:
        e1, e_src, e_id = end, source, article_id
    if start < s1:
        s1, s_id, s2 = start, article_id, s1
    elif start < s2:
        s2 = start
    return e1, e_src, e_id, s1, s_id, s2


def merge(a: Firsts | None, b: Firsts | None) -> Firsts | None:
    """The extremes of two stories' articles together."""
    if a is None or b is None:
        return a if b is None else b
    e = min((a[0], a[1], a[2]), (b[0], b[1], b[2]), key=lambda x: x[0])
    starts = sorted([(a[3], a[4]), (a[5], ""), (b[3], b[4]), (b[5], "")], key=lambda x: x[0])
    return e[0], e[1], e[2], starts[0][0], starts[0][1], starts[1][0]


def reporter(firsts: Firsts | None, count: int) -> str | None:
    """The outlet that provably reported first, else None."""
    if firsts is None:
        return None
    e1, source, e_id, _, s_id, s2 = firsts
    if count <= 1:
        return source
    return source if e_id == s_id and e1 < s2 else None


def stored(first_time: float | None, first_reporter: str | None) -> Firsts | None:
    """Extremes standing for a story reloaded from the store, whose members are not all read:
    its stored claim holds until an article proves earlier."""
    if first_time is None:
        return None
    if first_reporter is None:
        return _INF, None, "", first_time, "stored", first_time
    return first_time, first_reporter, "stored", first_time, "stored", _INF


def of(entries: Iterable[tuple[float, bool, str | None, str]]) -> Firsts | None:
    """The extremes of ``(time, dated, outlet, article id)`` entries."""
    out: Firsts | None = None
    for time, dated, source, aid in entries:
        out = add(out, time, dated, source, aid)
    return out
