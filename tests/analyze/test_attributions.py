"""Attributions: cues, sources, via outlets, agencies, quotes and their speakers."""

from __future__ import annotations

import pytest

from newsprism.analyze.analyzer import Analyzer
from newsprism.analyze.attributions import AttributionFinder
from newsprism.analyze.canonical import EntityKB
from newsprism.analyze.model import Attribution
from newsprism.analyze.sentences import segment
from newsprism.testing import make_article


@pytest.fixture(scope="module")
def finder() -> AttributionFinder:
    return AttributionFinder(EntityKB())


def _find(finder: AttributionFinder, text: str) -> list[Attribution]:
    return finder.find(text, segment(text), [])


def test_attributions_according_to_told_and_quoted_as(finder: AttributionFinder) -> None:
    text = ("Two villages were hit, according to local media sources. The army looted homes, "
            "local sources told Andalou Agency. Anadolu Agency quoted local sources as stating "
            "that the army was: \u201cContinuing to loot homes in the zone.\u201d")
    according, told, quoted = _find(finder, text)
    assert (according.cue, according.source, according.source_kind) == (
        "according_to", "local media sources", "media")
    assert text[according.content_start:according.content_end] == "Two villages were hit"
    assert (told.cue, told.source, told.via, told.via_canonical, told.agency) == (
        "told", "local sources", "Andalou Agency", "Anadolu Agency", "Anadolu Agency")
    assert (quoted.cue, quoted.source, quoted.via, quoted.agency) == (
        "quoted", "local sources", "Anadolu Agency", "Anadolu Agency")
    assert quoted.quote == "Continuing to loot homes in the zone."


def test_attributions_quotes_take_the_speaker_beside_them(finder: AttributionFinder) -> None:
    text = ("\u201cWe will not accept this,\u201d said John Smith, a councillor. \u201cIt is a "
            "disgrace and it must end.\u201d\n\nHe said: \u201cThe deal is dead for good.\u201d")
    first, second, third = _find(finder, text)
    assert (first.source, first.quote) == ("John Smith", "We will not accept this")
    assert (second.source, second.quote) == ("John Smith", "It is a disgrace and it must end.")
    assert (third.source, third.source_kind, third.quote) == ("He", "pronoun",
                                                              "The deal is dead for good.")


def test_attributions_scare_quotes_are_not_quotes(finder: AttributionFinder) -> None:
    assert _find(finder, "They turned Idlib into \u201cde-escalation zones\u201d last year.") == []


def test_attributions_datelines_and_credits_name_the_agency(finder: AttributionFinder) -> None:
    (dateline,) = _find(finder, "BEIRUT (Reuters) - Shelling resumed in the north.")
    assert (dateline.cue, dateline.source, dateline.agency) == ("dateline", "Reuters", "Reuters")
    (credit,) = _find(finder, "Later on, shelling resumed in the north (AFP).")
    assert (credit.cue, credit.agency) == ("credit", "Agence France-Presse")


def test_attributions_clauses_are_not_sources(finder: AttributionFinder) -> None:
    text = "Okafor's lawyer, Thomas Brennan, said his client would appeal."
    (att,) = _find(finder, text)
    assert att.source == "Okafor's lawyer, Thomas Brennan" and att.cue == "said"


def test_attributions_resolve_people_and_pronouns_with_entities(analyzer: Analyzer) -> None:
    article = make_article("Talks", [(
        "Health minister Elena Popescu said on Monday that clinics would open. \u201cWe are "
        "ready for this,\u201d she said. Popescu told the Associated Press that three children "
        "had died.")], language="en")
    atts = analyzer.analyze(article).attributions
    assert [(a.cue, a.source_canonical) for a in atts] == [
        ("said", "Elena Popescu"), ("said", "Elena Popescu"), ("told", "Elena Popescu")]
    assert atts[2].agency == "Associated Press" and atts[1].quote == "We are ready for this"
