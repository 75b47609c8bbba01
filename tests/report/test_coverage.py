"""Coverage: outlets, who was first, articles over time, shared copy, conflicts, framing."""

from __future__ import annotations

from datetime import UTC, datetime

from newsprism.model import Article
from newsprism.report import StoryReport
from newsprism.report.coverage import first_report, outlets, over_time
from newsprism.testing import make_article
from tests.report._articles import HERALD, POST, REVIEW


def _at(source: str, when: datetime | None, title: str = "A title") -> Article:
    return make_article(title, (f"Body of {source} at {when}.",), source=source, published=when)


def test_coverage_first_reporter_by_time() -> None:
    early = _at("Early", datetime(2025, 5, 1, 6, 0, tzinfo=UTC))
    late = _at("Late", datetime(2025, 5, 1, 9, 0, tzinfo=UTC))
    first = first_report([late, early])
    assert (first.source, first.tied) == ("Early", ())
    assert first.note == "Early published first"


def test_coverage_first_reporter_tie_when_a_date_has_no_time() -> None:
    dated = _at("Bare Date", datetime(2025, 5, 1))
    timed = _at("With Time", datetime(2025, 5, 1, 5, 0))
    other_day = _at("Next Day", datetime(2025, 5, 2, 1, 0))
    first = first_report([timed, other_day, dated])
    assert first.source == "Bare Date" and first.tied == ("With Time",)
    assert "order is unknown" in first.note
    nobody = first_report([_at("Undated", None)])
    assert nobody.source is None and "no article" in nobody.note


def test_coverage_outlets_in_order_of_their_first_article() -> None:
    arts = [
        _at("B", datetime(2025, 5, 1, 9, tzinfo=UTC), "one"),
        _at("A", datetime(2025, 5, 1, 7, tzinfo=UTC), "two"),
        _at("B", datetime(2025, 5, 1, 6, tzinfo=UTC), "three"),
        _at("C", None),
    ]
    rows = outlets(arts)
    assert [(o.source, len(o.article_ids)) for o in rows] == [("B", 2), ("A", 1), ("C", 1)]
    assert rows[0].first_published == datetime(2025, 5, 1, 6, tzinfo=UTC)
    assert rows[2].first_published is None


def test_coverage_over_time_picks_hours_days_or_weeks() -> None:
    def times(*hours: int) -> list[Article]:
        base = datetime(2025, 5, 1, tzinfo=UTC).timestamp()
        return [
            _at(f"S{h}", datetime.fromtimestamp(base + 3600 * h, tz=UTC), str(h)) for h in hours
        ]

    unit, buckets = over_time(times(0, 0, 3))
    assert unit == "hour" and [b.count for b in buckets] == [2, 1]
    unit, buckets = over_time(times(0, 30, 100, 101))
    assert unit == "day" and [b.count for b in buckets] == [1, 1, 2]
    unit, buckets = over_time(times(0, 24 * 70))
    assert unit == "week" and [b.start.weekday() for b in buckets] == [0, 0]
    assert over_time([]) == ("day", ())


def test_coverage_of_the_ferry_story(ferry: StoryReport) -> None:
    cov = ferry.coverage
    assert [o.source for o in cov.outlets] == [HERALD, REVIEW, POST]
    assert ferry.sources == (HERALD, REVIEW, POST)
    assert (cov.first.source, cov.first.tied) == (HERALD, ())
    assert sum(b.count for b in cov.over_time) == 3


def test_coverage_counts_wire_copy_per_article(ferry: StoryReport) -> None:
    rows = {a.source: a for a in ferry.coverage.articles}
    for name in (HERALD, REVIEW):
        assert rows[name].agencies == ("Associated Press",)
        assert 0.2 < rows[name].reused_share < 1.0
        assert rows[name].wire_share >= rows[name].reused_share * 0.5 > 0
    assert rows[POST].agencies == () and rows[POST].wire_share == 0.0
    [wire] = ferry.coverage.wire
    assert wire["agency"] == "Associated Press" and wire["sources"] == [HERALD, REVIEW]


def test_coverage_reports_the_conflicting_toll(ferry: StoryReport) -> None:
    tolls = [c for c in ferry.conflicts if c["kind"] == "quantity"]
    assert tolls, ferry.conflicts
    for c in tolls:
        values = {s["source"]: s["value"].casefold() for s in c["sides"]}
        assert values.get(REVIEW, "").startswith("eleven")
        assert {v.split()[0] for v in values.values()} == {"nine", "eleven"}


def test_coverage_framing_differences(ferry: StoryReport) -> None:
    rows = {f["source"]: f for f in ferry.coverage.framing}
    assert "ruinous" in rows[HERALD]["own_loaded"]
    assert "ruinous" not in rows[REVIEW]["loaded"]
    lines = " | ".join(ferry.coverage.framing_differences)
    assert f"only {HERALD} uses the loaded terms: ruinous" in lines
    assert f"only {REVIEW} cites: Moira Kerr" in lines
