"""Figures: values, hedges, what is counted, events; numbers that are not figures."""

from __future__ import annotations

import pytest

from newsprism.analyze.figures import find_figures
from newsprism.analyze.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,800", 1800), ("2.5 million", 2_500_000), ("3m", 3_000_000), ("two million", 2_000_000),
     ("twenty-five", 25), ("a hundred", 100), ("dozens", 24), ("half a million", 500_000),
     ("1.5bn", 1_500_000_000), ("two hundred and five thousand", 205_000)],
)
def test_numbers_parse_digits_words_and_scales(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_numbers_reject_non_numbers() -> None:
    assert parse_number("several") is None and parse_number("") is None


def _figures(text: str) -> list:
    return find_figures(text, [], lambda offset: 0)


def test_figures_issue_examples_are_normalized() -> None:
    text = ("Attacks killed over 1,800 civilians, and nearly two million people have been "
            "displaced. An outbreak has killed two and infected eight others.")
    got = [(f.value, f.bound, f.counted, f.event) for f in _figures(text)]
    assert got == [
        (1800, "over", "civilians", "killed"),
        (2_000_000, "nearly", "people", "displaced"),
        (2, "exact", None, "killed"),
        (8, "exact", "others", "infected"),
    ]


def test_figures_offsets_and_vague_plurals() -> None:
    text = "A campaign displaced millions of civilians."
    (fig,) = _figures(text)
    assert text[fig.start:fig.end] == fig.text == "millions of civilians"
    assert (fig.value, fig.bound, fig.vague, fig.event) == (2_000_000, "at_least", True,
                                                           "displaced")


def test_figures_units_currencies_and_ranges() -> None:
    text = ("Prices rose 4.5% while $3.2 billion was spent, 5,000 euros each, 300 km away, "
            "between 10 and 20 soldiers, over nine days.")
    got = {f.text: (f.value, f.unit, f.value_high) for f in _figures(text)}
    assert got["4.5%"] == (4.5, "percent", None)
    assert got["$3.2 billion"] == (3_200_000_000, "USD", None)
    assert got["5,000 euros"] == (5000, "EUR", None)
    assert got["300 km"] == (300, "km", None)
    assert got["between 10 and 20 soldiers"] == (10, None, 20)
    assert got["over nine days"] == (9, "day", None)


def test_figures_skip_labels_ages_compounds_years_and_pronoun_one() -> None:
    text = ("Article 5 applies. Daniel Okafor, 54, said COVID-19 cost a 90-day stay in 2017. "
            "One of them left, including one near the river. The 33-year-old spoke at 5:00 am.")
    assert _figures(text) == []


def test_figures_skip_given_spans_and_non_english_words() -> None:
    text = "Il y a deux morts et 12 blessés en 2019."
    found = find_figures(text, [(text.index("2019"), text.index("2019") + 4)], lambda o: 0,
                         english=False)
    assert [(f.value, f.counted, f.event) for f in found] == [(12, None, None)]
