"""The story commands end to end, and the corpora that must land in one story each: the seed pair
(../shared/seeds, skipped when absent) and the bundled sample corpus (gold story keys in its
MANIFEST.json)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from newsprism.config import IngestOptions
from newsprism.link import make_link_hook
from newsprism.pipeline import ingest, ingest_articles
from newsprism.present.cli import main
from newsprism.storage import MemoryStore, SQLiteStore
from tests.link._articles import syndicated_copy, three_stories

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "newsprism" / "data" / "sample"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    flood, rates, quake = three_stories()
    with SQLiteStore(path) as store:
        ingest_articles(flood + rates + quake + [syndicated_copy(flood[0], "Reprints")], store,
                        hooks=[make_link_hook(store)])
    return path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_stories_json_has_the_documented_fields(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["stories", "--db", str(db), "--json"])
    assert isinstance(data, list) and len(data) == 3
    for story in data:
        assert {"id", "title", "article_count", "sources", "first_published", "last_published",
                "articles"} <= set(story)
        assert story["article_count"] == len(story["articles"])
        for article in story["articles"]:
            assert set(article) == {"id", "external_id", "source", "title"}
    only = _json(capsys, ["stories", "--db", str(db), "--json", "--source", "Coast Radio"])
    assert [s["article_count"] for s in only] == [2]
    late = _json(capsys, ["stories", "--db", str(db), "--json", "--since", "2030-01-01"])
    assert late == []


def test_cli_story_lists_articles_in_time_order_and_marks_duplicates(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = _json(capsys, ["stories", "--db", str(db), "--json"])
    flood = next(s for s in listing if s["article_count"] == 4)
    data = _json(capsys, ["story", flood["id"][:6], "--db", str(db), "--json"])
    times = [a["time"] for a in data["articles"]]
    assert times == sorted(times) and data["id"] == flood["id"]
    assert {a["duplicate_kind"] for a in data["articles"]} >= {"original"}
    assert main(["story", flood["id"], "--db", str(db)]) == 0
    text = capsys.readouterr().out
    # The Herald's report and its syndicated copy carry the same minute: no order is known, so
    # no first reporter is claimed.
    assert "[dup " in text and "first reported by unknown" in text


def test_cli_story_unknown_id_exits_1(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["story", "nosuchstory", "--db", str(db)]) == 1
    assert "no story" in capsys.readouterr().err


def test_cli_relink_and_duplicates(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _json(capsys, ["relink", "--db", str(db), "--json"])
    assert report["articles"] == 8 and report["stories"] == 3 and report["merges"] == []
    groups = _json(capsys, ["duplicates", "--db", str(db), "--json"])
    assert len(groups) == 1 and {m["kind"] for m in groups[0]["members"]} == {"original", "near"}
    assert main(["duplicates", "--db", str(db)]) == 0
    assert "group " in capsys.readouterr().out
    assert main(["relink", "--db", str(db), "--since", "2024-05-01", "--until", "2024-06-01"]) == 0
    assert "relinked 8 articles into 3 stories" in capsys.readouterr().out


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_seed_pair_lands_in_one_story() -> None:
    store = MemoryStore()
    report = ingest([str(SEEDS)], store, hooks=[make_link_hook(store)], progress=False)
    assert report.ingested == 2
    links = [store.story_article(a.id) for a in store.articles()]
    assert len({link.story_id for link in links}) == 1


# The Valley Courier's local-angle report of the Saltmere port strike (a depot two days later,
# few shared words, shared names) is the one sample document the learned link model (fitted on
# real corpora, not on the sample) leaves in a story of its own; the hand-set threshold before it
# was lowered until this document joined. Kept visible as a strict xfail, not hidden.
_LOCAL_ANGLE = "valley-courier_2025-10-15.txt"


def _sample_stories(arrangement: str = "one batch") -> tuple[dict[str, str | None], dict[str, str]]:
    manifest = json.loads((SAMPLE / "MANIFEST.json").read_text(encoding="utf-8"))
    gold = {d["ref"]: d.get("story") for d in manifest["documents"]}
    outlet = {d["ref"]: d["outlet"] for d in manifest["documents"] if d["format"] == "text"}
    files = sorted({d["ref"].split(":")[0].split("#")[0] for d in manifest["documents"]})
    store = MemoryStore()
    if arrangement == "one batch":
        ingest([str(SAMPLE)], store, hooks=[make_link_hook(store)], progress=False)
    elif arrangement == "one call per outlet":
        by_outlet: dict[str | None, list[str]] = defaultdict(list)
        for name in files:
            by_outlet[outlet.get(name)].append(str(SAMPLE / name))
        for source, paths in by_outlet.items():
            ingest(paths, store, options=IngestOptions(source=source), hooks=[make_link_hook(store)], progress=False)
    elif arrangement == "one call per outlet, manifest order":
        by_outlet = defaultdict(list)
        for doc in manifest["documents"]:
            path = str(SAMPLE / doc["ref"].split(":")[0].split("#")[0])
            group = by_outlet[doc["outlet"] if doc["format"] == "text" else None]
            if path not in group:
                group.append(path)
        for source, paths in by_outlet.items():
            ingest(paths, store, options=IngestOptions(source=source), hooks=[make_link_hook(store)], progress=False)
    else:  # one file per call, each call a new linker (as one CLI run per file would be)
        for name in files:
            ingest([str(SAMPLE / name)], store, options=IngestOptions(source=outlet.get(name)),
                   hooks=[make_link_hook(store)], progress=False)
    found: dict[str, str] = {}
    for article in store.articles():
        ref = Path(article.input_ref or "").name
        if ref in gold:
            found[ref] = store.story_article(article.id).story_id
    for story in store.list_stories():  # every summary agrees with the story's links
        links = store.story_articles(story.id)
        assert story.article_count == len(links), story
        assert set(story.sources) == {store.get_article(x.article_id).source for x in links} - {None}, story
    return gold, found


@pytest.mark.skipif(not (SAMPLE / "MANIFEST.json").is_file(), reason="sample corpus not bundled")
@pytest.mark.parametrize("arrangement", ["one batch", "one call per outlet", "one file per call"])
def test_sample_corpus_stories_match_the_manifest(arrangement: str) -> None:
    gold, found = _sample_stories(arrangement)
    assert set(found) == set(gold)
    by_story: dict[str, set[str]] = defaultdict(set)
    for ref, story in gold.items():
        if ref != _LOCAL_ANGLE:
            by_story[story or f"single:{ref}"].add(found[ref])
    assert all(len(ids) == 1 for ids in by_story.values()), by_story
    # and no two gold stories share one
    assert len({found[r] for r in found if r != _LOCAL_ANGLE}) == len(by_story)


@pytest.mark.skipif(not (SAMPLE / "MANIFEST.json").is_file(), reason="sample corpus not bundled")
@pytest.mark.xfail(strict=True, reason="the learned link model splits the local-angle report")
def test_sample_corpus_local_angle_report_joins_its_story() -> None:
    gold, found = _sample_stories()
    peers = {found[r] for r, s in gold.items() if s == gold[_LOCAL_ANGLE] and r != _LOCAL_ANGLE}
    assert found[_LOCAL_ANGLE] in peers


@pytest.mark.skipif(not (SAMPLE / "MANIFEST.json").is_file(), reason="sample corpus not bundled")
def test_sample_corpus_story_summaries_agree_with_their_links() -> None:
    _sample_stories("one call per outlet, manifest order")  # asserts it for every story
