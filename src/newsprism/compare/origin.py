"""Who is credited, and where shared text most likely came from.

:func:`credited_agencies` lists the wire agencies an article credits: those the analysis found in
its attributions, then a fallback over the body for credits the analysis missed: each agency's
names from the knowledge base (:mod:`newsprism.analyze.kb`), matched exactly for capitalised
acronyms ("AP", "AFP") and fuzzily for longer names ("Andalou Agency" for "Anadolu Agency"), in a
sentence that reads like a credit (told, said, quoted, reported, according to ...).

:func:`likely_origin` picks the agency both articles credit, else the earlier article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from newsprism.compare.reuse import Tokens, tokenize
from newsprism.model import Article

# Fuzzy agency names: "andalou agency" scores 85.7 against "anadolu agency", "anatolia agency"
# 82.8 (an old English name of the same agency); unrelated two-word names in the knowledge base
# ("syrian arab army" / "syrian arab news agency") stay under 80.
_NAME_RATIO = 82.0
# A credit names the agency near a reporting verb or in a dateline-like bracket.
_CREDIT_CUE = re.compile(
    r"\b(?:told|tells|said|says|say|quoted|quoting|cited|citing|reported|reports|reporting|"
    r"according\s+to|via|contributed|contributing|wrote|writes|stated|confirmed|agency)\b"
    r"|\((?:[A-Z][\w.-]*\s*){1,3}\)|\s[-\u2013\u2014]\s",
    re.IGNORECASE,
)
_CUE_WINDOW = 160
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]{0,1}[A-Z]{1,5}$|^dpa$")


@dataclass(frozen=True, slots=True)
class _AgencyTable:
    acronyms: re.Pattern[str] | None
    acronym_names: dict[str, str]
    by_prefix: dict[str, list[tuple[str, int, str]]]  # 2-letter prefix -> (name, words, canonical)


@lru_cache(maxsize=1)
def _agency_table() -> _AgencyTable:
    """The wire agencies' names from the knowledge base, indexed for one pass over a text."""
    try:
        from newsprism.analyze.kb import ORGANISATIONS, WIRE_AGENCIES
    except ImportError:  # analysis stage absent: a few big agencies still get found
        WIRE_AGENCIES = frozenset(
            {"Anadolu Agency", "Associated Press", "Reuters", "Agence France-Presse"}
        )
        ORGANISATIONS = {
            "Anadolu Agency": (("Anadolu",), None),
            "Associated Press": (("AP",), None),
            "Reuters": ((), None),
            "Agence France-Presse": (("AFP", "Agence France Presse"), None),
        }
    acronym_names: dict[str, str] = {}
    by_prefix: dict[str, list[tuple[str, int, str]]] = {}
    for canonical in sorted(WIRE_AGENCIES):
        for name in (canonical, *ORGANISATIONS.get(canonical, ((), None))[0]):
            if _ACRONYM.match(name):
                acronym_names.setdefault(name, canonical)
                continue
            folded = " ".join(tokenize(name).norms)
            entry = (folded, len(folded.split()), canonical)
            if entry not in by_prefix.setdefault(folded[:2], []):
                by_prefix[folded[:2]].append(entry)
    pattern = None
    if acronym_names:
        alternation = "|".join(re.escape(n) for n in sorted(acronym_names, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    return _AgencyTable(pattern, acronym_names, by_prefix)


def _credit_context(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - _CUE_WINDOW) : start]
    after = text[end : end + _CUE_WINDOW]
    return bool(_CREDIT_CUE.search(before) or _CREDIT_CUE.search(after))


def scan_agencies(text: str, tokens: Tokens | None = None) -> list[tuple[int, str]]:
    """Wire agencies named in a credit context in ``text``, as ``(offset, canonical)`` pairs.

    Args:
        text: the body.
        tokens: :func:`~newsprism.compare.reuse.tokenize` of it, when already done.
    """
    table = _agency_table()
    hits: set[tuple[int, str]] = set()
    if table.acronyms is not None:
        for m in table.acronyms.finditer(text):
            if _credit_context(text, m.start(), m.end()):
                hits.add((m.start(), table.acronym_names[m.group(0)]))
    tokens = tokens or tokenize(text)
    words = tokens.norms
    for i, word in enumerate(words):
        for name, size, canonical in table.by_prefix.get(word[:2], ()):
            window = " ".join(words[i : i + size])
            if window == name or (len(name) >= 6 and fuzz.ratio(window, name) >= _NAME_RATIO):
                start, end = tokens.starts[i], tokens.ends[min(i + size, len(words)) - 1]
                if _credit_context(text, start, end):
                    hits.add((start, canonical))
    return sorted(hits)


def credited_agencies(
    text: str, known: Iterable[str] = (), tokens: Tokens | None = None
) -> tuple[str, ...]:
    """Wire agencies an article credits, in order of first credit.

    Args:
        text: the article body.
        known: agencies the analysis already found (``Analysis.agencies``); they come first.
        tokens: :func:`~newsprism.compare.reuse.tokenize` of the body, when already done.

    Returns:
        Canonical agency names, without repeats.
    """
    seen: dict[str, None] = dict.fromkeys(known)
    for _, canonical in scan_agencies(text, tokens):
        seen.setdefault(canonical, None)
    return tuple(seen)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where shared text most likely came from.

    Attributes:
        kind: ``"agency"`` (a wire agency both articles credit), ``"article"`` (the earlier of
            the two), ``"unknown"`` (no credit in common and no dates to order them) or
            ``"none"`` (nothing is shared).
        name: the agency, or the earlier article's outlet.
        article_id: the earlier article when ``kind == "article"``.
        reason: one sentence a reader can check.
    """

    kind: str
    name: str | None = None
    article_id: str | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "kind": self.kind,
            "name": self.name,
            "article_id": self.article_id,
            "reason": self.reason,
        }


def likely_origin(
    a: Article,
    b: Article,
    agencies_a: Sequence[str],
    agencies_b: Sequence[str],
    *,
    shared: bool,
) -> Origin:
    """The likely source of what two articles share.

    Args:
        a, b: the articles.
        agencies_a, agencies_b: wire agencies each credits (first citation first).
        shared: whether they share anything (passages or paraphrases); if not the origin is
            ``kind="none"``.

    Returns:
        The agency both credit (A's first in order when several), else the earlier article by
        publication time, else ``kind="unknown"``.
    """
    if not shared:
        return Origin("none", reason="the articles share no passage or paraphrase")
    common = [x for x in agencies_a if x in set(agencies_b)]
    if common:
        return Origin("agency", common[0], reason=f"both articles credit {common[0]}")
    pa, pb = _utc(a.published), _utc(b.published)
    if pa is not None and pb is not None and pa != pb:
        first = a if pa < pb else b
        later = b if first is a else a
        return Origin(
            "article",
            first.source or first.title,
            first.id,
            reason=(
                f"no agency credited by both; {_outlet(first)} published before {_outlet(later)}"
            ),
        )
    return Origin("unknown", reason="no agency credited by both and no publication order")


def _outlet(article: Article) -> str:
    return article.source or f"article {article.id}"


def _utc(value: datetime | None) -> datetime | None:
    """Naive dates are taken as UTC so aware and naive ones can be ordered."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)
