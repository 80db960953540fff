"""A region of many areas, worked out from its store (:mod:`netmob.experiments.region`
runs it): each area's paired effects, costs and value for money, as a comparison's
(:func:`netmob.experiments.effects.from_tables`), and the whole region's.

The region's level of an outcome in a replicate is the people-weighted mean of the areas'
levels: each area weighs by the people in the group (``n`` of its contrast rows: all its
target people for ``population``; those referred or engaged for the other groups), so a
per-person effect of the region is the effect per person of all the region's people, and
region totals are the sum of the areas'. Only replicates that finished whole in every
area enter the region; an area's own effects use its own whole replicates.

The areas are ranked by net benefit per person at GBP 20,000 per QALY
(:data:`RANK_THRESHOLD`), and, with enough areas (:data:`MIN_AREAS`), PRIM
(:func:`netmob.analysis.discover.discover`) looks for the area profiles under which a
scenario is cost-effective.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netmob.experiments.economics import CURVE, DISCOUNT, THRESHOLDS, acceptability
from netmob.experiments.effects import (
    REGION,
    CompareResult,
    at_week,
    effects_table,
    from_tables,
)
from netmob.experiments.effects import REGION_KIND as KIND
from netmob.experiments.store import load_results, load_table, load_weekly, read_manifest
from netmob.sim.errors import InputError

RANK_THRESHOLD = 20_000  # GBP per QALY: areas are ranked by net benefit at this
MIN_AREAS = 10  # areas PRIM needs at least to look for the profiles where it pays off
NET_BENEFIT = f"net_benefit_{RANK_THRESHOLD}"
KEYS = ["replicate", "scenario", "group", "outcome"]


@dataclass
class RegionResult:
    """What a region gives: each area's comparison, the whole region's, the areas ranked."""

    name: str
    scenarios: list[str]
    areas: list[str]
    people: dict[str, int]
    profiles: dict[str, dict]
    settings: dict
    per_area: dict[str, CompareResult]
    region: CompareResult
    table: pd.DataFrame  # areas.csv: one row per area and scenario (not the reference)
    unfinished: list[str] = field(default_factory=list)  # areas with no whole replicate
    discovery: dict[str, list[str]] = field(default_factory=dict)  # scenario: sentences

    def factors(self) -> list[str]:
        """The profile fields that vary across the areas (PRIM's factors)."""
        frame = pd.DataFrame.from_dict(self.profiles, orient="index")
        return [c for c in frame.columns if frame[c].notna().all() and frame[c].nunique() > 1]


def summarise_region(
    root: str | Path,
    thresholds: Sequence[float] = THRESHOLDS,
    discount: float = DISCOUNT,
) -> RegionResult:
    """Every area's effects and the region's, from the region stored in ``root``.

    Raises:
        InputError: if ``root`` holds no region, or no replicate finished whole in every
            area.
    """
    thresholds = sorted({*thresholds, RANK_THRESHOLD})
    manifest = read_manifest(root)
    if manifest.get("kind") != KIND:
        raise InputError(
            "not a region (its manifest is of another kind)",
            value=str(root),
            allowed="a directory written by netmob region",
        )
    scenarios, areas = list(manifest["scenarios"]), list(manifest["areas"])
    runs = load_results(root)
    tables = {"weekly": load_weekly(root)} | {
        name: load_table(root, name) for name in ("contrasts", "by_type")
    }
    params = {a["name"]: a["params"] for a in manifest["definition"]["areas"]}
    per_area, unfinished = {}, []
    for name in areas:
        mine = runs[runs["area"] == name]
        ids = set(mine["run_id"])
        settings = {
            **manifest["settings"],
            "people": manifest["people"][name],
            "code_version": manifest.get("code_version"),
            "created": manifest.get("created"),
            "params": params[name],
        }
        try:
            per_area[name] = from_tables(
                scenarios,
                manifest["descriptions"],
                settings,
                mine.drop(columns="area"),
                {k: t[t["run_id"].isin(ids)] for k, t in tables.items()},
                thresholds,
                discount,
                where=f"{root} (area {name})",
            )
        except InputError:
            unfinished.append(name)
    settings = {
        **manifest["settings"],
        "code_version": manifest.get("code_version"),
        "created": manifest.get("created"),
        "files": manifest.get("files"),
        "thresholds": thresholds,
        "discount": float(discount),
    }
    region = combine(per_area, scenarios, manifest["descriptions"], settings, thresholds)
    region.settings["unfinished_areas"] = unfinished
    result = RegionResult(
        name=manifest["name"],
        scenarios=scenarios,
        areas=areas,
        people=dict(manifest["people"]),
        profiles=dict(manifest["profiles"]),
        settings=region.settings,
        per_area=per_area,
        region=region,
        table=pd.DataFrame(),
        unfinished=unfinished,
    )
    result.table = areas_table(result)
    result.discovery = {sc: discovery(result, sc) for sc in scenarios[1:]}
    return result


def combine(
    per_area: dict[str, CompareResult],
    scenarios: list[str],
    descriptions: dict[str, str],
    settings: dict,
    thresholds: Sequence[float],
) -> CompareResult:
    """The whole region as one comparison: per replicate whole in every area, each
    contrast's level the people-weighted mean of the areas' (weights: ``n``).

    Raises:
        InputError: if no replicate finished whole in every area.
    """
    sets = [set(r.contrasts["replicate"].astype(int)) for r in per_area.values()]
    common = set.intersection(*sets) if sets else set()
    if not common:
        raise InputError(
            "no replicate of this region has finished whole in every area",
            allowed="run the same netmob region command again to finish it",
        )
    c = pd.concat([r.contrasts for r in per_area.values()], ignore_index=True)
    c = c[c["replicate"].isin(common)]
    contrasts = weighted(c)
    runs = pd.concat([r.runs for r in per_area.values()], ignore_index=True)
    runs = runs[runs["replicate"].isin(common)]
    summed = [col for col in ("people_referred", "n_people_target") if col in runs]
    runs = runs.groupby(["replicate", "scenario"], as_index=False, sort=False)[summed].sum()
    failed = sorted({f for r in per_area.values() for f in r.settings["failed_replicates"]})
    settings = {
        **settings,
        "replicates_done": len(common),
        "failed_replicates": failed,
        "params": {},
    }
    return CompareResult(
        scenarios=scenarios,
        descriptions=descriptions,
        settings=settings,
        effects=at_week(effects_table(contrasts, scenarios, thresholds), settings["weeks"]),
        runs=runs,
        weekly=pd.DataFrame(columns=["run_id", "week", "scenario", "replicate"]),
        contrasts=contrasts,
        value=acceptability(contrasts, scenarios, sorted({*CURVE, *thresholds})),
    )


def weighted(contrasts: pd.DataFrame) -> pd.DataFrame:
    """Contrast rows of several areas as one region's: per replicate, scenario, group and
    outcome, the ``n``-weighted mean level and reference level, and ``n`` summed (rows of
    an empty group, ``n`` 0 or no level, carry no weight).

    Examples:
        >>> rows = pd.DataFrame({"replicate": 0, "scenario": "s", "group": "population",
        ...     "outcome": "qalys", "level": [1.0, 2.0], "reference": [0.0, 1.0], "n": [100, 300]})
        >>> weighted(rows)[["level", "reference", "n"]].iloc[0].tolist()
        [1.75, 0.75, 400.0]
    """
    c = contrasts.copy()
    ok = c["n"].gt(0) & np.isfinite(c["level"]) & np.isfinite(c["reference"])
    w = c["n"].where(ok, 0).astype(float)
    c = c.assign(
        level=c["level"].where(ok, 0) * w,
        reference=c["reference"].where(ok, 0) * w,
        n=w,
    )
    out = c.groupby(KEYS, as_index=False, sort=False)[["level", "reference", "n"]].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["level"] = out["level"] / out["n"].where(out["n"] > 0)
        out["reference"] = out["reference"] / out["n"].where(out["n"] > 0)
    return out


def _effect(result: CompareResult, scenario: str, outcome: str, group: str) -> pd.Series:
    e = result.effects
    row = e[(e["scenario"] == scenario) & (e["outcome"] == outcome) & (e["group"] == group)]
    nan = pd.Series({"mean_diff": np.nan, "ci_low": np.nan, "ci_high": np.nan})
    return row.iloc[0] if len(row) else nan


def _chance(result: CompareResult, scenario: str) -> float:
    v = result.value
    row = v[(v["scenario"] == scenario) & np.isclose(v["threshold"], RANK_THRESHOLD)]
    return float(row["prob_cost_effective"].iloc[0]) if len(row) else float("nan")


def areas_table(result: RegionResult) -> pd.DataFrame:
    """areas.csv: per scenario, the areas ranked by net benefit per person at GBP 20,000
    per QALY (1 the highest), the region last; each with its people, net benefit per
    person and in all (GBP, with 95% intervals), the chance of being cost-effective, QALYs
    and net cost per person, and the area's profile fields that vary across the region."""
    factors = result.factors()
    rows = []
    for sc in result.scenarios[1:]:
        block = []
        named = [(a, result.per_area[a]) for a in result.areas if a in result.per_area]
        for name, r in [*named, (REGION, result.region)]:
            people = sum(result.people.values()) if name == REGION else result.people[name]
            nb = _effect(r, sc, NET_BENEFIT, "population")
            row = {
                "scenario": sc,
                "area": name,
                "people": people,
                "replicates": int(r.settings["replicates_done"]),
                "net_benefit_per_person": nb["mean_diff"],
                "net_benefit_low": nb["ci_low"],
                "net_benefit_high": nb["ci_high"],
                "net_benefit_total": nb["mean_diff"] * people,
                "net_benefit_total_low": nb["ci_low"] * people,
                "net_benefit_total_high": nb["ci_high"] * people,
                "prob_cost_effective": _chance(r, sc),
                "qalys_per_person": _effect(r, sc, "qalys_disc", "population")["mean_diff"],
                "net_cost_per_person": _effect(r, sc, "net_cost_disc", "population")["mean_diff"],
                "swemwbs_referred": _effect(r, sc, "swemwbs", "referred")["mean_diff"],
            }
            profile = result.profiles.get(name, {})
            row |= {f: profile.get(f, np.nan) for f in factors if f not in row}
            block.append(row)
        frame = pd.DataFrame(block)
        areas = frame["area"] != REGION
        rank = frame.loc[areas, "net_benefit_per_person"].rank(ascending=False, method="min")
        frame.insert(0, "rank", rank.astype("Int64"))
        frame = pd.concat(
            [frame[areas].sort_values("rank", kind="stable"), frame[~areas]], ignore_index=True
        )
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def discovery(result: RegionResult, scenario: str) -> list[str]:
    """PRIM's sentences on where ``scenario`` pays off at GBP 20,000 per QALY across the
    areas (net benefit per person above 0; above the median area when all or none do),
    over the profile fields that vary; or why it was not looked for."""
    from netmob.analysis.discover import discover

    t = result.table
    t = t[(t["scenario"] == scenario) & (t["area"] != REGION)].dropna(
        subset=["net_benefit_per_person"]
    )
    factors = result.factors()
    if len(t) < MIN_AREAS:
        return [
            f"Too few areas ({len(t)}) to look for the conditions under which {scenario} pays "
            f"off: scenario discovery (PRIM) needs at least {MIN_AREAS}."
        ]
    if not factors:
        return ["The areas' profiles do not differ, so there are no conditions to look for."]
    values = t["net_benefit_per_person"]
    above = 0.0 if 0 < (values > 0).sum() < len(values) else float(values.median())
    label = f"net benefit per person of {scenario} at GBP {RANK_THRESHOLD:,}/QALY"
    try:
        found = discover(t, factors, "net_benefit_per_person", above=above, label=label)
    except InputError as err:
        return [f"Scenario discovery found nothing to tell apart: {err.reason}."]
    if not found.sentences:
        return [
            f"Scenario discovery (PRIM) found no profile of area in which the {label} is "
            f"clearly above {above:,.0f} (of {len(t)} areas, {found.clear} are)."
        ]
    return [s.replace(" runs", " areas").replace(" run ", " area ") for s in found.sentences]
