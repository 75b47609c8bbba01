"""Reused passages, quote spans, agency credits and the likely origin of shared text."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from newsprism.compare.origin import credited_agencies, likely_origin, scan_agencies
from newsprism.compare.reuse import ReuseOptions, find_passages, reuse_report
from newsprism.compare.spans import quote_spans
from newsprism.errors import ConfigError
from newsprism.testing import make_article

WIRE = (
    "The regional army, backed by allied militias, has begun to seize farm machinery in the "
    "villages it recaptured last week, local sources told Anadolu Agency."
)


def test_reuse_finds_verbatim_passage_with_spans_into_both_texts() -> None:
    a = f"Heavy rain fell overnight. {WIRE} Schools stayed shut."
    b = f"Officials met on Monday. In other news, {WIRE}"
    [p] = find_passages(a, b)
    assert a[p.start_a : p.end_a] == p.text_a
    assert b[p.start_b : p.end_b] == p.text_b
    assert p.verbatim and p.similarity == 1.0
    assert p.words == len(WIRE.split())
    assert p.kind == "reporting"


def test_reuse_tolerates_a_misspelt_word_and_a_changed_word() -> None:
    a = WIRE
    b = WIRE.replace("Anadolu", "Andalou").replace("seize", "confiscate")
    [p] = find_passages(a, b)
    assert p.text_a == WIRE.rstrip(".")
    assert not p.verbatim and p.similarity > 0.9


def test_reuse_ignores_shared_stock_phrases_shorter_than_min_words() -> None:
    a = "Talks will resume in the coming days, a spokesman said on Friday."
    b = "A spokesman said talks will resume in the coming days after a pause."
    assert find_passages(a, b) == []
    assert find_passages(a, b, options=ReuseOptions(ngram=3, min_words=5))


def test_reuse_tells_quoted_reuse_from_reported_reuse() -> None:
    quote = "“We will not leave our homes, whatever the army does to this town and its people,”"
    a = f"{quote} a farmer said. The town lies near the border."
    b = f"A farmer told reporters: {quote} he said."
    [p] = find_passages(a, b)
    assert p.kind == "quote" and p.quoted_a and p.quoted_b
    report = reuse_report(a, b, [p])
    assert report.reporting_share_a == 0.0 and report.share_a > 0.5


def test_reuse_report_shares_count_each_character_once() -> None:
    a = f"{WIRE} {WIRE}"
    passages = find_passages(a, WIRE)
    report = reuse_report(a, WIRE, passages)
    assert report.share_b == pytest.approx(1.0, abs=0.02)
    assert report.share_a == pytest.approx(1.0, abs=0.02)
    assert report.to_dict()["words"] == report.words


def test_reuse_of_empty_or_unrelated_texts_is_empty() -> None:
    assert find_passages("", WIRE) == []
    assert find_passages("Completely different words here about football.", WIRE) == []


def test_reuse_on_a_200000_word_text_finishes_quickly() -> None:
    big = " ".join(f"word{i % 5000} filler{i % 7}" for i in range(100_000))
    start = time.perf_counter()
    passages = find_passages(big + " " + WIRE, WIRE)
    assert time.perf_counter() - start < 10
    assert len(passages) == 1


def test_reuse_options_reject_bad_values() -> None:
    with pytest.raises(ConfigError, match="min_words"):
        ReuseOptions(ngram=5, min_words=3)
    with pytest.raises(ConfigError, match="ngram"):
        ReuseOptions(ngram=0)


def test_quote_spans_skip_apostrophes() -> None:
    text = 'It’s late. ‘We stay,’ she said. He said "no".'
    spans = quote_spans(text)
    assert [text[s:e] for s, e in spans] == ["‘We stay,’", '"no"']


def test_origin_agency_credit_found_despite_misspelling() -> None:
    assert credited_agencies("Local sources told Andalou Agency that the army advanced.") == (
        "Anadolu Agency",
    )
    assert scan_agencies("BEIRUT (Reuters) - Shelling resumed.") == [(8, "Reuters")]
    assert credited_agencies("The Reuters building was closed for repairs.") == ()
    assert credited_agencies("He said so, AP reported.", known=["Reuters"]) == (
        "Reuters",
        "Associated Press",
    )


def test_origin_prefers_common_agency_then_earlier_article() -> None:
    a = make_article("A", ("x",), source="Outlet A", published=datetime(2020, 4, 2, 9, tzinfo=UTC))
    b = make_article("B", ("y",), source="Outlet B", published=datetime(2020, 4, 2, 7))
    origin = likely_origin(a, b, ["Reuters", "AFP"], ["AFP"], shared=True)
    assert (origin.kind, origin.name) == ("agency", "AFP")
    origin = likely_origin(a, b, ["Reuters"], [], shared=True)
    assert (origin.kind, origin.name, origin.article_id) == ("article", "Outlet B", b.id)
    undated = replace(b, published=None)
    assert likely_origin(a, undated, [], [], shared=True).kind == "unknown"
    assert likely_origin(a, b, ["AFP"], ["AFP"], shared=False).kind == "none"
