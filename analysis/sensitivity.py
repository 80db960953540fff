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

from netmob.experiments.design import UNIT, problem
from netmob.experiments.records import OK
from netmob.experiments.store import load_results, read_design, read_manifest
from netmob.sim.errors import InputError

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
    prob = problem(names)
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


def sweep_indices(
    root: str | Path, outcome: str, seed: int = 1, results: pd.DataFrame | None = None
) -> pd.DataFrame:
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
    y = point_means(root, outcome, manifest["points"], results)
    design = read_design(root).sort_values("point")
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


def point_means(
    root: Path, outcome: str, points: int, results: pd.DataFrame | None = None
) -> np.ndarray:
    """The outcome's mean over replicates at each design point, in point order
    (``results``: the sweep's table, if already loaded)."""
    results = load_results(root) if results is None else results
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
    from netmob.analysis.figures import PALETTE, style
    from netmob.analysis.figures import figure as new_figure

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


def sweep_outcomes(root: str | Path, results: pd.DataFrame | None = None) -> list[str]:
    """The outcomes a sweep holds (numeric, with at least one finished value), in the
    order its spec lists them (``results``: the sweep's table, if already loaded)."""
    root = Path(root)
    results = load_results(root) if results is None else results
    ok = results[results["status"] == OK] if "status" in results else results.iloc[:0]
    skip = _NOT_OUTCOMES | set(_factors(root))
    held = [c for c in ok.select_dtypes("number").columns if c not in skip and ok[c].notna().any()]
    listed = read_manifest(root).get("outcomes") or []
    return [c for c in listed if c in held] + [c for c in held if c not in listed]


def all_indices(root: str | Path, outcomes: list[str]) -> pd.DataFrame:
    """Each outcome's indices, stacked: one row per outcome and parameter."""
    results = load_results(root)  # read once for every outcome
    parts = [sweep_indices(root, o, results=results).assign(outcome=o) for o in outcomes]
    long = pd.concat(parts, ignore_index=True)
    return long[["outcome", *[c for c in long.columns if c != "outcome"]]]


def main_index(long: pd.DataFrame) -> str:
    """The index that ranks parameters: the total-order index (Sobol) or mu* (Morris)."""
    return "ST" if "ST" in long else "mu_star"


def overview(long: pd.DataFrame) -> pd.DataFrame:
    """Parameters by outcomes of the ranking index; Morris mu* is divided by each
    outcome's largest, so that outcomes in different units share a scale."""
    col = main_index(long)
    wide = long.pivot(index="parameter", columns="outcome", values=col)
    wide = wide.reindex(index=long["parameter"].unique(), columns=long["outcome"].unique())
    if col == "mu_star":
        wide = wide / wide.abs().max().replace(0, np.nan)
    return wide


def overview_figure(long: pd.DataFrame):
    """A heat map of :func:`overview`, each cell labelled with its value."""
    from netmob.analysis.figures import figure as new_figure
    from netmob.analysis.figures import style

    wide = overview(long)
    fig, ax = new_figure(width=1.0 * wide.shape[1] + 3.2, height=0.45 * wide.shape[0] + 2.4)
    values = wide.to_numpy(float)
    ax.imshow(np.clip(values, 0, 1), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            colour = "white" if v > 0.6 else "black"
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color=colour)
    ax.set_xticks(range(wide.shape[1]), wide.columns, rotation=40, ha="right", fontsize=7)
    ax.set_yticks(range(wide.shape[0]), wide.index, fontsize=8)
    label = "total-order Sobol index" if main_index(long) == "ST" else "mu* / largest mu*"
    style(ax, f"Which parameters drive which outcomes ({label})", "", "")
    ax.grid(False)
    return fig
