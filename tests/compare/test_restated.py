"""Restated-statement conflict candidates and the shipped model that scores them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from newsprism.compare import restated
from newsprism.compare.facts import claims_of
from newsprism.compare.lexicon import stems
from newsprism.testing import make_article
from tests.compare._articles import comparer

A = make_article(
    "Turkmenistan votes",
    (
        "Turkmenistan held parliamentary elections on Sunday.",
        "A total of 288 candidates ran for 125 parliamentary seats, the election commission said.",
    ),
    source="One",
)
B = make_article(
    "Turkmen election",
    (
        "Voters in Turkmenistan chose a new parliament on Sunday.",
        "Almost all of the 288 candidates running for 168 seats in the parliament came from the "
        "ruling party, the election commission said.",
    ),
    source="Two",
)


def _candidates() -> list[restated.Candidate]:
    pa, pb = comparer().prepare_many([A, B])
    claims = [claims_of(0, A, pa.analysis), claims_of(1, B, pb.analysis)]
    words = [set(stems(A.body)), set(stems(B.body))]
    return restated.sentence_pairs(claims, [pa.vectors, pb.vectors], words, set())


def test_restated_candidates_pair_two_versions_of_one_figure() -> None:
    found = [c for c in _candidates() if c.kind == "quantity"]
    assert [(c.value_a, c.value_b) for c in found] == [("125 parliamentary seats", "168 seats")]
    features = dict(zip(restated.FEATURE_NAMES, found[0].features, strict=True))
    assert features["slot"] == 1.0  # both count seats
    assert features["anchor"] == 1.0  # both state the 288 candidates
    assert features["kind_quantity"] == 1.0 and features["cosine"] >= restated.CANDIDATE_COSINE


def test_restated_candidates_skip_pairs_already_in_conflict() -> None:
    pa, pb = comparer().prepare_many([A, B])
    claims = [claims_of(0, A, pa.analysis), claims_of(1, B, pb.analysis)]
    words = [set(stems(A.body)), set(stems(B.body))]
    seen = {(0, c.a.sentence, 1, c.b.sentence) for c in _candidates()}
    assert restated.sentence_pairs(claims, [pa.vectors, pb.vectors], words, seen) == []


def test_restated_model_ships_with_its_features_and_threshold() -> None:
    loaded = restated.load_model()
    assert loaded is not None
    model, threshold = loaded
    assert tuple(model.features) == restated.FEATURE_NAMES
    assert 0.0 < threshold < 1.0
    assert model.predict(np.zeros((1, len(restated.FEATURE_NAMES)))).shape == (1,)


def test_restated_without_a_model_file_adds_nothing(tmp_path: Path) -> None:
    assert restated.load_model(tmp_path / "absent.json") is None
