"""Tests that drive a browser or start a Dask cluster carry their marker (``browser``,
``cluster``), so that ``make check`` (``-m "not slow and not browser and not cluster"``)
leaves them out and ``make test`` runs them. ``tests/conftest.py`` fails, before it starts,
any test whose code, fixtures or helpers in ``tests/`` use a browser or a cluster without
the marker: the whole suite passing is the check. Here its negative controls: unmarked
tests that use one, directly, through a fixture or through a helper, are failed; marked
ones and tests that use neither run.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, markers_needed

# the words are split so that this file's own tests do not use them
PLAYWRIGHT, DASK = "sync_" + "playwright", "Dask" + "Backend("
TESTS = f"""
import pytest


def start_cluster():
    return "{DASK}scheduler=None)"


@pytest.fixture
def page():
    return "{PLAYWRIGHT}"


def test_browser_unmarked():
    "{PLAYWRIGHT}"


def test_browser_by_fixture_unmarked(page):
    pass


def test_cluster_by_helper_unmarked():
    start_cluster()


@pytest.mark.browser
def test_browser_marked(page):
    pass


@pytest.mark.cluster
def test_cluster_marked():
    start_cluster()


def test_neither():
    pass
"""


@pytest.mark.slow
def test_an_unmarked_browser_or_cluster_test_fails_and_a_marked_one_runs(tmp_path):
    """A pytest of its own on the tests above, with this project's conftest hook."""
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_runtest_setup\n")
    (tmp_path / "test_uses.py").write_text(TESTS)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:randomly", "-rA", "-q"]
    args += ["-o", "markers=browser: b\ncluster: c", str(tmp_path)]
    r = subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    out = r.stdout
    for name, marker in [
        ("test_browser_unmarked", "browser"),
        ("test_browser_by_fixture_unmarked", "browser"),
        ("test_cluster_by_helper_unmarked", "cluster"),
    ]:
        assert f"ERROR test_uses.py::{name} - " in out or f"FAILED test_uses.py::{name}" in out, out
        assert f"uses {marker} (tests/conftest.py's USES)" in out, out
    for name in ("test_browser_marked", "test_cluster_marked", "test_neither"):
        assert f"PASSED test_uses.py::{name}" in out, out


def test_helpers_are_followed_to_any_depth():
    """A helper that calls a helper that starts a cluster needs the marker; the words in
    a string built from parts (as this file's) do not count. (The helpers are looked up
    by name, so that this test does not name them and so does not need the marker.)"""
    assert markers_needed([globals()["start"]]) == {"cluster"}
    assert markers_needed([test_helpers_are_followed_to_any_depth]) == set()


def start():  # never called
    return middle()


def middle():  # never called
    from netmob.experiments.backends.dask import DaskBackend

    return DaskBackend(scheduler=None, workers=2)
