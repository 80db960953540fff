"""The report of a calibration by history matching (``netmob calibrate --method history``).

From the files the calibration wrote (:mod:`netmob.experiments.calibration.match`): the
verdict first (validated or not, each check and its figures), then the waves (how much
of the prior's space each ruled out, and how well its emulators validated), the
conflicts between targets, the strict predictive check, what the record identifies
(contraction per parameter; below 0.2, "not identified by the published record"), and
the simulation-based calibration and recovery tables behind the verdict.

    python -m netmob.analysis.calibration_history DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from netmob.analysis.calibration import forest, marginals, standardised
from netmob.analysis.html import page, paragraph, section, table
from netmob.sim.io import write_text

NOT_IDENTIFIED = "not identified by the published record"


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    return pd.read_csv(path) if path.exists() else pd.DataFrame()


def verdict(man: dict) -> str:
    """One paragraph: validated or not, and which checks failed."""
    checks = man.get("checks", {})
    failed = [k for k, c in checks.items() if not c.get("passes")]
    if man.get("validated"):
        return (
            "Validated: every check below passes, so netmob compare, region, sweep and the "
            "app may draw from this posterior."
        )
    why = ", ".join(failed) if failed else man.get("stopped") or man.get("status", "unfinished")
    return (
        f"Not validated ({why} failed): netmob does not draw from this posterior by default; "
        "its comparisons run on the assumption ranges instead, labelled as such."
    )


def checks_frame(man: dict) -> pd.DataFrame:
    """The manifest's checks as a table."""
    rows = []
    for name, c in man.get("checks", {}).items():
        figures = "; ".join(f"{k} {v}" for k, v in c.items() if k != "passes")
        rows.append({"check": name, "passes": c.get("passes"), "figures": figures})
    return pd.DataFrame(rows)


def render(folder: Path) -> str:
    """The report's HTML."""
    man = json.loads((folder / "manifest.json").read_text())
    d = man["definition"]
    priors, targets = d["priors"], d["targets"]
    waves, conflicts = _read(folder, "waves.csv"), _read(folder, "conflicts.csv")
    ppc, contraction = _read(folder, "ppc.csv"), _read(folder, "contraction.csv")
    intro = paragraph(
        f"Calibration '{man['spec']}': {len(priors)} free parameters against "
        f"{len(targets)} published figures, by history matching in {man.get('waves', 0)} "
        f"wave(s), then the posterior inside the space not ruled out (tempered sequential "
        f"Monte Carlo on the last wave's emulators): {man.get('simulations', 0):,} parameter "
        f"sets simulated, {man.get('wall_seconds', 0):,.0f} s ({man.get('backend')}, "
        f"{man.get('code_version')}, finished {man.get('finished', '?')})."
    )
    parts = [section("Verdict", intro, paragraph(verdict(man)), table(checks_frame(man)))]
    if len(waves):
        parts.append(
            section(
                "Waves",
                table(waves),
                paragraph(
                    "not_ruled_out: the share of the prior's space left after the wave "
                    "(second-largest implausibility at most the cut-off); "
                    "emulator_validation: the smallest share, over targets, of held-out "
                    "runs whose standardised error lies within +-3 (95% needed).",
                    note=True,
                ),
            )
        )
    parts.append(
        section(
            "Conflicts between targets",
            table(conflicts) if len(conflicts) else paragraph("None found by the emulators."),
        )
    )
    if len(ppc):
        inside = int(ppc["inside"].sum())
        missed = ", ".join(ppc.loc[~ppc["inside"], "target"]) or "none"
        parts.append(
            section(
                "Posterior-predictive check (strict)",
                paragraph(
                    f"The published value lies in the model's own 90% interval (a band: at "
                    f"least 90% of the draws in it) for {inside} of {len(ppc)} targets. "
                    f"Outside: {missed}."
                ),
                forest(standardised(ppc, targets)),
                table(ppc),
            )
        )
    if len(contraction):
        post = pd.read_parquet(folder / "posterior.parquet")
        parts.append(
            section(
                "What the published record identifies",
                paragraph(
                    "Contraction: 1 - posterior variance / prior variance on the unit cube "
                    f"(where the prior is uniform). Below 0.2: {NOT_IDENTIFIED}; its answers "
                    "rest on the prior."
                ),
                table(contraction),
                marginals(post, priors),
            )
        )
    for name, title in (
        ("sbc.csv", "Simulation-based calibration"),
        ("recovery.csv", "Recovery at random truths"),
    ):
        t = _read(folder, name)
        if len(t):
            parts.append(section(title, table(t)))
    return page(f"netmob calibration: {man['spec']}", parts)


def write_report(folder: str | Path) -> Path:
    """Write ``report.html`` into a calibration folder, atomically."""
    folder = Path(folder)
    return write_text(render(folder), folder / "report.html")


if __name__ == "__main__":
    print(write_report(sys.argv[1]))
