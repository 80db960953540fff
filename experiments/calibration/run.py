"""Run a calibration into a folder: ABC-SMC, then its outputs and manifest.

The folder's ``manifest.json`` names the spec's digest: running the same command again
resumes an unfinished calibration (pyabc's database keeps every finished generation) or,
if it finished, only rewrites missing outputs; a folder holding another spec's
calibration is refused rather than mixed (so is one on another area: the area's content
is part of the digest). A spec that differs only in its budget
(generations, simulations, tolerance floor, predictive draws) continues the same
calibration: its generations are the same computations, so more generations extend it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from netmob.experiments import store
from netmob.experiments.backends import Backend
from netmob.experiments.calibration import abc, outputs
from netmob.experiments.calibration.simulator import Simulator
from netmob.experiments.calibration.spec import CalibrationSpec, sampling
from netmob.experiments.specfile import digest_of
from netmob.experiments.store import code_version, now
from netmob.sim.errors import InputError
from netmob.sim.io import write_json

MANIFEST = "manifest.json"


@dataclass
class Calibration:
    """What a finished calibration gives back to its caller."""

    out: Path
    ppc: pd.DataFrame
    manifest: dict


def calibrate(spec: CalibrationSpec, out: Path, backend: Backend) -> Calibration:
    """Run or resume ``spec`` in ``out`` on ``backend``."""
    out.mkdir(parents=True, exist_ok=True)
    before = _check_folder(spec, out)
    started = time.perf_counter()
    manifest = _manifest(spec, backend, before, status="running")
    write_json(manifest, out / MANIFEST)
    with backend.open():
        done = before.get("status") == "complete" and before.get("digest") == spec.digest()
        history = abc.stored(out) if done else abc.run(spec, out, backend)
        kept = before.get("posterior_generation", before.get("generations", 0) - 1)
        ppc, t = outputs.write_all(out, history, spec, backend, reuse=kept if done else None)
    wall = before.get("wall_seconds", 0.0) + time.perf_counter() - started
    manifest |= _speed(spec, history) | {
        "status": "complete",
        "finished": now(),
        "generations": history.max_t + 1,
        "posterior_generation": t,
        "simulations": int(history.total_nr_simulations),
        "ppc_simulations": spec.method.ppc_draws,
        "wall_seconds": round(wall, 1),
        "targets_inside": int(ppc["inside"].sum()),
        "targets_inside_repeat": int(ppc["inside_repeat"].sum()),
        "targets": len(ppc),
    }
    write_json(manifest, out / MANIFEST)
    return Calibration(out=out, ppc=ppc, manifest=manifest)


def _speed(spec: CalibrationSpec, history) -> dict:
    """Simulations per second over the generations' own wall times (pyabc records each
    generation's, so a killed and resumed session counts only what it finished), in
    parameter sets and in model runs (each set runs every study of the spec once)."""
    seconds = float(history.get_all_populations()["wall_time"].sum())
    runs = history.total_nr_simulations * len(Simulator(spec).runs)
    return {
        "sampling_seconds": round(seconds, 1),
        "model_runs": int(runs),
        "simulations_per_second": round(history.total_nr_simulations / max(seconds, 1e-9), 3),
        "model_runs_per_second": round(runs / max(seconds, 1e-9), 2),
    }


def _check_folder(spec: CalibrationSpec, out: Path) -> dict:
    """The folder's earlier manifest (empty if none); refuses another spec's folder."""
    path = out / MANIFEST
    if not path.exists():
        if (out / abc.DB).exists():
            raise InputError(
                "the folder holds a calibration without a manifest",
                field="--out",
                value=str(out),
                allowed="a new or empty folder",
            )
        return {}
    try:
        before = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(
            f"cannot read the folder's manifest: {err}",
            file=str(path),
            allowed="a new folder, or one netmob calibrate wrote",
        ) from None
    if not isinstance(before, dict) or not isinstance(before.get("definition", {}), dict):
        raise InputError(
            "not a netmob calibration manifest",
            file=str(path),
            allowed="a new folder, or one netmob calibrate wrote",
        )
    old = before.get("definition")
    same_sampling = old is not None and digest_of(sampling(old)) == spec.sampling_digest()
    if before.get("digest") != spec.digest() and not same_sampling:
        _check_area(spec, before, out)
        raise InputError(
            f"the folder holds a calibration of another spec ({before.get('spec')}, "
            f"digest {before.get('digest')}; this spec's is {spec.digest()})",
            field="--out",
            value=str(out),
            allowed="a new folder, or the same spec",
        )
    if before.get("generations", 0) > abc.abc_method(spec).generations:
        raise InputError(
            f"the folder holds {before['generations']} generations; this spec asks for "
            "fewer generations",
            field="method.generations",
            value=abc.abc_method(spec).generations,
            allowed=f"{before['generations']} or more, or a new folder",
        )
    return before


def _check_area(spec: CalibrationSpec, before: dict, out: Path) -> None:
    """Refuses, in the area's words, a folder that calibrated on another area (or none)."""
    old, new = (before.get("definition") or {}).get("area"), spec.area_record(folder=False)
    if old == new:
        return
    raise InputError(
        f"the folder holds a calibration on {_area_words(old)}; this one is on {_area_words(new)}",
        field="--out",
        value=str(out),
        allowed="a new folder, or the same area",
    )


def _area_words(area: dict | None) -> str:
    return f"area '{area['name']}' (digest {area['digest']})" if area else "no area"


def _manifest(
    spec: CalibrationSpec, backend: Backend, before: dict[str, Any], status: str
) -> dict[str, Any]:
    """The folder's manifest (:func:`netmob.experiments.store.manifest`), carrying over
    what an earlier session recorded. ``spec`` and ``digest`` repeat ``name`` and
    ``spec_hash`` under the names calibration folders have always used."""
    changed = bool(before) and before.get("digest") != spec.digest()
    return store.manifest(
        "calibration",
        spec.name,
        spec.definition(),
        created=before.get("created", before.get("started", now())),
        spec=spec.name,
        spec_file=spec.file,
        digest=spec.digest(),
        area=spec.area_record(),  # the area folder's provenance (None: no area)
        backend=backend.describe(),
        started=before.get("started", now()),
        resumed=bool(before),
        # every session that worked on the folder (the top-level fields are the last one's)
        sessions=before.get("sessions", [])
        + [{"started": now(), "code_version": code_version(), "backend": backend.describe()}],
        budget_changes=before.get("budget_changes", [])
        + (
            [{"at": now(), "from": before["definition"]["method"], "to": vars(spec.method)}]
            if changed
            else []
        ),
        status=status,
        wall_seconds=before.get("wall_seconds", 0.0),
    )
