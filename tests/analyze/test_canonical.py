"""Canonical names and keys: people, organisations (typos, acronyms), actors."""

from __future__ import annotations

import pytest

from newsprism.analyze.actors import find_actors
from newsprism.analyze.canonical import EntityKB, group_orgs, group_people
from newsprism.analyze.places import PlaceResolver


@pytest.fixture(scope="module")
def kb() -> EntityKB:
    return EntityKB()


def test_canonical_people_group_short_forms_under_the_full_name(kb: EntityKB) -> None:
    names = ["Bashar Al-Assad", "Assad", "Al-Assad", "Recep Tayyib Erdogan", "Erdogan"]
    got = group_people(names, kb)
    assert {c for c, _ in got[:3]} == {"Bashar al-Assad"}
    assert {c for c, _ in got[3:]} == {"Recep Tayyip Erdogan"}
    assert got[0][1] == got[2][1] != got[3][1]


def test_canonical_unknown_people_take_their_longest_form(kb: EntityKB) -> None:
    got = group_people(["Maria Lindqvist", "Lindqvist", "Olli Rantanen"], kb)
    assert got[0] == got[1] == ("Maria Lindqvist", "person:maria lindqvist")
    assert got[2][0] == "Olli Rantanen"


def test_canonical_orgs_fix_typos_acronyms_and_articles(kb: EntityKB) -> None:
    got = group_orgs(["Andalou Agency", "Anadolu Agency", "AFP", "The New Arab\u2019s",
                      "Syrian Observatory for Human Rights", "SOHR", "Acme Widgets Corp",
                      "Acme Widget Corp"], kb)
    names = [c for c, _ in got]
    assert names[:4] == ["Anadolu Agency", "Anadolu Agency", "Agence France-Presse",
                         "The New Arab"]
    assert names[4] == names[5] == "Syrian Observatory for Human Rights"
    assert names[6] == names[7]


def test_canonical_caps_only_aliases_need_capitals(kb: EntityKB) -> None:
    assert kb.org("AP") == "Associated Press" and kb.org("Ap") is None
    assert kb.org("WHO") == "World Health Organization" and kb.org("who") is None
    assert kb.is_agency("Reuters") and not kb.is_agency("United Nations")


def test_canonical_actors_make_regime_and_forces_one_actor(kb: EntityKB) -> None:
    text = ("The Syrian regime army, backed by Iran-backed fighters, advanced. Syrian regime "
            "forces shelled regime-held towns as regime forces and the Assad regime pressed on.")
    actors = find_actors(text, kb, PlaceResolver())
    state = [a for a in actors if a.key == "actor:SY:state"]
    assert [text[a.start:a.end] for a in state] == [
        "Syrian regime army", "Syrian regime forces", "regime", "regime forces", "Assad regime"]
    assert {a.canonical for a in state} == {"Syrian regime"}
    assert any(a.key == "actor:IR:backed" for a in actors)


def test_canonical_entity_names_over_a_story() -> None:
    from newsprism.analyze.canonical import entity_names
    from newsprism.analyze.model import Analysis, Entity

    def one(aid: str, canonical: str) -> Analysis:
        entity = Entity(0, 7, "Erdogan", "PERSON", canonical, "person:erdogan", 0)
        return Analysis(aid, "v", "en", entities=(entity, entity))

    names = entity_names([one("a", "Recep Tayyip Erdogan"), one("b", "Tayyip Erdogan")])
    assert names == {"person:erdogan": "Recep Tayyip Erdogan"}
