"""report(): what it accepts, what it reuses (stored analyses, a given comparison), its JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from newsprism.compare.story import compare_story
from newsprism.errors import ConfigError
from newsprism.link.api import StoryView
from newsprism.report import ReportOptions, StoryReport, report, story_report
from newsprism.storage import MemoryStore
from tests.report._articles import HERALD, ferry_story, herald


def test_report_accepts_a_view_a_record_an_id_or_articles(
    ferry_store: MemoryStore, ferry_view: StoryView, ferry: StoryReport
) -> None:
    by_id = report(ferry_view.story.id, store=ferry_store)
    by_record = story_report(ferry_store, ferry_view.story)
    loose = report([e.article for e in ferry_view.articles], store=ferry_store)
    for other in (by_id, by_record):
        assert other.story_id == ferry.story_id == ferry_view.story.id
        assert other.title == ferry_view.story.title
    assert loose.story_id is None and loose.title == ferry_view.articles[0].article.title
    for other in (by_id, by_record, loose):
        assert [e.when for e in other.timeline] == [e.when for e in ferry.timeline]
        assert [p.text for p in other.summary] == [p.text for p in ferry.summary]


def test_report_rejects_what_is_not_a_story(ferry_view: StoryView) -> None:
    with pytest.raises(ConfigError, match="store"):
        report(ferry_view.story.id)
    with pytest.raises(ConfigError, match="story: expected"):
        report(42)
    with pytest.raises(ConfigError, match="story: expected articles, got str"):
        report(["not an article"])


@pytest.mark.parametrize(
    ("field", "value"),
    [("summary_points", 0), ("sentence_budget", 1), ("min_sentences", "8"), ("max_articles", 1)],
)
def test_report_options_are_checked_at_construction(field: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=f"{field}: expected an integer in"):
        ReportOptions(**{field: value})


def test_report_json_has_every_part(ferry: StoryReport) -> None:
    data = json.loads(json.dumps(ferry.to_dict()))
    assert set(data) >= {
        "story_id",
        "title",
        "sources",
        "timeline",
        "published",
        "summary",
        "coverage",
        "notes",
    }
    assert [p["source"] for p in data["published"]] == list(ferry.sources)
    assert data["published"][2]["date_only"] is True
    event = data["timeline"][0]
    assert set(event) >= {"when", "granularity", "label", "text", "sources", "mentions"}
    point = data["summary"][0]
    assert set(point) >= {"text", "sources", "coverage", "only", "claims"}
    assert set(data["coverage"]) >= {
        "outlets",
        "first",
        "over_time",
        "articles",
        "conflicts",
        "framing",
        "wire",
    }


class _Spy(MemoryStore):
    """A memory store that counts the analyses saved into it."""

    saved = 0

    def save_analysis(self, analysis: Any) -> None:
        type(self).saved += 1
        super().save_analysis(analysis)


def test_report_reads_stored_analyses_and_stores_missing_ones(ferry_store: MemoryStore) -> None:
    articles = ferry_story()
    spy = _Spy()
    with spy.session():
        for a in articles:
            spy.add_article(a)
        spy.save_analysis(ferry_store.get_analysis(articles[0].id))
        spy.save_analysis(ferry_store.get_analysis(articles[1].id))
    _Spy.saved = 0
    first = report(articles, store=spy)
    assert _Spy.saved == 1  # only the article without an analysis was analysed
    assert spy.get_analysis(articles[2].id) is not None
    report(articles, store=spy)
    assert _Spy.saved == 1
    assert [e.when for e in first.timeline] == [e.when for e in report(articles).timeline]


def test_report_uses_a_given_comparison_whole(
    ferry_store: MemoryStore, ferry_view: StoryView
) -> None:
    budget = ReportOptions(sentence_budget=6, min_sentences=2)
    cut = report(ferry_view, store=ferry_store, options=budget)
    assert any("first 2 sentences" in n for n in cut.notes)
    assert all(any(i < 2 for a, _, i, _, _, _ in p.claims) for p in cut.summary), (
        "a budgeted comparison only puts its first sentences in the summary"
    )
    full = compare_story(ferry_view, store=ferry_store, similarity=False)
    whole = report(ferry_view, store=ferry_store, comparison=full, options=budget)
    assert not any("sentences of each article" in n for n in whole.notes)
    assert any(i >= 2 for p in whole.summary for a, _, i, _, _, _ in p.claims)


def test_report_ignores_a_comparison_of_other_articles(
    ferry_store: MemoryStore, ferry_view: StoryView, ferry: StoryReport
) -> None:
    arts = [e.article for e in ferry_view.articles]
    other = compare_story(arts[:2], store=ferry_store, similarity=False)
    result = report(ferry_view, store=ferry_store, comparison=other)
    assert [p.sources for p in result.summary] == [p.sources for p in ferry.summary]


def test_report_of_a_one_article_story(ferry_store: MemoryStore) -> None:
    one = report([herald()], store=ferry_store)
    assert one.article_count == 1 and one.sources == (HERALD,)
    assert one.summary and all(p.coverage == "one" and p.only == HERALD for p in one.summary)
    assert [e.when for e in one.timeline] == ["2026-01", "2026-03", "2026-04-07"]
    assert one.conflicts == () and one.coverage.framing_differences == ()
    assert one.coverage.framing[0]["focus"]


def test_report_of_no_articles_is_empty() -> None:
    empty = report([])
    assert (empty.article_count, empty.timeline, empty.summary) == (0, (), ())
    assert empty.coverage.first.source is None
