"""Tests of newsprism.compare.text: the cheap per-text views (no model)."""

from __future__ import annotations

import pytest

from newsprism.compare.text import guess_language, split_sentences, view
from newsprism.errors import InputError
from newsprism.model import Article


def test_text_split_sentences_keeps_abbreviations() -> None:
    text = "Mr. Smith met Dr. Jones in the U.S. capital. They talked. Then they left!"
    assert split_sentences(text) == ["Mr. Smith met Dr. Jones in the U.S. capital.", "They talked.", "Then they left!"]


def test_text_view_takes_short_first_line_as_title() -> None:
    v = view("Floods in the valley\nThe river rose on Monday. Farmers moved their cattle.")
    assert v.title == "Floods in the valley"
    assert v.sentences == ("The river rose on Monday.", "Farmers moved their cattle.")


def test_text_view_of_article_uses_its_fields() -> None:
    article = Article(id="x", title="Title here", paragraphs=("One. Two.", "Three."), language="en-GB")
    v = view(article)
    assert (v.title, v.language) == ("Title here", "en")
    assert v.sentences == ("One.", "Two.", "Three.")


def test_text_view_finds_entities_places_numbers_dates() -> None:
    v = view("Talks in Köln\nAngela Brandt met officials in Berlin on 12 March 2021. Some 1,200 people came.")
    assert "angela brandt" in v.entities
    assert {"Cologne", "Berlin"} <= v.places
    assert "1200" in v.numbers
    assert {"Y2021", "M3"} <= v.dates


def test_text_sentence_initial_words_are_not_entities() -> None:
    v = view("Fishing boats stayed in port. Fishing resumed on Friday when Port Elm reopened.")
    assert "fishing" not in v.entities
    assert "port elm" in v.entities


def test_text_view_empty_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        view(" \n\n ... ")
    assert info.value.reason == "empty"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The government said that the plan is ready and will be voted on by the council.", "en"),
        ("Die Regierung sagte, dass der Plan fertig ist und von dem Rat beschlossen wird.", "de"),
        ("El gobierno dijo que el plan está listo y que lo votará el consejo de la ciudad.", "es"),
        ("قالت الحكومة إن الخطة جاهزة وسيصوت عليها المجلس", "ar"),
    ],
)
def test_text_guess_language(text: str, code: str) -> None:
    assert guess_language(text, tuple(text.lower().replace(",", "").replace(".", "").split())) == code
