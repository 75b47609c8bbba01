"""The analyze stage's result types, which live in :mod:`newsprism.model` (they cross stages:
the store keeps them, compare and report read them); re-exported here so older imports work."""

from __future__ import annotations

from newsprism.model import (
    BOUNDS,
    GRANULARITIES,
    Analysis,
    Attribution,
    Entity,
    Figure,
    Place,
    Sentence,
    TimeExpression,
)

__all__ = [
    "BOUNDS",
    "GRANULARITIES",
    "Analysis",
    "Attribution",
    "Entity",
    "Figure",
    "Place",
    "Sentence",
    "TimeExpression",
]
