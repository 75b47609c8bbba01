"""Settings of the link stage, validated at construction.

Every number here says how it was calibrated. "ECB+" is ../shared/data/ecbplus/docs.jsonl (982
news documents, 86 stories in 43 topics, each topic two similar events: the hard negatives);
"BASIL" is ../shared/data/basil (100 events, each told by Fox News, the New York Times and the
Huffington Post: same story from opposite-lean outlets), used only as a held-out check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from newsprism.errors import ConfigError


@dataclass(frozen=True, slots=True)
class LinkConfig:
    """How articles are grouped into duplicate groups and stories.

    Args:
        link_threshold: cosine between an article's TF-IDF vector and a story's centroid needed
            to join it. Calibrated by streaming ECB+ in file order and in 3 shuffled orders
            (benchmarks/clustering.py) over 0.20..0.50 in steps of 0.02; BCubed F1 peaked on a
            plateau around 0.32..0.36 and BASIL (held out) agreed within 0.01.
        merge_threshold: cosine between two story centroids above which the stories merge
            (bridging articles arrive after two halves of one story were opened). Calibrated on
            ECB+ like ``link_threshold``: 0.50 removed most early splits without joining topics.
        fade_after: a story takes no new article whose time lies further than this from its
            first..last time span. Three days: BASIL's three outlets publish an event within a
            day or two of each other, and news events rarely keep one story id longer in a live
            feed; longer coverage becomes a follow-up story (batch relink can merge).
        near_duplicate_threshold: estimated Jaccard of word 5-shingles for a near-duplicate
            (syndicated copy). Syndicated copies with a new headline, trimmed tail or added
            caption measured 0.55-0.95 in our fixtures; unrelated same-story rewrites stay < 0.2.
        wire_min_shared: long sentences two articles must share verbatim to count as rewrites of
            one wire report. Two: one shared sentence is often a widely quoted line.
        max_candidates: candidate stories scored per article (from the inverted index).
        query_terms: an article's heaviest terms looked up in the inverted index.
        index_terms: a story's heaviest centroid terms kept in the inverted index.
        centroid_terms: terms kept in a story's centroid.
        max_active_articles: articles kept in memory (the rest live in the store only); bounds
            memory on archives of undated articles where time cannot retire stories.
        lsh_bands, lsh_rows: MinHash LSH banding (bands * rows <= signature length 64). 21 x 3
            finds pairs at Jaccard 0.5 with probability 0.94 and at 0.6 with 0.99.
    """

    link_threshold: float = 0.15
    group_threshold: float = 0.07
    merge_threshold: float = 0.30
    fade_after: timedelta = timedelta(days=60)
    time_weight: float = 0.1
    time_scale_days: float = 365.0
    near_duplicate_threshold: float = 0.5
    wire_min_shared: int = 2
    max_candidates: int = 32
    query_terms: int = 24
    index_terms: int = 32
    centroid_terms: int = 256
    max_active_articles: int = 250_000
    lsh_bands: int = 21
    lsh_rows: int = 3

    def __post_init__(self) -> None:
        for name in ("link_threshold", "group_threshold", "merge_threshold", "near_duplicate_threshold", "time_weight"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
                raise ConfigError(f"LinkConfig.{name} must be a number in (0, 1], got {value!r}")
        if not isinstance(self.fade_after, timedelta) or self.fade_after <= timedelta(0):
            raise ConfigError(
                f"LinkConfig.fade_after must be a positive timedelta, got {self.fade_after!r}"
            )
        if not isinstance(self.time_scale_days, (int, float)) or self.time_scale_days <= 0:
            raise ConfigError(
                f"LinkConfig.time_scale_days must be a positive number, got {self.time_scale_days!r}"
            )
        for name, low, high in (
            ("wire_min_shared", 1, 100),
            ("max_candidates", 1, 1000),
            ("query_terms", 1, 1000),
            ("index_terms", 1, 1000),
            ("centroid_terms", 8, 4096),
            ("max_active_articles", 100, 100_000_000),
            ("lsh_bands", 1, 64),
            ("lsh_rows", 1, 64),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                raise ConfigError(f"LinkConfig.{name} must be an integer in [{low}, {high}], got {value!r}")
        if self.lsh_bands * self.lsh_rows > 64:
            raise ConfigError(
                "LinkConfig.lsh_bands * lsh_rows must be at most 64 (the signature length), "
                f"got {self.lsh_bands} * {self.lsh_rows}"
            )

    @property
    def fade_seconds(self) -> float:
        """``fade_after`` in seconds."""
        return self.fade_after.total_seconds()
