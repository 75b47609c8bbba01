"""Character-offset highlights -> paragraph segments the templates render (escaped) one by one.

The comparison stage marks spans of ``Article.body`` (reused passages, aligned paraphrases,
unique facts); a span shared by two articles carries the same ``pair`` id on both sides, which
the page's script uses to show the counterpart. Templates never receive markup built from
article text: they get plain strings cut at the span edges, and Jinja escapes each one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsprism.model import PARAGRAPH_SEPARATOR

#: Highlight kinds and the CSS class each one gets (colours live in static/style.css).
KINDS: dict[str, str] = {
    "reused": "hl-reused",
    "paraphrase": "hl-paraphrase",
    "unique": "hl-unique",
    "conflict": "hl-conflict",
}
#: Which kind keeps a stretch of text that two kinds mark (lower first).
PRIORITY: dict[str, int] = {"conflict": 0, "reused": 1, "paraphrase": 2, "unique": 3}


@dataclass(frozen=True, slots=True)
class Highlight:
    """A marked span of an article body.

    Args:
        start: first character (offset into ``Article.body``).
        end: one past the last character.
        kind: one of :data:`KINDS`.
        pair: id shared with the counterpart span(s) in other articles, if any (several ids
            are separated by spaces).
        note: a short explanation shown on hover (e.g. "same sentence in Outlet B").
    """

    start: int
    end: int
    kind: str
    pair: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, got {self.kind!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"need 0 <= start < end, got start={self.start}, end={self.end}")


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one paragraph: plain (``kind`` None) or highlighted."""

    text: str
    kind: str | None = None
    pair: str | None = None
    note: str = ""

    @property
    def css(self) -> str:
        """The CSS class of a highlighted run ("" for plain text)."""
        return KINDS.get(self.kind or "", "")


def _merged(a: Highlight, b: Highlight) -> Highlight:
    """One span covering two overlapping spans of one kind, with both pair ids and notes."""
    pairs = " ".join(dict.fromkeys(p for h in (a, b) for p in (h.pair or "").split()))
    notes = "; ".join(dict.fromkeys(n for n in (a.note, b.note) if n))
    return Highlight(min(a.start, b.start), max(a.end, b.end), a.kind, pairs or None, notes)


#: Shortest piece of a span kept after cutting out another kind's spans (no stray commas).
MIN_PIECE = 3


def _subtract(start: int, end: int, holes: Iterable[Highlight]) -> list[tuple[int, int]]:
    """The parts of ``[start, end)`` outside every hole."""
    pieces = [(start, end)]
    for hole in holes:
        cut: list[tuple[int, int]] = []
        for lo, hi in pieces:
            if hole.end <= lo or hole.start >= hi:
                cut.append((lo, hi))
                continue
            if hole.start > lo:
                cut.append((lo, hole.start))
            if hole.end < hi:
                cut.append((hole.end, hi))
        pieces = cut
    return [(lo, hi) for lo, hi in pieces if hi - lo >= MIN_PIECE]


def _accepted(highlights: Iterable[Highlight], length: int) -> list[Highlight]:
    """Spans inside the body, none overlapping, earliest first.

    Kinds take turns in :data:`PRIORITY` order: a span keeps only the parts that no span of a
    kind before it took (a paraphrased sentence around a reused passage stays marked on both
    sides of it). Overlapping spans of one kind become one span whose ``pair`` lists every pair
    id (a passage of A reused by both B and C).
    """
    ordered = sorted(
        (h for h in highlights if h.start < length),
        key=lambda h: (PRIORITY.get(h.kind, len(PRIORITY)), h.start, -(h.end - h.start)),
    )
    kept: list[Highlight] = []
    for h in ordered:
        others = [k for k in kept if k.kind != h.kind]
        for lo, hi in _subtract(h.start, min(h.end, length), others):
            piece = Highlight(lo, hi, h.kind, h.pair, h.note)
            touching = [k for k in kept if k.kind == h.kind and k.start < hi and lo < k.end]
            for k in touching:
                piece = _merged(k, piece)
            kept = [k for k in kept if k not in touching] + [piece]
    return sorted(kept, key=lambda h: h.start)


def paragraph_segments(
    paragraphs: Sequence[str], highlights: Iterable[Highlight] = ()
) -> list[list[Segment]]:
    """Cut each paragraph into plain and highlighted runs.

    A span that crosses a paragraph break is split into one run per paragraph (same pair id).

    Args:
        paragraphs: ``Article.paragraphs``; offsets refer to them joined by a blank line.
        highlights: spans over that joined body; out-of-range parts are ignored.

    Returns:
        One list of segments per paragraph; their texts concatenate to the paragraph.
    """
    length = sum(len(p) for p in paragraphs) + len(PARAGRAPH_SEPARATOR) * max(
        len(paragraphs) - 1, 0
    )
    spans = _accepted(highlights, length)
    out: list[list[Segment]] = []
    start = 0
    i = 0
    for para in paragraphs:
        end = start + len(para)
        while i < len(spans) and spans[i].end <= start:
            i += 1
        out.append(_cut(para, start, end, spans[i:]))
        start = end + len(PARAGRAPH_SEPARATOR)
    return out


def _cut(para: str, start: int, end: int, spans: Sequence[Highlight]) -> list[Segment]:
    runs: list[Segment] = []
    pos = start
    for h in spans:
        if h.start >= end:
            break
        lo, hi = max(h.start, start), min(h.end, end)
        if lo > pos:
            runs.append(Segment(para[pos - start : lo - start]))
        if hi > lo:
            runs.append(Segment(para[lo - start : hi - start], h.kind, h.pair, h.note))
            pos = hi
    if pos < end or not runs:
        runs.append(Segment(para[pos - start :]))
    return runs
