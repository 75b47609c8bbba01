"""Headline focus and body support, loaded terms, voices."""

from __future__ import annotations

from newsprism.analyze.model import Analysis, Attribution
from newsprism.analyze.sentences import segment
from newsprism.compare.framing import (
    contrast,
    evoked_events,
    frame,
    headline_terms,
    loaded_terms,
    voices,
)
from newsprism.compare.lexicon import stem
from newsprism.model import Article
from newsprism.testing import make_article


def _analysis(article: Article, attributions: tuple[Attribution, ...] = ()) -> Analysis:
    return Analysis(
        article.id, "test", "en", sentences=tuple(segment(article.body)), attributions=attributions
    )


def _att(
    source: str, kind: str, via: str | None = None, canonical: str | None = None
) -> Attribution:
    return Attribution(
        start=0,
        end=1,
        sentence=0,
        cue="said",
        source=source,
        source_start=0,
        source_end=1,
        source_kind=kind,
        content_start=0,
        content_end=1,
        source_canonical=canonical,
        via=via,
    )


BOMBING = make_article(
    "Jets resume aerial bombing of border towns",
    (
        "Warplanes struck three border towns before dawn on Friday, residents said.",
        "Rockets also hit a market in the largest town in a brutal, devastating raid.",
        "Aid groups said food stocks were running low.",
        "The bombing is the heaviest since the truce of last year collapsed.",
    ),
    source="Outlet One",
)
LOOTING = make_article(
    "Soldiers loot homes in border towns",
    (
        "Soldiers have begun looting homes in the border towns they recaptured, residents said.",
        "Footage shows fighters stealing furniture and cables from empty houses.",
        "The army denied the reports.",
    ),
    source="Outlet Two",
)


def test_framing_stems_join_inflections() -> None:
    assert {stem(w) for w in ("loot", "loots", "looted", "looting")} == {"loot"}
    assert stem("shelled") == stem("shelling") == "shell"
    assert stem("properties") == "property"


def test_framing_headline_events_and_terms() -> None:
    assert evoked_events(BOMBING.title) == ["bombing"]
    assert evoked_events(LOOTING.title) == ["looting"]
    assert evoked_events("Air strikes and clashes as truce fails") == [
        "bombing",
        "fighting",
        "ceasefire",
    ]
    assert headline_terms("Syria army loots opposition properties in Idlib") == [
        "syria",
        "army",
        "loots",
        "opposition",
        "properties",
        "idlib",
    ]


def test_framing_body_backs_headline_in_lead_and_share() -> None:
    f = frame(BOMBING, _analysis(BOMBING))
    assert f.events == ("bombing",)
    assert f.in_lead and f.backed
    assert f.support == 0.75
    assert f.body_events[0][0] == "bombing"


def test_framing_headline_not_backed_by_body() -> None:
    article = make_article(
        "Massacre in the capital",
        (
            "The central bank raised interest rates by half a point on Tuesday.",
            "Analysts had expected the move after inflation rose for a third month.",
            "Markets barely reacted.",
        ),
    )
    f = frame(article, _analysis(article))
    assert f.events == ("killing",)
    assert not f.in_lead and not f.backed and f.support == 0.0


def test_framing_contrast_names_different_focus_and_loaded_terms() -> None:
    c = contrast(frame(BOMBING, _analysis(BOMBING)), frame(LOOTING, _analysis(LOOTING)))
    assert not c.same_focus
    assert (c.focus_a, c.focus_b) == (("bombing",), ("looting",))
    assert set(c.loaded_a) == {"brutal", "devastating"}
    assert c.loaded_b == ("stealing",)  # VADER: -2.7
    data = c.to_dict()
    assert data["focus_only_a"] == ["bombing"]


def test_framing_loaded_terms_plurals_and_exact_words() -> None:
    # the shipped lexicon (VADER's strongly valenced words, BASIL's marked words): a plural
    # meets its word; "killed", seen often in BASIL and never marked, is not loaded
    counts = loaded_terms("Hooliganisms followed the horrific attack; two were killed, a tragic toll.")
    found = {term: n for (term, _), n in counts.items()}
    assert found == {"hooliganism": 1, "horrific": 1, "tragic": 1}
    assert {category for _, category in counts} == {"negative"}


def test_framing_voices_group_sources_and_keep_their_channel() -> None:
    found = voices(
        (
            _att("local sources", "anonymous", via="Andalou Agency"),
            _att("Erdogan", "person", canonical="Recep Tayyip Erdogan"),
            _att("Recep Tayyip Erdogan", "person", canonical="Recep Tayyip Erdogan"),
            _att("he", "pronoun"),
        )
    )
    assert [(v.name, v.count) for v in found] == [("Recep Tayyip Erdogan", 2), ("local sources", 1)]
    assert found[1].label == "local sources via Andalou Agency"
