"""Duplicate detection: exact copies, near-duplicates (MinHash LSH) and wire rewrites.

* exact: the same normalised body text (hash match);
* near: a syndicated copy with a changed headline, trimmed tail or an added caption: estimated
  Jaccard of word 5-shingles at least ``near_duplicate_threshold``, candidates from LSH bands;
* wire: two outlets rewriting one agency report: at least ``wire_min_shared`` long sentences in
  common (sentence fingerprints), whatever the rest of the text.

The index holds the articles of the active (in-memory) stories; articles are removed with their
story when it fades.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from newsprism.link.config import LinkConfig
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.minhash import band_keys, jaccard_estimate

_KIND_RANK = {"exact": 0, "near": 1, "wire": 2}


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """An earlier article that the new one duplicates."""

    article_id: str
    kind: str
    jaccard: float


# Sentence fingerprints kept per article: wire rewrites share sentences from the top of the
# agency copy, and every kept fingerprint costs a dict entry (~100 bytes) while the story is
# active.
_MAX_SENTENCES = 12


@dataclass(slots=True)
class _Entry:
    signature: np.ndarray
    sentences: tuple[int, ...]
    text_hash: int | None
    group: str | None


class DuplicateIndex:
    """In-memory index of the active articles' text hashes, LSH bands and sentence fingerprints.

    Args:
        config: thresholds and LSH banding.
    """

    def __init__(self, config: LinkConfig) -> None:
        self.config = config
        self._entries: dict[str, _Entry] = {}
        self._exact: dict[int, str] = {}
        self._bands: dict[int, str | list[str]] = {}
        self._sentences: dict[int, str] = {}
        self._keys_of: tuple[str, list[int]] | None = None  # band keys of the last find()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._entries

    def group_of(self, article_id: str) -> str | None:
        """The duplicate group of an indexed article (None when it has no duplicate yet)."""
        entry = self._entries.get(article_id)
        return None if entry is None else entry.group

    def set_group(self, article_id: str, group: str) -> None:
        """Put an indexed article into duplicate group ``group``."""
        entry = self._entries.get(article_id)
        if entry is not None:
            entry.group = group

    def find(self, features: ArticleFeatures) -> list[DuplicateMatch]:
        """Indexed articles that ``features`` duplicates, strongest kind first, then by Jaccard."""
        cfg = self.config
        found: dict[str, DuplicateMatch] = {}
        if features.text_hash is not None and features.text_hash in self._exact:
            aid = self._exact[features.text_hash]
            found[aid] = DuplicateMatch(aid, "exact", 1.0)
        if features.signature.size and features.word_count:
            for aid in self._band_candidates(features):
                if aid in found:
                    continue
                j = jaccard_estimate(features.signature, self._entries[aid].signature)
                if j >= cfg.near_duplicate_threshold:
                    found[aid] = DuplicateMatch(aid, "near", j)
        if features.sentences:
            shared = Counter(
                self._sentences[fp] for fp in features.sentences if fp in self._sentences
            )
            for aid, n in shared.items():
                if n >= cfg.wire_min_shared and aid not in found:
                    j = jaccard_estimate(features.signature, self._entries[aid].signature)
                    found[aid] = DuplicateMatch(aid, "wire", j)
        return sorted(found.values(), key=lambda m: (_KIND_RANK[m.kind], -m.jaccard, m.article_id))

    def add(self, features: ArticleFeatures, group: str | None) -> None:
        """Index an article as a member of duplicate group ``group``."""
        aid = features.article_id
        if aid in self._entries:
            return
        if features.signature.size and features.word_count:
            for key in self._keys(features):
                bucket = self._bands.get(key)
                if bucket is None:
                    self._bands[key] = aid
                elif isinstance(bucket, str):
                    self._bands[key] = [bucket, aid]
                else:
                    bucket.append(aid)
        if features.text_hash is not None:
            self._exact.setdefault(features.text_hash, aid)
        sentences = tuple(features.sentences[:_MAX_SENTENCES])
        for fp in sentences:
            self._sentences.setdefault(fp, aid)
        self._entries[aid] = _Entry(features.signature, sentences, features.text_hash, group)

    def regroup(self, old: str, new: str) -> None:
        """Rename duplicate group ``old`` to ``new`` for the indexed members."""
        for entry in self._entries.values():
            if entry.group == old:
                entry.group = new

    def remove(self, article_id: str) -> None:
        """Forget an article (its story faded)."""
        entry = self._entries.pop(article_id, None)
        if entry is None:
            return
        cfg = self.config
        keys = band_keys(entry.signature, cfg.lsh_bands, cfg.lsh_rows) if entry.signature.size else []
        for key in keys:
            bucket = self._bands.get(key)
            if bucket == article_id:
                del self._bands[key]
            elif isinstance(bucket, list):
                if article_id in bucket:
                    bucket.remove(article_id)
                if len(bucket) == 1:
                    self._bands[key] = bucket[0]
        if entry.text_hash is not None and self._exact.get(entry.text_hash) == article_id:
            del self._exact[entry.text_hash]
        for fp in entry.sentences:
            if self._sentences.get(fp) == article_id:
                del self._sentences[fp]

    def _keys(self, features: ArticleFeatures) -> list[int]:
        """LSH band keys of an article (kept from find() for the add() that follows it)."""
        if self._keys_of is not None and self._keys_of[0] == features.article_id:
            return self._keys_of[1]
        keys = band_keys(features.signature, self.config.lsh_bands, self.config.lsh_rows)
        self._keys_of = (features.article_id, keys)
        return keys

    def _band_candidates(self, features: ArticleFeatures) -> set[str]:
        out: set[str] = set()
        for key in self._keys(features):
            bucket = self._bands.get(key)
            if bucket is None:
                continue
            if isinstance(bucket, str):
                out.add(bucket)
            else:
                out.update(bucket)
        return out
