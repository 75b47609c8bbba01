"""Tests of newsprism.compare.paraphrase: sentence-pair scores and alignment (real model)."""

from __future__ import annotations

import pytest

from newsprism.compare.base import NullAligner
from newsprism.compare.paraphrase import FEATURE_NAMES, Paraphraser, lexical_features
from newsprism.errors import ConfigError
from newsprism.represent.embedding import Embedder


def test_paraphrase_restatement_beats_unrelated(paraphrase_model: Paraphraser) -> None:
    probs = paraphrase_model.score(
        [
            ("The mayor said 3,000 homes lost power on Tuesday.", "On Tuesday, 3,000 homes lost power, the mayor said."),
            ("The mayor said 3,000 homes lost power on Tuesday.", "The chess club won the regional title."),
        ]
    )
    assert probs[0] > paraphrase_model.cut > probs[1]


def test_paraphrase_different_numbers_lower_the_score(paraphrase_model: Paraphraser) -> None:
    base = "The company sold the chain to Safeway in 1998 for $2.5 billion."
    same, other = paraphrase_model.score(
        [
            (base, "In 1998 the company sold the chain to Safeway for $2.5 billion."),
            (base, "In 1998 the company sold the chain to Safeway for $1.8 billion."),
        ]
    )
    assert other < same
    assert lexical_features(base, "for $1.8 billion in 1998")["number_mismatch"] == 1.0


def test_paraphrase_strict_numbers_refuses_changed_figures(minilm: Embedder) -> None:
    strict = Paraphraser(embedder=minilm, strict_numbers=True)
    base = "The company sold the chain to Safeway in 1998 for $2.5 billion."
    assert strict.is_paraphrase(base, "In 1998 the company sold the chain to Safeway for $2.5 billion.")
    assert not strict.is_paraphrase(base, "In 1998 the company sold the chain to Safeway for $1.8 billion.")
    assert strict.align([base], ["In 1998 the company sold the chain to Safeway for $1.8 billion."]) == []


def test_paraphrase_lexical_features_cover_all_but_cosine() -> None:
    assert set(lexical_features("a b", "b c")) == set(FEATURE_NAMES) - {"cosine"}


def test_align_matches_one_to_one_in_order(paraphrase_model: Paraphraser) -> None:
    a = [
        "A storm closed the harbour on Tuesday.",
        "Mayor Clara Voss said 3,000 homes lost power.",
        "Schools will stay shut on Wednesday.",
    ]
    b = [
        "Schools will be closed on Wednesday.",
        "The harbour was closed by a storm on Tuesday.",
        "A local bakery celebrated its centenary.",
        "About 3,000 homes were without power, Mayor Clara Voss said.",
    ]
    pairs = paraphrase_model.align(a, b)
    assert [(p.index_a, p.index_b) for p in pairs] == [(0, 1), (1, 3), (2, 0)]
    assert all(p.paraphrase and p.text_a == a[p.index_a] and p.text_b == b[p.index_b] for p in pairs)


def test_align_prefers_keeping_order_on_ties(paraphrase_model: Paraphraser) -> None:
    same = "The bridge reopened to traffic on Friday morning."
    pairs = paraphrase_model.align([same, same], [same, same])
    assert [(p.index_a, p.index_b) for p in pairs] == [(0, 0), (1, 1)]


def test_align_empty_or_unrelated_gives_nothing(paraphrase_model: Paraphraser) -> None:
    assert paraphrase_model.align([], ["x"]) == []
    assert paraphrase_model.align(["The harbour closed."], ["The chess club won."]) == []
    assert len(paraphrase_model.align(["The harbour closed."], ["The chess club won."], min_score=0.0)) == 1
    assert NullAligner().align(["a"], ["a"]) == []


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"threshold": 1.5}, "threshold"), ({"order_bonus": -1}, "order_bonus"), ({"candidates": 0}, "candidates")],
)
def test_paraphrase_invalid_parameters_name_the_parameter(kwargs: dict[str, float], name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Paraphraser(**kwargs)  # type: ignore[arg-type]
