"""Scenario discovery: the conditions (ranges of factors) under which an outcome clears a
threshold, found by PRIM (the EMA Workbench's ``prim``), and said in plain words.

:func:`discover` works on any table of factors and an outcome: a sweep's runs
(``netmob discover``, :mod:`netmob.analysis.sweep_discover`), or later a region's areas.
A run *clears* the threshold when its outcome is strictly above (``above``) or below
(``below``) it. PRIM peels the factor space towards the runs that clear it, one box at a
time; each box's *peeling trajectory* trades coverage (the share of all the runs that
clear it which fall in the box) against density (the share of the box's runs that clear
it). On each trajectory the box kept is:

- with ``min_density``: the one with the highest coverage among those at least that dense
  (the densest, if none is);
- else the one with the highest ``coverage * lift``, where lift is how far the box's
  density goes from the share that clears it outside earlier boxes (0) to all (1): the
  whole space scores 0, a box of only runs that clear it scores its coverage.

A box is kept only if it restricts some factor, is denser than the runs it was found
in, and each of its limits passes EMA's quasi-p test (Bryant and Lempert 2010: a
one-sided binomial test, below ``SIGNIFICANCE``). After a box, PRIM looks again in the
runs outside it, up to ``boxes`` boxes, stopping at the first box not kept. Each box's
runs, density and coverage are then counted over *all* the runs (so a later box may
overlap an earlier one), and a box no denser than all the runs together is dropped.

Examples:
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(3)
    >>> x = pd.DataFrame({"a": rng.uniform(size=400), "b": rng.uniform(size=400)})
    >>> x["y"] = (x["a"] < 0.4).astype(float)
    >>> found = discover(x, ["a", "b"], "y", above=0.5)
    >>> found.boxes.loc[0, "restricted"], round(float(found.boxes.loc[0, "hi.a"]), 2)
    ('a', 0.4)
    >>> found.sentences[0]
    'Y is above 0.5 in 99% of runs where a is at most 0.401 (153 runs), which hold 100% of the 152 runs where it is above 0.5.'
"""

from __future__ import annotations

import math
import textwrap
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netmob.analysis.figures import PALETTE, figure, style
from netmob.experiments.names import ema_name
from netmob.sim.errors import InputError

BOXES = 3  # boxes looked for at most
SIGNIFICANCE = 0.05  # a box is kept only if each of its limits' quasi-p-values is below
COUNTS = ("runs", "clear", "density", "coverage")  # each box's, over all the runs
LO, HI, IN = "lo.", "hi.", "in."  # discover.csv: a numeric factor's limits, a choice's values


@dataclass
class Discovery:
    """What :func:`discover` found.

    ``boxes``: one row per box: ``box`` (1, 2, ...), ``runs`` in it, ``clear`` (its runs
    that clear the threshold), ``density``, ``coverage``, ``quasi_p`` (the largest of its
    limits' quasi-p-values), ``restricted`` (the factors it restricts, comma-separated),
    ``sentence``, then each factor's limits (moved in to the values its runs have): ``lo.F`` and
    ``hi.F`` for a number, ``in.F`` (values joined by ``|``) for a choice or a switch.
    ``trajectories``: each box's peeling trajectory (``coverage``, ``density``, ``mass``,
    ``res_dim``, ``n``) with ``kept`` marking the box kept.
    """

    outcome: str
    label: str
    direction: str  # "above" or "below"
    threshold: float
    factors: list[str]
    runs: int  # runs with a value of the outcome
    clear: int  # of those, runs that clear the threshold
    boxes: pd.DataFrame
    trajectories: list[pd.DataFrame] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)

    def question(self) -> str:
        """The question in words: ``where is swemwbs_mean above 25?``"""
        return f"Where {self.label} {verb(self.direction, self.threshold)}"


def discover(
    frame: pd.DataFrame,
    factors: list[str],
    outcome: str,
    *,
    above: float | None = None,
    below: float | None = None,
    boxes: int = BOXES,
    min_density: float | None = None,
    label: str | None = None,
) -> Discovery:
    """Boxes of ``factors`` where ``outcome`` is above ``above`` (or below ``below``).

    Args:
        frame: One row per run (or area): the factors and the outcome. Rows without a
            value of the outcome are left out (the caller says how many).
        factors: The columns PRIM may restrict: numbers, switches or choices.
        outcome: The outcome column.
        above: The threshold a row clears by being above it (give this or ``below``).
        below: The threshold a row clears by being below it.
        boxes: Boxes to look for at most.
        min_density: Keep, on each trajectory, the box with the most coverage among those
            with at least this density (None: the best coverage times lift).
        label: The outcome in the sentences (default its column name).

    Raises:
        InputError: for a missing column, both or neither threshold, or a threshold that
            no row or every row clears.
    """
    direction, threshold = _threshold(above, below)
    missing = [c for c in [*factors, outcome] if c not in frame.columns]
    if missing:
        raise InputError(
            "no such column", value=missing, allowed=", ".join(map(str, frame.columns))
        )
    if boxes < 1:
        raise InputError("must be 1 or more", field="--boxes", value=boxes)
    if min_density is not None and not 0 < min_density <= 1:
        raise InputError("a share", field="--min-density", value=min_density, allowed="0 to 1")
    data = frame[frame[outcome].notna()].reset_index(drop=True)
    values = data[outcome].astype(float)
    y = (values > threshold) if direction == "above" else (values < threshold)
    _check_split(values, int(y.sum()), direction, threshold)
    x = data[factors]
    label = label or outcome
    found = _peel(x, y.to_numpy(int), boxes, min_density)
    rows = []
    kept = []
    for limits, trajectory in found:
        inside = in_box(x, limits)
        if not inside.any() or y[inside].mean() <= y.mean():
            break  # no better than the runs as a whole
        limits.update(observed(x[inside], limits))
        kept.append((limits, trajectory))
        rows.append(
            {
                "box": len(kept),
                "runs": int(inside.sum()),
                "clear": int((inside & y).sum()),
                "density": float(y[inside].mean()),
                "coverage": float((inside & y).sum() / y.sum()),
                "quasi_p": float(trajectory["quasi_p"].iloc[0]),
                "restricted": ", ".join(restricted(x, limits)),
                **limit_columns(x, limits),
            }
        )
    found = kept
    columns = None if rows else ["box", *COUNTS, "quasi_p", "restricted"]
    table = pd.DataFrame(rows, columns=columns)
    result = Discovery(
        outcome=outcome,
        label=label,
        direction=direction,
        threshold=threshold,
        factors=list(factors),
        runs=len(data),
        clear=int(y.sum()),
        boxes=table,
        trajectories=[t for _, t in found],
    )
    result.sentences = [sentence(result, row, found[i][0]) for i, row in table.iterrows()]
    table.insert(table.columns.get_loc("restricted") + 1, "sentence", result.sentences)
    return result


def _threshold(above: float | None, below: float | None) -> tuple[str, float]:
    if (above is None) == (below is None):
        raise InputError(
            "give one threshold", field="--above/--below", allowed="--above X or --below X"
        )
    direction, value = ("above", above) if above is not None else ("below", below)
    if not math.isfinite(value):
        raise InputError("not a number", field=f"--{direction}", value=value)
    return direction, float(value)


def _check_split(values: pd.Series, clear: int, direction: str, threshold: float) -> None:
    """Stop unless some runs clear the threshold and some do not."""
    if len(values) == 0:
        raise InputError("no run has a value of the outcome", field="--outcome")
    if 0 < clear < len(values):
        return
    who = "no run" if clear == 0 else "every run"
    raise InputError(
        f"{who} of {len(values)} is {direction} {exact(threshold)}, so there is nothing to tell "
        "apart",
        field=f"--{direction}",
        value=threshold,
        allowed=f"a threshold within the outcome's range, {exact(values.min())} to "
        f"{exact(values.max())}",
    )


def _peel(
    x: pd.DataFrame, y: np.ndarray, boxes: int, min_density: float | None
) -> list[tuple[dict, pd.DataFrame]]:
    """PRIM's boxes: each one's limits (restricted factors only, by netmob's names) and
    its peeling trajectory."""
    with warnings.catch_warnings():  # it says once that ipyparallel is not installed
        warnings.simplefilter("ignore", UserWarning)
        # imported here: the EMA Workbench takes seconds to import, and only PRIM needs it
        from ema_workbench.analysis import prim

    names = {ema_name(c): c for c in x.columns}  # the adapter's names: identifiers
    ema_x = x.rename(columns={v: k for k, v in names.items()})
    for c in ema_x.columns:
        if ema_x[c].dtype == bool:
            ema_x[c] = ema_x[c].astype(str)  # a switch: PRIM's categories True, False
    with warnings.catch_warnings():  # EMA 3.0 on pandas 3: drop(inplace=True) deprecated
        warnings.filterwarnings("ignore", message="The inplace keyword")
        finder = prim.Prim(ema_x, y)
    out = []
    for _ in range(boxes):
        box = finder.find_box()
        if box is None:
            break
        trajectory = box.peeling_trajectory.copy()
        kept = choose(trajectory, min_density)
        box.select(kept)
        trajectory["kept"] = trajectory.index == kept
        limits = _limits(box.box_lims[kept], finder.box_init, names, x)
        worst = quasi_p(box.p_values[kept])
        lift = _lift(trajectory.loc[kept], trajectory["density"].iloc[0])
        if not limits or lift <= 0 or worst > SIGNIFICANCE:
            break
        out.append((limits, trajectory.assign(quasi_p=worst)))
    return out


def quasi_p(p_values: dict) -> float:
    """The largest of a box's quasi-p-values (EMA's, Bryant and Lempert 2010: a one-sided
    binomial test of each limit; -1 where a factor is not limited).

    Examples:
        >>> quasi_p({"a": [-1, 0.001], "b": [0.03, -1]})
        0.03
    """
    values = [float(v) for pair in p_values.values() for v in pair if v >= 0]
    return max(values, default=0.0)


def choose(trajectory: pd.DataFrame, min_density: float | None = None) -> int:
    """The index of the box kept from a peeling trajectory (see the module's docstring).

    Examples:
        >>> t = pd.DataFrame({"coverage": [1.0, 0.8, 0.5], "density": [0.2, 0.7, 0.9]})
        >>> choose(t), choose(t, min_density=0.85)
        (1, 2)
    """
    if min_density is not None:
        dense = trajectory[trajectory["density"] >= min_density]
        if dense.empty:
            return int(trajectory["density"].idxmax())
        return int(dense["coverage"].idxmax())
    base = trajectory["density"].iloc[0]
    score = trajectory.apply(lambda r: _lift(r, base), axis=1) * trajectory["coverage"]
    return int(score.idxmax())


def _lift(row: pd.Series, base: float) -> float:
    return (row["density"] - base) / (1 - base) if base < 1 else 0.0


def _limits(lims: pd.DataFrame, init: pd.DataFrame, names: dict, x: pd.DataFrame) -> dict:
    """{factor: (lo, hi) or a set of values} for each factor the box restricts; an end it
    leaves where the data end is None."""
    out = {}
    for col in lims.columns:
        factor, lo, hi = names[col], lims[col].iloc[0], lims[col].iloc[1]
        first, last = init[col].iloc[0], init[col].iloc[1]
        if isinstance(lo, set):
            if lo != first:
                out[factor] = {v for v in x[factor].unique() if str(v) in {str(s) for s in lo}}
        elif lo != first or hi != last:
            out[factor] = (_plain(lo) if lo != first else None, _plain(hi) if hi != last else None)
    return out


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def in_box(x: pd.DataFrame, limits: dict) -> pd.Series:
    """Which rows of ``x`` fall in the box (limits inclusive; None: no limit)."""
    inside = pd.Series(True, index=x.index)
    for factor, lim in limits.items():
        if isinstance(lim, set):
            inside &= x[factor].isin(lim)
            continue
        lo, hi = lim
        if lo is not None:
            inside &= x[factor] >= lo
        if hi is not None:
            inside &= x[factor] <= hi
    return inside


def observed(inside: pd.DataFrame, limits: dict) -> dict:
    """A box's numeric limits moved in to the values its runs have (PRIM's may fall
    between a grid's levels): the same runs, said with values that were run."""
    out = {}
    for factor, lim in limits.items():
        if isinstance(lim, tuple) and len(inside):
            lo, hi = lim
            values = inside[factor]
            out[factor] = (
                None if lo is None else _plain(values.min()),
                None if hi is None else _plain(values.max()),
            )
    return out


def restricted(x: pd.DataFrame, limits: dict) -> list[str]:
    """The factors a box restricts, in the table's order."""
    return [c for c in x.columns if c in limits]


def limit_columns(x: pd.DataFrame, limits: dict) -> dict:
    """Every factor's limits in the box (a factor it leaves free: its whole range)."""
    out = {}
    for c in x.columns:
        lim = limits.get(c)
        if _is_number(x[c]):
            lo, hi = lim if lim is not None else (None, None)
            out[LO + c] = _plain(x[c].min()) if lo is None else lo
            out[HI + c] = _plain(x[c].max()) if hi is None else hi
        else:
            kept = lim if lim is not None else set(x[c].unique())
            out[IN + c] = "|".join(sorted(map(str, kept)))
    return out


def _is_number(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and col.dtype != bool


# Words --------------------------------------------------------------------------------


def fmt(v) -> str:
    """A number for people: ``20,000``, ``1.25``, ``0.0312``.

    Examples:
        >>> fmt(20000.0), fmt(1.25), fmt(3), fmt(0.03124)
        ('20,000', '1.25', '3', '0.0312')
    """
    if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number):
        return str(v)
    if float(v).is_integer() and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def exact(v: float) -> str:
    """A number as given (a threshold): ``20,000``, ``24.405``."""
    return f"{v:,.6g}"


def verb(direction: str, threshold: float) -> str:
    """``is above 25``; at zero, ``is positive`` or ``is negative``."""
    if threshold == 0:
        return "is positive" if direction == "above" else "is negative"
    return f"is {direction} {exact(threshold)}"


def condition(factor: str, lim) -> str:
    """One factor's limits in words.

    Examples:
        >>> condition("attendance.barrier_scale", (None, 1.2))
        'attendance.barrier_scale is at most 1.2'
        >>> condition("workers", (3, None)), condition("pathways.nudge", {True})
        ('workers is at least 3', 'pathways.nudge is on')
    """
    if isinstance(lim, set):
        values = sorted(lim, key=str)
        if len(values) == 1 and isinstance(values[0], bool | np.bool_):
            return f"{factor} is {'on' if values[0] else 'off'}"
        return f"{factor} is {' or '.join(map(str, values))}"
    lo, hi = lim
    if lo is None:
        return f"{factor} is at most {fmt(hi)}"
    if hi is None:
        return f"{factor} is at least {fmt(lo)}"
    return f"{factor} is between {fmt(lo)} and {fmt(hi)}"


def sentence(result: Discovery, row: pd.Series, limits: dict) -> str:
    """One box in plain words: how often the outcome clears the threshold in the box, where
    the box is, and how much of all the runs that clear it the box holds."""
    parts = [condition(f, limits[f]) for f in result.factors if f in limits]
    where = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    does = verb(result.direction, result.threshold)
    return (
        f"{result.label[:1].upper()}{result.label[1:]} {does} in {row['density']:.0%} of runs where {where} "
        f"({row['runs']} runs), which hold {row['coverage']:.0%} of the {result.clear} runs "
        f"where it {does}."
    )


# Figure -------------------------------------------------------------------------------


def trajectory_figure(result: Discovery):
    """Each box's peeling trajectory, coverage against density, the box kept marked."""
    fig, ax = figure(width=5.5, height=4.2)
    for i, t in enumerate(result.trajectories):
        colour = PALETTE[i % len(PALETTE)]
        ax.plot(t["coverage"], t["density"], ".-", color=colour, lw=1, ms=4, label=f"box {i + 1}")
        kept = t[t["kept"]]
        ax.plot(kept["coverage"], kept["density"], "*", color=colour, ms=14, mec="black")
        ax.annotate(
            f"box {i + 1}",
            (kept["coverage"].iloc[0], kept["density"].iloc[0]),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=8,
        )
    share = result.clear / result.runs
    ax.axhline(share, color="#888", lw=0.8, ls="--", label=f"all runs ({share:.0%})")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    style(
        ax,
        textwrap.fill(f"{result.question()}? PRIM's peeling trajectories", 70),
        "coverage (share of the runs that clear it, in the box)",
        "density (share of the box's runs that clear it)",
    )
    ax.legend(fontsize=8, loc="lower left")
    return fig
