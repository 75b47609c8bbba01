"""Attributions: who is cited for what, direct quotes with their speaker, wire agencies as sources.

Rules over each sentence, most specific first:

* ``Anadolu Agency quoted local sources as stating that ...`` (cue ``quoted``; via the agency)
* ``according to local media sources`` (cue ``according_to``)
* ``local sources told Andalou Agency`` (cue ``told``; via the agency, canonical "Anadolu Agency")
* ``X said / reported / claimed ...`` before or after what is said
* datelines and credits: ``BEIRUT (Reuters) -`` (cue ``dateline``), ``(AFP)`` (cue ``credit``)

Direct quotes (“...”) join the attribution of their sentence, else take the speaker named next to
them ("“...,” he said"), else the speaker of the previous quote in the paragraph. A "he"/"she"
source is the person cited last (within three sentences), else the person named last. Cues inside
quotes are quoted speech, not attributions of the article. Quotes of three words or fewer without a speaker are scare quotes
and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from newsprism.analyze.canonical import EntityKB
from newsprism.analyze.model import Attribution, Entity, Sentence

VERBS = {
    "said": "said", "says": "said", "say": "said", "told": "told", "tells": "told",
    "stated": "stated", "states": "stated", "reported": "reported", "reports": "reported",
    "report": "reported", "claimed": "claimed", "claims": "claimed", "claim": "claimed",
    "announced": "announced", "announces": "announced", "added": "added", "adds": "added",
    "noted": "noted", "notes": "noted", "warned": "warned", "warns": "warned",
    "explained": "explained", "confirmed": "confirmed", "confirms": "confirmed",
    "denied": "denied", "denies": "denied", "insisted": "insisted", "alleged": "alleged",
    "argued": "argued", "wrote": "wrote", "tweeted": "tweeted", "acknowledged": "acknowledged",
    "estimated": "estimated", "quoted": "quoted", "cited": "cited", "stressed": "stressed",
    "called": "called", "described": "described",
}
# Verbs that introduce a quote right after them ("called the plan “a turning point”") but are no
# attribution on their own ("what she called a standard").
_QUOTE_ONLY = frozenset({"called", "described"})
_RV = "|".join(sorted((v for v in VERBS if v not in _QUOTE_ONLY), key=len, reverse=True))
_QRV = "|".join(sorted(VERBS, key=len, reverse=True))
_AUX = r"(?:(?:has|have|had|also|later|earlier|previously|reportedly|then|further)\s+)*"
_NP_BODY = r"[\w\u2019'.\-]+(?:\s+[\w\u2019'.\-]+){0,7}?"
_NP = "(?P<{}>" + _NP_BODY.replace("{", "{{").replace("}", "}}") + ")"
# A source may carry an apposition, kept in the source: "Dr Amina Idris, the director of the
# city hospital, told ...", "Okafor's lawyer, Thomas Brennan, said ...".
_APPOSITION = r"(?:(?:,\s+[^,\u201c\u201d\"]{2,80}){1,3},)?"
_SRC = "(?P<src>" + _NP_BODY + _APPOSITION + ")"
_START = r"(?:^|(?<=[,;:\u2014\u2013\"\u201c\u201d(])\s*|\bthat\s+|\b(?:and|but|while|as)\s+)"
_QUOTED_AS = re.compile(
    _START + _NP.format("via") + r"\s+(?:also\s+)?quoted\s+" + _NP.format("src")
    + r"\s+as\s+(?:saying|stating|telling|claiming|confirming|warning|adding)\b(?:\s+that\b)?"
)
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+(?P<src>[^,.;:\u201c\"()\u2014]+)")
# Who was told: a name, "reporters", or "the <adjective> newspaper/agency ...".
_VIA = (r"(?P<via>(?:[Tt]he\s+)?[A-Z][\w\u2019'.\-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w\u2019'.\-]*)*"
        r"|reporters|journalists|jurors|lawmakers|legislators|supporters|parliament|delegates|"
        r"investors|analysts|students|state\s+(?:media|television|radio)|local\s+media|"
        r"(?:the|a|an)\s+(?:[\w\-]+\s+){0,2}(?:newspaper|agency|broadcaster|channel|outlet|daily|"
        r"paper|website|television|radio|station|magazine|court|jury|judge|committee|"
        r"news\s+conference|press\s+conference|conference|briefing|rally|meeting))")
_TOLD = re.compile(_START + _SRC + r"\s+" + _AUX + r"(?:told|tells)\s+"
                   + _VIA)
_SAID_BEFORE = re.compile(_START + _SRC + r"\s+" + _AUX
                          + rf"(?P<verb>{_RV})\b")
_SAID_AFTER = re.compile(r"[,\u201d\"]\s*(?P<verb>said|says|added|wrote|reported|claimed|"
                         r"insisted|warned|explained)\s+(?P<src>[^,.;:]+)")
_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'\-]{1,40}?(?:\d{1,2}\s*)?\((?P<src>[^)]{2,40})\)\s*"
                       r"[-\u2013\u2014:]")
_CREDIT = re.compile(r"\((?P<src>[A-Z][\w .\-]{1,30})\)")
_QUOTE = re.compile(r"\u201c(?P<q>[^\u201d]{2,}?)\u201d|\"(?P<q2>[^\"\n]{2,}?)\"")
_SPEAKER_AFTER = re.compile(
    r"^\s*,?\s*(?:(?P<src>\w[\w\u2019'.\-]*(?:\s+[\w\u2019'.\-]+){0,6}?" + _APPOSITION + r")\s+"
    + _AUX
    + rf"(?P<verb>{_RV})\b|(?P<verb2>said|says|added)\s+(?P<src2>[^,.;:]+))"
)
_SPEAKER_BEFORE = re.compile(_START + _NP.format("src") + r"\s+" + _AUX + rf"(?P<verb>{_QRV})"
                             r"(?:\s+[\w\u2019'\-]+){0,3}?\s*[:,]?\s*$")
# Verbs that are often nouns or take a plain object ("pool individual claims", "reported the
# largest outbreaks"): they attribute only when "that", a quote or punctuation follows.
_AMBIGUOUS = frozenset(["claims", "claim", "claimed", "reports", "report", "states", "notes", "estimated", "cited", "alleged", "argued", "stressed"])
_ATTRIBUTIVE_NEXT = re.compile(r"\s*(?:that\b|[,:.;\u201c\"]|$)")
_PREPOSITIONS = frozenset(["in", "at", "on", "of", "for", "from", "with", "by", "to", "during", "after", "before", "into", "under", "over", "about", "against"])
_CLAUSE_WORDS = frozenset(["is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "not", "would", "will", "could", "can", "should", "may", "might", "must", "what", "which", "whom", "whose", "where", "when", "why", "how", "this", "these", "those"])
_LONE_SOURCES = frozenset(["police", "staff", "media", "management"])
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i"])
_LEADING = re.compile(r"^(?:[Aa]nd|[Bb]ut|[Ww]hile|[Aa]s|[Ww]hich|[Ww]ho|[Tt]hen|[Ss]o)\s+")
_MEDIA = re.compile(r"\b(?:media|newspaper|paper|outlet|television|tv|channel|agency|site|"
                    r"website|broadcaster|radio|daily|magazine)\b", re.IGNORECASE)
_OFFICIAL = re.compile(r"\b(?:officials?|ministry|minister|spokes\w+|government|police|army|"
                       r"military|authorities|president|office|embassy|council|command)\b",
                       re.IGNORECASE)


class AttributionFinder:
    """Finds attributions in one article; the KB names sources and spots wire agencies.

    Args:
        kb: the entity knowledge base.
    """

    def __init__(self, kb: EntityKB) -> None:
        self.kb = kb

    def find(self, text: str, sentences: Sequence[Sentence], entities: Sequence[Entity]
             ) -> list[Attribution]:
        """Every attribution of the article, in text order."""
        out: list[Attribution] = []
        quoted = [m.span("q") if m.group("q") is not None else m.span("q2")
                  for m in _QUOTE.finditer(text)]
        for i, sentence in enumerate(sentences):
            out.extend(a for a in self._in_sentence(text, i, sentence, entities)
                       if not any(s <= a.source_start and a.end <= e for s, e in quoted))
        out = self._attach_quotes(text, sentences, entities, out)
        out.sort(key=lambda a: (a.start, a.end))
        return _follow_speakers(out)

    def _in_sentence(self, text: str, index: int, sentence: Sentence,
                     entities: Sequence[Entity]) -> list[Attribution]:
        s = sentence.text
        base = sentence.start
        found: list[Attribution] = []
        if index == 0:
            found += self._dateline(s, base, index, entities)
        for m in _CREDIT.finditer(s):
            canonical = self.kb.org(m.group("src"))
            if canonical and self.kb.is_agency(canonical) and not found:
                found.append(self._make(text, base, index, "credit", m, "src", entities,
                                        (base, base + sentence_end(s))))
        for rule in (self._quoted_as, self._according, self._told, self._said):
            for att in rule(text, s, base, index, entities):
                if not any(a.start < att.end and att.start < a.end for a in found):
                    found.append(att)
        return found

    def _dateline(self, s: str, base: int, index: int, entities: Sequence[Entity]
                  ) -> list[Attribution]:
        m = _DATELINE.match(s)
        if not m:
            return []
        canonical = self.kb.org(m.group("src"))
        if not (canonical and self.kb.is_agency(canonical)):
            return []
        return [self._make(s, base, index, "dateline", m, "src", entities,
                           (base + m.end(), base + sentence_end(s)), local=True)]

    def _quoted_as(self, text: str, s: str, base: int, index: int, entities: Sequence[Entity]
                   ) -> list[Attribution]:
        out = []
        for m in _QUOTED_AS.finditer(s):
            if not _plausible(m.group("via")) or not _plausible(m.group("src")):
                continue
            att = self._make(text, base, index, "quoted", m, "src", entities,
                             (base + m.end(), base + sentence_end(s)), start=m.start("via"))
            out.append(self._with_via(att, text, base + m.start("via"), base + m.end("via"),
                                      entities))
        return out

    def _according(self, text: str, s: str, base: int, index: int, entities: Sequence[Entity]
                   ) -> list[Attribution]:
        out = []
        for m in _ACCORDING.finditer(s):
            content = (base, base + m.start()) if m.start() > 3 else (
                base + m.end(), base + sentence_end(s))
            out.append(self._make(text, base, index, "according_to", m, "src", entities,
                                  _strip_span(text, *content)))
        return out

    def _told(self, text: str, s: str, base: int, index: int, entities: Sequence[Entity]
              ) -> list[Attribution]:
        out = []
        for m in _TOLD.finditer(s):
            if not _plausible(m.group("src")):
                continue
            content = _content(s, base, m.start("src"), m.end())
            att = self._make(text, base, index, "told", m, "src", entities, content)
            out.append(self._with_via(att, text, base + m.start("via"), base + m.end("via"),
                                      entities))
        return out

    def _said(self, text: str, s: str, base: int, index: int, entities: Sequence[Entity]
              ) -> list[Attribution]:
        out = []
        for m in _SAID_BEFORE.finditer(s):
            verb = m.group("verb")
            if verb in _AMBIGUOUS and not _ATTRIBUTIVE_NEXT.match(s, m.end()):
                continue
            if _plausible(m.group("src")) and verb not in ("quoted", "cited"):
                content = _content(s, base, m.start("src"), m.end())
                out.append(self._make(text, base, index, VERBS[m.group("verb")], m, "src",
                                      entities, content))
        for m in _SAID_AFTER.finditer(s):
            if _plausible(m.group("src"), max_words=6) and not _overlap_any(m, out, base):
                out.append(self._make(text, base, index, VERBS[m.group("verb")], m, "src",
                                      entities, _strip_span(text, base, base + m.start())))
        return out

    def _make(self, text: str, base: int, index: int, cue: str, m: re.Match[str], group: str,
              entities: Sequence[Entity], content: tuple[int, int], *, start: int | None = None,
              local: bool = False) -> Attribution:
        s_start, s_end = _clean_np(m.string, m.start(group), m.end(group))
        src_start, src_end = base + s_start, base + s_end
        source = (m.string if local else text)[s_start if local else src_start:
                                               s_end if local else src_end]
        canonical, kind = self._describe(source, src_start, src_end, entities)
        return Attribution(
            start=base + (m.start() if start is None else start), end=base + m.end(),
            sentence=index, cue=cue, source=source, source_start=src_start, source_end=src_end,
            source_kind=kind, content_start=content[0], content_end=content[1],
            source_canonical=canonical,
            agency=canonical if self.kb.is_agency(canonical) else None,
        )

    def _with_via(self, att: Attribution, text: str, start: int, end: int,
                  entities: Sequence[Entity]) -> Attribution:
        v_start, v_end = _clean_np(text, start, end)
        via = text[v_start:v_end]
        canonical, _ = self._describe(via, v_start, v_end, entities)
        agency = att.agency or (canonical if self.kb.is_agency(canonical) else None)
        return replace(att, via=via, via_canonical=canonical, agency=agency)

    def _describe(self, source: str, start: int, end: int, entities: Sequence[Entity]
                  ) -> tuple[str | None, str]:
        """Canonical name and kind of a cited source."""
        inside = [e for e in entities if start <= e.start and e.end <= end]
        org = self.kb.org(source)
        if org:
            return org, "agency" if self.kb.is_agency(org) else "organisation"
        # a possessor is the source only when no one else is named: "Okafor's lawyer, Thomas
        # Brennan" is Brennan, "The New Arab's Arabic language sister-site" is The New Arab
        inside.sort(key=lambda e: bool(re.match(r"['\u2019]s\b", source[e.end - start:])))
        for label, kind in (("PERSON", "person"), ("ORG", "organisation"), ("ACTOR", "official"),
                            ("GPE", "official")):
            hit = next((e for e in inside if e.label == label), None)
            if hit is not None:
                if self.kb.is_agency(hit.canonical):
                    return hit.canonical, "agency"
                return hit.canonical, "media" if _MEDIA.search(source) and kind != "person" else kind
        if source.lower() in _PRONOUNS:
            return _resolve_pronoun(source, start, entities), "pronoun"
        if _MEDIA.search(source):
            return None, "media"
        if _OFFICIAL.search(source):
            return None, "official"
        return None, "anonymous"

    def _attach_quotes(self, text: str, sentences: Sequence[Sentence],
                       entities: Sequence[Entity], found: list[Attribution]) -> list[Attribution]:
        from newsprism.analyze.quotes import attach_quotes

        return attach_quotes(self, text, sentences, entities, found)


def sentence_end(s: str) -> int:
    """Offset in ``s`` of its end without closing punctuation."""
    end = len(s)
    while end > 0 and s[end - 1] in ".!?\u201d\"' ":
        end -= 1
    return end


def _content(s: str, base: int, src_start: int, cue_end: int) -> tuple[int, int]:
    """What is attributed: the clause after the cue, or before the source when nothing follows."""
    rest = s[cue_end:sentence_end(s)]
    rest_words = re.sub(r"^\W*(?:that\b)?\W*", "", rest)
    if len(rest_words.split()) > 5:
        lead = len(rest) - len(rest_words)
        return base + cue_end + lead, base + sentence_end(s)
    end = src_start
    while end > 0 and s[end - 1] in " ,;:\u2014\u2013":
        end -= 1
    return base, base + end


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,;:":
        start += 1
    while end > start and text[end - 1] in " ,;:.":
        end -= 1
    return start, end


def _clean_np(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim leading conjunctions and edge punctuation from a source phrase."""
    m = _LEADING.match(text, start, end)
    if m:
        start = m.end()
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _plausible(np: str, *, max_words: int = 8) -> bool:
    """A source phrase, not a clause ("the two sides have agreed", "what he", "emphatically").

    Only the head (before an apposition's comma) is checked for clause words.
    """
    head = _LEADING.sub("", np.strip()).split(",")[0].split()
    if not head or len(head) > max_words or head[0] in _PREPOSITIONS:
        return False
    if any(w.lower() in _CLAUSE_WORDS for w in head):
        return False
    first = head[0].lower()
    if first in _PRONOUNS:
        return len(head) == 1 and first != "it"
    if len(head) == 1 and head[0].islower():
        return first.endswith("s") or first in _LONE_SOURCES  # "officials", not "but", "first"
    return True


def _overlap_any(m: re.Match[str], found: Sequence[Attribution], base: int) -> bool:
    return any(a.start < base + m.end() and base + m.start() < a.end for a in found)


# A "he said" refers to the person last quoted or cited within this many sentences, if any.
_SPEAKER_REACH = 3


def _follow_speakers(found: list[Attribution]) -> list[Attribution]:
    """Give "he"/"she" sources the person cited just before (speaker continuity beats the
    nearest name: in "Weiner said ... Clinton ... he told CNN", "he" is Weiner)."""
    out: list[Attribution] = []
    last: Attribution | None = None
    for att in found:
        if att.source_kind == "pronoun" and att.source.lower() in ("he", "she") and last and \
                att.sentence - last.sentence <= _SPEAKER_REACH:
            att = replace(att, source_canonical=last.source_canonical)
        elif att.source_kind == "person":
            last = att
        out.append(att)
    return out


def _resolve_pronoun(pronoun: str, offset: int, entities: Sequence[Entity]) -> str | None:
    """The latest person named before a he/she; None for other pronouns."""
    if pronoun.lower() not in ("he", "she"):
        return None
    people = [e for e in entities if e.label == "PERSON" and e.end <= offset]
    return people[-1].canonical if people else None


SPEAKER_AFTER = _SPEAKER_AFTER
SPEAKER_BEFORE = _SPEAKER_BEFORE
QUOTE = _QUOTE
