"""A normal (not editable) install works: the wheel holds one ``netmob`` namespace with its
YAML files, and the installed ``netmob`` runs from a folder outside the checkout.

The wheel is built from this checkout and installed, without its dependencies, into a new
virtual environment that borrows the test environment's installed dependencies through a
``.pth`` line (a directory added that way has its own ``.pth`` files ignored, so the
checkout's editable install does not come along).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "netmob"  # setuptools writes build/ in-tree
    skip = (".venv", ".git", "build", "results", "__pycache__", "*.egg-info", "node_modules")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*skip))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--wheel-dir", str(out), str(source)],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    (path,) = out.glob("netmob-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh environment with the wheel installed; returns its ``bin`` folder."""
    env_dir = tmp_path_factory.mktemp("env")
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]  # this environment's dependencies
    Path(site, "_netmob_test_deps.pth").write_text(deps + "\n")
    subprocess.run(
        [py, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    return env_dir / "bin"


def test_the_wheel_holds_one_namespace_and_its_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("netmob-")}
    assert tops == {"netmob"}
    for expected in (
        "netmob/scenarios/genie.yaml",
        "netmob/scenarios/README.md",
        "netmob/experiments/pathways.yaml",
        "netmob/experiments/uncertainty/assumptions.yaml",
        "netmob/sim/params.py",
        "netmob/app/page.py",
        "netmob/cli/main.py",
    ):
        assert expected in names, expected
    assert not any(n.startswith(("sim/", "experiments/", "analysis/")) for n in names)


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NETMOB_SCENARIOS")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(bin_dir / "netmob"), *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_installed_netmob_runs_outside_the_checkout(installed, tmp_path):
    where = subprocess.run(
        [installed / "python", "-c", "import netmob.sim.params as m; print(m.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed.parent) in where and str(ROOT) not in where
    listed = run(installed, "scenarios", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "genie" in listed.stdout and "connecting_people" in listed.stdout
    compared = run(
        installed,
        "compare",
        "baseline",
        "genie",
        "--people",
        "120",
        "--weeks",
        "4",
        "--replicates",
        "2",
        "--out",
        "out",
        cwd=tmp_path,
    )
    assert compared.returncode == 0, compared.stderr[-2000:]
    assert (tmp_path / "out" / "report.html").stat().st_size > 10_000
    assert (tmp_path / "out" / "effects.csv").read_text().count("genie") > 10
