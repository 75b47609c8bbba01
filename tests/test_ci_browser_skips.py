"""In CI a skipped browser test fails the run (tests/ci_browser.py's hook, loaded by conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PROBE = '''
import pytest
pytestmark = [pytest.mark.browser, pytest.mark.skipif(True, reason="needs Debian's chromium")]
def test_page(): pass
'''


def test_ci_browser_skip_fails_only_in_ci(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeconftest((Path(__file__).parent / "ci_browser.py").read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\nmarkers = browser: needs chromium\n")
    pytester.makepyfile(test_probe=PROBE)
    monkeypatch.delenv("CI", raising=False)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(skipped=1)
    monkeypatch.setenv("CI", "true")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(errors=1)
