"""Place resolution: the seeds' places, spelling variants, context, untrusted towns."""

from __future__ import annotations

import pytest

from newsprism.analyze.places import PlaceResolver, display_name, fold
from newsprism.errors import ConfigError

SYRIA = frozenset({"SY", "TR", "RU"})


@pytest.fixture(scope="module")
def places() -> PlaceResolver:
    return PlaceResolver()


@pytest.mark.parametrize(
    ("name", "country", "kind"),
    [("Idlib", "SY", "city"), ("Aleppo", "SY", "city"), ("Damascus", "SY", "city"),
     ("Saraqeb", "SY", "city"), ("Jabal al-Zawiya", "SY", "region"), ("Moscow", "RU", "city"),
     ("Syria", "SY", "country"), ("the U.S.", "US", "country"), ("Türkiye", "TR", "country"),
     ("Idlib province", "SY", "region"), ("Port of Rotterdam", "NL", "city")],
)
def test_places_resolve_seed_places_to_country_and_coordinates(
    places: PlaceResolver, name: str, country: str, kind: str
) -> None:
    found = places.resolve(name, SYRIA)
    assert found is not None
    assert (found.country, found.kind) == (country, kind)
    assert -90 <= found.latitude <= 90 and -180 <= found.longitude <= 180


def test_places_alternate_spelling_resolves_to_the_geonames_name(places: PlaceResolver) -> None:
    found = places.resolve("Saraqeb", SYRIA)
    assert found is not None and found.name == "Saraqib" and found.geonameid


def test_places_context_breaks_ties_between_towns(places: PlaceResolver) -> None:
    assert places.resolve("Hyderabad").country == "IN"  # type: ignore[union-attr]
    assert places.resolve("Hyderabad", frozenset({"PK"})).country == "PK"  # type: ignore[union-attr]
    # context does not beat a far larger namesake: Damascus stays Syrian in a US story
    assert places.resolve("Damascus", frozenset({"US"})).country == "SY"  # type: ignore[union-attr]
    assert places.resolve("Mecca", frozenset({"US"})).country == "SA"  # type: ignore[union-attr]


def test_places_small_towns_abroad_are_not_trusted(places: PlaceResolver) -> None:
    police = places.resolve("Police")
    assert police is not None and not police.trusted
    assert places.resolve("Assad") is None and places.resolve("Reuters") is None


def test_places_demonyms_and_aliases(places: PlaceResolver) -> None:
    assert places.demonym_country("Syrians") == "SY"
    assert places.country_code("Britain") == "GB"


def test_places_names_fold_and_display() -> None:
    assert fold("Jabal al-Zawiya") == fold("jabal al Zawiya") == "jabal al zawiya"
    assert display_name("\u1e28am\u0101h") == "Hamah" and display_name("Z\u00fcrich") == "Z\u00fcrich"


def test_places_min_population_is_validated() -> None:
    with pytest.raises(ConfigError, match="min_population"):
        PlaceResolver(min_population=7)
