"""extract_record: record fields win, HTML or plain text body, dates read without guessing."""

from __future__ import annotations

import sys
import types
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from newsprism.config import IngestOptions
from newsprism.model import Article, RawDocument, Rejected
from newsprism.normalize import normalize
from newsprism.normalize.base import Extracted
from newsprism.normalize.record import extract_record, looks_like_markup, parse_date

HTML_BODY = (
    "<p>Millbrook council approved twelve kilometres of protected cycle lanes on Friday.</p>"
    "<p>The lanes will connect the railway station with the university and three schools.</p>"
)
PLAIN_BODY = (
    "The central library in Millbrook reopened on Monday after eight months of roof repairs.\n\n"
    "Visitors found a new reading room on the top floor."
)


def _record(text: str, **fields: Any) -> RawDocument:
    return RawDocument(ref="dump.jsonl:3", kind="record", text=text, fields=fields)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-06T09:00:00Z", datetime(2024, 5, 6, 9, 0, tzinfo=UTC)),
        ("2024-05-06T09:00:00+02:00", datetime(2024, 5, 6, 9, 0, tzinfo=timezone(timedelta(hours=2)))),
        ("2024-05-06T09:00:00", datetime(2024, 5, 6, 9, 0)),
        ("2024-05-06", datetime(2024, 5, 6)),
        ("Thu, 09 May 2024 07:15:00 +0200",
         datetime(2024, 5, 9, 7, 15, tzinfo=timezone(timedelta(hours=2)))),
        (1715000000, datetime(2024, 5, 6, 12, 53, 20, tzinfo=UTC)),
        (1715000000.0, datetime(2024, 5, 6, 12, 53, 20, tzinfo=UTC)),
        ("1715000000", datetime(2024, 5, 6, 12, 53, 20, tzinfo=UTC)),
        (1715000000000, datetime(2024, 5, 6, 12, 53, 20, tzinfo=UTC)),
        ("March 14, 2024 8:30 AM EST",
         datetime(2024, 3, 14, 8, 30, tzinfo=timezone(timedelta(hours=-5)))),
        ("14 March 2024", datetime(2024, 3, 14)),
        (datetime(2024, 1, 2, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC)),
    ],
)
def test_record_parse_date_reads_common_forms(value: object, expected: datetime) -> None:
    parsed = parse_date(value)
    assert parsed == expected
    assert (parsed.tzinfo is None) == (expected.tzinfo is None)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "value",
    ["", "sometime last spring", "yesterday", "2 days ago", "March 2024", "in a century",
     None, True, [2024]],
)
def test_record_parse_date_never_guesses(value: object) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("text", "markup"),
    [(HTML_BODY, True), ("Line one<br/>Line two", True), (PLAIN_BODY, False),
     ("Revenue rose 5% as costs < 3m and profits > 2m.", False)],
)
def test_record_looks_like_markup(text: str, markup: bool) -> None:
    assert looks_like_markup(text) is markup


def test_record_html_text_keeps_record_fields() -> None:
    ex = extract_record(_record(
        HTML_BODY, title="Council approves new cycle lanes", published="2024-04-12T14:45:00Z",
        source="Millbrook Courier", url="https://courier.example.com/cycle-lanes", id=7,
        metadata={"section": "Local"},
    ))
    assert ex.title == "Council approves new cycle lanes"
    assert ex.paragraphs == (
        "Millbrook council approved twelve kilometres of protected cycle lanes on Friday.",
        "The lanes will connect the railway station with the university and three schools.",
    )
    assert ex.published == datetime(2024, 4, 12, 14, 45, tzinfo=UTC)
    assert (ex.source, ex.url, ex.external_id) == (
        "Millbrook Courier", "https://courier.example.com/cycle-lanes", "7")
    assert ex.metadata["section"] == "Local"


def test_record_unparsed_date_is_kept_in_metadata() -> None:
    ex = extract_record(_record(HTML_BODY, title="T", published="sometime last spring"))
    assert ex.published is None
    assert ex.metadata["unparsed_date"] == "sometime last spring"


def test_record_plain_text_goes_to_plaintext_extractor_with_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[RawDocument] = []

    def fake_extract_plaintext(raw: RawDocument) -> Extracted:
        seen.append(raw)
        return Extracted(title="Guessed title", paragraphs=tuple(raw.text.split("\n\n")),
                         source="Guessed", metadata={"from_text": True})

    fake = types.ModuleType("newsprism.normalize.plaintext")
    fake.extract_plaintext = fake_extract_plaintext  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsprism.normalize.plaintext", fake)
    ex = extract_record(_record(PLAIN_BODY, title="Library reopens", published="2024-05-06",
                                source="Millbrook Courier", byline="Ana Ruiz"))
    assert seen[0].fields["published"] == datetime(2024, 5, 6)  # parsed before the hand-over
    assert (ex.title, ex.source, ex.byline) == ("Library reopens", "Millbrook Courier", "Ana Ruiz")
    assert ex.published == datetime(2024, 5, 6)
    assert ex.metadata == {"from_text": True}
    assert len(ex.paragraphs) == 2


def test_record_fragment_too_small_for_trafilatura_falls_back_to_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newsprism.normalize.html as html_module
    from newsprism.errors import ExtractionError

    def no_article(raw: RawDocument) -> Extracted:
        raise ExtractionError("no_article", "no article text found in the HTML page")

    monkeypatch.setattr(html_module, "extract_html", no_article)
    fake = types.ModuleType("newsprism.normalize.plaintext")
    fake.extract_plaintext = lambda raw: Extracted(  # type: ignore[attr-defined]
        title="", paragraphs=tuple(p.strip() for p in raw.text.split("\n\n") if p.strip()))
    monkeypatch.setitem(sys.modules, "newsprism.normalize.plaintext", fake)
    ex = extract_record(_record("<p>One &amp; two.</p><p>Three.</p>", title="Short"))
    assert ex.paragraphs == ("One & two.", "Three.")


def test_record_plain_text_normalizes_with_real_extractor() -> None:
    pytest.importorskip("newsprism.normalize.plaintext")
    article = normalize(_record(PLAIN_BODY, title="Library reopens after roof repairs",
                                published="2024-05-06T09:00:00Z", source="Millbrook Courier",
                                id="gl-001"), IngestOptions())
    assert isinstance(article, Article), article
    assert article.title == "Library reopens after roof repairs"
    assert article.paragraphs[0].startswith("The central library in Millbrook reopened")
    assert article.published == datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
    assert (article.source, article.external_id, article.language) == (
        "Millbrook Courier", "gl-001", "en")


def test_record_without_text_is_rejected_by_normalize() -> None:
    result = normalize(_record("<p></p>", title="Only a title"), IngestOptions())
    assert isinstance(result, Rejected) and result.reason == "no_article"
