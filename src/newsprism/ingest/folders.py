"""What a folder holds besides articles, and how to name files whose names are not UTF-8.

A folder of articles often carries a README, a licence, a manifest, images or annotation files.
:func:`skip_reason` says, from the name alone, which files a folder walk leaves unread; a file
named directly on the command line is always read. ``.json`` files are decided by content (see
:func:`newsprism.ingest.jsonl.read_json_document`): one that holds no article is skipped too.
"""

from __future__ import annotations

import os
import re

# Names of the files that describe a corpus rather than hold it (compared on the stem, so
# README.md, LICENSE.txt, COPYING-CC.TXT and LICENSEDATA.TXT all match).
_DOC_NAMES = re.compile(
    r"^(?:readme|read_me|licen[cs]e|copying|copyright|notice|authors|contributors|contributing"
    r"|changelog|changes|manifest|citation)"
    r"|(?:^|[_\-. ])(?:changes|changelog|manifest|readme|license|licence)$",
    re.IGNORECASE,
)

# Extensions that never hold a news article's text, by kind (for the skip message).
_NOT_ARTICLES: dict[str, tuple[str, ...]] = {
    "an image": (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".svg",
                 ".ico", ".heic", ".psd"),
    "audio or video": (".mp3", ".wav", ".ogg", ".flac", ".m4a", ".mp4", ".mov", ".avi", ".mkv",
                       ".webm"),
    "a document format newsprism does not read": (".pdf", ".doc", ".docx", ".odt", ".rtf",
                                                  ".xls", ".xlsx", ".ods", ".ppt", ".pptx",
                                                  ".epub"),
    "an archive": (".zip", ".tar", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst", ".gz"),
    "code or configuration": (".py", ".pyc", ".js", ".css", ".sh", ".c", ".h", ".java",
                              ".yaml", ".yml", ".toml", ".ini", ".cfg", ".lock", ".r", ".ipynb"),
    "a data table": (".csv", ".tsv", ".parquet", ".arrow", ".feather", ".npy", ".npz", ".pkl",
                     ".pickle"),
    "a database": (".db", ".sqlite", ".sqlite3", ".db-wal", ".db-shm", ".sqlite-wal",
                   ".sqlite-shm"),
    "a font or binary": (".ttf", ".otf", ".woff", ".woff2", ".exe", ".dll", ".so", ".bin",
                         ".dat"),
}
_KIND_OF = {ext: kind for kind, exts in _NOT_ARTICLES.items() for ext in exts}


def skip_reason(name: str) -> str | None:
    """Why a folder walk leaves the file ``name`` unread, or ``None`` when it is read.

    >>> skip_reason("README.md")
    'README.md looks like documentation of the corpus (README, licence, manifest ...), not an article'
    >>> skip_reason("photo.JPG")
    'photo.JPG is an image, not an article'
    >>> skip_reason("story.txt") is None
    True
    """
    lower = name.lower()
    if lower.endswith((".warc.gz", ".warc")):
        return None
    stem, ext = os.path.splitext(lower)
    kind = _KIND_OF.get(ext)
    if kind is not None:
        return f"{name} is {kind}, not an article"
    if _DOC_NAMES.search(stem):
        return (f"{name} looks like documentation of the corpus (README, licence, manifest ...), "
                "not an article")
    return None


def display_path(path: str) -> str:
    """``path`` as printable, storable text: bytes that are not UTF-8 (kept by the OS as lone
    surrogates) are shown as ``\\xNN`` escapes, so the name can be printed and stored."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = path.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that no OS byte stands for
            return path.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")
    return path
