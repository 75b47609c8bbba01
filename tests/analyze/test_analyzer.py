"""The analyzer end to end: offsets, languages, settings, serialisation."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.analyze.analyzer import Analyzer
from newsprism.analyze.base import AnalyzerConfig, ArticleAnalyzer, NullAnalyzer
from newsprism.analyze.model import Analysis
from newsprism.errors import ConfigError, MissingDependency
from newsprism.model import Article
from newsprism.testing import make_article


def _article(language: str | None = "en", **fields: object) -> Article:
    return make_article(
        "Ceasefire talks in Moscow",
        [("MOSCOW (Reuters) - Turkish President Recep Tayyip Erdogan met Vladimir Putin in "
          "Moscow on Thursday, officials said."),
         ("\u201cWe agreed on a new deal,\u201d Erdogan told reporters. Nearly 900,000 people "
          "have fled since December.")],
        published=datetime(2020, 3, 6, 12, tzinfo=UTC), language=language, **fields,
    )


def test_analyzer_every_offset_points_into_the_body(analyzer: Analyzer,
                                                     gold_articles: list[Article]) -> None:
    for article, result in zip(gold_articles, analyzer.analyze_many(gold_articles)):
        body = article.body
        items = [*result.sentences, *result.entities, *result.places, *result.times,
                 *result.figures]
        assert items
        for item in items:
            assert body[item.start:item.end] == item.text
            assert getattr(item, "sentence", 0) < len(result.sentences)
        for att in result.attributions:
            assert body[att.source_start:att.source_end] == att.source
            if att.quote is not None:
                assert body[att.quote_start:att.quote_end] == att.quote


def test_analyzer_finds_every_kind_in_one_article(analyzer: Analyzer) -> None:
    result = analyzer.analyze(_article())
    assert result.version == analyzer.version and result.language == "en"
    people = {e.canonical for e in result.entities if e.label == "PERSON"}
    assert people == {"Recep Tayyip Erdogan", "Vladimir Putin"}
    assert {p.name for p in result.places} == {"Moscow"}
    assert [t.value for t in result.times] == ["2020-03-05", "2019-12-01/2020-03-06"]
    assert "Reuters" in result.agencies
    assert [(f.value, f.bound, f.event) for f in result.figures] == [(900_000, "nearly",
                                                                      "displaced")]
    assert result.notes == ()


def test_analyzer_language_without_model_gets_sentences_figures_and_a_note(
    analyzer: Analyzer,
) -> None:
    article = make_article("Waldbrand", [("Der Brand zerst\u00f6rte 1.200 Hektar Wald. "
                                          "Die Feuerwehr war mit 300,5 Kr\u00e4ften im Einsatz.")],
                           language="de")
    result = analyzer.analyze(article)
    assert "no entity model for de" in result.notes
    assert len(result.sentences) == 2 and result.entities == () and result.times == ()
    assert [f.value for f in result.figures] == [1200, 300.5]


def test_analyzer_without_ner_still_finds_times_and_attributions() -> None:
    result = Analyzer(AnalyzerConfig(ner=False)).analyze(_article())
    assert result.entities == () and "no entity model for en" in result.notes
    assert result.times and result.attributions
    assert result.version.endswith("+no-ner")


def test_analyzer_unknown_language_is_analysed_as_default_with_a_note(
    analyzer: Analyzer,
) -> None:
    result = analyzer.analyze(_article(language=None))
    assert result.language == "en" and result.entities
    assert "language unknown; analysed as en" in result.notes


def test_analyzer_missing_model_raises_with_install_hint() -> None:
    broken = Analyzer(AnalyzerConfig(models={"en": "/nonexistent/model"}))
    with pytest.raises(MissingDependency, match="cannot be loaded"):
        broken.analyze(_article())


@pytest.mark.parametrize(
    ("field", "value"),
    [("batch_size", 0), ("ner_context", 0), ("min_population", 7), ("default_language", ""),
     ("models", {"en": ""})],
)
def test_analyzer_config_rejects_bad_settings(field: str, value: object) -> None:
    with pytest.raises(ConfigError, match=field):
        AnalyzerConfig(**{field: value})  # type: ignore[arg-type]


def test_analyzer_results_roundtrip_json_and_pickle(analyzer: Analyzer) -> None:
    result = analyzer.analyze(_article())
    assert Analysis.from_dict(result.to_dict()) == result
    assert pickle.loads(pickle.dumps(result)) == result
    assert set(result.to_dict()) >= {"sentences", "entities", "places", "times",
                                     "attributions", "figures"}


def test_analyzer_null_implementation_fits_the_protocol() -> None:
    null = NullAnalyzer()
    assert isinstance(null, ArticleAnalyzer) and isinstance(Analyzer(), ArticleAnalyzer)
    (result,) = null.analyze_many([_article()])
    assert len(result.sentences) == 3 and result.entities == ()


_WORDS = ["the", "said", "told", "according to", "Reuters", "(AFP)", "Idlib", "Monday", "12",
          "January", "2019", "over", "nearly", "two", "million", "killed", "\u201c", "\u201d", '"',
          "since early", "regime forces", "Syrian", "he", "Mr.", "U.S.", "No.", "\u2014", "between",
          "and", "last month", "the following day", "half a", "of", "1,800", "\n\n", "Erdogan's"]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_WORDS) | st.text(min_size=1, max_size=12), min_size=1,
                max_size=60),
       st.sampled_from(["en", "de", None]), st.booleans())
def test_analyzer_offsets_hold_on_any_text(analyzer: Analyzer, words: list[str],
                                           language: str | None, dated: bool) -> None:
    body = " ".join(words)
    paragraphs = [p for p in (" ".join(x.split()) for x in body.split("\n\n")) if p] or ["x"]
    article = make_article("Fuzz", paragraphs, language=language,
                           published=datetime(2020, 4, 2, tzinfo=UTC) if dated else None)
    result = analyzer.analyze(article)
    text = article.body
    for item in [*result.sentences, *result.entities, *result.places, *result.times,
                 *result.figures]:
        assert text[item.start:item.end] == item.text
    for att in result.attributions:
        assert text[att.source_start:att.source_end] == att.source
