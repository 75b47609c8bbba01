"""The bundled sample corpus and its MANIFEST.json stay consistent.

Later stages (linking, comparison, reports) assert against the manifest, so every gold span it
lists must really occur in the plain text of its document. Plain text here is deliberately
simple and stdlib-only (no newsprism extractor), so this test does not depend on the ingest stage:
``.txt`` files as they are, HTML pages as the ``<p>`` text inside ``<article>``, JSONL records as
their ``text`` field, feed items as their ``content:encoded`` with tags removed.
"""

from __future__ import annotations

import html
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from newsprism.data import sample_manifest, sample_path

CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
SEED_RUN = 12


class _ArticleParagraphs(HTMLParser):
    """Collects the text of each <p> inside <article>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_article = 0
        self.in_p = False
        self.paragraphs: list[str] = []
        self.times: list[str] = []
        self.site_name: str | None = None
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if tag == "article":
            self.in_article += 1
        elif tag == "p" and self.in_article:
            self.in_p = True
            self.paragraphs.append("")
        elif tag == "time" and found.get("datetime"):
            self.times.append(found["datetime"] or "")
        elif tag == "meta" and found.get("property") == "og:site_name":
            self.site_name = found.get("content")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article -= 1
        elif tag == "p":
            self.in_p = False

    def handle_data(self, data: str) -> None:
        if self.in_p:
            self.paragraphs[-1] += data


def _squash(text: str) -> str:
    return " ".join(text.split())


def _split_ref(ref: str) -> tuple[str, str | None, int | None]:
    if "#" in ref:
        name, index = ref.rsplit("#", 1)
        return name, "#", int(index)
    if re.search(r"\.jsonl:\d+$", ref):
        name, line = ref.rsplit(":", 1)
        return name, ":", int(line)
    return ref, None, None


@cache
def _feed_items(name: str) -> tuple[ET.Element, ...]:
    root = ET.parse(sample_path() / name).getroot()
    return tuple(root.iter("item"))


@cache
def _jsonl_records(name: str) -> tuple[dict[str, Any], ...]:
    lines = (sample_path() / name).read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


def _html_parts(text: str) -> _ArticleParagraphs:
    parser = _ArticleParagraphs()
    parser.feed(text)
    parser.close()
    return parser


@cache
def plain_text(ref: str) -> str:
    """Whitespace-squashed plain text of one manifest ref."""
    name, kind, index = _split_ref(ref)
    if kind == ":":
        return _squash(_jsonl_records(name)[index - 1]["text"])
    if kind == "#":
        encoded = _feed_items(name)[index - 1].findtext(CONTENT_NS) or ""
        return _squash(" ".join(_html_parts(f"<article>{encoded}</article>").paragraphs))
    raw = (sample_path() / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        return _squash(" ".join(_html_parts(raw).paragraphs))
    return _squash(raw)


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return sample_manifest()


@pytest.fixture(scope="module")
def docs(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["ref"]: d for d in manifest["documents"]}


def _spans(story: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (ref, text) pair a story's gold structure says occurs verbatim."""
    spans = [(ref, s["text"]) for s in story["shared_sentences"] for ref in s["refs"]]
    for pair in story["paraphrases"]:
        spans += [(pair["a"]["ref"], pair["a"]["text"]), (pair["b"]["ref"], pair["b"]["text"])]
    spans += [(u["ref"], u["text"]) for u in story["unique_facts"]]
    spans += [(v["ref"], v["text"]) for v in story["conflict"]["values"]]
    spans += [(i["ref"], i["text"]) for i in story["non_conflict"]["items"]]
    spans += [(i["ref"], i["span"]) for i in story["non_conflict"]["items"]]
    spans += [(m["ref"], m["text"]) for m in story["agency_mentions"]]
    return spans


def test_sample_corpus_path_holds_manifest_and_readme() -> None:
    folder = sample_path()
    assert folder.is_dir()
    assert (folder / "MANIFEST.json").is_file()
    assert "Apache-2.0" in (folder / "README.md").read_text(encoding="utf-8")


def test_sample_corpus_every_ref_resolves_and_every_file_is_listed(
    docs: dict[str, dict[str, Any]],
) -> None:
    names = {_split_ref(ref)[0] for ref in docs}
    on_disk = {
        p.name for p in sample_path().iterdir() if p.name not in ("MANIFEST.json", "README.md")
    }
    assert names == on_disk
    for ref in docs:
        assert len(plain_text(ref).split()) > 0, ref
    jsonl = {_split_ref(r)[0] for r in docs if _split_ref(r)[1] == ":"}
    feeds = {_split_ref(r)[0] for r in docs if _split_ref(r)[1] == "#"}
    records = sum(len(_jsonl_records(name)) for name in jsonl)
    items = sum(len(_feed_items(name)) for name in feeds)
    assert records == sum(_split_ref(r)[0] in jsonl for r in docs) and 3 <= records <= 5
    assert items == sum(_split_ref(r)[0] in feeds for r in docs) and 2 <= items <= 3
    assert 3 <= sum(r.endswith(".html") for r in docs) <= 4


def test_sample_corpus_stories_have_three_outlets(
    manifest: dict[str, Any], docs: dict[str, dict[str, Any]]
) -> None:
    stories = manifest["stories"]
    assert len(stories) >= 5
    assert sum(d["story"] is None for d in docs.values()) >= 4
    for key, story in stories.items():
        members = [r for r, d in docs.items() if d["story"] == key]
        assert sorted(members) == sorted(story["refs"]), key
        assert len({docs[r]["outlet"] for r in members}) >= 3, key
        assert story["wire_agency"] in manifest["wire_agencies"], key
    for left, right in manifest["hard_negatives"]:
        assert stories[left]["hard_negative_of"] == right
        assert stories[right]["hard_negative_of"] == left
        assert stories[left]["topic"] == stories[right]["topic"]


def test_sample_corpus_word_counts_in_range(
    manifest: dict[str, Any], docs: dict[str, dict[str, Any]]
) -> None:
    low, high = manifest["word_range"]
    counts = {ref: len(plain_text(ref).split()) for ref in docs}
    outside = {ref: n for ref, n in counts.items() if not low <= n <= high}
    assert not outside, outside


def test_sample_corpus_gold_spans_occur_verbatim(manifest: dict[str, Any]) -> None:
    missing = []
    for key, story in manifest["stories"].items():
        for ref, text in _spans(story):
            assert ref in story["refs"], (key, ref)
            if text not in plain_text(ref):
                missing.append((key, ref, text[:60]))
    assert not missing, missing


def test_sample_corpus_story_gold_has_every_kind(manifest: dict[str, Any]) -> None:
    for key, story in manifest["stories"].items():
        assert story["shared_sentences"] and story["paraphrases"], key
        for shared in story["shared_sentences"]:
            assert len(set(shared["refs"])) >= 2, (key, shared["prefix"])
            assert shared["text"].startswith(shared["prefix"]), (key, shared["prefix"])
        assert {u["ref"] for u in story["unique_facts"]} == set(story["refs"]), key
        values = {v["value"] for v in story["conflict"]["values"]}
        assert len(values) == 2, (key, values)
        items = story["non_conflict"]["items"]
        assert len(items) == 2 and items[0]["span"] != items[1]["span"], key
        datetime.fromisoformat(story["non_conflict"]["resolved"])


def test_sample_corpus_unique_facts_appear_once(manifest: dict[str, Any]) -> None:
    for key, story in manifest["stories"].items():
        for fact in story["unique_facts"]:
            holders = [r for r in story["refs"] if fact["text"] in plain_text(r)]
            assert holders == [fact["ref"]], (key, fact["fact"])


def test_sample_corpus_stories_share_no_sentences_across_stories(
    manifest: dict[str, Any], docs: dict[str, dict[str, Any]]
) -> None:
    for key, story in manifest["stories"].items():
        others = [r for r, d in docs.items() if d["story"] != key]
        for shared in story["shared_sentences"]:
            leaks = [r for r in others if shared["text"] in plain_text(r)]
            assert not leaks, (key, shared["prefix"], leaks)


def test_sample_corpus_seed_shaped_story(manifest: dict[str, Any]) -> None:
    seeded = [s for s in manifest["stories"].values() if s["mirrors_seed_shape"]]
    assert len(seeded) == 1
    story = seeded[0]
    assert any(m["misspelt"] for m in story["agency_mentions"])
    assert story["wire_agency"] not in [
        m["text"] for m in story["agency_mentions"] if m["misspelt"]
    ]
    told = story["local_sources_told"]
    assert told["text"] in plain_text(told["ref"])
    for kind in ("relative", "absolute"):
        for span in story["dates"][kind]:
            assert span["text"] in plain_text(span["ref"]), span
    for span in story["figures"]:
        assert span["text"] in plain_text(span["ref"]), span
    assert len(set(story["headline_framing"].values())) == len(story["refs"])


def _published_in_file(ref: str) -> str:
    """The publication date (YYYY-MM-DD) the file itself states."""
    name, kind, index = _split_ref(ref)
    if kind == ":":
        return _jsonl_records(name)[index - 1]["date"][:10]
    if kind == "#":
        stamp = _feed_items(name)[index - 1].findtext("pubDate") or ""
        return parsedate_to_datetime(stamp).date().isoformat()
    raw = (sample_path() / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        return _html_parts(raw).times[0][:10]
    for line in raw.splitlines()[:12]:
        for fmt in ("%d %B, %Y", "%B %d, %Y at %I:%M %p"):
            try:
                return datetime.strptime(line.strip(), fmt).date().isoformat()
            except ValueError:
                continue
    raise AssertionError(f"no date line in {ref}")


def test_sample_corpus_published_and_title_match_files(docs: dict[str, dict[str, Any]]) -> None:
    for ref, doc in docs.items():
        assert _published_in_file(ref) == doc["published"][:10], ref
        datetime.fromisoformat(doc["published"])
        name, kind, index = _split_ref(ref)
        if kind == ":":
            assert _jsonl_records(name)[index - 1]["title"] == doc["title"], ref
        elif kind == "#":
            assert _feed_items(name)[index - 1].findtext("title") == doc["title"], ref
        else:
            raw = html.unescape((sample_path() / name).read_text(encoding="utf-8"))
            assert doc["title"] in raw, ref


def test_sample_corpus_containers_have_expected_fields(docs: dict[str, dict[str, Any]]) -> None:
    for ref, doc in docs.items():
        name, kind, index = _split_ref(ref)
        if kind == ":":
            record = _jsonl_records(name)[index - 1]
            assert {"id", "title", "text", "date", "source", "url"} < set(record), ref
            assert record["source"] == doc["outlet"] and record["url"] == doc["url"], ref
        elif kind == "#":
            item = _feed_items(name)[index - 1]
            assert item.findtext(CONTENT_NS) and item.findtext("link") == doc["url"], ref
        elif name.endswith(".html"):
            page = _html_parts((sample_path() / name).read_text(encoding="utf-8"))
            assert page.site_name == doc["outlet"], ref
            assert {"nav", "footer", "article", "time"} <= page.tags, ref
            assert "cookie" in (sample_path() / name).read_text(encoding="utf-8").lower(), ref


def _word_runs(text: str, size: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def _seed_dir() -> Path:
    env = os.environ.get("NEWSPRISM_SEEDS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_sample_corpus_shares_no_long_run_with_seeds() -> None:
    seeds = sorted(p for p in _seed_dir().glob("*") if p.is_file()) if _seed_dir().is_dir() else []
    if not seeds:
        pytest.skip(f"no seed files under {_seed_dir()}")
    seed_runs: set[tuple[str, ...]] = set()
    for path in seeds:
        seed_runs |= _word_runs(path.read_text(encoding="utf-8", errors="replace"), SEED_RUN)
    hits: Counter[str] = Counter()
    for path in sample_path().iterdir():
        overlap = _word_runs(path.read_text(encoding="utf-8"), SEED_RUN) & seed_runs
        if overlap:
            hits[path.name] = len(overlap)
    assert not hits, hits
