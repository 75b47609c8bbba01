"""Analyze stage: sentences, entities, places, time expressions, attributions and figures.

``Analyzer().analyze(article)`` gives an :class:`Analysis` whose items carry character offsets
into ``article.body``; :func:`analyze_pending` analyses what a store lacks, over both cores.

The result types load with this package; the analyzer and pipeline load on first use (the store
imports the result types, and must not pull in the models' code).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newsprism.analyze.model import (
    Analysis,
    Attribution,
    Entity,
    Figure,
    Place,
    Sentence,
    TimeExpression,
)

if TYPE_CHECKING:
    from newsprism.analyze.analyzer import Analyzer
    from newsprism.analyze.base import AnalyzerConfig, ArticleAnalyzer, NullAnalyzer
    from newsprism.analyze.pipeline import (
        analysis_for_show,
        analyze_articles,
        analyze_pending,
        default_analyzer,
    )

_LAZY = {
    "Analyzer": "newsprism.analyze.analyzer",
    "AnalyzerConfig": "newsprism.analyze.base",
    "ArticleAnalyzer": "newsprism.analyze.base",
    "NullAnalyzer": "newsprism.analyze.base",
    "analysis_for_show": "newsprism.analyze.pipeline",
    "analyze_articles": "newsprism.analyze.pipeline",
    "analyze_pending": "newsprism.analyze.pipeline",
    "default_analyzer": "newsprism.analyze.pipeline",
}

__all__ = [
    "Analysis",
    "Analyzer",
    "AnalyzerConfig",
    "ArticleAnalyzer",
    "Attribution",
    "Entity",
    "Figure",
    "NullAnalyzer",
    "Place",
    "Sentence",
    "TimeExpression",
    "analysis_for_show",
    "analyze_articles",
    "analyze_pending",
    "default_analyzer",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'newsprism.analyze' has no attribute {name!r}")
