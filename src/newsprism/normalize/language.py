"""Language identification with lingua, on a restricted language set.

Measured on this machine (2 cores; ECB+ texts cut to 1000 characters, 500 docs, two runs each):

=================  =============  ==========  =========
mode               build + 1st    docs/s      peak RSS
=================  =============  ==========  =========
high accuracy      2.3 s          1410-1710   262 MB
low accuracy       0.08 s         1490-1730   31 MB
=================  =============  ==========  =========

Both modes named the same language on every test sentence in the 12 languages, so we use the
low accuracy mode (it only drops the uni/bi-gram models, which matter for a few words). All 75
languages would cost 1-1.3 GB and a 10 s first call (STACK.md).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

logger = logging.getLogger(__name__)

#: Languages we tell apart (ISO 639-1): the outlets newsprism is built for.
LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "ar", "tr", "pl", "zh")
#: Only the title and the start of the body are read. lingua's cost is linear in length (one
#: core, load ~5: 200 chars 6-7.6k docs/s, 400 chars 3.3-3.8k, 1000 chars 1.3-1.7k) while every
#: one-sentence sample (~90 chars) in the 12 languages is already right. Measured on the 1,818
#: texts of the SemEval-2022 Task 8 dev pairs (8 languages, gold language labels; nothing fitted):
#: 300 chars named the gold language of 1,816 (0.34 ms a text), the same two misses as 500 chars
#: (0.56 ms); 200 chars missed 5. It is the largest single cost of normalizing an article.
MAX_CHARS = 300
# Fewer letters than this and lingua guesses ("ok" came out as Polish in high accuracy mode);
# a short headline ("Tram line approved", 16 letters) is still identified correctly.
MIN_LETTERS = 10
# MIN_LETTERS letters, anything between them; a C-speed check that stops at the tenth letter.
_ENOUGH_LETTERS = re.compile(rf"(?:[^\W\d_][\W\d_]*){{{MIN_LETTERS}}}")


@functools.lru_cache(maxsize=1)
def language_detector() -> Any:
    """The shared lingua detector for :data:`LANGUAGES`, built on first use (0.1 s, ~30 MB)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES
    ]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """The language of ``text`` as a lower-case ISO 639-1 code, or ``None`` when unsure.

    Args:
        text: any text; only the first :data:`MAX_CHARS` characters are read (pass the title
            and the start of the body).

    Returns:
        One of :data:`LANGUAGES`, or ``None`` for text with fewer than :data:`MIN_LETTERS`
        letters or when lingua cannot decide.
    """
    sample = text[:MAX_CHARS]
    if _ENOUGH_LETTERS.search(sample) is None:
        return None
    language = language_detector().detect_language_of(sample)
    if language is None:
        return None
    return str(language.iso_code_639_1.name.lower())
