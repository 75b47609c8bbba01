"""Results and protocols of the compare stage.

A :class:`PairSimilarity` holds the seven SemEval-2022 Task 8 dimensions for two articles, each on
the task's 1-4 scale (1 = very similar, 4 = very dissimilar) with a short reason. An
:class:`AlignedPair` is one sentence of article A matched to one of article B.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

from newsprism.model import Article

#: The seven dimensions of SemEval-2022 Task 8, in the order files and tables show them.
DIMENSIONS: tuple[str, ...] = ("overall", "geography", "entities", "time", "narrative", "style", "tone")


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """One dimension: ``score`` in [1, 4] (1 = very similar) and why."""

    name: str
    score: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"name": self.name, "score": round(self.score, 3), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class PairSimilarity:
    """How alike two articles are, dimension by dimension.

    Attributes:
        dimensions: one :class:`DimensionScore` per name in :data:`DIMENSIONS`, in that order.
        features: the measured features the scores were computed from (for inspection).
        languages: the language of each side (given or guessed; ``None`` when unknown).
        notes: caveats a reader should see (cut texts, a language the model was not trained on).
    """

    dimensions: tuple[DimensionScore, ...]
    features: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    languages: tuple[str | None, str | None] = (None, None)
    notes: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> float:
        """The score of dimension ``name`` (``result["overall"]``)."""
        for dim in self.dimensions:
            if dim.name == name:
                return dim.score
        raise KeyError(f"{name!r}: not a dimension; expected one of {', '.join(DIMENSIONS)}")

    @property
    def overall(self) -> float:
        """The overall score (1 = same story told alike, 4 = unrelated)."""
        return self["overall"]

    def scores(self) -> dict[str, float]:
        """``{dimension: score}`` in :data:`DIMENSIONS` order."""
        return {d.name: d.score for d in self.dimensions}

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "scores": {d.name: round(d.score, 3) for d in self.dimensions},
            "reasons": {d.name: d.reason for d in self.dimensions},
            "languages": list(self.languages),
            "notes": list(self.notes),
            "features": {k: round(v, 4) for k, v in self.features.items()},
        }


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """Sentence ``index_a`` of A matched to sentence ``index_b`` of B.

    Attributes:
        score: probability that the two sentences say the same thing (paraphrase model).
        cosine: embedding cosine of the two sentences.
        paraphrase: ``score`` is at or above the aligner's calibrated threshold.
    """

    index_a: int
    index_b: int
    text_a: str
    text_b: str
    score: float
    cosine: float
    paraphrase: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "index_a": self.index_a,
            "index_b": self.index_b,
            "text_a": self.text_a,
            "text_b": self.text_b,
            "score": round(self.score, 4),
            "cosine": round(self.cosine, 4),
            "paraphrase": self.paraphrase,
        }


@runtime_checkable
class PairComparer(Protocol):
    """Anything that scores two articles on the seven dimensions."""

    def compare(self, a: Article | str, b: Article | str) -> PairSimilarity:
        """Score ``a`` against ``b``."""
        ...


@runtime_checkable
class Aligner(Protocol):
    """Anything that matches the sentences of one text to those of another."""

    def align(self, sentences_a: Sequence[str], sentences_b: Sequence[str]) -> list[AlignedPair]:
        """Matched sentence pairs, best first."""
        ...


class NullAligner:
    """An aligner that matches nothing (for pipelines that skip alignment)."""

    def align(self, sentences_a: Sequence[str], sentences_b: Sequence[str]) -> list[AlignedPair]:
        """Always ``[]``."""
        return []
