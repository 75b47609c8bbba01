"""Printing helpers shared by CLI commands: the text form for people, the ``--json`` twin."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any


def emit(args: argparse.Namespace, data: Any, human: Callable[[], str]) -> None:
    """Print ``data`` as JSON when ``--json`` was given, else the text ``human()`` builds."""
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        text = human()
        if text:
            print(text)


def shorten(text: str | None, width: int = 80) -> str:
    """One line of at most ``width`` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``"1 article"``, ``"2 articles"`` (``many`` for irregular plurals)."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"
