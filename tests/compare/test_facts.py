"""Claims grouped into facts by coverage, and conflicts only where values cannot both hold."""

from __future__ import annotations

from newsprism.analyze.model import Entity, Figure, Place, TimeExpression
from newsprism.compare import values
from newsprism.compare.base import AlignedPair
from newsprism.compare.facts import Claim, find_conflicts, group_facts


def _fig(
    text: str,
    value: float,
    bound: str = "exact",
    counted: str | None = None,
    event: str | None = None,
    vague: bool = False,
    unit: str | None = None,
) -> Figure:
    return Figure(
        0,
        len(text),
        text,
        value,
        0,
        bound=bound,
        counted=counted,
        event=event,
        vague=vague,
        unit=unit,
    )


def _time(text: str, value: str, first: str, last: str, start: int = 0) -> TimeExpression:
    granularity = "day" if first == last else "month"
    return TimeExpression(start, start + len(text), text, value, granularity, first, last, 0)


def _place(name: str, lat: float, lon: float, kind: str = "city") -> Place:
    return Place(0, len(name), name, name, "XX", "Xland", lat, lon, kind, 0)


def _actor(text: str, label: str, key: str, start: int = 0) -> Entity:
    return Entity(start, start + len(text), text, label, text, key, 0)


def _claim(doc: int, sentence: int, text: str, **parts: tuple) -> Claim:  # type: ignore[type-arg]
    return Claim(
        doc=doc,
        article_id=f"art{doc}",
        source=f"Outlet {doc}",
        sentence=sentence,
        start=0,
        end=len(text),
        text=text,
        **parts,
    )


def test_facts_hedged_figures_that_can_both_hold_agree() -> None:
    over = _fig("over 1,800 civilians", 1800, "over", "civilians", "killed")
    more = _fig("more than 1,800 civilians", 1800, "over", "civilians", "killed")
    assert values.quantity_conflicts([over], [more]) == []
    exact = _fig("2,000 civilians", 2000, "exact", "civilians", "killed")
    assert values.quantity_conflicts([over], [exact]) == []
    nearly = _fig("nearly two million people", 2e6, "nearly", "people", "displaced")
    assert (
        values.quantity_conflicts([nearly], [_fig("1.9 million", 1.9e6, event="displaced")]) == []
    )


def test_facts_different_counts_of_one_thing_conflict() -> None:
    twelve = _fig("12 people", 12, counted="people", event="killed")
    fifteen = _fig("fifteen civilians", 15, counted="civilians", event="killed")
    assert values.quantity_conflicts([twelve], [fifteen]) == [
        ("people killed", "12 people", "fifteen civilians")
    ]


def test_facts_figures_of_different_things_never_conflict() -> None:
    killed = _fig("12 soldiers", 12, counted="soldiers", event="killed")
    assert (
        values.quantity_conflicts(
            [killed], [_fig("15 civilians", 15, counted="civilians", event="killed")]
        )
        == []
    )
    assert (
        values.quantity_conflicts(
            [killed], [_fig("15 soldiers", 15, counted="soldiers", event="injured")]
        )
        == []
    )
    assert (
        values.quantity_conflicts(
            [killed], [_fig("millions", 2e6, "at_least", event="killed", vague=True)]
        )
        == []
    )
    money = _fig("200 million euros", 2e8, "about", unit="EUR")
    assert values.quantity_conflicts([money], [_fig("150 million euros", 1.5e8, unit="EUR")]) != []
    # four times apart: a part against a total, or another period (MAX_VERSION_RATIO is 2)
    assert values.quantity_conflicts([money], [_fig("50 million euros", 5e7, unit="EUR")]) == []
    assert values.quantity_conflicts([money], [_fig("50 percent", 50, unit="percent")]) == []


def test_facts_same_date_written_two_ways_is_no_conflict() -> None:
    day = _claim(
        0,
        0,
        "They met on 5 March.",
        times=(_time("5 March", "2020-03-05", "2020-03-05", "2020-03-05", 11),),
    )
    month = _claim(
        1,
        0,
        "They met last month.",
        times=(_time("last month", "2020-03", "2020-03-01", "2020-03-31", 9),),
    )
    assert not values.dates_conflict(day, month)
    other = _claim(
        1,
        0,
        "They met on 9 April.",
        times=(_time("9 April", "2020-04-09", "2020-04-09", "2020-04-09", 11),),
    )
    assert values.dates_conflict(day, other)


def test_facts_date_of_a_statement_is_not_the_date_of_the_event() -> None:
    said = _claim(
        0,
        0,
        "Twelve died, officials told Reuters on Wednesday.",
        times=(_time("Wednesday", "2020-04-01", "2020-04-01", "2020-04-01", 39),),
    )
    event = _claim(
        1,
        0,
        "Twelve died on Tuesday.",
        times=(_time("Tuesday", "2020-03-31", "2020-03-31", "2020-03-31", 16),),
    )
    assert not values.dates_conflict(said, event)


def test_facts_places_far_apart_conflict_near_ones_do_not() -> None:
    idlib, saraqib, hama = (
        _place("Idlib", 35.93, 36.63),
        _place("Saraqib", 35.86, 36.80),
        _place("Hama", 35.13, 36.75),
    )
    syria = _place("Syria", 33.5, 36.3, "country")
    assert not values.places_conflict([idlib], [saraqib])
    assert values.places_conflict([idlib], [hama])
    assert not values.places_conflict([idlib, syria], [syria])


def test_facts_actors_same_party_written_two_ways_agree() -> None:
    a = _claim(
        0,
        0,
        "Iran-backed fighters looted homes.",
        actors=(_actor("Iran-backed fighters", "ACTOR", "actor:IR:backed"),),
    )
    b = _claim(
        1,
        0,
        "Iranian-backed militias looted homes.",
        actors=(_actor("Iranian-backed militias", "ACTOR", "actor:IR:backed"),),
    )
    assert values.actors_conflict(a, b) is None
    russian = _claim(
        0, 0, "Russian jets bombed the market.", actors=(_actor("Russian", "NORP", "norp:RU"),)
    )
    syrian = _claim(
        1, 0, "Syrian jets bombed the market.", actors=(_actor("Syrian", "NORP", "norp:SY"),)
    )
    assert values.actors_conflict(russian, syrian) == ("Russian", "Syrian")
    both = _claim(
        1,
        0,
        "Syrian jets, helped by Russian ones, bombed it.",
        actors=(_actor("Syrian", "NORP", "norp:SY"), _actor("Russian", "NORP", "norp:RU", 22)),
    )
    assert values.actors_conflict(russian, both) is None


def _pair(
    i: int, j: int, score: float, paraphrase: bool = True, cosine: float = 0.8
) -> AlignedPair:
    return AlignedPair(i, j, "", "", score, cosine, paraphrase)


def test_facts_grouped_by_coverage_across_three_articles() -> None:
    claims = [
        [
            _claim(0, 0, "Storm floods the old town of Porto."),
            _claim(0, 1, "The mayor urged calm tonight."),
        ],
        [_claim(1, 0, "The old town of Porto was flooded by the storm.")],
        [_claim(2, 0, "Porto old town under water after storm."), _claim(2, 1, "Ok.")],
    ]
    links = {
        (0, 1): [_pair(0, 0, 0.9)],
        (0, 2): [_pair(0, 0, 0.8)],
        (1, 2): [_pair(0, 0, 0.4, False)],
    }
    facts = group_facts(claims, links)
    assert [(f.coverage, f.article_ids) for f in facts] == [
        ("all", ("art0", "art1", "art2")),
        ("one", ("art0",)),
    ]
    assert facts[0].score == 0.8


def test_facts_conflict_needs_alignment() -> None:
    a = _claim(
        0,
        0,
        "Twelve people were killed in the flood, officials said.",
        figures=(_fig("Twelve people", 12, counted="people", event="killed"),),
    )
    b = _claim(
        1,
        0,
        "Fifteen people were killed in the flood, officials said.",
        figures=(_fig("Fifteen people", 15, counted="people", event="killed"),),
    )
    unrelated = [_pair(0, 0, 0.2, False, cosine=0.2)]
    assert find_conflicts([[a], [b]], {(0, 1): unrelated}) == []
    [conflict] = find_conflicts([[a], [b]], {(0, 1): [_pair(0, 0, 0.9)]})
    assert (conflict.kind, conflict.value_a, conflict.value_b) == (
        "quantity",
        "Twelve people",
        "Fifteen people",
    )
    assert conflict.to_dict()["a"]["text"] == a.text


def test_facts_values_compared_only_when_the_rest_of_the_sentence_agrees() -> None:
    a = _claim(
        0,
        0,
        "Obama has cut $716 billion from Medicare, the ad says.",
        figures=(_fig("$716 billion", 716e9, unit="USD"),),
    )
    b = _claim(
        1,
        0,
        "His health plan would cut Medicare by $800 billion, a 22 percent cut.",
        figures=(_fig("$800 billion", 800e9, unit="USD"),),
    )
    assert values.residual_overlap(a, b) < values.RESIDUAL_OVERLAP
    assert values.disagreements(a, b) == []


def test_facts_different_subjects_are_two_facts_not_a_conflict() -> None:
    text_a = "The Red Sox offered Teixeira an eight-year contract worth $200 million."
    text_b = "The Nationals offered Teixeira an eight-year contract worth $160 million."
    a = _claim(
        0,
        0,
        text_a,
        figures=(_fig("$200 million", 2e8, unit="USD"),),
        actors=(_actor("The Red Sox", "ORG", "org:red sox"),),
    )
    b = _claim(
        1,
        0,
        text_b,
        figures=(_fig("$160 million", 1.6e8, unit="USD"),),
        actors=(_actor("The Nationals", "ORG", "org:nationals"),),
    )
    assert values.different_subjects(a, b) is not None
    assert values.disagreements(a, b) == []
    he = _claim(
        1,
        0,
        "He offered Teixeira an eight-year contract worth $160 million.",
        figures=b.figures,
        actors=(),
    )
    assert values.disagreements(a, he)[0][0] == "quantity"


def test_facts_people_named_two_ways_are_one_subject() -> None:
    a = _claim(
        0,
        0,
        "Paul D. Ryan dismissed the letter on Friday.",
        actors=(_actor("Paul D. Ryan", "PERSON", "person:paul d ryan"),),
    )
    b = _claim(
        1,
        0,
        "Rep. Ryan dismissed the letter on Friday.",
        actors=(_actor("Rep. Ryan", "PERSON", "person:rep ryan", 0),),
    )
    assert values.different_subjects(a, b) is None


def test_facts_yearless_dates_and_deadlines() -> None:
    march_2 = _time("March 2", "2010-03-02", "2010-03-02", "2010-03-02", 8)
    march_2008 = _time("March 2008", "2008-03", "2008-03-01", "2008-03-31", 8)
    a = _claim(0, 0, "At that March 2 event he spoke.", times=(march_2,))
    b = _claim(1, 0, "He spoke in March 2008 to the group.", times=(march_2008,))
    assert not values.dates_conflict(a, b)
    june = _time("June", "2011-06", "2011-06-01", "2011-06-30", 29)
    said = _claim(0, 0, "Trump said he will decide by June whether to run.", times=(june,))
    assert [t.text for t in values._dated(said.times, said)] == ["June"]


def test_facts_one_fact_holds_at_most_two_near_sentences_of_an_article() -> None:
    claims = [
        [_claim(0, k, f"The storm flooded the old town, report number {k}.") for k in range(6)],
        [_claim(1, 0, "The old town was flooded by the storm.")],
    ]
    links = {(0, 1): [_pair(0, 0, 0.9), _pair(1, 0, 0.85), _pair(5, 0, 0.8)]}
    [fact, *rest] = [f for f in group_facts(claims, links) if f.coverage == "all"]
    assert [(c.doc, c.sentence) for c in fact.claims] == [(0, 0), (0, 1), (1, 0)]
    assert rest == []


def test_facts_cited_speakers_are_not_subjects() -> None:
    from newsprism.analyze.model import Analysis, Attribution, Sentence
    from newsprism.compare.facts import claims_of
    from newsprism.testing import make_article

    text = "Kroon says the fire broke out on Friday night."
    article = make_article("Fire", (text,))
    kroon = Entity(0, 5, "Kroon", "PERSON", "Larry Kroon", "person:larry kroon", 0)
    said = Attribution(
        start=0,
        end=10,
        sentence=0,
        cue="said",
        source="Kroon",
        source_start=0,
        source_end=5,
        source_kind="person",
        content_start=11,
        content_end=len(text),
    )
    analysis = Analysis(
        article.id,
        "t",
        "en",
        sentences=(Sentence(0, len(text), text),),
        entities=(kroon,),
        attributions=(said,),
    )
    [claim] = claims_of(0, article, analysis)
    assert claim.actors == () and claim.speakers == (kroon,)
    assert values.subject(claim) is None


def test_facts_approximate_figures_agree_within_tolerance() -> None:
    about = _fig("about 600 people", 600, "about", "people", "evacuated")
    assert values.quantity_conflicts([about], [_fig("650 people", 650, "exact", "people")]) == []
    some = _fig("about 2,300 dockworkers", 2300, "about", "dockworkers")
    other = _fig("some 2,600 dockworkers", 2600, "about", "dockworkers")
    assert values.quantity_conflicts([some], [other]) == [
        ("dockworkers", "about 2,300 dockworkers", "some 2,600 dockworkers")
    ]


def test_facts_counted_nouns_join_synonyms_but_not_subgroups() -> None:
    from newsprism.compare import quantities

    ahead = _fig("212 votes ahead", 212, counted="ahead")
    assert quantities.same_thing(ahead, _fig("218 votes", 218, counted="votes"))
    homes = _fig("340 homes", 340, counted="homes")
    assert quantities.same_thing(homes, _fig("430 houses", 430, counted="houses"))
    dockers = _fig("2,300 dockworkers", 2300, counted="dockworkers")
    assert quantities.same_thing(dockers, _fig("2,600 strikers", 2600, counted="strikers"))
    assert not quantities.same_thing(dockers, _fig("120 agency workers", 120, counted="workers"))
    assert not quantities.same_thing(
        _fig("12 people", 12, counted="people"), _fig("15 people", 15, counted="people")
    )
