"""Rules that recognise non-article lines in extracted news text.

Each rule looks at one line or paragraph (whitespace already collapsed, non-breaking spaces
turned into plain spaces) and answers whether it is a photo caption, a "Read more" link, a share /
follow / newsletter prompt, a copyright line, a read-time line, a byline, a site tagline or a
headline-like line. They hold no state and compile their patterns once, at import; the plain-text
extractor (:mod:`newsprism.normalize.plaintext`) decides *where* each rule applies.

Word limits below were set on the two seed articles, the ECB+ headers in ``shared/data`` and our
own fixtures in ``tests/data/plaintext``: prompts and link lines are short (under 30 words), while
body paragraphs that happen to start the same way ("Related to the dispute, ...") are sentences.
"""

from __future__ import annotations

import re
import unicodedata

from newsprism.model import RemovalReason

#: Headline-like lines: a related-article title has 3-14 words (the seed one has 9); a real
#: paragraph of that length ends with sentence punctuation. On ECB+ (sentence-split text whose
#: final periods are sometimes lost) 15-16 word lines without a period were sentences, hence 14.
HEADLINE_MIN_WORDS = 3
HEADLINE_MAX_WORDS = 14
#: Prompts, link lines and captions longer than this are prose, not page furniture.
PROMPT_MAX_WORDS = 30
CAPTION_MAX_WORDS = 80

# --- captions -------------------------------------------------------------------------------
_BRACKET_CREDIT_RE = re.compile(r"\[([^\[\]]{2,80})\]$")
_PAREN_CREDIT_RE = re.compile(
    r"\(((?:photo(?:graph)?|image|picture|pictured|credit|file photo)s?\b[^()]{0,70})\)$",
    re.IGNORECASE,
)
_CREDIT_WORDS_RE = re.compile(
    r"\b(?:getty|afp|reuters|ap|associated press|epa|efe|anadolu|aa|xinhua|shutterstock|alamy|"
    r"pa|tass|ria|dpa|ansa|upi|sipa|bloomberg|photos?|images?|pictures?|credit|courtesy|handout|"
    r"file|archive|agency|press|news|via|twitter|facebook|instagram|supplied|screengrab|"
    r"screenshot|stock|wire)\b",
    re.IGNORECASE,
)
_CREDIT_DENY = frozenset({
    "sic", "inaudible", "laughs", "laughter", "applause", "update", "updated", "corrected",
    "correction", "edited", "translated", "emphasis added", "emphasis mine", "video", "audio",
    "crosstalk", "music", "pause", "unintelligible", "redacted", "citation needed",
})
_NAME_WORD_RE = re.compile(
    r"^(?:[A-Z0-9][\w.'’&-]*|of|the|de|del|da|al|el|la|le|van|von|bin|for|and|via)$"
)
_CAPTION_PREFIX_RE = re.compile(
    r"^(?:photo|image|picture|file photo|caption|pictured)(?:\s+credit)?\s*:\s*\S", re.IGNORECASE
)

# --- start-of-line furniture: read-more links, prompts, copyright ---------------------------
_FURNITURE_RE = re.compile(
    r"^(?:"
    r"(?P<read_more>(?:read\s+more|read\s+also|also\s+read|related(?:\s+(?:articles?|stories|"
    r"news|coverage|content|reading|links?))?|see\s+also|more\s+on\s+this(?:\s+story)?|"
    r"recommended(?:\s+reading)?|further\s+reading|you\s+may\s+also\s+like|don'?t\s+miss|"
    r"must\s+read|editor'?s\s+picks?|most\s+read)\s*(?:[:：»›|>\-–—]+|$))"
    r"|(?P<follow>follow\s+(?:us|@\w+|the\s+[\w ]{1,30}?\s+on)\b|follow\s+[\w'’ .-]{1,40}?\s+on\s+"
    r"(?:facebook|twitter|x|instagram|bluesky|threads|mastodon|linkedin|youtube|tiktok|"
    r"telegram|whatsapp|social\s+media|google\s+news)\b|like\s+us\s+on\b|"
    r"find\s+us\s+on\b|stay\s+connected\b|join\s+(?:us|our\s+[\w ]{1,30}?)\s+on\s+"
    r"(?:facebook|twitter|telegram|whatsapp|instagram|x|linkedin|youtube)\b)"
    r"|(?P<newsletter>(?:sign\s+up|subscribe)\b.{0,80}\bnewsletters?\b|"
    r"click\s+here\s+to\s+subscribe|subscribe\s+(?:now|today|here)\b|"
    r"get\s+(?:our|the)\b.{0,40}\bnewsletter|newsletters?\s*[:\-–]|"
    r"want\s+more\b.{0,60}\b(?:sign\s+up|subscribe)\b)"
    r"|(?P<share>share\s+(?:this|on|via|the\s+(?:article|story|post))\b|share\s*$|"
    r"click\s+(?:here\s+)?to\s+share\b|(?:(?:share|tweet|email|e-mail|print|facebook|twitter|"
    r"whatsapp|linkedin|telegram|reddit|copy\s+link)\s*[|/·•,]?\s*){2,}$)"
    r"|(?P<copyright>©|\(c\)\s|copyright\b)"
    r")",
    re.IGNORECASE,
)
_COPYRIGHT_ANYWHERE_RE = re.compile(
    r"all\s+rights\s+reserved|may\s+not\s+be\s+(?:published|reproduced),?\s+broadcast",
    re.IGNORECASE,
)
_REASONS = {
    "read_more": RemovalReason.READ_MORE,
    "follow": RemovalReason.FOLLOW_PROMPT,
    "newsletter": RemovalReason.NEWSLETTER_PROMPT,
    "share": RemovalReason.SHARE_PROMPT,
    "copyright": RemovalReason.COPYRIGHT,
}
_READ_MORE_ABOUT_RE = re.compile(r"^read\s+more\s+(?:about|on|from|here)\b", re.IGNORECASE)

#: A prompt glued to the end of a paragraph ("... others. Follow us on Facebook ...").
_TRAILING_PROMPT_RE = re.compile(
    r"(?:(?<=[.!?”\"’)\]])\s*)((?:follow\s+us\s+on|share\s+this\s+(?:article|story)|"
    r"click\s+here\s+to\s+subscribe|subscribe\s+to\s+our|sign\s+up\s+(?:for|to)\s+our|"
    r"like\s+us\s+on|read\s+more\s*:)\b[^.!?]{0,200}[.!]?)$",
    re.IGNORECASE,
)

# --- header lines ---------------------------------------------------------------------------
_NUMBER_WORDS = r"\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|a"
_READ_TIME_RE = re.compile(
    rf"(?:(?:estimated\s+)?read(?:ing)?\s+time\s*[:\-–]?\s*(?:about\s+|approx\.?\s+)?"
    rf"(?:{_NUMBER_WORDS})[\s-]*min(?:ute)?s?\.?(?:\s+read)?"
    rf"|(?:about\s+|approx\.?\s+|less\s+than\s+)?(?:{_NUMBER_WORDS})[\s-]*min(?:ute)?s?\.?\s+read)",
    re.IGNORECASE,
)
_READ_TIME_SEPARATORS = " |•·-–—,"
_URL_RE = re.compile(r"^(?:https?\s*:\s*/\s*/|www\s*\.)\s*\S", re.IGNORECASE)
_BYLINE_RE = re.compile(
    r"^(?:by|written\s+by|words\s+by|story\s+by|(?:additional\s+)?reporting\s+by|"
    r"(?:edited|compiled)\s+by)\s+(?P<name>[^|•·,]{2,80}?)"
    r"(?:\s*(?:[|•·,]|\s[–—-]\s)\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_NOT_NAMES_RE = re.compile(
    r"^(?:the|a|an|this|that|then|now|(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|"
    r"february|march|april|june|july|august|september|october|november|december|noon|midnight|"
    r"contrast|comparison|law|far|default|chance)\b",
    re.IGNORECASE,
)
_TAGLINE_RE = re.compile(
    r"\b(?:since|est\.?|established|founded)\s+(?:in\s+)?(?:1[89]|20)\d{2}\b|\bperspectives?\b|"
    r"\bnews\s+(?:you|that|for|from)\b|\byour\s+(?:trusted|daily|source|window|voice|guide|home)\b|"
    r"\bindependent\s+(?:news|journalism|voice|reporting|media)\b|\bthe\s+voice\s+of\b|"
    r"\b(?:truth|facts)\s+(?:first|matters?)\b|\bjournalism\s+(?:that|for|you)\b|\bfree\s+press\b|"
    r"\bunbiased\b|\bnews\s+and\s+(?:views|analysis|opinion)\b|"
    r"\bthe\s+(?:world|region|nation|city)'?s?\s+(?:news|voice|newspaper)\b",
    re.IGNORECASE,
)
TAGLINE_MAX_WORDS = 14

# --- headline-like lines --------------------------------------------------------------------
_CLOSERS = " \"'”’»)*"
#: A trailing footnote or editorial note ("... in 2016.[1]", "... began. [see table]") is not
#: part of the sentence shape.
_TRAILING_BRACKET_RE = re.compile(r"\s*\[[^\[\]]{0,40}\]$")
_SENTENCE_END = ".!?:;,…-–—"
_INNER_SENTENCE_RE = re.compile(r"[a-z0-9][.!?][\"”’]?\s+[A-Z“\"‘']")
#: Headlines are written in the present tense; "said" marks a reported-speech sentence whose
#: final period was lost ('"It was lost," he said').
_PAST_SPEECH_RE = re.compile(r"\bsaid\b", re.IGNORECASE)
_FOLD_TABLE = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-",
})


def clean(text: str) -> str:
    """Collapse every kind of whitespace (non-breaking, thin, zero-width) to single spaces."""
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", " ").replace("\ufeff", " ")
    return " ".join(text.split())


def word_count(text: str) -> int:
    """Words in a cleaned text (single spaces, see :func:`clean`)."""
    return text.count(" ") + 1 if text else 0


def fold(text: str) -> str:
    """Comparison key: NFKC, case-folded, straight quotes, plain hyphens, no end punctuation."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE).casefold()
    return " ".join(text.split()).strip(" .:;,!-'\"")


def is_caption(text: str) -> bool:
    """A photo caption: a paragraph ending in a bracketed credit ("... [Getty]", "[Name – Agency]",
    "[Photo: X/Reuters]", "(Photo: ...)") or starting with "Photo:" / "Image:"."""
    if text.endswith("]"):
        match = _BRACKET_CREDIT_RE.search(text)
        return (match is not None and _is_credit(match.group(1))
                and word_count(text) <= CAPTION_MAX_WORDS)
    if text.endswith(")") and _PAREN_CREDIT_RE.search(text):
        return word_count(text) <= CAPTION_MAX_WORDS
    return _CAPTION_PREFIX_RE.match(text) is not None and word_count(text) <= CAPTION_MAX_WORDS


def _is_credit(credit: str) -> bool:
    """A bracketed text names a photographer or agency, not an editorial note or footnote."""
    credit = credit.strip()
    if not credit or credit.casefold().strip(" .") in _CREDIT_DENY or not credit[0].isupper():
        return False
    words = credit.replace("/", " / ").split()
    if len(words) > 10 or not any(c.isalpha() for c in credit):
        return False
    if _CREDIT_WORDS_RE.search(credit):
        return True
    names = [w for w in words if w not in ("/", "–", "—", "-", "|", ",")]
    return 0 < len(names) <= 6 and all(_NAME_WORD_RE.match(w) for w in names)


def furniture_reason(text: str) -> RemovalReason | None:
    """The reason a whole paragraph is page furniture: read-more link, follow / share /
    newsletter prompt or copyright line; None for article text."""
    if word_count(text) > PROMPT_MAX_WORDS:
        return None
    match = _FURNITURE_RE.match(text)
    if match is not None:
        return _REASONS[match.lastgroup or "share"]
    low = text.lower()
    if ("reserved" in low or "broadcast" in low) and _COPYRIGHT_ANYWHERE_RE.search(text):
        return RemovalReason.COPYRIGHT
    if _READ_MORE_ABOUT_RE.match(text) and is_headline_like(text):
        return RemovalReason.READ_MORE
    return None


def split_trailing_prompt(text: str) -> tuple[str, str, RemovalReason] | None:
    """Split a prompt glued to the end of a paragraph: ``(kept text, prompt, reason)`` or None."""
    low = text.lower()
    if not ("follow" in low or "share" in low or "subscri" in low or "sign up" in low
            or "like us" in low or "read more" in low):
        return None
    match = _TRAILING_PROMPT_RE.search(text)
    if match is None or match.start(1) == 0:
        return None
    tail = match.group(1).strip()
    reason = furniture_reason(tail)
    if reason is None:
        return None
    return text[: match.start(1)].rstrip(), tail, reason


def strip_read_time(text: str) -> str | None:
    """When the line holds a read-time note ("2 min read"), the rest of the line; else None."""
    if "min" not in text.lower():
        return None
    match = _READ_TIME_RE.search(text)
    if match is None:
        return None
    rest = (text[: match.start()] + " " + text[match.end():]).strip(_READ_TIME_SEPARATORS)
    return rest


def is_url_line(text: str) -> bool:
    """A bare URL line (also the spaced form "http: / / example. com / ...")."""
    return _URL_RE.match(text) is not None


def url_from_line(text: str) -> str:
    """The URL of a URL line, with the spaces of tokenised forms removed."""
    return "".join(text.split())


def byline_of(text: str) -> tuple[str, str] | None:
    """``(name, rest)`` for a byline such as "By Jane Roe | Harbour Ledger"; None otherwise."""
    if word_count(text) > 16:
        return None
    match = _BYLINE_RE.match(text)
    if match is None:
        return None
    name = match.group("name").strip()
    rest = (match.group("rest") or "").strip()
    words = name.replace(" and ", " ").replace(" & ", " ").split()
    if not 1 <= len(words) <= 8 or _NOT_NAMES_RE.match(name):
        return None
    if not all(_NAME_WORD_RE.match(w) or w.islower() and len(w) <= 3 for w in words):
        return None
    if rest and (len(rest.split()) > 8 or rest.endswith(".")):
        return None
    return name, rest


def is_tagline(text: str) -> bool:
    """A site slogan ("Creating new perspectives since 2009", "Independent news for ...")."""
    if word_count(text) > TAGLINE_MAX_WORDS or text.endswith("."):
        return False
    return _TAGLINE_RE.search(text) is not None


def is_headline_like(text: str) -> bool:
    """Short, starts with a capital or digit, and has no sentence-final punctuation: the shape of
    a headline (title, dek, related-article link) rather than of a sentence."""
    if text.endswith("]"):
        text = _TRAILING_BRACKET_RE.sub("", text)
    if not HEADLINE_MIN_WORDS <= word_count(text) <= HEADLINE_MAX_WORDS:
        return False
    core = text.rstrip(_CLOSERS)
    if not core or core[-1] in _SENTENCE_END:
        return False
    first = text.lstrip("\"'“‘«")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return _INNER_SENTENCE_RE.search(text) is None and _PAST_SPEECH_RE.search(text) is None


def is_title_like(text: str) -> bool:
    """Could be an article title: at most 30 words and not ending with a full stop."""
    core = text.rstrip(_CLOSERS)
    return 1 <= word_count(text) <= 30 and bool(core) and core[-1] not in ".,;:"
