"""Wire copy: what several articles carry from one agency they all credit.

When two or more articles credit the same wire agency, the facts they share that lie near those
credits (within :data:`WINDOW` sentences of a credit in each article) and the reused passages
there are reported together as that agency's copy: "the looting report, credited to Anadolu
Agency, present in both".
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsprism.compare.facts import Fact, FactReport
from newsprism.compare.origin import scan_agencies
from newsprism.compare.prepare import Prepared
from newsprism.compare.reuse import ReusedPassage

#: Sentences either side of a credit read as the agency's copy. A design choice: a credit
#: ("..., Reuters reported") covers the paragraph it sits in, and news paragraphs run one to
#: three sentences, so three either side holds the paragraph wherever the credit falls in it.
#: (In the seed pair the credited report spans the credit and two sentences after it.)
WINDOW = 3


@dataclass(frozen=True, slots=True)
class WireReport:
    """One agency's copy across the articles that credit it.

    Attributes:
        agency: the canonical agency name.
        article_ids: articles that credit it and share copy near the credit.
        facts: shared facts near the credits.
        passages: ``(article_a, article_b, passage)`` reused passages near the credits.
    """

    agency: str
    article_ids: tuple[str, ...]
    facts: tuple[Fact, ...]
    passages: tuple[tuple[str, str, ReusedPassage], ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "agency": self.agency,
            "article_ids": list(self.article_ids),
            "facts": [f.to_dict() for f in self.facts],
            "passages": [
                {"article_a": a, "article_b": b, **p.to_dict()} for a, b, p in self.passages
            ],
        }


def credit_sentences(p: Prepared) -> dict[str, set[int]]:
    """Agency -> indexes of the sentences that credit it (analysis first, then the body scan)."""
    out: dict[str, set[int]] = {}
    for att in p.analysis.attributions:
        if att.agency:
            out.setdefault(att.agency, set()).add(att.sentence)
    starts = [s.start for s in p.analysis.sentences]
    if starts:
        for offset, agency in scan_agencies(p.article.body, p.tokens):
            if offset <= p.analysis.sentences[-1].end:
                out.setdefault(agency, set()).add(max(0, bisect.bisect_right(starts, offset) - 1))
    return out


def _sentence_of(p: Prepared, offset: int) -> int:
    starts = [s.start for s in p.analysis.sentences]
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _near(credits: set[int], sentence: int, window: int) -> bool:
    return any(abs(sentence - c) <= window for c in credits)


def wire_reports(
    prepared: Sequence[Prepared],
    facts: FactReport,
    passages: Mapping[tuple[int, int], Sequence[ReusedPassage]],
    *,
    window: int = WINDOW,
) -> list[WireReport]:
    """The copy of each agency that at least two of the articles credit.

    Args:
        prepared: the compared articles (their order is the ``doc`` index of facts' claims).
        facts: their facts.
        passages: reused passages per article pair ``(i, j)``.
        window: sentences either side of a credit.

    Returns:
        One report per agency with shared copy, most articles first.
    """
    credits = [credit_sentences(p) for p in prepared]
    reports = []
    for agency in dict.fromkeys(a for c in credits for a in c):
        docs = {d: c[agency] for d, c in enumerate(credits) if agency in c}
        if len(docs) < 2:
            continue
        carried: set[int] = set()
        near_facts = []
        for fact in facts.facts:
            near = {
                c.doc
                for c in fact.claims
                if c.doc in docs and _near(docs[c.doc], c.sentence, window)
            }
            if len(near) >= 2:
                near_facts.append(fact)
                carried |= near
        near_passages = []
        for (i, j), found in passages.items():
            if i not in docs or j not in docs:
                continue
            for psg in found:
                if _near(docs[i], _sentence_of(prepared[i], psg.start_a), window) and _near(
                    docs[j], _sentence_of(prepared[j], psg.start_b), window
                ):
                    near_passages.append((prepared[i].article.id, prepared[j].article.id, psg))
                    carried |= {i, j}
        if len(carried) >= 2:
            reports.append(
                WireReport(
                    agency,
                    tuple(prepared[d].article.id for d in sorted(carried)),
                    tuple(near_facts),
                    tuple(near_passages),
                )
            )
    reports.sort(key=lambda r: -len(r.article_ids))
    return reports
