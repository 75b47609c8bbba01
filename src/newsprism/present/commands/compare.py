"""CLI command ``compare``: how two articles relate (reuse, shared and unique facts, conflicts,
framing, similarity), and the text form of a story comparison for ``story ID --compare``.

``newsprism compare A B`` takes article ids (or unique prefixes) from the store, or files, which
are read and analysed on the fly without touching the store.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsprism.compare.facts import Conflict, Fact
from newsprism.compare.pair import Comparison, compare
from newsprism.compare.story import StoryComparison
from newsprism.config import IngestOptions
from newsprism.errors import InputError
from newsprism.model import Article
from newsprism.present.output import emit, plural, shorten

_WIDTH = 100
_SENTENCE = 150


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``compare`` command."""
    p = sub.add_parser(
        "compare",
        parents=[common],
        help="how two articles relate: reused text, shared / unique facts, conflicts, framing",
        description="Compare two articles, given by id (or unique prefix) in the store, or as "
        "files that are read and analysed on the fly without a store.",
    )
    p.add_argument("a", metavar="A", help="article id or file")
    p.add_argument("b", metavar="B", help="article id or file")
    p.add_argument(
        "--source-a", metavar="NAME", help="outlet of A when A is a file that does not say"
    )
    p.add_argument(
        "--source-b", metavar="NAME", help="outlet of B when B is a file that does not say"
    )
    p.add_argument("--no-similarity", action="store_true", help="skip the seven similarity scores")
    p.set_defaults(func=cmd_compare)


def _from_file(path: Path, source: str | None) -> Article:
    from newsprism.pipeline import ingest
    from newsprism.storage import MemoryStore

    store = MemoryStore()
    report = ingest([path], store, options=IngestOptions(source=source), progress=False)
    articles = store.articles()
    if not articles:
        why = "; ".join(f"{r.reason}: {r.detail}" for r in report.rejected) or "no article found"
        raise InputError("no_article", f"{path}: {why}")
    if len(articles) > 1:
        raise InputError(
            "many_articles", f"{path} holds {len(articles)} articles; ingest it and give ids"
        )
    return articles[0]


def _load(args: argparse.Namespace) -> tuple[Article, Article, dict[str, Any]]:
    """The two articles (files read on the fly, ids from the store) and stored analyses."""
    found: list[Article | None] = []
    for ref, source in ((args.a, args.source_a), (args.b, args.source_b)):
        path = Path(ref)
        found.append(_from_file(path, source) if len(ref) < 4096 and path.is_file() else None)
    analyses: dict[str, Any] = {}
    if any(a is None for a in found):
        from newsprism.storage import open_store

        with open_store(args.db) as store:
            for k, ref in enumerate((args.a, args.b)):
                if found[k] is None:
                    article = store.get_article(ref)
                    found[k] = article
                    stored = getattr(store, "get_analysis", lambda _id: None)(article.id)
                    if stored is not None:
                        analyses[article.id] = stored
    a, b = found
    assert a is not None and b is not None  # every slot was filled above
    return a, b, analyses


def cmd_compare(args: argparse.Namespace) -> int:
    """``newsprism compare A B``."""
    a, b, analyses = _load(args)
    comparer = None
    if args.no_similarity:
        from newsprism.compare.models import Models
        from newsprism.compare.pair import Comparer

        comparer = Comparer(Models(similarity=False))
    result = compare(a, b, comparer=comparer, analyses=analyses)
    emit(args, result.to_dict(), lambda: format_comparison(result))
    return 0


# -- text forms -------------------------------------------------------------------------------


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _head(article: Article, label: str) -> str:
    date = article.published.date().isoformat() if article.published else "no date"
    outlet = article.source or "unknown outlet"
    return f"  {label}  {outlet} · {date} · {shorten(article.title, 60)}  [{article.id[:8]}]"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _similarity(result: Comparison) -> list[str]:
    if result.similarity is None:
        return []
    scores = "  ".join(f"{d.name} {d.score:.1f}" for d in result.similarity.dimensions)
    return ["", "Similarity (1 = very similar ... 4 = very dissimilar)", f"  {scores}"]


def _reuse(result: Comparison) -> list[str]:
    r = result.reuse
    if not r.passages:
        out = ["", "Reused text: none"]
    else:
        out = [
            "",
            (
                f"Reused text: {plural(len(r.passages), 'passage')}, {plural(r.words, 'word')} "
                f"(A {_pct(r.share_a)}, B {_pct(r.share_b)} of the body)"
            ),
        ]
        for p in r.passages:
            how = "verbatim" if p.verbatim else f"{_pct(p.similarity)} alike"
            out.append(
                _wrap(f"[{p.kind}, {p.words} words, {how}] “{shorten(p.text_a, _SENTENCE)}”")
            )
    o = result.origin
    if o.kind != "none":
        out.append(f"  likely origin: {o.name or 'unknown'} ({o.reason})")
    return out


def _claim_lines(fact: Fact, labels: dict[str, str]) -> list[str]:
    lines = []
    for c in fact.claims:
        lines.append(
            _wrap(f"{labels.get(c.article_id, '?')}: {shorten(c.text, _SENTENCE)}", "    ")
        )
    return lines


def _facts(title: str, facts: Sequence[Fact], labels: dict[str, str], limit: int = 25) -> list[str]:
    out = ["", f"{title} ({len(facts)})"]
    if not facts:
        out.append("    none")
    for fact in facts[:limit]:
        lines = _claim_lines(fact, labels)
        lines[0] = "  -" + lines[0][3:]
        out.extend(lines)
    if len(facts) > limit:
        out.append(f"    ... and {len(facts) - limit} more (see --json)")
    return out


def _conflicts(conflicts: Sequence[Conflict], labels: dict[str, str]) -> list[str]:
    out = ["", f"Conflicts ({len(conflicts)})"]
    if not conflicts:
        out.append("    none found")
    for c in conflicts:
        la, lb = labels.get(c.claim_a.article_id, "?"), labels.get(c.claim_b.article_id, "?")
        out.append(f"  - {c.kind}: {c.what}: {la} says “{c.value_a}”, {lb} says “{c.value_b}”")
        out.append(_wrap(f"{la}: {shorten(c.claim_a.text, _SENTENCE)}", "      "))
        out.append(_wrap(f"{lb}: {shorten(c.claim_b.text, _SENTENCE)}", "      "))
    return out


def _framing_lines(f: Any, label: str) -> list[str]:
    focus = ", ".join(f.events) or ", ".join(f.terms[:5]) or "nothing"
    backing = (
        f"body backs it (lead: {'yes' if f.in_lead else 'no'}, {_pct(f.support)} of sentences)"
        if f.backed
        else f"body does not back it ({_pct(f.support)} of sentences, not in the lead)"
    )
    out = [f"  {label} headline foregrounds {focus}: {backing}"]
    if f.body_events:
        out.append(
            "      body is about: " + ", ".join(f"{k} {_pct(v)}" for k, v in f.body_events[:4])
        )
    return out


def _framing(result: Comparison, sa: str, sb: str) -> list[str]:
    fr = result.framing
    out = ["", "Framing", *_framing_lines(fr.a, "A"), *_framing_lines(fr.b, "B")]
    if not fr.same_focus:
        out.append(
            f"  different focus: A {', '.join(fr.focus_a) or '-'} / "
            f"B {', '.join(fr.focus_b) or '-'}"
        )
    out.append(f"  loaded terms only in A ({sa}): {', '.join(fr.loaded_a) or 'none'}")
    out.append(f"  loaded terms only in B ({sb}): {', '.join(fr.loaded_b) or 'none'}")
    for label, f, only in (("A", fr.a, fr.voices_a), ("B", fr.b, fr.voices_b)):
        cited = ", ".join(f"{v.label} ({v.kind})" for v in f.voices[:6]) or "nobody"
        out.append(
            f"  voices in {label}: {cited}" + (f"; only {label}: {', '.join(only)}" if only else "")
        )
    return out


def format_comparison(result: Comparison) -> str:
    """The readable report of a pair comparison."""
    a, b = result.a, result.b
    labels = {a.id: "A", b.id: "B"} if a.id != b.id else {a.id: "A"}
    sa, sb = a.source or "A", b.source or "B"
    out = ["Comparing", _head(a, "A"), _head(b, "B")]
    out += _similarity(result)
    out += _reuse(result)
    r_all = result.reuse.passages
    for w in result.wire:
        out += [
            "",
            (
                f"Wire copy credited to {w.agency}, carried by both ({plural(len(w.facts), 'shared fact')}; "
                f"{len(w.passages)} of the {plural(len(r_all), 'reused passage')} above)"
            ),
        ]
        for fact in w.facts[:8]:
            lines = _claim_lines(fact, labels)
            lines[0] = "  -" + lines[0][3:]
            out += lines
    out += _facts("Reported by both", result.facts.by_coverage("all"), labels)
    out += _facts(f"Only in A ({sa})", result.facts.only(a.id), labels)
    if a.id != b.id:
        out += _facts(f"Only in B ({sb})", result.facts.only(b.id), labels)
    out += _conflicts(result.conflicts, labels)
    out += ["", f"Aligned paraphrases ({len(result.paraphrases)})"]
    for p in result.paraphrases[:15]:
        out.append(
            _wrap(
                f"{p.score:.2f}  A{p.index_a + 1} “{shorten(p.text_a, 70)}” = "
                f"B{p.index_b + 1} “{shorten(p.text_b, 70)}”",
                "  ",
            )
        )
    out += _framing(result, sa, sb)
    if result.notes:
        out += ["", "Notes", *(f"  - {n}" for n in result.notes)]
    return "\n".join(out)


def _story_labels(result: StoryComparison) -> dict[str, str]:
    return {a.id: f"[{k + 1}] {a.source or a.id[:8]}" for k, a in enumerate(result.articles)}


def format_story_comparison(result: StoryComparison) -> str:
    """The readable report of a story comparison (``newsprism story ID --compare``)."""
    labels = _story_labels(result)
    out = [
        f"Story {result.story_id or ''} — {plural(len(result.articles), 'article')} compared".replace(
            "  ", " "
        )
    ]
    for k, a in enumerate(result.articles):
        out.append(_head(a, f"[{k + 1}]"))
    out += _facts("Reported by all", result.facts.by_coverage("all"), labels, 15)
    out += _facts("Reported by some", result.facts.by_coverage("some"), labels, 15)
    for a in result.articles:
        out += _facts(f"Only in {labels[a.id]}", result.facts.only(a.id), labels, 10)
    out += _conflicts(result.conflicts, labels)
    reuse = [p for p in result.pairs if p.reuse.passages]
    out += ["", f"Reused text between pairs ({len(reuse)})"]
    for p in sorted(reuse, key=lambda p: -p.reuse.words)[:15]:
        origin = f"; origin {p.origin.name}" if p.origin.name else ""
        out.append(
            f"  {labels[p.a]} / {labels[p.b]}: {plural(len(p.reuse.passages), 'passage')}, "
            f"{plural(p.reuse.words, 'word')} ({_pct(p.reuse.share_a)} / {_pct(p.reuse.share_b)} of each body){origin}"
        )
    for w in result.wire:
        out.append(
            f"  wire copy of {w.agency}: {', '.join(labels[i] for i in w.article_ids)} "
            f"({plural(len(w.facts), 'shared fact')})"
        )
    out += ["", "Framing"]
    for f in result.framings:
        out += _framing_lines(f, labels[f.article_id])
        own = result.own_loaded.get(f.article_id, ())
        if own:
            out.append(f"      loaded terms no other article uses: {', '.join(own)}")
        voices = result.own_voices.get(f.article_id, ())
        if voices:
            out.append(f"      voices no other article cites: {', '.join(voices)}")
    if result.notes:
        out += ["", "Notes", *(f"  - {n}" for n in result.notes)]
    return "\n".join(out)
