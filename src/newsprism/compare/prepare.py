"""One article made ready for comparison: its analysis, sentence vectors, quotes and credits.

Preparing is the expensive part of a comparison (the analysis' NER and one embedding per
sentence), so it is done once per article: a story of 20 articles prepares 20 articles, not 380
sides of 190 pairs. Sentence vectors are L2-normalised rows, one per analysis sentence (the first
:data:`MAX_SENTENCES`), so two articles' sentence cosines are one matrix product.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

import numpy as np

from newsprism.analyze.model import Analysis
from newsprism.compare.origin import credited_agencies
from newsprism.compare.reuse import Tokens, tokenize
from newsprism.compare.spans import quote_spans
from newsprism.errors import InputError
from newsprism.model import PARAGRAPH_SEPARATOR, Article, article_id

logger = logging.getLogger(__name__)

#: Sentences per article that are embedded, aligned and read for facts (about 6,000 words).
#: Reuse and agency credits still read the whole body.
MAX_SENTENCES = 300
#: Characters of body given to the analyzer (spaCy refuses texts over 1,000,000 characters and
#: takes about 1 s per 6,000 words); longer bodies are cut at a paragraph break.
MAX_ANALYSIS_CHARS = 60_000


@runtime_checkable
class SentenceEncoder(Protocol):
    """Anything that turns texts into L2-normalised vectors (``Embedder`` fits)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text."""
        ...


@runtime_checkable
class ArticleAnalyzerLike(Protocol):
    """Anything with ``analyze(article) -> Analysis`` (``newsprism.analyze`` analyzers fit)."""

    def analyze(self, article: Article) -> Analysis:
        """Analyse one article."""
        ...


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """One article ready for comparison.

    Attributes:
        article: the article.
        analysis: its analysis (of the first :data:`MAX_ANALYSIS_CHARS` of long bodies).
        vectors: one L2-normalised row per sentence of ``sentences``.
        quotes: quotation spans in the body (merged, sorted).
        agencies: wire agencies the article credits.
        notes: what was cut or skipped.
        tokens: the body's words for reuse detection (tokenised once).
    """

    article: Article
    analysis: Analysis
    vectors: np.ndarray
    quotes: tuple[tuple[int, int], ...]
    agencies: tuple[str, ...]
    notes: tuple[str, ...] = ()
    tokens: Tokens | None = None

    @property
    def sentences(self) -> list[str]:
        """Texts of the sentences that were embedded (the first :data:`MAX_SENTENCES`)."""
        return [s.text for s in self.analysis.sentences[: len(self.vectors)]]

    def summary(self) -> dict[str, Any]:
        """Id, title, outlet and date of the article."""
        return self.article.summary()


def as_article(item: Article | str) -> Article:
    """An :class:`Article` from an article or a text (first line = title when more follows).

    Raises:
        InputError: (``not_text``) neither; (``empty``) no words at all.
    """
    if isinstance(item, Article):
        article = item
    elif isinstance(item, str):
        head, sep, rest = item.strip().partition("\n")
        title, body = (
            (head.strip(), rest) if sep and rest.strip() and len(head) <= 300 else ("", item)
        )
        paragraphs = tuple(" ".join(p.split()) for p in body.split("\n\n") if p.strip())
        article = Article(
            id=article_id(None, title, PARAGRAPH_SEPARATOR.join(paragraphs)),
            title=title,
            paragraphs=paragraphs,
        )
    else:
        raise InputError("not_text", f"expected an Article or a str, got {type(item).__name__}")
    if not any(c.isalnum() for c in article.title) and not any(
        any(c.isalnum() for c in p) for p in article.paragraphs
    ):
        raise InputError("empty", f"article {article.id} is empty: it holds no words to compare")
    return article


def cut_for_analysis(article: Article, max_chars: int = MAX_ANALYSIS_CHARS) -> tuple[Article, bool]:
    """The article with its body cut at the last paragraph break before ``max_chars``.

    Offsets stay valid: the cut body is a prefix of the full one. Returns the article and
    whether it was cut.
    """
    if len(article.body) <= max_chars:
        return article, False
    kept: list[str] = []
    size = 0
    for p in article.paragraphs:
        extra = len(p) + (len(PARAGRAPH_SEPARATOR) if kept else 0)
        if size + extra > max_chars:
            break
        kept.append(p)
        size += extra
    if not kept:  # one enormous paragraph: cut inside it
        kept = [article.paragraphs[0][:max_chars]]
    return replace(article, paragraphs=tuple(kept)), True


def prepare(
    article: Article,
    analyzer: ArticleAnalyzerLike,
    encoder: SentenceEncoder | None,
    *,
    analysis: Analysis | None = None,
    max_sentences: int = MAX_SENTENCES,
) -> Prepared:
    """Analyse (unless ``analysis`` is given), embed the sentences, find quotes and credits.

    Args:
        article: the article.
        analyzer: used when no analysis is given.
        encoder: sentence embedder; ``None`` leaves ``vectors`` empty (no alignment).
        analysis: a stored analysis of this article, to skip the analyzer.
        max_sentences: sentences embedded.

    Returns:
        The :class:`Prepared` article.
    """
    notes: list[str] = []
    cut, was_cut = cut_for_analysis(article)
    if analysis is None or analysis.article_id != article.id:
        analysis = analyzer.analyze(cut)
    if was_cut and (not analysis.sentences or analysis.sentences[-1].end <= len(cut.body)):
        notes.append(
            f"article {article.id}: only the first {len(cut.body):,} of {len(article.body):,} "
            "characters were analysed (facts, alignment, framing); reuse read it all"
        )
    sentences = [s.text for s in analysis.sentences[:max_sentences]]
    if len(analysis.sentences) > max_sentences:
        notes.append(
            f"article {article.id}: only the first {max_sentences} of "
            f"{len(analysis.sentences)} sentences were aligned"
        )
    if encoder is not None and sentences:
        vectors = np.asarray(encoder.encode(sentences), dtype=np.float32)
    else:
        vectors = np.zeros((len(sentences), 0), dtype=np.float32)  # no model: cosines all 0
    quotes = quote_spans(
        article.body,
        [
            (a.quote_start, a.quote_end)
            for a in analysis.attributions
            if a.quote_start is not None and a.quote_end is not None
        ],
    )
    tokens = tokenize(article.body)
    return Prepared(
        article=article,
        analysis=analysis,
        vectors=vectors,
        quotes=tuple(quotes),
        agencies=credited_agencies(article.body, analysis.agencies, tokens),
        notes=tuple(notes),
        tokens=tokens,
    )
