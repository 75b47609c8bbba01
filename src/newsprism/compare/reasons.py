"""Short reasons a person reads next to each similarity score."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from newsprism.compare.text import TextView

_MAX_LISTED = 4


def _listing(names: Iterable[str]) -> str:
    items = sorted(names, key=lambda s: (s.lower()))
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f" (+{len(items) - _MAX_LISTED} more)" if len(items) > _MAX_LISTED else "")


def overall(f: Mapping[str, float]) -> str:
    """Why the overall score is what it is: text cosine and aligned sentences."""
    aligned = f["sent_aligned_frac"]
    return (
        f"text cosine {f['emb_doc']:.2f}, title cosine {f['emb_title']:.2f}; "
        f"{aligned:.0%} of sentences have a close counterpart"
    )


def geography(a: TextView, b: TextView) -> str:
    """Shared and one-sided places."""
    shared = a.places & b.places
    if not a.places and not b.places:
        return "no known place named in either text"
    parts = [f"shared places: {_listing(shared)}" if shared else "no shared place"]
    if a.places - b.places:
        parts.append(f"only in A: {_listing(a.places - b.places)}")
    if b.places - a.places:
        parts.append(f"only in B: {_listing(b.places - a.places)}")
    return "; ".join(parts)


def entities(a: TextView, b: TextView) -> str:
    """Shared names (capitalised-run proxy) and how many are one-sided."""
    shared = a.entities & b.entities
    names = [a.display.get(k, k) for k in shared]
    head = f"shared names: {_listing(names)}" if shared else "no shared name"
    return f"{head}; {len(a.entities - b.entities)} only in A, {len(b.entities - a.entities)} only in B"


def time(a: TextView, b: TextView, published: tuple[datetime | None, datetime | None]) -> str:
    """Years and months mentioned, and the publication gap when both dates are known."""
    parts: list[str] = []
    pa, pb = published
    if pa is not None and pb is not None:
        try:
            gap = abs((pa - pb).total_seconds()) / 86400
            parts.append(f"published {gap:.1f} days apart")
        except TypeError:  # one naive, one aware: the gap is unknown
            pass
    years_a = sorted(d[1:] for d in a.dates if d.startswith("Y"))
    years_b = sorted(d[1:] for d in b.dates if d.startswith("Y"))
    shared = sorted(set(years_a) & set(years_b))
    if shared:
        parts.append(f"years in both: {', '.join(shared)}")
    elif years_a and years_b:
        parts.append(f"different years: A {', '.join(years_a)}; B {', '.join(years_b)}")
    months = sorted({int(d[1:]) for d in a.dates & b.dates if d.startswith("M")})
    if months:
        parts.append(f"months in both: {', '.join(map(str, months))}")
    return "; ".join(parts) or "no dates mentioned; judged from the wording"


def narrative(f: Mapping[str, float], a: TextView, b: TextView) -> str:
    """How much of the story (sentences, numbers) the texts share."""
    numbers = a.numbers & b.numbers
    nums = f"; shared numbers: {_listing(numbers)}" if numbers else ""
    return (
        f"best sentence match {f['sent_max']:.2f}, mean best match {f['sent_mean_best']:.2f}{nums}"
    )


def style(f: Mapping[str, float]) -> str:
    """Length and wording overlap."""
    return f"length ratio {f['len_ratio']:.2f}; word overlap {f['tok_jaccard']:.2f}; shared word pairs {f['bigram_overlap']:.2f}"


def tone(f: Mapping[str, float]) -> str:
    """Tone has no sentiment model behind it: say what it is estimated from."""
    return f"estimated from overall wording (text cosine {f['emb_doc']:.2f}); no sentiment model"
