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

    Every decision is the link model's probability that two sets of articles tell one story
    (:mod:`newsprism.link.model`: fitted on real corpora, calibrated). The three thresholds are
    that probability, and 0.5 is the decision that makes the fewest wrong calls when the model is
    calibrated: a design choice, not a value tuned on any corpus.

    Args:
        link_threshold: probability a group of new articles needs to join an existing story.
        group_threshold: average pair probability within a batch for new articles to form one
            group before linking (average link, so a group never hangs on one similar pair).
        merge_threshold: probability two active stories need to merge (the older id survives,
            the merge is recorded): stories are revisited as evidence accumulates, so the order
            articles arrive in matters less.
        model_path: a link model JSON file (default: the one shipped in
            ``newsprism/data/models/link.json``; ``benchmarks/fit_link_model.py`` writes one).
        fade_after: two dated articles (or a dated group and a story) further apart than this
            are never one story. ECB+ stories run for weeks (follow-ups): F1 0.928 at 30 days,
            0.930 at 45, 0.932 at 60, 0.933 at 90; 60 is the knee. Undated articles (timed at
            ingest) get only the model's time prior: their real date is unknown.
        near_duplicate_threshold: estimated Jaccard of word 5-shingles for a near-duplicate.
            Our syndicated-copy fixtures (new headline, trimmed tail, added caption) measured
            0.38..0.88 (short texts lose more to the trim); different outlets' own reports of one
            story measured 0.0. Copies below 0.5 share whole sentences and are caught as wire.
        wire_min_shared: long sentences (10+ words) two articles must share verbatim to count as
            rewrites of one wire report. Two: one shared sentence is often a widely quoted line.
            On ECB+ this found 75 groups, none across gold stories.
        max_candidates: candidate stories scored per group (from the inverted index).
        query_terms: a group's heaviest terms looked up in the inverted index.
        index_terms: a story's heaviest centroid terms kept in the inverted index. Query/index
            24/32 scored the same F1 on ECB+ as 48/64 and 96/128, and 24/24 the same as 24/32
            (file order, shuffled orders and BASIL), at less memory and time.
        centroid_terms: terms kept in a story's centroid sum. 96 (an article vector's size):
            ECB+ file order F1 0.935 at 96, 128, 160, 192 and 256 alike, shuffled orders 0.865
            vs 0.871 at 256, BASIL 0.988 alike; the centroid is the largest per-story cost (6
            bytes a term), so it sets much of the memory per active article.
        max_active_articles: articles kept in memory (the rest live in the store only); bounds
            memory on archives of undated articles where time cannot retire stories, and the
            rebuild a new process does (it re-reads the active articles). At ~1.8 KB per active
            article (benchmarks/linking_speed.py, every article active), 200,000 is ~0.5 GB with
            the process and the link worker; 1,000,000 would be ~1.9 GB.
        lsh_bands, lsh_rows: MinHash LSH banding (bands * rows <= signature length 64). 21 x 3
            finds pairs at Jaccard 0.5 with probability 0.94 and at 0.6 with 0.99.
    """

    link_threshold: float = 0.5
    group_threshold: float = 0.5
    merge_threshold: float = 0.5
    model_path: str | None = None
    fade_after: timedelta = timedelta(days=60)
    near_duplicate_threshold: float = 0.5
    wire_min_shared: int = 2
    max_candidates: int = 32
    query_terms: int = 24
    index_terms: int = 24
    centroid_terms: int = 96
    max_active_articles: int = 200_000
    lsh_bands: int = 21
    lsh_rows: int = 3

    def __post_init__(self) -> None:
        for name in ("link_threshold", "group_threshold", "merge_threshold", "near_duplicate_threshold"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
                raise ConfigError(f"LinkConfig.{name} must be a number in (0, 1], got {value!r}")
        if not isinstance(self.fade_after, timedelta) or self.fade_after <= timedelta(0):
            raise ConfigError(
                f"LinkConfig.fade_after must be a positive timedelta, got {self.fade_after!r}"
            )
        if self.model_path is not None and not isinstance(self.model_path, str):
            raise ConfigError(
                f"LinkConfig.model_path must be a path string or None, got {self.model_path!r}"
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
