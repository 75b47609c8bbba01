"""Reports of the bundled sample (the Korvath story) and of the seed pair (skipped when
../shared/seeds is absent; the seed texts are not part of the project)."""

from __future__ import annotations

import pytest

from newsprism.api import demo, ingest_and_link
from newsprism.config import IngestOptions
from newsprism.link import get_story, stories
from newsprism.report import StoryReport, TimelineEvent, report
from newsprism.storage import MemoryStore
from tests.report.conftest import SEEDS

MERIDIAN, NORTHGATE, COASTLINE = "Meridian Wire Review", "Northgate Post", "Coastline Daily"
TNA, MEMO = "The New Arab", "Middle East Monitor"


@pytest.fixture(scope="module")
def korvath() -> StoryReport:
    store = MemoryStore()
    demo(store, progress=False)
    [view] = [v for v in stories(store) if "Korvath" in v.story.title]
    return report(get_story(store, view.story.id), store=store)


@pytest.fixture(scope="module")
def seed() -> StoryReport:
    if not SEEDS.is_dir():
        pytest.skip(f"no seed articles at {SEEDS}")
    store = MemoryStore()
    tna, memo = sorted(SEEDS.glob("*.txt"))[:2]
    ingest_and_link([tna], store, options=IngestOptions(source=TNA), progress=False)
    ingest_and_link([memo], store, options=IngestOptions(source=MEMO), progress=False)
    [view] = stories(store)
    return report(get_story(store, view.story.id), store=store)


def _on(result: StoryReport, when: str) -> list[TimelineEvent]:
    return [e for e in result.timeline if e.when == when]


def test_corpora_sample_korvath_timeline(korvath: StoryReport) -> None:
    [truce] = _on(korvath, "2026-01-12")
    assert truce.sources == (MERIDIAN, NORTHGATE, COASTLINE) and truce.coverage == "all"
    [offensive] = _on(korvath, "2025-05")
    assert offensive.sources == (NORTHGATE,) and offensive.label == "May 2025"
    assert [e.sources for e in _on(korvath, "2022")] == [(NORTHGATE,)]
    thursday = _on(korvath, "2026-04-02")
    assert {s for e in thursday for s in e.sources} == {MERIDIAN, COASTLINE}


def test_corpora_sample_korvath_summary_and_coverage(korvath: StoryReport) -> None:
    assert 3 <= len(korvath.summary) <= 5
    looting = [p for p in korvath.summary if "loot" in p.text]
    assert looting and len(looting[0].sources) >= 2
    assert any(p.coverage == "one" for p in korvath.summary)
    assert korvath.coverage.first.source == MERIDIAN
    assert korvath.coverage.first.tied == (NORTHGATE,)  # a date only, against 05:00 that day
    assert "headlines differ in focus" in " ".join(korvath.coverage.framing_differences)


def test_corpora_seed_timeline(seed: StoryReport) -> None:
    [ceasefire] = _on(seed, "2020-01-12")
    assert ceasefire.sources == (TNA, MEMO)
    [moscow] = _on(seed, "2020-03-05")
    assert moscow.sources == (TNA, MEMO) and "Moscow" in moscow.text
    assert {m.expression for m in moscow.mentions} == {"last month", "5 March"}
    assert not _on(seed, "2020-03"), "last month must merge into 5 March"
    for when in ("2018-09", "2019-05", "2017"):
        assert [e.sources for e in _on(seed, when)] == [(MEMO,)], when
    assert _on(seed, "2020-04-01") and _on(seed, "2020-04-02")
    assert {m.source for e in seed.timeline for m in e.mentions} == {TNA, MEMO}


def test_corpora_seed_summary(seed: StoryReport) -> None:
    assert len(seed.summary) == 5
    [looting] = [p for p in seed.summary if "loot" in p.text]
    assert looting.sources == (TNA, MEMO) and looting.coverage == "all"
    assert all(p.sources for p in seed.summary)
    assert any(p.only == TNA for p in seed.summary)


def test_corpora_seed_coverage(seed: StoryReport) -> None:
    cov = seed.coverage
    assert [w["agency"] for w in cov.wire] == ["Anadolu Agency"]
    assert all(a.agencies == ("Anadolu Agency",) and a.wire_share > 0 for a in cov.articles)
    assert cov.conflicts == ()
    assert any("bombing" in d and "looting" in d for d in cov.framing_differences)
    assert cov.first.tied  # The New Arab gives a date only
