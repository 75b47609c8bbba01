"""Compare two articles: similarity, reused text, aligned paraphrases, facts, conflicts, framing.

:class:`Comparer` owns the models (analyzer, sentence embedder behind a cache, paraphrase and
similarity models) and loads them on first use; :func:`compare` uses a process-wide default.
Each article is *prepared* once (:mod:`newsprism.compare.prepare`); every later step reads
the prepared form, so a story of n articles costs n analyses and n sets of sentence embeddings,
not one per pair.

Example::

    result = compare(article_a, article_b)
    result.reuse.share_a, [f.text for f in result.facts.only(article_a.id)]
    print(json.dumps(result.to_dict()))
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from newsprism.analyze.model import Analysis
from newsprism.analyze.sentences import segment
from newsprism.compare.base import AlignedPair, PairSimilarity
from newsprism.compare.facts import FactReport, fact_report
from newsprism.compare.framing import FramingContrast, contrast, frame
from newsprism.compare.models import Models
from newsprism.compare.origin import Origin, likely_origin
from newsprism.compare.prepare import MAX_SENTENCES, Prepared, as_article, cut_for_analysis, prepare
from newsprism.compare.reuse import ReuseOptions, ReuseReport, find_passages, reuse_report
from newsprism.compare.wire import WireReport, wire_reports
from newsprism.errors import ConfigError
from newsprism.model import Article

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything newsprism can say about how two articles relate.

    Attributes:
        a, b: the articles.
        similarity: the seven SemEval dimensions (None when the model is not installed).
        reuse: passages shared verbatim or nearly so.
        origin: the likely origin of what they share.
        paraphrases: sentence pairs saying the same thing, one-to-one, in A's order.
        facts: claims reported by both, by one only, and conflicts.
        framing: headline focus, loaded terms and voices side by side.
        wire: per wire agency both credit, the shared facts and passages near its credits.
        notes: caveats (same article, languages, cut texts, missing models).
    """

    a: Article
    b: Article
    similarity: PairSimilarity | None
    reuse: ReuseReport
    origin: Origin
    paraphrases: tuple[AlignedPair, ...]
    facts: FactReport
    framing: FramingContrast
    wire: tuple[WireReport, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def conflicts(self) -> tuple[Any, ...]:
        """The facts' conflicts."""
        return self.facts.conflicts

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (the ``--json`` output)."""
        return {
            "a": self.a.summary(),
            "b": self.b.summary(),
            "similarity": None if self.similarity is None else self.similarity.to_dict(),
            "reuse": self.reuse.to_dict(),
            "origin": self.origin.to_dict(),
            "paraphrases": [p.to_dict() for p in self.paraphrases],
            "facts": self.facts.to_dict(),
            "framing": self.framing.to_dict(),
            "wire": [w.to_dict() for w in self.wire],
            "notes": list(self.notes),
        }


class Comparer:
    """Compares articles; holds the models, which load on first use.

    Args:
        models: the analyzer, embedder, paraphrase and similarity models (default: the shipped
            ones, see :class:`~newsprism.compare.models.Models`).
        reuse: reused-text settings.
        max_sentences: sentences per article embedded, aligned and read for facts.

    Raises:
        ConfigError: a parameter is out of range.
    """

    def __init__(
        self,
        models: Models | None = None,
        *,
        reuse: ReuseOptions | None = None,
        max_sentences: int = MAX_SENTENCES,
    ) -> None:
        if (
            isinstance(max_sentences, bool)
            or not isinstance(max_sentences, int)
            or not 1 <= max_sentences <= 10_000
        ):
            raise ConfigError(
                f"max_sentences: expected an integer in [1, 10000], got {max_sentences!r}"
            )
        self.models = models or Models()
        self.reuse_options = reuse or ReuseOptions()
        self.max_sentences = max_sentences

    def prepare(self, article: Article | str, analysis: Analysis | None = None) -> Prepared:
        """Analyse and embed one article (see :func:`~newsprism.compare.prepare.prepare`)."""
        return prepare(
            as_article(article),
            self.models.analyzer,
            self.models.encoder,
            analysis=analysis,
            max_sentences=self.max_sentences,
        )

    def compare(
        self,
        a: Article | str,
        b: Article | str,
        *,
        analyses: Mapping[str, Analysis] | None = None,
    ) -> Comparison:
        """Compare two articles.

        Args:
            a, b: articles, or texts whose first short line is the title.
            analyses: stored analyses by article id (skips the analyzer for those).

        Returns:
            The :class:`Comparison`.

        Raises:
            InputError: an article is empty (reason ``empty``) or not text.
        """
        art_a, art_b = as_article(a), as_article(b)
        if art_a.id == art_b.id:
            [pa] = self.prepare_many([art_a], analyses)
            return self.compare_prepared(pa, pa)
        pa, pb = self.prepare_many([art_a, art_b], analyses)
        return self.compare_prepared(pa, pb)

    def prepare_many(
        self, articles: Sequence[Article], analyses: Mapping[str, Analysis] | None = None
    ) -> list[Prepared]:
        """Prepare articles together: one analyzer batch for those without a stored analysis,
        one embedding call for all their sentences (and the similarity model's texts).

        The analyzer splits bodies into sentences with :func:`~newsprism.analyze.sentences.segment`
        before anything else, so the sentences are known up front: they are embedded in a
        second thread while the analyzer runs (ONNX Runtime and spaCy's matrix code leave the
        interpreter lock), which hides most of the analysis time behind the embedding.
        """
        known = dict(analyses or {})
        missing = [a for a in articles if a.id not in known or known[a.id].article_id != a.id]
        texts = [
            s.text
            for a in articles
            if a not in missing
            for s in known[a.id].sentences[: self.max_sentences]
        ]
        texts += [
            s.text
            for a in missing
            for s in segment(cut_for_analysis(a)[0].body)[: self.max_sentences]
        ]
        texts += self.models.similarity_texts(articles)
        if missing and self.models.encoder is not None:
            with ThreadPoolExecutor(max_workers=1) as pool:
                embedding = pool.submit(self.models.warm, texts)
                known.update(self.models.analyze_many(missing))
                embedding.result()
        else:
            self.models.warm(texts)
        return [self.prepare(a, known[a.id]) for a in articles]

    def compare_prepared(
        self, pa: Prepared, pb: Prepared, *, similarity: bool = True
    ) -> Comparison:
        """Compare two prepared articles (the story comparison reuses preparations)."""
        notes = [*pa.notes, *pb.notes]
        if pa.article.id == pb.article.id:
            notes.append("A and B are the same article: everything is shared")
        la, lb = pa.analysis.language, pb.analysis.language
        if la and lb and la != lb:
            notes.append(
                f"the articles are in different languages ({la}, {lb}): reuse and "
                "paraphrase alignment are unreliable across languages"
            )
        sim = self.models.similarity_of(pa.article, pb.article, notes) if similarity else None
        passages = find_passages(
            pa.article.body,
            pb.article.body,
            quotes_a=pa.quotes,
            quotes_b=pb.quotes,
            options=self.reuse_options,
            tokens_a=pa.tokens,
            tokens_b=pb.tokens,
        )
        reuse = reuse_report(pa.article.body, pb.article.body, passages, pa.agencies, pb.agencies)
        links = self.models.links(pa, pb, passages)
        paraphrases = tuple(self.models.paraphrases(pa, pb))
        facts = fact_report(
            [pa.article, pb.article],
            [pa.analysis, pb.analysis],
            {(0, 1): links},
            [pa.vectors, pb.vectors],
        )
        shared = bool(passages) or any(p.paraphrase for p in links)
        return Comparison(
            a=pa.article,
            b=pb.article,
            similarity=sim,
            reuse=reuse,
            origin=likely_origin(pa.article, pb.article, pa.agencies, pb.agencies, shared=shared),
            paraphrases=paraphrases,
            facts=facts,
            framing=contrast(frame(pa.article, pa.analysis), frame(pb.article, pb.analysis)),
            wire=tuple(wire_reports([pa, pb], facts, {(0, 1): passages})),
            notes=tuple(dict.fromkeys(notes + list(self.models.notes))),
        )


_DEFAULT_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _default() -> Comparer:
    return Comparer()


def default_comparer() -> Comparer:
    """The process-wide :class:`Comparer` used when none is passed (created on first call)."""
    with _DEFAULT_LOCK:
        return _default()


def compare(
    a: Article | str,
    b: Article | str,
    *,
    comparer: Comparer | None = None,
    analyses: Mapping[str, Analysis] | None = None,
) -> Comparison:
    """Compare two articles: similarity, reuse, paraphrases, facts and conflicts, framing.

    Args:
        a, b: articles, or texts whose first short line is the title.
        comparer: a configured :class:`Comparer`; default: :func:`default_comparer`.
        analyses: stored analyses by article id.

    Returns:
        The :class:`Comparison`.

    Raises:
        InputError: an article is empty (reason ``empty``) or not text.
    """
    return (comparer or default_comparer()).compare(a, b, analyses=analyses)
