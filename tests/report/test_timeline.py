"""The timeline: dated mentions merged into events across outlets."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsprism.analyze.model import Analysis, Sentence, TimeExpression
from newsprism.report import StoryReport, TimelineEvent
from newsprism.report.base import Material
from newsprism.report.timeline import Mention, build_timeline, date_label, dates_fit, mentions_of
from newsprism.testing import make_article
from tests.report._articles import HERALD, POST, REVIEW


def _mention(value: str, granularity: str, first: str, last: str, sentence: int = 0) -> Mention:
    return Mention("a1", "Outlet", sentence, 0, 10, "text", value, value, granularity, first, last)


def test_timeline_dates_fit_a_day_in_its_month_but_not_two_days() -> None:
    march = _mention("2020-03", "month", "2020-03-01", "2020-03-31")
    fifth = _mention("2020-03-05", "day", "2020-03-05", "2020-03-05")
    sixth = _mention("2020-03-06", "day", "2020-03-06", "2020-03-06")
    january = _mention("2020-01-12", "day", "2020-01-12", "2020-01-12")
    year = _mention("2020", "year", "2020-01-01", "2020-12-31")
    since = _mention("2019-01-01/2020-04-02", "range", "2019-01-01", "2020-04-02")
    assert dates_fit(march, fifth) and dates_fit(fifth, march)
    assert dates_fit(fifth, fifth) and dates_fit(year, january)
    assert not dates_fit(fifth, sixth)
    assert not dates_fit(march, january)
    assert not dates_fit(since, fifth)  # a range holds many events: only the same range fits


def test_timeline_date_labels_follow_the_granularity() -> None:
    assert date_label("2020-03-05", "day") == "5 March 2020"
    assert date_label("2020-03", "month") == "March 2020"
    assert date_label("2017", "year") == "2017"
    assert date_label("2019-01-01/2020-04-02", "range") == "1 January 2019 – 2 April 2020"
    assert date_label("not a date", "day") == "not a date"


def _time(
    text: str,
    value: str,
    gran: str,
    first: str,
    last: str,
    sentence: int,
    modifier: str | None = None,
) -> TimeExpression:
    return TimeExpression(0, len(text), text, value, gran, first, last, sentence, modifier)


def test_timeline_mentions_skip_spans_of_time_and_repeat_dates() -> None:
    article = make_article("Title", ("One. Two. Three.",), source="Outlet")
    sentences = (Sentence(0, 4, "One."), Sentence(5, 9, "Two."), Sentence(10, 16, "Three."))
    times = (
        _time("the same month", "2018-09", "month", "2018-09-01", "2018-09-30", 0, "anaphora"),
        _time("September 2018", "2018-09", "month", "2018-09-01", "2018-09-30", 0),
        _time("for nine years", "2011/2020", "range", "2011-04-05", "2020-04-02", 1, "duration"),
        _time("since 2019", "2019/2020", "range", "2019-01-01", "2020-04-02", 1, "since"),
        _time("2017", "2017", "year", "2017-01-01", "2017-12-31", 2),
    )
    found = mentions_of(article, Analysis(article.id, "t", "en", sentences, times=times))
    assert [(m.sentence, m.expression, m.value) for m in found] == [
        (0, "September 2018", "2018-09"),
        (2, "2017", "2017"),
    ]
    assert all(m.source == "Outlet" for m in found)


def _material(texts: Sequence[tuple[str, str, str, str, str]]) -> Material:
    """One article per (outlet, sentence, value, granularity, first..last) with one dated
    sentence each; every sentence embeds to the same vector (cosine 1)."""
    articles, analyses = [], {}
    for k, (outlet, text, value, gran, span) in enumerate(texts):
        first, last = span.split("..")
        article = make_article(f"Story {k}", (text,), source=outlet)
        articles.append(article)
        analyses[article.id] = Analysis(
            article.id,
            "t",
            "en",
            (Sentence(0, len(text), text),),
            times=(_time(value, value, gran, first, last, 0),),
        )

    def encode(items: Sequence[str]) -> np.ndarray:
        return np.ones((len(items), 4), dtype=np.float32) / 2.0

    return Material(None, "Story", tuple(articles), tuple(articles), analyses, encode=encode)


def test_timeline_a_month_joins_one_of_its_days_never_two() -> None:
    material = _material(
        [
            (
                "A",
                "The deal was signed last month in the capital.",
                "2020-03",
                "month",
                "2020-03-01..2020-03-31",
            ),
            (
                "B",
                "The deal was signed on 5 March in the capital.",
                "2020-03-05",
                "day",
                "2020-03-05..2020-03-05",
            ),
            (
                "C",
                "The deal was signed on 20 March in the capital.",
                "2020-03-20",
                "day",
                "2020-03-20..2020-03-20",
            ),
        ]
    )
    events = build_timeline(material)
    assert len(events) == 2
    assert [e.when for e in events] == ["2020-03-05", "2020-03-20"]
    merged = events[0]
    assert merged.label == "5 March 2020" and merged.granularity == "day"
    assert merged.sources == ("A", "B") and merged.coverage == "some"
    assert {m.expression for m in merged.mentions} == {"2020-03", "2020-03-05"}


def test_timeline_without_encoder_merges_nothing_across_articles() -> None:
    material = _material(
        [
            ("A", "Talks began on 5 March.", "2020-03-05", "day", "2020-03-05..2020-03-05"),
            ("B", "Talks began on 5 March.", "2020-03-05", "day", "2020-03-05..2020-03-05"),
        ]
    )
    bare = Material(None, "Story", material.articles, material.compared, material.analyses)
    assert len(build_timeline(bare)) == 2
    assert len(build_timeline(material)) == 1


def _event(report: StoryReport, when: str, word: str) -> TimelineEvent:
    found = [e for e in report.timeline if e.when == when and word in e.text]
    assert len(found) == 1, [(e.when, e.text) for e in report.timeline]
    return found[0]


def test_timeline_merges_last_month_with_the_day_it_holds(ferry: StoryReport) -> None:
    meeting = _event(ferry, "2026-03-14", "Elena Marsh")
    assert meeting.sources == (HERALD, REVIEW, POST)
    assert meeting.coverage == "all"
    assert {m.expression for m in meeting.mentions} == {"last month", "14 March"}
    assert not [e for e in ferry.timeline if e.when == "2026-03"]


def test_timeline_keeps_two_events_of_one_day_apart(ferry: StoryReport) -> None:
    capsizing = _event(ferry, "2026-04-07", "capsized")
    warning = _event(ferry, "2026-04-07", "storm warning")
    assert capsizing.sources == (HERALD, REVIEW, POST)
    assert warning.sources == (REVIEW,) and warning.coverage == "one"


def test_timeline_is_in_date_order_with_outlets_and_sentences(ferry: StoryReport) -> None:
    days = [e.first_day for e in ferry.timeline]
    assert days == sorted(days)
    inquiry = _event(ferry, "2019", "inquiry")
    assert inquiry.granularity == "year" and inquiry.sources == (POST,)
    wire = _event(ferry, "2026-01", "inspection")
    assert wire.sources == (HERALD, REVIEW)
    for event in ferry.timeline:
        assert event.text in {m.text for m in event.mentions}
        assert all(m.expression in m.text for m in event.mentions)
