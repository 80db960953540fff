"""A calibration by history matching, end to end, into a folder (``--method history``).

1. Waves of runs rule out the space that cannot fit the record (:mod:`.history`);
   ``waves.csv``, ``emulators.csv``.
2. The targets that no point meets together, found by the emulators and simulated to
   confirm (:mod:`.conflicts`); ``conflicts.csv``.
3. The posterior inside the space that remains: tempered sequential Monte Carlo on the
   last wave's emulators (:mod:`.smc`); ``posterior.parquet`` (the free parameters and
   ``weight``: at least 1,000 draws).
4. The checks (:mod:`.validation_checks`): the predictive check (posterior draws simulated afresh,
   ``ppc.csv``, ``ppc_draws.parquet``), simulation-based calibration (``sbc.csv``),
   recovery at random truths (``recovery.csv``), contraction (``contraction.csv``).

Every simulation is stored as it finishes (``sims/``), so running the same command again
after a kill runs only what is missing; emulators and posteriors are recomputed from the
stored runs (the same numbers: each fit and sampler is seeded from the spec's seed). A
folder holding another spec's calibration is refused.

``manifest.json`` records the spec (definition and digest), the code version, the
backend, every session, what was run (``simulations``, ``cpu_seconds_per_set``: the median
CPU seconds one parameter set took), and each check's result under ``checks``:
``emulators`` (every wave's emulators validated on held-out runs), ``posterior``
(draws and effective sample size), ``sbc``, ``recovery``, ``ppc`` and ``conflicts``,
each with ``passes`` and its figures. ``validated`` is true only when every check
passes; ``netmob compare``, ``region``, ``sweep`` and the app draw from a shipped
posterior only then (:mod:`.gate`). ``not_identified`` lists the parameters the
published record leaves where the prior had them (contraction below 0.2).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from netmob.experiments.backends import Backend
from netmob.experiments.calibration import conflicts, history, validation_checks
from netmob.experiments.calibration.emulators import Cube
from netmob.experiments.calibration.outputs import ppc_table, write_csv
from netmob.experiments.calibration.record import Record
from netmob.experiments.calibration.run import MANIFEST, Calibration, _manifest
from netmob.experiments.calibration.simulate import simulate
from netmob.experiments.calibration.simulator import Simulator
from netmob.experiments.calibration.smc import temper
from netmob.experiments.calibration.spec import CalibrationSpec, HistoryMethod
from netmob.experiments.specfile import digest_of
from netmob.experiments.store import now
from netmob.sim.errors import InputError
from netmob.sim.io import write_json, write_parquet

CONFLICT_POINTS = 20_000  # prior-wide points asked for conflicts


def calibrate_history(
    spec: CalibrationSpec, out: Path, backend: Backend, say=lambda text: None
) -> Calibration:
    """Run or resume ``spec`` (its method: history) in ``out`` on ``backend``; ``say``
    is told each step's progress in one line.

    Raises:
        InputError: for a folder holding another calibration.
        history.EmulatorsFailed: when a wave's emulators fail validation (the manifest
            says so; the finished runs are kept).
    """
    assert isinstance(spec.method, HistoryMethod)
    out.mkdir(parents=True, exist_ok=True)
    before = _check_folder(spec, out)
    started = time.perf_counter()
    manifest = _manifest(spec, backend, before, status="running") | {"method": "history"}
    write_json(manifest, out / MANIFEST)
    simulator = Simulator(spec)
    cube = Cube.of(spec.priors)
    record = Record.of(spec.fitted(), spec.method.discrepancy)
    m = history.Matching(cube=cube, record=record, cutoff=spec.method.cutoff)
    with backend.open():
        try:
            _waves(m, spec, simulator, out, backend, say)
        except history.EmulatorsFailed as err:
            write_csv(err.table, out / "emulators_failed.csv")
            _finish(manifest, out, started, before, status="stopped", stopped=str(err))
            raise
        say("conflicts: asking the emulators, then simulating what they find")
        found = conflicts.find(m, CONFLICT_POINTS, spec.seed)
        table = conflicts.confirm(m, found, simulator, spec.seed, out, backend)
        write_csv(table, out / "conflicts.csv")
        say("the posterior inside the space not ruled out")
        post_u, weights = _posterior(m, spec)
        post = _write_posterior(cube, post_u, weights, out)
        say(f"the predictive check: {spec.method.ppc_draws} posterior draws simulated")
        ppc = _predictive(spec, simulator, post, out, backend)
        say(f"simulation-based calibration: {spec.method.sbc_truths} synthetic truths")
        result = _checks(m, spec, simulator, out, backend, post_u, weights, ppc, table)
    manifest |= result
    manifest = _finish(manifest, out, started, before, status="complete")
    return Calibration(out=out, ppc=ppc, manifest=manifest)


def _waves(m, spec, simulator, out, backend, say) -> None:
    method = spec.method
    for k in range(1, method.waves + 1):
        n = method.first_wave if k == 1 else method.wave_runs
        say(f"wave {k}: {n} parameter sets")
        wave = history.run_wave(m, k, n, spec, simulator, out, backend)
        write_csv(history.waves_table(m), out / "waves.csv")
        write_csv(
            pd.concat([w.validation for w in m.waves], ignore_index=True), out / "emulators.csv"
        )
        say(
            f"wave {k}: {wave.share:.3g} of the prior's space not ruled out; emulators "
            f"validated ({wave.validation['within_3'].min():.0%} within +-3 at worst)"
        )
        if history.settled(m):
            break


def _posterior(m: history.Matching, spec) -> tuple[np.ndarray, np.ndarray]:
    """Tempered SMC on the last wave's emulators, from the pool, inside the space not
    ruled out (empty arrays when nothing is left)."""
    n, d = spec.method.particles, m.cube.dim
    if len(m.pool) < history.MIN_SURVIVORS:
        return np.zeros((0, d)), np.zeros(0)
    rng = np.random.default_rng([spec.seed, 73])
    start = m.pool
    if len(start) < n:
        start = history.refill(m, start, n, rng)
    start = start[rng.permutation(len(start))[:n]]
    last = m.waves[-1]

    def loglik(u: np.ndarray) -> np.ndarray:
        mean, var, rep = last.emulators.predict(u.reshape(-1, d))
        return m.record.log_likelihood(mean, var + rep).reshape(u.shape[:2])

    def inside(u: np.ndarray) -> np.ndarray:
        return m.allowed(u.reshape(-1, d)).reshape(u.shape[:2])

    fit = temper(loglik, inside, start[None, :, :], rng)
    return fit.u[0], fit.weights[0]


def _write_posterior(cube: Cube, u: np.ndarray, w: np.ndarray, out: Path) -> pd.DataFrame:
    post = cube.frame(u)
    post["weight"] = w
    write_parquet(post, out / "posterior.parquet")
    return post


def _predictive(spec, simulator, post: pd.DataFrame, out: Path, backend) -> pd.DataFrame:
    """``ppc_draws`` posterior draws by weight, each simulated once (stored, resumable);
    ``ppc_draws.parquet`` and ``ppc.csv``."""
    if post.empty:
        sims = pd.DataFrame({t.id: [] for t in spec.targets})
    else:
        rng = np.random.default_rng([spec.seed, 7])
        rows = rng.choice(len(post), size=spec.method.ppc_draws, p=post["weight"].to_numpy())
        names = [p.name for p in spec.priors]
        particles = [{n: float(post[n].iloc[r]) for n in names} for r in rows]
        sims = simulate(simulator, particles, "ppc", spec.seed, out, backend)
        write_parquet(sims, out / "ppc_draws.parquet")
    table = ppc_table(spec, sims)
    write_csv(table, out / "ppc.csv")
    return table


def _checks(m, spec, simulator, out, backend, post_u, weights, ppc, conflict_table) -> dict:
    """Every check, its files, and the manifest's record of them."""
    names = list(m.cube.names)
    first = m.wave_of == 1
    extra_n = max(0, spec.method.sbc_truths - int(first.sum()))
    extra_u = (
        history.latin(m.cube, extra_n, spec.seed, wave=99) if extra_n else np.zeros((0, m.cube.dim))
    )
    extra_y = np.zeros((0, len(m.record.ids)))
    if extra_n:
        sims = simulate(simulator, m.cube.particles(extra_u), "sbc", spec.seed, out, backend)
        extra_y = history.statistics(sims, m.record.ids)
    sbc_t, rec_t, sbc_summary = validation_checks.sbc(
        m.waves[0].emulators, m.record, names, m.u[first], m.y[first], extra_u, extra_y,
        spec.method.sbc_pool, spec.seed,
    )  # fmt: skip
    write_csv(sbc_t, out / "sbc.csv")
    write_csv(rec_t, out / "recovery.csv")
    ess = float(1.0 / (weights**2).sum()) if len(weights) else 0.0
    if len(post_u):
        contraction = validation_checks.contraction(names, post_u, weights)
        write_csv(contraction, out / "contraction.csv")
        not_identified = list(contraction.loc[~contraction["identified"], "parameter"])
    else:
        not_identified = names
    ppc_ok, ppc_why = validation_checks.ppc_passes(ppc, conflict_table)
    found = {
        "emulators": {
            "passes": all(bool(w.validation["passes"].all()) for w in m.waves),
            "waves": len(m.waves),
            "worst_within_3": float(min(w.validation["within_3"].min() for w in m.waves)),
        },
        "posterior": {
            "passes": validation_checks.posterior_passes(len(weights), ess, spec.method.min_ess),
            "draws": len(weights),
            "effective_sample_size": round(ess, 1),
            "min_draws": validation_checks.MIN_DRAWS,
            "min_ess": spec.method.min_ess,
        },
        "sbc": {
            "passes": bool(sbc_t["passes"].all()),
            "failing": list(sbc_t.loc[~sbc_t["passes"], "parameter"]),
            **sbc_summary,
        },
        "recovery": {
            "passes": validation_checks.recovery_passes(rec_t),
            "identified": int(rec_t["identified"].sum()),
            "not_recovered": list(
                rec_t.loc[rec_t["identified"] & ~rec_t["recovered"], "parameter"]
            ),
        },
        "ppc": {"passes": ppc_ok, "why": ppc_why},
        "conflicts": {
            "passes": True,  # reported, not a failure in itself: the ppc check reads them
            "found": len(conflict_table),
            "confirmed": int(conflict_table["confirmed"].sum()) if len(conflict_table) else 0,
        },
    }
    return {
        "waves": len(m.waves),
        "not_ruled_out": m.share,
        "simulations": _simulations(out),
        "cpu_seconds_per_set": _cpu_per_set(out),
        "targets": len(ppc),
        "targets_inside": int(ppc["inside"].sum()),
        "targets_inside_repeat": int(ppc["inside_repeat"].sum()),
        "checks": found,
        "validated": all(c["passes"] for c in found.values()),
        "not_identified": not_identified,
    }


def _simulations(out: Path) -> int:
    """Parameter sets simulated into ``out`` (every batch)."""
    parts = list((out / "sims").glob("*.parquet"))
    return int(sum(len(pd.read_parquet(p, columns=["key"])) for p in parts))


def _cpu_per_set(out: Path) -> float:
    """Median CPU seconds one parameter set took (every batch)."""
    tables = [pd.read_parquet(p) for p in (out / "sims").glob("*.parquet")]
    cpu = [t["cpu_seconds"] for t in tables if "cpu_seconds" in t]
    return round(float(pd.concat(cpu).median()), 2) if cpu else float("nan")


def _finish(manifest: dict, out: Path, started: float, before: dict, **fields) -> dict:
    wall = before.get("wall_seconds", 0.0) + time.perf_counter() - started
    manifest = manifest | fields | {"finished": now(), "wall_seconds": round(wall, 1)}
    manifest.setdefault("validated", False)
    write_json(manifest, out / MANIFEST)
    return manifest


def _check_folder(spec: CalibrationSpec, out: Path) -> dict:
    """The folder's earlier manifest (empty if none); refuses another spec's folder."""
    path = out / MANIFEST
    if not path.exists():
        return {}
    try:
        before = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(
            f"cannot read the folder's manifest: {err}",
            file=str(path),
            allowed="a new folder, or one netmob calibrate wrote",
        ) from None
    old = before.get("definition") if isinstance(before, dict) else None
    if not isinstance(old, dict) or before.get("method") != "history":
        raise InputError(
            "the folder holds another kind of calibration (not history matching)",
            field="--out",
            value=str(out),
            allowed="a new folder, or one netmob calibrate --method history wrote",
        )
    from netmob.experiments.calibration.spec import sampling

    if before.get("digest") != spec.digest() and digest_of(sampling(old)) != spec.sampling_digest():
        raise InputError(
            f"the folder holds a calibration of another spec ({before.get('spec')}, "
            f"digest {before.get('digest')}; this spec's is {spec.digest()})",
            field="--out",
            value=str(out),
            allowed="a new folder, or the same spec",
        )
    return before
