"""Character spans: quotations in a text, and how much of a range a set of spans covers."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

# Quotations: curly and straight double quotes, guillemets, and curly single quotes that open
# after a space or bracket and close before a non-letter (so "it’s" does not close a quote).
_QUOTES = (
    re.compile(r"“[^“”]{1,3000}”"),
    re.compile(r"\"[^\"\n]{1,3000}\""),
    re.compile(r"«[^«»]{1,3000}»"),
    re.compile(r"(?<![\w])‘[^‘\n]{2,1500}?’(?![\w])"),
)


def quote_spans(text: str, extra: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Character spans of quotations in ``text`` (quote marks included), sorted and merged.

    Args:
        text: the body.
        extra: spans already known to be quotes (the analysis' attributed quotes).
    """
    spans = [(m.start(), m.end()) for rx in _QUOTES for m in rx.finditer(text)]
    spans.extend((s, e) for s, e in extra if 0 <= s < e)
    return merge_spans(spans)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, with overlapping and touching ones merged."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def covered(spans: Sequence[tuple[int, int]], start: int, end: int) -> int:
    """Characters of ``[start, end)`` inside the sorted, merged ``spans``."""
    total = 0
    i = max(bisect.bisect_right(spans, (start, start)) - 1, 0)
    while i < len(spans) and spans[i][0] < end:
        s, e = spans[i]
        total += max(0, min(e, end) - max(s, start))
        i += 1
    return total
