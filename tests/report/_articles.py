"""Fixture articles of the report tests, written for them: a fictional ferry capsizing told by
three outlets.

Planted on purpose:

* the capsizing "on Tuesday night", told by all three (one timeline event, three outlets);
* a ministers' meeting told as "last month" by two outlets and "on 14 March" by the third
  (one event: the day lies in the month, the sentences say the same);
* a storm warning issued "on Tuesday afternoon", the same day as the capsizing but another
  event (it must stay apart);
* an inquiry "in 2019" only the third outlet mentions;
* a death toll told as nine by two outlets and eleven by the other (a conflict);
* a paragraph of Associated Press copy carried verbatim by two outlets that both credit AP;
* loaded words ("scandal", "ruinous") in one outlet only; the third outlet gives a date only.
"""

from __future__ import annotations

from datetime import UTC, datetime

from newsprism.model import Article
from newsprism.testing import make_article

HERALD = "North Isles Herald"
REVIEW = "Coastal Wire Review"
POST = "Island Evening Post"
WIRE = (
    "The operator, Northern Isles Shipping, said the vessel had passed its annual safety "
    "inspection in January and that the crew had followed every emergency procedure"
)


def herald() -> Article:
    """First to publish; nine dead; AP copy; loaded words."""
    return make_article(
        "Nine dead as ferry capsizes in storm off Rona",
        (
            (
                "Nine people were killed when the passenger ferry Skerry Star capsized in a storm off "
                "the island of Rona on Tuesday night, the coastguard said."
            ),
            (
                "Rescue crews pulled 31 survivors from the water, and four people are still missing, "
                "according to the coastguard."
            ),
            (
                "The ferry was carrying 44 passengers and crew on its regular crossing to the mainland "
                "when it was hit by waves more than six metres high, the Associated Press reported."
            ),
            f"{WIRE}.",
            (
                "Transport minister Elena Marsh met ferry operators in Kirkwall last month to tighten "
                "safety rules for winter crossings."
            ),
            (
                "Critics called the sinking a scandal and blamed years of ruinous cost-cutting by the "
                "operator."
            ),
            (
                "“We heard a terrible crash and then the lights went out,” said survivor Tom Baird, a "
                "fisherman from Rona."
            ),
        ),
        source=HERALD,
        published=datetime(2026, 4, 8, 7, 30, tzinfo=UTC),
    )


def review() -> Article:
    """Two hours later; eleven dead; the same AP copy; the meeting dated 14 March."""
    return make_article(
        "Ferry disaster off Rona: eleven killed as search goes on for the missing",
        (
            (
                "Eleven people were killed when the ferry Skerry Star capsized in a storm off Rona on "
                "Tuesday night, the coastguard said."
            ),
            (
                "Rescue teams pulled 31 survivors from the sea, and a search continues for those still "
                "missing."
            ),
            f"{WIRE}, the Associated Press reported.",
            (
                "Transport minister Elena Marsh met ferry operators in Kirkwall on 14 March to agree "
                "tighter safety rules for winter crossings."
            ),
            (
                "The harbour master in Rona, Moira Kerr, said the storm warning had been issued on "
                "Tuesday afternoon and passed to every vessel in the area."
            ),
            "Flags on public buildings across the islands will fly at half mast on Friday.",
        ),
        source=REVIEW,
        published=datetime(2026, 4, 8, 9, 45, tzinfo=UTC),
    )


def post() -> Article:
    """The next day, with a date only; the 2019 inquiry; nine dead."""
    return make_article(
        "Questions over Skerry Star safety after deadly capsizing",
        (
            (
                "Islanders are asking why the Skerry Star was allowed to sail into a storm, after "
                "forecasters had warned of gale-force winds across the northern isles."
            ),
            (
                "A public inquiry in 2019 criticised Northern Isles Shipping for overloading its "
                "ferries on the Rona route."
            ),
            (
                "Nine people were killed when the passenger ferry capsized off Rona on Tuesday night, "
                "the coastguard said."
            ),
            (
                "The company said it would cooperate fully with investigators from the Marine "
                "Accident Investigation Branch."
            ),
            (
                "Transport minister Elena Marsh, who met ferry operators in Kirkwall last month to "
                "tighten safety rules for winter crossings, promised a review."
            ),
        ),
        source=POST,
        published=datetime(2026, 4, 9),
    )


def ferry_story() -> list[Article]:
    """The three articles, oldest first."""
    return [herald(), review(), post()]
