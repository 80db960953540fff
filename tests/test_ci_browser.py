"""Under CI (``NETMOB_REQUIRE_BROWSER=1``, which ``.ci/run`` exports), a browser test that
would be skipped fails; without it (``make test`` alone) it is skipped as before."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REQUIRE_BROWSER
from tests.sweep_helpers import ROOT

TESTS = """
import pytest

@pytest.mark.browser
@pytest.mark.skipif(True, reason="Debian's chromium is not installed (make browser)")
def test_in_chromium():
    pass

@pytest.mark.browser
def test_needs_playwright():
    pytest.importorskip("no_such_module_for_netmob_tests")

@pytest.mark.skipif(True, reason="not a browser test")
def test_other_skip():
    pass
"""


def run_pytest(folder, require: str | None) -> subprocess.CompletedProcess:
    """The tests above, with this project's conftest hook, in a pytest of their own."""
    (folder / "conftest.py").write_text("from tests.conftest import pytest_runtest_makereport\n")
    (folder / "test_browserish.py").write_text(TESTS)
    env = {k: v for k, v in os.environ.items() if k != REQUIRE_BROWSER}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    if require is not None:
        env[REQUIRE_BROWSER] = require
    args = ["-q", "-p", "no:xdist", "-p", "no:cacheprovider", "-o", "markers=browser: b", "-rA"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args, str(folder)],
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
        timeout=120,
    )


@pytest.mark.slow
def test_browser_tests_are_skipped_without_the_ci_variable(tmp_path):
    r = run_pytest(tmp_path, None)
    assert r.returncode == 0, r.stdout
    assert "3 skipped" in r.stdout


@pytest.mark.slow
def test_browser_tests_fail_under_ci_when_they_would_be_skipped(tmp_path):
    r = run_pytest(tmp_path, "1")
    assert r.returncode == 1, r.stdout
    # a skip in setup (skipif) is reported as an error, one in the test as a failure
    assert "1 failed, 1 skipped, 1 error" in r.stdout
    assert "NETMOB_REQUIRE_BROWSER=1 (CI): the browser tests must run" in r.stdout
    assert "Debian's chromium is not installed" in r.stdout
    assert "no_such_module_for_netmob_tests" in r.stdout


def test_ci_run_requires_the_browser_tests():
    text = (ROOT / ".ci" / "run").read_text()
    assert f"export {REQUIRE_BROWSER}=1" in text
    assert text.index(f"export {REQUIRE_BROWSER}=1") < text.index("make test")
