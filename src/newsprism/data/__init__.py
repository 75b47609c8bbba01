"""Data shipped with newsprism: the bundled sample corpus used by ``newsprism demo`` and the tests.

The sample (``sample/``) is fictional news written for newsprism (Apache-2.0): six stories told by
three or four invented outlets each, plus unrelated single articles, in plain text, HTML, JSONL and
RSS. ``sample/MANIFEST.json`` holds the gold structure (which file belongs to which story, shared
wire sentences, paraphrases, unique facts, the one conflicting figure per story); see
``sample/README.md``.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from newsprism.errors import NewsprismError

__all__ = ["SAMPLE_MANIFEST", "sample_manifest", "sample_path"]

SAMPLE_MANIFEST = "MANIFEST.json"


def sample_path() -> Path:
    """The folder holding the bundled sample corpus.

    Returns:
        A real directory on disk (``.../newsprism/data/sample``).

    Raises:
        NewsprismError: newsprism is imported from somewhere that is not a plain directory
            (a zip archive), so the sample has no file-system path.
    """
    resource = files(__name__) / "sample"
    if not isinstance(resource, Path):
        raise NewsprismError(
            f"the sample corpus is inside {resource!r}, which is not a directory on disk; "
            "install newsprism as a regular (unzipped) package to use it"
        )
    return resource


def sample_manifest() -> dict[str, Any]:
    """The parsed ``MANIFEST.json`` of the sample corpus (documents, stories, gold spans).

    Returns:
        The manifest as plain JSON data; ``documents`` is a list of per-document entries keyed by
        ``ref`` (``FILE``, ``FILE:LINE`` for JSONL, ``FILE#N`` for feed items, both 1-based) and
        ``stories`` maps each story key to its gold structure.

    Raises:
        NewsprismError: see :func:`sample_path`.
    """
    text = (sample_path() / SAMPLE_MANIFEST).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
