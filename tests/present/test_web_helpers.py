"""Web helpers that need no browser: which article URLs become links."""

from __future__ import annotations

import pytest

from newsprism.present.web import safe_url


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/x", False),
        ('https://ex.org/"onmouseover=alert(1)', False),
        (None, False),
    ],
)
def test_web_safe_url_keeps_only_http(url: str | None, kept: bool) -> None:
    assert (safe_url(url) is not None) is kept
