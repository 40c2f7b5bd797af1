"""JupyterLab in a real browser: what a student does on the first day, driven through headless Chromium.

The test starts `jupyter lab` on 127.0.0.1 with a token and a temporary root holding copies of
notebooks 00, 02 and 05 with their outputs cleared. Chromium (Debian's package, driven by
Playwright's Python package through `executable_path`) opens each notebook, runs all cells and
saves it. Then it checks that no cell shows or saved an error, moves the n slider of the
bootstrap explorer in 05 and checks that the histogram image changes. Screenshots go to
build/test-output/browser/. Every request the page makes to a host other than 127.0.0.1 is
blocked and fails the test, and Chromium starts with background networking disabled.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "build" / "test-output" / "browser"
NOTEBOOKS = ["00_welcome", "02_dcgan_generator", "05_significance_testing"]
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--metrics-recording-only",
]
# The notebook panel on show; JupyterLab hides the others with this Lumino class.
CURRENT_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# Seconds one notebook may take to run all its cells in the browser under the grading budget.
RUN_ALL_TIMEOUT = 120

pytestmark = pytest.mark.slow


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_lab_settings(home: Path) -> dict[str, str]:
    """Write server and user settings that keep JupyterLab offline; return the environment that uses them."""
    config_dir, settings_dir = home / "config", home / "settings"
    config_dir.mkdir()
    (config_dir / "jupyter_server_config.py").write_text(
        "c.LabApp.news_url = None\n"
        "c.LabApp.check_for_updates_class = 'jupyterlab.handlers.announcements.NeverCheckForUpdate'\n",
        encoding="utf-8",
    )
    user_settings = {
        # Attach every cell to the page, so that the test finds the prompts and outputs of all of them.
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                           "checkForUpdates": False},
    }
    for name, values in user_settings.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    return {
        "JUPYTER_CONFIG_DIR": str(config_dir),
        "JUPYTERLAB_SETTINGS_DIR": str(settings_dir),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "COURSEKIT_BUDGET": "grading",
    }


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Run `jupyter lab` on copies of the notebooks; yield (base URL, token, root folder)."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing and this machine could not install it; "
                    "`apt-get install -y chromium` (what .ci/run does) provides it")

    home = tmp_path_factory.mktemp("lab")
    root = home / "root"
    root.mkdir()
    for stem in NOTEBOOKS:
        notebook = nbformat.read(REPO / "notebooks" / f"{stem}.ipynb", as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(notebook, root / f"{stem}.ipynb")

    token, port = secrets.token_hex(16), free_port()
    env = {**os.environ, **write_lab_settings(home)}
    log = open(home / "lab.log", "w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
        # CI containers run as root, which jupyter lab refuses without this flag.
        + (["--allow-root"] if os.geteuid() == 0 else []),
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, f"jupyter lab exited: {(home / 'lab.log').read_text()[-2000:]}"
                assert time.monotonic() < deadline, "jupyter lab did not answer on /api/status within 60 s"
                time.sleep(0.5)
        yield base, token, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def page(lab):
    """Yield a Chromium page that may only reach 127.0.0.1, and the list of blocked requests."""
    from playwright.sync_api import sync_playwright

    blocked = []

    def only_loopback(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", None):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", only_loopback)
        yield context.new_page(), blocked
        browser.close()


def open_and_run_all(page, lab, stem: str) -> None:
    """Open notebook `stem` in JupyterLab, run all cells, wait until they finish, and save it."""
    base, token, _ = lab
    # "reset" opens a fresh workspace, so only this notebook's panel is on the page.
    page.goto(f"{base}/lab/tree/{stem}.ipynb?reset&token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=60_000)

    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()

    # A code cell that has run shows "[n]:"; one that waits or runs shows "[*]:" or "[ ]:".
    page.wait_for_function(
        """() => {
            const CURRENT = '.jp-NotebookPanel:not(.lm-mod-hidden)';
            const prompts = [...document.querySelectorAll(`${CURRENT} .jp-CodeCell .jp-InputPrompt`)];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=RUN_ALL_TIMEOUT * 1000,
    )
    page.keyboard.press("Control+s")


def shown_errors(page) -> list[str]:
    """Return the first line of every traceback shown in the current notebook."""
    texts = page.locator(f"{CURRENT_PANEL} .jp-OutputArea-output").all_inner_texts()
    return [text.strip().splitlines()[0][:200] for text in texts if "Traceback (most recent call last)" in text]


def read_saved(root: Path, stem: str, timeout: float = 20) -> nbformat.NotebookNode:
    """Return the notebook as saved on disk once every code cell in it has run, or fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        notebook = nbformat.read(root / f"{stem}.ipynb", as_version=4)
        waiting = [cell for cell in notebook.cells if cell.cell_type == "code" and cell.execution_count is None]
        if not waiting:
            return notebook
        assert time.monotonic() < deadline, f"{len(waiting)} code cells of the saved {stem} never ran"
        time.sleep(0.5)


def saved_errors(notebook: nbformat.NotebookNode) -> list[str]:
    """Return "ename: evalue" for every error output in a saved notebook."""
    return [f"{output['ename']}: {output['evalue']}" for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if output.output_type == "error"]


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_lab_runs_notebook_without_errors(page, lab, stem):
    browser_page, blocked = page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        open_and_run_all(browser_page, lab, stem)
    finally:
        browser_page.screenshot(path=SCREENSHOTS / f"{stem}.png")
    print(f"{stem}: opened and ran all cells in {time.perf_counter() - started:.1f} s")
    browser_page.locator(f"{CURRENT_PANEL} .jp-Cell").last.scroll_into_view_if_needed()
    browser_page.screenshot(path=SCREENSHOTS / f"{stem}-end.png")

    assert shown_errors(browser_page) == [], f"{stem} shows errors in JupyterLab"
    assert saved_errors(read_saved(lab[2], stem)) == [], f"{stem} saved error outputs"
    assert blocked == [], f"the page tried to reach other hosts: {blocked}"


def test_lab_slider_redraws_bootstrap_histogram(page, lab):
    browser_page, blocked = page
    stem = "05_significance_testing"
    if not browser_page.url.split("?")[0].endswith(f"{stem}.ipynb"):
        open_and_run_all(browser_page, lab, stem)

    explorer = browser_page.locator(f"{CURRENT_PANEL} .widget-interact").first
    explorer.scroll_into_view_if_needed()
    # The Output widget replaces its <img> on every redraw, so the image is looked up afresh each time.
    image_selector = f"{CURRENT_PANEL} .widget-interact .jp-OutputArea-output img"
    browser_page.wait_for_selector(image_selector, timeout=30_000)
    slider = explorer.locator(".widget-slider").first
    readout = slider.locator(".widget-readout")
    before_image, before_value = browser_page.locator(image_selector).first.get_attribute("src"), readout.inner_text()
    browser_page.screenshot(path=SCREENSHOTS / f"{stem}-explorer-before.png")

    slider.locator(".noUi-handle").focus()
    browser_page.keyboard.press("ArrowRight")
    browser_page.wait_for_function(
        "([selector, old]) => { const image = document.querySelector(selector); return image && image.src !== old; }",
        arg=[image_selector, before_image], timeout=30_000,
    )
    browser_page.screenshot(path=SCREENSHOTS / f"{stem}-explorer-after.png")

    assert readout.inner_text() != before_value, f"the n slider still reads {before_value} after ArrowRight"
    assert browser_page.locator(image_selector).first.get_attribute("src") != before_image, \
        "the histogram did not change when n changed"
    assert blocked == [], f"the page tried to reach other hosts: {blocked}"
