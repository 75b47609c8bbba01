"""Smoke test on the real dev corpora (../shared/data): all of ECB+ and BASIL through the CLI's
default path (link + analyse). Skipped, with a message, when the data is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.present.cli import main
from newsprism.storage import SQLiteStore

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
ECB = DATA / "ecbplus"
BASIL = DATA / "basil"


@pytest.mark.slow
def test_real_corpus_ecbplus_and_basil_through_the_cli(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not (ECB / "docs.jsonl").exists() or not (BASIL / "articles").is_dir():
        pytest.skip(f"real corpora not found under {DATA} (ecbplus/docs.jsonl, basil/articles)")
    db = tmp_path / "real.db"
    code = main(["ingest", str(ECB), str(BASIL), "--db", str(db), "--json", "--no-progress"])
    report = json.loads(capsys.readouterr().out)
    assert code in (0, 1), report["rejections"][:5]
    assert code == (0 if not report["rejections"] and not report["failed"] else 1)
    skipped = {Path(s["ref"]).name for s in report["skipped"]}
    assert {"README.txt", "README.md", "LICENSEDATA.TXT", "COPYING-CC.TXT"} <= skipped
    rejected = {r["ref"] for r in report["rejections"]}
    with SQLiteStore(db) as store:
        # Every input line and file is an article (its own or the copy it matched) or a
        # rejection with a reason: nothing vanishes.
        for n, line in enumerate((ECB / "docs.jsonl").read_text().splitlines(), 1):
            external = json.loads(line)["id"]
            ref = f"{ECB / 'docs.jsonl'}:{n}"
            assert store.articles_by_external_id(external) or ref in rejected, ref
        for path in sorted((BASIL / "articles").rglob("*.json")):
            uuid = json.loads(path.read_text())["uuid"]
            assert store.articles_by_external_id(uuid) or str(path) in rejected, path
        ids = {a.id for a in store.iter_articles()}
        # Every stored article analysed or recorded as failed.
        failed = {f.ref for f in store.failures(stage="analyze")}
        analysed = {r[0] for r in store.execute("SELECT article_id FROM analyses")}
        assert ids == analysed | failed
        # Every article in exactly one story.
        linked = [r[0] for r in store.execute("SELECT article_id FROM story_articles")]
        assert len(linked) == len(set(linked)) and set(linked) == ids
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    print(f"ECB+ and BASIL: {report['ingested']} stored, {report['duplicates']} duplicates, "
          f"{len(rejected)} rejected, {len(report['skipped'])} skipped, "
          f"{len(report['failed'])} analysis failures")
