"""Tests of newsprism.compare.similarity: seven-dimension scores of article pairs (real model)."""

from __future__ import annotations

import csv
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from newsprism.compare.base import DIMENSIONS
from newsprism.compare.features import FEATURE_NAMES
from newsprism.compare.similarity import (
    DEFAULT_MODEL_PATH,
    Similarity,
    fit,
    load_models,
    predict,
    similarity_csv,
)
from newsprism.errors import ConfigError, InputError
from newsprism.model import Article

from .conftest import CHESS, STORM_A, STORM_B, STORM_DE


def test_similarity_same_story_scores_more_alike_than_unrelated(similarity_model: Similarity) -> None:
    same = similarity_model.compare(STORM_A, STORM_B)
    other = similarity_model.compare(STORM_A, CHESS)
    assert same.overall < 2.0
    assert other.overall > 3.0
    for dim in ("overall", "entities", "narrative"):
        assert same[dim] < other[dim], dim


def test_similarity_scores_in_range_with_reasons(similarity_model: Similarity) -> None:
    result = similarity_model.compare(STORM_A, CHESS)
    assert [d.name for d in result.dimensions] == list(DIMENSIONS)
    for dim in result.dimensions:
        assert 1.0 <= dim.score <= 4.0
        assert dim.reason
    assert set(result.features) == set(FEATURE_NAMES)
    assert result.languages == ("en", "en")


def test_similarity_reasons_name_shared_entities_and_places(similarity_model: Similarity) -> None:
    result = similarity_model.compare(STORM_A, STORM_B)
    reasons = {d.name: d.reason for d in result.dimensions}
    assert "Clara Voss" in reasons["entities"]
    assert "Bergen" in reasons["geography"]
    assert "3000" in reasons["narrative"]


def test_similarity_identical_texts_score_one(similarity_model: Similarity) -> None:
    result = similarity_model.compare(STORM_A, STORM_A)
    assert result.scores() == dict.fromkeys(DIMENSIONS, 1.0)
    assert any("identical" in note for note in result.notes)


def test_similarity_near_copy_scores_near_one(similarity_model: Similarity) -> None:
    retitled = "Harbour closed by storm\n" + STORM_A.split("\n", 1)[1]
    assert similarity_model.compare(STORM_A, retitled).overall < 1.5


def test_similarity_empty_text_is_a_clear_error(similarity_model: Similarity) -> None:
    with pytest.raises(InputError, match="empty") as info:
        similarity_model.compare(STORM_A, "   \n  ")
    assert info.value.reason == "empty"


def test_similarity_non_text_input_is_refused(similarity_model: Similarity) -> None:
    with pytest.raises(InputError):
        similarity_model.compare(STORM_A, 42)  # type: ignore[arg-type]


def test_similarity_huge_text_is_cut_and_fast(similarity_model: Similarity) -> None:
    huge = "Storm news\n" + " ".join(STORM_B.split("\n")[1].split() * 4000)  # ~200,000 words
    start = time.perf_counter()
    result = similarity_model.compare(STORM_A, huge)
    assert time.perf_counter() - start < 10.0
    assert any("cut" in note for note in result.notes)
    assert 1.0 <= result.overall <= 4.0


def test_similarity_two_languages_are_scored_with_a_note(similarity_model: Similarity) -> None:
    result = similarity_model.compare(STORM_A, STORM_DE)
    assert result.languages == ("en", "de")
    assert any("different languages" in note for note in result.notes)
    assert all(1.0 <= s <= 4.0 for s in result.scores().values())
    assert "Clara Voss" in result.dimensions[DIMENSIONS.index("entities")].reason


def test_similarity_articles_report_publication_gap(similarity_model: Similarity) -> None:
    def article(text: str, day: int) -> Article:
        title, body = text.split("\n", 1)
        return Article(id=f"a{day}", title=title, paragraphs=(body,), published=datetime(2026, 3, day, tzinfo=UTC))

    result = similarity_model.compare(article(STORM_A, 3), article(STORM_B, 5))
    assert "2.0 days apart" in result.dimensions[DIMENSIONS.index("time")].reason
    assert result.to_dict()["scores"]["overall"] == round(result.overall, 3)


def test_similarity_csv_writes_scores_and_reports_failures(similarity_model: Similarity, tmp_path: Path) -> None:
    src, out = tmp_path / "pairs.csv", tmp_path / "scores.csv"
    with src.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pair_id", "text1", "text2"])
        writer.writerows([["p1", STORM_A, STORM_B], ["p2", STORM_A, ""], ["p3", STORM_A, CHESS]])
    report = similarity_csv(src, out, comparer=similarity_model)
    assert report.written == 3
    assert [pid for pid, _ in report.failed] == ["p2"]
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["pair_id", *DIMENSIONS]
    assert rows[1]["overall"] == ""
    assert float(rows[0]["overall"]) < float(rows[2]["overall"])


def test_similarity_csv_missing_column_is_an_input_error(similarity_model: Similarity, tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("id,text1,text2\nx,a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="pair_id"):
        similarity_csv(src, tmp_path / "out.csv", comparer=similarity_model)


def test_similarity_stale_model_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "similarity.json"
    data = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    data["dimensions"]["overall"]["free"]["features"][0] = "renamed"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="other features"):
        load_models(path)
    with pytest.raises(ConfigError, match="kind"):
        path.write_text("{}")
        load_models(path)


def test_similarity_invalid_parameters_name_the_parameter() -> None:
    with pytest.raises(ConfigError, match="max_sentences"):
        Similarity(max_sentences=0)
    with pytest.raises(ConfigError, match="max_chars"):
        Similarity(max_chars=5)


def test_similarity_fit_is_monotone_guarded_on_synthetic_data() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 0.6, size=(300, len(FEATURE_NAMES)))
    y = np.clip(4 - 4 * x[:, :3].mean(axis=1) + rng.normal(0, 0.2, size=300), 1, 4)
    models = fit(x, np.column_stack([y] * len(DIMENSIONS)))
    top = predict(models, np.ones((1, len(FEATURE_NAMES))))  # beyond the training range
    assert top.shape == (1, len(DIMENSIONS))
    assert np.all(top <= 1.0 + 0.2)
