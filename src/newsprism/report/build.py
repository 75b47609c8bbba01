"""Build a story report: resolve the story, gather analyses and a comparison, run the parts.

Speed comes from reuse: stored analyses are read, not redone (an article without one is
analysed once and the result stored); a comparison passed in (the web page's background job)
is used as it is; otherwise the report runs the compare stage itself on a sentence budget
(:data:`~newsprism.report.base.SENTENCE_BUDGET`), without the seven similarity scores it
does not show. The sentence encoder is the report's own caching one, so the timeline's
sentences that the comparison already embedded cost nothing more.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsprism.errors import ConfigError, InputError
from newsprism.model import Analysis, Article
from newsprism.report.base import Material, ReportOptions, date_only, iso, outlet_name, sort_key
from newsprism.report.coverage import Coverage, build_coverage
from newsprism.report.summary import SummaryPoint, build_summary
from newsprism.report.timeline import TimelineEvent, build_timeline
from newsprism.storage.base import AnalysisStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StoryReport:
    """A story's report: timeline, multi-source summary and coverage.

    Attributes:
        story_id, title: the story (``story_id`` None for a loose list of articles).
        sources: its outlets, first to publish first.
        article_count: its articles (``compared`` of them were compared; the earliest).
        timeline: dated events the articles mention, oldest first.
        published: ``(article_id, outlet, title, published)`` of every article, oldest first.
        summary: the multi-source summary points, in story order.
        coverage: outlets, first report, articles over time, reuse, conflicts, framing.
        notes: caveats (what was cut, which models were missing).
    """

    story_id: str | None
    title: str
    sources: tuple[str, ...]
    article_count: int
    compared: int
    timeline: tuple[TimelineEvent, ...]
    published: tuple[tuple[str, str, str, Any], ...]
    summary: tuple[SummaryPoint, ...]
    coverage: Coverage
    notes: tuple[str, ...] = ()

    @property
    def conflicts(self) -> tuple[dict[str, Any], ...]:
        """The coverage's conflicts."""
        return self.coverage.conflicts

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (the ``--json`` output and the API's answer)."""
        return {
            "story_id": self.story_id,
            "title": self.title,
            "sources": list(self.sources),
            "article_count": self.article_count,
            "compared": self.compared,
            "timeline": [e.to_dict() for e in self.timeline],
            "published": [
                {
                    "article_id": aid,
                    "source": source,
                    "title": title,
                    "published": iso(when),
                    "date_only": date_only(when),
                }
                for aid, source, title, when in self.published
            ],
            "summary": [p.to_dict() for p in self.summary],
            "coverage": self.coverage.to_dict(),
            "notes": list(self.notes),
        }


_MODELS_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _report_models() -> Any:
    from newsprism.analyze.pipeline import default_analyzer
    from newsprism.compare.models import Models

    # No similarity model: the report shows none of its seven scores, and preparing for it
    # would embed every article's first 30 sentences and its whole text.
    return Models(analyzer=default_analyzer(), similarity=False)


def report_models() -> Any:
    """The process-wide compare-stage models of reports (embedder and paraphrase model load on
    first use; the analyzer is the analyze stage's default one)."""
    with _MODELS_LOCK:
        return _report_models()


def _resolve(story: Any, store: Any) -> tuple[str | None, str, list[Article]]:
    """(story id, title, articles) of a story view, story record, story id or article list."""
    if isinstance(story, str) or hasattr(story, "article_count"):
        if store is None:
            raise ConfigError(
                "store: a story id or record needs the store that holds it (store=...)"
            )
        from newsprism.link import get_story

        story = get_story(store, story if isinstance(story, str) else story.id)
    record = getattr(story, "story", None)
    items = getattr(story, "articles", story)
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise ConfigError(
            "story: expected a story id, a Story, a story view or a list of articles, "
            f"got {type(story).__name__}"
        )
    articles = [e.article if hasattr(e, "article") else e for e in items]
    bad = [type(a).__name__ for a in articles if not isinstance(a, Article)]
    if bad:
        raise ConfigError(f"story: expected articles, got {', '.join(sorted(set(bad)))}")
    unique = sorted({a.id: a for a in articles}.values(), key=sort_key)
    title = getattr(record, "title", None) or (unique[0].title if unique else "")
    return getattr(record, "id", None), title, unique


def _analyses(articles: Sequence[Article], store: Any) -> dict[str, Analysis]:
    """Stored analyses; the missing ones are made now (and stored when the store can)."""
    kept = store if isinstance(store, AnalysisStore) else None
    found = {a.id: r for a in articles if kept is not None and (r := kept.get_analysis(a.id)) is not None}
    missing = [a for a in articles if a.id not in found]
    if missing:
        from newsprism.analyze.pipeline import analyze_articles

        made = analyze_articles(report_models().analyzer, missing)
        found.update((r.article_id, r) for r in made)
        if kept is not None:
            with kept.session():
                for r in made:
                    kept.save_analysis(r)
        logger.info("report: analysed %d articles that had no stored analysis", len(made))
    return found


def _comparison(
    compared: Sequence[Article], analyses: dict[str, Analysis], options: ReportOptions
) -> tuple[Any, int | None, list[str]]:
    """(comparison, sentences per article it aligned, notes) from the report's own run."""
    if len(compared) < 2:
        return None, None, []
    from newsprism.compare.pair import Comparer
    from newsprism.compare.story import compare_story

    limit = options.sentences_per_article(len(compared))
    comparer = Comparer(report_models(), max_sentences=limit)
    try:
        cmp = compare_story(
            list(compared),
            comparer=comparer,
            analyses=analyses,
            similarity=False,
            max_articles=options.max_articles,
        )
    except InputError as exc:  # an empty article: the report goes on without a comparison
        return None, None, [f"the articles could not be compared: {exc}"]
    longest = max(len(analyses[a.id].sentences) for a in compared)
    notes = [n for n in cmp.notes if "sentences were aligned" not in n]
    if longest > limit:
        notes.append(
            f"the summary and conflicts read the first {limit} sentences of each article "
            "(the timeline reads them all); pass a full story comparison for more"
        )
    return cmp, (limit if longest > limit else None), notes


def _usable_comparison(comparison: Any, compared: Sequence[Article]) -> bool:
    ids = {a.id for a in getattr(comparison, "articles", ())}
    return bool(ids) and ids == {a.id for a in compared}


def material_of(
    story: Any,
    *,
    store: Any = None,
    comparison: Any = None,
    options: ReportOptions | None = None,
) -> Material:
    """Everything a report reads (see :func:`report` for the arguments)."""
    options = options or ReportOptions()
    story_id, title, articles = _resolve(story, store)
    compared = articles[: options.max_articles]
    notes = []
    if len(articles) > len(compared):
        notes.append(
            f"the timeline, summary and conflicts read the first {len(compared)} of "
            f"{len(articles)} articles; the coverage counts them all"
        )
    analyses = _analyses(compared, store)
    limit = None
    if comparison is not None and not _usable_comparison(comparison, compared):
        logger.info("report: the given comparison covers other articles; comparing anew")
        comparison = None
    if comparison is None:
        comparison, limit, more = _comparison(compared, analyses, options)
        notes += more
    else:
        notes += [n for n in getattr(comparison, "notes", ()) if "similarity" not in n]
    encoder = report_models().encoder
    return Material(
        story_id=story_id,
        title=title,
        articles=tuple(articles),
        compared=tuple(compared),
        analyses=analyses,
        comparison=comparison,
        sentence_limit=limit,
        encode=None if encoder is None else encoder.encode,
        notes=tuple(dict.fromkeys(notes)),
    )


def build_report(material: Material, options: ReportOptions | None = None) -> StoryReport:
    """The report of prepared material (the three parts side by side)."""
    options = options or ReportOptions()
    coverage = build_coverage(material)
    return StoryReport(
        story_id=material.story_id,
        title=material.title,
        sources=tuple(o.source for o in coverage.outlets),
        article_count=len(material.articles),
        compared=len(material.compared),
        timeline=build_timeline(material),
        published=tuple((a.id, outlet_name(a), a.title, a.published) for a in material.articles),
        summary=build_summary(material, options.summary_points),
        coverage=coverage,
        notes=material.notes,
    )


def report(
    story: Any,
    *,
    store: Any = None,
    comparison: Any = None,
    options: ReportOptions | None = None,
) -> StoryReport:
    """The report of one story: timeline, multi-source summary and coverage.

    Args:
        story: a story view (``newsprism.link.get_story``), a story record or id (with
            ``store``), or a list of articles.
        store: the store holding the story; its stored analyses are read (and missing ones
            stored).
        comparison: the compare stage's ``StoryComparison`` of the same articles, when one is
            at hand; otherwise the report compares them itself, on a sentence budget.
        options: report settings.

    Returns:
        The :class:`StoryReport`.

    Raises:
        NotFound: the story is not in the store.
        ConfigError: a parameter is invalid.
    """
    options = options or ReportOptions()
    return build_report(
        material_of(story, store=store, comparison=comparison, options=options), options
    )


def story_report(store: Any, story: Any, *, comparison: Any = None) -> StoryReport:
    """:func:`report` in the form the web server calls: ``story_report(store, story)``."""
    return report(story, store=store, comparison=comparison)
