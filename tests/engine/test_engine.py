"""The Engine protocol: local and Dask engines, and relink on Dask equal to relink in-process."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsprism.analyze import analyze_pending
from newsprism.analyze.base import AnalyzerConfig
from newsprism.engine.base import Engine, open_engine
from newsprism.engine.local import LocalEngine
from newsprism.errors import ConfigError, MissingDependency
from newsprism.link import make_link_hook, relink, stories
from newsprism.pipeline import ingest_articles
from newsprism.storage import MemoryStore, SQLiteStore
from newsprism.storage.base import analysis_store
from tests.engine._corpus import corpus

SRC = Path(__file__).resolve().parents[2] / "src" / "newsprism"
STAGES = ("ingest", "normalize", "analyze", "represent", "link", "compare", "report", "storage")


def _double(part: list[int]) -> list[int]:
    return [2 * x for x in part]


def _pids(part: list[int]) -> list[int]:
    return [os.getpid()] * len(part)


def _fail_on_seven(part: list[int]) -> list[int]:
    if 7 in part:
        raise ValueError("seven")
    return part


@pytest.fixture(scope="module")
def dask_engine() -> Iterator[Any]:
    pytest.importorskip("distributed")
    from newsprism.engine.dask import DaskEngine

    # Small partitions: a few hundred articles make several tasks per worker.
    with DaskEngine(partition_size=40) as engine:
        yield engine


def test_engine_local_maps_partitions_in_order() -> None:
    calls: list[int] = []

    def fn(part: list[int]) -> list[int]:
        calls.append(len(part))
        return _double(part)

    engine = LocalEngine(partition_size=3)
    assert isinstance(engine, Engine) and engine.workers == 1
    assert engine.map_partitions(fn, list(range(8))) == [0, 2, 4, 6, 8, 10, 12, 14]
    assert calls == [3, 3, 2] and engine.map_partitions(fn, []) == []


def test_engine_rejects_bad_names_and_parameters() -> None:
    with pytest.raises(ConfigError, match="engine must be one of local, dask; got 'spark'"):
        open_engine("spark")
    with pytest.raises(ConfigError, match="scheduler is for the dask engine"):
        open_engine("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ConfigError, match="partition_size must be a positive integer"):
        LocalEngine(partition_size=0)


def test_engine_dask_without_dask_raises_missing_dependency(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsprism.engine.dask import DaskEngine

    monkeypatch.setitem(sys.modules, "distributed", None)  # find_spec then reports it missing
    with pytest.raises(MissingDependency, match=r"pip install 'newsprism\[dask\]'"):
        DaskEngine()
    with pytest.raises(MissingDependency):
        open_engine("dask")


def test_engine_importing_newsprism_needs_no_dask() -> None:
    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None\n"
        "import newsprism, newsprism.link, newsprism.engine.base, newsprism.engine.dask\n"
        "import newsprism.present.cli\n"
        "newsprism.present.cli.main(['relink', '--help'])\n"  # argparse exits 0 after the help
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and "--scheduler" in done.stdout, done.stderr


def test_engine_dask_unreachable_scheduler_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    from newsprism.engine.dask import DaskEngine
    from newsprism.present.cli import main

    with pytest.raises(ConfigError, match="could not be reached"), \
            DaskEngine("tcp://127.0.0.1:9", connect_timeout=1) as engine:
        engine.map_partitions(_double, [1])
    assert main(["relink", "--db", str(tmp_path / "s.db"), "--engine", "local",
                 "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "scheduler is for the dask engine" in capsys.readouterr().err


def test_engine_stages_never_import_engine() -> None:
    offenders = []
    for stage in STAGES:
        for path in (SRC / stage).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [])
                offenders += [f"{path.relative_to(SRC)}: {n}" for n in names if n.startswith("newsprism.engine")]
    assert offenders == []


def test_engine_dask_maps_partitions_on_worker_processes_in_order(dask_engine: Any) -> None:
    items = list(range(300))
    assert dask_engine.map_partitions(_double, items) == _double(items)
    pids = set(dask_engine.map_partitions(_pids, items))
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    assert dask_engine.map_partitions(_double, []) == []
    assert all(peak > 0 for peak in dask_engine.peak_memory().values())


def test_engine_dask_imap_reads_partitions_lazily_and_yields_in_order(dask_engine: Any) -> None:
    read: list[int] = []

    def parts() -> Iterator[list[int]]:
        for i in range(12):
            read.append(i)
            yield [i, i]

    results = dask_engine.imap_partitions(_double, parts())
    assert next(results) == [0, 0]
    assert len(read) <= 2 * dask_engine.workers + 1  # a window of partitions, not all twelve
    assert list(results) == [[2 * i, 2 * i] for i in range(1, 12)] and len(read) == 12
    assert list(LocalEngine().imap_partitions(_double, iter([[1], [2, 3]]))) == [[2], [4, 6]]


def test_engine_dask_reraises_a_worker_error(dask_engine: Any) -> None:
    with pytest.raises(ValueError, match="seven"):
        dask_engine.map_partitions(_fail_on_seven, list(range(200)))
    assert dask_engine.map_partitions(_double, [1, 2]) == [2, 4]  # the engine stays usable


def _linked_store() -> MemoryStore:
    store = MemoryStore()
    ingest_articles(corpus(), store, hooks=[make_link_hook(store)])
    return store


def _state(store: MemoryStore) -> dict[str, Any]:
    views = stories(store)
    return {
        "stories": [v.story for v in views],
        "members": {v.story.id: [e.article.id for e in v.articles] for v in views},
        "links": {a.id: store.story_article(a.id) for a in store.iter_articles()},
    }


def test_engine_dask_relink_equals_local(dask_engine: Any) -> None:
    local, spread = _linked_store(), _linked_store()
    local_report = relink(local).to_dict()
    spread_report = relink(spread, engine=dask_engine).to_dict()
    local_report.pop("seconds"), spread_report.pop("seconds")
    assert spread_report == local_report
    expected, got = _state(local), _state(spread)
    assert got == expected
    sizes = sorted(len(m) for m in expected["members"].values())
    assert local_report["articles"] == len(corpus()) > 200 and sizes[-1] >= 4 and len(sizes) >= 40


def test_engine_cli_relink_on_a_scheduler_equals_local(dask_engine: Any, tmp_path: Path) -> None:
    from newsprism.present.cli import main

    dbs = []
    for name in ("local", "dask"):
        store = SQLiteStore(tmp_path / f"{name}.db")
        ingest_articles(corpus(n_events=15), store)  # stored, never linked: relink makes every story
        store.close()
        dbs.append(str(tmp_path / f"{name}.db"))
    address = dask_engine.address
    assert main(["relink", "--db", dbs[0]]) == 0
    assert main(["relink", "--db", dbs[1], "--scheduler", address]) == 0
    links = []
    for db in dbs:
        with SQLiteStore(db) as store:
            links.append({a.id: store.story_article(a.id) for a in store.iter_articles()})
    assert links[0] == links[1] and len({link.story_id for link in links[0].values()}) >= 10


def test_engine_dask_reanalyze_equals_local(dask_engine: Any) -> None:
    config = AnalyzerConfig(ner=False)  # no NER model to load: the test stays seconds
    local, spread = MemoryStore(), MemoryStore()
    for store in (local, spread):
        ingest_articles(corpus(n_events=5), store)
    options: dict[str, Any] = {"config": config, "batch_size": 5, "progress": False, "force": True}
    done = analyze_pending(local, workers=1, **options)
    assert analyze_pending(spread, engine=dask_engine, **options) == done == local.count_articles()
    ids = [a.id for a in local.iter_articles()]
    expected = [analysis_store(local).get_analysis(i) for i in ids]
    assert [analysis_store(spread).get_analysis(i) for i in ids] == expected
