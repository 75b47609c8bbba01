"""First reporter: claimed only when the articles' own times prove the order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsprism.link import firsts, make_link_hook
from newsprism.pipeline import ingest_articles
from newsprism.storage import MemoryStore
from newsprism.testing import make_article

DAY = datetime(2020, 4, 2, tzinfo=UTC)


def _claim(*entries: tuple[datetime | None, str]) -> str | None:
    rows = [(t.timestamp() if t else 0.0, t is not None, src, f"a{i}") for i, (t, src) in enumerate(entries)]
    return firsts.reporter(firsts.of(rows), len(rows))


def test_firsts_precise_times_that_differ_name_the_first() -> None:
    assert _claim((DAY + timedelta(hours=5), "B"), (DAY + timedelta(hours=3), "A")) == "A"


def test_firsts_a_bare_date_and_a_time_that_day_have_no_order() -> None:
    # The seed pair's shape: one report gives only 2 April, the other 05:00 that day.
    assert _claim((DAY, "The New Arab"), (DAY + timedelta(hours=5), "Middle East Monitor")) is None


def test_firsts_a_bare_date_the_day_before_is_first() -> None:
    assert _claim((DAY - timedelta(days=1), "A"), (DAY + timedelta(hours=5), "B")) == "A"


def test_firsts_ties_and_undated_articles_claim_nothing() -> None:
    at = DAY + timedelta(hours=9)
    assert _claim((at, "A"), (at, "B")) is None
    assert _claim((at, "A"), (None, "B")) is None
    assert _claim((at, "A"),) == "A"  # one article, one reporter


def test_firsts_merge_keeps_the_proof() -> None:
    one = firsts.of([((DAY + timedelta(hours=1)).timestamp(), True, "A", "a")])
    two = firsts.of([((DAY + timedelta(hours=4)).timestamp(), True, "B", "b"),
                     ((DAY + timedelta(hours=6)).timestamp(), True, "C", "c")])
    assert firsts.reporter(firsts.merge(one, two), 3) == "A"
    late = firsts.of([((DAY + timedelta(hours=1)).timestamp(), True, "D", "d")])
    assert firsts.reporter(firsts.merge(firsts.merge(one, two), late), 4) is None  # a tie now


def test_firsts_stream_story_summary_claims_only_what_times_prove() -> None:
    text = ["Dock workers at the port of Kestrel Bay walked out over pay, union leader Mara Quist said.",
            "The strike by 1,200 Kestrel Bay dockers halted container traffic for a second day."]
    date_only = make_article("Kestrel Bay dockers strike over pay", text, source="Herald",
                             published=DAY.replace(tzinfo=None))
    timed = make_article("Kestrel Bay strike halts port", text[::-1], source="Post",
                         published=DAY + timedelta(hours=5))
    store = MemoryStore()
    ingest_articles([date_only, timed], store, hooks=[make_link_hook(store)])
    [story] = store.list_stories()
    assert story.article_count == 2 and story.first_reporter is None
