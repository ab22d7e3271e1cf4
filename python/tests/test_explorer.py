"""The explorer page (`tradeflows factsheet --all --format html`, `html/index.html`) driven in
a real browser: Debian's Chromium through its chromedriver (`/usr/bin/chromedriver`; nothing is
downloaded). The map's outlines, switching the indicator, sorting, searching with and without
accents, the keyboard, clicking a département; no console error; a screenshot.

Skipped, saying so, where Chromium or its driver is missing, except under `scripts/test` and CI
(`TRADEFLOWS_REQUIRE_BROWSER`, `CI`), where a missing browser fails.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from _support import run_cli

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

DRIVER = "/usr/bin/chromedriver"


def browser_or_skip() -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium and os.access(DRIVER, os.X_OK):
        return chromium
    message = "Chromium and its driver (Debian chromium, chromium-driver) are needed"
    if os.environ.get("TRADEFLOWS_REQUIRE_BROWSER") or os.environ.get("CI"):
        pytest.fail(message + " here (scripts/test installs them)")
    pytest.skip(message + ": explorer test skipped")


@pytest.fixture(scope="module")
def site(cli: Path, demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    run_cli(cli, "factsheet", "--data", demo_dir, "--all", "--format", "json,html", "--out", out)
    return out


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    chromium = browser_or_skip()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1600"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield d
    finally:
        d.quit()


def visible_keys(driver: webdriver.Chrome) -> list[str]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#territories tbody tr")
    return [r.get_attribute("data-key") or "" for r in rows if r.is_displayed()]


def fill(driver: webdriver.Chrome, code: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'#map path[data-code="{code}"]').get_attribute("fill") or ""


def column(driver: webdriver.Chrome, col: str) -> list[float]:
    th = driver.find_element(By.CSS_SELECTOR, f'th[data-col="{col}"]')
    index = int(th.get_property("cellIndex"))  # type: ignore[arg-type]
    out: list[float] = []
    for r in driver.find_elements(By.CSS_SELECTOR, "#territories tbody tr"):
        v = r.find_elements(By.TAG_NAME, "td")[index].get_attribute("data-value") or ""
        if v:
            out.append(float(v))
    return out


def search(driver: webdriver.Chrome, text: str) -> None:
    box: WebElement = driver.find_element(By.ID, "search")
    # Select and delete as a person would, so that the page sees "input" events
    # (WebElement.clear() changes the value without one).
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    if text:
        box.send_keys(text)


def test_the_explorer_in_chromium(driver: webdriver.Chrome, site: Path, tmp_path: Path) -> None:
    index = site / "html" / "index.html"
    driver.get(index.as_uri())
    assert "Les indicateurs clés : commerce extérieur" in driver.title

    # The outlines: one path per département with an outline, filled by exports.
    paths = driver.find_elements(By.CSS_SELECTOR, "svg#map path[data-code]")
    assert len(paths) == 100
    assert driver.find_element(By.CSS_SELECTOR, 'g.legend[data-indicator="exports"]').is_displayed()
    exports_fill = fill(driver, "75")

    # Switching the indicator recolours the map and swaps the legend.
    Select(driver.find_element(By.ID, "indicator")).select_by_value("balance")
    assert driver.find_element(By.CSS_SELECTOR, 'g.legend[data-indicator="balance"]').is_displayed()
    assert not driver.find_element(By.CSS_SELECTOR, 'g.legend[data-indicator="exports"]').is_displayed()
    fills = {p.get_attribute("data-code"): p.get_attribute("fill") for p in paths}
    assert fill(driver, "75") != exports_fill or len(set(fills.values())) > 2
    # Deficits red, surpluses green (the balance of 75 and of 22 in the JSON).
    for code in ("75", "22"):
        fs = json.loads((site / "json" / f"dep-{code}.json").read_text(encoding="utf-8"))
        balance = fs["exports"]["total_eur"] - fs["imports"]["total_eur"]
        r, g = int(fills[code][1:3], 16), int(fills[code][3:5], 16)  # type: ignore[index]
        assert (r > g) == (balance < 0), (code, balance, fills[code])

    # Hovering names the département and its value.
    webdriver.ActionChains(driver).move_to_element(paths[21]).perform()
    tip = driver.find_element(By.ID, "tooltip")
    assert tip.is_displayed() and "Solde commercial" in tip.text and "M€" in tip.text

    # Sorting: numbers as numbers, descending first, then ascending; aria-sort says which.
    th = driver.find_element(By.CSS_SELECTOR, 'th[data-col="exports"]')
    th.click()
    assert th.get_attribute("aria-sort") == "descending"
    values = column(driver, "exports")
    assert values == sorted(values, reverse=True) and len(values) == 120
    th.click()
    assert th.get_attribute("aria-sort") == "ascending"
    assert column(driver, "exports") == sorted(values)
    # The keyboard sorts too (the header is a button).
    growth = driver.find_element(By.CSS_SELECTOR, 'th[data-col="growth"] button')
    growth.send_keys(Keys.ENTER)
    assert driver.find_element(By.CSS_SELECTOR, 'th[data-col="growth"]').get_attribute("aria-sort") == "descending"
    assert th.get_attribute("aria-sort") == "none"
    g = column(driver, "growth")
    assert g == sorted(g, reverse=True)

    # Searching ignores case and accents; the map dims the rest.
    for text in ("armor", "COTES D'ARMOR", "côtes-d’armor", "22"):
        search(driver, text)
        assert visible_keys(driver) == ["dep-22"], text
    assert "dim" in (driver.find_element(By.CSS_SELECTOR, '#map path[data-code="29"]').get_attribute("class") or "")
    assert "dim" not in (driver.find_element(By.CSS_SELECTOR, '#map path[data-code="22"]').get_attribute("class") or "")
    search(driver, "bretagne")
    assert set(visible_keys(driver)) >= {"reg-53"}
    search(driver, "")
    assert len(visible_keys(driver)) == 120

    # The screenshot of the map coloured by exports, the table under it.
    Select(driver.find_element(By.ID, "indicator")).select_by_value("exports")
    shot = Path(os.environ.get("TRADEFLOWS_SCREENSHOTS", str(tmp_path))) / "explorer.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 50_000

    # No console error.
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []

    # Clicking a département opens its page.
    driver.find_element(By.CSS_SELECTOR, '#map path[data-code="22"]').click()
    assert driver.current_url.endswith("/dep-22.html")
    assert "Côtes-d'Armor" in driver.title
    driver.back()

    # A département link takes the keyboard focus and Enter opens it.
    link = driver.find_element(By.CSS_SELECTOR, 'a[href="dep-29.html"][aria-label]')
    link.send_keys(Keys.ENTER)
    assert driver.current_url.endswith("/dep-29.html")
