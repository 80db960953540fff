"""Helpers for the sweep tests: tiny specs, a serial backend, the CLI, checks of a directory."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from tests.conftest import netmob  # noqa: F401 (the one CLI helper, also imported from here)

ROOT = Path(__file__).resolve().parent.parent

TINY: dict[str, Any] = {
    "name": "tiny",
    "description": "A tiny sweep for tests.",
    "base": "genie",
    "params": {"population.n_people": 80, "run.weeks": 4, "run.burn_in": 1},
    "vary": {
        "pathways.nudge": [False, True],
        "attendance.barrier_scale": [0.5, 1.5],
    },
    "design": "grid",
    "replicates": 2,
    "seed": 7,
    "outcomes": ["swemwbs_mean", "support_received_mean", "new_ties_nudge_total"],
}
OUTCOMES = ["swemwbs_mean", "support_received_mean", "new_ties_nudge_total"]


def write_spec(folder: Path, name: str = "spec.yaml", **changes: Any) -> Path:
    """The tiny spec with ``changes`` (a value of None removes the key), as a YAML file."""
    doc = {**TINY, **changes}
    doc = {k: v for k, v in doc.items() if v is not None}
    path = folder / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


class SerialBackend:
    """Runs items one after another in this process (fast for unit tests; the EMA
    Workbench's sequential evaluator)."""

    name = "serial"
    workers = 1

    def describe(self) -> str:
        return "serial"

    @contextlib.contextmanager
    def open(self) -> Iterator[SerialBackend]:
        yield self

    def map_unordered(self, fn: Callable, items: Iterable) -> Iterator[tuple[Any, Any]]:
        for item in items:
            yield item, fn(item)


def check_directory(out: Path) -> None:
    """Every file of a sweep directory is whole: Parquet and JSON read, no temporary files."""
    assert not list(out.rglob("*.tmp")), list(out.rglob("*.tmp"))
    for path in out.rglob("*.parquet"):
        pd.read_parquet(path)
    json.loads((out / "manifest.json").read_text())


def raw_run_ids(out: Path) -> list[int]:
    """Run ids in every runs chunk on disk, duplicates kept."""
    return [
        i
        for p in sorted((out / "runs").glob("part-*.parquet"))
        for i in pd.read_parquet(p, columns=["run_id"])["run_id"]
    ]
