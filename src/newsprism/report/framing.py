"""Framing differences for the coverage section, read from the compare stage's framings.

Per article: what its headline foregrounds (event kinds, else its content words), whether the
body backs that, and the loaded terms and voices no other article of the story uses. Across
articles: a few sentences a reader can check ("headlines differ in focus: A bombing, B
looting").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsprism.compare.framing import Framing, frame
from newsprism.report.base import Material

#: Loaded terms and voices named per article in the difference sentences (all are in the rows).
NAMED = 6


def _framings(material: Material) -> Sequence[Framing]:
    cmp = material.comparison
    if cmp is not None:
        return tuple(cmp.framings)
    return tuple(
        frame(a, material.analyses[a.id]) for a in material.compared if a.id in material.analyses
    )


def _own(material: Material, field: str, article_id: str) -> tuple[str, ...]:
    cmp = material.comparison
    found = getattr(cmp, field, None) if cmp is not None else None
    return tuple(found.get(article_id, ())) if found else ()


def _focus(f: Framing) -> tuple[str, ...]:
    return f.events or f.terms[:5]


def framing_rows(material: Material) -> tuple[dict[str, Any], ...]:
    """Per compared article: headline focus, backing, own loaded terms and voices."""
    rows = []
    for f in _framings(material):
        rows.append(
            {
                "article_id": f.article_id,
                "source": material.outlet(f.article_id),
                "title": f.title,
                "focus": list(_focus(f)),
                "focus_kind": "events" if f.events else "terms",
                "backed": f.backed,
                "in_lead": f.in_lead,
                "support": round(f.support, 3),
                "body_events": [k for k, _ in f.body_events[:3]],
                "loaded": [t for t, _, _ in f.loaded],
                "own_loaded": list(_own(material, "own_loaded", f.article_id)),
                "voices": [v.label for v in f.voices[:8]],
                "own_voices": list(_own(material, "own_voices", f.article_id)),
            }
        )
    return tuple(rows)


def framing_differences(material: Material) -> tuple[str, ...]:
    """Sentences on where the outlets frame the story differently (empty for one article)."""
    framings = _framings(material)
    if len(framings) < 2:
        return ()
    out = []
    focuses = {f.article_id: _focus(f) for f in framings if f.events}
    if len({frozenset(v) for v in focuses.values()}) > 1:
        parts = [f"{material.outlet(aid)}: {', '.join(v)}" for aid, v in focuses.items()]
        out.append("headlines differ in focus: " + "; ".join(parts))
    for f in framings:
        name = material.outlet(f.article_id)
        if not f.backed and _focus(f):
            out.append(
                f"{name}'s headline ({', '.join(_focus(f))}) is not backed by its body "
                f"({round(100 * f.support)}% of sentences, not in the lead)"
            )
        loaded = _own(material, "own_loaded", f.article_id)
        if loaded:
            out.append(f"only {name} uses the loaded terms: {', '.join(loaded[:NAMED])}")
        voices = _own(material, "own_voices", f.article_id)
        if voices:
            out.append(f"only {name} cites: {', '.join(voices[:NAMED])}")
    return tuple(out)
