"""The models a comparison uses, loaded on first use, with fallbacks when one is not installed.

* analyzer: :class:`newsprism.analyze.analyzer.Analyzer` (sentences, entities, times, figures,
  attributions); without it, sentences only.
* sentence embedder: MiniLM (:class:`~newsprism.represent.embedding.Embedder`) behind a
  :class:`~newsprism.compare.matching.CachingEncoder`, shared by every model below, so a sentence
  is embedded once however many pairs it takes part in.
* paraphrase model: :class:`~newsprism.compare.paraphrase.Paraphraser`; without its fitted
  coefficients, the MiniLM cosine alone decides (note added to results).
* similarity model: :class:`~newsprism.compare.similarity.Similarity`; without its coefficients
  the seven dimensions are left out (note added).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from newsprism.analyze.model import Analysis
from newsprism.compare.base import AlignedPair, PairSimilarity
from newsprism.compare.linking import claim_links
from newsprism.compare.matching import CachingEncoder, align_vectors, one_to_one
from newsprism.compare.prepare import Prepared, cut_for_analysis
from newsprism.compare.reuse import ReusedPassage
from newsprism.errors import ConfigError, InputError, MissingDependency
from newsprism.model import Article

logger = logging.getLogger(__name__)

#: Texts per embedding batch and embedding threads (see :attr:`Models.encoder`).
EMBED_BATCH = 8
EMBED_WORKERS = 2


class Models:
    """The comparison's models; each is built on first use.

    Args:
        analyzer: anything with ``analyze(article)`` (and optionally ``analyze_many``);
            default: the full analyzer.
        embedder: anything with ``encode(texts)``; default: MiniLM. ``False``: no embeddings
            (alignment by reuse only).
        paraphraser: a :class:`~newsprism.compare.paraphrase.Paraphraser`; default: the
            shipped model on the shared embedder. ``False``: cosine only.
        similarity: a :class:`~newsprism.compare.similarity.Similarity`; default: the shipped
            model on the shared embedder. ``False``: no similarity dimensions.
        cache_size: sentence vectors remembered.
        workers: threads embedding at once (one per core; see
            :class:`~newsprism.compare.matching.CachingEncoder`).
    """

    def __init__(
        self,
        *,
        analyzer: Any = None,
        embedder: Any = None,
        paraphraser: Any = None,
        similarity: Any = None,
        cache_size: int = 50_000,
        workers: int = EMBED_WORKERS,
    ) -> None:
        if analyzer is not None and not hasattr(analyzer, "analyze"):
            raise ConfigError(
                f"analyzer: expected an object with analyze(article), got {type(analyzer).__name__}"
            )
        if embedder not in (None, False) and not hasattr(embedder, "encode"):
            raise ConfigError(
                "embedder: expected an object with encode(texts) or False, "
                f"got {type(embedder).__name__}"
            )
        if isinstance(cache_size, bool) or not isinstance(cache_size, int) or cache_size < 1:
            raise ConfigError(f"cache_size: expected a positive integer, got {cache_size!r}")
        self._analyzer = analyzer
        self._embedder = embedder
        self._paraphraser = paraphraser
        self._similarity = similarity
        if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 64:
            raise ConfigError(f"workers: expected an integer in [1, 64], got {workers!r}")
        self.cache_size = cache_size
        self.workers = workers
        self._encoder: CachingEncoder | None = None
        self._lock = threading.RLock()
        self.notes: list[str] = []

    def _note(self, text: str) -> None:
        if text not in self.notes:
            logger.info("%s", text)
            self.notes.append(text)

    @property
    def analyzer(self) -> Any:
        """The analyzer (built on first use)."""
        with self._lock:
            if self._analyzer is None:
                try:
                    from newsprism.analyze.analyzer import Analyzer
                except ImportError:
                    from newsprism.analyze.base import NullAnalyzer

                    self._note("no analyzer installed: sentences only (no figures, dates, voices)")
                    self._analyzer = NullAnalyzer()
                else:
                    self._analyzer = Analyzer()
            return self._analyzer

    @property
    def encoder(self) -> CachingEncoder | None:
        """The shared, caching sentence embedder (None when embeddings are off)."""
        with self._lock:
            if self._embedder is False:
                return None
            if self._encoder is None:
                if self._embedder is None:
                    from newsprism.represent.embedding import Embedder

                    # One ONNX thread per call, two calls at a time (CachingEncoder workers):
                    # batches of 8 cost less CPU per sentence than 32 on one thread (2.05 vs
                    # 2.48 s per 200 sentences on the 2-core reference machine).
                    self._embedder = Embedder(batch_size=EMBED_BATCH, threads=1)
                self._encoder = CachingEncoder(
                    self._embedder, self.cache_size, workers=self.workers
                )
            return self._encoder

    @property
    def paraphraser(self) -> Any:
        """The paraphrase model, or None (cosine only) when off or not installed."""
        with self._lock:
            if self._paraphraser is None and self.encoder is not None:
                self._paraphraser = self._build("paraphrase", "Paraphraser")
            return self._paraphraser or None

    def _build(self, module: str, name: str) -> Any:
        try:
            mod = __import__(f"newsprism.compare.{module}", fromlist=[name])
            model = getattr(mod, name)(embedder=self.encoder)
            if module == "paraphrase":
                model.cut  # noqa: B018 - loads the coefficients now, so a missing file shows here
            else:
                model.models  # noqa: B018
        except (ImportError, AttributeError, ConfigError, MissingDependency, OSError) as exc:
            self._note(
                f"{module} model unavailable ({exc}); "
                + (
                    "sentence cosine used instead"
                    if module == "paraphrase"
                    else "no similarity scores"
                )
            )
            return False
        return model

    def similarity_of(self, a: Article, b: Article, notes: list[str]) -> PairSimilarity | None:
        """The seven dimensions of a pair, or None when the model is off or missing.

        Args:
            a, b: the articles.
            notes: where a failure is noted.
        """
        with self._lock:
            if self._similarity is None:
                self._similarity = (
                    self._build("similarity", "Similarity") if self.encoder else False
                )
        if not self._similarity:
            return None
        try:
            return self._similarity.compare(a, b)  # type: ignore[no-any-return]
        except InputError as exc:
            notes.append(f"similarity: {exc}")
            return None

    def similarity_texts(self, articles: Sequence[Article]) -> list[str]:
        """The texts the similarity model will embed for these articles (text, title, first
        sentences), so they can go through the embedder in one batch with everything else."""
        if self._similarity is False or self.encoder is None:
            return []
        try:
            from newsprism.compare.text import view

            limit = int(getattr(self._similarity, "max_sentences", 30) or 30)
            out: list[str] = []
            for article in articles:
                v = view(article)
                out += [v.text, v.title or v.sentences[0], *v.sentences[:limit]]
            return out
        except (ImportError, InputError, AttributeError, IndexError):  # only a speed-up
            return []

    def analyze_many(self, articles: Sequence[Article]) -> dict[str, Analysis]:
        """Analyses of articles (long bodies cut), batched when the analyzer can."""
        cut = [cut_for_analysis(a)[0] for a in articles]
        analyzer = self.analyzer
        if hasattr(analyzer, "analyze_many"):
            results = list(analyzer.analyze_many(cut))
        else:
            results = [analyzer.analyze(a) for a in cut]
        return {a.id: r for a, r in zip(articles, results)}

    def warm(self, texts: Iterable[str]) -> None:
        """Embed texts into the cache in one call (batches sort by length across articles)."""
        encoder = self.encoder
        if encoder is not None:
            items = list(dict.fromkeys(texts))
            if items:
                encoder.encode(items)

    def links(
        self, pa: Prepared, pb: Prepared, passages: Sequence[ReusedPassage]
    ) -> list[AlignedPair]:
        """Sentence pairs that may state the same claim (see :func:`.linking.claim_links`)."""
        return claim_links(pa, pb, passages, self.paraphraser)

    def paraphrases(self, pa: Prepared, pb: Prepared) -> list[AlignedPair]:
        """One-to-one aligned paraphrases in A's order (see ``Paraphraser.align``)."""
        sa, sb = pa.sentences, pb.sentences
        if not sa or not sb or not pa.vectors.shape[1]:
            return []
        para = self.paraphraser
        if para is not None:
            return list(para.align(sa, sb))
        pairs = one_to_one(align_vectors(sa, sb, pa.vectors, pb.vectors))
        return [p for p in pairs if p.paraphrase]
