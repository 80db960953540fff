"""What a programme did, per person and per run, with every change attributed to its pathway."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

import numpy as np

from netmob.sim.programmes.state import NEVER, STAGES, waiting_list
from netmob.sim.state import ORIGIN, ORIGINS

if TYPE_CHECKING:
    from netmob.sim.model_state import ColumnView, ModelState

PATHWAY_SUFFIX = {"nudge": "_n", "mobilisation": "_m"}


def has_programme(model: ColumnView) -> TypeGuard[ModelState]:
    """Whether the model has a programme component (the reference engine has none)."""
    return getattr(model, "programme", None) is not None


def new_ties_by(model: ColumnView, origin: str) -> np.ndarray:
    """Ties each target person formed since week 1 that ``origin`` formed."""
    t = model.ties
    rows = (t.formed >= 1) & (t.origin == ORIGIN[origin])
    return np.bincount(t.ego[rows], minlength=model.n_target)


def objectives_by(model: ColumnView, origin: str) -> np.ndarray:
    """Objectives each person achieved through ``origin``."""
    return (model.targets.achieved & (model.targets.achieved_by == ORIGIN[origin])).sum(axis=1)


def changes(model: ModelState, pathway: str) -> dict[str, np.ndarray]:
    """Each kind of change ``pathway`` enacted, per target person."""
    c, s = model.programme.clients, PATHWAY_SUFFIX[pathway]
    return {
        "resources_taken_up": c.column("taken_up" + s).astype(np.int64),
        "members_along": c.column("along" + s).astype(np.int64),
        "reactivated_ties": c.column("reactivated" + s).astype(np.int64),
        "deepened_ties": c.column("deepened" + s).astype(np.int64),
        "undervalued_support_drawn": (c.column("revalued" + s) > 0).astype(np.int64),
        "new_ties": new_ties_by(model, pathway),
        "objectives_achieved": objectives_by(model, pathway),
    }


def people_columns(model: ModelState) -> dict[str, np.ndarray]:
    """Programme columns of ``people.parquet``."""
    c, n = model.programme.clients, model.n_target
    referred = c.referred >= 1
    by = {p: changes(model, p) for p in PATHWAY_SUFFIX}
    first = np.where(c.first_change >= 1, c.first_change - c.referred, np.nan)
    out = {
        "referred": referred,
        "referred_week": np.where(referred, c.referred, -1),
        "contacts": c.contacts.astype(np.int64),
        "disengaged": c.disengaged.copy(),
        "left_waiting_list": c.left_waiting & referred,
        "high_fidelity": c.high_fidelity & referred,
        "fidelity": np.where(c.contacts > 0, c.fidelity, np.nan),
        "trust": np.where(c.contacts > 0, c.trust, np.nan),
        "stepped_back": c.stepped_back.astype(np.int64),
        "stage_reached": np.array(STAGES, dtype=object)[c.stage_reached],
        "status_quo": c.status_quo.copy(),
        "regressions": c.regressions.astype(np.int64),
        "first_change_pathway": np.array(ORIGINS, dtype=object)[c.first_pathway],
        "weeks_to_first_change": first,
    }
    out["first_change_pathway"][c.first_pathway == 0] = "none"
    for p in PATHWAY_SUFFIX:
        out[f"changes_{p}"] = sum(by[p].values(), np.zeros(n, np.int64))
    for kind in (
        "new_ties",
        "deepened_ties",
        "reactivated_ties",
        "resources_taken_up",
        "members_along",
    ):
        for p in PATHWAY_SUFFIX:
            out[f"{kind}_{p}"] = by[p][kind]
    organic = new_ties_by(model, "organic")
    out["new_ties"] = organic + out["new_ties_nudge"] + out["new_ties_mobilisation"]
    out["deepened_ties"] = out["deepened_ties_nudge"] + out["deepened_ties_mobilisation"]
    out["reactivated_ties"] = out["reactivated_ties_nudge"] + out["reactivated_ties_mobilisation"]
    out["objectives_nudge"] = by["nudge"]["objectives_achieved"]
    out["objectives_mobilisation"] = by["mobilisation"]["objectives_achieved"]
    assert all(len(v) == n for v in out.values())
    return out


def fte_weeks(model: ModelState) -> float:
    """Full-time-equivalent weeks the workforce has been paid for."""
    W = model.programme.workers
    return float((W.weeks_paid * W.fte).sum()) if len(W) else 0.0


def intervention_cost(model: ModelState) -> float:
    """Workers' pay for the weeks in post (each at their share of full time), plus
    materials per person referred (GBP)."""
    pr = model.params.programme
    paid_years = fte_weeks(model) / 52.0
    return float(
        pr.worker_cost * paid_years
        + pr.cost_per_referral * (model.programme.clients.referred >= 1).sum()
    )


def summary(model: ModelState, people: dict[str, np.ndarray]) -> dict:
    """Run-level programme figures for ``summary.json``."""
    c, pp, n = model.programme.clients, model.people, model.n_target
    referred = c.referred >= 1
    k = int(referred.sum())
    cost = intervention_cost(model)

    def among(x):
        return float(np.mean(x[referred])) if k else float("nan")

    return {
        "people_referred": k,
        "people_reached": int((referred & (c.contacts > 0)).sum()),
        "contacts_mean": among(c.contacts),
        "engaged_3plus_share": among(c.contacts >= 3),
        "disengaged_share": among(c.disengaged),
        "changes_nudge_total": int(people["changes_nudge"].sum()),
        "changes_mobilisation_total": int(people["changes_mobilisation"].sum()),
        "intervention_cost": cost,
        "cost_per_referred": cost / k if k else float("nan"),
        "service_cost_total": float(pp.service_cost[:n].sum()),
        "swemwbs_referred_mean": among(pp.swemwbs[:n]),
        "support_received_referred_mean": among(pp.support_received[:n]),
        "workers_in_post_mean": fte_weeks(model) / max(model.week, 1),
        "waiting_left_share": among(c.left_waiting),
        "worker_knowledge_mean": float(model.programme.workers.knowledge.mean())
        if len(model.programme.workers)
        else float("nan"),
    }


def weekly(model: ModelState) -> dict[str, float]:
    """Programme aggregates of this week for ``weekly.parquet``."""
    c = model.programme.clients
    referred = c.referred >= 1
    return {
        "people_referred": int(referred.sum()),
        "people_reached": int((referred & (c.contacts > 0)).sum()),
        "clients_active": int(c.active.sum()),
        "clients_waiting": int(waiting_list(c).sum()),
        "nudges": int(c.nudges.sum()),
        "adopting_or_sustained": int((c.stage >= 6).sum()),
        "intervention_cost": intervention_cost(model),
    }


__all__ = ["NEVER", "has_programme", "people_columns", "summary", "weekly"]
