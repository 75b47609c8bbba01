"""Site boilerplate: lines an outlet prints under many of its stories, learnt from the store.

A promo ("Download the ... News app"), a newsletter or copyright line, "this story was updated"
notes: each outlet has its own, the normalizer's rules cannot know them all, and they make two
unrelated reports of one outlet look alike (two of them were enough to call two shootings 82 days
apart wire copies of each other). The linker counts, per outlet, in how many different stories
each body line (paragraph) appeared; a line seen in :data:`MIN_STORIES` or more different stories
of one outlet is that outlet's boilerplate from then on: it is left out of later articles' link
features and shown as removed with the reason ``site_boilerplate`` (:func:`set_apart`). Text that
two *different* outlets share is still wire copy: only one outlet's own repetition counts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from newsprism.model import Article, RemovalReason, RemovedLine
from newsprism.represent.minhash import stable_hash64

__all__ = ["MIN_STORIES", "MIN_WORDS", "OutletLines", "line_keys", "set_apart", "strip", "view"]

# A line printed under three different stories of one outlet is about the outlet, not the news:
# one story's own updates repeat their lines (they stay one story), and two stories can share a
# quoted line; three unrelated ones do not. A design choice, not fitted on any corpus.
MIN_STORIES = 3
# Shorter lines ("Photo: AP", a dateline) are the normalizer's business and too common to key.
MIN_WORDS = 4



def line_keys(article: Article) -> list[int]:
    """A stable 63-bit key of each body paragraph (lower-cased, digits and spacing folded: a
    promo that names the year is the same promo), 0 for paragraphs too short to count."""
    return [_key(p) for p in article.paragraphs]


def strip(article: Article, boilerplate: set[int], keys: Sequence[int] | None = None) -> Article:
    """``article`` without the paragraphs whose key is in ``boilerplate`` (same object when
    none is); ``keys``: its :func:`line_keys` when the caller has them already."""
    if not boilerplate:
        return article
    keys = line_keys(article) if keys is None else keys
    keep = tuple(p for p, k in zip(article.paragraphs, keys, strict=True) if k not in boilerplate)
    if len(keep) == len(article.paragraphs):
        return article
    return dataclasses.replace(article, paragraphs=keep or ("",))


def set_apart(article: Article, boilerplate: Iterable[int]) -> Article:
    """``article`` with its site-boilerplate paragraphs moved to ``removed`` (reason
    ``site_boilerplate``), as the article page shows it."""
    known = set(boilerplate)
    keys = line_keys(article)
    if not known.intersection(keys):
        return article
    keep, removed = [], list(article.removed)
    for p, k in zip(article.paragraphs, keys, strict=True):
        if k in known:
            removed.append(RemovedLine(p, RemovalReason.SITE_BOILERPLATE))
        else:
            keep.append(p)
    return dataclasses.replace(article, paragraphs=tuple(keep) or ("",), removed=tuple(removed))


def _key(paragraph: str) -> int:
    words = _DIGITS.sub("0", paragraph.casefold()).split()
    if len(words) < MIN_WORDS:
        return 0
    return stable_hash64(" ".join(words))


_DIGITS = re.compile(r"\d+")


def view(store: object, article: Article) -> Article:
    """``article`` as readers and comparisons see it: its outlet's site-boilerplate lines (as
    ``store`` knows them now) set apart. A store that keeps no line counts changes nothing."""
    known = getattr(store, "site_boilerplate", None)
    if not article.source or not callable(known):
        return article
    return set_apart(article, known(article.source))


class OutletLines:
    """Each outlet's site-boilerplate keys, read from ``store`` once per outlet."""

    def __init__(self, store: object) -> None:
        self._read = getattr(store, "site_boilerplate", None)
        self._known: dict[str, set[int]] = {}

    def __call__(self, outlet: str | None) -> set[int]:
        """The outlet's keys (empty for no outlet or a store without line counts)."""
        if not outlet or not callable(self._read):
            return set()
        if outlet not in self._known:
            self._known[outlet] = set(self._read(outlet))
        return self._known[outlet]

    def known(self, outlet: str | None) -> set[int]:
        """The outlet's keys read so far, without reading the store (empty when not read)."""
        return self._known.get(outlet or "", set())

    def grow(self, outlet: str, keys: Iterable[int]) -> None:
        """Add keys that just became the outlet's boilerplate."""
        self(outlet).update(keys)
