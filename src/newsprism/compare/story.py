"""Compare every article of a story: facts by coverage, conflicts, reuse, origins, framing.

Each article is prepared once (analysis and sentence vectors; the stored analysis when the store
has one), then every pair is compared from the prepared forms. Facts are grouped across the whole
story (reported by all, by some, by one outlet), and each outlet's framing is set against all the
others (loaded terms and voices nobody else uses).

A story of more than ``max_articles`` articles is compared on its first ``max_articles`` by
publication time (a note says so): pairs grow with the square of the articles.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from newsprism.link import boilerplate
from newsprism.analyze.model import Analysis
from newsprism.compare.base import PairSimilarity
from newsprism.compare.facts import FactReport, fact_report
from newsprism.compare.framing import Framing, frame
from newsprism.compare.origin import Origin, likely_origin
from newsprism.compare.pair import Comparer, default_comparer
from newsprism.compare.prepare import as_article
from newsprism.compare.reuse import ReuseReport, find_passages, reuse_report
from newsprism.compare.wire import WireReport, wire_reports
from newsprism.errors import ConfigError, InputError, NotFound
from newsprism.model import Article

logger = logging.getLogger(__name__)

#: Articles compared in one story (190 pairs at 20; the speed target is 20 articles in 15 s).
MAX_STORY_ARTICLES = 40


@dataclass(frozen=True, slots=True)
class PairSummary:
    """How two articles of a story relate, in short."""

    a: str
    b: str
    similarity: PairSimilarity | None
    reuse: ReuseReport
    origin: Origin
    linked: int

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (reused passages included)."""
        return {
            "a": self.a,
            "b": self.b,
            "similarity": None if self.similarity is None else self.similarity.to_dict()["scores"],
            "reuse": self.reuse.to_dict(),
            "origin": self.origin.to_dict(),
            "linked_sentences": self.linked,
        }


@dataclass(frozen=True, slots=True)
class StoryComparison:
    """All articles of a story compared.

    Attributes:
        story_id: the story, when the articles came from one.
        articles: the compared articles, by publication time.
        facts: facts by coverage across the story, and conflicts.
        pairs: one summary per pair of articles.
        framings: each article's framing, in ``articles`` order.
        own_loaded, own_voices: per article id, loaded terms / voices no other article uses.
        wire: per agency credited by two or more articles, the copy they share.
        notes: caveats.
    """

    story_id: str | None
    articles: tuple[Article, ...]
    facts: FactReport
    pairs: tuple[PairSummary, ...]
    framings: tuple[Framing, ...]
    own_loaded: Mapping[str, tuple[str, ...]]
    own_voices: Mapping[str, tuple[str, ...]]
    wire: tuple[WireReport, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def conflicts(self) -> tuple[Any, ...]:
        """The facts' conflicts."""
        return self.facts.conflicts

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "story_id": self.story_id,
            "articles": [a.summary() for a in self.articles],
            "facts": self.facts.to_dict(),
            "pairs": [p.to_dict() for p in self.pairs],
            "framing": [f.to_dict() for f in self.framings],
            "own_loaded": {k: list(v) for k, v in self.own_loaded.items()},
            "own_voices": {k: list(v) for k, v in self.own_voices.items()},
            "wire": [w.to_dict() for w in self.wire],
            "notes": list(self.notes),
        }


def story_articles(store: Any, story: Any) -> tuple[str, list[Article]]:
    """The id and articles of a story held in ``store`` (a merged-away id follows its survivor).

    Raises:
        NotFound: no such story.
    """
    story_id = story if isinstance(story, str) else getattr(story, "id", None)
    if not isinstance(story_id, str):
        raise ConfigError(f"story: expected a story id or a Story, got {type(story).__name__}")
    record = store.get_story_record(story_id)
    while record.merged_into:
        record = store.get_story_record(record.merged_into)
    ids = [link.article_id for link in store.story_articles(record.id)]
    if not ids:
        raise NotFound(f"story {record.id} holds no articles")
    return record.id, [boilerplate.view(store, store.get_article(i)) for i in ids]


def _stored_analyses(store: Any, articles: Sequence[Article]) -> dict[str, Analysis]:
    get = getattr(store, "get_analysis", None)
    if get is None:
        return {}
    found = {}
    for a in articles:
        analysis = get(a.id)
        if analysis is not None:
            found[a.id] = analysis
    return found


def _resolve(items: Any, store: Any) -> tuple[str | None, list[Article]]:
    """(story id, articles) from a story id or ``Story`` (with a store), a story view with
    ``story`` and ``articles`` (entries holding ``.article``), or a list of articles / texts."""
    if isinstance(items, str) or hasattr(items, "article_count"):
        if store is None:
            raise ConfigError("store: a story id needs the store that holds it (store=...)")
        return story_articles(store, items)
    story = getattr(items, "story", None)
    arts = getattr(items, "articles", items)
    if isinstance(arts, (str, bytes)) or not isinstance(arts, Sequence):
        raise ConfigError(
            "story: expected a story id, a Story, a story view or a list of articles, "
            f"got {type(items).__name__}"
        )
    found = [as_article(a.article if hasattr(a, "article") else a) for a in arts]
    return getattr(story, "id", None) or getattr(items, "id", None), found


def _sort_key(article: Article) -> tuple[int, str, str]:
    stamp = article.published.isoformat() if article.published else ""
    return (0 if stamp else 1, stamp, article.id)


def _own(framings: Sequence[Framing], field: str) -> dict[str, tuple[str, ...]]:
    if field == "loaded":
        sets = [{t for t, _, _ in f.loaded} for f in framings]
        ordered = [[t for t, _, _ in f.loaded] for f in framings]
    else:
        sets = [{v.name.casefold() for v in f.voices} for f in framings]
        ordered = [[v.name for v in f.voices] for f in framings]
    out = {}
    for k, f in enumerate(framings):
        others = set().union(*(s for m, s in enumerate(sets) if m != k))
        key = (lambda t: t) if field == "loaded" else str.casefold
        out[f.article_id] = tuple(t for t in ordered[k] if key(t) not in others)
    return out


def compare_story(
    story: Any,
    *,
    store: Any = None,
    comparer: Comparer | None = None,
    analyses: Mapping[str, Analysis] | None = None,
    similarity: bool = True,
    max_articles: int = MAX_STORY_ARTICLES,
) -> StoryComparison:
    """Compare all articles of a story.

    Args:
        story: a story id or ``Story`` (with ``store``), or a list of articles / texts.
        store: the store holding the story; its stored analyses are used.
        comparer: a configured :class:`~newsprism.compare.pair.Comparer` (default: shared one).
        analyses: analyses by article id (besides the store's).
        similarity: score the seven similarity dimensions of every pair.
        max_articles: compare at most this many articles (the earliest).

    Returns:
        The :class:`StoryComparison`.

    Raises:
        NotFound: the story is not in the store.
        InputError: fewer than two articles, or an empty one.
        ConfigError: a parameter is invalid.
    """
    if isinstance(max_articles, bool) or not isinstance(max_articles, int) or max_articles < 2:
        raise ConfigError(f"max_articles: expected an integer >= 2, got {max_articles!r}")
    comparer = comparer or default_comparer()
    story_id, articles = _resolve(story, store)
    articles = sorted({a.id: a for a in articles}.values(), key=_sort_key)
    if len(articles) < 2:
        raise InputError(
            "too_few",
            f"a story comparison needs two or more distinct articles, got {len(articles)}",
        )
    notes = []
    if len(articles) > max_articles:
        notes.append(f"only the first {max_articles} of {len(articles)} articles were compared")
        articles = articles[:max_articles]
    known = {**(_stored_analyses(store, articles) if store is not None else {}), **(analyses or {})}
    prepared = comparer.prepare_many(articles, known)
    links, passages, pairs = {}, {}, []
    for i, j in combinations(range(len(prepared)), 2):
        pa, pb = prepared[i], prepared[j]
        found = find_passages(
            pa.article.body,
            pb.article.body,
            quotes_a=pa.quotes,
            quotes_b=pb.quotes,
            options=comparer.reuse_options,
            tokens_a=pa.tokens,
            tokens_b=pb.tokens,
        )
        passages[(i, j)] = found
        links[(i, j)] = comparer.models.links(pa, pb, found)
        shared = bool(found) or any(p.paraphrase for p in links[(i, j)])
        sim = comparer.models.similarity_of(pa.article, pb.article, notes) if similarity else None
        pairs.append(
            PairSummary(
                pa.article.id,
                pb.article.id,
                sim,
                reuse_report(pa.article.body, pb.article.body, found, pa.agencies, pb.agencies),
                likely_origin(pa.article, pb.article, pa.agencies, pb.agencies, shared=shared),
                sum(1 for p in links[(i, j)] if p.paraphrase),
            )
        )
    facts = fact_report(
        [p.article for p in prepared],
        [p.analysis for p in prepared],
        links,
        [p.vectors for p in prepared],
    )
    framings = tuple(frame(p.article, p.analysis) for p in prepared)
    for p in prepared:
        notes.extend(p.notes)
    return StoryComparison(
        story_id=story_id,
        articles=tuple(p.article for p in prepared),
        facts=facts,
        pairs=tuple(pairs),
        framings=framings,
        own_loaded=_own(framings, "loaded"),
        own_voices=_own(framings, "voices"),
        wire=tuple(wire_reports(prepared, facts, passages)),
        notes=tuple(dict.fromkeys(notes + list(comparer.models.notes))),
    )
