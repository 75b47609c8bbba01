"""The multi-source summary: a few points, each told once, with the outlets behind it."""

from __future__ import annotations

from newsprism.link.api import StoryView
from newsprism.report import ReportOptions, StoryReport, report
from newsprism.storage import MemoryStore
from tests.report._articles import HERALD, POST, REVIEW


def test_summary_has_about_five_points_each_told_once(ferry: StoryReport) -> None:
    points = ferry.summary
    assert 3 <= len(points) <= 5
    claims = [(a, i) for p in points for a, _, i, _, _, _ in p.claims]
    assert len(claims) == len(set(claims)), "a sentence backs two points"
    assert len({p.text for p in points}) == len(points)


def test_summary_shared_point_names_every_outlet_and_its_dispute(ferry: StoryReport) -> None:
    [capsizing] = [p for p in ferry.summary if "capsized" in p.text]
    assert capsizing.sources == (HERALD, REVIEW, POST)
    assert capsizing.coverage == "all" and capsizing.only is None
    assert capsizing.disputed == ("people killed",)
    assert len(capsizing.article_ids) == 3


def test_summary_marks_points_only_one_outlet_reports(ferry: StoryReport) -> None:
    single = [p for p in ferry.summary if len(p.sources) == 1]
    assert single, [p.text for p in ferry.summary]
    for p in single:
        assert p.coverage == "one" and p.only == p.sources[0]
        assert p.to_dict()["only"] == p.sources[0]
    assert any(p.only == POST and "Islanders" in p.text for p in single)


def test_summary_points_are_statements_not_quotes_or_fragments(ferry: StoryReport) -> None:
    for p in ferry.summary:
        assert not p.text.startswith(("“", '"'))
        assert 8 <= len(p.text.split()) <= 60
        body = {a: t for a, _, _, _, _, t in p.claims}
        assert p.text == body[p.article_id]


def test_summary_point_count_follows_the_option(
    ferry_store: MemoryStore, ferry_view: StoryView
) -> None:
    two = report(ferry_view, store=ferry_store, options=ReportOptions(summary_points=2))
    assert len(two.summary) == 2
    assert any("capsized" in p.text for p in two.summary)
