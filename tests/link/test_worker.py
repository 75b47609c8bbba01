"""The link worker process: batches read there link exactly as when read in-process."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from newsprism.errors import ConfigError
from newsprism.link import StreamingLinker
from newsprism.model import Article
from newsprism.pipeline import ingest_articles
from newsprism.represent.features import LinkRepresenter
from newsprism.represent.worker import PendingBatch, PrepareWorker
from newsprism.storage import SQLiteStore
from newsprism.testing import make_article
from tests.link._articles import DAY, syndicated_copy, three_stories, wire_rewrites

_WORDS = ["harbour", "council", "strike", "cargo", "ferry", "budget", "mayor", "storm", "flood", "bridge", "school", "hospital", "court", "minister", "treaty", "border", "market", "farmers", "drought", "rail", "union", "police", "river", "election", "recount", "tunnel", "orchard", "vineyard", "glacier", "festival", "museum", "library", "stadium", "airport", "refinery", "pipeline", "quarry", "lighthouse"]


def _corpus() -> list[Article]:
    """Three stories, a syndicated copy, wire rewrites and 60 unrelated singles, in time order."""
    rng = random.Random(4)
    flood, rates, quake = three_stories()
    out = [*flood, *rates, *quake, syndicated_copy(flood[0], "Copy Desk"), *wire_rewrites(DAY)]
    for i in range(60):
        words = rng.sample(_WORDS, 8)
        paras = [" ".join(rng.choices(words, k=30)).capitalize() + "." for _ in range(3)]
        out.append(make_article(f"{words[0].title()} {words[1]} report {i}", paras, source=f"Outlet {i % 7}",
                                published=DAY + timedelta(hours=i)))
    return sorted(out, key=lambda a: a.published or DAY)


def _links(tmp_path: Path, name: str, worker: bool) -> tuple[dict[str, tuple[str, str, float]], StreamingLinker]:
    articles = _corpus()
    linker = StreamingLinker(worker=worker)
    with SQLiteStore(tmp_path / f"{name}.db") as store:
        ingest_articles(articles, store, hooks=[linker], batch_size=40)
        linker.close()
        out = {}
        for a in articles:
            link = store.story_article(a.id)  # type: ignore[attr-defined]
            out[a.id] = (link.story_id, link.reason, round(link.score, 5))
    return out, linker


def test_worker_links_exactly_as_in_process(tmp_path: Path) -> None:
    inline, inline_linker = _links(tmp_path, "inline", worker=False)
    pooled, pooled_linker = _links(tmp_path, "pooled", worker=True)
    assert inline_linker.worker_articles == 0
    assert pooled_linker.worker_articles >= 40  # the batches of 40 went to the worker
    assert pooled == inline
    assert len({sid for sid, _, _ in inline.values()}) < len(inline)  # stories were formed


def test_worker_prepared_text_matches_in_process() -> None:
    representer = LinkRepresenter()
    article = three_stories()[0][0]
    worker = PrepareWorker(representer, min_batch=1)
    try:
        future = worker.submit([(article.title, article.body)])
        assert future is not None
        result = worker.result(future)
    finally:
        worker.close()
    assert result is not None
    remote = result[0][0]
    local = representer.prepare(article.title, article.body)
    assert remote.text_hash == local.text_hash
    assert remote.sentences == local.sentences
    assert (remote.signature == local.signature).all()
    assert (remote.ids == local.ids).all() and (remote.counts == local.counts).all()


def test_worker_failure_falls_back_to_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: PrepareWorker, texts: list[tuple[str, str]]) -> PendingBatch:
        job = PendingBatch(list(texts))
        job.error = EOFError("worker process ended")
        job.done.set()
        return job

    monkeypatch.setattr(PrepareWorker, "submit", broken)
    inline, _ = _links(tmp_path, "inline", worker=False)
    failed, linker = _links(tmp_path, "failed", worker=True)
    assert failed == inline
    assert linker.worker_articles == 0
    assert linker._worker is not None and linker._worker.failed


def test_worker_rejects_bad_min_batch() -> None:
    with pytest.raises(ConfigError, match="min_batch"):
        PrepareWorker(LinkRepresenter(), min_batch=0)


_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.link.test_worker import _corpus
from newsprism.link import StreamingLinker
from newsprism.pipeline import ingest_articles
from newsprism.storage import SQLiteStore

with open({marker!r}, "a") as fh:  # top-level code: must run once, not again in the worker
    fh.write("ran\\n")
linker = StreamingLinker(worker=True)
store = SQLiteStore({db!r})
ingest_articles(_corpus(), store, hooks=[linker], batch_size=40)
linker.close()
print(linker.worker_articles, store.count_stories())
"""


def test_worker_never_reruns_an_unguarded_calling_script(tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    script = tmp_path / "unguarded.py"
    root = str(Path(__file__).resolve().parents[2])
    script.write_text(_SCRIPT.format(root=root, marker=str(marker), db=str(tmp_path / "u.db")))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-800:]
    worker_articles, stories = map(int, done.stdout.split())
    assert worker_articles >= 40
    assert stories > 0
    assert marker.read_text().splitlines() == ["ran"]
    assert "Traceback" not in done.stderr
