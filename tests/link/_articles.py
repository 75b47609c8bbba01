"""Fictional articles for the link tests (our own text): three stories told by several outlets,
plus syndicated copies and a wire rewrite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsprism.model import Article
from newsprism.testing import make_article

DAY = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)

FLOOD = [
    (
        "Brenn river floods Riverton, 2,000 residents evacuated",
        [
            ("Heavy rain pushed the Brenn river over its banks in Riverton on Monday, and emergency "
            "services evacuated about 2,000 residents from the low-lying Millgate district."),
            ("Mayor Alma Quist said the river crested at 6.2 metres at the Old Weir gauge, the highest "
            "level recorded since the flood of 1987, and that three schools would stay closed."),
            ("The regional water authority opened the Tarn spillway to relieve pressure on the dam "
            "upstream, and the army sent 150 soldiers with pumps and sandbags."),
        ],
    ),
    (
        "Riverton orders Millgate evacuation as Brenn river rises",
        [
            ("Officials in Riverton ordered people out of the Millgate district on Monday as the Brenn "
            "river rose to 6.2 metres after two days of record rain."),
            ("Mayor Alma Quist called it the worst flood in Riverton since 1987 and thanked the 150 "
            "soldiers who arrived with pumps overnight."),
            ("Residents of Millgate said water reached the first floor of some homes on Canal Street, "
            "and the Tarn spillway was opened to protect the dam."),
        ],
    ),
    (
        "Army pumps and sandbags as Riverton flood peaks",
        [
            ("Soldiers filled sandbags along Canal Street in Riverton as the flooded Brenn river "
            "peaked at 6.2 metres, Mayor Alma Quist said on Tuesday."),
            ("About 2,000 evacuated Millgate residents spent a second night in sports halls, and the "
            "water authority said the Tarn spillway would stay open until Thursday."),
        ],
    ),
]

RATES = [
    (
        "Karsland central bank raises rates to 4.5 percent",
        [
            ("The Karsland central bank raised its main interest rate by half a point to 4.5 percent "
            "on Tuesday, citing inflation that has stayed above 6 percent for a year."),
            ("Governor Pell Odami told reporters in Vesk that further increases were possible if fuel "
            "and food prices kept rising through the summer."),
            ("The krona rose against the euro after the decision, and mortgage lenders said they would "
            "pass the increase on to borrowers within weeks."),
        ],
    ),
    (
        "Odami lifts Karsland rate to 4.5% as inflation stays high",
        [
            ("Governor Pell Odami lifted the Karsland central bank's benchmark rate to 4.5 percent on "
            "Tuesday, the fourth increase this year, to fight inflation above 6 percent."),
            ("Speaking in Vesk, Odami said the bank was ready to act again, and the krona gained "
            "against the euro while mortgage lenders warned of higher payments."),
        ],
    ),
]

QUAKE = [
    (
        "Magnitude 6.1 earthquake shakes Lorvan coast",
        [
            ("A magnitude 6.1 earthquake struck off the Lorvan coast early on Wednesday, damaging "
            "the harbour wall in Pellis and cutting power to 40,000 homes."),
            ("The Lorvan seismic institute said the quake was centred 30 kilometres offshore at a "
            "depth of 12 kilometres, and no tsunami warning was issued."),
        ],
    ),
    (
        "Pellis harbour damaged as earthquake hits Lorvan",
        [
            ("An earthquake of magnitude 6.1 damaged the harbour in Pellis on Wednesday and left "
            "40,000 homes in the Lorvan region without power, officials said."),
            ("The seismic institute located the quake 30 kilometres offshore; fishermen in Pellis "
            "said two boats sank at their moorings."),
        ],
    ),
]

WIRE_SENTENCES = [
    ("The Continental Press Agency said the ministry confirmed the Harlow tunnel would reopen to "
    "freight traffic on Friday after eleven days of repairs."),
    ("Engineers replaced forty metres of damaged track lining and tested the ventilation fans "
    "before the safety board signed off the work on Wednesday evening."),
    ("Freight operators had diverted more than three hundred trains through the coastal line "
    "while the tunnel was closed, adding hours to every journey."),
]


def articles(titles_and_paras: list[tuple[str, list[str]]], sources: list[str], start: datetime) -> list[Article]:
    """Articles from (title, paragraphs) pairs, one outlet each, an hour apart."""
    return [
        make_article(title, paras, source=source, published=start + timedelta(hours=i))
        for i, ((title, paras), source) in enumerate(zip(titles_and_paras, sources, strict=True))
    ]


def three_stories() -> tuple[list[Article], list[Article], list[Article]]:
    """The flood, rates and quake stories (3, 2 and 2 articles), interleaved times."""
    flood = articles(FLOOD, ["Riverton Herald", "National Daily", "Evening Post"], DAY)
    rates = articles(RATES, ["Business Times", "National Daily"], DAY + timedelta(minutes=30))
    quake = articles(QUAKE, ["Coast Radio", "Evening Post"], DAY + timedelta(minutes=45))
    return flood, rates, quake


def syndicated_copy(original: Article, source: str) -> Article:
    """A wire copy: new headline, tail trimmed, a caption line added."""
    paras = list(original.paragraphs[:-1]) + [original.paragraphs[-1].split(",")[0] + "."]
    paras.append("Photo: rescue teams at work (Agency picture desk)")
    return make_article("NEW: " + original.title.upper(), paras, source=source, published=original.published)


def wire_rewrites(start: datetime) -> list[Article]:
    """Two outlets rewriting one agency report: whole sentences shared, the rest their own."""
    first = make_article(
        "Harlow tunnel to reopen to freight on Friday",
        [WIRE_SENTENCES[0], "Local businesses in Harlow welcomed the news after a difficult fortnight.",
         WIRE_SENTENCES[1], "The mayor of Harlow said she would ride the first train through."],
        source="Harlow Mercury",
        published=start,
    )
    second = make_article(
        "Freight returns to Harlow tunnel after repairs",
        ["Rail freight will return to the Harlow tunnel this week, ending a long detour for hauliers.",
         WIRE_SENTENCES[0], WIRE_SENTENCES[1], WIRE_SENTENCES[2],
         "Union representatives asked for a review of maintenance budgets across the network."],
        source="Rail Trade Weekly",
        published=start + timedelta(hours=3),
    )
    return [first, second]
