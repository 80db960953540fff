"""Shared fixtures: small runs reused across tests (fixed seeds)."""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from netmob.sim.params import Params
from netmob.sim.run import simulate

ROOT = Path(__file__).resolve().parent.parent  # the repository


def posterior_copy(folder: Path) -> Path:
    """The shipped posterior's folder (its posterior, manifest and checks) copied into
    ``folder``, which is returned: a posterior to draw from as asked. netmob draws the
    shipped one itself only when its manifest says validated
    (:mod:`netmob.experiments.calibration.gate`); a test about drawing, not about that
    gate, draws this copy (the same particles)."""
    import shutil

    from netmob.experiments.specfile import shipped_posterior

    folder.mkdir(parents=True, exist_ok=True)
    for path in shipped_posterior().parent.iterdir():
        if path.suffix in (".parquet", ".json", ".csv"):
            shutil.copy(path, folder / path.name)
    return folder


@dataclass(frozen=True)
class Ran:
    """What a ``netmob`` command did: its exit code and what it wrote."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    exception: BaseException | None = None  # in process only: an uncaught exception

    @property
    def output(self) -> str:
        """stdout then stderr."""
        return self.stdout + self.stderr

    @property
    def exit_code(self) -> int:
        """The exit code (Click's name for it)."""
        return self.returncode


def netmob(
    *args: object,
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    in_process: bool = False,
) -> Ran:
    """Run the ``netmob`` command line with ``args`` (each passed through ``str``).

    By default as a user runs it: ``python -m netmob.cli ARGS`` in a new process, in
    ``cwd`` (the repository's root if None) with ``env`` added to the environment, so the
    exit code, stderr and the absence of a traceback are the real ones. ``in_process=True`` runs the same command in this
    process through Typer's test runner: for a test that patches netmob's code
    (``monkeypatch``), which a new process would not see. There an uncaught exception is
    exit code 1 with the exception in ``.exception`` (no traceback on stderr).

    For example ``r = netmob("run", "--people", 150, "--out", tmp_path / "o")``, then
    ``assert r.returncode == 0, r.stderr``.
    """
    argv = tuple(str(a) for a in args)
    if not in_process:
        done = subprocess.run(
            [sys.executable, "-m", "netmob.cli", *argv],
            capture_output=True,
            text=True,
            cwd=cwd or ROOT,
            env=None if env is None else {**os.environ, **env},
            timeout=timeout,
        )
        return Ran(argv, done.returncode, done.stdout, done.stderr)
    from typer.testing import CliRunner

    from netmob.cli.main import app

    with contextlib.chdir(cwd or ROOT):
        r = CliRunner().invoke(app, list(argv), env=env)
    return Ran(argv, r.exit_code, r.stdout, r.stderr, r.exception)


def small(n: int = 300, weeks: int = 30, burn_in: int = 10, **extra) -> Params:
    """A small, quick parameter set."""
    return Params.from_overrides(
        {"population.n_people": n, "run.weeks": weeks, "run.burn_in": burn_in, **extra}
    )


@pytest.fixture(scope="session")
def calibration_run():
    """The calibration-sized run: 2,000 target people, 104 weeks, seed 1."""
    return simulate(Params.from_overrides({"population.n_people": 2000, "run.weeks": 104}), seed=1)


# Debian's Chromium, as the browser tests launch it (Playwright's own download does not work
# here); the flags keep it from reaching for the network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Under CI (.ci/run sets it), a browser test that is skipped (no Chromium, no Playwright)
# fails instead: CI must not go green without loading the app in a browser. `make test`
# alone still skips them where Chromium could not be installed.
REQUIRE_BROWSER = "NETMOB_REQUIRE_BROWSER"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A skipped ``browser`` test is a failure when ``NETMOB_REQUIRE_BROWSER=1``."""
    report = yield
    required = os.environ.get(REQUIRE_BROWSER) == "1"
    if required and report.skipped and item.get_closest_marker("browser") is not None:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        report.outcome = "failed"
        report.longrepr = (
            f"{REQUIRE_BROWSER}=1 (CI): the browser tests must run, but this one was "
            f"skipped: {reason}"
        )
    return report


# A test that drives a browser or starts a Dask cluster carries the marker that lets
# `make check` leave it out. These words in its code, its fixtures' or the code of the
# functions of tests/ they call say that it does; a test that uses them unmarked fails.
USES = {
    "browser": ("sync_playwright", "chromium.launch"),
    "cluster": ("DaskBackend(", "LocalCluster(", "Client(", 'make_backend("dask"'),
}


def markers_needed(functions) -> set[str]:
    """The markers of :data:`USES` that ``functions`` need, and the functions they name
    from their own folder or ``tests/`` (the tests' helpers, followed to any depth)."""
    seen: set = set()
    todo = [inspect.unwrap(f) for f in functions if inspect.isfunction(f)]
    needed: set[str] = set()
    while todo:
        f = todo.pop()
        if f not in seen:
            seen.add(f)
            marks, called = _uses(f)
            needed |= marks
            todo.extend(called)
    return needed


@functools.cache
def _uses(f) -> tuple[frozenset[str], tuple]:
    """The markers ``f``'s own code needs, and the test helpers it names."""
    try:
        source = inspect.getsource(f)
    except Exception:  # no source to read (a file changed under a running suite): no words
        return frozenset(), ()
    marks = frozenset(m for m, words in USES.items() if any(w in source for w in words))
    codes, names = [f.__code__], set()
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if inspect.iscode(c))
    folders = {Path(__file__).parent, Path(f.__code__.co_filename).parent}
    called = [f.__globals__.get(name) for name in sorted(names)]
    called = [inspect.unwrap(g) for g in called if inspect.isfunction(g)]
    return marks, tuple(g for g in called if Path(g.__code__.co_filename).parent in folders)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test whose code drives a browser or starts a cluster without its marker fails
    before it starts (:data:`USES`)."""
    functions = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    for defs in info.name2fixturedefs.values() if info is not None else ():
        functions.extend(d.func for d in defs)
    missing = sorted(m for m in markers_needed(functions) if item.get_closest_marker(m) is None)
    if missing:
        pytest.fail(
            f"{item.nodeid} uses {' and '.join(missing)} (tests/conftest.py's USES) but is not "
            f"marked so: add @pytest.mark.{missing[0]}, so that make check leaves it out",
            pytrace=False,
        )


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where browser tests save their screenshots: a temporary folder, or ``docs/img/``
    (which the README shows) when ``NETMOB_SCREENSHOTS=1`` (``make screenshots``), so
    that a test run leaves the checkout as it found it."""
    if os.environ.get("NETMOB_SCREENSHOTS") == "1":
        folder = Path(__file__).resolve().parent.parent / "docs" / "img"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path
