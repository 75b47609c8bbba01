"""Sentence segmentation: abbreviations, acronyms, quotes, datelines, offsets."""

from __future__ import annotations

from newsprism.analyze.sentences import SentenceIndex, segment


def _texts(text: str) -> list[str]:
    return [s.text for s in segment(text)]


def test_sentences_offsets_point_into_the_text() -> None:
    text = "First one.  Second one!\n\nThird paragraph? Yes."
    for s in segment(text):
        assert text[s.start:s.end] == s.text
    assert _texts(text) == ["First one.", "Second one!", "Third paragraph?", "Yes."]


def test_sentences_keep_abbreviated_months_titles_and_initials() -> None:
    text = "Gen. Smith met J. Doe on Sep. 24 at No. 10 Downing Street. Talks ended."
    assert _texts(text) == [
        "Gen. Smith met J. Doe on Sep. 24 at No. 10 Downing Street.",
        "Talks ended.",
    ]


def test_sentences_dotted_acronyms_end_only_before_an_opener() -> None:
    text = "The U.S. Army said so. Sanctions hit the U.S. The move angered Beijing."
    assert _texts(text) == [
        "The U.S. Army said so.",
        "Sanctions hit the U.S.",
        "The move angered Beijing.",
    ]


def test_sentences_quotes_close_after_the_full_stop() -> None:
    text = "\u201cWe will fight,\u201d he said. \u201cThey lied.\u201d Then he left."
    assert _texts(text) == ["\u201cWe will fight,\u201d he said.", "\u201cThey lied.\u201d",
                            "Then he left."]


def test_sentences_dateline_stays_with_its_sentence() -> None:
    text = "BEIRUT, Sept. 24 (Reuters) - Shelling resumed. Officials were silent."
    assert _texts(text) == ["BEIRUT, Sept. 24 (Reuters) - Shelling resumed.",
                            "Officials were silent."]


def test_sentences_paragraph_without_full_stop_is_one_sentence() -> None:
    assert _texts("A headline-like line\n\nNext one.") == ["A headline-like line", "Next one."]


def test_sentences_index_maps_offsets_to_sentence_numbers() -> None:
    text = "One. Two. Three."
    index = SentenceIndex(segment(text))
    assert [index(text.index(w)) for w in ("One", "Two", "Three")] == [0, 1, 2]
