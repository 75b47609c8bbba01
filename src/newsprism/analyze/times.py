"""Time expressions: find spans, normalize them against the publication date.

Spans come from NER (spaCy ``DATE``/``TIME``) and from our own patterns (so a language or model
without NER still gets dates, and NER misses such as "Sep. 24" are caught); raw text is never
searched with ``dateparser.search_dates`` (it reads "in a century" and "an hour" as dates).

Each span is normalized by :class:`TimeNormalizer`: hand-written rules for the forms news copy
uses (see :mod:`newsprism.analyze.timerules`), ``dateparser`` for the rest, with the publication
date as the relative base and a preference for the past ("12 January" in an April 2020 article is
2020-01-12). Prepositions widen or qualify an expression: "since early 2019" is the range
2019-01-01/<publication date>; "for nearly nine years" the range ending at publication.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from newsprism.analyze.model import TimeExpression
from newsprism.analyze.numbers import WORD_NUMBER
from newsprism.analyze.timerules import MONTHS, WEEKDAYS, Normalized, normalize_rules

logger = logging.getLogger(__name__)

# Month and day names must be capitalized: "may" and "march" are also verbs.
_MONTH = "(?-i:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + ")"
_DAY_NAME = "(?-i:" + "|".join(WEEKDAYS) + ")"
_EDGE = r"(?:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)[\s-]+"
_COUNT = rf"(?:\d+|{WORD_NUMBER})"
_PATTERNS = re.compile(
    rf"""\b(?:
        (?:(?:early|late|mid|earlier|later)[\s-]+)?(?:(?:this|last|next|on)\s+)?{_DAY_NAME}
            (?:\s+(?:morning|afternoon|evening|night))?
      | \d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?(?:,?\s+\d{{4}})?
      | {_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?![\d:])(?:,?\s+\d{{4}})?
      | (?:{_EDGE})?{_MONTH}\.?,?\s+\d{{4}}
      | {_EDGE}\d{{4}}
      | (?:between|from)\s+\d{{4}}\s+(?:and|to|until)\s+\d{{4}}
      | (?:in|of|since|until|by)\s+(?:the\s+)?(?:{_EDGE})?\d{{4}}s?
      | (?:last|this|next|past|previous|coming)\s+(?:week|month|year|weekend)
      | yesterday|today|tomorrow|tonight
      | the\s+(?:following|next|same|previous)\s+(?:day|week|month|year)
      | the\s+day\s+(?:before|after)
      | {_COUNT}\s+(?:days|weeks|months|years)\s+ago
      | (?:for|over\s+the\s+(?:past|last)|in\s+the\s+(?:past|last))\s+
            (?:(?:about|nearly|almost|over|more\s+than|some|around)\s+)?{_COUNT}\s+
            (?:days|weeks|months|years|decades)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Words in front of a span that change its meaning.
_BEFORE = re.compile(r"\b(since|until|till|from|before|after|by|for|over\s+the\s+past|in\s+the"
                     r"\s+past|over\s+the\s+last|in\s+the\s+last)\s*$", re.IGNORECASE)
_LEAD = re.compile(r"(?:(?:over|in)\s+the\s+(?:past|last)|in|of|on|at|during|since|until|till|from"
                   r"|by|before|after|for)\s+", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|would|next|scheduled|due|plans?|upcoming|to be held|until|till)\b",
                     re.IGNORECASE)
# A dateparser answer is trusted only when the span names a calendar unit (no "in a century").
_CALENDAR = re.compile(rf"\b(?:\d{{4}}|{_MONTH}|{_DAY_NAME}|yesterday|today|tomorrow|week|month|"
                       r"year)\b", re.IGNORECASE)


class TimeNormalizer:
    """Normalizes time spans; owns the dateparser instance and its cache.

    Args:
        languages: dateparser languages for the fallback parse.
    """

    def __init__(self, languages: Sequence[str] = ("en",)) -> None:
        self._languages = list(languages)
        self._cache: dict[tuple[str, date], Normalized | None] = {}

    def find(
        self,
        text: str,
        published: datetime | None,
        ner_spans: Sequence[tuple[int, int]],
        sentence_of: Callable[[int], int],
        sentence_start: Callable[[int], int] | None = None,
    ) -> list[TimeExpression]:
        """Every normalizable time expression of ``text``, in order.

        Args:
            text: the article body.
            published: publication time; without it only expressions naming a year are kept.
            ner_spans: DATE/TIME spans the NER found.
            sentence_of: offset -> sentence index.
            sentence_start: sentence index -> its start offset; the words of the sentence before
                an expression hint at the future ("talks will be held on 15 April").

        Returns:
            Normalized expressions with their sentence; unparseable spans are dropped.
        """
        base = published.date() if published else None
        out: list[TimeExpression] = []
        previous: Normalized | None = None
        for start, end in _merge_spans(ner_spans, _pattern_spans(text)):
            start, end = _trim(text, start, end)
            if end <= start:
                continue
            sentence = sentence_of(start)
            hint = text[sentence_start(sentence):start] if sentence_start else ""
            found = self._normalize_span(text, start, end, base, previous, hint)
            if found is None:
                continue
            previous = found
            out.append(TimeExpression(
                start=found.start if found.start is not None else start,
                end=end, text=text[found.start if found.start is not None else start:end],
                value=found.value, granularity=found.granularity,
                first_day=found.first.isoformat(), last_day=found.last.isoformat(),
                sentence=sentence, modifier=found.modifier,
            ))
        return out

    def _normalize_span(
        self, text: str, start: int, end: int, base: date | None, previous: Normalized | None,
        hint: str,
    ) -> Normalized | None:
        span = text[start:end]
        before = _BEFORE.search(text, max(0, start - 24), start)
        prep = " ".join(before.group(1).lower().split()) if before else None
        found = normalize_rules(span, base, previous, future=bool(_FUTURE.search(hint)))
        if found is None and base is not None and _CALENDAR.search(span):
            found = self._dateparser(span, base)
        if found is None:
            return None
        if prep is not None:
            found = found.with_preposition(prep, base, before.start(1) if before else None)
        if found is not None and found.granularity == "duration":
            return None  # a bare length of time ("a 90-day stay") is no point on a timeline
        return found

    def _dateparser(self, span: str, base: date) -> Normalized | None:
        key = (span.lower(), base)
        if key not in self._cache:
            self._cache[key] = _parse_with_dateparser(span, base, self._languages)
        return self._cache[key]


def _parse_with_dateparser(span: str, base: date, languages: list[str]) -> Normalized | None:
    from dateparser.date import DateDataParser

    parser = DateDataParser(languages=languages, settings={
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": [],
    })
    try:
        data = parser.get_date_data(span)
    except (ValueError, OverflowError) as exc:  # dateparser raises these on odd input
        logger.debug("dateparser failed on %r: %s", span, exc)
        return None
    if data.date_obj is None or data.period not in ("day", "month", "year"):
        return None
    return Normalized.at(data.date_obj.date(), data.period)


def _pattern_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PATTERNS.finditer(text)]


def _merge_spans(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of two span lists; overlapping spans become their common extent."""
    merged: list[list[int]] = []
    for start, end in sorted([*a, *b]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading prepositions and trailing punctuation/possessives from a span."""
    m = _LEAD.match(text, start, end)
    if m:
        start = m.end()
    while end > start and text[end - 1] in ".,;:'\u2019 ":
        end -= 1
    if text[start:end].endswith(("'s", "\u2019s")):
        end -= 2
    return start, end
