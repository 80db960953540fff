"""The app in a real browser: Debian's headless Chromium, driven by Playwright.

Starts ``netmob app`` on a free loopback port, opens it, steps the model, opens a person's
network, runs a tiny what-if, checks what the page shows and that the browser console has
no error, and saves a screenshot of each view (to ``docs/img/``, which the README shows,
with ``make screenshots``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from netmob.app.model import controls, scenario_params
from tests.conftest import CHROMIUM
from tests.conftest import CHROMIUM_ARGS as ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(240),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (make browser)"
    ),
]


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Wait for the server to answer, failing with its log if it dies or is slow."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            pytest.fail(f"netmob app exited with {server.returncode}: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"netmob app did not answer at {url} within {seconds} s")


@pytest.fixture
def app_url(tmp_path):
    """``netmob app`` serving on a free loopback port, stopped afterwards; its log must show
    no Python traceback."""
    from netmob.app.assets import missing

    absent = missing()
    if absent:
        pytest.fail(f"solara's front-end files are missing ({absent}): run `make browser`")
    port = free_port()
    log = tmp_path / "server.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "netmob.cli", "app", "--port", str(port), "--host", "127.0.0.1"],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, server, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert "Traceback" not in log.read_text(), log.read_text()


def measure(page, name: str) -> str:
    """The text of a headline number of the Explore view."""
    return page.locator(f'[data-measure="{name}"]').inner_text()


def image_src(page, selector: str) -> str:
    """The ``src`` of the (first) image inside ``selector``, once it has loaded."""
    img = page.locator(f"{selector} img").first
    img.wait_for(timeout=20_000)
    page.wait_for_function(
        "el => el.complete && el.naturalWidth > 200", arg=img.element_handle(), timeout=20_000
    )
    return img.get_attribute("src")


def step(page, clicks: int = 1) -> float:
    """Click Step ``clicks`` times; the seconds from the last click to the charts redrawn."""
    took = 0.0
    for _ in range(clicks):
        week, charts = measure(page, "week"), image_src(page, ".netmob-charts")
        t0 = time.perf_counter()
        page.get_by_role("button", name="Step").click()
        page.wait_for_function(
            "([w, src]) => document.querySelector('[data-measure=\"week\"]').innerText != w"
            " && document.querySelector('.netmob-charts img').src != src",
            arg=[week, charts],
            timeout=20_000,
        )
        took = time.perf_counter() - t0
    return took


def shoot(page, path: Path) -> None:
    """Save a screenshot of the whole view (the app scrolls inside its layout, so the
    window is made as tall as the content first)."""
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.v-card')].map("
        " e => e.getBoundingClientRect().bottom)) + 24"
    )
    page.set_viewport_size({"width": 1400, "height": min(max(int(height), 900), 2600)})
    page.wait_for_timeout(300)
    page.screenshot(path=path)
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_app_in_a_browser(app_url, shots):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(app_url)

        # Explore: the model starts at week 0; a step moves every number and the charts.
        page.locator('[data-measure="week"]').wait_for(timeout=60_000)
        assert measure(page, "week").startswith("0 of ")
        wellbeing = measure(page, "mental wellbeing (SWEMWBS, mean)")
        seconds = step(page)
        print(f"\none Explore step at 2,000 target people shown in {seconds:.2f} s")
        assert measure(page, "week").startswith("1 of ")
        assert measure(page, "mental wellbeing (SWEMWBS, mean)") != wellbeing
        weeks_per_step = page.get_by_role("slider").nth(0)
        weeks_per_step.focus()
        weeks_per_step.press("End")  # 13 weeks a step
        page.get_by_text("weeks per step: 13").wait_for()
        step(page, clicks=2)
        week = int(measure(page, "week").split()[0])
        assert week == 27, week
        assert int(measure(page, "people referred").replace(",", "")) > 0
        assert image_src(page, ".netmob-glance")
        assert "Traceback" not in page.inner_text("body")
        shoot(page, shots / "app_explore.png")

        # A person's network: the circles of someone whose network a pathway changed.
        page.get_by_role("tab", name="A person's network").click()
        page.get_by_role("button", name="random changed network").click()
        circles = image_src(page, ".netmob-circles")
        facts = page.locator(".netmob-facts").inner_text()
        assert "Who" in facts and "Programme" in facts and "referred in week" in facts
        changes = page.locator(".netmob-changes").inner_text()
        assert changes.startswith("Since referral in week"), changes
        page.get_by_role("button", name="random person", exact=True).click()
        page.wait_for_function(
            "src => document.querySelector('.netmob-circles img').src != src", arg=circles
        )
        anyone = image_src(page, ".netmob-circles")
        page.get_by_role("button", name="random changed network").click()
        page.wait_for_function(
            "src => document.querySelector('.netmob-circles img').src != src", arg=anyone
        )
        page.locator(".netmob-facts", has_text="referred in week").wait_for()
        assert "Traceback" not in page.inner_text("body")
        shoot(page, shots / "app_network.png")

        # What-if: a tiny paired comparison in the background, with progress, then effects.
        page.get_by_role("tab", name="What-if").click()
        page.get_by_label("target people").wait_for()
        chooser = page.locator(".v-select", has_text="the first is the reference")
        chooser.click()
        page.get_by_role("option", name="plans", exact=True).click()  # a third scenario
        page.get_by_text("Compare", exact=True).click()  # closes the list
        page.get_by_role("option").first.wait_for(state="hidden")
        assert chooser.inner_text().split("\n", 1)[1].split() == ["baseline,", "genie,", "plans"]
        sizes = (("target people", 300), ("weeks after the burn-in", 26), ("replicates", 2))
        for label, value in sizes:
            box = page.get_by_label(label)
            box.fill(str(value))
            box.press("Enter")
        # the shipped posterior is not validated: the box is on, and each replicate draws
        # the assumption ranges in its place, and says so
        assert page.get_by_label("uncertainty in the assumptions too").is_checked()
        page.get_by_role("button", name="Run comparison").click()
        page.locator(".netmob-progress").wait_for(timeout=10_000)  # runs in the background
        page.locator(".netmob-headline table").wait_for(timeout=90_000)
        headline = page.locator(".netmob-headline").inner_text()
        assert "Differences from baseline" in headline
        assert "2 paired replicates of 300 people over 26 weeks" in headline
        assert "each drawing the assumptions of" in headline and "not validated" in headline
        heads = page.locator(".netmob-headline thead th").all_inner_texts()
        assert [h.strip() for h in heads] == ["measure", "genie", "plans"]
        rows = page.locator(".netmob-headline tbody tr").all_inner_texts()
        swemwbs = next(r for r in rows if r.startswith("SWEMWBS, referred"))
        # each scenario's effect with its interval and its spread across the draws
        assert swemwbs.count(" to ") == 4 and swemwbs.count("across draws") == 2
        brief = page.locator(".netmob-brief").inner_text()
        assert "Wellbeing of the people referred" in brief and "For all 300 target people" in brief
        assert image_src(page, ".netmob-effects")
        assert image_src(page, ".netmob-costs")
        assert image_src(page, ".netmob-value")
        assert "chance cost-effective" in page.locator(".netmob-value").inner_text()
        # two replicates are too few to rank the drawn parameters, and the page says so
        assert "different draws" in page.locator(".netmob-drivers").inner_text()
        referred = image_src(page, ".netmob-effects")
        page.get_by_role("button", name="engaged").click()
        page.wait_for_function(
            "src => document.querySelector('.netmob-effects img').src != src", arg=referred
        )
        assert "Traceback" not in page.inner_text("body")
        shoot(page, shots / "app_whatif.png")

        # Back to Explore: another scenario brings its own controls' values, and Reset its model.
        page.get_by_role("tab", name="Explore").click()
        page.locator('[data-measure="week"]').wait_for()
        page.locator(".v-select", has_text="scenario").first.click()
        page.get_by_role("option", name="baseline", exact=True).click()
        rate = controls(scenario_params("baseline"))["programme.refer_rate"]  # 0.25 -> 0
        page.get_by_text(f"{rate.label}: {rate.value:g}", exact=True).wait_for()
        page.get_by_text("Reset starts baseline.").wait_for()
        page.get_by_role("button", name="Reset").click()
        page.get_by_text("Running: baseline, seed 1, in the default community.").wait_for()
        page.wait_for_function(  # the new model's numbers follow its message
            "() => document.querySelector('[data-measure=\"week\"]').innerText.startsWith('0 of ')"
        )
        assert measure(page, "week").startswith("0 of ")
        assert measure(page, "people referred") == "0"

        # A control generated from the schema applies at Reset.
        people = page.locator(".netmob-controls [role=slider]").first
        people.focus()
        people.press("Home")  # the slider's lowest value: 100 target people
        page.get_by_text("target people (one or more LTCs) [people]: 100").wait_for()
        page.get_by_role("button", name="Reset").click()
        page.wait_for_function(
            "() => document.querySelector('[data-measure=\"target people\"]').innerText == '100'"
        )
        assert measure(page, "week").startswith("0 of ")
        browser.close()
    assert not problems, f"errors in the browser console: {problems}"
