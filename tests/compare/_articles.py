"""Fixture articles for the compare tests (written for these tests; a made-up storm).

Planted on purpose: a death toll told two ways (twelve killed / fifteen killed: a conflict), the same
evacuation figure hedged two ways ("more than 3,000" / "over 3,000": no conflict), one date told
two ways ("28 March" / "last month" in April: no conflict), a long quote both outlets carry
verbatim, a wire credit spelled right in one outlet and wrong in the other ("Reuters" /
"Reuter"), loaded words in one outlet only, and sentences each outlet alone reports.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from newsprism.model import Article
from newsprism.testing import make_article

QUOTE = (
    "“We have never seen the water rise this high in living memory, and we ask everyone in the "
    "lower town to stay indoors tonight,”"
)


def coastal() -> Article:
    """Outlet A: the flood and its toll, critical tone."""
    return make_article(
        "Storm Helga floods Porto as river bursts its banks",
        (
            (
                "Storm Helga flooded the old town of Porto on Tuesday after the Douro river burst its "
                "banks, emergency services said."
            ),
            (
                "Twelve people were killed and 40 injured, the civil protection agency told Reuters on "
                "Wednesday."
            ),
            (
                "Rescue teams evacuated more than 3,000 residents from low-lying streets near the river, "
                "officials said."
            ),
            f"{QUOTE} Mayor Rui Moreira told reporters at the town hall.",
            "Forecasters first warned of the storm on 28 March.",
            "The regional government said the damage would cost about 200 million euros to repair.",
            "Critics said the brutal storm exposed years of ruinous underinvestment in flood defences.",
        ),
        source="Coastal Courier",
        published=datetime(2026, 4, 8, 9, 0, tzinfo=UTC),
    )


def harbour() -> Article:
    """Outlet B: a higher toll, the same quote, other details."""
    return make_article(
        "Death toll rises as Storm Helga hits northern Portugal",
        (
            (
                "Fifteen people were killed and 40 injured when Storm Helga flooded Porto on Tuesday, "
                "the civil protection agency told Reuter."
            ),
            (
                "Over 3,000 residents were evacuated from low-lying streets near the Douro river, "
                "officials said."
            ),
            f"{QUOTE} Mayor Rui Moreira said on Wednesday.",
            "Forecasters first warned of the storm last month.",
            (
                "Emergency crews were still searching for two missing fishermen off the coast, the navy "
                "said."
            ),
            "The disaster comes a year after a similar storm battered the same stretch of coast.",
        ),
        source="Harbour Ledger",
        published=datetime(2026, 4, 9, 7, 30, tzinfo=UTC),
    )


def valley() -> Article:
    """Outlet C: agrees with A on the toll and the repair bill."""
    return make_article(
        "Porto counts the cost of Storm Helga",
        (
            (
                "Storm Helga killed 12 people in Porto on Tuesday, according to the civil protection "
                "agency."
            ),
            "Shopkeepers in the old town began clearing mud from their premises on Wednesday.",
            "The regional government estimated the repair bill at about 200 million euros.",
        ),
        source="Valley Times",
        published=datetime(2026, 4, 9, 12, 0, tzinfo=UTC),
    )


@functools.lru_cache(maxsize=1)
def comparer():  # type: ignore[no-untyped-def]
    """One comparer (models load once) for every compare test of the session."""
    from newsprism.compare.pair import Comparer

    return Comparer()
