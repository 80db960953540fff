"""Whether netmob may draw from the posterior it ships: only a validated one.

The shipped posterior (``experiments/calibration/posterior.parquet``) carries every
comparison's parameter uncertainty by default, so it must have passed every check of
its calibration: its ``manifest.json`` says ``validated: true`` (:mod:`.match` sets it
only when the emulators, the posterior's size, simulation-based calibration, recovery
and the predictive check all pass) and was made by the default spec as it is now (its
digest). Otherwise:

- ``netmob compare`` and ``netmob region`` without ``--uncertainty``, and the app's
  what-if view, draw the assumption ranges (``experiments/uncertainty/assumptions.yaml``)
  instead, and say so in one line (:data:`NOTICE`) and on the report;
- asking for the shipped posterior by name (``--uncertainty posterior``, a sweep's
  ``posterior: posterior``) or by its path stops with that reason (exit code 2); a
  posterior of one's own calibration folder is drawn from as asked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from netmob.experiments.specfile import shipped_posterior
from netmob.sim.errors import InputError

FALLBACK = "assumptions"  # the uncertainty spec drawn when the posterior is not validated


@dataclass(frozen=True)
class Gate:
    """The shipped posterior's verdict and why."""

    validated: bool
    reason: str


def shipped() -> Gate:
    """Whether the shipped posterior may be drawn from."""
    path = shipped_posterior()
    if not path.exists():
        return Gate(False, "netmob ships no posterior")
    return verdict(path.parent / "manifest.json", default_spec=True)


def verdict(manifest: Path, default_spec: bool = False) -> Gate:
    """A calibration folder's verdict from its ``manifest.json`` (with ``default_spec``:
    also made by the default spec as it is now)."""
    try:
        man = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return Gate(False, f"no readable manifest ({manifest.name})")
    if man.get("validated") is not True:
        failed = [k for k, c in (man.get("checks") or {}).items() if not c.get("passes")]
        why = (
            f"its checks failed: {', '.join(failed)}"
            if failed
            else "its calibration ran no checks (manifest.json has no validated: true)"
        )
        return Gate(False, why)
    if default_spec:
        from netmob.experiments.calibration.spec import load_calibration

        if man.get("digest") != load_calibration("default").digest():
            return Gate(False, "it was made by another version of the default spec")
    return Gate(True, "every check passed")


def notice(gate: Gate) -> str:
    """The one line a command says when it does not draw from the shipped posterior."""
    return (
        f"The shipped posterior is not validated ({gate.reason}): drawing the assumption "
        f"ranges (experiments/uncertainty/{FALLBACK}.yaml) instead, not a calibrated "
        "posterior."
    )


def require(path: Path) -> None:
    """Stop unless ``path`` is not the shipped posterior, or the shipped one is validated.

    Raises:
        InputError: naming the reason and what to use instead.
    """
    if path.resolve() != shipped_posterior().resolve():
        return
    gate = shipped()
    if not gate.validated:
        raise InputError(
            f"the shipped posterior is not validated ({gate.reason}); netmob draws from it "
            "only when every check of its calibration passes",
            file=str(path),
            allowed=f"--uncertainty {FALLBACK} (the assumption ranges), none, or the "
            "posterior of a calibration folder of your own",
        )


def identification() -> dict[str, str]:
    """Per calibrated parameter, what the shipped calibration's ``contraction.csv`` says:
    'identified (contraction 0.62)' or 'not identified by the published record
    (contraction 0.05)'; empty when netmob ships none (``netmob params`` shows it)."""
    path = shipped_posterior().parent / "contraction.csv"
    if not path.exists():
        return {}
    import pandas as pd

    table = pd.read_csv(path)
    return {
        str(r.parameter): f"{r.verdict} (contraction {r.contraction:.2f})"
        for r in table.itertuples()
    }
