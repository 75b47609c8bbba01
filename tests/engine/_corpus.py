"""A small seeded corpus for the engine tests (our own made-up text): events of a few kinds, each
told by several outlets in their own words, with shared stock phrases and a line of site
boilerplate per outlet, so linking has same-kind events to keep apart."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from newsprism.model import Article
from newsprism.testing import make_article

START = datetime(2025, 2, 3, 8, 0, tzinfo=UTC)
_KINDS = {
    "fire": "fire blaze crews flames smoke roof damage residents evacuated chief engine",
    "vote": "council vote budget ordinance approved members mayor hearing zoning plan",
    "crash": "crash driver collision highway lanes injured troopers truck closed speed",
    "court": "court judge jury trial sentenced prosecutors plea verdict appeal charges",
}
_SYL = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "da", "fe", "gu", "ho", "ja", "ki", "lu"]


def _name(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(_SYL) for _ in range(parts)).capitalize()


def corpus(n_events: int = 60, seed: int = 7) -> list[Article]:
    """About ``4 * n_events`` articles over 30 days, in no particular order."""
    rng = random.Random(seed)
    outlets = [f"{_name(rng, 2)} {kind}" for kind in ("Times", "Post", "Herald", "News", "Daily", "Courier")]
    promo = {o: f"Sign up for the {o} newsletter for {_name(rng)} and {_name(rng)} updates." for o in outlets}
    articles: list[Article] = []
    for _ in range(n_events):
        kind = rng.choice(list(_KINDS))
        words = _KINDS[kind].split()
        town, person, street = _name(rng), f"{_name(rng, 2)} {_name(rng)}", f"{_name(rng, 2)} Street"
        figure = rng.randint(3, 900)
        day = START + timedelta(days=rng.uniform(0, 30))
        detail = [_name(rng, 2).lower() for _ in range(10)]  # what this event alone is about
        facts = [
            (f"{person} said the {rng.choice(words)} on {street} in {town} involved {figure} "
             f"{' '.join(detail[:4])}."),
            f"Officials in {town} described {' '.join(detail[4:7])} near {street}.",
            f"{person} told reporters that {figure} {' '.join(detail[7:])} of {town} were affected.",
            f"The {' '.join(rng.sample(detail, 4))} in {town} drew {rng.choice(words)} crews.",
        ]
        for outlet in rng.sample(outlets, rng.randint(2, 6)):
            stock = " ".join(rng.sample(words, 6)).capitalize() + " were reported by officials."
            paragraphs = [*rng.sample(facts, 3), stock, promo[outlet]]
            title = f"{town} {kind}: {person.split()[1]} {rng.choice(words)} {rng.choice(words)}"
            published = day + timedelta(hours=rng.uniform(0, 48))
            articles.append(make_article(title, paragraphs, source=outlet, published=published))
    rng.shuffle(articles)
    return articles
