"""The playground page of `declic serve` in a real browser.

Debian's Chromium, driven through chromedriver by Selenium, loads the page the real server
binary serves on a free loopback port, picks a recipe and an event, runs them and reads the
fired triggers off the page; then it puts a mistake in the rules and looks for its
diagnostic beside the right line. What the page must show is what the `declic` CLI says of
the same files, so that no expected result is written here by hand.

Run by `.ci/run` (`pytest tests/browser`); DECLIC_BIN names the binary (default
target/debug/declic). A missing browser, driver or binary fails the tests: nothing skips.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("DECLIC_BIN", ROOT / "target" / "debug" / "declic"))
RECIPE = "en/1-after-hours.declic"
FIRES = "messaging-created-outside-business-hours.json"
# The same recipe on an event that fires none of its triggers: the near miss.
FIRES_NOTHING = "agent-ends-session.json"
# How long the page may take to answer; the server answers in milliseconds.
WAIT = 20


def tool(name):
    """The path of a program the tests cannot do without, or a loud failure."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is not installed: apt-get install chromium chromium-driver")
    return path


def cli(*args):
    """What the declic CLI prints as JSON for `args` (its exit code may be 1 on problems)."""
    done = subprocess.run(
        [str(BINARY), *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """The address of a `declic serve` started for these tests, stopped after them."""
    if not BINARY.is_file():
        pytest.fail(f"no declic binary at {BINARY}: run `cargo build` first")
    address = f"127.0.0.1:{free_port()}"
    # The server logs a line per request: into a file, as a pipe nobody reads would fill up
    # and stall it.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(BINARY), "serve", "recipes/en", "--listen", address],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_until_listening(process, log, f"http://{address}/healthz")
            yield f"http://{address}"
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_listening(process, log, url):
    """Returns once `url` answers; fails if the server exits or stays silent."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"declic serve exited: {log.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            # Not listening yet: the binary is still starting.
            time.sleep(0.05)
    pytest.fail(f"declic serve did not answer {url} within {WAIT} s")


@pytest.fixture(scope="module")
def browser():
    chromium = tool("chromium")
    driver_path = tool("chromedriver")
    profile = tempfile.mkdtemp(prefix="declic-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--lang=en-US",
        f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(server, browser):
    """The playground, loaded afresh and ready (its samples fetched)."""
    browser.get(server + "/")
    WebDriverWait(browser, WAIT).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, "body[data-ready='true']"))
    )
    return browser


def pick(page, select_id, value):
    Select(page.find_element(By.ID, select_id)).select_by_value(value)


def run(page):
    """Clicks Run and waits for the answer to be drawn."""
    page.execute_script("document.getElementById('status').textContent = ''")
    page.find_element(By.ID, "run").click()
    WebDriverWait(page, WAIT).until(lambda p: p.find_element(By.ID, "status").text != "")


def fired_on_page(page):
    items = page.find_elements(By.CSS_SELECTOR, "#fired li[data-trigger]")
    return [item.get_attribute("data-trigger") for item in items]


def fired_by_cli(recipe, event):
    outcome = cli("run", f"recipes/{recipe}", f"events/{event}")
    return [f["trigger"] for f in outcome["fired"]]


def set_rules(page, text):
    """Replaces the rules as a person typing would (the page hears an `input` event)."""
    area = page.find_element(By.ID, "rules")
    page.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input'));",
        area,
        text,
    )


def test_the_page_loads_nothing_from_elsewhere(page):
    sources = page.execute_script(
        "return [...document.querySelectorAll('[src], [href]')]"
        ".map(e => e.getAttribute('src') || e.getAttribute('href'))"
    )
    assert sources, "the page names no script or style sheet"
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources


@pytest.mark.parametrize("event", [FIRES, FIRES_NOTHING])
def test_a_recipe_run_on_an_event_shows_what_the_cli_fires(page, event):
    expected = fired_by_cli(RECIPE, event)
    pick(page, "recipe", RECIPE)
    pick(page, "event-sample", event)
    run(page)
    assert fired_on_page(page) == expected
    assert page.find_elements(By.CSS_SELECTOR, "#diagnostics li.error") == []
    if expected:
        # The explanation shows each trigger that fired as fired.
        verdicts = page.find_elements(By.CSS_SELECTOR, "#explanation .verdict-fired")
        assert len(verdicts) == len(expected)


def test_a_mistake_is_marked_on_its_line(page):
    pick(page, "recipe", RECIPE)
    pick(page, "event-sample", FIRES)
    text = (ROOT / "recipes" / RECIPE).read_text()
    broken = text.replace("Channel is Messaging", "Chanel is Messaging", 1)
    assert broken != text, "the recipe no longer holds the line the test breaks"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "broken.declic"
        path.write_text(broken)
        wanted = cli("check", str(path), "--format", "json")["diagnostics"]
    wanted = [d for d in wanted if d["severity"] == "error"]
    assert len(wanted) == 1, wanted
    line = str(wanted[0]["line"])

    set_rules(page, broken)
    run(page)

    shown = page.find_elements(By.CSS_SELECTOR, "#diagnostics li.error")
    assert [(d.get_attribute("data-code"), d.get_attribute("data-line")) for d in shown] == [
        (wanted[0]["code"], line)
    ]
    assert wanted[0]["message"] in shown[0].text
    # The gutter marks that line, and no other.
    marked = page.find_elements(By.CSS_SELECTOR, "#rules-gutter div.error")
    assert [m.get_attribute("data-line") for m in marked] == [line]
    # Rules with errors do not run: nothing fired is shown.
    assert fired_on_page(page) == []


def test_fixing_the_mistake_clears_its_mark(page):
    pick(page, "recipe", RECIPE)
    pick(page, "event-sample", FIRES)
    text = (ROOT / "recipes" / RECIPE).read_text()
    set_rules(page, text.replace("Channel is Messaging", "Chanel is Messaging", 1))
    run(page)
    assert page.find_elements(By.CSS_SELECTOR, "#rules-gutter div.error") != []
    set_rules(page, text)
    run(page)
    assert page.find_elements(By.CSS_SELECTOR, "#rules-gutter div.error") == []
    assert fired_on_page(page) == fired_by_cli(RECIPE, FIRES)


def test_a_zendesk_export_is_imported_into_rules(page):
    export = (ROOT / "tests" / "fixtures" / "zendesk" / "single_trigger.json").read_text()
    title = json.loads(export)["trigger"]["title"]
    page.find_element(By.CSS_SELECTOR, "#import-box summary").click()
    page.execute_script("document.getElementById('export').value = arguments[0]", export)
    page.execute_script("document.getElementById('status').textContent = ''")
    page.find_element(By.ID, "import").click()
    WebDriverWait(page, WAIT).until(lambda p: p.find_element(By.ID, "status").text != "")
    rules = page.find_element(By.ID, "rules").get_attribute("value")
    assert f'trigger "{title}"' in rules
    assert page.find_elements(By.CSS_SELECTOR, "#diagnostics li.error") == []


def test_the_page_speaks_french_on_request(page):
    run_button = page.find_element(By.ID, "run")
    english = run_button.text
    page.find_element(By.CSS_SELECTOR, "[data-lang='fr']").click()
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert run_button.text != english
    assert run_button.text == "Lancer"
    page.find_element(By.CSS_SELECTOR, "[data-lang='en']").click()
    assert run_button.text == english
