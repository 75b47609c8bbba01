"""Reused text: passages two articles share verbatim or nearly so, and where they likely came from.

How: both bodies become word tokens (folded: no accents, lower case) with character offsets. Every
run of :attr:`ReuseOptions.ngram` words of B is indexed; each run of A found there is a *seed*.
Seeds on one diagonal (same offset between A and B) chain into runs, runs chain across small gaps
(a changed, added or dropped word), and each chain is extended word by word at both ends,
accepting near-equal words ("Andalou" / "Anadolu") and a single changed word when the next two
agree. Chains of at least :attr:`ReuseOptions.min_words` words on both sides are reported, with
character spans into each ``Article.body``.

The work is linear in the length of the two texts (an n-gram occurring more than
:attr:`ReuseOptions.max_occurrences` times in B is no seed), so a 200,000-word article is fine.

A passage lying mostly inside quotation marks is ``kind="quote"`` (two outlets quoting the same
person), otherwise ``"reporting"`` (copied prose). Where the shared text came from is
:mod:`newsprism.compare.origin`'s business.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from newsprism.compare.spans import covered, merge_spans, quote_spans
from newsprism.errors import ConfigError

logger = logging.getLogger(__name__)

_WORD = re.compile(r"\w+(?:['’]\w+)*")
# Near-equal words: rapidfuzz ratio >= 70 joins a transposition typo of a 7-letter name
# ("andalou"/"anadolu" scores 71.4) while different short words ("said"/"says" 75 but under the
# 5-letter minimum) stay apart.
_FUZZY_WORD_RATIO = 70.0
_FUZZY_WORD_MIN_LEN = 5


@dataclass(frozen=True, slots=True)
class ReuseOptions:
    """Settings of :func:`find_reuse`.

    Args:
        ngram: words per seed. 4 finds reuse broken by every fifth word changed and is rare by
            chance in news prose.
        min_words: shortest passage reported (both sides). Calibrated on the 5,568 same-story
            document pairs of ECB+ (different outlets): shared runs of 5-6 words are mostly
            stock phrases and names ("in the Gulf of Aden", "the Fish and Wildlife Service");
            from 8 words on they are mostly copied wire sentences ("completed 29 of 34 passes
            for 364 yards and").
        max_gap: words that may differ or be missing between two chained runs.
        max_occurrences: an n-gram seen more often than this in B is too common to seed.
    """

    ngram: int = 4
    min_words: int = 8
    max_gap: int = 3
    max_occurrences: int = 8

    def __post_init__(self) -> None:
        for name, value, low, high in (
            ("ngram", self.ngram, 2, 12),
            ("min_words", self.min_words, 2, 1000),
            ("max_gap", self.max_gap, 0, 20),
            ("max_occurrences", self.max_occurrences, 1, 10_000),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ConfigError(f"{name}: expected an integer in [{low}, {high}], got {value!r}")
        if self.min_words < self.ngram:
            raise ConfigError(
                f"min_words: must be at least ngram ({self.ngram}), got {self.min_words}"
            )


@dataclass(frozen=True, slots=True)
class ReusedPassage:
    """One passage found in both articles.

    Attributes:
        start_a, end_a: ``a.body[start_a:end_a]`` is the passage in A; likewise for B.
        words: word count of the shorter side.
        similarity: character similarity of the two sides in [0, 1] (1 = same words).
        verbatim: the two sides have the same words (case, accents and punctuation aside).
        kind: ``"quote"`` when the passage lies mostly inside quotation marks in either
            article, else ``"reporting"``.
        quoted_a, quoted_b: whether it is inside quotation marks in A, in B.
    """

    start_a: int
    end_a: int
    start_b: int
    end_b: int
    text_a: str
    text_b: str
    words: int
    similarity: float
    verbatim: bool
    kind: str
    quoted_a: bool
    quoted_b: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "a": {"start": self.start_a, "end": self.end_a, "text": self.text_a},
            "b": {"start": self.start_b, "end": self.end_b, "text": self.text_b},
            "words": self.words,
            "similarity": round(self.similarity, 4),
            "verbatim": self.verbatim,
            "kind": self.kind,
            "quoted_a": self.quoted_a,
            "quoted_b": self.quoted_b,
        }


@dataclass(frozen=True, slots=True)
class ReuseReport:
    """Reused text between two articles.

    Attributes:
        passages: the shared passages, in A's order.
        share_a, share_b: fraction of each body's characters inside a passage.
        reporting_share_a, reporting_share_b: the same, counting ``reporting`` passages only.
        agencies_a, agencies_b: wire agencies each article credits.
    """

    passages: tuple[ReusedPassage, ...] = ()
    share_a: float = 0.0
    share_b: float = 0.0
    reporting_share_a: float = 0.0
    reporting_share_b: float = 0.0
    agencies_a: tuple[str, ...] = ()
    agencies_b: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def words(self) -> int:
        """Words in all passages (shorter side of each)."""
        return sum(p.words for p in self.passages)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "passages": [p.to_dict() for p in self.passages],
            "words": self.words,
            "share_a": round(self.share_a, 4),
            "share_b": round(self.share_b, 4),
            "reporting_share_a": round(self.reporting_share_a, 4),
            "reporting_share_b": round(self.reporting_share_b, 4),
            "agencies_a": list(self.agencies_a),
            "agencies_b": list(self.agencies_b),
            "notes": list(self.notes),
        }


@dataclass(slots=True)
class Tokens:
    """Folded words of a text and their character spans (see :func:`tokenize`)."""

    norms: list[str]
    starts: list[int]
    ends: list[int]


def fold_word(word: str) -> str:
    """Compare key of a word: no accents, lower case, one kind of apostrophe."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("’", "'")
    )


def tokenize(text: str) -> Tokens:
    """Folded words of ``text`` with their character spans."""
    out = Tokens([], [], [])
    for m in _WORD.finditer(text):
        out.norms.append(fold_word(m.group(0)))
        out.starts.append(m.start())
        out.ends.append(m.end())
    return out


def _same(x: str, y: str) -> bool:
    if x == y:
        return True
    return (
        len(x) >= _FUZZY_WORD_MIN_LEN
        and len(y) >= _FUZZY_WORD_MIN_LEN
        and fuzz.ratio(x, y) >= _FUZZY_WORD_RATIO
    )


def _seeds(a: list[str], b: list[str], opts: ReuseOptions) -> list[tuple[int, int]]:
    n = opts.ngram
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in range(len(b) - n + 1):
        index[tuple(b[j : j + n])].append(j)
    seeds: list[tuple[int, int]] = []
    for i in range(len(a) - n + 1):
        found = index.get(tuple(a[i : i + n]))
        if found and len(found) <= opts.max_occurrences:
            seeds.extend((i, j) for j in found)
    return seeds


def _runs(seeds: list[tuple[int, int]], opts: ReuseOptions) -> list[list[int]]:
    """Seeds on one diagonal, chained across gaps, as ``[a0, a1, b0, b1]`` word ranges."""
    n = opts.ngram
    runs: list[list[int]] = []
    for i, j in sorted(seeds, key=lambda s: (s[1] - s[0], s[0])):
        last = runs[-1] if runs else None
        if last and last[3] - last[1] == j - i and i - (last[1] - n) <= n + opts.max_gap:
            last[1], last[3] = i + n, j + n
        else:
            runs.append([i, i + n, j, j + n])
    return runs


def _chains(runs: list[list[int]], opts: ReuseOptions) -> list[list[int]]:
    """Runs on nearby diagonals joined where a word was added or dropped."""
    chains: list[list[int]] = []
    active: list[list[int]] = []
    gap = opts.max_gap
    for run in sorted(runs):
        active = [c for c in active if c[1] >= run[0] - gap]
        for chain in active:
            if (
                chain[0] <= run[0]
                and chain[2] <= run[2]
                and run[0] - chain[1] <= gap
                and run[2] - chain[3] <= gap
                and run[1] > chain[1]
                and run[3] > chain[3]
                and abs((run[2] - run[0]) - (chain[2] - chain[0])) <= gap
            ):
                chain[1], chain[3] = run[1], run[3]
                break
        else:
            chain = list(run)
            chains.append(chain)
            active.append(chain)
    return chains


def _extend(chain: list[int], a: list[str], b: list[str]) -> None:
    """Grow a chain at both ends over near-equal words and single changed words."""
    a0, a1, b0, b1 = chain
    while a1 < len(a) and b1 < len(b):
        if _same(a[a1], b[b1]):
            a1, b1 = a1 + 1, b1 + 1
        elif a1 + 2 < len(a) and b1 + 2 < len(b) and a[a1 + 1 : a1 + 3] == b[b1 + 1 : b1 + 3]:
            a1, b1 = a1 + 3, b1 + 3
        else:
            break
    while a0 > 0 and b0 > 0:
        if _same(a[a0 - 1], b[b0 - 1]):
            a0, b0 = a0 - 1, b0 - 1
        elif a0 >= 3 and b0 >= 3 and a[a0 - 3 : a0 - 1] == b[b0 - 3 : b0 - 1]:
            a0, b0 = a0 - 3, b0 - 3
        else:
            break
    chain[:] = [a0, a1, b0, b1]


@dataclass(frozen=True, slots=True)
class _Side:
    text: str
    tokens: Tokens
    quotes: list[tuple[int, int]]


def _passage(chain: list[int], sa: _Side, sb: _Side) -> ReusedPassage:
    a0, a1, b0, b1 = chain
    ta, tb = sa.tokens, sb.tokens
    start_a, end_a = ta.starts[a0], ta.ends[a1 - 1]
    start_b, end_b = tb.starts[b0], tb.ends[b1 - 1]
    words_a, words_b = ta.norms[a0:a1], tb.norms[b0:b1]
    # Half the characters inside quote marks makes a quote: a reused quotation usually carries
    # its attribution ("the army was: ...") on one side of the marks.
    quoted_a = covered(sa.quotes, start_a, end_a) * 2 >= end_a - start_a
    quoted_b = covered(sb.quotes, start_b, end_b) * 2 >= end_b - start_b
    return ReusedPassage(
        start_a=start_a,
        end_a=end_a,
        start_b=start_b,
        end_b=end_b,
        text_a=sa.text[start_a:end_a],
        text_b=sb.text[start_b:end_b],
        words=min(a1 - a0, b1 - b0),
        similarity=fuzz.ratio(" ".join(words_a), " ".join(words_b)) / 100.0,
        verbatim=words_a == words_b,
        kind="quote" if quoted_a or quoted_b else "reporting",
        quoted_a=quoted_a,
        quoted_b=quoted_b,
    )


def find_passages(
    text_a: str,
    text_b: str,
    *,
    quotes_a: Sequence[tuple[int, int]] | None = None,
    quotes_b: Sequence[tuple[int, int]] | None = None,
    options: ReuseOptions | None = None,
    tokens_a: Tokens | None = None,
    tokens_b: Tokens | None = None,
) -> list[ReusedPassage]:
    """Passages of at least ``options.min_words`` words shared by two texts.

    Args:
        text_a, text_b: the two bodies.
        quotes_a, quotes_b: quotation spans (default: :func:`quote_spans` of each text).
        options: seed and chaining settings.
        tokens_a, tokens_b: :func:`tokenize` of each text, when already done.

    Returns:
        Passages sorted by their start in A.
    """
    opts = options or ReuseOptions()
    sa = _Side(
        text_a,
        tokens_a or tokenize(text_a),
        list(quotes_a) if quotes_a is not None else quote_spans(text_a),
    )
    sb = _Side(
        text_b,
        tokens_b or tokenize(text_b),
        list(quotes_b) if quotes_b is not None else quote_spans(text_b),
    )
    chains = _chains(_runs(_seeds(sa.tokens.norms, sb.tokens.norms, opts), opts), opts)
    passages = []
    seen: set[tuple[int, ...]] = set()
    for chain in chains:
        _extend(chain, sa.tokens.norms, sb.tokens.norms)
        key = tuple(chain)
        if key in seen or min(chain[1] - chain[0], chain[3] - chain[2]) < opts.min_words:
            continue
        seen.add(key)
        passages.append(_passage(chain, sa, sb))
    passages.sort(key=lambda p: (p.start_a, p.start_b))
    logger.debug("reuse: %d seeds chains -> %d passages", len(chains), len(passages))
    return passages


def _share(length: int, spans: Iterable[tuple[int, int]]) -> float:
    if length <= 0:
        return 0.0
    return min(1.0, sum(e - s for s, e in merge_spans(spans)) / length)


def reuse_report(
    body_a: str,
    body_b: str,
    passages: Sequence[ReusedPassage],
    agencies_a: Sequence[str] = (),
    agencies_b: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> ReuseReport:
    """Bundle passages with the share of each body they cover and the agencies each credits."""
    reporting = [p for p in passages if p.kind == "reporting"]
    return ReuseReport(
        passages=tuple(passages),
        share_a=_share(len(body_a), ((p.start_a, p.end_a) for p in passages)),
        share_b=_share(len(body_b), ((p.start_b, p.end_b) for p in passages)),
        reporting_share_a=_share(len(body_a), ((p.start_a, p.end_a) for p in reporting)),
        reporting_share_b=_share(len(body_b), ((p.start_b, p.end_b) for p in reporting)),
        agencies_a=tuple(agencies_a),
        agencies_b=tuple(agencies_b),
        notes=tuple(notes),
    )
