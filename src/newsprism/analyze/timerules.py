"""Hand-written normalization of the time expressions news copy uses most.

Fast (a few microseconds each) and exact where dateparser is vague ("early 2019", "the 1990s",
"the following day", "Wednesday" in an article published on a Thursday). Anything these rules do
not know goes to dateparser (see :mod:`newsprism.analyze.times`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from newsprism.analyze.numbers import parse_number

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1,
    "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = {d.lower(): i for i, d in enumerate(WEEKDAYS)}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3652}

_PART_OF_DAY = re.compile(r"\s*\b(morning|afternoon|evening|night|overnight|noon|midday)\b")
_EDGE = re.compile(r"^(early|mid|late|the end of|the beginning of|the start of|the middle of)"
                   r"[\s-]+")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?(?:,?\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?(?:,?\s+(?:of\s+)?(\d{4}))?$")
_YEAR = re.compile(r"^(?:the\s+year\s+)?(\d{4})$")
_DECADE = re.compile(r"^(?:the\s+)?(\d{3}0)s$")
_WEEKDAY_RE = re.compile(r"^(?:(this|last|next|on)\s+)?([a-z]+day)$")
_RELATIVE = re.compile(r"^(last|this|next|past|previous|coming)\s+(week|weekend|month|year)$")
_AGO = re.compile(r"^(.+?)\s+(day|week|month|year)s?\s+ago$")
# "the next month" refers back to the last date named; "next month" to the publication date.
_ANAPHORA = re.compile(r"^(?:the\s+(following|next|same|previous)|(that))\s+(day|week|month|year)$")
_DAY_AROUND = re.compile(r"^the\s+day\s+(before|after)$")
_BETWEEN = re.compile(r"^(?:between\s+|from\s+)?(.+?)\s*(?:\band\b|\bto\b|\buntil\b|-|\u2013)\s*(.+)$")
_DURATION = re.compile(r"^(?:(?:about|nearly|almost|over|more than|some|around|roughly|the past|"
                       r"the last|at least)\s+)?(.+?)\s+(day|week|month|year|decade)s?$")
_EDGE_RANGE = {"early": (0.0, 1 / 3), "mid": (1 / 3, 2 / 3), "late": (2 / 3, 1.0),
               "the end of": (2 / 3, 1.0), "the beginning of": (0.0, 1 / 3),
               "the start of": (0.0, 1 / 3), "the middle of": (1 / 3, 2 / 3)}


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalized expression before it gets offsets (see ``model.TimeExpression``)."""

    value: str
    granularity: str
    first: date
    last: date
    modifier: str | None = None
    start: int | None = None
    days: int = 0

    @classmethod
    def at(cls, day: date, granularity: str, modifier: str | None = None) -> Normalized:
        """The day, month or year holding ``day``."""
        if granularity == "year":
            return cls(f"{day.year:04d}", "year", date(day.year, 1, 1), date(day.year, 12, 31),
                       modifier)
        if granularity == "month":
            last = calendar.monthrange(day.year, day.month)[1]
            return cls(f"{day.year:04d}-{day.month:02d}", "month", day.replace(day=1),
                       day.replace(day=last), modifier)
        return cls(day.isoformat(), "day", day, day, modifier)

    @classmethod
    def between(cls, first: date, last: date, modifier: str | None = None) -> Normalized:
        """The inclusive range first..last."""
        return cls(f"{first.isoformat()}/{last.isoformat()}", "range", first, last, modifier)

    def narrowed(self, edge: str) -> Normalized:
        """Early/mid/late part of this month or year (value and granularity unchanged)."""
        lo, hi = _EDGE_RANGE[edge]
        span = (self.last - self.first).days
        first = self.first + timedelta(days=round(span * lo))
        last = self.first + timedelta(days=round(span * hi))
        return replace(self, first=first, last=last, modifier=edge.replace("the ", ""))

    def with_preposition(self, prep: str, base: date | None, prep_start: int | None) -> Normalized:
        """Apply a preceding "since", "until", "for" ... to this expression."""
        if prep in ("since", "from") and base is not None and self.granularity not in (
            "duration", "range"
        ):
            if self.first < base:
                return replace(Normalized.between(self.first, base, "since"), start=prep_start)
            return self
        if self.granularity == "duration":
            if base is None or prep in ("since", "from", "until", "till", "by", "before", "after"):
                return self
            return replace(Normalized.between(base - timedelta(days=self.days), base,
                                              "duration"), start=prep_start)
        if prep in ("until", "till", "by", "before", "after"):
            return replace(self, modifier=prep)
        return self


def normalize_rules(
    span: str, base: date | None, previous: Normalized | None, *, future: bool = False
) -> Normalized | None:
    """Normalize ``span`` with the hand-written rules, or None when they do not apply.

    Args:
        span: the expression as written.
        base: publication date (relative expressions need it).
        previous: the last expression normalized before this one ("the following day").
        future: the sentence speaks of the future (a yearless date may then lie ahead).
    """
    text = " ".join(span.lower().replace("\u2019", "'").split())
    text = re.sub(r"^(?:on|in|of|at|during)\s+", "", text)
    part = _PART_OF_DAY.search(text)
    if part:
        text = (text[: part.start()] + text[part.end():]).strip()
    edge_match = _EDGE.match(text)
    edge = edge_match.group(1) if edge_match else None
    if edge_match:
        text = text[edge_match.end():]
    found = (_absolute(text, base, future) or _relative(text, base, previous, future)
             or _between(text, base, future))
    if found is None:
        return None
    if edge and found.granularity in ("month", "year"):
        found = found.narrowed(edge)
    elif part and found.granularity == "day":
        found = replace(found, modifier=(f"{edge} " if edge else "") + part.group(1))
    return found


def _between(text: str, base: date | None, future: bool) -> Normalized | None:
    """"between 2016 and 2019", "from May to July 2020", "2016-2019": one range."""
    m = _BETWEEN.match(text)
    if not m:
        return None
    last = _absolute(m.group(2), base, future)
    first = _absolute(m.group(1), base, future)
    if first is None and last is not None and last.granularity in ("day", "month"):
        # "from May to July 2020": the first part borrows the year of the second
        first = _absolute(f"{m.group(1)} {last.first.year}", base, future)
    if first is None or last is None or last.last < first.first:
        return None
    return Normalized.between(first.first, last.last, "between")


def _absolute(text: str, base: date | None, future: bool) -> Normalized | None:
    m = _DAY_MONTH.match(text) or _MONTH_DAY.match(text)
    if m:
        day_s, month_s = (m.group(1), m.group(2)) if text[0].isdigit() else (m.group(2), m.group(1))
        month = MONTHS.get(month_s)
        if month is None:
            return None
        return _day(int(m.group(3)) if m.group(3) else None, month, int(day_s), base, future)
    m = _MONTH_YEAR.match(text)
    if m and m.group(1) in MONTHS:
        month = MONTHS[m.group(1)]
        if m.group(2):
            return Normalized.at(date(int(m.group(2)), month, 1), "month")
        if base is None:
            return None
        year = base.year if month <= base.month or future else base.year - 1
        return Normalized.at(date(year, month, 1), "month")
    m = _YEAR.match(text)
    if m and 1800 <= int(m.group(1)) <= 2100:
        return Normalized.at(date(int(m.group(1)), 1, 1), "year")
    m = _DECADE.match(text)
    if m and 1800 <= int(m.group(1)) <= 2100:
        year = int(m.group(1))
        return Normalized.between(date(year, 1, 1), date(year + 9, 12, 31), "decade")
    return None


def _day(year: int | None, month: int, day: int, base: date | None, future: bool) -> Normalized | None:
    if year is None:
        if base is None:
            return None
        year = base.year
        if (month, day) > (base.month, base.day) and not future:
            year -= 1
    try:
        return Normalized.at(date(year, month, day), "day")
    except ValueError:  # 31 February
        return None


def _relative(
    text: str, base: date | None, previous: Normalized | None, future: bool
) -> Normalized | None:
    anaphora = _anaphora(text, previous)
    if anaphora is not None or base is None:
        return anaphora
    if text in ("today", "tonight", "now"):
        return Normalized.at(base, "day")
    if text in ("yesterday", "tomorrow"):
        return Normalized.at(base + timedelta(days=-1 if text == "yesterday" else 1), "day")
    m = _WEEKDAY_RE.match(text)
    if m and m.group(2) in _WEEKDAY:
        return _weekday(_WEEKDAY[m.group(2)], m.group(1), base, future)
    m = _RELATIVE.match(text)
    if m:
        return _calendar_relative(m.group(1), m.group(2), base)
    m = _AGO.match(text)
    if m:
        n = parse_number(m.group(1))
        if n is None:
            return None
        unit = m.group(2)
        when = base - timedelta(days=round(n * _UNIT_DAYS[unit]))
        return Normalized.at(when, "day" if unit in ("day", "week") else unit)
    return _duration(text)


def _anaphora(text: str, previous: Normalized | None) -> Normalized | None:
    m = _ANAPHORA.match(text)
    around = _DAY_AROUND.match(text)
    if not (m or around) or previous is None or previous.granularity == "range":
        return None
    if around:
        step, unit = ("previous" if around.group(1) == "before" else "following"), "day"
    else:
        step, unit = m.group(1) or m.group(2), m.group(3)  # type: ignore[union-attr]
    if unit == "week" or (unit == "day" and previous.granularity != "day"):
        return None
    if unit == "year" or previous.granularity == "year":
        anchor = Normalized.at(previous.first, "year")
    elif unit == "month":
        anchor = Normalized.at(previous.first, "month")
    else:
        anchor = Normalized.at(previous.first, "day")
    if step in ("same", "that"):
        return replace(anchor, modifier="anaphora")
    sign = 1 if step in ("following", "next") else -1
    if anchor.granularity == "day":
        moved = anchor.first + timedelta(days=sign)
    elif anchor.granularity == "month":
        moved = (anchor.last + timedelta(days=1)) if sign > 0 else (anchor.first - timedelta(days=1))
    else:
        moved = date(anchor.first.year + sign, 1, 1)
    return replace(Normalized.at(moved, anchor.granularity), modifier="anaphora")


def _weekday(target: int, which: str | None, base: date, future: bool) -> Normalized:
    back = (base.weekday() - target) % 7
    ahead = (target - base.weekday()) % 7
    if which == "last":
        return Normalized.at(base - timedelta(days=back or 7), "day")
    if which == "next":
        return Normalized.at(base + timedelta(days=ahead or 7), "day")
    if future and which != "this":
        return Normalized.at(base + timedelta(days=ahead), "day")
    return Normalized.at(base - timedelta(days=back), "day")


def _calendar_relative(which: str, unit: str, base: date) -> Normalized:
    sign = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
    if unit in ("week", "weekend"):
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=sign)
        first = monday + timedelta(days=5) if unit == "weekend" else monday
        return Normalized.between(first, monday + timedelta(days=6), unit)
    if unit == "month":
        month_index = base.year * 12 + base.month - 1 + sign
        return Normalized.at(date(month_index // 12, month_index % 12 + 1, 1), "month")
    return Normalized.at(date(base.year + sign, 1, 1), "year")


def _duration(text: str) -> Normalized | None:
    m = _DURATION.match(text)
    if not m:
        return None
    n = parse_number(m.group(1))
    if n is None or n <= 0:
        return None
    days = round(n * _UNIT_DAYS[m.group(2)])
    return Normalized(text, "duration", date.min, date.min, None, None, days)
