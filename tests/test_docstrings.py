"""The examples in docstrings run and give what they say (every module with ``>>>``)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    ".".join(("netmob", *p.relative_to(ROOT).with_suffix("").parts))
    for pkg in ("sim", "experiments", "analysis", "app", "cli")
    for p in (ROOT / pkg).rglob("*.py")
    if ">>>" in p.read_text()
)


def test_modules_with_examples_are_found():
    assert {"netmob.sim.model", "netmob.experiments.economics", "netmob.experiments.design"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} example(s) in {name} failed (see output above)"
