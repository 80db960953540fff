"""Pathway analysis of a sweep: each pathway's effect, where each wins, and attribution.

For a sweep that crosses ``pathways.nudge`` with ``pathways.mobilisation`` (giving the
pathways *none*, *nudge*, *mobilisation* and *both*, as ``experiments/pathways.yaml``
does) over other factors (the *cells*: barriers, worker numbers, ...), this computes:

1. each pathway's level of support received and of wellbeing in each cell, with 95%
   t intervals over replicates (``levels.csv``);
2. each pathway's effect against *none* in the same cell (``effects.csv``): paired by
   replicate when runs share seeds (common random numbers), else Welch intervals;
3. where each pathway wins (``winners.csv``): the largest effect in each cell, and
   mobilisation against nudge head to head, called only when its interval excludes zero;
4. how much of the combined effect each accounts for (``attribution.csv``): in the
   *both* runs, the share of changes tagged to each pathway by the model's attribution
   tags, beside the counterfactual shares (each pathway alone over both together);

and writes them, with figures, to a self-contained ``report.html``.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netmob.analysis import html
from netmob.analysis.figures import PALETTE, figure, img_tag, style
from netmob.experiments.stats import diff_ci, mean_ci, paired_diff_ci
from netmob.sim.errors import InputError

FLAGS = ("pathways.nudge", "pathways.mobilisation")
PATHWAYS = ("none", "nudge", "mobilisation", "both")
ACTIVE = PATHWAYS[1:]
# Preferred outcome first: among referred people, where a programme reports it.
SUPPORT = ("support_received_referred_mean", "support_received_mean")
WELLBEING = ("swemwbs_referred_mean", "swemwbs_mean")
TAGS = (
    ("changes_nudge_total", "changes_mobilisation_total"),
    ("new_ties_nudge_total", "new_ties_mobilisation_total"),
)
LABELS = {
    "support_received_referred_mean": "support received, referred people (hours/week)",
    "support_received_mean": "support received (hours/week)",
    "swemwbs_referred_mean": "wellbeing (SWEMWBS), referred people",
    "swemwbs_mean": "wellbeing (SWEMWBS)",
}


def pathway_of(nudge: bool, mobilisation: bool) -> str:
    """The pathway a pair of switches gives."""
    return PATHWAYS[int(bool(nudge)) + 2 * int(bool(mobilisation))]


def prepare(results: pd.DataFrame, manifest: dict[str, Any]) -> tuple[pd.DataFrame, list[str]]:
    """Finished runs with a ``pathway`` and a ``cell`` label, and the cell factors.

    Raises:
        InputError: if the sweep does not cross both pathway switches.
    """
    missing = [f for f in FLAGS if f not in manifest["factors"]]
    if missing:
        raise InputError(
            "a pathway report needs a sweep that varies both pathway switches",
            field="vary",
            value=manifest["factors"],
            allowed=f"a spec varying {' and '.join(FLAGS)} (like experiments/pathways.yaml)",
        )
    cells = [f for f in manifest["factors"] if f not in FLAGS]
    ok = results[results["status"] == "ok"].copy()
    ok["pathway"] = [pathway_of(n, m) for n, m in zip(ok[FLAGS[0]], ok[FLAGS[1]], strict=True)]
    ok["cell"] = cell_labels(ok, cells)
    return ok, cells


def cell_labels(runs: pd.DataFrame, cells: list[str]) -> list[str]:
    """``barrier_scale=0.5, workers=3`` for each run (``all`` with no cell factors)."""
    if not cells:
        return ["all"] * len(runs)
    parts = [[f"{c.split('.')[-1]}={_fmt(v)}" for v in runs[c]] for c in cells]
    return [", ".join(p) for p in zip(*parts, strict=True)]


def choose(runs: pd.DataFrame, candidates: tuple[str, ...]) -> str | None:
    """The first candidate outcome the runs have values for."""
    return next((c for c in candidates if c in runs and runs[c].notna().any()), None)


def levels(runs: pd.DataFrame, cells: list[str], outcome: str) -> pd.DataFrame:
    """Each pathway's mean outcome in each cell, with its interval over replicates."""
    rows = []
    for (_, pathway), g in runs.groupby(["cell", "pathway"], sort=False):
        rows.append(
            {**_cell(g, cells), "pathway": pathway, "outcome": outcome, **mean_ci(g[outcome])}
        )
    return _order(pd.DataFrame(rows), cells)


def effects(runs: pd.DataFrame, cells: list[str], outcome: str, paired: bool) -> pd.DataFrame:
    """Each pathway's effect against *none* in each cell, with its interval."""
    rows = []
    for _, g in runs.groupby("cell", sort=False):
        ref = g[g["pathway"] == "none"].set_index("replicate")[outcome]
        for pathway in ACTIVE:
            x = g[g["pathway"] == pathway].set_index("replicate")[outcome]
            if x.empty or ref.empty:
                continue
            d = _diff(x, ref, paired)
            rel = d["mean"] / ref.mean() if ref.mean() else float("nan")
            rows.append(
                {
                    **_cell(g, cells),
                    "pathway": pathway,
                    "outcome": outcome,
                    "effect": d["mean"],
                    "lo": d["lo"],
                    "hi": d["hi"],
                    "n": d["n"],
                    "none_mean": float(ref.mean()),
                    "relative": rel,
                }
            )
    return _order(pd.DataFrame(rows), cells)


def winners(runs: pd.DataFrame, cells: list[str], outcome: str, paired: bool) -> pd.DataFrame:
    """In each cell: the pathway with the largest effect, and mobilisation against
    nudge head to head (a winner only when the interval of the difference excludes 0)."""
    eff = effects(runs, cells, outcome, paired)
    rows = []
    for _, g in runs.groupby("cell", sort=False):
        e = eff[eff["cell"] == g["cell"].iloc[0]].set_index("pathway")["effect"] if len(eff) else {}
        mob = g[g["pathway"] == "mobilisation"].set_index("replicate")[outcome]
        nudge = g[g["pathway"] == "nudge"].set_index("replicate")[outcome]
        if len(e) == 0 or mob.empty or nudge.empty:
            continue
        d = _diff(mob, nudge, paired)
        verdict = "mobilisation" if d["lo"] > 0 else "nudge" if d["hi"] < 0 else "no clear winner"
        rows.append(
            {
                **_cell(g, cells),
                "outcome": outcome,
                "best": e.idxmax() if e.max() > 0 else "none",
                **{f"{p}_effect": e.get(p, np.nan) for p in ACTIVE},
                "mobilisation_minus_nudge": d["mean"],
                "lo": d["lo"],
                "hi": d["hi"],
                "head_to_head": verdict,
            }
        )
    return _order(pd.DataFrame(rows), cells)


def attribution(
    runs: pd.DataFrame, cells: list[str], outcomes: list[str], paired: bool
) -> pd.DataFrame:
    """In each cell's *both* runs: the share of tagged changes from each pathway, and each
    pathway's effect alone as a share of the combined effect (the rest is interaction)."""
    tags = next((t for t in TAGS if all(c in runs and runs[c].notna().any() for c in t)), None)
    rows = []
    for _, g in runs.groupby("cell", sort=False):
        both = g[g["pathway"] == "both"]
        if both.empty:
            continue
        row = {**_cell(g, cells)}
        if tags:
            total = both[list(tags)].sum(axis=1).replace(0, np.nan)
            share = mean_ci(both[tags[0]] / total)
            row.update(
                tags=f"{tags[0]}, {tags[1]}",
                nudge_share=share["mean"],
                nudge_share_lo=share["lo"],
                nudge_share_hi=share["hi"],
                mobilisation_share=1 - share["mean"],
                nudge_changes=float(both[tags[0]].mean()),
                mobilisation_changes=float(both[tags[1]].mean()),
            )
        for outcome in outcomes:
            row.update(_decomposition(g, outcome, paired))
        rows.append(row)
    return _order(pd.DataFrame(rows), cells)


def _decomposition(g: pd.DataFrame, outcome: str, paired: bool) -> dict[str, float]:
    """Each pathway's effect alone over the combined effect, and the interaction's share."""
    ref = g[g["pathway"] == "none"].set_index("replicate")[outcome]
    eff = {}
    for p in ACTIVE:
        x = g[g["pathway"] == p].set_index("replicate")[outcome]
        eff[p] = _diff(x, ref, paired)["mean"] if not (x.empty or ref.empty) else np.nan
    both = eff["both"]
    short = outcome.removesuffix("_mean")
    if not np.isfinite(both) or abs(both) < 1e-12:
        return {
            f"{short}: nudge alone/both": np.nan,
            f"{short}: mobilisation alone/both": np.nan,
            f"{short}: interaction/both": np.nan,
        }
    return {
        f"{short}: nudge alone/both": eff["nudge"] / both,
        f"{short}: mobilisation alone/both": eff["mobilisation"] / both,
        f"{short}: interaction/both": (both - eff["nudge"] - eff["mobilisation"]) / both,
    }


def _diff(a: pd.Series, b: pd.Series, paired: bool) -> dict[str, float]:
    if paired:
        common = a.index.intersection(b.index)
        return paired_diff_ci(a.loc[common], b.loc[common])
    return diff_ci(a, b)


def _cell(g: pd.DataFrame, cells: list[str]) -> dict[str, Any]:
    return {"cell": g["cell"].iloc[0], **{c: g[c].iloc[0] for c in cells}}


def _order(df: pd.DataFrame, cells: list[str]) -> pd.DataFrame:
    if df.empty:
        return df
    keys = [*cells, *(["pathway"] if "pathway" in df else [])]
    if "pathway" in df:
        df = df.assign(pathway=pd.Categorical(df["pathway"], PATHWAYS, ordered=True))
    return df.sort_values(keys, ignore_index=True) if keys else df


def _fmt(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


# Findings -----------------------------------------------------------------------------


def findings(tables: dict[str, pd.DataFrame], runs: pd.DataFrame, cells: list[str]) -> list[str]:
    """What the sweep shows, in sentences computed from the tables (nothing hard-coded):
    head-to-head counts, how often both together are best, how the head-to-head
    difference moves along the main cell factor, how the combined effect moves along
    each cell factor (and where more of it stops adding), and the attribution shares."""
    win, att = tables["winners"], tables["attribution"]
    out = []
    x, _ = axes_of(cells, runs)
    for outcome, w in win.groupby("outcome", sort=False):
        label = LABELS.get(outcome, outcome)
        calls = w["head_to_head"].value_counts()
        n = len(w)
        out.append(
            f"Head to head on {label}: mobilisation wins in {calls.get('mobilisation', 0)} of "
            f"{n} cells, the nudge in {calls.get('nudge', 0)}, no clear winner in "
            f"{calls.get('no clear winner', 0)}; both together give the largest effect in "
            f"{int((w['best'] == 'both').sum())} of {n}."
        )
        if x and w[x].nunique() > 1:
            trend = w.groupby(x)["mobilisation_minus_nudge"].mean()
            out.append(
                f"Along {x.split('.')[-1]} ({_fmt(trend.index[0])} to {_fmt(trend.index[-1])}), "
                f"mobilisation minus nudge on {label} moves from {trend.iloc[0]:+.3g} to "
                f"{trend.iloc[-1]:+.3g} (mean over the other factors)."
            )
    out += [line for c in cells for line in _dose_lines(win, c)]
    if "nudge_share" in att and len(att):
        lo, hi = att["nudge_share"].min(), att["nudge_share"].max()
        out.append(
            f"With both pathways on, the nudge accounts for {lo:.0%} to {hi:.0%} of the "
            "changes the model tags, mobilisation for the rest."
        )
    for col in (c for c in att.columns if c.endswith("interaction/both")):
        v = att[col].dropna()
        if len(v):
            sign = "reinforce" if v.mean() > 0 else "partly substitute for"
            out.append(
                f"Interaction ({col.split(':')[0]}): {v.min():+.0%} to {v.max():+.0%} of the "
                f"combined effect, so the pathways {sign} each other."
            )
    return out


PLATEAU = 0.05  # a step that changes the combined effect by less than 5% adds nothing clear


def _dose_lines(win: pd.DataFrame, factor: str) -> list[str]:
    """How both pathways' combined effect moves along one cell factor (mean over the
    others), and the level past which more of it changes the effect by under 5%."""
    if factor not in win or win[factor].nunique() < 2:
        return []
    out = []
    for outcome, w in win.groupby("outcome", sort=False):
        level = w.groupby(factor)["both_effect"].mean()
        steps = ", ".join(f"{v:+.3g}" for v in level)
        text = (
            f"Along {factor.split('.')[-1]} ({', '.join(_fmt(i) for i in level.index)}), both "
            f"pathways together move {LABELS.get(outcome, outcome)} by {steps}"
        )
        v = level.to_numpy(float)
        flat = list(np.abs(np.diff(v)) < PLATEAU * np.abs(v[:-1]))  # step j: level j to j+1
        k = len(flat)
        while k > 0 and flat[k - 1]:
            k -= 1  # the steps from level k on are all flat
        if 0 < k < len(flat):
            text += f"; past {_fmt(level.index[k])} more changes it by under {PLATEAU:.0%}"
        out.append(text + ".")
    return out


# Figures ------------------------------------------------------------------------------


def axes_of(cells: list[str], runs: pd.DataFrame) -> tuple[str | None, list[str]]:
    """The cell factor for the x axis (the one with most levels) and the others (panels)."""
    if not cells:
        return None, []
    x = max(cells, key=lambda c: runs[c].nunique())
    return x, [c for c in cells if c != x]


def effects_figure(eff: pd.DataFrame, runs: pd.DataFrame, cells: list[str], outcome: str):
    """Effect against *none* by the x factor, one line per pathway, one panel per level
    of the other cell factors; bands are 95% intervals."""
    x, rest = axes_of(cells, runs)
    panels = _panels(eff, rest)
    fig, axes = figure(ncols=len(panels), width=4.2, height=3.4, sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (label, sub) in zip(axes, panels, strict=True):
        for i, p in enumerate(ACTIVE):
            s = sub[sub["pathway"] == p]
            xs = s[x].astype(float) if x else np.arange(len(s))
            ax.plot(xs, s["effect"], "o-", color=PALETTE[i], label=p)
            ax.fill_between(xs, s["lo"], s["hi"], color=PALETTE[i], alpha=0.2)
        ax.axhline(0, color="#888", lw=0.8)
        style(ax, label, x.split(".")[-1] if x else "", "")
    axes[0].set_ylabel(f"effect vs none: {LABELS.get(outcome, outcome)}", fontsize=8)
    axes[0].legend(fontsize=8)
    return fig


def winners_figure(win: pd.DataFrame, runs: pd.DataFrame, cells: list[str], outcome: str):
    """Mobilisation minus nudge in each cell (colour), with the head-to-head verdict."""
    x, rest = axes_of(cells, runs)
    rows = _panels(win, rest)
    xs = sorted(win[x].unique()) if x else ["all"]
    grid = np.full((len(rows), len(xs)), np.nan)
    marks = [["" for _ in xs] for _ in rows]
    for i, (_, sub) in enumerate(rows):
        for _, r in sub.iterrows():
            j = xs.index(r[x]) if x else 0
            grid[i, j] = r["mobilisation_minus_nudge"]
            marks[i][j] = {"mobilisation": "M", "nudge": "N"}.get(r["head_to_head"], "=")
    fig, ax = figure(width=max(6.0, 0.9 * len(xs) + 2), height=0.6 * len(rows) + 2.0)
    lim = np.nanmax(np.abs(grid)) if np.isfinite(grid).any() else 1.0
    im = ax.imshow(grid, cmap="PuOr", vmin=-lim or -1, vmax=lim or 1, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(xs)):
            ax.text(j, i, marks[i][j], ha="center", va="center", fontsize=11, weight="bold")
    ax.set_xticks(range(len(xs)), [_fmt(v) for v in xs])
    ax.set_yticks(range(len(rows)), [label for label, _ in rows])
    ax.set_xlabel(x.split(".")[-1] if x else "")
    ax.set_title(
        f"mobilisation minus nudge: {LABELS.get(outcome, outcome)}\n"
        "M: mobilisation wins, N: nudge wins, =: no clear winner",
        fontsize=9,
    )
    ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return fig


def attribution_figure(att: pd.DataFrame):
    """Share of tagged changes from each pathway in the *both* runs, by cell."""
    fig, ax = figure(width=max(5.0, 0.45 * len(att) + 2), height=3.6)
    xs = np.arange(len(att))
    ax.bar(xs, att["nudge_share"], color=PALETTE[0], label="nudge")
    ax.bar(
        xs,
        att["mobilisation_share"],
        bottom=att["nudge_share"],
        color=PALETTE[1],
        label="mobilisation",
    )
    ax.errorbar(
        xs,
        att["nudge_share"],
        yerr=[
            att["nudge_share"] - att["nudge_share_lo"],
            att["nudge_share_hi"] - att["nudge_share"],
        ],
        fmt="none",
        color="k",
        capsize=2,
    )
    ax.set_xticks(xs, att["cell"], rotation=60, ha="right", fontsize=7)
    style(ax, "Changes in the 'both' runs tagged to each pathway", "", "share")
    ax.set_ylim(0, 1.15)
    ax.legend(fontsize=8, ncols=2, loc="upper right")
    return fig


def _panels(df: pd.DataFrame, rest: list[str]) -> list[tuple[str, pd.DataFrame]]:
    if not rest:
        return [("", df)]
    groups = df.groupby(rest, sort=True)
    return [
        (
            ", ".join(
                f"{c.split('.')[-1]}={_fmt(v)}"
                for c, v in zip(rest, k if isinstance(k, tuple) else (k,), strict=True)
            ),
            g,
        )
        for k, g in groups
    ]


# The report ---------------------------------------------------------------------------


def report(
    root: str | Path, out: str | Path | None = None, discovered: str | Path | None = None
) -> dict[str, Path]:
    """Write the pathway report of the sweep in ``root`` (HTML and CSV) to ``out``.

    Args:
        root: A sweep directory.
        out: Where to write (default ``root/report``).
        discovered: A folder holding a ``netmob discover`` result (default ``root``); if
            it has one, the report has a "Where it pays off" section.

    Returns:
        The files written, by name.

    Raises:
        InputError: if the sweep does not cross the pathway switches, or has no
            finished runs with support or wellbeing outcomes.
    """
    from netmob.analysis.sweep_discover import read_summary
    from netmob.experiments.store import load_results, read_manifest, status
    from netmob.sim.io import write_text

    root = Path(root)
    out = Path(out) if out else root / "report"
    manifest = read_manifest(root)
    runs, cells = prepare(load_results(root), manifest)
    outcomes = [o for o in (choose(runs, SUPPORT), choose(runs, WELLBEING)) if o]
    if not outcomes:
        raise InputError(
            "the sweep has no finished runs with a support or wellbeing outcome",
            file=str(root / "manifest.json"),
            field="outcomes",
            value=manifest["outcomes"],
            allowed=f"outcomes including one of {', '.join(SUPPORT + WELLBEING)}",
        )
    paired = bool(manifest["definition"].get("crn", True))
    tables = {
        "levels": pd.concat([levels(runs, cells, o) for o in outcomes], ignore_index=True),
        "effects": pd.concat(
            [effects(runs, cells, o, paired) for o in outcomes], ignore_index=True
        ),
        "winners": pd.concat(
            [winners(runs, cells, o, paired) for o in outcomes], ignore_index=True
        ),
        "attribution": attribution(runs, cells, outcomes, paired),
    }
    files = {name: out / f"{name}.csv" for name in tables}
    for name, df in tables.items():
        write_text(df.to_csv(index=False), files[name])
    page = _page(manifest, status(root), runs, cells, outcomes, tables, paired)
    found = read_summary(discovered or root)
    if found:
        page = page.replace("</body>", pays_off_section(*found) + "\n</body>")
    files["report"] = write_text(page, out / "report.html")
    return files


def _page(manifest, counts, runs, cells, outcomes, tables, paired) -> str:
    eff, win, att = tables["effects"], tables["winners"], tables["attribution"]
    intro = html.paragraph(
        f"{manifest['description']} Runs: {counts['done']} done, {counts['failed']} failed, "
        f"{counts['missing']} missing of {counts['runs']} ({manifest['points']} design points "
        f"x {manifest['replicates']} replicates). Code: {manifest['code_version']}."
    )
    method = html.paragraph(
        "Intervals are 95% t intervals over replicates. Effects are differences from the "
        "'none' pathway in the same cell, "
        + (
            "paired by replicate (runs of a replicate share their seed)."
            if paired
            else "between independent runs (Welch)."
        )
        + " A head-to-head winner is called only when the interval of the difference "
        "excludes zero.",
        note=True,
    )
    summary = "".join(f"<li>{escape(s)}</li>" for s in findings(tables, runs, cells))
    sections = [
        html.section("Sweep", intro, method),
        html.section("What the sweep shows", f"<ul>{summary}</ul>"),
    ]
    for o in outcomes:
        label = LABELS.get(o, o)
        sections.append(
            html.section(
                f"Effect on {label}",
                img_tag(
                    effects_figure(eff[eff["outcome"] == o], runs, cells, o), f"effects on {o}"
                ),
                html.folded(eff[eff["outcome"] == o].drop(columns=["outcome"]), "effects"),
            )
        )
        sections.append(
            html.section(
                f"Where each pathway wins: {label}",
                img_tag(
                    winners_figure(win[win["outcome"] == o], runs, cells, o), f"winners on {o}"
                ),
                html.folded(win[win["outcome"] == o].drop(columns=["outcome"]), "winners"),
            )
        )
    parts = []
    if "nudge_share" in att:
        parts.append(img_tag(attribution_figure(att), "attribution"))
    else:
        parts.append(html.paragraph("The runs carry no attribution tags.", note=True))
    parts += [
        html.paragraph(
            "Tag shares count the changes in the 'both' runs that the model tagged to each "
            "pathway. The ratios compare each pathway's effect alone with the combined effect; "
            "what they leave is the interaction (positive: the pathways reinforce each other).",
            note=True,
        ),
        html.folded(att, "attribution"),
    ]
    sections.append(
        html.section("How much of the combined effect each pathway accounts for", *parts)
    )
    return html.page(f"Pathway report: {manifest['name']}", sections)


def pays_off_section(head: str, sentences: list[str], figure_png: Path) -> str:
    """ "Where it pays off": a ``netmob discover`` result's question, its boxes in words
    and its peeling trajectories."""
    from netmob.analysis.figures import png_tag

    items = "".join(f"<li>{escape(s)}</li>" for s in sentences)
    parts = [html.paragraph(head), f"<ul>{items}</ul>"]
    if figure_png.exists():
        parts.append(png_tag(figure_png.read_bytes(), "PRIM's peeling trajectories"))
    parts.append(
        html.paragraph(
            "Boxes found by PRIM (netmob discover): density is the share of a box's runs "
            "that clear the threshold, coverage the share of all the runs that clear it that "
            "fall in the box. Each box's limits are in discover.csv.",
            note=True,
        )
    )
    return html.section("Where it pays off", *parts)
