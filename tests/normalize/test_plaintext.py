"""extract_plaintext: title, header lines, captions, furniture and body of plain-text articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import newsprism.normalize.dates as dates_module
from newsprism.config import IngestOptions
from newsprism.errors import ExtractionError
from newsprism.model import Article, RawDocument, RemovalReason
from newsprism.normalize import normalize
from newsprism.normalize.base import Extracted
from newsprism.normalize.linerules import furniture_reason, is_caption, is_headline_like
from newsprism.normalize.plaintext import extract_plaintext

DATA = Path(__file__).parent.parent / "data" / "plaintext"
SEEDS = Path(__file__).parents[3] / "shared" / "seeds"

R = RemovalReason


def _read(name: str) -> str:
    return (DATA / name).read_text("utf-8")


def _extract(name: str, **fields: object) -> Extracted:
    return extract_plaintext(RawDocument(ref=name, kind="text", text=_read(name), fields=fields))


def _reasons(ex: Extracted) -> list[tuple[int | None, RemovalReason]]:
    return [(r.line, r.reason) for r in ex.removed]


def _seed(prefix: str) -> Extracted:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    path = next(SEEDS.glob(f"{prefix}_*.txt"), None)
    if path is None:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return extract_plaintext(RawDocument(ref=path.name, kind="text", text=path.read_text("utf-8")))


# --- the two seed articles -------------------------------------------------------------------


def test_plaintext_seed_000_header_and_lead() -> None:
    ex = _seed("000")
    assert ex.title == "Syria regime resumes aerial bombing campaign in Idlib"
    assert ex.published == datetime(2020, 4, 2)
    assert ex.subtitle is not None and ex.subtitle.startswith(ex.title + ",")
    assert ex.paragraphs[0].startswith("Rockets rained down")
    assert _reasons(ex)[:5] == [
        (3, R.DEK), (4, R.READ_TIME), (5, R.DATE_LINE), (6, R.RELATED_HEADLINE), (7, R.CAPTION),
    ]
    assert len(ex.captions) == 1 and ex.captions[0].endswith("[Getty]")


def test_plaintext_seed_000_body_furniture_removed() -> None:
    ex = _seed("000")
    reasons = {r.reason: r.text for r in ex.removed}
    assert reasons[R.READ_MORE].startswith("Read more:")
    assert reasons[R.FOLLOW_PROMPT].startswith("Follow us on")
    body = "\n".join(ex.paragraphs)
    assert "Read more" not in body and "Follow us" not in body and "[Getty]" not in body
    assert len(ex.paragraphs) == 13


def test_plaintext_seed_002_tagline_caption_related_headline() -> None:
    ex = _seed("002")
    assert ex.title == "Syria army loots opposition properties in Idlib"
    assert ex.published == datetime(2020, 4, 2, 5, 0)
    assert ex.published.tzinfo is None
    assert ex.paragraphs[0].startswith("Syrian regime forces and Iranian-backed militias")
    assert _reasons(ex) == [
        (1, R.SITE_TAGLINE), (5, R.DATE_LINE), (7, R.CAPTION), (19, R.RELATED_HEADLINE),
    ]
    assert ex.captions[0].endswith("Anadolu Agency]")
    assert not any(p.startswith("UN:") for p in ex.paragraphs)


# --- our fixtures: header rules ----------------------------------------------------------------


def test_plaintext_tagline_removed_and_title_after_it() -> None:
    ex = _extract("tagline_caption.txt")
    assert ex.title == "Flood barriers fail along the Vellmar river"
    assert _reasons(ex)[0] == (1, R.SITE_TAGLINE)
    assert ex.published == datetime(2021, 4, 14, 6, 30)


def test_plaintext_masthead_tagline_with_separator() -> None:
    text = ("THE SKARN GAZETTE · News for the estuary towns since 1902\n\n"
            + _read("record_text.txt"))
    ex = extract_plaintext(RawDocument(ref="t", kind="text", text=text))
    assert ex.title == "Wind farm approved off the Tessel coast"
    assert _reasons(ex) == [(1, R.SITE_TAGLINE)]


def test_plaintext_no_tagline_title_is_first_line() -> None:
    ex = _extract("no_date.txt")
    assert ex.title == "Council approves new cycle lanes for Brenmouth"
    assert ex.removed == ()


def test_plaintext_dek_read_time_and_zoned_date() -> None:
    ex = _extract("dek_readtime_teaser.txt")
    assert ex.subtitle == (
        "Harbour strike halts ferry traffic in Port Callan, leaving thousands of commuters stranded"
    )
    assert _reasons(ex)[:3] == [(3, R.DEK), (4, R.READ_TIME), (5, R.DATE_LINE)]
    assert ex.published == datetime(2021, 7, 8, 10, 15, tzinfo=UTC)


def test_plaintext_teaser_between_date_and_top_caption_is_header() -> None:
    ex = _extract("dek_readtime_teaser.txt")
    assert (6, R.RELATED_HEADLINE) in _reasons(ex)
    assert ex.paragraphs[0].startswith("Ferry services between Port Callan")
    caption = "Empty ferry berths at the Port Callan terminal on Thursday morning [AFP]"
    assert ex.captions == (caption,)


def test_plaintext_teaser_becomes_dek_when_no_dek_yet() -> None:
    lines = _read("dek_readtime_teaser.txt").split("\n")
    assert lines[2].endswith("leaving thousands of commuters stranded")
    text = "\n".join(lines[:2] + lines[3:])
    ex = extract_plaintext(RawDocument(ref="t", kind="text", text=text))
    assert ex.subtitle is not None and ex.subtitle.startswith("Dock workers in the northern port")
    assert (5, R.DEK) in _reasons(ex)


def test_plaintext_lead_followed_by_photo_is_kept() -> None:
    # Blank lines part the date, the lead and the photo: "lead, then photo", not a teaser.
    ex = _extract("byline_published.txt")
    assert ex.paragraphs[0].startswith("The first passenger train passed through")
    assert ex.paragraphs[1].startswith("The 14-kilometre tunnel")
    assert ex.subtitle is None


def test_plaintext_standfirst_before_date_is_dek() -> None:
    ex = _extract("standfirst.txt")
    assert ex.subtitle is not None and ex.subtitle.startswith("Volunteers will staff")
    assert ex.byline == "Hal Ostrander"
    assert ex.published == datetime(2022, 6, 2)
    assert _reasons(ex)[:3] == [(3, R.DEK), (5, R.BYLINE), (7, R.DATE_LINE)]
    assert ex.paragraphs[0].startswith("Three volunteers moved into")


def test_plaintext_published_label_preferred_over_updated() -> None:
    ex = _extract("byline_published.txt")
    assert ex.published == datetime(2021, 3, 14, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    assert ex.byline == "Ada Renholm"
    assert _reasons(ex)[:3] == [(2, R.BYLINE), (3, R.DATE_LINE), (4, R.DATE_LINE)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("02 April, 2021", datetime(2021, 4, 2)),
        ("April 2, 2021 at 5:00 am", datetime(2021, 4, 2, 5, 0)),
        ("Friday 2 April 2021 10:15 GMT", datetime(2021, 4, 2, 10, 15, tzinfo=UTC)),
        ("2021-04-02", datetime(2021, 4, 2)),
        ("Published: 2 April 2021", datetime(2021, 4, 2)),
        ("Updated April 2, 2021 4:05 pm EDT", datetime(2021, 4, 2, 16, 5,
                                                       tzinfo=timezone(timedelta(hours=-4)))),
    ],
)
def test_plaintext_date_line_forms(line: str, expected: datetime) -> None:
    text = _read("no_date.txt").replace("\n\n", f"\n\n{line}\n\n", 1)
    ex = extract_plaintext(RawDocument(ref="t", kind="text", text=text))
    assert ex.published == expected
    assert (3, R.DATE_LINE) in _reasons(ex)
    assert ex.paragraphs[0].startswith("The Brenmouth city council")


def test_plaintext_no_date_line_gives_none() -> None:
    ex = _extract("no_date.txt")
    assert ex.published is None
    assert len(ex.paragraphs) == 4


def test_plaintext_date_without_year_is_removed_but_not_invented() -> None:
    text = _read("no_date.txt").replace("\n\n", "\n\nJul. 7 5:59 PM EDT\n\n", 1)
    ex = extract_plaintext(RawDocument(ref="t", kind="text", text=text))
    assert ex.published is None
    assert (3, R.DATE_LINE) in _reasons(ex)


# --- captions, links, prompts --------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Rescue teams search the ruins of the market hall [Getty]",
        "Rescue teams search the ruins of the market hall [AFP]",
        "Rescue teams search the ruins of the market hall. [Tomas Ekberg – Northwind Agency]",
        "Rescue teams search the ruins of the market hall. [Photo: Mira Holt/Reuters]",
        "Rescue teams search the ruins of the market hall (Photo: Corran Lighthouse Trust)",
    ],
)
def test_plaintext_caption_credit_forms(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "The survey counted 412 damaged houses, more than in any flood on record. [see table]",
        "The audit office traced most of the overrun to the flooded shaft.[1]",
        "“We will hold [the bridge] until morning,” the commander said [sic]",
        "The minister’s statement was later changed. [Updated]",
    ],
)
def test_plaintext_bracket_that_is_not_a_credit_is_not_a_caption(line: str) -> None:
    assert not is_caption(line)


def test_plaintext_captions_set_apart_from_body() -> None:
    for name, credit in [("tagline_caption.txt", "[Tomas Ekberg – Northwind Agency]"),
                         ("byline_published.txt", "[Photo: Mira Holt/Reuters]"),
                         ("standfirst.txt", "(Photo: Corran Lighthouse Trust)")]:
        ex = _extract(name)
        assert len(ex.captions) == 1 and ex.captions[0].endswith(credit), name
        assert not any(credit in p for p in ex.paragraphs), name


def test_plaintext_body_paragraph_ending_in_bracket_kept() -> None:
    ex = _extract("tagline_caption.txt")
    assert any(p.endswith("since records began. [see table below]") for p in ex.paragraphs)
    ex = _extract("byline_published.txt")
    assert ex.paragraphs[-1].endswith("according to the audit office.[1]")


def test_plaintext_read_more_lines_removed() -> None:
    removed = {r.text: r.reason for name in ("dek_readtime_teaser.txt", "byline_published.txt",
                                             "standfirst.txt") for r in _extract(name).removed}
    assert removed["Read also: Port Callan’s new terminal opens two years late"] is R.READ_MORE
    assert removed["Also read: Five years of flooding in the Skarn shaft"] is R.READ_MORE
    assert removed["See also: How the Corran light was saved from demolition"] is R.READ_MORE
    assert removed["Related: Coastal trusts ask for heritage funding"] is R.READ_MORE


def test_plaintext_read_more_mid_sentence_and_related_to_kept() -> None:
    ex = _extract("tagline_caption.txt")
    assert any(p.startswith("Residents who want to read more about") for p in ex.paragraphs)
    assert any(p.startswith("Related to the evacuation,") for p in ex.paragraphs)


def test_plaintext_related_headline_in_body_removed() -> None:
    ex = _extract("tagline_caption.txt")
    assert (15, R.RELATED_HEADLINE) in _reasons(ex)
    assert "Vellmar water board chief resigns over delayed repairs" not in ex.paragraphs
    ex = _extract("dek_readtime_teaser.txt")
    assert (16, R.RELATED_HEADLINE) in _reasons(ex)


def test_plaintext_short_real_sentences_kept() -> None:
    ex = _extract("tagline_caption.txt")
    assert "Nobody was hurt." in ex.paragraphs
    assert "“We will rebuild the wall before winter,” the mayor said." in ex.paragraphs
    assert "The cause of the fire is not yet known." in _extract("no_blank_lines.txt").paragraphs


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Share this article", R.SHARE_PROMPT),
        ("Facebook | Twitter | WhatsApp | Email", R.SHARE_PROMPT),
        ("Follow us on Facebook, Twitter and Instagram to stay connected", R.FOLLOW_PROMPT),
        ("Follow The Harbour Ledger on Bluesky and Mastodon for live updates", R.FOLLOW_PROMPT),
        ("Follow Coastline Courier on social media for the latest updates", R.FOLLOW_PROMPT),
        ("Click here to subscribe", R.NEWSLETTER_PROMPT),
        ("Sign up for our morning newsletter to get the day’s top stories", R.NEWSLETTER_PROMPT),
        ("© 2021 Coastline Courier. All rights reserved.", R.COPYRIGHT),
        ("Copyright 2021 Harbour Ledger", R.COPYRIGHT),
        ("Read more: Five years of floods", R.READ_MORE),
        ("READ MORE » Ferry operator warns of cancellations", R.READ_MORE),
    ],
)
def test_plaintext_furniture_reasons(line: str, reason: RemovalReason) -> None:
    assert furniture_reason(line) is reason


@pytest.mark.parametrize(
    "line",
    [
        "Residents who want to read more about the plan can visit the town hall.",
        "Related to the evacuation, the council opened two shelters.",
        "Share prices in Orsund fell by a third after the announcement.",
        "Followers of the club gathered outside the stadium on Sunday.",
    ],
)
def test_plaintext_prose_is_not_furniture(line: str) -> None:
    assert furniture_reason(line) is None


def test_plaintext_share_newsletter_copyright_removed() -> None:
    ex = _extract("byline_published.txt")
    assert [r.reason for r in ex.removed][-3:] == [R.READ_MORE, R.NEWSLETTER_PROMPT, R.COPYRIGHT]
    ex = _extract("dek_readtime_teaser.txt")
    assert (20, R.SHARE_PROMPT) in _reasons(ex)


def test_plaintext_trailing_follow_prompt_glued_with_nbsp_stripped() -> None:
    ex = _extract("dek_readtime_teaser.txt")
    assert ex.paragraphs[-1].endswith("“tens of thousands a day.”")
    last = ex.removed[-1]
    assert last.reason is R.FOLLOW_PROMPT and last.line == 22
    assert last.text == "Follow us on Facebook, Twitter and Instagram to stay connected"


def test_plaintext_headline_shape() -> None:
    assert is_headline_like("Ferry operator warns of weekend cancellations")
    assert is_headline_like("UN: aid convoys just ‘the tip of the iceberg’")
    assert not is_headline_like("Nobody was hurt.")
    assert not is_headline_like("“It was lost in the flood,” he said")
    assert not is_headline_like("and then the council met again on Friday")


# --- paragraphs and line structure -------------------------------------------------------------


def test_plaintext_no_blank_lines_each_line_is_a_paragraph() -> None:
    ex = _extract("no_blank_lines.txt")
    assert ex.title == "Glass factory fire forces evacuation in Tarnby"
    assert ex.published == datetime(2021, 3, 2)
    assert len(ex.paragraphs) == 5
    assert ex.paragraphs[1] == "Crews were called at 9:40 p.m. and fought the blaze for six hours."
    assert (7, R.NEWSLETTER_PROMPT) in _reasons(ex)


def test_plaintext_single_newlines_join_within_a_block() -> None:
    ex = _extract("hard_wrapped.txt")
    assert ex.published == datetime(2021, 3, 3)
    assert len(ex.paragraphs) == 2
    assert ex.paragraphs[0].startswith("The first night bus in two years left Eastmere central "
                                       "station at a quarter past midnight")
    assert ex.paragraphs[1].endswith("Fridays and Saturdays until the end of the summer.")


def test_plaintext_removed_lines_point_at_their_input_lines() -> None:
    for path in sorted(DATA.glob("*.txt")):
        text = path.read_text("utf-8")
        lines = [" ".join(line.split()) for line in text.splitlines()]
        ex = extract_plaintext(RawDocument(ref=path.name, kind="text", text=text))
        for removed in ex.removed:
            assert removed.line is not None and removed.text in lines[removed.line - 1], path.name
            assert not any(removed.text in p for p in ex.paragraphs), (path.name, removed.text)


def test_plaintext_crlf_and_non_breaking_spaces() -> None:
    text = _read("tagline_caption.txt").replace("\n", "\r\n").replace(" the ", "\u00a0the ")
    ex = extract_plaintext(RawDocument(ref="t", kind="text", text=text))
    assert ex.title == "Flood barriers fail along the Vellmar river"
    assert ex.paragraphs[0].startswith("Flood barriers along the Vellmar river gave way")
    assert all("\u00a0" not in p for p in ex.paragraphs)


# --- container fields --------------------------------------------------------------------------


def test_plaintext_fields_override_text_and_repeated_title_removed() -> None:
    ex = _extract(
        "record_text.txt", title="Wind farm approved off the Tessel coast",
        published="2021-05-01T09:00:00+02:00", source="Tessel Post", url="https://example.org/a",
        id="tp-17", byline="Ines Marlow",
    )
    assert ex.title == "Wind farm approved off the Tessel coast"
    assert _reasons(ex) == [(1, R.REPEATED_TITLE)]
    assert ex.paragraphs[0].startswith("The Tessel regional council approved")
    assert ex.published == datetime(2021, 5, 1, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    assert (ex.source, ex.url, ex.external_id, ex.byline) == (
        "Tessel Post", "https://example.org/a", "tp-17", "Ines Marlow")


def test_plaintext_given_published_overrides_date_line() -> None:
    when = datetime(2021, 4, 1, 12, 0)
    ex = _extract("tagline_caption.txt", published=when)
    assert ex.published is when
    ex = _extract("tagline_caption.txt", published="not a date at all")
    assert ex.published == datetime(2021, 4, 14, 6, 30)


def test_plaintext_given_title_makes_lines_above_it_taglines() -> None:
    text = "The Tessel Post\n\n" + _read("record_text.txt")
    fields = {"title": "Wind farm approved off the Tessel coast"}
    ex = extract_plaintext(RawDocument(ref="t", kind="text", text=text, fields=fields))
    assert _reasons(ex) == [(1, R.SITE_TAGLINE), (3, R.REPEATED_TITLE)]
    assert len(ex.paragraphs) == 2


def test_plaintext_given_title_with_text_that_starts_at_the_lead() -> None:
    text = _read("record_text.txt").split("\n\n", 1)[1]
    ex = extract_plaintext(RawDocument(ref="t", kind="text", text=text,
                                       fields={"title": "Tessel wind farm approved"}))
    assert ex.title == "Tessel wind farm approved"
    assert ex.removed == ()
    assert len(ex.paragraphs) == 2


def test_plaintext_given_title_and_one_short_line_is_body() -> None:
    ex = extract_plaintext(RawDocument(ref="t", kind="text", text="Fishing groups will appeal",
                                       fields={"title": "Tessel wind farm approved"}))
    assert ex.paragraphs == ("Fishing groups will appeal",)


# --- errors and integration --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  \n\u00a0\n\t", "A headline and nothing else\n"])
def test_plaintext_no_article_raises(text: str) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_plaintext(RawDocument(ref="t", kind="text", text=text))
    assert info.value.reason == "no_article"


def test_plaintext_text_without_title_starts_with_lead() -> None:
    text = ("A fire at a disused glass factory forced the evacuation of about 200 homes, "
            "the fire service said.\nCrews fought the blaze for six hours.\n")
    ex = extract_plaintext(RawDocument(ref="t", kind="text", text=text))
    assert ex.title == ""
    assert len(ex.paragraphs) == 2


def test_plaintext_normalize_builds_article() -> None:
    raw = RawDocument(ref="standfirst.txt", kind="text", text=_read("standfirst.txt"))
    article = normalize(raw, IngestOptions(detect_language=False, source="Corran Gazette"))
    assert isinstance(article, Article)
    assert article.title == "Lighthouse keepers return to Corran Point"
    assert article.published == datetime(2022, 6, 2)
    assert article.captions and article.removed
    assert article.input_ref == "standfirst.txt"


def test_plaintext_common_dates_do_not_call_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(dates_module, "_dateparser_parse", lambda text: calls.append(text))
    for path in sorted(DATA.glob("*.txt")):
        extract_plaintext(RawDocument(ref=path.name, kind="text", text=path.read_text("utf-8")))
    assert calls == []
