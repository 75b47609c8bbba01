"""Frozen data that crosses stages.

Inputs are converted once at the door (ingest + normalize); every later stage sees only these
types. All are immutable; build modified copies with :func:`dataclasses.replace`.

Offsets: ``Article.body`` is the paragraphs joined by a blank line (``"\\n\\n"``); every character
offset produced by later stages (sentences, entities, reused passages) points into that string.

Analysis records (:class:`Analysis` and its items: :class:`Sentence`, :class:`Entity`,
:class:`Place`, :class:`TimeExpression`, :class:`Attribution`, :class:`Figure`) are anchored by
character offsets into ``Article.body``: ``body[item.start:item.end] == item.text``; ``sentence``
is the index of the sentence (in ``Analysis.sentences``) an item lies in. Each has ``to_dict``
(plain JSON) and ``from_dict``; an :class:`Analysis` carries the analyzer version that produced
it (stored, so a model upgrade can be detected and re-run with ``newsprism reanalyze``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, TypeVar

PARAGRAPH_SEPARATOR = "\n\n"


class RemovalReason(str, Enum):
    """Why a line was set apart from the article body."""

    SITE_TAGLINE = "site_tagline"
    REPEATED_TITLE = "repeated_title"
    DEK = "dek"
    READ_TIME = "read_time"
    DATE_LINE = "date_line"
    BYLINE = "byline"
    CAPTION = "caption"
    READ_MORE = "read_more"
    RELATED_HEADLINE = "related_headline"
    SHARE_PROMPT = "share_prompt"
    FOLLOW_PROMPT = "follow_prompt"
    NEWSLETTER_PROMPT = "newsletter_prompt"
    COPYRIGHT = "copyright"
    BOILERPLATE = "boilerplate"
    SITE_BOILERPLATE = "site_boilerplate"  # a line the outlet prints under many stories


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line taken out of the body, with the reason and its position among the input lines."""

    text: str
    reason: RemovalReason
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"text": self.text, "reason": self.reason.value, "line": self.line}


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input item before normalisation.

    Args:
        ref: where it came from, precise enough to find it again
            (``path``, ``path:LINE`` for JSONL, ``path#N`` for feed entries and WARC records).
        kind: ``"text"`` (plain article text), ``"html"`` (a page) or ``"record"`` (already
            structured: JSONL line, feed entry) whose ``text`` may itself be HTML.
        text: decoded content.
        fields: whatever the container already says (title, url, published, source, id, ...).
        encoding: the detected encoding of the original bytes, when decoded from bytes.
    """

    ref: str
    kind: str
    text: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input (or article) refused by a stage, with a reason a person can act on."""

    ref: str
    stage: str
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"ref": self.ref, "stage": self.stage, "reason": self.reason, "detail": self.detail}


def _fingerprint_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def article_id(source: str | None, title: str, body: str) -> str:
    """Stable content hash of an article: same outlet, title and body text give the same id.

    Whitespace, Unicode form and case are normalised first, so re-extracting the same page with
    different line wrapping does not create a new article. The outlet is part of the hash because
    two outlets printing one wire copy are two articles (linking groups them as duplicates).
    """
    key = "\x1f".join(_fingerprint_text(x) for x in (source or "", title, body))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True, eq=False)
class Article:
    """A clean news article.

    ``published`` is timezone-aware when the input said the zone, naive-free otherwise: it is
    ``None`` rather than invented when the input carries no date (``published_note`` says why).
    """

    id: str
    title: str
    paragraphs: tuple[str, ...]
    source: str | None = None
    external_id: str | None = None
    url: str | None = None
    subtitle: str | None = None
    published: datetime | None = None
    byline: str | None = None
    language: str | None = None
    captions: tuple[str, ...] = ()
    removed: tuple[RemovedLine, ...] = ()
    input_ref: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def body(self) -> str:
        """Paragraphs joined by a blank line; the string all character offsets point into."""
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    @property
    def word_count(self) -> int:
        """Words in the body."""
        return sum(len(p.split()) for p in self.paragraphs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Article) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(self.id)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (dates as ISO 8601)."""
        return {
            "id": self.id,
            "external_id": self.external_id,
            "title": self.title,
            "subtitle": self.subtitle,
            "source": self.source,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "byline": self.byline,
            "language": self.language,
            "paragraphs": list(self.paragraphs),
            "captions": list(self.captions),
            "removed": [r.to_dict() for r in self.removed],
            "input_ref": self.input_ref,
            "metadata": dict(self.metadata),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        """Inverse of :meth:`to_dict`."""
        published = data.get("published")
        return cls(
            id=data["id"],
            external_id=data.get("external_id"),
            title=data["title"],
            subtitle=data.get("subtitle"),
            source=data.get("source"),
            url=data.get("url"),
            published=datetime.fromisoformat(published) if published else None,
            byline=data.get("byline"),
            language=data.get("language"),
            paragraphs=tuple(data.get("paragraphs", ())),
            captions=tuple(data.get("captions", ())),
            removed=tuple(
                RemovedLine(r["text"], RemovalReason(r["reason"]), r.get("line"))
                for r in data.get("removed", ())
            ),
            input_ref=data.get("input_ref"),
            metadata=MappingProxyType(dict(data.get("metadata") or {})),
        )

    def summary(self) -> dict[str, Any]:
        """The short form used in lists (``newsprism articles --json``)."""
        return {
            "id": self.id,
            "external_id": self.external_id,
            "title": self.title,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in a folder that is not an article (README, licence, image ...), left unread."""

    ref: str
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"ref": self.ref, "reason": self.reason, "detail": self.detail}


@dataclass(slots=True)
class IngestReport:
    """Counts and details of one ingest run (mutable while the run goes on).

    ``failed`` lists stored articles that a later stage (analysis) failed on, as
    ``Rejected(article id, stage, reason, detail)``; ``skipped`` the folder files that are not
    articles.
    """

    ingested: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    analysed: int = 0
    failed: list[Rejected] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was rejected and no stored article failed a later stage."""
        return not self.rejected and not self.failed

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "rejected": len(self.rejected),
            "rejections": [r.to_dict() for r in self.rejected],
            "article_ids": list(self.article_ids),
            "skipped": [s.to_dict() for s in self.skipped],
            "analysed": self.analysed,
            "failed": [f.to_dict() for f in self.failed],
        }


# -- stories (link stage) --------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """An article's place in its story: what the linker decided, and why.

    Args:
        article_id: the article.
        story_id: the story it belongs to.
        time: the time linking used (publication date, else a dateline, else ingest time).
        time_note: where ``time`` came from: ``published``, ``date_from_text``,
            ``no_date_ingest_time`` or ``implausible_date_ingest_time``.
        reason: ``similar`` (joined a similar story), ``duplicate`` (joined its duplicate's
            story), ``new_story`` (nothing similar was in the fade window) or ``no_text`` (left
            as a singleton: nothing to compare).
        score: the cosine (``similar``) or Jaccard estimate (``duplicate``) behind the decision.
    """

    article_id: str
    story_id: str
    time: datetime
    time_note: str
    reason: str
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "article_id": self.article_id,
            "story_id": self.story_id,
            "time": self.time.isoformat(),
            "time_note": self.time_note,
            "reason": self.reason,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that tell the same story, summarised.

    ``id`` is stable: it survives growth and merges (the older story's id survives a merge; a
    merged-away id keeps pointing at the survivor through ``merged_into``).
    """

    id: str
    title: str
    article_count: int
    sources: tuple[str, ...] = ()
    first_published: datetime | None = None
    last_published: datetime | None = None
    first_reporter: str | None = None
    seq: int = 0
    merged_into: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "id": self.id,
            "title": self.title,
            "article_count": self.article_count,
            "sources": list(self.sources),
            "first_published": _iso(self.first_published),
            "last_published": _iso(self.last_published),
            "first_reporter": self.first_reporter,
            "merged_into": self.merged_into,
        }


@dataclass(frozen=True, slots=True)
class StoryMerge:
    """A recorded merge: ``merged`` was folded into ``survivor`` (the older story)."""

    survivor: str
    merged: str
    reason: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"survivor": self.survivor, "merged": self.merged, "reason": self.reason, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class DuplicateMember:
    """One article of a duplicate group.

    ``kind`` says how it relates to ``matched`` (the earlier article it copies): ``original``
    (the group's first article), ``exact``, ``near`` (syndicated copy) or ``wire`` (rewrite of
    one agency report); ``jaccard`` is the MinHash estimate of their word 5-shingle overlap.
    """

    article_id: str
    kind: str
    jaccard: float
    matched: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "article_id": self.article_id,
            "kind": self.kind,
            "jaccard": round(self.jaccard, 4),
            "matched": self.matched,
        }


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Articles that are copies or rewrites of one text (never split across stories)."""

    id: str
    members: tuple[DuplicateMember, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"id": self.id, "members": [m.to_dict() for m in self.members]}


# -- analysis records (the analyze stage's results; stored, compared, reported) ----------

T = TypeVar("T")

GRANULARITIES = ("day", "month", "year", "range")
"""Allowed values of :attr:`TimeExpression.granularity`."""

BOUNDS = ("exact", "about", "nearly", "over", "at_least", "under", "up_to")
"""Allowed values of :attr:`Figure.bound`: how the stated number relates to the true one."""


def _from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: ``body[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Entity:
    """A named person, organisation, place or collective actor.

    Args:
        label: ``PERSON``, ``ORG``, ``GPE`` (country/city), ``LOC`` (region), ``FAC``, ``NORP``
            (nationality or group) or ``ACTOR`` (a collective party: "Syrian regime",
            "regime forces").
        canonical: the best name of this entity in the article ("Bashar al-Assad" for "Assad").
        key: a stable identity shared by every mention, across articles and stores
            (``person:assad``, ``org:anadolu agency``, ``actor:SY:state``); later stages join on it.
    """

    start: int
    end: int
    text: str
    label: str
    canonical: str
    key: str
    sentence: int

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Place:
    """A mention of a place resolved to a country and coordinates.

    Args:
        name: the gazetteer's name ("Saraqib" for "Saraqeb").
        country: ISO 3166-1 alpha-2 code; ``country_name`` its English name.
        kind: ``country``, ``city`` or ``region``. A country's coordinates are its capital's.
        geonameid: the GeoNames id when the place came from GeoNames.
    """

    start: int
    end: int
    text: str
    name: str
    country: str
    country_name: str
    latitude: float
    longitude: float
    kind: str
    sentence: int
    geonameid: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression normalized against the publication date.

    Args:
        value: ISO form at its granularity: ``2020-01-12`` (day), ``2020-03`` (month),
            ``2017`` (year) or ``2019-01-01/2020-04-02`` (range).
        granularity: one of :data:`GRANULARITIES`.
        first_day, last_day: the inclusive ISO dates the expression covers (timeline sorting).
        modifier: what narrowed or widened it: ``early``, ``mid``, ``late``, ``since``,
            ``until``, ``morning``, ``duration``, ``anaphora`` ("the following day") or None.
    """

    start: int
    end: int
    text: str
    value: str
    granularity: str
    first_day: str
    last_day: str
    sentence: int
    modifier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who is cited for what.

    Args:
        start, end: the attribution cue with its source ("local sources told Anadolu Agency").
        cue: ``said``, ``told``, ``according_to``, ``quoted``, ``reported``, ``dateline`` ...
        source: who is cited ("local sources"), with its offsets and kind (``person``,
            ``organisation``, ``agency``, ``media``, ``official``, ``anonymous``, ``pronoun``).
        source_canonical: the canonical entity name when the source is a known entity.
        via: the outlet or agency the source spoke to or was quoted by ("Anadolu Agency").
        agency: the canonical wire agency when the source or ``via`` is one.
        quote: the quoted words (without quote marks) when the attribution carries a direct quote.
        content_start, content_end: what is attributed (the quote or the reported clause).
    """

    start: int
    end: int
    sentence: int
    cue: str
    source: str
    source_start: int
    source_end: int
    source_kind: str
    content_start: int
    content_end: int
    source_canonical: str | None = None
    via: str | None = None
    via_canonical: str | None = None
    agency: str | None = None
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with what it counts, normalized so later stages can compare figures.

    Args:
        value: the number as stated ("two million" -> 2000000.0); vague plurals ("millions")
            take their least value (2000000.0) with ``vague=True``.
        value_high: upper end of a stated range ("between 10 and 20"), else None.
        unit: ``percent``, a currency code (``USD``), ``km`` ... or None for counts.
        counted: the head noun of what is counted ("civilians"), None when implicit.
        event: what happened to them (``killed``, ``displaced``, ``infected`` ...) or None.
        qualifier: the hedge as written ("nearly", "over") or None.
        bound: the hedge normalized, one of :data:`BOUNDS`.
    """

    start: int
    end: int
    text: str
    value: float
    sentence: int
    bound: str = "exact"
    qualifier: str | None = None
    counted: str | None = None
    event: str | None = None
    unit: str | None = None
    value_high: float | None = None
    vague: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the analyze stage found in one article.

    Args:
        article_id: the analysed article.
        version: the analyzer version (code + model) that produced it.
        language: the language the pipeline was chosen for.
        notes: what was skipped and why ("no entity model for de").
    """

    article_id: str
    version: str
    language: str | None
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    figures: tuple[Figure, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def agencies(self) -> tuple[str, ...]:
        """Wire agencies named as sources, in order of first citation."""
        seen: dict[str, None] = {}
        for a in self.attributions:
            if a.agency:
                seen.setdefault(a.agency, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (the ``--json`` output and the stored form)."""
        return {
            "article_id": self.article_id,
            "version": self.version,
            "language": self.language,
            "notes": list(self.notes),
            "sentences": [s.to_dict() for s in self.sentences],
            "entities": [e.to_dict() for e in self.entities],
            "places": [p.to_dict() for p in self.places],
            "times": [t.to_dict() for t in self.times],
            "attributions": [a.to_dict() for a in self.attributions],
            "figures": [f.to_dict() for f in self.figures],
            "agencies": list(self.agencies),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        """Inverse of :meth:`to_dict`."""
        return cls(
            article_id=data["article_id"],
            version=data["version"],
            language=data.get("language"),
            notes=tuple(data.get("notes", ())),
            sentences=tuple(_from_dict(Sentence, d) for d in data.get("sentences", ())),
            entities=tuple(_from_dict(Entity, d) for d in data.get("entities", ())),
            places=tuple(_from_dict(Place, d) for d in data.get("places", ())),
            times=tuple(_from_dict(TimeExpression, d) for d in data.get("times", ())),
            attributions=tuple(_from_dict(Attribution, d) for d in data.get("attributions", ())),
            figures=tuple(_from_dict(Figure, d) for d in data.get("figures", ())),
        )
