"""A story comparison -> highlights, conflicts, key facts and timeline for the story page."""

from __future__ import annotations

from types import SimpleNamespace as NS
from typing import Any

from newsprism.present.sidebyside import comparison_highlights, conflicts_view, key_facts, timeline
from newsprism.testing import make_article

A = make_article(
    "Bridge shut", ["The bridge shut on Tuesday. Five were hurt. The mayor spoke."], source="One"
)
B = make_article("Span closed", ["The bridge closed on Tuesday. Seven were hurt."], source="Two")


def _claim(article: Any, text: str, times: tuple[Any, ...] = ()) -> NS:
    start = article.body.index(text)
    return NS(
        article_id=article.id,
        source=article.source,
        start=start,
        end=start + len(text),
        text=text,
        times=times,
    )


def _comparison() -> NS:
    tuesday = NS(first_day="2025-10-14", value="2025-10-14", text="Tuesday", modifier=None)
    shut_a = _claim(A, "The bridge shut on Tuesday.", (tuesday,))
    shut_b = _claim(B, "The bridge closed on Tuesday.", (tuesday,))
    hurt_a, hurt_b = _claim(A, "Five were hurt."), _claim(B, "Seven were hurt.")
    mayor = _claim(A, "The mayor spoke.")
    facts = (
        NS(
            claims=(shut_a, shut_b),
            article_ids=(A.id, B.id),
            sources=("One", "Two"),
            coverage="all",
            score=0.9,
            text=shut_a.text,
        ),
        NS(
            claims=(mayor,),
            article_ids=(A.id,),
            sources=("One",),
            coverage="one",
            score=1.0,
            text=mayor.text,
        ),
    )
    conflict = NS(
        kind="quantity",
        what="people hurt",
        value_a="Five",
        value_b="Seven",
        claim_a=hurt_a,
        claim_b=hurt_b,
    )
    passage = NS(start_a=4, end_a=10, start_b=4, end_b=10)
    pair = NS(a=A.id, b=B.id, reuse=NS(passages=(passage,)))
    return NS(articles=(A, B), pairs=(pair,), facts=NS(facts=facts, conflicts=(conflict,)))


def test_sidebyside_highlights_pair_counterparts() -> None:
    spans = comparison_highlights(_comparison(), [A, B])
    kinds_a = {(h.kind, h.pair) for h in spans[A.id]}
    kinds_b = {(h.kind, h.pair) for h in spans[B.id]}
    assert ("reused", "r0-0") in kinds_a and ("reused", "r0-0") in kinds_b
    assert ("paraphrase", "f0") in kinds_a and ("paraphrase", "f0") in kinds_b
    assert ("conflict", "c0") in kinds_a and ("conflict", "c0") in kinds_b
    assert ("unique", None) in kinds_a and not any(k == "unique" for k, _ in kinds_b)


def test_sidebyside_skips_articles_not_shown() -> None:
    spans = comparison_highlights(_comparison(), [A])
    assert set(spans) == {A.id}
    assert not any(h.kind in ("reused", "paraphrase") for h in spans[A.id])


def test_sidebyside_panels() -> None:
    cmp = _comparison()
    [row] = conflicts_view(cmp)
    assert row["what"] == "people hurt"
    assert [(s["source"], s["value"]) for s in row["sides"]] == [("One", "Five"), ("Two", "Seven")]
    assert key_facts(cmp) == [
        {"text": "The bridge shut on Tuesday.", "sources": ["One", "Two"], "coverage": "all"}
    ]
    [event] = timeline(cmp)
    assert event["when"] == "2025-10-14" and event["sources"] == ["One", "Two"]
