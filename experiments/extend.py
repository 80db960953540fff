"""A sweep grown in place: more replicates, or more points of a grid, without redoing the
runs already done.

A sweep directory holds one question (its spec's definition); a changed question is
refused (:func:`netmob.experiments.store.check_same_spec`). One change is not another
question but more of the same: the spec asks for more replicates, or its grid adds levels
to a factor, and nothing else changes (the same factors in the same order, base, fixed
parameters, seed, outcomes, posterior, area). Then every run of the old sweep is a run of
the new one, with the same parameters and seed, and only the new runs are done.

The old runs keep their ids and their points' numbers; the new points are numbered after
the old ones, and the new runs get ids after the largest old one (replicate by replicate,
then point), so that the seed of every run (which follows its point's number when
``crn: false``) is what it was. The grown design is written to ``design.parquet`` and the
ids of every run to ``run_ids.parquet``; the manifest takes the new definition, with a
note of the growth. A sweep on a posterior draws each replicate's particle from the
sweep's seed in order, so the first replicates keep theirs (checked against
``draws.parquet``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from netmob.experiments import design as dsg
from netmob.experiments.plan import Plan, RunTask, run_seed
from netmob.experiments.store import DESIGN, MANIFEST, read_manifest
from netmob.sim.errors import InputError
from netmob.sim.io import write_json, write_parquet

RUN_IDS = "run_ids.parquet"  # a grown sweep: the id of every (point, replicate)
GROWS = ("replicates", "vary", "design")  # what may change when a sweep grows


def grown_plan(out: str | Path, spec: Any, fresh: Plan) -> Plan:
    """The plan of ``spec`` in ``out``: ``fresh`` (:func:`~netmob.experiments.plan.plan`)
    for a new directory or the same question, or, when ``spec`` grows the sweep ``out``
    holds (or held, grown before), the grown plan, with the directory's design and ids
    brought up to date.

    Raises:
        InputError: if the sweep would shrink (fewer replicates, a point dropped).
    """
    root = Path(out)
    if not (root / MANIFEST).is_file():
        return fresh
    old = read_manifest(root)
    if old.get("kind", "sweep") != "sweep":
        return fresh
    same = old.get("spec_hash") == spec.digest()
    now = json.loads(json.dumps(spec.definition(), default=str))  # as the manifest keeps it
    if not same and not _grows(old.get("definition", {}), now):
        return fresh  # another question: the store refuses it, naming what changed
    if same and not (root / RUN_IDS).is_file():
        return fresh  # never grown: ids are point x replicates + replicate
    stored = pd.read_parquet(root / DESIGN)
    points = _merged(stored, fresh.points, spec)
    ids = _ids(root, old, points, spec.replicates)
    plan = _plan(spec, points, ids, fresh)
    if not same:
        _check_draws(root, fresh)
        write_parquet(points, root / DESIGN)
        write_parquet(ids, root / RUN_IDS)
        _renew_manifest(root, old, spec, len(points))
    return plan


def _grows(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """``after`` asks for more of ``before``'s sweep: only replicates, levels or values
    of the same factors differ (a grid stays a grid)."""
    if not before or set(before) != set(after):
        return False
    if any(before[k] != after[k] for k in after if k not in GROWS):
        return False
    names = [f["name"] for f in before["vary"]], [f["name"] for f in after["vary"]]
    kinds = before["design"]["kind"], after["design"]["kind"]
    if names[0] != names[1] or kinds[0] != kinds[1]:
        return False
    if after["replicates"] < before["replicates"]:
        raise InputError(
            "a sweep can grow, not shrink: it asks for fewer replicates than the directory holds",
            field="replicates",
            value=after["replicates"],
            allowed=f"{before['replicates']} or more, or a new --out directory",
        )
    if before["vary"] != after["vary"] and kinds[1] != "grid":
        return False  # a sampled design's points are another sample, not more points
    return True


def _merged(stored: pd.DataFrame, new: pd.DataFrame, spec: Any) -> pd.DataFrame:
    """The stored points with their numbers, then the new design's other points."""
    names = [f.name for f in spec.factors]
    key = list(map(tuple, stored[names].astype(object).to_numpy()))
    wanted = list(map(tuple, new[names].astype(object).to_numpy()))
    dropped = [k for k in key if k not in wanted]
    if dropped:
        raise InputError(
            "a sweep can grow, not shrink: the new design leaves out points the directory holds",
            field="vary",
            value=dict(zip(names, dropped[0], strict=True)),
            allowed="the old levels and more, or a new --out directory",
        )
    extra = new[[k not in key for k in wanted]].copy()
    extra["point"] = range(len(stored), len(stored) + len(extra))
    return pd.concat([stored, extra[stored.columns]], ignore_index=True)


def _ids(root: Path, old: dict[str, Any], points: pd.DataFrame, replicates: int) -> pd.DataFrame:
    """Every (point, replicate)'s run id: the stored ones kept, new ones after them."""
    if (root / RUN_IDS).is_file():
        known = pd.read_parquet(root / RUN_IDS)
    else:
        r0, n0 = int(old["replicates"]), int(old["points"])
        known = pd.DataFrame(
            [(p, r, p * r0 + r) for p in range(n0) for r in range(r0)],
            columns=["point", "replicate", "run_id"],
        )
    have = set(zip(known["point"], known["replicate"], strict=True))
    nxt = int(known["run_id"].max()) + 1 if len(known) else 0
    new = []
    for r in range(replicates):
        for p in points["point"]:
            if (int(p), r) not in have:
                new.append((int(p), r, nxt))
                nxt += 1
    rows = pd.DataFrame(new, columns=["point", "replicate", "run_id"])
    return pd.concat([known, rows], ignore_index=True).astype("int64")


def _plan(spec: Any, points: pd.DataFrame, ids: pd.DataFrame, fresh: Plan) -> Plan:
    """The grown sweep's runs, replicate by replicate."""
    run_id = {(p, r): i for p, r, i in ids[["point", "replicate", "run_id"]].to_numpy()}
    drawn = fresh.draws
    tasks = []
    for r in range(spec.replicates):
        draw = {} if drawn is None else dsg.plain(drawn.drop(columns="replicate").iloc[r])
        for _, row in points.iterrows():
            p = int(row["point"])
            over = {**spec.fixed, **dsg.overrides(row, spec.factors)}
            tasks.append(
                RunTask(
                    run_id=int(run_id[(p, r)]),
                    point=p,
                    replicate=r,
                    seed=run_seed(spec.seed, p, r, spec.crn),
                    overrides={**draw, **over},
                )
            )
    return Plan(points=points, tasks=tasks, draws=drawn)


def _check_draws(root: Path, fresh: Plan) -> None:
    """The first replicates keep the posterior particles they drew."""
    path = root / "draws.parquet"
    if fresh.draws is None or not path.is_file():
        return
    before = pd.read_parquet(path)
    now = fresh.draws.head(len(before)).reset_index(drop=True)
    if not before.reset_index(drop=True).equals(now[before.columns]):
        raise InputError(
            "the grown sweep would draw other posterior particles for the replicates done",
            file=str(path),
            allowed="the same posterior and seed, or a new --out directory",
        )


def _renew_manifest(root: Path, old: dict[str, Any], spec: Any, points: int) -> None:
    """The manifest of the grown sweep: the new question, and a note of the growth."""
    manifest = dict(old)
    note = {
        "replicates": [old["replicates"], spec.replicates],
        "points": [old["points"], points],
        "spec_hash": [old["spec_hash"], spec.digest()],
    }
    manifest.update(
        spec_hash=spec.digest(),
        definition=json.loads(json.dumps(spec.definition(), default=str)),
        points=points,
        replicates=spec.replicates,
        runs=points * spec.replicates,
        grown=[*old.get("grown", []), note],
    )
    write_json(manifest, root / MANIFEST)
