"""The labelled corpora the linking benchmarks fit and score on, read from ../shared/data.

- ``ECB+``: 982 news documents, 86 gold events in 43 topics (each topic two similar events, the
  hard negatives); read through the real JSONL ingest path; no dates.
- ``BASIL``: 100 events x Fox News / New York Times / HuffPost (300 articles), dated.
- ``SemEval``: SemEval-2022 Task 8 dev pairs; Overall <= 1.5 is "same story", >= 3.5 "different",
  the rest left out; same-language pairs only (the linker is lexical: cross-language linking is
  another issue's work).

Each loader returns None when its data is absent.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from _data import BASIL, ECBPLUS, SHARED, basil_articles, ecbplus_gold

from newsprism.link.training import PairCorpus, StoryCorpus
from newsprism.model import Article
from newsprism.pipeline import ingest
from newsprism.storage import MemoryStore
from newsprism.testing import make_article

SEMEVAL = SHARED / "data" / "semeval2022t8" / "pairs_dev.csv"
SAME_STORY_MAX = 1.5
DIFFERENT_STORY_MIN = 3.5


def ecbplus_corpus(path: Path = ECBPLUS) -> StoryCorpus | None:
    """ECB+ in file order, parsed by the JSONL reader and normalizer."""
    if not path.is_file():
        return None
    gold = ecbplus_gold(path)
    parsed = MemoryStore()
    ingest([str(path)], parsed, progress=False)
    articles = parsed.articles()
    order = {doc_id: i for i, doc_id in enumerate(gold)}
    articles.sort(key=lambda a: order.get(a.external_id or "", len(order)))
    return StoryCorpus("ECB+", articles, [gold[a.external_id or ""] for a in articles])


def ecbplus_topics(corpus: StoryCorpus) -> list[str]:
    """ECB+ topic of each article (its gold story label without the ecb/ecbplus suffix)."""
    return [label.rstrip("abcdefghijklmnopqrstuvwxyz") for label in corpus.labels]


def basil_corpus(root: Path = BASIL) -> StoryCorpus | None:
    """BASIL in its file order (year folders, each event's three articles together)."""
    if not root.is_dir():
        return None
    articles, gold = basil_articles(root)  # sorted by date
    by_uuid = {a.external_id: a for a in articles}
    in_files = []
    for path in sorted(root.glob("*/*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("uuid") in by_uuid:
            in_files.append(by_uuid.pop(doc["uuid"]))
    in_files += list(by_uuid.values())
    return StoryCorpus("BASIL", in_files, [gold[a.id] for a in in_files])


def semeval_corpus(path: Path = SEMEVAL, *, same_language: bool = True) -> PairCorpus | None:
    """SemEval-2022 Task 8 dev pairs rated clearly same or clearly different story."""
    if not path.is_file():
        return None
    csv.field_size_limit(2**31 - 1)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    pairs: list[tuple[Article, Article]] = []
    labels: list[int] = []
    for row in rows:
        overall = float(row["Overall"])
        if SAME_STORY_MAX < overall < DIFFERENT_STORY_MIN:
            continue
        if same_language and row["lang1"] != row["lang2"]:
            continue
        ids = row["pair_id"].split("_")
        pairs.append((_article(row["text1"], ids[0], row["lang1"]), _article(row["text2"], ids[-1], row["lang2"])))
        labels.append(1 if overall <= SAME_STORY_MAX else 0)
    return PairCorpus("SemEval", pairs, labels)


def _article(text: str, external_id: str, language: str) -> Article:
    """A SemEval text as an article: the first double-space-separated part is its title."""
    head, sep, rest = text.partition("  ")
    title, body = (head, rest) if sep and len(head) < 200 else ("", text)
    return make_article(title.strip(), [body.strip() or title], source=f"semeval:{external_id}",
                        external_id=external_id, language=language)
