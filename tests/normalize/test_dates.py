"""Date lines: recognised by regex, read by the fast path or dateparser, never invented."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsprism.normalize.dates import (
    _dateparser_parse,
    _fast_parse,
    coerce_published,
    match_date_line,
    normalize_date_text,
    parse_date_segment,
    parse_date_text,
)


def _tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def _published(line: str) -> datetime | None:
    match = match_date_line(line)
    assert match is not None, line
    segment = match.first("published") or match.first("updated")
    return None if segment is None else parse_date_segment(segment)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("02 April, 2020", datetime(2020, 4, 2)),
        ("April 2, 2020 at 5:00 am", datetime(2020, 4, 2, 5, 0)),
        ("Thursday 2 April 2020 10:15 GMT", datetime(2020, 4, 2, 10, 15, tzinfo=UTC)),
        ("2020-04-02", datetime(2020, 4, 2)),
        ("2020-04-02T10:15:00Z", datetime(2020, 4, 2, 10, 15, tzinfo=UTC)),
        ("Published: 14 March 2021", datetime(2021, 3, 14)),
        ("PUBLISHED: THURSDAY, MAY 2, 2013, 1: 32 PM", datetime(2013, 5, 2, 13, 32)),
        ("May 3rd, 2013 2: 00pm EDT", datetime(2013, 5, 3, 14, 0, tzinfo=_tz(-4))),
        ("12: 52 p. m. EDT May 2, 2013", datetime(2013, 5, 2, 12, 52, tzinfo=_tz(-4))),
        ("Posted on Thu Jun 13, 2013 08: 45 AM PDT", datetime(2013, 6, 13, 8, 45, tzinfo=_tz(-7))),
        ("Fri., May. 3, 2013 11: 45 AM PDT", datetime(2013, 5, 3, 11, 45, tzinfo=_tz(-7))),
        ("May 3, 2013 at 7: 31 AM ET", datetime(2013, 5, 3, 7, 31, tzinfo=_tz(-4))),
        ("Nov 27, 2005 8:20 AM ET", datetime(2005, 11, 27, 8, 20, tzinfo=_tz(-5))),
        ("26 September 2013, 10: 00 (GMT+05: 00)", datetime(2013, 9, 26, 10, 0, tzinfo=_tz(5))),
        ("Published on: Fri, 11 Nov 2011 at 09: 56 IST", datetime(2011, 11, 11, 9, 56,
                                                                   tzinfo=_tz(5.5))),
        ("Sunday, November 27 - 2005 at 16: 12", datetime(2005, 11, 27, 16, 12)),
        ("2013 - 09 - 26", datetime(2013, 9, 26)),
        ("05 / 03 / 2013", datetime(2013, 5, 3)),
        ("on Dec 23 2012, 5: 03p", datetime(2012, 12, 23, 17, 3)),
        ("March 1, 2012 - - 07: 58 GMT (23: 58 PST)", datetime(2012, 3, 1, 7, 58, tzinfo=UTC)),
        ("WASHINGTON, DC, April 28, 2009", datetime(2009, 4, 28)),
        ("Last Updated: Monday, 28 November 2005, 02: 24 GMT",
         datetime(2005, 11, 28, 2, 24, tzinfo=UTC)),
    ],
)
def test_dates_date_line_forms(line: str, expected: datetime) -> None:
    value = _published(line)
    assert value == expected
    assert (value.tzinfo is None) == (expected.tzinfo is None)


@pytest.mark.parametrize(
    "line",
    [
        "The ceasefire of 12 January 2020 collapsed within a week.",
        "Syria regime resumes aerial bombing campaign in Idlib",
        "2 min read",
        "On Tuesday at 5 pm",
        "8:24am:",
        "Novemer 27, 2005",
        "TNN Nov 12, 2011, 05. 51AM IST MUMBAI:",
        "Smith said on 2 April 2020",
        "",
    ],
)
def test_dates_prose_is_not_a_date_line(line: str) -> None:
    assert match_date_line(line) is None


def test_dates_naive_unless_zone_stated() -> None:
    assert _published("April 2, 2020 at 5:00 am").tzinfo is None
    assert _published("April 2, 2020 at 5:00 am BST").utcoffset() == timedelta(hours=1)


def test_dates_date_only_gives_midnight() -> None:
    assert _published("Thursday, 2 April 2020") == datetime(2020, 4, 2, 0, 0)


@pytest.mark.parametrize("line", ["Jul. 7 5:59 PM EDT", "Updated 9: 06 AM", "APR 28"])
def test_dates_line_without_full_date_matches_but_is_not_invented(line: str) -> None:
    match = match_date_line(line)
    assert match is not None
    assert all(not s.has_date for s in match.segments)
    assert all(parse_date_segment(s) is None for s in match.segments)


def test_dates_published_and_updated_segments() -> None:
    match = match_date_line(
        "Posted: Nov 27, 2005 8: 20 AM ET Last Updated: Nov 27, 2005 8: 10 PM ET"
    )
    assert match is not None
    assert [s.kind for s in match.segments] == ["published", "updated"]
    published = match.first("published")
    updated = match.first("updated")
    assert published is not None and updated is not None
    assert parse_date_segment(published) == datetime(2005, 11, 27, 8, 20, tzinfo=_tz(-5))
    assert parse_date_segment(updated) == datetime(2005, 11, 27, 20, 10, tzinfo=_tz(-5))
    match = match_date_line("Monday, Sep 10, 2012 | Updated 9: 01 AM EDT")
    assert match is not None and match.first("updated") is None


def test_dates_normalize_repairs_spaced_forms() -> None:
    assert normalize_date_text("UPDATED 05 / 03 / 2013 at 11: 00 a. m.") == (
        "UPDATED 05/03/2013 at 11:00 am"
    )
    assert normalize_date_text("2012. 08. 08\u00a009: 01") == "2012.08.08 09:01"


@pytest.mark.parametrize(
    "text",
    [
        "02 April, 2020",
        "April 2, 2020 at 5:00 am",
        "Thursday 2 April 2020 10:15 GMT",
        "May 3rd, 2013 2:00pm EDT",
        "Fri., May. 3, 2013 11:45 AM PDT",
        "December 15th, 2008, 7:35 am",
        "12:17 am, Monday, September 16, 2013",
        "2 April 2020 10:15 CEST",
        "26 September 2013, 10:00 GMT+05:00",
        "2020-04-02",
        "05/03/2013 at 10:20 AM EDT",
        "27/09/2013",
        "2012.08.08 09:01 AM",
        "13:26 14/09/2013",
        "Tue, 16/08/2011 - 13:42",
    ],
)
def test_dates_fast_path_agrees_with_dateparser(text: str) -> None:
    fast = _fast_parse(text)
    slow = _dateparser_parse(text)
    assert fast is not None and slow is not None
    assert fast == slow
    assert fast.utcoffset() == slow.utcoffset()


def test_dates_dateparser_fallback_requires_full_date() -> None:
    assert _dateparser_parse("April 2020") is None
    assert _dateparser_parse("Nov 11") is None
    assert _dateparser_parse("11/28/05") == datetime(2005, 11, 28)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-04-02T10:15:00+03:00", datetime(2020, 4, 2, 10, 15, tzinfo=_tz(3))),
        ("2020-04-02T10:15:00Z", datetime(2020, 4, 2, 10, 15, tzinfo=UTC)),
        ("Thu, 02 Apr 2020 10:15:00 +0000", datetime(2020, 4, 2, 10, 15, tzinfo=UTC)),
        ("April 2, 2020", datetime(2020, 4, 2)),
        ("no date here", None),
        ("", None),
        (None, None),
        (1585822500, None),
    ],
)
def test_dates_coerce_published(value: object, expected: datetime | None) -> None:
    assert coerce_published(value) == expected


def test_dates_coerce_published_keeps_datetimes() -> None:
    when = datetime(2020, 4, 2, 10, 15)
    assert coerce_published(when) is when
    assert coerce_published(date(2020, 4, 2)) == datetime(2020, 4, 2)


def test_dates_parse_date_text_strips_whitespace() -> None:
    assert parse_date_text("  2 April 2020 \n") == datetime(2020, 4, 2)


@pytest.mark.parametrize("text", ["yesterday", "in a century", "an hour ago", "March 2024"])
def test_dates_container_text_never_invents_a_date(text: str) -> None:
    assert parse_date_text(text) is None
    assert coerce_published(text) is None
