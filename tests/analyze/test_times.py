"""Time expressions: the issue's examples, ranges, anaphora, future hints, no false dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from newsprism.analyze.sentences import SentenceIndex, segment
from newsprism.analyze.timerules import normalize_rules
from newsprism.analyze.times import TimeNormalizer

BASE = date(2020, 4, 2)  # Thursday 2 April 2020, the seeds' publication date


@pytest.mark.parametrize(
    ("span", "value", "granularity"),
    [
        ("12 January", "2020-01-12", "day"),
        ("Wednesday", "2020-04-01", "day"),
        ("early Thursday morning", "2020-04-02", "day"),
        ("last month", "2020-03", "month"),
        ("5 March", "2020-03-05", "day"),
        ("September 2018", "2018-09", "month"),
        ("May 2019", "2019-05", "month"),
        ("2017", "2017", "year"),
        ("early 2019", "2019", "year"),
        ("Sep. 24", "2019-09-24", "day"),
        ("Jan. 5, 2021", "2021-01-05", "day"),
        ("yesterday", "2020-04-01", "day"),
        ("two weeks ago", "2020-03-19", "day"),
        ("last week", "2020-03-23/2020-03-29", "range"),
        ("the 1990s", "1990-01-01/1999-12-31", "range"),
        ("between 2016 and 2019", "2016-01-01/2019-12-31", "range"),
        ("next month", "2020-05", "month"),
        ("this year", "2020", "year"),
    ],
)
def test_times_rules_normalize_against_the_publication_date(
    span: str, value: str, granularity: str
) -> None:
    found = normalize_rules(span, BASE, None)
    assert found is not None
    assert (found.value, found.granularity) == (value, granularity)


def test_times_early_narrows_the_days_covered_but_keeps_the_value() -> None:
    found = normalize_rules("early 2019", BASE, None)
    assert found is not None and found.modifier == "early"
    assert found.first == date(2019, 1, 1) and found.last < date(2019, 6, 1)


def test_times_anaphora_follows_the_previous_expression() -> None:
    march5 = normalize_rules("5 March", BASE, None)
    following = normalize_rules("the following day", BASE, march5)
    assert following is not None and following.value == "2020-03-06"
    september = normalize_rules("September 2018", BASE, None)
    same = normalize_rules("the same month", BASE, september)
    assert same is not None and same.value == "2018-09"
    assert normalize_rules("the following day", BASE, None) is None


def test_times_yearless_dates_prefer_the_past_unless_future_is_said() -> None:
    assert normalize_rules("15 April", BASE, None).value == "2019-04-15"  # type: ignore[union-attr]
    ahead = normalize_rules("15 April", BASE, None, future=True)
    assert ahead is not None and ahead.value == "2020-04-15"


def _find(text: str, published: datetime | None = datetime(2020, 4, 2, 9)) -> list:
    sentences = segment(text)
    return TimeNormalizer().find(text, published, [], SentenceIndex(sentences),
                                 lambda i: sentences[i].start)


def test_times_find_since_and_for_make_ranges_ending_at_publication() -> None:
    found = {t.text: t for t in _find(
        "Two million people have fled since early 2019. Turkey has backed them for nearly nine "
        "years."
    )}
    since = found["since early 2019"]
    assert (since.value, since.granularity, since.modifier) == (
        "2019-01-01/2020-04-02", "range", "since")
    assert found["for nearly nine years"].granularity == "range"
    assert found["for nearly nine years"].last_day == "2020-04-02"


def test_times_find_keeps_sentence_and_offsets() -> None:
    text = "Nothing happened. The shelling began on Wednesday."
    (item,) = _find(text)
    assert text[item.start:item.end] == item.text == "Wednesday"
    assert item.sentence == 1 and item.value == "2020-04-01"


def test_times_find_ignores_non_dates_and_verbs() -> None:
    text = "Officials may 5 times march. In a century, an hour and a 90-day stay."
    assert _find(text) == []


def test_times_future_hint_only_counts_before_the_expression() -> None:
    said = _find("The minister said on Monday that clinics would open.")
    planned = _find("Talks will be held on Monday.")
    assert said[0].value == "2020-03-30" and planned[0].value == "2020-04-06"


def test_times_without_publication_date_keeps_only_absolute_dates() -> None:
    found = _find("It began on Wednesday, in May 2019.", published=None)
    assert [t.value for t in found] == ["2019-05"]
