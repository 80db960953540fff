"""A calibration's report: what the published record says about the free parameters.

``report.html`` (self-contained) in a calibration folder, from the files the calibration
wrote: the posterior-predictive check as one forest plot against the published
intervals, each parameter's posterior against its prior, the most correlated pairs, and
convergence (tolerance and effective sample size per generation).

    python -m netmob.analysis.calibration DIR
"""

from __future__ import annotations

import html
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, NullFormatter, ScalarFormatter

from netmob.analysis.figures import PALETTE, figure, img_tag, style
from netmob.analysis.html import page, paragraph, section, table
from netmob.experiments.stats import weighted_quantiles
from netmob.sim.errors import InputError
from netmob.sim.io import write_text


def parameter_table(post: pd.DataFrame, priors: list[dict]) -> pd.DataFrame:
    """Per free parameter: prior range, posterior median and 90% credible interval, and
    the share of the prior's width the interval still spans."""
    w = post["weight"].to_numpy(float)
    rows = []
    for p in priors:
        lo5, med, hi95 = weighted_quantiles(post[p["name"]].to_numpy(float), w, [0.05, 0.5, 0.95])
        rows.append(
            {
                "parameter": p["name"],
                "prior": f"{p['dist']} {p['lo']:g} to {p['hi']:g}",
                "posterior median": med,
                "90% low": lo5,
                "90% high": hi95,
                "share of prior width": (hi95 - lo5) / (p["hi"] - p["lo"]),
            }
        )
    return pd.DataFrame(rows)


def standardised(ppc: pd.DataFrame, targets: list[dict]) -> pd.DataFrame:
    """The check on one scale: distance from the published value (or the band's middle)
    in units of each target's scale (its published half-interval)."""
    by_id = {t["id"]: t for t in targets}
    rows = []
    for r in ppc.itertuples():
        t = by_id[r.target]
        lo, hi, scale = t["low"], t["high"], t["scale"]
        centre = t["published"] if t["published"] is not None else _band_centre(lo, hi)
        model = (getattr(r, "model_low", r.sim_low), getattr(r, "model_high", r.sim_high))
        z = [(v - centre) / scale for v in (r.sim_low, r.sim_median, r.sim_high, *model)]
        rows.append(
            {
                "target": r.target,
                "pub_low": (lo - centre) / scale if math.isfinite(lo) else -np.inf,
                "pub_high": (hi - centre) / scale if math.isfinite(hi) else np.inf,
                "sim_low": z[0],
                "sim_median": z[1],
                "sim_high": z[2],
                "model_low": z[3],
                "model_high": z[4],
                "inside": r.inside,
            }
        )
    return pd.DataFrame(rows)


def _kept(man: dict, gens: pd.DataFrame) -> str:
    """Which generation is the posterior, and why not the last if it is not."""
    t = man.get("posterior_generation", man["generations"] - 1)
    row = gens.loc[gens["generation"] == t].iloc[0]
    text = (
        f" The posterior is generation {t} (tolerance {row.epsilon:.3g}, effective sample "
        f"size {row.effective_sample_size:.1f})"
    )
    if t == man["generations"] - 1:
        return text + "."
    later = gens.loc[gens["generation"] > t, "effective_sample_size"]
    return text + (
        f": the weights of the later generations collapsed (effective sample size "
        f"{', '.join(f'{e:.1f}' for e in later)}, below the spec's min_ess), so they are a "
        "few points rather than a distribution."
    )


def _model_only(ppc: pd.DataFrame) -> str:
    """The looser count: the published value inside the interval a repeat of the study
    would publish (the model's draws plus the study's error)."""
    if "inside_repeat" not in ppc:
        return ""
    return (
        f"Inside the looser interval of what a repeat of the study would publish (each "
        f"draw plus the study's own sampling error): {int(ppc['inside_repeat'].sum())} of "
        f"{len(ppc)}."
    )


def _band_centre(lo: float, hi: float) -> float:
    if math.isfinite(lo) and math.isfinite(hi):
        return (lo + hi) / 2
    return lo if math.isfinite(lo) else hi


def forest(z: pd.DataFrame) -> str:
    """The posterior-predictive check as one forest plot."""
    fig, ax = figure(width=7.5, height=0.32 * len(z) + 1.2)
    y = np.arange(len(z))[::-1]
    lim = 6.0
    for yi, r in zip(y, z.itertuples(), strict=True):
        lo, hi = max(r.pub_low, -lim), min(r.pub_high, lim)
        ax.fill_betweenx([yi - 0.3, yi + 0.3], lo, hi, color="#ccc", zorder=1)
        colour = PALETTE[2] if r.inside else PALETTE[3]
        s_lo, s_med, s_hi, m_lo, m_hi = (
            float(np.clip(v, -lim, lim))
            for v in (r.sim_low, r.sim_median, r.sim_high, r.model_low, r.model_high)
        )
        ax.plot([s_lo, s_hi], [yi, yi], color=colour, lw=1, zorder=2)
        ax.plot([m_lo, m_hi], [yi, yi], color=colour, lw=4, zorder=2)
        ax.plot(s_med, yi, "o", color=colour, zorder=3)
    ax.set_yticks(y, z["target"])
    ax.set_xlim(-lim, lim)
    style(
        ax,
        "Published interval or band (grey); 90% intervals of the model (thick; green: holds\n"
        "the published value, or 90% of it in the band) and of what a repeat would publish (thin)",
        "distance from the published value, in published half-intervals (clipped at 6)",
    )
    return img_tag(fig, "posterior-predictive check")


def marginals(post: pd.DataFrame, priors: list[dict]) -> str:
    """Each parameter's posterior (weighted histogram) against its prior density."""
    n = len(priors)
    cols = 4
    rows = math.ceil(n / cols)
    fig, axes = figure(cols, rows, width=2.6, height=1.9)
    axes = np.atleast_1d(axes).ravel()
    w = post["weight"].to_numpy(float)
    for ax, p in zip(axes, priors, strict=False):
        lo, hi = p["lo"], p["hi"]
        edges = np.geomspace(lo, hi, 16) if p["dist"] == "loguniform" else np.linspace(lo, hi, 16)
        ax.hist(post[p["name"]], bins=edges, weights=w, density=True, color=PALETTE[0], alpha=0.7)
        grid = np.linspace(lo, hi, 100)
        prior = (
            1 / (grid * math.log(hi / lo))
            if p["dist"] == "loguniform"
            else np.full(100, 1 / (hi - lo))
        )
        ax.plot(grid, prior, color=PALETTE[1], lw=1.5)
        if p["dist"] == "loguniform":
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.set_title(p["name"], fontsize=7)
        ax.tick_params(labelsize=6)
    for ax in axes[n:]:
        ax.set_visible(False)
    return img_tag(fig, "posterior (bars) against prior (line) per parameter")


def correlated_pairs(post: pd.DataFrame, priors: list[dict], k: int = 3) -> tuple[str, list]:
    """Scatter plots of the ``k`` most correlated parameter pairs (weighted correlation)."""
    names = [p["name"] for p in priors]
    w = post["weight"].to_numpy(float)
    x = post[names].to_numpy(float)
    mean = (w[:, None] * x).sum(0) / w.sum()
    cov = ((x - mean).T * w) @ (x - mean) / w.sum()
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    pairs = sorted(
        (
            (abs(corr[i, j]), i, j)
            for i in range(len(names))
            for j in range(i + 1, len(names))
            if np.isfinite(corr[i, j])
        ),
        reverse=True,
    )[:k]
    if not pairs:
        return "", []
    fig, axes = figure(len(pairs), 1, width=3.2, height=2.8)
    axes = np.atleast_1d(axes)
    for ax, (_, i, j) in zip(axes, pairs, strict=True):
        ax.scatter(x[:, i], x[:, j], s=8 + 200 * w / w.max(), alpha=0.6, color=PALETTE[0])
        style(ax, f"r = {corr[i, j]:+.2f}", names[i], names[j])
        ax.xaxis.label.set_size(7)
        ax.yaxis.label.set_size(7)
    listed = [(names[i], names[j], float(corr[i, j])) for _, i, j in pairs]
    return img_tag(fig, "most correlated pairs"), listed


def convergence(gens: pd.DataFrame) -> str:
    """Tolerance and effective sample size per generation."""
    fig, (a, b) = figure(2, 1, width=3.6, height=2.6)
    a.plot(gens["generation"], gens["epsilon"], "o-", color=PALETTE[0])
    style(a, "Tolerance (epsilon)", "generation", "distance")
    b.plot(gens["generation"], gens["effective_sample_size"], "o-", color=PALETTE[2])
    style(b, "Effective sample size", "generation", "particles")
    for ax in (a, b):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return img_tag(fig, "convergence")


def render(folder: Path) -> str:
    """The report's HTML."""
    man = json.loads((folder / "manifest.json").read_text())
    if man.get("method") == "history":
        raise InputError(
            "a calibration by history matching: its report is made by "
            "netmob.analysis.calibration_history",
            value=str(folder),
            allowed="python -m netmob.analysis.calibration_history DIR",
        )
    post = pd.read_parquet(folder / "posterior.parquet")
    ppc = pd.read_csv(folder / "ppc.csv")
    gens = pd.read_csv(folder / "generations.csv")
    d = man["definition"]
    priors, targets = d["priors"], d["targets"]
    inside = int(ppc["inside"].sum())
    missed = ", ".join(ppc.loc[~ppc["inside"], "target"]) or "none"
    intro = paragraph(
        f"Calibration '{man['spec']}': {len(priors)} free parameters against {len(targets)} "
        f"published figures, by ABC-SMC (pyabc) with {d['method']['population']} particles: "
        f"{man['simulations']:,} parameter sets ({man['model_runs']:,} model runs) in "
        f"{man['generations']} generations, {man['sampling_seconds']:,.0f} s of sampling "
        f"({_sessions(man)}, "
        f"finished {man.get('finished', '?')})." + _area(man.get("area")) + _kept(man, gens)
    )
    check = paragraph(
        f"The published value lies inside the model's own 90% interval (a band: at least "
        f"90% of the posterior draws lie in it) for {inside} of {len(ppc)} targets. "
        f"Outside: {missed}. " + _model_only(ppc)
    )
    pairs_img, pairs = correlated_pairs(post, priors)
    pair_text = "; ".join(f"{a} and {b} (r = {r:+.2f})" for a, b, r in pairs)
    sections = [
        section("What was calibrated", intro, check),
        section(
            "Posterior-predictive check",
            forest(standardised(ppc, targets)),
            table(
                ppc[
                    [
                        "target",
                        "published",
                        "published_low",
                        "published_high",
                        *[c for c in ("model_median", "model_low", "model_high") if c in ppc],
                        "inside",
                        "sim_low",
                        "sim_high",
                        *[c for c in ("inside_repeat", "band_mass") if c in ppc],
                        "held_out",
                        "statistic",
                        "scenario",
                    ]
                ]
            ),
            paragraph(
                "Where each interval or band comes from (the spec's notes): "
                + "; ".join(f"{t['id']}: {t['note']}" for t in targets if t.get("note")),
                note=True,
            )
            if any(t.get("note") for t in targets)
            else "",
        ),
        section(
            "Parameters: posterior against prior",
            marginals(post, priors),
            table(parameter_table(post, priors)),
            paragraph(
                "A share of prior width near 1 means the published record says little about "
                "that parameter; its answers then rest on the prior.",
                note=True,
            ),
        ),
        section("Most correlated pairs", pairs_img, paragraph(html.unescape(pair_text))),
        section("Convergence", convergence(gens), table(gens)),
    ]
    return page(f"netmob calibration: {man['spec']}", sections)


def write_report(folder: str | Path) -> Path:
    """Write ``report.html`` into a calibration folder, atomically."""
    folder = Path(folder)
    return write_text(render(folder), folder / "report.html")


if __name__ == "__main__":
    print(write_report(sys.argv[1]))


def _area(area: dict | None) -> str:
    """Which area folder every study ran on ("" for the default community)."""
    if not area:
        return ""
    hashes = ", ".join(f"{f} SHA-256 {h[:12]}" for f, h in area["files"].items())
    return (
        f" Every study ran on the area '{area['name']}' ({area['folder']}: {hashes}), its "
        f"{area['resources']} resources scaled to the study's size."
    )


def _sessions(man: dict) -> str:
    """Where and with which code the calibration ran, session by session."""
    sessions = man.get("sessions") or [man]
    return "; ".join(f"{s['backend']}, {s['code_version']}" for s in sessions)
