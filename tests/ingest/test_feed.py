"""RSS/Atom feeds: one record per entry, dates as aware UTC datetimes, broken entries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsprism.config import IngestOptions
from newsprism.ingest import read_inputs
from newsprism.model import Article, RawDocument, Rejected
from newsprism.normalize import normalize

DATA = Path(__file__).parent.parent / "data" / "ingest"


def _items(path: Path) -> list[RawDocument | Rejected]:
    return list(read_inputs([str(path)], IngestOptions()))


def test_feed_rss_entries_become_records() -> None:
    path = DATA / "feed.rss"
    first, second, _ = _items(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.kind, first.ref) == ("record", f"{path}#1")
    assert first.fields["title"] == "Council approves new cycle lanes"
    assert first.fields["url"] == "https://courier.example.com/cycle-lanes"
    assert first.fields["id"] == "courier-2024-0412"
    assert first.fields["source"] == "Millbrook Courier"
    assert first.fields["byline"] == "Jon Arden"
    assert first.fields["metadata"] == {"tags": ["Transport"]}
    assert first.text.startswith("<p>Millbrook council approved")  # content:encoded, not summary
    assert second.text.startswith("Crews repaired a burst water main")  # summary only


def test_feed_published_is_aware_utc() -> None:
    first, second, _ = _items(DATA / "feed.rss")
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.fields["published"] == datetime(2024, 4, 12, 14, 45, tzinfo=UTC)
    assert first.fields["published"].tzinfo is UTC
    assert second.fields["published"] == datetime(2024, 4, 13, 8, 0, tzinfo=UTC)


def test_feed_entry_without_title_or_text_is_broken_entry() -> None:
    path = DATA / "feed.rss"
    broken = _items(path)[2]
    assert isinstance(broken, Rejected)
    assert (broken.reason, broken.stage, broken.ref) == ("broken_entry", "ingest", f"{path}#3")


def test_feed_atom_entry_keeps_updated_apart_from_published() -> None:
    [entry] = _items(DATA / "feed.atom")
    assert isinstance(entry, RawDocument)
    assert entry.fields["published"] == datetime(2024, 5, 8, 4, 30, tzinfo=UTC)
    assert entry.fields["metadata"]["updated"] == "2024-05-09T10:00:00+00:00"
    assert entry.fields["source"] == "Valley Post"
    assert entry.fields["byline"] == "Ines Varga"


def test_feed_entry_without_date_has_no_published(tmp_path: Path) -> None:
    path = tmp_path / "f.rss"
    path.write_text(
        "<rss version='2.0'><channel><title>T</title><item><title>Undated</title>"
        "<description>Some text.</description><pubDate>sometime soon</pubDate></item>"
        "</channel></rss>"
    )
    [entry] = _items(path)
    assert isinstance(entry, RawDocument)
    assert "published" not in entry.fields
    assert entry.fields["metadata"]["unparsed_date"] == "sometime soon"


def test_feed_unparseable_is_malformed_feed(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>Cut off")
    [item] = _items(path)
    assert isinstance(item, Rejected)
    assert (item.reason, item.ref) == ("malformed_feed", str(path))
    assert "RSS/Atom" in item.detail


def test_feed_without_entries_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "quiet.rss"
    path.write_text("<rss version='2.0'><channel><title>Quiet</title></channel></rss>")
    [item] = _items(path)
    assert isinstance(item, Rejected) and item.reason == "empty"


def test_feed_html_entry_normalizes_to_article() -> None:
    first = _items(DATA / "feed.rss")[0]
    assert isinstance(first, RawDocument)
    article = normalize(first, IngestOptions())
    assert isinstance(article, Article), article
    assert article.title == "Council approves new cycle lanes"
    assert article.paragraphs[0].startswith("Millbrook council approved twelve kilometres")
    assert len(article.paragraphs) == 3
    assert article.source == "Millbrook Courier" and article.external_id == "courier-2024-0412"
    assert article.published == datetime(2024, 4, 12, 14, 45, tzinfo=UTC)
    assert article.language == "en"
