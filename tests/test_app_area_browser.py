"""The What-if view on an area folder, in a real browser (the fixtures and Chromium of
``test_app_browser``): a bad folder shows its one-line message, a template renamed loads
and shows its name, people, resources and file hashes, and a tiny comparison runs on it.
``netmob app --area DIR`` starting the view on that area is checked in
``test_app_place_browser`` (one app server for both).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netmob.cli.main import app
from tests.conftest import CHROMIUM
from tests.conftest import CHROMIUM_ARGS as ARGS
from tests.test_app_browser import app_url, free_port, shoot, wait_until_up  # noqa: F401

NAME = "Testshire Vale"
PEOPLE = 120
SCREENSHOT = Path("/tmp/whatif_area.png")  # looked at by eye; docs/img/ with make screenshots

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (make browser)"
)


@pytest.fixture
def place(tmp_path) -> Path:
    """``netmob area template`` with its name changed."""
    d = tmp_path / "place"
    r = CliRunner().invoke(app, ["area", "template", str(d), "--people", str(PEOPLE)])
    assert r.exit_code == 0, r.output
    text = (d / "area.yaml").read_text()
    (d / "area.yaml").write_text(re.sub(r"(?m)^name: .*$", f"name: {NAME}", text))
    return d


def open_whatif(pw, url: str, problems: list[str]):
    chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    page.get_by_role("tab", name="What-if").wait_for(timeout=60_000)
    page.get_by_role("tab", name="What-if").click()
    page.get_by_label("target people").wait_for()
    return chromium, page


def load(page, folder: Path | str) -> None:
    box = page.get_by_label("area folder (area.yaml and resources.csv)")
    box.fill(str(folder))
    box.press("Enter")
    page.get_by_role("button", name="Load area").click()


@pytest.mark.browser
@pytest.mark.timeout(240)
@needs_chromium
def test_whatif_runs_on_an_area_loaded_in_the_page(app_url, place, shots):  # noqa: F811
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    problems: list[str] = []
    with sync_playwright() as pw:
        chromium, page = open_whatif(pw, app_url, problems)
        area = page.locator(".netmob-area")
        assert "default community" in area.inner_text()

        # A bad area: its one-line message in the page, no traceback; the view stays usable.
        bad = place.parent / "bad"
        shutil.copytree(place, bad)
        text = (bad / "area.yaml").read_text()
        (bad / "area.yaml").write_text(re.sub(r"(?m)^smi: .*$", "smi: 1.4", text))
        load(page, bad)
        error = page.locator(".netmob-area-error")
        error.wait_for(timeout=20_000)
        message = error.inner_text()
        assert "area.yaml" in message and "'smi'" in message and "1.4" in message, message
        assert "Traceback" not in page.inner_text("body")
        load(page, place.parent / "nowhere")
        page.locator(".netmob-area-error", has_text="no such area folder").wait_for()

        # The renamed template: its name, people, resources and short file hashes.
        load(page, place)
        page.locator('[data-area="name"]').wait_for(timeout=20_000)
        assert page.locator('[data-area="name"]').inner_text() == NAME
        facts = area.inner_text()
        assert f"{PEOPLE} with long-term conditions" in facts
        assert re.search(r"\d+ in 1 neighbourhood\b", facts), facts
        assert re.search(r"area\.yaml [0-9a-f]{8}, resources\.csv [0-9a-f]{8}", facts), facts
        assert page.locator(".netmob-area-error").count() == 0
        assert page.get_by_label("target people").input_value() == str(PEOPLE)

        # A tiny comparison on it.
        for label, value in (("weeks after the burn-in", 4), ("replicates", 2)):
            box = page.get_by_label(label)
            box.fill(str(value))
            box.press("Enter")
        page.get_by_role("button", name="Run comparison").click()
        page.locator(".netmob-headline table").wait_for(timeout=120_000)
        headline = page.locator(".netmob-headline").inner_text()
        assert f"2 paired replicates of {PEOPLE} people over 4 weeks in {NAME}" in headline
        assert "Traceback" not in page.inner_text("body")
        assert page.locator(".netmob-headline tbody tr").count() > 3
        page.evaluate(  # the view from its top: the app scrolls inside its layout
            "document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })"
        )
        shoot(page, SCREENSHOT)
        shutil.copyfile(SCREENSHOT, shots / "app_whatif_area.png")
        chromium.close()
    assert not problems, f"errors in the browser console: {problems}"


@pytest.fixture
def app_on_area(place, tmp_path):
    """``netmob app --area PLACE`` on a free loopback port."""
    port = free_port()
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "netmob.cli", "app", "--port", str(port), "--area", str(place)]
    server = subprocess.Popen(
        command, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, server, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    assert "Traceback" not in log.read_text(), log.read_text()


def test_a_bad_area_stops_netmob_app_with_exit_2(tmp_path):
    r = CliRunner().invoke(app, ["app", "--area", str(tmp_path / "nowhere")])
    assert r.exit_code == 2 and "no such area folder" in r.output
