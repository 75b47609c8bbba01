"""Numbers as written in news copy -> values: "1,800", "2.5", "two million", "twenty-five", "3m".

Shared by figures (counts) and times (durations: "nearly nine years").
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000,
                "tn": 1_000_000_000_000}
# Vague plurals take their least value: "hundreds" is at least 200.
VAGUE = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens of thousands": 20_000,
    "hundreds of thousands": 200_000, "millions": 2_000_000, "billions": 2_000_000_000,
}
DOZEN = {"dozen": 12, "half a dozen": 6, "a dozen": 12}

# "zero" is left out: "ground zero", "zero tolerance" are not counts.
_WORD_PART = "|".join(sorted((w for w in [*UNITS, *TENS] if w not in ("a", "an", "zero")),
                             key=len, reverse=True))
_SCALE_PART = "|".join(SCALES)
WORD_NUMBER = (
    rf"(?:(?:{_WORD_PART})(?:[- ](?:{_WORD_PART}))?)"
    rf"(?:(?:\s+|-)(?:{_SCALE_PART})(?:\s+(?:and\s+)?(?:{_WORD_PART})(?:[- ](?:{_WORD_PART}))?)?)*"
    rf"|(?:an?\s+)?(?:{_SCALE_PART})"
)
"""A regex (no groups) matching number words: "two million", "twenty-five", "a hundred"."""

HALF = r"half\s+an?\s+(?:million|billion|dozen)|a\s+quarter\s+of\s+an?\s+(?:million|billion)"
"""A regex (no groups) for fractions of a scale: "half a million", "a quarter of a billion"."""

DIGIT_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
"""A regex (no groups) for digit numbers with thousands separators or decimals."""

_DIGIT_SCALED = re.compile(
    rf"^({DIGIT_NUMBER})\s*(?:-\s*)?({_SCALE_PART}|k|m|mn|bn|b|tn)?$", re.IGNORECASE
)


def parse_number(text: str) -> float | None:
    """The value of a number phrase, or None when it is not one.

    Args:
        text: "1,800", "2.5 million", "3m", "two million", "twenty-five", "a hundred", "dozens".

    Returns:
        The value as a float; vague plurals give their least value ("hundreds" -> 200).
    """
    phrase = " ".join(text.lower().replace("\u2009", "").split())
    if not phrase:
        return None
    if phrase in VAGUE:
        return float(VAGUE[phrase])
    if phrase in DOZEN:
        return float(DOZEN[phrase])
    fraction = re.match(r"^(half|a quarter of) an? (million|billion|dozen)$", phrase)
    if fraction:
        unit = DOZEN["dozen"] if fraction.group(2) == "dozen" else SCALES[fraction.group(2)]
        return unit * (0.5 if fraction.group(1) == "half" else 0.25)
    m = _DIGIT_SCALED.match(phrase)
    if m:
        value = float(m.group(1).replace(",", ""))
        word = (m.group(2) or "").lower()
        return value * SCALES.get(word, SHORT_SCALES.get(word, 1))
    return _parse_words(phrase)


def _parse_words(phrase: str) -> float | None:
    """Sum-and-scale parse of English number words ("two hundred and five thousand")."""
    total = 0
    current = 0
    seen = False
    for word in re.split(r"[\s-]+", phrase):
        if word == "and":
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in SCALES:
            total += max(current, 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None
