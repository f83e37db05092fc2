"""The workspace in a real browser: Debian's chromium driven by selenium.

A rep creates a deal, fills the customer (with characters that mean something in
HTML) and two price lines, watches the total follow, makes a mistake and sees it
under the field, saves, renders and downloads the PDF, whose total is read back.
Screenshots of each step go to ``$PROPGEN_SCREENSHOTS`` (or the test's tmp dir).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from pypdf import PdfReader
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from propgen.serve.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CUSTOMER = 'Acme <b>Robotics</b> & "Sons" <script>x()</script>'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    folder = tmp_path / "workspace"
    folder.mkdir()
    port = _free_port()
    config = uvicorn.Config(create_app(folder), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", folder
    running.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).is_file()]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} missing: apt-get install chromium chromium-driver (make system)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="propgen-chromium-")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1600,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(driver: WebDriver, condition: Any, timeout: float = 30) -> Any:
    # An element read while htmx swaps the panel it sits in goes stale: read it again.
    wait = WebDriverWait(
        driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)
    )
    return wait.until(condition)


def _text(driver: WebDriver, selector: str) -> str:
    """An element's text, read in one step (the element may be swapped at any moment)."""
    text = driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null", selector
    )
    assert text is not None, f"no {selector} on the page"
    return str(text)


def _type(driver: WebDriver, name: str, value: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_a_rep_builds_renders_and_downloads_a_deal(
    server: tuple[str, Path], browser: WebDriver, tmp_path: Path
) -> None:
    base, workspace = server
    shots = Path(os.environ.get("PROPGEN_SCREENSHOTS") or tmp_path / "screens")
    shots.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        browser.save_screenshot(str(shots / f"{name}.png"))

    browser.get(base + "/")
    _type(browser, "id", "acme-robotics")
    browser.find_element(By.CSS_SELECTOR, "#new-deal select[name=industry]").send_keys("saas")
    shot("01-new-deal")
    browser.find_element(By.CSS_SELECTOR, "#new-deal button[type=submit]").click()
    _wait(browser, lambda d: d.current_url.endswith("/deals/acme-robotics"))
    _wait(browser, lambda d: d.find_elements(By.ID, "grand-total"))
    shot("02-starter")

    # Two price lines: drop the starter's third (optional) one, then fill both.
    browser.find_element(
        By.CSS_SELECTOR, '[data-rows="pricing.items"] [data-row="2"] button.remove'
    ).click()
    _wait(browser, lambda d: not d.find_elements(By.NAME, "pricing.items.2.name"))
    _type(browser, "customer.name", CUSTOMER)
    lines = [
        ("Robot fleet licences", "7", "12", "149.95", "5"),
        ("Integration", "1", "1", "8250.5", ""),
    ]
    for i, (name, quantity, periods, price, discount) in enumerate(lines):
        _type(browser, f"pricing.items.{i}.name", name)
        _type(browser, f"pricing.items.{i}.quantity", quantity)
        _type(browser, f"pricing.items.{i}.periods", periods)
        _type(browser, f"pricing.items.{i}.unit_price", price)
        _type(browser, f"pricing.items.{i}.discount_pct", discount)
    # The starter's other "<fill in: …>" hints, as a rep would fill them.
    for field in browser.find_elements(By.CSS_SELECTOR, "#deal-form [placeholder]"):
        name = field.get_attribute("name") or ""
        if field.get_attribute("value"):
            continue  # typed in above
        if name.endswith("email"):
            field.send_keys("dana.lee@acme.example")
        elif name.endswith("phone"):
            field.send_keys("+1 415 555 0199")
        else:
            field.send_keys(f"Acme detail for {name}")
    totals = [
        _money(Decimal(q) * Decimal(p) * Decimal(u) * (1 - Decimal(d or 0) / 100))
        for _, q, p, u, d in lines
    ]
    total = f"${sum(totals, Decimal(0)):,.2f}"
    _wait(browser, lambda d: d.find_element(By.ID, "grand-total").text == total)
    line_1 = browser.find_element(By.CSS_SELECTOR, 'output[data-line-total="1"]')
    assert line_1.text == f"${totals[1]:,.2f}"
    _wait(browser, lambda d: "No problems" in _text(d, ".problems-card"))
    shot("03-two-lines-total")

    # The preview shows the customer's name as typed, markup and all, as text.
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, 'iframe[data-doc="proposal"]'))
    assert CUSTOMER in browser.find_element(By.TAG_NAME, "body").text
    assert not browser.find_elements(By.CSS_SELECTOR, "b, script")
    browser.switch_to.default_content()

    # A mistake appears under its field, in check's words; fixing it clears it.
    _type(browser, "pricing.items.1.quantity", "two")
    slot = '.field-error[data-field="pricing.items[1].quantity"]'
    # (Clearing the field first reports it missing; then the typed text arrives.)
    _wait(browser, lambda d: "valid decimal" in _text(d, slot))
    shot("04-error-under-field")
    _type(browser, "pricing.items.1.quantity", "1")
    _wait(browser, lambda d: not _text(d, slot))
    _wait(browser, lambda d: d.find_element(By.ID, "grand-total").text == total)

    browser.find_element(By.ID, "save").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, '#save-status [data-saved="ok"]'))
    assert "Robot fleet licences" in (workspace / "acme-robotics.yaml").read_text(encoding="utf-8")
    shot("05-saved")

    render = browser.find_element(By.ID, "render")
    _wait(browser, lambda d: render.is_enabled())
    render.click()
    link = '#outputs a[href$="-proposal.pdf"]'
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, link), timeout=120)
    shot("06-rendered")
    browser.find_element(By.CSS_SELECTOR, link).click()
    downloads = tmp_path / "downloads"
    _wait(browser, lambda d: [p for p in downloads.glob("*.pdf")], timeout=60)
    pdf = next(downloads.glob("*.pdf"))
    assert pdf.read_bytes() == next((workspace / "out").glob("*-proposal.pdf")).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert total in text
    assert CUSTOMER in text
    shot("07-downloaded")
