"""Coverage chart geometry: one row per outlet, one dot per dated article."""

from __future__ import annotations

from datetime import UTC, datetime

from newsprism.present.charts import coverage_chart
from newsprism.testing import make_article


def test_charts_coverage_rows_and_dots() -> None:
    a = make_article("A", ["x y"], source="One", published=datetime(2025, 1, 1, 8, tzinfo=UTC))
    b = make_article("B", ["x z"], source="Two", published=datetime(2025, 1, 1, 20, tzinfo=UTC))
    c = make_article("C", ["x w"], source="One", published=None)
    chart = coverage_chart([a, b, c])
    assert chart is not None
    assert [(name, n) for name, _y, n in chart.rows] == [("One", 1), ("Two", 1)]
    assert chart.dots[0].x < chart.dots[1].x and chart.undated == 1
    assert coverage_chart([c]) is None


def test_charts_a_date_only_article_is_a_day_not_midnight() -> None:
    # The seed pair's shape: one report gives only 2 April, the other 05:00 that day.
    date_only = make_article("Regime resumes bombing", ["Text one of the story."], source="The New Arab",
                             published=datetime(2020, 4, 2))
    timed = make_article("Army loots properties", ["Text two of the story."], source="Middle East Monitor",
                         published=datetime(2020, 4, 2, 5, 0))
    chart = coverage_chart([date_only, timed])
    assert chart is not None
    day = next(d for d in chart.dots if "The New Arab" in d.label)
    point = next(d for d in chart.dots if "Middle East Monitor" in d.label)
    assert "00:00" not in day.label and "no time given" in day.label
    assert day.x2 is not None and day.x < point.x < day.x2  # 05:00 falls inside that day
    assert point.x2 is None and "05:00" in point.label
