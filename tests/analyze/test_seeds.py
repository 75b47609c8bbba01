"""Every example of the issue, on the two seed articles (skipped where the seeds are absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.analyze.analyzer import Analyzer
from newsprism.analyze.model import Analysis
from newsprism.model import Article
from newsprism.pipeline import ingest
from newsprism.storage import MemoryStore

from .conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS} is absent")


@pytest.fixture(scope="module")
def seeds(analyzer: Analyzer) -> list[tuple[Article, Analysis]]:
    store = MemoryStore()
    ingest([str(p) for p in sorted(Path(SEEDS).glob("*.txt"))], store, progress=False)
    articles = store.articles()
    assert len(articles) == 2
    return list(zip(articles, analyzer.analyze_many(articles)))


def _all(seeds: list[tuple[Article, Analysis]], kind: str) -> list:
    return [item for _, result in seeds for item in getattr(result, kind)]


def test_seeds_entities_have_one_canonical_form(seeds: list[tuple[Article, Analysis]]) -> None:
    canonical = {(e.text, e.canonical) for e in _all(seeds, "entities")}
    for text, name in [("Bashar Al-Assad", "Bashar al-Assad"), ("Assad regime", "Syrian regime"),
                       ("Al-Assad forces", "Syrian regime"),
                       ("Recep Tayyib Erdogan", "Recep Tayyip Erdogan"),
                       ("Erdogan", "Recep Tayyip Erdogan"), ("Andalou Agency", "Anadolu Agency"),
                       ("Anadolu Agency", "Anadolu Agency"), ("Syrian regime", "Syrian regime"),
                       ("regime forces", "Syrian regime"), ("Syrian regime forces", "Syrian regime")]:
        assert (text, name) in canonical, (text, name)
    keys = {e.key for e in _all(seeds, "entities") if e.canonical == "Syrian regime"}
    assert keys == {"actor:SY:state"}


def test_seeds_places_resolve_to_country_and_coordinates(
    seeds: list[tuple[Article, Analysis]],
) -> None:
    places = {p.text: p for p in _all(seeds, "places")}
    for name in ("Idlib", "Aleppo", "Damascus", "Saraqeb", "Jabal al-Zawiya"):
        assert places[name].country == "SY", name
    assert places["Moscow"].country == "RU"
    assert places["Saraqeb"].name == "Saraqib"
    assert abs(places["Aleppo"].latitude - 36.2) < 0.1 and abs(places["Aleppo"].longitude - 37.16) < 0.1


def test_seeds_time_expressions_are_normalized_as_written(
    seeds: list[tuple[Article, Analysis]],
) -> None:
    times = {(t.text, t.value, t.granularity) for t in _all(seeds, "times")}
    for expected in [("12 January", "2020-01-12", "day"), ("Wednesday", "2020-04-01", "day"),
                     ("early Thursday morning", "2020-04-02", "day"),
                     ("last month", "2020-03", "month"), ("5 March", "2020-03-05", "day"),
                     ("September 2018", "2018-09", "month"), ("May 2019", "2019-05", "month"),
                     ("since early 2019", "2019-01-01/2020-04-02", "range"),
                     ("2017", "2017", "year")]:
        assert expected in times, expected
    for article, result in seeds:
        for t in result.times:
            assert t.text in result.sentences[t.sentence].text


def test_seeds_attributions_and_wire_agencies(seeds: list[tuple[Article, Analysis]]) -> None:
    atts = _all(seeds, "attributions")
    told = next(a for a in atts if a.cue == "told")
    assert (told.source, told.via_canonical, told.agency) == ("local sources", "Anadolu Agency",
                                                              "Anadolu Agency")
    according = next(a for a in atts if a.cue == "according_to")
    assert according.source == "local media sources"
    quoted = next(a for a in atts if a.cue == "quoted")
    assert (quoted.source, quoted.via, quoted.agency) == ("local sources", "Anadolu Agency",
                                                          "Anadolu Agency")
    assert quoted.quote is not None and quoted.quote.startswith("Continuing to loot homes")
    assert all(r.agencies == ("Anadolu Agency",) for _, r in seeds)


def test_seeds_figures_are_normalized_to_values(seeds: list[tuple[Article, Analysis]]) -> None:
    figures = {(f.value, f.bound, f.counted, f.event) for f in _all(seeds, "figures")}
    for expected in [(1800, "over", "civilians", "killed"),
                     (2_000_000, "nearly", "people", "displaced"),
                     (2, "exact", None, "killed"), (8, "exact", "others", "infected")]:
        assert expected in figures, expected
