"""A story comparison (``newsprism.compare.story``) -> what the story page shows.

* highlights for the side-by-side columns: reused passages (pairwise, with character spans),
  aligned paraphrases (claims of one fact in two or more articles), unique facts (claims only
  one article reports) and conflicting sentences; a shared ``pair`` id links counterparts;
* the conflicts panel: what is at stake and each outlet's version;
* key facts for the summary: what most outlets report, with the outlets as chips;
* a timeline of the facts that carry a date (until a report stage provides a fuller one).

Only attributes documented on ``StoryComparison``, ``PairSummary``, ``FactReport``, ``Fact``,
``Claim`` and ``Conflict`` are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsprism.model import Article
from newsprism.present.highlights import Highlight

#: Facts listed in the summary panel.
KEY_FACTS = 6
#: Dated facts on the timeline (the most widely reported are kept, shown in time order).
TIMELINE_EVENTS = 12


def _outlet(name: str | None) -> str:
    return name or "another article"


def comparison_highlights(cmp: Any, shown: Sequence[Article]) -> dict[str, list[Highlight]]:
    """Article id -> spans of ``cmp`` inside the articles in ``shown``."""
    out: dict[str, list[Highlight]] = {a.id: [] for a in shown}
    sources = {a.id: a.source for a in cmp.articles}
    for n, pair in enumerate(cmp.pairs):
        if pair.a not in out or pair.b not in out:
            continue
        for k, p in enumerate(pair.reuse.passages):
            pid = f"r{n}-{k}"
            out[pair.a].append(
                Highlight(
                    p.start_a,
                    p.end_a,
                    "reused",
                    pid,
                    f"reused: also in {_outlet(sources.get(pair.b))}",
                )
            )
            out[pair.b].append(
                Highlight(
                    p.start_b,
                    p.end_b,
                    "reused",
                    pid,
                    f"reused: also in {_outlet(sources.get(pair.a))}",
                )
            )
    for n, fact in enumerate(cmp.facts.facts):
        _fact_spans(out, n, fact)
    for m, conflict in enumerate(cmp.facts.conflicts):
        note = f"{conflict.what}: {conflict.value_a} / {conflict.value_b}"
        for claim in (conflict.claim_a, conflict.claim_b):
            if claim.article_id in out and claim.end > claim.start:
                out[claim.article_id].append(
                    Highlight(claim.start, claim.end, "conflict", f"c{m}", note)
                )
    return out


def _fact_spans(out: dict[str, list[Highlight]], n: int, fact: Any) -> None:
    claims = [c for c in fact.claims if c.article_id in out and c.end > c.start]
    if fact.coverage == "one":
        for c in claims:
            out[c.article_id].append(
                Highlight(c.start, c.end, "unique", None, f"only {_outlet(c.source)} reports this")
            )
        return
    if len({c.article_id for c in claims}) < 2:
        return
    names = ", ".join(dict.fromkeys(_outlet(s) for s in fact.sources))
    for c in claims:
        out[c.article_id].append(
            Highlight(c.start, c.end, "paraphrase", f"f{n}", f"same fact in {names}")
        )


def conflicts_view(cmp: Any) -> list[dict[str, Any]]:
    """The conflicts panel: ``what``, ``kind`` and both versions with outlet and sentence."""
    rows = []
    for c in cmp.facts.conflicts:
        rows.append(
            {
                "kind": c.kind,
                "what": c.what,
                "sides": [
                    {
                        "source": _outlet(c.claim_a.source),
                        "value": c.value_a,
                        "text": c.claim_a.text,
                        "article_id": c.claim_a.article_id,
                    },
                    {
                        "source": _outlet(c.claim_b.source),
                        "value": c.value_b,
                        "text": c.claim_b.text,
                        "article_id": c.claim_b.article_id,
                    },
                ],
            }
        )
    return rows


def key_facts(cmp: Any, limit: int = KEY_FACTS) -> list[dict[str, Any]]:
    """Facts reported by the most outlets (two or more), each with its outlets."""
    shared = [f for f in cmp.facts.facts if f.coverage != "one" and len(f.article_ids) >= 2]
    shared.sort(key=lambda f: (-len(set(f.sources)), -f.score))
    return [
        {
            "text": f.text,
            "sources": list(dict.fromkeys(_outlet(s) for s in f.sources)),
            "coverage": f.coverage,
        }
        for f in shared[:limit]
    ]


def unique_counts(cmp: Any) -> dict[str, int]:
    """Article id -> facts only that article reports."""
    counts: dict[str, int] = {}
    for f in cmp.facts.facts:
        if f.coverage == "one":
            for aid in f.article_ids:
                counts[aid] = counts.get(aid, 0) + 1
    return counts


def timeline(cmp: Any, limit: int = TIMELINE_EVENTS) -> list[dict[str, Any]]:
    """Facts with a date, in time order: ``when`` (ISO at the expression's granularity: day,
    month, year or range), ``day`` (its first day, for sorting), ``label`` (as written),
    ``text``, ``sources``. Durations are skipped; a fact's earliest dated claim places it."""
    events = []
    for fact in cmp.facts.facts:
        times = [
            t for c in fact.claims for t in c.times
            if t.modifier != "duration" and t.first_day
        ]
        if not times:
            continue
        first = min(times, key=lambda t: t.first_day)
        sources = list(dict.fromkeys(_outlet(s) for s in fact.sources))
        events.append({"when": first.value or first.first_day, "day": first.first_day,
                       "label": first.text, "text": fact.text, "sources": sources,
                       "coverage": fact.coverage})
    events.sort(key=lambda e: -len(e["sources"]))
    return sorted(events[:limit], key=lambda e: e["day"])
