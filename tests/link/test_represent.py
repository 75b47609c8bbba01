"""Shingles, MinHash, sentence fingerprints and hashed TF-IDF (the represent stage for linking)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from newsprism.errors import ConfigError
from newsprism.represent.features import LinkRepresenter, event_time
from newsprism.represent.minhash import (
    MinHasher,
    band_keys,
    jaccard_estimate,
    sentence_fingerprints,
)
from newsprism.represent.text import TokenHasher, entity_runs, stem, tokens
from newsprism.represent.tfidf import HashedTfidf, TfidfWeights
from newsprism.testing import make_article
from tests.link._articles import FLOOD, RATES, syndicated_copy

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def _words(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return [f"w{x}" for x in rng.integers(0, 5000, n)]


def test_minhash_estimate_tracks_true_jaccard() -> None:
    mh = MinHasher(num_perm=256)
    hasher = TokenHasher()
    a = _words(400, 1)
    b = a[:300] + _words(100, 2)
    sa, sb = (mh.signature_of_tokens(x, hasher) for x in (a, b))
    ha = {tuple(a[i : i + 5]) for i in range(len(a) - 4)}
    hb = {tuple(b[i : i + 5]) for i in range(len(b) - 4)}
    true = len(ha & hb) / len(ha | hb)
    assert abs(jaccard_estimate(sa, sb) - true) < 0.08
    assert jaccard_estimate(sa, mh.signature_of_tokens(_words(400, 3), hasher)) < 0.05


def test_minhash_signatures_are_stable_across_instances() -> None:
    words = _words(50, 4)
    one = MinHasher().signature_of_tokens(words, TokenHasher())
    two = MinHasher().signature_of_tokens(words, TokenHasher())
    assert np.array_equal(one, two)
    assert len(band_keys(one, 21, 3)) == 21


def test_minhash_rejects_bad_parameters() -> None:
    with pytest.raises(ConfigError, match="num_perm"):
        MinHasher(num_perm=3)
    with pytest.raises(ConfigError, match="same length"):
        jaccard_estimate(np.zeros(4, np.uint32), np.zeros(8, np.uint32))


def test_sentence_fingerprints_ignore_case_and_punctuation_but_skip_short_sentences() -> None:
    long = "The Continental Press Agency said the tunnel would reopen to freight traffic on Friday"
    a = sentence_fingerprints([tokens(long), tokens("He said no.")])
    b = sentence_fingerprints([tokens(long.upper() + "!!")])
    assert a == b and len(a) == 1


def test_text_entity_runs_and_stemming() -> None:
    assert {"mayor alma quist", "quist"} <= set(entity_runs("Mayor Alma Quist said the river rose."))
    assert "bank england" in entity_runs("The Bank of England held rates.")
    assert stem("pirates") == "pirate" and stem("countries") == "country" and stem("glass") == "glass" and stem("status") == "status"


def test_tfidf_vectors_are_unit_and_same_story_is_closer() -> None:
    tfidf = HashedTfidf()
    docs = [(t, " ".join(p)) for t, p in FLOOD + RATES]
    counted = [tfidf.counts(t, tokens(b), b) for t, b in docs]
    for ids, _ in counted:
        tfidf.observe(ids)
    vecs = [tfidf.vector(ids, c) for ids, c in counted]
    assert abs(float(np.dot(vecs[0].weights, vecs[0].weights)) - 1.0) < 1e-5
    assert vecs[0].dot(vecs[1]) > 2 * vecs[0].dot(vecs[3])


def test_tfidf_weights_are_validated() -> None:
    with pytest.raises(ConfigError, match="TfidfWeights.entity"):
        TfidfWeights(entity=-1)
    with pytest.raises(ConfigError, match="n_bits"):
        HashedTfidf(n_bits=40)


def test_represent_syndicated_copy_has_high_jaccard_and_same_sentences() -> None:
    rep = LinkRepresenter()
    original = make_article(FLOOD[0][0], FLOOD[0][1], source="A")
    copy = syndicated_copy(original, "B")
    fa, fb = rep.represent(original, now=NOW), rep.represent(copy, now=NOW)
    assert jaccard_estimate(fa.signature, fb.signature) >= 0.5
    assert set(fa.sentences) & set(fb.sentences)


def test_represent_event_time_notes_missing_and_implausible_dates() -> None:
    undated = make_article("T", ["Some words here."])
    assert event_time(undated, NOW) == (NOW.timestamp(), "no_date_ingest_time")
    future = make_article("T", ["x"], published=datetime(2090, 1, 1))
    assert event_time(future, NOW)[1] == "implausible_date_ingest_time"
    naive = make_article("T", ["x"], published=datetime(2024, 5, 1, 12, 0))
    assert event_time(naive, NOW) == (datetime(2024, 5, 1, 12, tzinfo=UTC).timestamp(), "published")


def test_represent_huge_and_empty_articles() -> None:
    rep = LinkRepresenter(max_tokens=1000)
    huge = make_article("Big", ["word " * 200_000])
    f = rep.represent(huge, now=NOW)
    assert "truncated" in f.notes and f.word_count == 1000
    empty = rep.represent(make_article("", [""]), now=NOW)
    assert "empty_text" in empty.notes and len(empty.vector) == 0 and empty.text_hash is None
