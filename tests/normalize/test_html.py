"""extract_html: body, metadata, and the fixes on top of trafilatura."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsprism.config import IngestOptions
from newsprism.errors import ExtractionError
from newsprism.model import Article, RawDocument, Rejected, RemovalReason
from newsprism.normalize import normalize
from newsprism.normalize.html import extract_html

PAGE = (Path(__file__).parent.parent / "data" / "ingest" / "article.html").read_text("utf-8")
TITLE = "Harbor City approves tram line to the eastern docks"


def _raw(page: str, **fields: object) -> RawDocument:
    return RawDocument(ref="page.html", kind="html", text=page, fields=fields)


def test_html_extracts_body_without_boilerplate() -> None:
    ex = extract_html(_raw(PAGE))
    assert ex.title == TITLE
    assert ex.paragraphs[0].startswith("The Harbor City council voted nine to four")
    assert ex.paragraphs[-1].startswith("The first trams are due to run in late 2027")
    assert len(ex.paragraphs) == 12
    body = "\n".join(ex.paragraphs)
    for junk in ("cookies", "Subscribe", "Related stories", "newsletter", "All rights reserved",
                 "Contact us", "Bus fares to rise"):
        assert junk not in body


def test_html_reads_metadata() -> None:
    ex = extract_html(_raw(PAGE))
    assert ex.byline == "Mira Castellan"
    assert ex.subtitle == "The council voted 9 to 4 for a 7-kilometre line after two years of hearings."
    assert ex.source == "The Harbor Ledger"
    assert ex.url == "https://ledger.example.org/news/2024/03/14/tram-line-eastern-docks"


def test_html_published_uses_full_meta_timestamp() -> None:
    ex = extract_html(_raw(PAGE))
    assert ex.published == datetime(2024, 3, 14, 8, 30, tzinfo=timezone(timedelta(hours=1)))


def test_html_date_only_is_naive_midnight() -> None:
    page = re.sub(r'<meta property="article:published_time"[^>]*>',
                  '<meta name="date" content="2024-03-14">', PAGE)
    page = re.sub(r"<time.*?</time>", "", page)
    ex = extract_html(_raw(page))
    assert ex.published == datetime(2024, 3, 14)
    assert ex.published.tzinfo is None


def test_html_never_invents_a_date_from_the_copyright_line() -> None:
    page = re.sub(r'<meta property="article:published_time"[^>]*>', "", PAGE)
    page = re.sub(r"<time.*?</time>", "", page).replace("/news/2024/03/14/", "/news/")
    assert "&copy; 2024" in page
    assert extract_html(_raw(page)).published is None


def test_html_headline_repeated_in_body_is_set_apart() -> None:
    ex = extract_html(_raw(PAGE))
    assert TITLE not in ex.paragraphs
    assert [(r.text, r.reason) for r in ex.removed] == [(TITLE, RemovalReason.REPEATED_TITLE)]


def test_html_collects_figure_captions() -> None:
    ex = extract_html(_raw(PAGE))
    assert ex.captions == ("A test tram waits at the Northgate depot on Tuesday.",)
    assert all("Northgate depot" not in p for p in ex.paragraphs)


def test_html_sitename_from_og_tag_written_with_name() -> None:
    # trafilatura misses <meta name="og:site_name"> and takes the article:publisher URL instead.
    page = PAGE.replace(
        '<meta property="og:site_name" content="The Harbor Ledger">',
        '<meta name="og:site_name" content="The Harbor Ledger">'
        '<meta property="article:publisher" content="https://social.example.com/harborledger">',
    )
    assert extract_html(_raw(page)).source == "The Harbor Ledger"


def test_html_publisher_url_is_not_a_source_name() -> None:
    page = PAGE.replace(
        '<meta property="og:site_name" content="The Harbor Ledger">',
        '<meta property="article:publisher" content="https://social.example.com/harborledger">',
    )
    assert extract_html(_raw(page)).source is None


def test_html_container_fields_win(tmp_path: Path) -> None:
    published = datetime(2024, 3, 15, 12, 0, tzinfo=UTC)
    ex = extract_html(_raw(PAGE, title="Record title", url="https://feed.example/x",
                           source="Feed Outlet", published=published, id=42,
                           metadata={"crawled": "2024-06-01T10:00:00Z"}))
    assert (ex.title, ex.url, ex.source, ex.published, ex.external_id) == (
        "Record title", "https://feed.example/x", "Feed Outlet", published, "42")
    assert ex.metadata["crawled"] == "2024-06-01T10:00:00Z"
    assert ex.paragraphs[0] == TITLE  # not the record's title, so it stays in the body


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Menu</title></head><body></body></html>",
        "<html><body><script>var x = 1;</script><style>p { color: red; }</style></body></html>",
        "",
    ],
    ids=["no-body", "script-only", "empty"],
)
def test_html_without_article_raises_no_article(page: str) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_html(_raw(page))
    assert info.value.reason == "no_article"
    assert info.value.message == "no article text found in the HTML page"


def test_html_normalizes_to_article_with_language() -> None:
    article = normalize(_raw(PAGE), IngestOptions())
    assert isinstance(article, Article), article
    assert article.title == TITLE and article.language == "en"
    assert article.source == "The Harbor Ledger"
    assert article.input_ref == "page.html"


def test_html_no_article_becomes_rejected_in_normalize() -> None:
    result = normalize(_raw("<html><body><div></div></body></html>"), IngestOptions())
    assert isinstance(result, Rejected) and result.reason == "no_article"
