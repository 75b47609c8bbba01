"""Direct quotes and their speakers (the second half of :mod:`newsprism.analyze.attributions`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from newsprism.analyze.attributions import QUOTE, SPEAKER_AFTER, SPEAKER_BEFORE, VERBS, _plausible
from newsprism.analyze.model import Attribution, Entity, Sentence
from newsprism.analyze.sentences import SentenceIndex

if TYPE_CHECKING:
    from newsprism.analyze.attributions import AttributionFinder

# Quotes this short with no speaker next to them are scare quotes ("de-escalation zones").
MIN_QUOTE_WORDS = 4
_LOOKAHEAD = 120


def attach_quotes(
    finder: AttributionFinder,
    text: str,
    sentences: Sequence[Sentence],
    entities: Sequence[Entity],
    found: list[Attribution],
) -> list[Attribution]:
    """Attach every direct quote of ``text`` to its attribution, adding speakers found beside it.

    Returns:
        ``found`` with quotes filled in, plus one attribution per quote whose speaker was named
        only beside the quote.
    """
    if not sentences:
        return found
    sentence_of = SentenceIndex(sentences)
    out = list(found)
    last_by_paragraph: dict[int, Attribution] = {}
    for m in QUOTE.finditer(text):
        group = "q" if m.group("q") is not None else "q2"
        q_start, q_end = m.span(group)
        index = sentence_of(m.start())
        paragraph = text.count("\n\n", 0, m.start())
        long_enough = len(text[q_start:q_end].split()) >= MIN_QUOTE_WORDS
        att = _host(out, index, sentence_of(m.end() - 1), long_enough)
        if att is not None:
            out[out.index(att)] = att = _with_quote(att, text, q_start, q_end)
        else:
            att = _speaker(finder, text, m, index, sentences[index], entities)
            if att is None and long_enough and paragraph in last_by_paragraph:
                prev = last_by_paragraph[paragraph]
                att = replace(prev, start=m.start(), end=m.end(), sentence=index)
            if att is None:
                continue
            att = _with_quote(att, text, q_start, q_end)
            out.append(att)
        last_by_paragraph[paragraph] = att
    return out


def _host(found: list[Attribution], first: int, last: int, long_enough: bool) -> Attribution | None:
    """An attribution of the quote's sentences still without a quote."""
    for att in found:
        if first <= att.sentence <= last and att.quote is None and (
            long_enough or att.cue in ("quoted", "said")
        ):
            return att
    return None


def _with_quote(att: Attribution, text: str, start: int, end: int) -> Attribution:
    while end > start and text[end - 1] in ", ":
        end -= 1
    return replace(att, quote=text[start:end], quote_start=start, quote_end=end,
                   content_start=start, content_end=end)


def _speaker(finder: AttributionFinder, text: str, m: re.Match[str], index: int,
             sentence: Sentence, entities: Sequence[Entity]) -> Attribution | None:
    """An attribution from a speaker named right after or right before the quote."""
    after_start = m.end()
    after = text[after_start:after_start + _LOOKAHEAD].split("\n", 1)[0]
    sm = SPEAKER_AFTER.match(after)
    if sm is not None:
        src, verb = ("src", "verb") if sm.group("src") else ("src2", "verb2")
        if _plausible(sm.group(src)):
            return finder._make(text, after_start, index, VERBS[sm.group(verb)], sm, src,
                                entities, m.span())
    before_start = sentence.start
    before = text[before_start:m.start()]
    sm = SPEAKER_BEFORE.search(before)
    if sm is not None and _plausible(sm.group("src")):
        return finder._make(text, before_start, index, VERBS[sm.group("verb")], sm, "src",
                            entities, m.span())
    return None
