"""Issue 6's must-show on the two seed articles, in headless Chromium.

The story page of the seed pair (The New Arab and Middle East Monitor on one Idlib story) must
show what the comparison issue lists for them: both articles side by side, the Anadolu wire copy
marked in both columns, the aligned ceasefire history, each outlet's unique facts, the different
headline focus, no conflict, and 12 January 2020 on the timeline.

Skipped where ../shared/seeds is absent (the seed texts are not part of the project) or where
Debian's chromium is missing. Only short keywords of the seeds appear here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsprism.config import IngestOptions
from newsprism.storage.sqlite import SQLiteStore
from tests.e2e.test_web import (
    CHROMEDRIVER,
    CHROMIUM,
    Live,
    _console_errors,
    _serve,
    _texts,
    browser,  # noqa: F401 (a fixture of test_web, used by name)
)

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
TNA, MEMO = "The New Arab", "Middle East Monitor"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no seed articles at {SEEDS}"),
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)",
    ),
]


@pytest.fixture()
def live_seeds(tmp_path: Path) -> Iterator[Live]:
    """The server over a store holding the two seeds, linked into one story."""
    pytest.importorskip("newsprism.link", reason="needs the linking stage")
    from newsprism.api import ingest_and_link

    tna = sorted(SEEDS.glob("000_*.txt"))
    memo = sorted(SEEDS.glob("002_*.txt"))
    if not (tna and memo):
        pytest.skip(f"the seed pair (000_*.txt, 002_*.txt) is not in {SEEDS}")
    store = SQLiteStore(tmp_path / "seeds.db")
    try:
        for path, source in ((tna[0], TNA), (memo[0], MEMO)):
            ingest_and_link(
                [path], store, options=IngestOptions(source=source), analyze=False, progress=False
            )
        with _serve(store) as server:
            yield server
    finally:
        store.close()


def _seed_story_id(live: Live) -> str:
    """The id of the one story that holds both seeds."""
    from newsprism.link.api import stories

    found = [v.story for v in stories(live.store) if {TNA, MEMO} <= set(v.story.sources)]
    assert len(found) == 1, [(v.story.id, v.story.sources) for v in stories(live.store)]
    return str(found[0].id)


def _column(columns: list[Any], outlet: str) -> Any:
    from selenium.webdriver.common.by import By

    return next(c for c in columns if c.find_element(By.CSS_SELECTOR, ".outlet").text == outlet)


def _marked(column: Any, kind: str) -> str:
    from selenium.webdriver.common.by import By

    return " ".join(m.text for m in column.find_elements(By.CSS_SELECTOR, f"mark.hl-{kind}"))


def test_web_seed_story_shows_the_issue_comparison(
    live_seeds: Live,
    browser: Any,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{live_seeds.url}/stories/{_seed_story_id(live_seeds)}")
    WebDriverWait(browser, 180, poll_frequency=0.5).until(
        lambda d: not d.find_elements(By.ID, "comparison-status")
    )
    (tmp_path / "story.html").write_text(browser.page_source, encoding="utf-8")
    browser.save_screenshot(str(tmp_path / "seed-story-top.png"))

    columns = browser.find_elements(By.CSS_SELECTOR, ".columns .column")
    assert sorted(c.find_element(By.CSS_SELECTOR, ".outlet").text for c in columns) == [MEMO, TNA]
    tna, memo = _column(columns, TNA), _column(columns, MEMO)

    _assert_shared_passages(browser, tna, memo)
    _assert_unique_facts(tna, memo)
    _assert_panels(browser)
    _assert_counterparts(browser, tna, memo)
    browser.save_screenshot(str(tmp_path / "seed-story.png"))
    assert _console_errors(browser) == []


def _assert_shared_passages(driver: Any, tna: Any, memo: Any) -> None:
    """Wire copy and aligned paraphrases, marked in both columns under shared pair ids."""
    from selenium.webdriver.common.by import By

    # Reused (wire) passages are marked in both columns under one pair id; the looting report
    # is aligned in both; the wire copy is credited to Anadolu Agency in the coverage panel.
    pairs = {
        outlet: {
            m.get_attribute("data-pair")
            for m in col.find_elements(By.CSS_SELECTOR, "mark.hl-reused")
        }
        for outlet, col in ((TNA, tna), (MEMO, memo))
    }
    assert pairs[TNA] and pairs[TNA] == pairs[MEMO], pairs
    for column in (tna, memo):
        assert "kitchen appliances" in _marked(column, "reused")
        assert "loot" in _marked(column, "paraphrase")
    coverage = driver.find_element(By.ID, "coverage").text
    assert "Wire copy of Anadolu Agency carried by The New Arab, Middle East Monitor" in coverage
    reuse_rows = _texts(driver, "#coverage table.reuse tbody tr")
    assert all("credits Anadolu Agency" in row for row in reuse_rows) and len(reuse_rows) == 2
    # The 12 January ceasefire is an aligned paraphrase: one pair id, in both columns.
    ceasefire = {
        outlet: [
            m.get_attribute("data-pair")
            for m in col.find_elements(By.CSS_SELECTOR, "mark.hl-paraphrase")
            if "12 January" in m.text
        ]
        for outlet, col in ((TNA, tna), (MEMO, memo))
    }
    assert ceasefire[TNA] and ceasefire[TNA] == ceasefire[MEMO], ceasefire


def _assert_unique_facts(tna: Any, memo: Any) -> None:
    """Each outlet's own facts marked unique in its column, with a count badge."""
    from selenium.webdriver.common.by import By

    # Unique facts of each outlet, with the count badge in both column heads.
    tna_only, memo_only = _marked(tna, "unique"), _marked(memo, "unique")
    for word in ("shelled", "shelling", "coronavirus", "phone call", "Erdogan and Putin"):
        assert word in tna_only, word
    for word in ("Astana", "Sochi", "May 2019", "1,800"):
        assert word in memo_only, word
    for column in (tna, memo):
        assert column.find_element(By.CSS_SELECTOR, ".unique-count").text.endswith("unique")


def _assert_panels(driver: Any) -> None:
    """Framing, conflicts and timeline panels."""
    from selenium.webdriver.common.by import By

    # Headline focus differs (bombing against looting) in the coverage panel's framing list.
    framing = _texts(driver, "#coverage ul.framing li")
    assert f"headlines differ in focus: {TNA}: bombing; {MEMO}: looting" in framing, framing
    # No conflict, and the ceasefire date on the timeline, told by both outlets.
    assert driver.find_elements(By.CSS_SELECTOR, "#conflicts .conflict") == []
    assert "No conflict found" in driver.find_element(By.ID, "conflicts").text
    events = driver.find_elements(By.CSS_SELECTOR, "#timeline .events li")
    jan12 = [
        e
        for e in events
        if e.find_element(By.TAG_NAME, "time").get_attribute("datetime") == "2020-01-12"
    ]
    assert len(jan12) == 1 and jan12[0].find_element(By.TAG_NAME, "time").text == "12 January 2020"
    assert TNA in jan12[0].text and MEMO in jan12[0].text


def _assert_counterparts(driver: Any, tna: Any, memo: Any) -> None:
    """Clicking a highlight activates its counterpart in the other column."""
    from selenium.webdriver.common.by import By

    # Clicking a highlight activates its counterpart in the other column (and only that pair).
    _click(driver, tna.find_element(By.CSS_SELECTOR, "mark.hl-reused[data-pair]"))
    _assert_active(driver, memo, tna.find_element(By.CSS_SELECTOR, "mark.hl-active"), MEMO)
    ceasefire_mark = next(
        m
        for m in memo.find_elements(By.CSS_SELECTOR, "mark.hl-paraphrase")
        if "12 January" in m.text
    )
    _click(driver, ceasefire_mark)
    _assert_active(driver, tna, ceasefire_mark, TNA)
    assert "12 January" in " ".join(_texts(driver, ".column mark.hl-active"))


def _click(driver: Any, mark: Any) -> None:
    """Scroll ``mark`` to the middle of the window (the sticky header would cover it) and click."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", mark)
    mark.click()


def _assert_active(driver: Any, other: Any, clicked: Any, outlet: str) -> None:
    """The clicked mark's pair is active in ``other``, and no other pair is active anywhere."""
    from selenium.webdriver.common.by import By

    pair = clicked.get_attribute("data-pair")
    assert pair and "hl-active" in (clicked.get_attribute("class") or "")
    assert other.find_elements(By.CSS_SELECTOR, f'mark.hl-active[data-pair="{pair}"]'), pair
    active = driver.find_elements(By.CSS_SELECTOR, ".column mark.hl-active")
    assert {m.get_attribute("data-pair") for m in active} == {pair}
    assert f"Counterpart in {outlet}" in driver.find_element(By.ID, "counterpart").text
