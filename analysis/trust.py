"""How far to trust a comparison, in a commissioner's words: what its parameters were drawn
from (a calibration's posterior and what that posterior misses, assumption ranges, or
nothing) and whether it has enough replicates for the chances it shows.

A posterior's record is its calibration's ``manifest.json`` beside ``posterior.parquet``:
``validated`` (absent: not validated), the spec's targets (each a published figure by its
row id in docs/EVIDENCE.md), and what the posterior misses: the manifest's own ``misses``
(a list of target ids, or of mappings with an ``id``) when it has one, else the targets
its posterior predictive check (``ppc.csv`` beside it) finds outside the interval a repeat
of the study would publish. Nothing here is written by hand: the sentences change with the
posterior and the run.

Examples:
    >>> chance_interval(2, 3)  # 2 of 3 replicates: a 95% Wilson interval
    (0.21, 0.94)
    >>> replicates_needed()
    20
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from netmob.sim import registry

# A chance over replicates is a count: with n replicates each is 1/n. Below this many the
# report warns that its chances are too coarse to read as chances: at 20 one replicate is 5
# points, and a chance near 50% is known to within about 20 points (95% Wilson interval
# +-0.201); an assumption of the report, not a published rule.
MIN_REPLICATES = 20
Z95 = 1.96


def replicates_needed() -> int:
    """Replicates below which a comparison's chances are too coarse to read as chances."""
    return MIN_REPLICATES


def _half_width(n: int, p: float = 0.5) -> float:
    """Half the width of the 95% Wilson interval of a chance ``p`` seen over ``n``."""
    z2 = Z95 * Z95
    return Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)


def chance_interval(k: int, n: int) -> tuple[float, float]:
    """The 95% Wilson interval of a chance seen in ``k`` of ``n`` replicates (2 decimals)."""
    lo, hi = _wilson(k, n)
    return round(lo, 2), round(hi, 2)


def _wilson(k: int, n: int) -> tuple[float, float]:
    if n <= 0:
        return 0.0, 1.0
    p, z2 = k / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Miss:
    """A published figure the posterior does not reproduce."""

    id: str
    what: str  # the figure in words
    published: str  # its published value or band, in words ("" if not known)
    model: str  # what a repeat of the study in the model would publish ("" if not known)


@dataclass(frozen=True)
class PosteriorRecord:
    """What a posterior's calibration says about it (its manifest and check)."""

    name: str
    found: bool  # its manifest.json was read
    validated: bool = False
    parameters: int = 0
    targets: int = 0
    misses: tuple[Miss, ...] = ()
    effective_draws: float = float("nan")
    same_file: bool = True  # the posterior is the one the comparison drew from
    notes: tuple[str, ...] = field(default_factory=tuple)


def posterior_record(file: str | Path, sha256: str | None = None) -> PosteriorRecord:
    """The record of the posterior in ``file`` (a ``posterior.parquet``), from the
    ``manifest.json`` and ``ppc.csv`` beside it; ``sha256``: the file's hash when the
    comparison ran (a changed file is said to be another posterior)."""
    path = Path(file)
    name = path.parent.name or str(path)
    manifest_file = path.parent / "manifest.json"
    try:
        manifest = json.loads(manifest_file.read_text())
    except (OSError, ValueError):
        return PosteriorRecord(name=name, found=False)
    same = sha256 is None or _sha256(path) == sha256
    definition = manifest.get("definition") or {}
    targets = {t["id"]: t for t in definition.get("targets", []) if "id" in t}
    return PosteriorRecord(
        name=str(manifest.get("spec") or name),
        found=True,
        validated=manifest.get("validated") is True,
        parameters=len(definition.get("priors", [])),
        targets=int(manifest.get("targets") or len(targets)),
        misses=tuple(_misses(manifest, targets, path.parent / "ppc.csv")),
        effective_draws=_effective_draws(path),
        same_file=same,
    )


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _effective_draws(path: Path) -> float:
    """Kish's effective sample size of the particles' weights (NaN if unreadable)."""
    try:
        w = pd.read_parquet(path, columns=["weight"])["weight"].to_numpy(float)
    except Exception:  # no weights, or not readable: unknown
        return float("nan")
    w = w / w.sum()
    return float(1.0 / (w * w).sum())


def _misses(manifest: dict, targets: dict[str, dict], ppc: Path) -> list[Miss]:
    """The manifest's own list of misses, else the check's targets outside their interval."""
    listed = manifest.get("misses")
    if listed is not None:
        ids = [m["id"] if isinstance(m, dict) else str(m) for m in listed]
        return [_miss(i, targets.get(i, {}), None) for i in ids]
    try:
        check = pd.read_csv(ppc)
    except (OSError, ValueError):
        return []
    if "inside" not in check or "target" not in check:
        return []
    out = check[~check["inside"].astype(bool)]
    return [_miss(r["target"], targets.get(r["target"], {}), r) for _, r in out.iterrows()]


STATISTICS = {  # a target's statistic in words: {of} its measure, {scenario}, {control}, {week}
    "summary": "{of} in {scenario}",
    "itt_effect": "the trial's effect on {of} ({scenario} against {control})",
    "itt_effect_g": "the trial's standardised effect on {of} ({scenario} against {control})",
    "fidelity_contrast": "{of}, high against low fidelity ({scenario})",
    "high_fidelity_share": "the share delivered with high fidelity ({scenario})",
    "typology_log_or": "how {of} goes with network type ({scenario})",
    "uptake_gain": "{of} gained by taking up the programme, by week {week} ({scenario})",
}


def _miss(target_id: str, target: dict, check: Any) -> Miss:
    """One miss in words."""
    of = target.get("of")
    words = _measure(of) if of else ""
    template = STATISTICS.get(target.get("statistic", ""), "{of} ({scenario})")
    what = template.format(
        of=words or "the figure",
        scenario=target.get("scenario", "?"),
        control=target.get("control", "?"),
        week=target.get("week", "?"),
    )
    published = ""
    if target.get("published") is not None:
        published = f"{target['published']:.2g}"
    elif target.get("band"):
        published = f"{target['low']:.2g} to {target['high']:.2g}"
    model = ""
    if check is not None and pd.notna(check.get("sim_low")):
        model = f"{check['sim_low']:.2g} to {check['sim_high']:.2g}"
    return Miss(id=str(target_id), what=what, published=published, model=model)


def _measure(name: str) -> str:
    for table in ("effect", "run", None):
        try:
            return registry.meaning(name, table)
        except (KeyError, ValueError):
            continue
    return name.replace("_", " ")


# ---- the section's sentences ---------------------------------------------------------------


def trust_lines(settings: dict, distinct_draws: int | None = None) -> list[tuple[str, bool]]:
    """'How far to trust this', one sentence a line, each with whether it is a warning:
    what the parameters were drawn from (and, for a posterior, whether it is validated and
    what it misses), then whether the replicates are enough for the chances shown.
    ``settings``: a comparison's (``CompareResult.settings``); ``distinct_draws``: how many
    different parameter sets its replicates drew."""
    return [*_parameter_lines(settings, distinct_draws), _replicate_line(settings)]


def _parameter_lines(settings: dict, distinct: int | None) -> list[tuple[str, bool]]:
    u = settings.get("uncertainty")
    people = settings.get("people", 0)
    if not u:
        return [
            (
                "Every parameter was held at its default (no draw): the intervals and chances "
                f"show only the chance variation of {people:,} people, not how uncertain the "
                "model's parameters are, so they are narrower than the evidence allows.",
                True,
            )
        ]
    if u.get("kind") != "posterior":
        return [
            (
                f"Each replicate drew {len(u.get('ranges', {}))} assumptions from ranges set "
                f"by hand ('{u['name']}'), not fitted to the published record: the chances are "
                "as good as those ranges.",
                True,
            )
        ]
    files = settings.get("files") or {}
    sha = (files.get("uncertainty") or {}).get("sha256")
    rec = posterior_record(u["file"], sha)
    if not rec.found:
        return [
            (
                f"Each replicate drew its parameters from the posterior '{u['name']}', whose "
                f"calibration record (manifest.json beside {u['file']}) was not found: how well "
                "it reproduces the published record is not known here.",
                True,
            )
        ]
    drew = f"; this comparison drew {distinct} different sets" if distinct else ""
    lines = [
        (
            f"Each replicate drew its {rec.parameters or len(u.get('ranges', {}))} calibrated "
            f"parameters from the posterior of calibration '{rec.name}', fitted to "
            f"{rec.targets} published figures (about {rec.effective_draws:.0f} effective "
            f"parameter sets{drew}).",
            False,
        ),
        (
            "The calibration is validated (its manifest says so)."
            if rec.validated
            else "The calibration is not validated: treat its answers as a model's reading "
            "of the evidence, not a forecast.",
            not rec.validated,
        ),
    ]
    if rec.misses:
        items = "; ".join(
            f"{m.id}, {m.what}"
            + (f" (published {m.published}" if m.published else "")
            + (f"; the model {m.model}" if m.model else "")
            + (")" if m.published else "")
            for m in rec.misses
        )
        lines.append(
            (
                f"It misses {len(rec.misses)} of the {rec.targets} published figures (rows of "
                f"docs/EVIDENCE.md): {items}.",
                True,
            )
        )
    else:
        lines.append(
            (f"It reproduces all {rec.targets} published figures it was fitted to.", False)
        )
    if not rec.same_file:
        lines.append(("The posterior file has changed since this comparison drew from it.", True))
    return lines


def _replicate_line(settings: dict) -> tuple[str, bool]:
    n = int(settings.get("replicates_done") or settings.get("replicates") or 0)
    need = replicates_needed()
    if n < need:
        return (
            f"Only {n} paired replicates: each chance shown is a count of {n} (one replicate "
            f"is {100 / max(n, 1):.0f} points), too few to read as a chance; run {need} or "
            "more (--replicates) before relying on them.",
            True,
        )
    return (
        f"{n} paired replicates: a chance shown near 50% is known to within about "
        f"{100 * _half_width(n):.0f} points (95%).",
        False,
    )


def distinct_draws(runs: pd.DataFrame, prefix: str = "draw.") -> int | None:
    """How many different parameter sets a comparison's replicates drew (None: no draws)."""
    cols = [c for c in runs.columns if c.startswith(prefix)]
    if not cols:
        return None
    return int(runs.drop_duplicates("replicate")[cols].round(12).drop_duplicates().shape[0])
