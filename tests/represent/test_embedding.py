"""Tests of newsprism.represent.embedding: the MiniLM int8 ONNX embedder (real model, loaded once)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from newsprism.errors import ConfigError
from newsprism.represent.embedding import Embedder, _default_model_file, _shipped_tokenizer


@pytest.fixture(scope="session")
def embedder() -> Iterator[Embedder]:
    emb = Embedder()
    emb.encode(["load the model once for the session"])
    yield emb


def test_embedding_paraphrase_closer_than_unrelated(embedder: Embedder) -> None:
    vecs = embedder.encode(
        [
            "The council approved the new budget on Monday.",
            "On Monday the city council passed its new budget.",
            "A rare orchid was found growing in the mountain forest.",
        ]
    )
    same, other = float(vecs[0] @ vecs[1]), float(vecs[0] @ vecs[2])
    assert same > 0.75
    assert other < 0.3
    assert same - other > 0.5


def test_embedding_rows_are_unit_float32(embedder: Embedder) -> None:
    vecs = embedder.encode(["one", "two words", ""])
    assert vecs.dtype == np.float32
    assert vecs.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_embedding_order_kept_across_length_sorted_batches(embedder: Embedder) -> None:
    texts = ["a much longer sentence about rivers, storms and the harbour " * 3, "short", "medium length text here"]
    together = embedder.encode(texts)
    alone = np.vstack([embedder.encode([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-4)


def test_embedding_empty_list_gives_empty_matrix(embedder: Embedder) -> None:
    assert embedder.encode([]).shape == (0, 384)


def test_embedding_refuses_a_single_string(embedder: Embedder) -> None:
    with pytest.raises(ConfigError, match="single str"):
        embedder.encode("not a list")  # type: ignore[arg-type]


def test_embedding_long_text_is_cut_and_fast(embedder: Embedder) -> None:
    huge = " ".join(["election"] * 200_000)
    start = time.perf_counter()
    vec = embedder.encode([huge])
    assert time.perf_counter() - start < 5.0
    assert vec.shape == (1, 384)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"max_tokens": 2}, "max_tokens"), ({"batch_size": 0}, "batch_size"), ({"threads": "2"}, "threads")],
)
def test_embedding_invalid_parameters_name_the_parameter(kwargs: dict[str, object], name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Embedder(**kwargs)  # type: ignore[arg-type]


def test_embedding_loads_lazily() -> None:
    emb = Embedder(model_path="/nonexistent/model.onnx")
    assert not emb.loaded  # a bad path is only found on first use
    with pytest.raises(ConfigError, match="does not exist"):
        emb.encode(["x"])


def test_embedding_folder_without_tokenizer_says_so(tmp_path: Path) -> None:
    (tmp_path / "model.onnx").write_bytes(b"")
    with pytest.raises(ConfigError, match="tokenizer"):
        Embedder(model_path=tmp_path).encode(["x"])


def test_embedding_folder_without_onnx_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no \\*.onnx"):
        Embedder(model_path=tmp_path).encode(["x"])


def test_embedding_custom_folder_gives_same_vectors(tmp_path: Path, embedder: Embedder) -> None:
    (tmp_path / "model.onnx").symlink_to(_default_model_file())
    (tmp_path / "tokenizer.json").symlink_to(_shipped_tokenizer())
    custom = Embedder(model_path=tmp_path, threads=1)
    text = ["Swapping the model folder keeps the same vectors."]
    np.testing.assert_allclose(custom.encode(text), embedder.encode(text), atol=1e-5)


def test_embedding_broken_onnx_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "model.onnx").write_bytes(b"not an onnx graph")
    (tmp_path / "tokenizer.json").symlink_to(_shipped_tokenizer())
    with pytest.raises(ConfigError, match="not a loadable ONNX model"):
        Embedder(model_path=tmp_path).encode(["x"])
