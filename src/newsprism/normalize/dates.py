"""Publication dates from the date lines people print above an article.

Two steps, kept apart so that the expensive one runs rarely:

1. :func:`match_date_line` decides, with regular expressions only, whether a whole line *is* a
   date line ("02 April, 2020", "Published: Thursday 2 April 2020 10:15 GMT", "UPDATED 05 / 03 /
   2013 at 11: 00 AM EDT", "Posted: ... | Updated ..."). Every token of the line must be a date
   word (month, weekday, number, time, am/pm, zone, connector) after an optional label such as
   "Published:" or "Last updated on"; prose that merely mentions a date never matches.
2. :func:`parse_date_segment` turns one matched segment into a ``datetime``. The common printed
   forms (month name + day + four-digit year, optional time and zone; ISO 8601) are read
   directly, because ``dateparser`` costs about 1.3 ms a call here and the ingest floor is
   500 articles/s end to end; every other form goes to ``dateparser`` (``languages=["en"]``,
   day, month and year required so that nothing is invented). Tests check that both paths agree.

The result is timezone-aware only when the text names a zone; otherwise it is naive, and a
date-only line gives midnight. Nothing here searches free text for dates.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
#: Fixed-offset zone abbreviations (minutes east of UTC). Ambiguous ones take the reading
#: most common in English-language news: IST = India, AST = Arabia, CST = US Central.
_TZ_OFFSETS = {
    "gmt": 0, "utc": 0, "z": 0, "wet": 0, "bst": 60, "cet": 60, "wat": 60, "west": 60,
    "cest": 120, "eet": 120, "sast": 120, "cat": 120, "eest": 180, "msk": 180, "eat": 180,
    "ast": 180, "trt": 180, "pkt": 300, "ist": 330, "ict": 420, "sgt": 480, "hkt": 480,
    "awst": 480, "jst": 540, "kst": 540, "acst": 570, "aest": 600, "aedt": 660,
    "nzst": 720, "nzdt": 780, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
}
#: US zone names printed without standard/daylight: resolved with the tz database on the date.
_TZ_ZONES = {"et": "America/New_York", "ct": "America/Chicago", "mt": "America/Denver",
             "pt": "America/Los_Angeles", "uk": "Europe/London"}
_TZ_NAMES = "|".join(sorted([*_TZ_OFFSETS, *_TZ_ZONES], key=len, reverse=True))

_MONTH_P = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
            r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_WEEKDAY_P = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
_TIME_P = (r"\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?(?:\s*[ap]m\b|[ap]\b)?|\d{1,2}\.\d{2}\s*[ap]m\b"
           r"|\d{1,2}\s*[ap]m\b")
_ISO_P = r"\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
_NUMERIC_P = r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}[/.]\d{1,2}[/.]\d{1,2}"
_ZONE_P = rf"(?:gmt|utc)\s*[+-]\d{{1,2}}(?::?\d{{1,2}})?|[+-]\d{{2}}:?\d{{2}}|(?:{_TZ_NAMES})"

#: Everything a date line may consist of. Order matters: longer forms first.
_TOKEN_RE = re.compile(
    rf"(?<![\w+-])(?:{_ISO_P}|{_NUMERIC_P}|{_TIME_P}|{_ZONE_P}|{_WEEKDAY_P}\.?|{_MONTH_P}\.?"
    r"|\d{1,2}(?:st|nd|rd|th)|\d{1,4}|[ap]m|at|on|of|the|hrs|h|local|time)(?![\w])",
    re.IGNORECASE,
)
_LEFTOVER_RE = re.compile(r"[\s,.;:()|@•·–—/-]*")
_LABEL_RE = re.compile(
    r"^(?:(?P<strong>(?:(?:article|story)\s+)?(?:(?:first|last|originally|date)\s+)?"
    r"(?:published|posted|updated|modified|edited|created|dated|released?|publication\s+date|date)"
    r"(?:\s+(?:on|at|time|date))?)|(?P<weak>on))\b\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_UPDATE_SPLIT_RE = re.compile(
    r"\s*[|•·]?\s*(?<!last )\b(?=(?:last\s+)?(?:updated|modified|edited)\b)", re.IGNORECASE
)
_UPDATE_WORD_RE = re.compile(r"updat|modif|edit", re.IGNORECASE)

# Repairs for tokenised or typographic variants ("3: 00", "p. m.", "05 / 03 / 2013").
_SPACED_COLON_RE = re.compile(r"(?<=\d)\s*:\s+(?=\d)|(?<=\d)\s+:\s*(?=\d)")
_SPACED_SLASH_RE = re.compile(r"(?<=\d)\s*/\s*(?=\d)")
_SPACED_ISO_RE = re.compile(r"\b(\d{4})\s*([-.])\s*(\d{1,2})\s*\2\s*(\d{1,2})\b")
_SPACED_DOTTED_RE = re.compile(r"\b(\d{1,2})\.\s+(\d{1,2})\.\s+(\d{2}|\d{4})\b")
#: A dateline place or agency before the date ("WASHINGTON, DC, April 28, 2009", "AFP, Tuesday
#: 2 Jul 2013"): up to four capitalised words and a separator.
_PLACE_WORD_RE = re.compile(r"[A-Z][\w.'’]*,?\s+(?:[—–-]+\s*)?")
_PLACE_MAX_WORDS = 4
#: A parenthesised second clock ("07:58 GMT (23:58 PST)"), not a parenthesised offset.
_TIMED_PARENS_RE = re.compile(r"\((?!\s*(?:gmt|utc)?\s*[+-]\d)[^()]*\d:\d[^()]*\)", re.IGNORECASE)
_AMPM_RE = re.compile(r"\b([ap])\.\s?m\.?", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
#: Cheap first test: a date line has a clock, a numeric date or a month name (and a digit).
_QUICK_RE = re.compile(
    rf"\d\s*[:/.-]\s*\d|\d\s*[ap]\.?\s?m\b|\b{_MONTH_P}\b.*\d|\d.*\b{_MONTH_P}\b", re.IGNORECASE
)
_SPACES_RE = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")

_MONTH_RE = re.compile(rf"\b({_MONTH_P})\.?(?![a-z])", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![\d:.])(1[89]\d{2}|2[01]\d{2})(?![\d:])")
_CLOCK_RE = re.compile(
    r"(?<![\d.])(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?(?:\.\d+)?\s*(?:([ap])m?\b)?", re.IGNORECASE
)
_DAY_RE = re.compile(r"(?<![\d:.+-])(\d{1,2})(?:st|nd|rd|th)?(?![\d:])", re.IGNORECASE)
_ZONE_RE = re.compile(rf"(?<![\w+-])({_ZONE_P})(?![\w])", re.IGNORECASE)
_ISO_RE = re.compile(rf"(?<![\w+-]){_ISO_P}(?![\w])", re.IGNORECASE)
_NUMERIC_RE = re.compile(rf"(?<![\w+-])(?:{_NUMERIC_P})(?![\w])")
_TIME_RE = re.compile(rf"(?<![\w+-])(?:{_TIME_P})", re.IGNORECASE)
_NUMERIC_SPLIT_RE = re.compile(r"[/.-]")
_YEAR_FIRST_RE = re.compile(r"\d{4}[/.]")
_OFFSET_RE = re.compile(r"(?:gmt|utc)?([+-])(\d{1,2}):?(\d{1,2})?")
_FALLBACK_DROP_RE = re.compile(r"[|@()•·]|\bhrs\b|\blocal time\b", re.IGNORECASE)

#: Lines longer than this are prose, never a date line (the longest date lines in ECB+ headers
#: with a "Posted ... Last Updated ..." pair are about 80 characters).
MAX_DATE_LINE_CHARS = 100


@dataclass(frozen=True, slots=True)
class DateSegment:
    """One dated part of a date line.

    Attributes:
        kind: ``"published"`` or ``"updated"`` (from labels such as "Updated", "Last modified").
        text: the date text, label removed, normalised ("3: 00" -> "3:00").
        has_date: False for a labelled time alone ("Updated 9:06 AM") or a date without a year
            ("Jul. 7 5:59 PM EDT"): a line to remove, but not a date to keep (never invented).
    """

    kind: str
    text: str
    has_date: bool


@dataclass(frozen=True, slots=True)
class DateLineMatch:
    """A line recognised as a date line, split into its published / updated segments."""

    line: str
    segments: tuple[DateSegment, ...]

    def first(self, kind: str) -> DateSegment | None:
        """The first segment of ``kind`` that holds a date, or None."""
        return next((s for s in self.segments if s.kind == kind and s.has_date), None)


def normalize_date_text(text: str) -> str:
    """Repair spaced or typographic forms: "3: 00 p. m." -> "3:00 pm", "05 / 03" -> "05/03"."""
    text = _SPACES_RE.sub(" ", text).strip()
    if _DIGIT_RE.search(text) is not None:
        text = _SPACED_COLON_RE.sub(":", text)
        text = _SPACED_SLASH_RE.sub("/", text)
        text = _SPACED_ISO_RE.sub(r"\1\2\3\2\4", text)
        text = _SPACED_DOTTED_RE.sub(r"\1.\2.\3", text)
    if "." in text:
        text = _AMPM_RE.sub(r"\1m", text)
    return text


def match_date_line(line: str) -> DateLineMatch | None:
    """Decide whether ``line`` as a whole is a printed date line (no parsing, regex only).

    Args:
        line: one input line.

    Returns:
        The segments of the line, or None when any part of the line is not date material or
        no segment carries a day, month and year (or a labelled time).
    """
    if len(line) > MAX_DATE_LINE_CHARS or _QUICK_RE.search(line) is None:
        return None
    text = normalize_date_text(line).rstrip(".:")
    segments = []
    for part in _UPDATE_SPLIT_RE.split(text):
        if not part.strip(" |•·"):
            continue
        segment = _match_segment(part.strip(" |•·"))
        if segment is None:
            return None
        segments.append(segment)
    if not segments:
        return None
    return DateLineMatch(line, tuple(segments))


def _match_segment(part: str) -> DateSegment | None:
    """One segment: optional label, then date tokens only."""
    label = _LABEL_RE.match(part)
    kind = "published"
    strong = False
    if label:
        strong = label.group("strong") is not None
        if strong and _UPDATE_WORD_RE.search(label.group("strong")):
            kind = "updated"
        part = part[label.end():]
    if not part:
        return None
    if not _only_date_tokens(part):
        start = None if label else _after_place(part)
        if start is None:
            return None
        part = part[start:]
    has_date = _has_date(part)
    if not has_date and not (strong and _TIME_RE.search(part)) and not _has_day_month(part):
        return None
    return DateSegment(kind, part.strip(" ,|@-–—"), has_date)


def _after_place(text: str) -> int | None:
    """Where the date starts after a dateline place or agency of up to four words, or None."""
    pos = 0
    for _ in range(_PLACE_MAX_WORDS):
        word = _PLACE_WORD_RE.match(text, pos)
        if word is None:
            return None
        pos = word.end()
        if _only_date_tokens(text[pos:]):
            return pos
    return None


def _only_date_tokens(text: str) -> bool:
    return bool(text) and _LEFTOVER_RE.fullmatch(_TOKEN_RE.sub(" ", text)) is not None


def _has_date(text: str) -> bool:
    """Day, month and year are all present (ISO, numeric, or month name + day + year)."""
    if _ISO_RE.search(text) or _NUMERIC_RE.search(text):
        return True
    if not _MONTH_RE.search(text) or not _YEAR_RE.search(text):
        return False
    return _DAY_RE.search(_strip_times_and_year(text)) is not None


def _has_day_month(text: str) -> bool:
    """Month name and day without a year ("Jul. 7 5:59 PM EDT"): a date line, but no date."""
    return bool(_MONTH_RE.search(text)) and _DAY_RE.search(_strip_times_and_year(text)) is not None


def _strip_times_and_year(text: str) -> str:
    text = _TIME_RE.sub(" ", text)
    text = _ZONE_RE.sub(" ", text)
    return _YEAR_RE.sub(" ", text, count=1)


def parse_date_segment(segment: DateSegment) -> datetime | None:
    """Read the datetime a matched segment states; None when it holds no full date.

    Raises nothing: an unreadable date is logged at debug level and gives None.
    """
    if not segment.has_date:
        return None
    value = _fast_parse(segment.text)
    if value is not None:
        return value
    return _dateparser_parse(segment.text)


def first_published(matches: Sequence[DateLineMatch], max_parses: int = 3) -> datetime | None:
    """The first readable published date of ``matches``, else the first readable updated date.

    Args:
        matches: date lines in input order.
        max_parses: stop after this many unreadable segments (each may cost a dateparser call).

    Returns:
        The datetime, or None when no segment holds a readable full date.
    """
    attempts = 0
    for kind in ("published", "updated"):
        for match in matches:
            for segment in match.segments:
                if segment.kind != kind or not segment.has_date:
                    continue
                value = parse_date_segment(segment)
                if value is not None:
                    return value
                attempts += 1
                if attempts >= max_parses:
                    return None
    return None


def parse_date_text(text: str) -> datetime | None:
    """Read a date given as a string by a container (feed, JSON field): ISO first, then as a
    date line, then ``dateparser`` with day, month and year required. None when unreadable."""
    text = text.strip()
    if not text:
        return None
    try:
        return fixed_offset(datetime.fromisoformat(text))
    except ValueError:
        pass
    match = match_date_line(text)
    if match is not None:
        segment = match.first("published") or match.first("updated")
        if segment is not None:
            value = parse_date_segment(segment)
            if value is not None:
                return value
    return _dateparser_parse(normalize_date_text(text))


def coerce_published(value: Any) -> datetime | None:
    """A container's ``published`` value (datetime, date or string) as a datetime, or None."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return parse_date_text(value)
    return None


def _fast_parse(text: str) -> datetime | None:
    """Month name + day + 4-digit year, a numeric date with a 4-digit year, or ISO 8601, each
    with an optional time and zone; None for anything else (dateparser reads those)."""
    if "(" in text:
        text = _TIMED_PARENS_RE.sub(" ", text)  # "07:58 GMT (23:58 PST)": the second is a gloss
    iso = _ISO_RE.search(text)
    if iso is not None:
        if _ISO_RE.sub(" ", text).strip(" ,"):
            return None
        try:
            return fixed_offset(datetime.fromisoformat(iso.group(0).upper()))
        except ValueError:
            return None
    numeric = _NUMERIC_RE.findall(text)
    if numeric:
        rest = _NUMERIC_RE.sub(" ", text)
        ymd = None if _MONTH_RE.search(text) else _numeric_ymd(numeric, rest)
        return None if ymd is None else _assemble(ymd, rest)
    months = _MONTH_RE.findall(text)
    years = _YEAR_RE.findall(text)
    if len(months) != 1 or len(years) != 1:
        return None
    days = _DAY_RE.findall(_strip_times_and_year(text))
    if len(days) != 1:
        return None
    ymd = (int(years[0]), _MONTHS[months[0][:3].lower()], int(days[0]))
    return _assemble(ymd, _MONTH_RE.sub(" ", _YEAR_RE.sub(" ", text, count=1)))


def _numeric_ymd(found: list[str], rest: str) -> tuple[int, int, int] | None:
    """Year, month, day of one numeric date with a 4-digit year. Day-first only when the first
    number cannot be a month, else month-first: the English reading dateparser also takes."""
    if len(found) != 1 or _DAY_RE.search(_ZONE_RE.sub(" ", _TIME_RE.sub(" ", rest))):
        return None
    parts = [int(p) for p in _NUMERIC_SPLIT_RE.split(found[0])]
    if _YEAR_FIRST_RE.match(found[0]):
        return parts[0], parts[1], parts[2]
    first, second, year = parts
    if year < 1000:
        return None
    return (year, second, first) if first > 12 else (year, first, second)


def _assemble(ymd: tuple[int, int, int], rest: str) -> datetime | None:
    """The datetime of ``ymd`` with the single time and zone found in ``rest`` (if any)."""
    times = _TIME_RE.findall(rest)
    zones = _ZONE_RE.findall(rest)
    if len(times) > 1 or len(zones) > 1:
        return None
    clock = (0, 0, 0)
    if times:
        parsed = _clock(times[0])
        if parsed is None:
            return None
        clock = parsed
    try:
        naive = datetime(*ymd, *clock)
    except ValueError:
        return None
    return _with_zone(naive, zones[0]) if zones else naive


def _clock(text: str) -> tuple[int, int, int] | None:
    match = _CLOCK_RE.match(text.strip())
    if match is None:
        return None
    hour, minute, second = int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0)
    meridiem = (match.group(4) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _with_zone(naive: datetime, zone: str) -> datetime | None:
    name = zone.lower().replace(" ", "")
    if name in _TZ_OFFSETS:
        return naive.replace(tzinfo=timezone(timedelta(minutes=_TZ_OFFSETS[name])))
    if name in _TZ_ZONES:
        try:
            return fixed_offset(naive.replace(tzinfo=ZoneInfo(_TZ_ZONES[name])))
        except ZoneInfoNotFoundError:
            return None
    match = _OFFSET_RE.fullmatch(name)
    if match is None:
        return None
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    if minutes > 14 * 60:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return naive.replace(tzinfo=timezone(timedelta(minutes=sign * minutes)))


def fixed_offset(value: datetime) -> datetime:
    """Replace any tzinfo by the fixed offset it has at that moment (portable, comparable)."""
    offset = value.utcoffset()
    if offset is None:
        return value
    return value.replace(tzinfo=timezone(offset))


@functools.cache
def date_parser() -> Any:
    """The shared dateparser instance, built on first use (its import takes ~0.2 s).

    English only, absolute dates with day, month and year: relative expressions ("yesterday")
    and partial dates would be filled from today's date, and an invented date is worse than none.
    """
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PREFER_DAY_OF_MONTH": "first",
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        },
    )


def _dateparser_parse(text: str) -> datetime | None:
    cleaned = " ".join(_FALLBACK_DROP_RE.sub(" ", text).split())
    if not cleaned:
        return None
    try:
        value = date_parser().get_date_data(cleaned).date_obj
    except (ValueError, TypeError, OverflowError) as exc:  # dateparser raises these on junk
        logger.debug("dateparser failed on %r: %s", cleaned, exc)
        return None
    if value is None:
        logger.debug("no date in %r", cleaned)
        return None
    return fixed_offset(value)
