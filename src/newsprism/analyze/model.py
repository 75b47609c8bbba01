"""Frozen results of the analyze stage, every one anchored by character offsets into ``Article.body``.

``start``/``end`` follow Python slicing: ``article.body[item.start:item.end] == item.text``.
``sentence`` is the index of the sentence (in ``Analysis.sentences``) the item lies in.

Each type has ``to_dict`` (plain JSON) and ``from_dict``; :class:`Analysis` bundles them per
article with the analyzer version that produced them (stored, so a model upgrade can be detected
and re-run with ``newsprism reanalyze``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

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
