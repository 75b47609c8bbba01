"""Offsets into Article.body -> paragraph segments (what the side-by-side view renders)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.present.highlights import Highlight, paragraph_segments


def _joined(runs: list[list[object]]) -> list[str]:
    return ["".join(seg.text for seg in para) for para in runs]  # type: ignore[attr-defined]


def test_highlights_cut_spans_across_paragraphs() -> None:
    paras = ["Alpha beta gamma.", "Delta epsilon."]
    body = "\n\n".join(paras)
    start = body.index("gamma")
    end = body.index("Delta") + len("Delta")
    runs = paragraph_segments(paras, [Highlight(start, end, "reused", "p1")])
    assert _joined(runs) == paras
    assert [(s.text, s.kind, s.pair) for s in runs[0]] == [
        ("Alpha beta ", None, None),
        ("gamma.", "reused", "p1"),
    ]
    assert [(s.text, s.kind) for s in runs[1]] == [("Delta", "reused"), (" epsilon.", None)]


def test_highlights_priority_decides_overlaps_and_out_of_range_is_ignored() -> None:
    paras = ["one two three four"]
    spans = [
        Highlight(0, 7, "unique"),
        Highlight(4, 13, "reused"),
        Highlight(100, 120, "paraphrase"),
    ]
    runs = paragraph_segments(paras, spans)
    assert [(s.text, s.kind) for s in runs[0]] == [
        ("one ", "unique"),
        ("two three", "reused"),
        (" four", None),
    ]
    conflict = paragraph_segments(paras, [*spans, Highlight(0, 18, "conflict", "c1")])
    assert [(s.text, s.kind) for s in conflict[0]] == [("one two three four", "conflict")]


def test_highlights_merge_overlaps_of_one_kind_with_all_pair_ids() -> None:
    paras = ["one two three four"]
    spans = [Highlight(0, 7, "reused", "ab"), Highlight(4, 13, "reused", "ac")]
    runs = paragraph_segments(paras, spans)
    assert [(s.text, s.pair) for s in runs[0]] == [("one two three", "ab ac"), (" four", None)]


def test_highlights_reject_bad_spans() -> None:
    with pytest.raises(ValueError, match="kind"):
        Highlight(0, 3, "shiny")
    with pytest.raises(ValueError, match="start"):
        Highlight(5, 5, "reused")


@given(
    st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)), max_size=8),
)
def test_highlights_segments_always_rebuild_the_paragraphs(
    paras: list[str], raw: list[tuple[int, int]]
) -> None:
    spans = [Highlight(a, a + n, "reused") for a, n in raw]
    assert _joined(paragraph_segments(paras, spans)) == paras


def test_highlights_lower_kind_keeps_its_parts_around_a_higher_one() -> None:
    paras = ["Alpha beta gamma delta epsilon."]
    body = paras[0]
    sentence = Highlight(0, len(body), "paraphrase", "f1")
    reused = Highlight(body.index("gamma"), body.index("gamma") + 5, "reused", "r1")
    runs = paragraph_segments(paras, [sentence, reused])
    assert [(s.text, s.kind, s.pair) for s in runs[0]] == [
        ("Alpha beta ", "paraphrase", "f1"),
        ("gamma", "reused", "r1"),
        (" delta epsilon.", "paraphrase", "f1"),
    ]
