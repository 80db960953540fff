"""A report for any sweep (a grid, a Latin hypercube, a Sobol or Morris design): each
outcome against each factor, which factors move it (partial rank correlation, corrected for
testing every factor), and where it is high (PRIM), as one HTML page and CSV tables.

``netmob sweep-report DIR`` writes the pathway report (:mod:`netmob.analysis.pathways`)
for a sweep that crosses the two pathway switches, and this one for any other.

- ``effects.csv``: per outcome and factor level (a grid's level, or a fifth of a sampled
  factor's range), the mean outcome over the finished runs with a 95% interval;
- ``drivers.csv``: per outcome and factor, the partial rank correlation over runs (rank
  correlation with the outcome once the other factors are held fixed), its p-value and the
  p-value after Holm's correction for the factors tested
  (:func:`netmob.analysis.uncertainty.drivers`);
- ``where.csv``: per outcome, PRIM's boxes of the factors where the outcome is above its
  median over the runs (:func:`netmob.analysis.discover.discover`), where it fits: 10 or
  more finished runs and a split to find.
"""

from __future__ import annotations

import html as html_
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netmob.analysis.figures import PALETTE, figure, img_tag, style
from netmob.analysis.html import page, paragraph, section, table
from netmob.analysis.uncertainty import drivers
from netmob.experiments.records import OK
from netmob.experiments.stats import mean_ci
from netmob.experiments.store import load_results, read_manifest, status
from netmob.sim.errors import InputError
from netmob.sim.io import write_text

BINS = 5  # a sampled factor's range in fifths for the effects table and figure
MIN_PRIM_RUNS = 10
MAX_OUTCOMES = 8  # outcomes shown in the page (every one is in the CSVs)


def outcomes_of(runs: pd.DataFrame, manifest: dict[str, Any]) -> list[str]:
    """The sweep's outcomes that vary over its finished runs."""
    kept = manifest.get("outcomes")
    names = kept if isinstance(kept, list) else list(runs.select_dtypes("number").columns)
    skip = {"run_id", "point", "replicate", "seed", "chunk", "model_seconds", "run_seconds"}
    return [
        n for n in names
        if n in runs and n not in skip and runs[n].notna().sum() > 1 and runs[n].nunique() > 1
    ]  # fmt: skip


def levels(runs: pd.DataFrame, factor: str) -> pd.Series:
    """Each run's level of ``factor``: its value (a grid, a switch, a choice), or the fifth
    of the range it falls in (a sampled number)."""
    col = runs[factor]
    numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
    if not numeric or col.nunique() <= BINS:
        return col.astype(str) if not numeric else col
    edges = np.linspace(col.min(), col.max(), BINS + 1)
    mid = (edges[:-1] + edges[1:]) / 2
    idx = np.clip(np.searchsorted(edges, col, side="right") - 1, 0, BINS - 1)
    return pd.Series(mid[idx], index=col.index)


def effects(runs: pd.DataFrame, factors: list[str], outcomes: list[str]) -> pd.DataFrame:
    """Mean outcome with a 95% interval per factor level (the other factors pooled)."""
    rows = []
    for o in outcomes:
        for f in factors:
            for level, g in runs.groupby(levels(runs, f), sort=True):
                r = mean_ci(g[o])
                rows.append(
                    {"outcome": o, "factor": f, "level": level, "mean": r["mean"],
                     "ci_low": r["lo"], "ci_high": r["hi"], "runs": r["n"]}
                )  # fmt: skip
    return pd.DataFrame(rows)


def ranked_drivers(runs: pd.DataFrame, factors: list[str], outcomes: list[str]) -> pd.DataFrame:
    """Partial rank correlation of each (numeric, varying) factor with each outcome."""
    x = runs[factors].apply(pd.to_numeric, errors="coerce").astype(float)
    x = x.loc[:, x.notna().all() & (x.nunique() > 1)]
    if x.empty:
        return pd.DataFrame(columns=["outcome", "factor", "rank_correlation", "p_value", "p_holm"])
    d = drivers(x, runs[outcomes].astype(float))
    return d.rename(columns={"scenario": "outcome", "parameter": "factor"}).drop(columns="method")


def where_high(runs: pd.DataFrame, factors: list[str], outcome: str) -> tuple[list[str], str]:
    """PRIM's sentences for where ``outcome`` is above its median, or why it did not fit."""
    from netmob.analysis.discover import discover

    data = runs[[*factors, outcome]].dropna()
    if len(data) < MIN_PRIM_RUNS:
        return [], f"PRIM needs {MIN_PRIM_RUNS} or more finished runs; {len(data)} here."
    median = float(data[outcome].median())
    try:
        found = discover(data, factors, outcome, above=median)
    except InputError as err:
        return [], f"PRIM did not fit: {err.reason}."
    return found.sentences, ""


def factor_figure(runs: pd.DataFrame, factors: list[str], outcome: str) -> str:
    """One panel per factor: the runs (points) and each level's mean with its interval."""
    n = len(factors)
    fig, axes = figure(1, n, width=3.2 * n, height=2.8)
    for ax, f in zip(np.ravel(np.asarray(axes, dtype=object)), factors, strict=True):
        lv = levels(runs, f)
        numeric = pd.api.types.is_numeric_dtype(lv)
        xs = lv if numeric else lv.map({v: i for i, v in enumerate(sorted(lv.unique()))})
        ax.plot(xs, runs[outcome], ".", color=PALETTE[0], alpha=0.35, ms=4)
        means = runs.groupby(xs)[outcome].apply(lambda v: pd.Series(mean_ci(v))).unstack()
        ax.errorbar(
            means.index, means["mean"],
            yerr=np.nan_to_num([means["mean"] - means["lo"], means["hi"] - means["mean"]]),
            fmt="o-", color=PALETTE[1], capsize=3,
        )  # fmt: skip
        if not numeric:
            ax.set_xticks(range(lv.nunique()), sorted(lv.unique()), fontsize=8)
        style(ax, f, f, outcome if ax is np.ravel(np.asarray(axes, dtype=object))[0] else "")
    return img_tag(fig, f"{outcome} against each factor")


def report(root: str | Path, out: str | Path | None = None) -> dict[str, Path]:
    """Write the report of the sweep in ``root`` (HTML and CSV) to ``out`` (default
    ``root/report``); the files written, by name.

    Raises:
        InputError: if the sweep has no finished runs, no factors, or no outcome that
            varies.
    """
    root = Path(root)
    out = Path(out) if out else root / "report"
    manifest = read_manifest(root)
    factors = list(manifest.get("factors") or [])
    results = load_results(root)
    runs = results[results["status"] == OK].reset_index(drop=True)
    where = str(root / "manifest.json")
    if not factors:
        raise InputError("the sweep varies nothing", file=where, field="vary")
    if runs.empty:
        raise InputError(
            "the sweep has no finished runs yet", file=where,
            allowed="run the same netmob sweep command to finish it",
        )  # fmt: skip
    outcomes = outcomes_of(runs, manifest)
    if not outcomes:
        raise InputError(
            "no outcome of the sweep varies over its finished runs",
            file=where, field="outcomes", value=manifest.get("outcomes"),
        )  # fmt: skip
    tables = {
        "effects": effects(runs, factors, outcomes),
        "drivers": ranked_drivers(runs, factors, outcomes),
    }
    boxes, sections = [], []
    for o in outcomes:
        sentences, why = where_high(runs, factors, o)
        boxes += [{"outcome": o, "box": i + 1, "sentence": s} for i, s in enumerate(sentences)]
        if o in outcomes[:MAX_OUTCOMES]:
            sections.append(_outcome_section(runs, factors, o, tables["drivers"], sentences, why))
    tables["where"] = pd.DataFrame(boxes, columns=["outcome", "box", "sentence"])
    files = {name: out / f"{name}.csv" for name in tables}
    for name, df in tables.items():
        write_text(df.to_csv(index=False), files[name])
    counts = status(root)
    intro = paragraph(
        f"{manifest.get('description') or manifest.get('name', '')} Design: "
        f"{manifest.get('design')}, {manifest.get('points')} points x "
        f"{manifest.get('replicates')} replicates; runs: {counts['done']} done, "
        f"{counts['failed']} failed, {counts['missing']} missing. Factors: "
        f"{', '.join(factors)}."
    )
    note = paragraph(
        "Each outcome's panels show every finished run (dots) and the mean of each factor "
        "level with a 95% interval (a sampled factor's range in fifths), the other factors "
        "pooled. 'Moves it' lists the factors whose partial rank correlation with the "
        "outcome over the runs is beyond chance after Holm's correction for the factors "
        "tested. 'Where it is high' is PRIM: ranges of the factors where the outcome is "
        "above its median. Every number is in effects.csv, drivers.csv and where.csv.",
        note=True,
    )
    more = len(outcomes) - MAX_OUTCOMES
    if more > 0:
        sections.append(paragraph(f"({more} more outcomes in the CSVs.)", note=True))
    title = f"netmob sweep '{manifest.get('name', root.name)}'"
    files["report"] = write_text(
        page(title, [section("The sweep", intro, note), *sections]), out / "report.html"
    )
    return files


def _outcome_section(runs, factors, outcome, drv, sentences, why) -> str:
    d = drv[(drv["outcome"] == outcome)]
    beyond = d[d["p_holm"] < 0.05]
    moves = (
        "; ".join(
            f"{r.factor} ({'higher' if r.rank_correlation > 0 else 'lower'} with it, "
            f"partial rank correlation {r.rank_correlation:+.2f}, adjusted p = {r.p_holm:.2g})"
            for r in beyond.itertuples()
        )
        or "no factor beyond chance"
    )
    high = "".join(f"<li>{html_.escape(s)}</li>" for s in sentences)
    return section(
        outcome,
        factor_figure(runs, factors, outcome),
        paragraph(f"Moves it: {moves}."),
        f"<p>Where it is high:</p><ul>{high}</ul>" if sentences else paragraph(why, note=True),
        table(d.drop(columns="outcome"), digits=3) if len(d) else "",
    )
