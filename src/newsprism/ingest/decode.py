"""Bytes -> text for the ingest readers: binary sniffing and encoding detection.

UTF-8 is tried first because nearly every input is UTF-8 and decoding it is ~100x cheaper than
running a detector. Only when that fails do we consult a declared charset (HTML ``<meta>``, HTTP
``Content-Type``) and then charset-normalizer.
"""

from __future__ import annotations

import codecs
import logging
import re

from newsprism.errors import InputError

logger = logging.getLogger(__name__)

#: How much of an input the binary sniffer looks at.
SNIFF_BYTES = 8192

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Without a BOM, charset-normalizer reads short Latin-1 text ("caf\xe9") as UTF-16 garbage;
# news text in those encodings always carries a BOM, so we only accept them with one.
_NO_GUESS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]
# C0 controls other than tab, newlines, form feed and escape never occur in text files.
_CONTROL = bytes(b for b in range(32) if b not in (8, 9, 10, 12, 13, 27)) + b"\x7f"
# A few stray control bytes happen in old text; a tenth of the head is a binary format.
_MAX_CONTROL_SHARE = 0.10
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG: pages that declare Latin-1 or ASCII are decoded as windows-1252 by every browser.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                   "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of ``data``, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(head: bytes) -> bool:
    """True when ``head`` (the first bytes of an input) is not text.

    A NUL byte or more than 10% C0 control bytes means binary, except after a UTF-16/32
    byte-order mark, where NUL bytes are part of the text.
    """
    if not head or bom_encoding(head) in ("utf-16", "utf-32"):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls > _MAX_CONTROL_SHARE * len(head)


def declared_html_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag within its first 4 KB, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _usable_codec(name: str | None) -> str | None:
    """A declared charset as a Python codec name (WHATWG aliases applied), or None."""
    if not name:
        return None
    name = _WHATWG_ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        logger.debug("ignoring unknown declared charset %r", name)
        return None


def decode_bytes(data: bytes, ref: str, declared: str | None = None) -> tuple[str, str]:
    """Decode an input to text and say which encoding it was in.

    Args:
        data: the raw bytes.
        ref: the input's reference, for the error message.
        declared: a charset the container declares (HTTP header, HTML meta), tried after UTF-8.

    Returns:
        ``(text, encoding)``; the encoding is a Python codec name (``"utf-8"`` for UTF-8 with
        or without BOM).

    Raises:
        InputError: ``decode_error`` when no encoding decodes the bytes to text.
    """
    bom = bom_encoding(data)
    if bom in ("utf-16", "utf-32"):
        try:
            return data.decode(bom), bom
        except UnicodeDecodeError as exc:
            raise InputError("decode_error", f"{ref}: invalid {bom.upper()} text: {exc}") from exc
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    codec = _usable_codec(declared)
    if codec:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            logger.debug("%s: declared charset %s does not decode the bytes", ref, codec)
    from charset_normalizer import from_bytes

    matches = from_bytes(data, cp_exclusion=_NO_GUESS)
    best = matches.best()
    if best is None:
        raise InputError(
            "decode_error",
            f"{ref}: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no other "
            "text encoding fits; convert the file to UTF-8",
        )
    # Short texts often tie between code pages (a cp1252 "ï" came back as cp1250 "ď"). Windows-
    # 1252 is the usual legacy encoding of Western news, so it wins a tie: as little chaos, and
    # coherence within 0.05 of the best (a French cp1252 sentence: cp775 0.600, cp1252 0.562).
    for match in matches:
        if (
            match.encoding == "cp1252"
            and match.chaos <= best.chaos
            and match.coherence >= best.coherence - 0.05
        ):
            return str(match), "cp1252"
    return str(best), best.encoding
