"""Site boilerplate: a line one outlet prints under many stories is learnt from the store, set
apart as ``site_boilerplate`` and never links two of its stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsprism.link import boilerplate, make_link_hook
from newsprism.model import RemovalReason
from newsprism.pipeline import ingest_articles
from newsprism.storage import MemoryStore, SQLiteStore
from newsprism.testing import make_article

PROMO = [
    "Download the Riverside Daily News app for breaking news alerts on your phone today.",
    "Sign up for our free morning newsletter and never miss a story from Riverside again.",
]
EVENTS = [
    ("Fire guts bakery on Mill Street", "Flames tore through the Hartwell bakery overnight, firefighter Dana Oakes said."),
    ("Council approves new bus depot", "Councillor Priya Venn won the vote on the depot 7 to 2 after a long debate."),
    ("Man hurt in Elm Road shooting", "Detective Carl Mbeki said the victim, 34, was shot twice near the Elm Road shops."),
    ("School choir wins national prize", "The Brookvale choir led by Ana Sorel took first place in the national final."),
    ("Woman hurt in Dock Lane shooting", "Sergeant Lia Fenwick said a woman, 51, was shot in the leg on Dock Lane."),
]


FILLER = {
    0: "Neighbours woke to smoke and sirens; the bakery's owners said the ovens had been serviced "
       "last month and that they hoped to reopen by spring with help from insurers.",
    1: "The depot will hold forty electric buses and open in two years; residents of the north "
       "estate had asked for a quieter site, and the plan was changed twice before the vote.",
    2: "Police closed the road for six hours and asked anyone with dashcam footage to come "
       "forward; the man is in a stable condition at the county hospital.",
    3: "Forty singers aged nine to sixteen travelled to the capital for the final, and the "
       "headteacher said the win would pay for new robes and a tour next summer.",
    4: "Officers searched gardens along the lane overnight and a dog unit found a casing; the "
       "woman was treated at the scene and taken to hospital by ambulance.",
}


def _article(i: int, title: str, lead: str, promo: bool = True):  # type: ignore[no-untyped-def]
    day = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=40 * i)
    paragraphs = [lead, FILLER[i], f"The report was filed on day {i} by the local desk."] + (PROMO if promo else [])
    return make_article(title, paragraphs, source="Riverside Daily", published=day)


def test_boilerplate_line_keys_fold_case_digits_and_spacing() -> None:
    a = make_article("t", ["Get the  App  in 2024 now please", "Short line"])
    b = make_article("t", ["get the app in 2025 NOW please", "Short line"])
    assert boilerplate.line_keys(a)[0] == boilerplate.line_keys(b)[0] != 0
    assert boilerplate.line_keys(a)[1] == 0  # too short to key


def test_boilerplate_is_learnt_per_outlet_and_set_apart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with SQLiteStore(tmp_path / "b.db") as store:
        articles = [_article(i, *e) for i, e in enumerate(EVENTS)]
        for article in articles:  # one at a time, as a live feed would bring them
            ingest_articles([article], store, hooks=[make_link_hook(store)])
        ids = {store.story_article(a.id).story_id for a in articles}  # type: ignore[union-attr]
        assert len(ids) == len(EVENTS)  # the promo never linked two stories
        known = store.site_boilerplate("Riverside Daily")
        promo_keys = set(boilerplate.line_keys(articles[0])[3:])
        assert promo_keys <= known
        assert store.site_boilerplate("Another Outlet") == set()
        shown = boilerplate.view(store, store.get_article(articles[-1].id))
        # The desk's sign-off names a day: digits fold, so it is the outlet's line too.
        expected = ["The report was filed on day 4 by the local desk.", *PROMO]
        assert [r.text for r in shown.removed if r.reason is RemovalReason.SITE_BOILERPLATE] == expected
        assert all(p not in shown.paragraphs for p in expected) and EVENTS[-1][1] in shown.paragraphs


def test_boilerplate_needs_three_different_stories() -> None:
    store = MemoryStore()
    # Three updates of one story repeat their lines: that is the story, not the outlet.
    updates = [_article(0, EVENTS[0][0] + f" (update {k})", EVENTS[0][1]) for k in range(3)]
    ingest_articles(updates, store, hooks=[make_link_hook(store)])
    assert len({store.story_article(a.id).story_id for a in updates}) == 1  # type: ignore[union-attr]
    assert store.site_boilerplate("Riverside Daily") == set()
