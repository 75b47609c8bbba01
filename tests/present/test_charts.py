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
