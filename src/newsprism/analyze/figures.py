"""Figures: numbers with what they count, the event behind them and their hedge, as values.

"over 1,800 civilians killed" -> value 1800, bound ``over``, counted ``civilians``, event
``killed``; "nearly two million people displaced" -> 2000000, ``nearly``, ``people``,
``displaced``; "killed two and infected eight others" -> (2, killed) and (8, others, infected).
Dates, years, clock times, ages and compounds ("COVID-19", "a 90-day stay") are not figures.

Pure rules over the text (no tagger): the counted noun is the last word of the short phrase after
the number; the event is a casualty verb just before the number (it governs the object) or a few
words after the counted noun (it is said of the subject).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from newsprism.analyze.model import Figure
from newsprism.analyze.numbers import DIGIT_NUMBER, HALF, VAGUE, WORD_NUMBER, parse_number

QUALIFIERS = {
    "over": "over", "more than": "over", "above": "over", "in excess of": "over",
    "upwards of": "over", "just over": "over", "at least": "at_least", "no fewer than": "at_least",
    "no less than": "at_least", "a minimum of": "at_least", "nearly": "nearly", "almost": "nearly",
    "close to": "nearly", "just under": "nearly", "about": "about", "around": "about",
    "roughly": "about", "approximately": "about", "some": "about", "an estimated": "about",
    "estimated": "about", "approx": "about", "circa": "about", "under": "under",
    "less than": "under", "fewer than": "under", "below": "under", "up to": "up_to",
    "as many as": "up_to", "at most": "up_to", "a maximum of": "up_to",
}
EVENTS = {
    "killed": "killed", "kill": "killed", "killing": "killed", "dead": "killed", "died": "killed",
    "wounded": "injured", "injured": "injured", "injuring": "injured", "wounding": "injured",
    "hurt": "injured", "infected": "infected", "infecting": "infected", "displaced": "displaced",
    "displacing": "displaced", "fled": "displaced", "uprooted": "displaced",
    "arrested": "arrested", "detained": "arrested", "evacuated": "evacuated",
    "rescued": "rescued", "missing": "missing", "affected": "affected", "abducted": "abducted",
    "kidnapped": "abducted", "executed": "killed", "captured": "captured", "deported": "deported",
    "hospitalised": "hospitalised", "hospitalized": "hospitalised", "sentenced": "sentenced",
    "recovered": "recovered", "tested": "tested", "vaccinated": "vaccinated",
}
TIME_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
              "months": "month", "year": "year", "years": "year", "hour": "hour", "hours": "hour",
              "minute": "minute", "minutes": "minute", "decade": "decade", "decades": "decade"}
CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "\u20ac": "EUR", "\u00a3": "GBP", "\u00a5": "JPY"}
UNIT_WORDS = {
    "percent": "percent", "per cent": "percent", "%": "percent", "dollars": "USD",
    "euros": "EUR", "pounds": "GBP", "lira": "TRY", "liras": "TRY", "rubles": "RUB",
    "roubles": "RUB", "yuan": "CNY", "yen": "JPY", "rupees": "INR", "km": "km",
    "kilometres": "km", "kilometers": "km", "miles": "mi", "metres": "m", "meters": "m",
    "tonnes": "t", "tons": "t", **TIME_UNITS,
}
# Words that end the counted-noun phrase (function words, auxiliaries, reporting verbs).
_STOP = frozenset(
    ["and", "or", "but", "nor", "have", "has", "had", "were", "was", "are", "is", "been", "being", "be", "who", "whom", "which", "that", "in", "on", "at", "to", "from", "by", "with", "for", "of", "since", "during", "after", "before", "as", "across", "near", "due", "while", "when", "where", "said", "says", "will", "would", "could", "can", "may", "might", "should", "must", "than", "per", "each", "a", "an", "the", "its", "their", "his", "her", "this", "these", "those", "there", "here", "also", "including", "such", "about", "over", "under", "into", "onto", "out", "up", "down", "off", "so", "if", "because", "though", "although", "not", "no", "east", "west", "north", "south", "northeast", "northwest", "southeast", "southwest", "outside", "inside", "around", "along", "near", "away", "ago"]
)
_PEOPLE_NOUNS = frozenset(
    ["person", "people", "civilian", "civilians", "child", "children", "soldier", "soldiers", "man", "men", "woman", "women"]
)
_SCALE = r"(?:\s*-?\s*(?:million|billion|trillion|thousand|bn|mn|m|k|tn)\b)?"
_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_VAGUE = "|".join(sorted((re.escape(v) for v in VAGUE), key=len, reverse=True))
# Languages writing 1.200,5 for 1,200.5 (decimal comma).
DECIMAL_COMMA = frozenset(["de", "fr", "es", "it", "pt", "nl", "ru", "tr", "pl"])
_DIGITS_DC = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"


def _number_pattern(digits: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?:\b(?P<qual>{_QUAL})\s+)?(?:(?P<between>between|from)\s+)?"
        rf"(?:(?P<cur>us\$|[$\u20ac\u00a3\u00a5])\s?)?"
        rf"(?P<num>(?<![\w\-.,:/])(?:{digits}){_SCALE}(?![\w\-:/]|[.,]\d)"
        rf"|\b(?:{_VAGUE})\b(?:\s+of)?|\b(?:{HALF})\b|\b(?:{WORD_NUMBER})\b(?!-))"
        rf"(?:\s*(?:-|to|and)\s*(?P<high>(?:{digits}){_SCALE}(?![\w\-])|\b(?:{WORD_NUMBER})\b))?"
        rf"(?:\s*(?P<unit>%|percent\b|per cent\b))?",
        re.IGNORECASE,
    )


_NUMBER = _number_pattern(DIGIT_NUMBER)
_NUMBER_DC = _number_pattern(_DIGITS_DC)
_PARTITIVE = re.compile(r"\s+of\s+(?:the|these|those|their|its|his|her)\s+(?=[a-z])")
_WORD_AFTER = re.compile(r"\s*([A-Za-z][\w'\u2019\-]*)")
_RANK = re.compile(r"\b(?:[Nn]os?|[Nn]umber)\.?\s*$")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'\u2019\-]*)[\s]*$")


def find_figures(
    text: str,
    skip: Sequence[tuple[int, int]],
    sentence_of: Callable[[int], int],
    *,
    english: bool = True,
    decimal_comma: bool = False,
) -> list[Figure]:
    """Figures in ``text``.

    Args:
        text: the article body.
        skip: spans that are not figures (time expressions found before).
        sentence_of: offset -> sentence index.
        english: False keeps digit numbers only (no number words, counted nouns or events).
        decimal_comma: numbers are written "1.200,5" (German, French ... see DECIMAL_COMMA).

    Returns:
        Figures in text order.
    """
    out: list[Figure] = []
    for m in (_NUMBER_DC if decimal_comma else _NUMBER).finditer(text):
        num_start, num_end = m.span("num")
        if any(s < num_end and num_start < e for s, e in skip):
            continue
        word = not m.group("num")[0].isdigit()
        if word and not english:
            continue
        figure = _figure(text, m, sentence_of(num_start), english, decimal_comma)
        if figure is not None:
            out.append(figure)
    return out


def _figure(text: str, m: re.Match[str], sentence: int, english: bool, decimal_comma: bool
            ) -> Figure | None:
    raw = m.group("num")
    vague_text = re.sub(r"\s+of$", "", raw.lower())
    vague = vague_text in VAGUE
    value = parse_number(vague_text if vague else _as_point(raw, decimal_comma))
    if value is None or _not_a_figure(text, m, raw, value):
        return None
    high = parse_number(_as_point(m.group("high"), decimal_comma)) if m.group("high") else None
    if m.group("between") and high is None:
        return None
    end = m.end()
    unit = _unit(text, m, end)
    counted, counted_end = (None, end) if unit else _counted(text, end, english)
    event = _event(text, m.start(), counted_end) if english else None
    if raw.lower() in ("one", "a", "an") and not (event or counted in _PEOPLE_NOUNS):
        return None  # "one of them", "including one near": a pronoun, not a count
    if unit and unit != "percent" and m.group("unit") is None and not m.group("cur"):
        end = _WORD_AFTER.match(text, end).end()  # type: ignore[union-attr]
    qual = m.group("qual")
    start = m.start()
    if qual and qual.lower() in ("over", "under") and value < 10 and not unit:
        qual, start = None, m.start("num")  # "presided over two briefings": a preposition
    bound = "at_least" if vague else QUALIFIERS.get(qual.lower(), "exact") if qual else "exact"
    return Figure(
        start=start, end=max(end, counted_end), text=text[start:max(end, counted_end)],
        value=value, sentence=sentence, bound=bound, qualifier=qual.lower() if qual else None,
        counted=counted, event=event, unit=unit, value_high=high, vague=vague,
    )


def _as_point(raw: str, decimal_comma: bool) -> str:
    """A decimal-comma number in English notation ("1.200,5" -> "1,200.5")."""
    if not decimal_comma:
        return raw
    return raw.replace(".", "\x00").replace(",", ".").replace("\x00", ",")


def _not_a_figure(text: str, m: re.Match[str], raw: str, value: float) -> bool:
    """Years, ordinal-like labels ("Article 5"), clock times and the like."""
    start = m.start("num")
    if re.fullmatch(r"\d{4}", raw) and 1800 <= value <= 2100:
        nxt = _WORD_AFTER.match(text, m.end())
        return not (nxt and nxt.group(1).islower() and nxt.group(1).endswith("s"))
    if re.fullmatch(r"\d{1,3}", raw) and re.match(r",\s*\d{1,3}\s*,", text[start - 2:m.end() + 1] if
                                                   start >= 2 else "") and _capital_before(text, start):
        return True  # an age: "Daniel Okafor, 54, said"
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if raw[0].isdigit() and _RANK.search(text, max(0, start - 10), start):
        return True  # "the No. 3 House Democrat"
    if raw[0].isdigit() and before and before.group(1)[0].isupper() and not m.group("qual"):
        # "Article 5", "Resolution 2254", "Route 66" (but not a sentence-initial number)
        return text[before.end():start].strip() == "" and not m.group("cur")
    return False


def _capital_before(text: str, start: int) -> bool:
    word = re.search(r"(\w+)\W*$", text[max(0, start - 40):start])
    return bool(word and word.group(1)[0].isupper())


def _unit(text: str, m: re.Match[str], end: int) -> str | None:
    if m.group("unit"):
        return "percent"
    if m.group("cur"):
        return CURRENCY_SIGNS.get(m.group("cur").lower())
    nxt = _WORD_AFTER.match(text, end)
    if nxt:
        word = nxt.group(1).lower()
        if word in UNIT_WORDS:
            return UNIT_WORDS[word]
    return None


def _counted(text: str, end: int, english: bool) -> tuple[str | None, int]:
    """Head noun of the phrase after the number ("Three Idlib villages" -> villages)."""
    if not english:
        return None, end
    head: str | None = None
    head_end = end
    pos = end
    partitive = _PARTITIVE.match(text, end)  # "three of the zones"
    if partitive:
        pos = partitive.end()
    for _ in range(3):
        nxt = _WORD_AFTER.match(text, pos)
        if not nxt:
            break
        word = nxt.group(1)
        low = word.lower()
        if low in _STOP or low in EVENTS or (low.endswith(("ed", "ing")) and head is not None):
            break
        head, head_end, pos = low, nxt.end(), nxt.end()
        if low == "others" or low in _PEOPLE_NOUNS:
            break
    return head, head_end


def _event(text: str, start: int, end: int) -> str | None:
    """Casualty verb governing the number: just before it, else shortly after the phrase."""
    before = text[max(0, start - 40):start]
    clause = re.split(r"[,;:.()\u2014]", before)[-1].split()
    if clause and clause[-1].lower() in EVENTS:  # the verb right before governs the number
        return EVENTS[clause[-1].lower()]
    after = re.split(r"[,;:.()\u2014]", text[end:end + 50])[0].split()
    for word in after[:4]:
        low = word.lower().strip("'\u2019")
        if low in EVENTS:
            return EVENTS[low]
        if low in ("and", "but", "who", "which") or low in _PEOPLE_NOUNS:
            break
    return None
