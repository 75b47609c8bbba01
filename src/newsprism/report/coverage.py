"""Coverage: who told the story, who first, when, how much of it is shared copy, and where the
outlets part ways (conflicts and framing, from the compare stage).

Reuse per article joins the compare stage's pairwise results: ``reused_share`` is the share of
the body inside a passage found (nearly) verbatim in any other article of the story;
``wire_share`` the share that is copy of a wire agency the article credits (passages and
sentences of shared facts near the credits, the compare stage's wire reports).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from newsprism.compare.spans import merge_spans
from newsprism.model import Article
from newsprism.report.base import Material, date_only, iso, outlet_name
from newsprism.storage.schema import timestamp

logger = logging.getLogger(__name__)

#: Bucket sizes of "articles over time", by the time the story spans: hours up to two days,
#: days up to two months, weeks beyond.
_UNITS = ((timedelta(days=2), "hour"), (timedelta(days=62), "day"))


@dataclass(frozen=True, slots=True)
class OutletCoverage:
    """One outlet's articles in the story (first published first)."""

    source: str
    article_ids: tuple[str, ...]
    first_published: datetime | None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "source": self.source,
            "articles": len(self.article_ids),
            "article_ids": list(self.article_ids),
            "first_published": iso(self.first_published),
        }


@dataclass(frozen=True, slots=True)
class FirstReport:
    """Who reported first.

    Attributes:
        source, article_id, published: the earliest dated article.
        tied: outlets that cannot be ordered against it: they published the same day and one
            of the two gives a date without a time.
        note: a sentence saying so, or why no one can be named.
    """

    source: str | None
    article_id: str | None
    published: datetime | None
    tied: tuple[str, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "source": self.source,
            "article_id": self.article_id,
            "published": iso(self.published),
            "tied": list(self.tied),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class TimeBucket:
    """Articles published in ``[start, start + unit)``."""

    start: datetime
    count: int
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"start": iso(self.start), "count": self.count, "sources": list(self.sources)}


@dataclass(frozen=True, slots=True)
class ArticleCoverage:
    """One article: when, how long, and how much of it is shared copy.

    Attributes:
        reused_share: share of the body in passages shared (nearly) verbatim with another
            article of the story; ``shared_with`` those articles' outlets.
        wire_share: share of the body that is copy of a wire agency it credits.
        agencies: wire agencies the article credits.
    """

    article_id: str
    source: str
    title: str
    published: datetime | None
    words: int
    reused_share: float = 0.0
    wire_share: float = 0.0
    agencies: tuple[str, ...] = ()
    shared_with: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "article_id": self.article_id,
            "source": self.source,
            "title": self.title,
            "published": iso(self.published),
            "date_only": date_only(self.published),
            "words": self.words,
            "reused_share": round(self.reused_share, 4),
            "wire_share": round(self.wire_share, 4),
            "agencies": list(self.agencies),
            "shared_with": list(self.shared_with),
        }


@dataclass(frozen=True, slots=True)
class Coverage:
    """The story's coverage.

    Attributes:
        outlets: per outlet, its articles (first to publish first).
        first: who reported first.
        unit, over_time: articles per ``hour``, ``day`` or ``week`` (non-empty buckets only).
        articles: per article, its reuse (compared articles only; others have shares of 0).
        wire: per agency two or more articles credit, ``{agency, article_ids, sources, facts,
            passages}``.
        conflicts: facts the outlets report differently (``kind, what, sides``).
        framing: per article, its headline focus, loaded terms and voices nobody else uses.
        framing_differences: sentences on where the outlets' framing differs.
    """

    outlets: tuple[OutletCoverage, ...]
    first: FirstReport
    unit: str
    over_time: tuple[TimeBucket, ...]
    articles: tuple[ArticleCoverage, ...]
    wire: tuple[dict[str, Any], ...] = ()
    conflicts: tuple[dict[str, Any], ...] = ()
    framing: tuple[dict[str, Any], ...] = ()
    framing_differences: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "outlets": [o.to_dict() for o in self.outlets],
            "first": self.first.to_dict(),
            "unit": self.unit,
            "over_time": [b.to_dict() for b in self.over_time],
            "articles": [a.to_dict() for a in self.articles],
            "wire": [dict(w) for w in self.wire],
            "conflicts": [dict(c) for c in self.conflicts],
            "framing": [dict(f) for f in self.framing],
            "framing_differences": list(self.framing_differences),
        }


def _stamp(article: Article) -> float | None:
    return timestamp(article.published)


def outlets(articles: Sequence[Article]) -> tuple[OutletCoverage, ...]:
    """Per outlet, its articles; outlets in order of their first article (undated last)."""
    groups: dict[str, list[Article]] = {}
    for a in articles:
        groups.setdefault(outlet_name(a), []).append(a)
    rows = []
    for name, arts in groups.items():
        dated = [a for a in arts if a.published is not None]
        first = min(dated, key=lambda a: _stamp(a) or 0.0) if dated else None
        rows.append(
            OutletCoverage(name, tuple(a.id for a in arts), first.published if first else None)
        )
    return tuple(sorted(rows, key=lambda o: (o.first_published is None, _sort(o.first_published))))


def _sort(value: datetime | None) -> float:
    return timestamp(value) or 0.0


def first_report(articles: Sequence[Article]) -> FirstReport:
    """The earliest dated article, and the outlets it cannot be ordered against."""
    dated = sorted((a for a in articles if a.published is not None), key=lambda a: _stamp(a) or 0.0)
    if not dated:
        return FirstReport(None, None, None, note="no article of the story gives a date")
    first = dated[0]
    day = first.published.date()  # type: ignore[union-attr]
    tied = tuple(
        dict.fromkeys(
            outlet_name(a)
            for a in dated[1:]
            if a.published.date() == day  # type: ignore[union-attr]
            and (date_only(a.published) or date_only(first.published))
            and outlet_name(a) != outlet_name(first)
        )
    )
    note = (
        f"{outlet_name(first)} published first"
        if not tied
        else f"{outlet_name(first)} and {', '.join(tied)} published the same day; "
        "one of them gives no time, so the order is unknown"
    )
    return FirstReport(outlet_name(first), first.id, first.published, tied, note)


def over_time(articles: Sequence[Article]) -> tuple[str, tuple[TimeBucket, ...]]:
    """``(unit, buckets)``: dated articles per hour, day or week, non-empty buckets only."""
    dated = sorted((a for a in articles if a.published is not None), key=lambda a: _stamp(a) or 0.0)
    if not dated:
        return "day", ()
    span = timedelta(seconds=(_stamp(dated[-1]) or 0.0) - (_stamp(dated[0]) or 0.0))
    unit = next((name for limit, name in _UNITS if span <= limit), "week")
    buckets: dict[datetime, list[Article]] = {}
    for a in dated:
        buckets.setdefault(_floor(a.published, unit), []).append(a)  # type: ignore[arg-type]
    rows = [
        TimeBucket(start, len(arts), tuple(dict.fromkeys(outlet_name(a) for a in arts)))
        for start, arts in sorted(buckets.items(), key=lambda kv: _sort(kv[0]))
    ]
    return unit, tuple(rows)


def _floor(value: datetime, unit: str) -> datetime:
    if unit == "hour":
        return value.replace(minute=0, second=0, microsecond=0)
    day = value.replace(hour=0, minute=0, second=0, microsecond=0)
    return day if unit == "day" else day - timedelta(days=day.weekday())


def _reuse(material: Material) -> dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]]:
    """Article id -> (reused share, outlets it shares passages with, agencies it credits)."""
    cmp = material.comparison
    spans: dict[str, list[tuple[int, int]]] = {a.id: [] for a in material.compared}
    partners: dict[str, dict[str, None]] = {a.id: {} for a in material.compared}
    agencies: dict[str, dict[str, None]] = {a.id: {} for a in material.compared}
    for pair in cmp.pairs if cmp is not None else ():
        agencies[pair.a].update(dict.fromkeys(pair.reuse.agencies_a))
        agencies[pair.b].update(dict.fromkeys(pair.reuse.agencies_b))
        for p in pair.reuse.passages:
            spans[pair.a].append((p.start_a, p.end_a))
            spans[pair.b].append((p.start_b, p.end_b))
            partners[pair.a][material.outlet(pair.b)] = None
            partners[pair.b][material.outlet(pair.a)] = None
    out = {}
    for a in material.compared:
        share = _share(len(a.body), spans[a.id])
        out[a.id] = (share, tuple(partners[a.id]), tuple(agencies[a.id]))
    return out


def _share(length: int, spans: Sequence[tuple[int, int]]) -> float:
    if length <= 0:
        return 0.0
    return min(1.0, sum(e - s for s, e in merge_spans(spans)) / length)


def _wire_spans(material: Material) -> dict[str, list[tuple[int, int]]]:
    """Article id -> spans that are wire copy (shared facts and passages near the credits)."""
    out: dict[str, list[tuple[int, int]]] = {}
    cmp = material.comparison
    for w in cmp.wire if cmp is not None else ():
        members = set(w.article_ids)
        for fact in w.facts:
            for c in fact.claims:
                if c.article_id in members:
                    out.setdefault(c.article_id, []).append((c.start, c.end))
        for a, b, p in w.passages:
            out.setdefault(a, []).append((p.start_a, p.end_a))
            out.setdefault(b, []).append((p.start_b, p.end_b))
    return out


def article_rows(material: Material) -> tuple[ArticleCoverage, ...]:
    """Per article of the story: date, length and shared copy."""
    reuse = _reuse(material)
    wire = _wire_spans(material)
    rows = []
    for a in material.articles:
        share, partners, credited = reuse.get(a.id, (0.0, (), ()))
        rows.append(
            ArticleCoverage(
                a.id,
                outlet_name(a),
                a.title,
                a.published,
                a.word_count,
                share,
                _share(len(a.body), wire.get(a.id, [])),
                credited,
                partners,
            )
        )
    return tuple(rows)


def wire_rows(material: Material) -> tuple[dict[str, Any], ...]:
    """Per agency credited by two or more articles: who carries its copy, how much."""
    cmp = material.comparison
    return tuple(
        {
            "agency": w.agency,
            "article_ids": list(w.article_ids),
            "sources": list(dict.fromkeys(material.outlet(i) for i in w.article_ids)),
            "facts": len(w.facts),
            "passages": len(w.passages),
        }
        for w in (cmp.wire if cmp is not None else ())
    )


def conflict_rows(material: Material) -> tuple[dict[str, Any], ...]:
    """The comparison's conflicts: what is at stake and each outlet's version."""
    cmp = material.comparison
    rows = []
    for c in cmp.conflicts if cmp is not None else ():
        sides = [
            {
                "article_id": claim.article_id,
                "source": material.outlet(claim.article_id),
                "value": value,
                "text": claim.text,
            }
            for claim, value in ((c.claim_a, c.value_a), (c.claim_b, c.value_b))
        ]
        rows.append({"kind": c.kind, "what": c.what, "score": round(c.score, 4), "sides": sides})
    return tuple(rows)


def build_coverage(material: Material) -> Coverage:
    """The coverage of the story (reuse, conflicts and framing from its comparison)."""
    from newsprism.report.framing import framing_differences, framing_rows

    unit, buckets = over_time(material.articles)
    return Coverage(
        outlets=outlets(material.articles),
        first=first_report(material.articles),
        unit=unit,
        over_time=buckets,
        articles=article_rows(material),
        wire=wire_rows(material),
        conflicts=conflict_rows(material),
        framing=framing_rows(material),
        framing_differences=framing_differences(material),
    )
