"""The web pages in headless Chromium (Debian's chromium + chromedriver, driven by Selenium).

The server runs in a background thread (uvicorn on a free loopback port) over a temporary SQLite
store of our own articles, one of them hostile. Screenshots go to each test's ``tmp_path``.
No browser is ever downloaded: Selenium gets the Debian binaries and ``SE_OFFLINE`` so that
selenium-manager never runs.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsprism.errors import NotFound
from newsprism.present.api import create_app
from newsprism.storage.sqlite import SQLiteStore
from tests.e2e.conftest import HOSTILE_TITLE

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium and "
        "/usr/bin/chromedriver): "
        "apt-get install chromium chromium-driver",
    ),
]

# Passages of the two bridge articles in conftest.fixture_articles, marked as the comparison
# stage would mark them: (article source, passage, kind, pair id).
MARKS = [
    ("Harbour Ledger", "after inspectors found cracks in the main span", "reused", "p1"),
    ("Valley Courier", "after inspectors found cracks in the main span", "reused", "p1"),
    (
        "Harbour Ledger",
        "diverting about 40,000 vehicles a day onto the ring road",
        "paraphrase",
        "p2",
    ),
    ("Valley Courier", "Around 38,000 vehicles a day use the bridge", "paraphrase", "p2"),
    ("Harbour Ledger", "Mayor Ilse Varga called the closure a precaution", "unique", None),
    (
        "Valley Courier",
        "Local shop owners on Quay Street said they feared losing customers",
        "unique",
        None,
    ),
]


@dataclass
class Live:
    """A running server: its base URL and app."""

    url: str
    app: Any
    store: SQLiteStore


@contextmanager
def _serve(store: SQLiteStore) -> Iterator[Live]:
    """The app over ``store``, served by uvicorn in a thread on a free loopback port."""
    import uvicorn

    app = create_app(store)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", ws="none", http="h11", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", app, store)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture()
def live(seeded_store: SQLiteStore) -> Iterator[Live]:
    """The server over the hand-written fixture articles (no stories unless a test adds them)."""
    with _serve(seeded_store) as server:
        yield server


@pytest.fixture()
def live_sample(sample_db: Path) -> Iterator[Live]:
    """The server over the bundled sample corpus, linked into stories."""
    store = SQLiteStore(sample_db)
    try:
        with _serve(store) as server:
            yield server
    finally:
        store.close()


@pytest.fixture()
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def _console_errors(driver: Any) -> list[str]:
    """Severe browser console entries: script errors, CSP violations, failed loads."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def _pwned(driver: Any) -> Any:
    return driver.execute_script("return window.__pwned === undefined ? null : window.__pwned;")


def _texts(driver: Any, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


def _install_story(live: Live, *, real_comparison: bool = False) -> dict[str, str]:
    """Give the server a story of the two bridge articles (a stand-in for the linking stage) and,
    unless ``real_comparison``, fixed highlights in place of the comparison stage."""
    from newsprism.present.highlights import Highlight

    articles = {a.source: a for a in reversed(live.store.articles())}  # first of each outlet wins
    ledger, courier = articles["Harbour Ledger"], articles["Valley Courier"]

    class Story:
        id = "bridge-story"
        title = ledger.title
        article_ids = (ledger.id, courier.id)
        sources = ("Harbour Ledger", "Valley Courier")
        article_count = 2

    def get_story(_store: Any, story_id: str) -> Any:
        if story_id != Story.id:
            raise NotFound(f"no story with id {story_id!r}")
        return Story

    def highlights(_store: Any, _story: Any, shown: list[Any]) -> dict[str, list[Highlight]]:
        out: dict[str, list[Highlight]] = {}
        by_source = {a.source: a for a in shown}
        for source, passage, kind, pair in MARKS:
            body = by_source[source].body
            start = body.index(passage)
            out.setdefault(by_source[source].id, []).append(
                Highlight(start, start + len(passage), kind, pair)
            )
        return out

    stages = live.app.state.services.stages
    stages.pop("list_stories", None)  # the store's own story list would bypass the stand-in
    stages.update(
        {"stories": lambda _store, since=None, source=None: [Story], "get_story": get_story}
    )
    if not real_comparison:
        stages["highlights"] = highlights
        stages.pop("compare_story", None)
    return {"ledger": ledger.id, "courier": courier.id}


def test_web_article_list_search_and_outlet_filter(
    live: Live, browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(live.url + "/?view=articles")
    titles = _texts(browser, ".items .title")
    assert len(titles) == 5 and HOSTILE_TITLE in titles  # shown as text ...
    assert _pwned(browser) is None and browser.title != "pwned"  # ... and did not run
    browser.save_screenshot(str(tmp_path / "article-list.png"))
    assert _console_errors(browser) == []

    box = browser.find_element(By.NAME, "q")
    box.send_keys("bridge cracks")
    box.submit()
    assert browser.find_element(By.ID, "result-count").text.startswith("3 articles")
    Select(browser.find_element(By.NAME, "source")).select_by_visible_text("Valley Courier")
    time_limit = time.monotonic() + 10
    while "source=Valley" not in browser.current_url and time.monotonic() < time_limit:
        time.sleep(0.05)  # the select submits its form from app.js
    assert _texts(browser, ".items .title") == [
        "Cracked span forces closure of Lumen River crossing"
    ]
    browser.save_screenshot(str(tmp_path / "article-search.png"))
    assert _console_errors(browser) == []


def test_web_hostile_article_renders_inert(live: Live, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    hostile = next(a for a in live.store.articles() if a.title == HOSTILE_TITLE)
    browser.get(f"{live.url}/articles/{hostile.id}")
    assert browser.find_element(By.ID, "article-title").text == HOSTILE_TITLE
    body = browser.find_element(By.CSS_SELECTOR, ".body").text
    assert "<img src=x onerror=" in body and "<svg onload=" in body
    assert _pwned(browser) is None
    assert browser.title.endswith("Hostile headline · newsprism")
    assert len(browser.find_elements(By.CSS_SELECTOR, "script")) == 1  # only /static/app.js
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main svg, main iframe") == []
    hrefs = [a.get_attribute("href") or "" for a in browser.find_elements(By.CSS_SELECTOR, "a")]
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    assert (
        "javascript:window.__pwned=5" in browser.find_element(By.CSS_SELECTOR, ".unsafe-url").text
    )
    assert (
        "<script>window.__pwned=6</script>"
        in browser.find_element(By.CSS_SELECTOR, ".captions").text
    )
    assert "Mischief <b>Daily</b>" in browser.find_element(By.CSS_SELECTOR, ".metadata").text
    browser.save_screenshot(str(tmp_path / "hostile-article.png"))
    assert _console_errors(browser) == []


def test_web_article_page_shows_removed_lines_and_captions(
    live: Live, browser: Any, tmp_path: Path
) -> None:
    ledger = next(a for a in live.store.articles() if a.source == "Harbour Ledger")
    browser.get(f"{live.url}/articles/{ledger.id}")
    removed = _texts(browser, ".removed tbody tr")
    assert any("site_tagline" in r and "Harbour Ledger - news for the bay" in r for r in removed)
    assert any("share_prompt" in r for r in removed)
    assert "The bridge at dawn on Tuesday" in _texts(browser, ".captions li")[0]
    assert "Engineers closed the Lumen River bridge" in _texts(browser, ".body p")[0]
    browser.save_screenshot(str(tmp_path / "article.png"))
    assert _console_errors(browser) == []


def test_web_story_side_by_side_with_counterparts(live: Live, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    _install_story(live)
    browser.get(live.url + "/")
    assert _texts(browser, ".items .title") == [
        "Lumen River bridge shut after cracks found in main span"
    ]
    assert "2 outlets" in _texts(browser, ".items .meta")[0]
    box = browser.find_element(By.NAME, "q")
    box.send_keys("courier")  # an outlet name finds its stories
    box.submit()
    assert browser.find_element(By.ID, "result-count").text.startswith("1 story")
    browser.find_element(By.CSS_SELECTOR, ".items .title").click()

    columns = browser.find_elements(By.CSS_SELECTOR, ".columns .column")
    assert [c.find_element(By.CSS_SELECTOR, ".outlet").text for c in columns] == [
        "Harbour Ledger",
        "Valley Courier",
    ]
    colours = {
        kind: browser.find_element(
            By.CSS_SELECTOR, f".column mark.hl-{kind}"
        ).value_of_css_property("background-color")
        for kind in ("reused", "paraphrase", "unique")
    }
    assert len(set(colours.values())) == 3, colours
    left = columns[0].find_element(By.CSS_SELECTOR, "mark.hl-paraphrase")
    right = columns[1].find_element(By.CSS_SELECTOR, "mark.hl-paraphrase")
    left.click()
    assert "hl-active" in (right.get_attribute("class") or "")
    assert "Valley Courier" in browser.find_element(By.ID, "counterpart").text
    assert "38,000" in browser.find_element(By.ID, "counterpart").text
    browser.save_screenshot(str(tmp_path / "story.png"))
    assert _console_errors(browser) == []
    columns[1].find_element(By.CSS_SELECTOR, "mark.hl-reused").click()
    assert "hl-active" in (
        columns[0].find_element(By.CSS_SELECTOR, "mark.hl-reused").get_attribute("class") or ""
    )
    assert "hl-active" not in (left.get_attribute("class") or "")
    assert browser.find_elements(By.CSS_SELECTOR, "#coverage svg circle")
    assert _pwned(browser) is None


def test_web_unknown_pages_are_404(live: Live, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(live.url + "/articles/ffffffffffffffff")
    assert browser.find_element(By.CSS_SELECTOR, ".error").get_attribute("data-status") == "404"


def test_web_story_page_fills_in_when_the_comparison_is_done(
    live: Live, browser: Any, tmp_path: Path
) -> None:
    """The real comparison stage runs in the background; the page polls and reloads itself."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    if not live.app.state.services.has("compare_story"):
        pytest.skip("this build has no story comparison stage")
    _install_story(live, real_comparison=True)
    browser.get(live.url + "/stories/bridge-story")
    WebDriverWait(browser, 120, poll_frequency=0.5).until(
        lambda d: not d.find_elements(By.ID, "comparison-status")
    )
    columns = browser.find_elements(By.CSS_SELECTOR, ".columns .column")
    kinds = {
        kind: len(browser.find_elements(By.CSS_SELECTOR, f".column mark.hl-{kind}"))
        for kind in ("reused", "paraphrase", "unique", "conflict")
    }
    assert kinds["reused"] >= 2 and kinds["unique"] >= 2, kinds
    assert "Mayor Ilse Varga" in " ".join(_texts(browser, ".column mark.hl-unique"))
    paired = columns[0].find_elements(By.CSS_SELECTOR, "mark.hl[data-pair]")
    assert paired
    paired[0].click()
    assert columns[1].find_elements(By.CSS_SELECTOR, "mark.hl-active")
    assert "Valley Courier" in browser.find_element(By.ID, "counterpart").text
    assert browser.find_element(By.CSS_SELECTOR, "#summary .summary-points, #summary .note")
    browser.save_screenshot(str(tmp_path / "story-compared.png"))
    assert _console_errors(browser) == []


def test_web_sample_story_list_search_and_side_by_side(
    live_sample: Live, browser: Any, tmp_path: Path
) -> None:
    """The demo flow on the bundled sample: list, outlet search, the wire story side by side."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(live_sample.url + "/")
    titles = _texts(browser, ".items .title")
    korvath = [t for t in titles if "Korvath" in t]
    assert korvath, titles
    browser.save_screenshot(str(tmp_path / "sample-stories.png"))
    assert _console_errors(browser) == []

    box = browser.find_element(By.NAME, "q")
    box.send_keys("Lantern Gazette")  # an outlet's name finds the stories it covered
    box.submit()
    found = browser.find_elements(By.CSS_SELECTOR, ".items .item")
    assert found and all("The Lantern Gazette" in item.text for item in found)
    browser.get(live_sample.url + "/")
    Select(browser.find_element(By.NAME, "source")).select_by_visible_text("Northgate Post")
    WebDriverWait(browser, 10).until(lambda d: "source=Northgate" in d.current_url)
    assert all("Northgate Post" in item.text for item in browser.find_elements(By.CSS_SELECTOR, ".items .item"))

    browser.get(live_sample.url + "/")
    browser.find_element(By.PARTIAL_LINK_TEXT, korvath[0][:30]).click()
    columns = browser.find_elements(By.CSS_SELECTOR, ".columns .column")
    assert len(columns) >= 2
    WebDriverWait(browser, 180, poll_frequency=0.5).until(
        lambda d: not d.find_elements(By.ID, "comparison-status")
    )
    browser.save_screenshot(str(tmp_path / "sample-story-top.png"))
    columns = browser.find_elements(By.CSS_SELECTOR, ".columns .column")
    reused = columns[0].find_elements(By.CSS_SELECTOR, "mark.hl-reused[data-pair]")
    assert reused, "the wire rewrite shares passages with the first article"
    reused[0].click()
    others = [m for c in columns[1:] for m in c.find_elements(By.CSS_SELECTOR, "mark.hl-active")]
    assert others and "Counterpart in" in browser.find_element(By.ID, "counterpart").text
    browser.save_screenshot(str(tmp_path / "sample-story.png"))
    assert _console_errors(browser) == []
