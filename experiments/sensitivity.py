"""Sensitivity indices with SALib: Sobol (first and total order) or Morris (elementary
effects), from a sweep whose design was ``sobol`` or ``morris``.

:func:`indices` works on any sample and output (it is checked on the Ishigami function,
apart from the model); :func:`sweep_indices` takes them from a sweep directory, averaging
each design point's replicates.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.design import UNIT, problem
from experiments.spec import Factor
from experiments.store import DESIGN, load_results, read_manifest
from experiments.worker import OK
from sim.errors import InputError

ANALYSED = ("sobol", "morris")


def indices(
    names: list[str],
    kind: str,
    unit: np.ndarray,
    y: np.ndarray,
    *,
    second_order: bool = False,
    levels: int = 4,
    seed: int = 1,
) -> pd.DataFrame:
    """Sensitivity indices of output ``y`` to the inputs of a SALib sample.

    Args:
        names: The inputs, in the sample's column order.
        kind: ``sobol`` (Saltelli sample) or ``morris`` (trajectories).
        unit: The sample in the unit cube, rows in the order SALib drew them.
        y: The output for each row of ``unit``.
        second_order: Whether the Sobol sample holds second-order cross-samples.
        levels: The Morris grid levels the sample was drawn with.
        seed: Seed of the bootstrap of the confidence intervals.

    Returns:
        One row per input: ``S1, S1_conf, ST, ST_conf`` (Sobol) or
        ``mu, mu_star, sigma, mu_star_conf`` (Morris); ``*_conf`` are half-widths of
        95% bootstrap intervals.
    """
    prob = problem([Factor(name=n, lo=0.0, hi=1.0) for n in names])
    y = np.asarray(y, dtype=float)
    if kind == "sobol":
        from SALib.analyze import sobol

        si = sobol.analyze(prob, y, calc_second_order=second_order, seed=seed)
        cols = ["S1", "S1_conf", "ST", "ST_conf"]
    elif kind == "morris":
        from SALib.analyze import morris

        si = morris.analyze(prob, np.asarray(unit, dtype=float), y, num_levels=levels, seed=seed)
        cols = ["mu", "mu_star", "sigma", "mu_star_conf"]
    else:
        raise ValueError(f"no indices for a {kind} design; allowed: {', '.join(ANALYSED)}")
    return pd.DataFrame({"parameter": names, **{c: np.asarray(si[c], dtype=float) for c in cols}})


def sweep_indices(root: str | Path, outcome: str, seed: int = 1) -> pd.DataFrame:
    """Sensitivity indices of ``outcome`` from the sweep in ``root``.

    Raises:
        InputError: if the sweep's design is not Sobol or Morris, the outcome is not in
            it, or some design point has no finished run.
    """
    root = Path(root)
    manifest = read_manifest(root)
    kind = manifest["design"]
    if kind not in ANALYSED:
        raise InputError(
            "sensitivity indices need a sweep with a sobol or morris design",
            file=str(root / "manifest.json"),
            field="design",
            value=kind,
            allowed="a spec with design: {kind: sobol, ...} or {kind: morris, ...}",
        )
    y = point_means(root, outcome, manifest["points"])
    design = pd.read_parquet(root / DESIGN).sort_values("point")
    names = manifest["factors"]
    unit = design[[f"{UNIT}{n}" for n in names]].to_numpy()
    spec_design = manifest["definition"]["design"]
    return indices(
        names,
        kind,
        unit,
        y,
        second_order=bool(spec_design.get("second_order")),
        levels=spec_design.get("levels") or 4,
        seed=seed,
    )


def point_means(root: Path, outcome: str, points: int) -> np.ndarray:
    """The outcome's mean over replicates at each design point, in point order."""
    results = load_results(root)
    ok = results[results["status"] == OK]
    known = [c for c in results.columns if c not in _NOT_OUTCOMES and c not in _factors(root)]
    if outcome not in ok.columns or ok[outcome].isna().all():
        raise InputError(
            "the sweep has no such outcome",
            field="--outcome",
            value=outcome,
            allowed=", ".join(sorted(known)) or "none yet: the sweep has no finished runs",
        )
    y = ok.groupby("point")[outcome].mean().reindex(range(points))
    if y.isna().any():
        gaps = y.index[y.isna()].tolist()
        raise InputError(
            f"{len(gaps)} of {points} design points have no finished run with this outcome "
            f"(e.g. point {gaps[0]}); the indices need them all",
            field="--outcome",
            value=outcome,
            allowed="a finished sweep: run `netmob sweep` again (--retry-failed for failures)",
        )
    return y.to_numpy(dtype=float)


_NOT_OUTCOMES = {
    "run_id",
    "point",
    "replicate",
    "seed",
    "status",
    "error",
    "traceback",
    "model_seconds",
    "run_seconds",
    "chunk",
}


def _factors(root: Path) -> list[str]:
    return read_manifest(root)["factors"]


def figure(table: pd.DataFrame, outcome: str):
    """Bars of the indices with their intervals (Sobol), or mu* against sigma (Morris)."""
    from analysis.figures import PALETTE, style
    from analysis.figures import figure as new_figure

    fig, ax = new_figure(width=7, height=0.5 * len(table) + 1.8)
    y = np.arange(len(table))
    if "S1" in table:
        for i, (col, label) in enumerate([("S1", "first order"), ("ST", "total")]):
            ax.barh(
                y + (i - 0.5) * 0.38,
                table[col],
                height=0.36,
                xerr=table[f"{col}_conf"],
                color=PALETTE[i],
                label=label,
                capsize=2,
            )
        style(ax, f"Sobol indices of {outcome}", "index", "")
    else:
        ax.barh(
            y,
            table["mu_star"],
            xerr=table["mu_star_conf"],
            color=PALETTE[0],
            capsize=2,
            label="mu* (mean |elementary effect|)",
        )
        ax.plot(
            table["sigma"], y, "o", color=PALETTE[1], label="sigma (interactions, non-linearity)"
        )
        style(ax, f"Morris screening of {outcome}", "change in the outcome across the range", "")
    ax.set_yticks(y, table["parameter"])
    ax.invert_yaxis()
    ax.legend(fontsize=8, loc="lower right")
    return fig
