"""The analyzer: owns the loaded NER models, gazetteer and KB, and runs every part per article.

Where the time goes (600-word articles, CPU time of one process on this 2-core machine): NER was
~90% of it; :mod:`newsprism.analyze.ner` explains how we cut it (NER-only pipeline, windows
around capitalized words). The rules (sentences, times, figures, attributions, entity fixes) take
about 8 ms per article; dateparser runs only on spans the hand rules do not know, behind a cache.
Two worker processes (:mod:`newsprism.analyze.pipeline`) use both cores.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsprism.analyze.attributions import AttributionFinder
from newsprism.analyze.base import ANALYZER_VERSION, AUTO, AUTO_MODELS, AnalyzerConfig
from newsprism.analyze.canonical import EntityKB
from newsprism.analyze.entities import EntityExtractor
from newsprism.analyze.figures import DECIMAL_COMMA, find_figures
from newsprism.analyze.model import Analysis
from newsprism.analyze.ner import Span, load_ner, run_ner
from newsprism.analyze.places import PlaceResolver
from newsprism.analyze.sentences import SentenceIndex, segment
from newsprism.analyze.times import TimeNormalizer
from newsprism.model import Article

logger = logging.getLogger(__name__)

_TIME_LABELS = frozenset({"DATE", "TIME"})


class Analyzer:
    """Analyses articles: sentences, entities, places, times, attributions, figures.

    Heavy parts load on first use (or :meth:`load`): about 2 s for spaCy, the gazetteer (1 s)
    and dateparser. One instance per process; it is not shared between processes.

    Args:
        config: settings (models per language, batch size ...).
    """

    def __init__(self, config: AnalyzerConfig | None = None) -> None:
        self.config = config or AnalyzerConfig()
        self._nlp: dict[str, Any] = {}
        self._model_ids: dict[str, str | None] = {}
        self._entities: EntityExtractor | None = None
        self._finder: AttributionFinder | None = None
        self._times = TimeNormalizer()
        # One analysis at a time per analyzer: the web app may call it from worker threads, and
        # spaCy pipelines and the lookup memos are not meant for concurrent use.
        self._lock = threading.Lock()

    # -- setup --------------------------------------------------------------------------------

    @property
    def version(self) -> str:
        """``<code version>+<model>`` for English (the model that decides most results)."""
        model = self.model_id(self.config.default_language) or "no-ner"
        return f"{ANALYZER_VERSION}+{model}"

    def model_id(self, language: str) -> str | None:
        """``name-version`` of the NER model used for ``language``, or None when there is none."""
        if language not in self._model_ids:
            self._model_ids[language] = _model_id(self._model_spec(language))
        return self._model_ids[language]

    def load(self, languages: Iterable[str] = ("en",)) -> Analyzer:
        """Load the models now rather than on first use; returns self."""
        for language in languages:
            self._pipeline(language)
        self._parts()
        return self

    def _model_spec(self, language: str) -> str | None:
        if not self.config.ner:
            return None
        spec = self.config.models.get(language, AUTO)
        if spec.lower() == "none":
            return None
        if spec != AUTO:
            return spec
        names = AUTO_MODELS.get(language, (f"{language}_core_news_sm", f"{language}_core_web_sm"))
        return next((n for n in names if importlib.util.find_spec(n) is not None), None)

    def _pipeline(self, language: str) -> Any | None:
        if language not in self._nlp:
            spec = self._model_spec(language)
            self._nlp[language] = None if spec is None else load_ner(spec)
        return self._nlp[language]

    def _parts(self) -> tuple[EntityExtractor, AttributionFinder]:
        if self._entities is None or self._finder is None:
            kb = EntityKB()
            self._entities = EntityExtractor(kb, PlaceResolver(self.config.min_population))
            self._finder = AttributionFinder(kb)
        return self._entities, self._finder

    # -- analysis -----------------------------------------------------------------------------

    def analyze(self, article: Article) -> Analysis:
        """Analyse one article."""
        return self.analyze_many([article])[0]

    def analyze_many(self, articles: Iterable[Article]) -> list[Analysis]:
        """Analyse articles in input order, passing each language's bodies through NER in batches."""
        items = list(articles)
        with self._lock:
            return self._analyze_many(items)

    def _analyze_many(self, items: list[Article]) -> list[Analysis]:
        results: list[Analysis | None] = [None] * len(items)
        by_language: dict[str, list[int]] = {}
        for i, article in enumerate(items):
            by_language.setdefault(self._language(article), []).append(i)
        for language, indexes in by_language.items():
            nlp = self._pipeline(language)
            spans: list[list[Span] | None] = [None] * len(indexes)
            if nlp is not None:
                spans = list(run_ner(nlp, [items[i].body for i in indexes],
                                     batch_size=self.config.batch_size,
                                     context=self.config.ner_context,
                                     stop_words=_stop_words(nlp)))
            for i, ner in zip(indexes, spans):
                results[i] = self._analyze_one(items[i], language, ner)
        return [r for r in results if r is not None]

    def _language(self, article: Article) -> str:
        return (article.language or self.config.default_language).lower()

    def _analyze_one(self, article: Article, language: str,
                     ner: list[tuple[str, int, int]] | None) -> Analysis:
        text = article.body
        sentences = segment(text)
        sentence_of = SentenceIndex(sentences)
        english = language == "en"
        notes = _notes(article, language, ner is None, english)
        times = []
        if english:
            spans = [(s, e) for label, s, e in ner or () if label in _TIME_LABELS]
            times = self._times.find(text, article.published, spans, sentence_of,
                                     lambda i: sentences[i].start)
        entities, places, attributions = [], [], []
        if english or ner is not None:
            extractor, finder = self._parts()
            if ner is not None:
                result = extractor.extract(text, ner, sentence_of,
                                           frozenset(s.start for s in sentences))
                entities, places = result.entities, result.places
            if english:
                attributions = finder.find(text, sentences, entities)
        figures = find_figures(text, [(t.start, t.end) for t in times], sentence_of,
                               english=english, decimal_comma=language in DECIMAL_COMMA)
        return Analysis(
            article_id=article.id, version=self.version, language=language,
            sentences=tuple(sentences), entities=tuple(entities), places=tuple(places),
            times=tuple(times), attributions=tuple(attributions), figures=tuple(figures),
            notes=tuple(notes),
        )


def _stop_words(nlp: Any) -> frozenset[str]:
    return frozenset(getattr(nlp.Defaults, "stop_words", ()))


def _notes(article: Article, language: str, no_ner: bool, english: bool) -> list[str]:
    notes = []
    if article.language is None:
        notes.append(f"language unknown; analysed as {language}")
    if no_ner:
        notes.append(f"no entity model for {language}")
    if not english:
        notes.append(f"no time, attribution or number-word rules for {language}")
    elif article.published is None:
        notes.append("no publication date: relative dates were not normalized")
    return notes


def _model_id(spec: str | None) -> str | None:
    """``name-version`` of a model package or folder, without loading it."""
    if spec is None:
        return None
    meta_path = Path(spec) / "meta.json"
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return f"{meta.get('lang', '')}_{meta.get('name', 'model')}-{meta.get('version', '0')}"
    try:
        return f"{spec}-{importlib.metadata.version(spec)}"
    except importlib.metadata.PackageNotFoundError:
        return spec
