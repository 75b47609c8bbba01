"""Plain-text articles: title, dek, date, captions and body out of text copied from a page.

The shape we read (see ``tests/data/plaintext``)::

    [site tagline]            "Independent reporting since 1998"           -> removed (site_tagline)
    title
    [repeated title | dek]    the title again, or the title with an extension -> removed (dek)
    [read time] [date line] [byline]                                       -> removed, date parsed
    [dek / teaser lines]      a headline-like line, lines before the date line, or lines
                              between the date and a lead photo caption written in the same
                              block as they are                  -> removed (dek / related_headline)
    [caption]                 "... [Getty]", "[Name - Agency]", "[Photo: X/Reuters]" -> captions
    lead paragraph            the body starts here
    body paragraphs, with captions, "Read more: ..." links, related headlines, share / follow /
    newsletter prompts and copyright lines mixed in                        -> removed

How it works: lines are grouped into paragraphs at blank lines (a single newline inside a block
joins lines with a space; a file with no blank line at all has one paragraph per line). The header
is read line by line, because copied pages often put the whole header in one block; a line that
is neither header furniture nor a headline waits as *pending* until the next line shows whether it
was a teaser (a date, byline or top caption follows) or the lead (more text follows). From the
lead on, whole paragraphs are classified by :mod:`newsprism.normalize.linerules`. Every removed
line is kept with its reason and 1-based input line number.

Values from a container (``raw.fields``: title, subtitle, published, source, url, id, byline)
override what the text says; a top line equal to the given title is removed as a repeated title.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsprism.errors import ExtractionError
from newsprism.model import RawDocument, RemovalReason, RemovedLine
from newsprism.normalize.base import Extracted
from newsprism.normalize.dates import (
    DateLineMatch,
    coerce_published,
    first_published,
    match_date_line,
)
from newsprism.normalize.linerules import (
    PROMPT_MAX_WORDS,
    byline_of,
    clean,
    fold,
    furniture_reason,
    is_caption,
    is_headline_like,
    is_tagline,
    is_title_like,
    is_url_line,
    split_trailing_prompt,
    strip_read_time,
    url_from_line,
    word_count,
)

logger = logging.getLogger(__name__)

#: Header material is looked for in the first lines only. The seeds need 7 and ECB+ headers at
#: most 6 (URL, title, two deks, published and updated lines).
HEADER_WINDOW = 12
#: At most this many lines may wait between the title / date and a date line or lead caption and
#: still be taken as deks or teasers (the seed has one teaser; ECB+ has up to two deks). Longer
#: runs are body text: a third line, or any line over the word limit, makes the first the lead.
MAX_TEASER_LINES = 2
TEASER_MAX_WORDS = 60
#: Given titles are looked for among the first lines (tagline, URL or date lines may come first).
GIVEN_TITLE_WINDOW = 8
#: Parse attempts for the publication date; each may cost a dateparser call (~1.3 ms).
MAX_DATE_PARSES = 3
BODY_DATE_MAX_WORDS = 16
TAGLINE_BEFORE_TITLE_MAX_WORDS = 12

_RESOLVING = frozenset({"date", "read_time", "byline", "caption", "repeated", "dek"})


@dataclass(slots=True)
class _Line:
    number: int
    text: str
    block: int


@dataclass(slots=True)
class _Header:
    """What the header scan found, and where the body starts (``lead``, an index into lines)."""

    title: str | None
    given_subtitle: str | None
    title_at: int | None = None
    subtitle: str | None = None
    byline: str | None = None
    url: str | None = None
    #: a date, read-time or byline line was seen: later lines are past the dateline
    seen_date: bool = False
    #: block of the last date, read-time or byline line (-1 before any)
    marker_block: int = -1
    lead: int | None = None
    dates: list[DateLineMatch] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    captions: list[tuple[int, str]] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)

    def drop(self, lines: list[_Line], i: int, reason: RemovalReason) -> None:
        self.removed.append(RemovedLine(lines[i].text, reason, lines[i].number))
        self.consumed.add(i)


def extract_plaintext(raw: RawDocument) -> Extracted:
    """Extract one article from plain text.

    Args:
        raw: the document; ``raw.text`` is the article text, ``raw.fields`` may give title,
            subtitle, published (datetime or string), source, url, id, byline and metadata,
            which take precedence over what the text says.

    Returns:
        The title, body paragraphs, subtitle, publication date (aware only when the text names a
        zone; None when there is no date line), byline, captions and every removed line.

    Raises:
        ExtractionError: ``no_article`` when the text is empty or holds no body paragraph.
    """
    fields = raw.fields or {}
    lines = _split_lines(raw.text)
    if not lines:
        raise ExtractionError("no_article", "the text is empty")
    head = _scan_header(lines, fields)
    if head.lead is None:
        raise ExtractionError("no_article", "no body paragraph after the title and header lines")
    paragraphs, removed, captions, body_dates = _read_body(lines, head)
    logger.debug("%s: body starts at line %d, %d header lines removed",
                 raw.ref, lines[head.lead].number, len(head.removed))
    if not paragraphs:
        raise ExtractionError("no_article", "every paragraph was page furniture, no body left")
    published = coerce_published(fields.get("published"))
    if published is None:
        published = first_published(head.dates + body_dates, MAX_DATE_PARSES)
    metadata = fields.get("metadata")
    return Extracted(
        title=head.title or "",
        paragraphs=tuple(paragraphs),
        subtitle=_text_field(fields, "subtitle") or head.subtitle,
        published=published,
        byline=_text_field(fields, "byline") or head.byline,
        source=_text_field(fields, "source"),
        url=_text_field(fields, "url") or head.url,
        external_id=_text_field(fields, "id"),
        captions=tuple(text for _, text in sorted(head.captions + captions)),
        removed=tuple(sorted(head.removed + removed, key=lambda r: r.line or 0)),
        metadata=dict(metadata) if isinstance(metadata, Mapping) else {},
    )


def _text_field(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    text = clean(str(value))
    return text or None


def _split_lines(text: str) -> list[_Line]:
    """Non-blank lines with their 1-based numbers and block (paragraph) index."""
    cleaned = [clean(line) for line in text.splitlines()]
    filled = [n for n, t in enumerate(cleaned) if t]
    if not filled:
        return []
    has_blank = any(not t for t in cleaned[filled[0]: filled[-1]])
    lines: list[_Line] = []
    block, previous = 0, filled[0]
    for n in filled:
        if lines and (not has_blank or n > previous + 1):
            block += 1
        lines.append(_Line(n + 1, cleaned[n], block))
        previous = n
    return lines


def _scan_header(lines: list[_Line], fields: Mapping[str, Any]) -> _Header:
    """Read the header line by line until the lead paragraph is found."""
    given = _text_field(fields, "title")
    head = _Header(title=given, given_subtitle=_text_field(fields, "subtitle"))
    if given is not None:
        key = fold(given)
        head.title_at = next((i for i, line in enumerate(lines[:GIVEN_TITLE_WINDOW])
                              if fold(line.text) == key), None)
    for i in range(len(lines)):
        if i >= HEADER_WINDOW and head.pending:
            break
        kind, payload = _classify(head, lines[i].text)
        if kind == "text":
            if _take_text(head, lines, i):
                return head
            continue
        if kind in _RESOLVING and head.pending and not _resolve_pending(head, lines, i, kind):
            break
        _apply(head, lines, i, kind, payload)
    if head.pending:
        head.lead = head.pending[0]
    return head


def _classify(head: _Header, text: str) -> tuple[str, Any]:
    """What a header line is: url, read_time, date, caption, byline, furniture, repeated, dek
    or text, with what was recognised (date match, byline, reason)."""
    if is_url_line(text):
        return "url", url_from_line(text)
    rest = strip_read_time(text)
    if rest is not None:
        if not rest:
            return "read_time", None
        match = match_date_line(rest)
        if match is not None:
            return "read_time", match
    match = match_date_line(text)
    if match is not None:
        return "date", match
    if is_caption(text):
        return "caption", None
    byline = byline_of(text)
    if byline is not None:
        return "byline", byline
    reason = furniture_reason(text)
    if reason is not None:
        return "furniture", reason
    if head.title is not None:
        key, title = fold(text), fold(head.title)
        if key == title:
            return "repeated", None
        if key.startswith(title) and len(key) > len(title) + 2:
            return "dek", None
        if head.given_subtitle is not None and key == fold(head.given_subtitle):
            return "dek", None
    return "text", None


def _apply(head: _Header, lines: list[_Line], i: int, kind: str, payload: Any) -> None:
    """Record a recognised header line."""
    text = lines[i].text
    if kind == "url":
        head.url = head.url or payload
        head.drop(lines, i, RemovalReason.BOILERPLATE)
    elif kind in ("date", "read_time"):
        if payload is not None:
            head.dates.append(payload)
        head.seen_date = True
        head.marker_block = lines[i].block
        only_time = kind == "read_time" and payload is None
        head.drop(lines, i, RemovalReason.READ_TIME if only_time else RemovalReason.DATE_LINE)
    elif kind == "caption":
        head.captions.append((lines[i].number, text))
        head.drop(lines, i, RemovalReason.CAPTION)
    elif kind == "byline":
        name, rest = payload
        head.byline = head.byline or name
        match = match_date_line(rest) if rest else None
        if match is not None:
            head.dates.append(match)
        head.seen_date = True
        head.marker_block = lines[i].block
        head.drop(lines, i, RemovalReason.BYLINE)
    elif kind == "furniture":
        head.drop(lines, i, payload)
    elif kind == "repeated":
        head.drop(lines, i, RemovalReason.REPEATED_TITLE)
    elif kind == "dek":
        head.subtitle = head.subtitle or text
        head.drop(lines, i, RemovalReason.DEK)


def _take_text(head: _Header, lines: list[_Line], i: int) -> bool:
    """Handle a plain text line in the header; True once the lead paragraph is decided."""
    text = lines[i].text
    if head.title is None:
        if is_tagline(text) and _next_is_title(lines, i):
            head.drop(lines, i, RemovalReason.SITE_TAGLINE)
            return False
        if is_title_like(text):
            head.title = text
            head.consumed.add(i)
            return False
        head.lead = i
        return True
    if i >= HEADER_WINDOW and not head.pending:
        head.lead = i
        return True
    if head.title_at is not None and i < head.title_at:
        short = word_count(text) <= TAGLINE_BEFORE_TITLE_MAX_WORDS
        head.drop(lines, i, RemovalReason.SITE_TAGLINE if short else RemovalReason.BOILERPLATE)
        return False
    last = i + 1 == len(lines)  # a one-line summary under a given title is the body
    if not head.pending and not last and is_headline_like(text) and not _continues(lines, i):
        _drop_teaser(head, lines, i)
        return False
    head.pending.append(i)
    if len(head.pending) > MAX_TEASER_LINES or word_count(text) > TEASER_MAX_WORDS:
        head.lead = head.pending[0]
        return True
    return False


def _resolve_pending(head: _Header, lines: list[_Line], at: int, kind: str) -> bool:
    """Turn the waiting lines into header material when a header marker (line ``at``) follows.

    Lines before a date line are deks. Lines between a date line and a caption are teasers
    (the seed's one-sentence summary of a related story above the lead photo) only when they
    sit in the same block as the date line or the caption, i.e. inside a header written without
    blank lines: when blank lines part them, "lead paragraph, then photo" is the likelier
    layout and the lead is kept. Returns False when the waiting lines are body text.
    """
    if any(word_count(lines[i].text) > TEASER_MAX_WORDS for i in head.pending):
        return False
    if kind == "caption":
        header_blocks = {lines[at].block, head.marker_block}
        if not head.seen_date or any(lines[i].block not in header_blocks for i in head.pending):
            return False
    before_date = not head.seen_date
    for i in head.pending:
        if before_date:
            head.subtitle = head.subtitle or lines[i].text
            head.drop(lines, i, RemovalReason.DEK)
        else:
            _drop_teaser(head, lines, i)
    head.pending.clear()
    return True


def _drop_teaser(head: _Header, lines: list[_Line], i: int) -> None:
    if head.subtitle is None:
        head.subtitle = lines[i].text
        head.drop(lines, i, RemovalReason.DEK)
    else:
        head.drop(lines, i, RemovalReason.RELATED_HEADLINE)


def _next_is_title(lines: list[_Line], i: int) -> bool:
    if i + 1 >= len(lines):
        return False
    text = lines[i + 1].text
    return is_title_like(text) and match_date_line(text) is None


def _continues(lines: list[_Line], i: int) -> bool:
    """The line is wrapped or broken: the next line goes on in lower case."""
    return i + 1 < len(lines) and lines[i + 1].text[:1].islower()


def _read_body(
    lines: list[_Line], head: _Header
) -> tuple[list[str], list[RemovedLine], list[tuple[int, str]], list[DateLineMatch]]:
    """Classify the paragraphs from the lead on: kept text, removed lines, captions, dates."""
    blocks: dict[int, list[_Line]] = {}
    start = len(lines) if head.lead is None else head.lead
    for i in range(start, len(lines)):
        if i not in head.consumed:
            blocks.setdefault(lines[i].block, []).append(lines[i])
    paras = [(group[0].number, " ".join(line.text for line in group)) for group in blocks.values()]
    kept: list[str] = []
    removed: list[RemovedLine] = []
    captions: list[tuple[int, str]] = []
    dates: list[DateLineMatch] = []
    for k, (number, text) in enumerate(paras):
        following = paras[k + 1][1] if k + 1 < len(paras) else ""
        reason, match = _body_reason(text, k == 0, following)
        if reason is RemovalReason.CAPTION:
            captions.append((number, text))
        if match is not None:
            dates.append(match)
        if reason is not None:
            removed.append(RemovedLine(text, reason, number))
            continue
        split = split_trailing_prompt(text)
        if split is not None:
            text, tail, tail_reason = split
            removed.append(RemovedLine(tail, tail_reason, number))
        kept.append(text)
    return kept, removed, captions, dates


def _body_reason(
    text: str, is_lead: bool, following: str
) -> tuple[RemovalReason | None, DateLineMatch | None]:
    """Why a body paragraph is not article text (None to keep it), and its date if a date line."""
    if is_caption(text):
        return RemovalReason.CAPTION, None
    words = word_count(text)
    if words > PROMPT_MAX_WORDS:
        return None, None
    reason = furniture_reason(text)
    if reason is not None:
        return reason, None
    if words <= BODY_DATE_MAX_WORDS:
        match = match_date_line(text)
        if match is not None:
            return RemovalReason.DATE_LINE, match
        if strip_read_time(text) == "":
            return RemovalReason.READ_TIME, None
        if byline_of(text) is not None:
            return RemovalReason.BYLINE, None
    if not is_lead and is_headline_like(text) and not following[:1].islower():
        return RemovalReason.RELATED_HEADLINE, None
    return None, None
