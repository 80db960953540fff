"""Outcome measures: weekly population aggregates, the per-person table, the calibration summary.

Everything here reads the model's columns; nothing changes state. The same functions
serve both engines (the reference engine exports its agents to columns first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from netmob.sim import registry, rules
from netmob.sim.network_types import classify, fit, network_features
from netmob.sim.programmes import outcomes as programme
from netmob.sim.state import DIAGNOSES, EDUCATION, HOUSING, KIND, NETWORK_TYPES, ORIGINS
from netmob.sim.vocabulary import CIRCLES, RESOURCE_KINDS, TIE_KINDS

if TYPE_CHECKING:
    from netmob.sim.model_state import ColumnView

WEEKLY = ("week", *registry.names("weekly"))  # the columns of weekly.parquet


@dataclass
class Counters:
    """Events counted from week 1: ties leaving networks by circle, new ties by origin."""

    exits: np.ndarray = field(default_factory=lambda: np.zeros(4, np.int64))
    circle_weeks: np.ndarray = field(default_factory=lambda: np.zeros(4, np.int64))
    new_ties: np.ndarray = field(default_factory=lambda: np.zeros(len(ORIGINS), np.int64))

    def add_week(self, circles: np.ndarray) -> None:
        """Count the live ties in each circle this week (the denominator of turnover)."""
        self.circle_weeks += np.bincount(circles, minlength=4)

    def add_new(self, origins: np.ndarray, week: int) -> None:
        """Count new ties by what formed them (from week 1)."""
        if week >= 1:
            self.new_ties += np.bincount(origins, minlength=len(ORIGINS))


def network_frame(model: ColumnView, typology=None) -> dict[str, np.ndarray]:
    """Per-target features of the network now: size, shares, kinds, places, contacts, and
    the type (nearest centroid of ``typology``, by default the one fitted at week 0)."""
    t, n = model.ties, model.n_target
    live = model.live_ties()
    places = np.bincount(model.attendance.person[model.attendance.active], minlength=n)
    f = network_features(t.ego[live], t.kind[live], places, n)
    f["frequent"] = np.bincount(t.ego[live & (t.freq >= rules.FREQUENT_CONTACT)], minlength=n)
    f["friends"] = np.bincount(t.ego[live & (t.kind == KIND["friend"])], minlength=n)
    f["partner"] = np.bincount(t.ego[live & (t.kind == KIND["partner"])], minlength=n) > 0
    typology = typology or model.baseline.get("typology")
    if typology is None:  # before week 0: a clustering of the network as it is now
        typology = fit(f, model.params.network_types)
    f["type"] = classify(f, typology)
    return f


def density(model: ColumnView) -> np.ndarray:
    """Share of pairs of live members who know each other, per target (NaN below 2 members)."""
    t, lk, n = model.ties, model.links, model.n_target
    live = model.live_ties()
    ok = live[lk.ta] & live[lk.tb]
    known = np.bincount(t.ego[lk.ta[ok]], minlength=n)
    k = np.bincount(t.ego[live], minlength=n).astype(float)
    pairs = k * (k - 1) / 2
    return np.divide(known, pairs, out=np.full(n, np.nan), where=pairs > 0)


def weekly(model: ColumnView) -> dict[str, float]:
    """Population aggregates of this week (one row of ``weekly.parquet``)."""
    pp, n, t = model.people, model.n_target, model.ties
    f = network_frame(model)
    types = np.bincount(f["type"], minlength=3) / n
    new = model.counters.new_ties
    return {
        "week": model.week,
        "swemwbs_mean": float(pp.swemwbs[:n].mean()),
        "ucla_mean": float(pp.ucla[:n].mean()),
        "lonely_share": float((pp.ucla[:n] >= model.params.wellbeing.lonely_cut).mean()),
        "eq5d_mean": float(pp.eq5d[:n].mean()),
        "network_size_mean": float(f["size"].mean()),
        "weekly_contacts_mean": float(f["frequent"].mean()),
        "support_received_mean": float(pp.support_received[:n].mean()),
        "support_gap_mean": float(pp.support_gap[:n].mean()),
        "attending_share": float((pp.attending[:n] > 0).mean()),
        "members_swemwbs_mean": float(pp.swemwbs[n:].mean()) if len(pp) > n else float("nan"),
        "service_cost_mean": float(pp.service_cost[:n].mean()),
        "mh_cost_smi_mean": smi_mean(pp.mh_cost[:n], pp.smi[:n]),
        "qalys_mean": float(pp.qalys[:n].mean()),
        "ties_active": int((t.active & ~t.dormant).sum()),
        "ties_dormant": int((t.active & t.dormant).sum()),
        **{f"new_ties_{o}_total": int(new[ORIGINS.index(o)]) for o in ORIGINS[1:]},
        **{f"{name}_share": float(types[i]) for i, name in enumerate(NETWORK_TYPES)},
        **(programme.weekly(model) if programme.has_programme(model) else {}),
    }


def coded(codes: NDArray[np.integer], names: tuple[str, ...]) -> pd.Categorical[str]:
    """Integer codes as a categorical of ``names`` (the column's vocabulary)."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(names))


def smi_mean(values: np.ndarray, smi: np.ndarray) -> float:
    """Mean of ``values`` over people with SMI (0 when there are none)."""
    return float(values[smi].mean()) if smi.any() else 0.0


def social_capital(model: ColumnView, f: dict[str, np.ndarray]) -> np.ndarray:
    """Access to social capital (a proxy for the Resource Generator-UK of E2): kinds of
    member in the network plus kinds of resource attended (0-14)."""
    a, n = model.attendance, model.n_target
    k = len(RESOURCE_KINDS)
    kinds = model.resources.kind[a.resource[a.active]]
    pairs = np.unique(a.person[a.active].astype(np.int64) * k + kinds)
    return f["kinds"] + np.bincount(pairs // k, minlength=n)


def people_table(model: ColumnView) -> pd.DataFrame:
    """One row per target person at the end of the run."""
    pp, n = model.people, model.n_target
    f = network_frame(model)
    tg = model.targets
    base = model.baseline
    return pd.DataFrame(
        {
            "person_id": np.arange(n),
            "age": pp.age[:n].round(1),
            "male": pp.male[:n],
            "area": pp.area[:n],
            "lives_alone": pp.lives_alone[:n],
            "has_partner": pp.has_partner[:n],
            "housing": coded(pp.housing[:n], HOUSING),
            "education": coded(pp.education[:n], EDUCATION),
            "disability": pp.disability[:n],
            "smi": pp.smi[:n],
            "diagnosis": coded(pp.diagnosis[:n], DIAGNOSES),
            "deprivation": pp.deprivation[:n],
            "pet": pp.pet[:n],
            "dog": pp.dog[:n],
            "n_conditions": pp.n_conditions[:n],
            "burden": pp.burden[:n],
            "self_management": pp.self_mgmt[:n],
            "network_size": f["size"],
            "network_size_start": base.get("network_size", f["size"]),
            "network_type": coded(f["type"], NETWORK_TYPES),
            "network_type_start": coded(base.get("network_type", f["type"]), NETWORK_TYPES),
            "family_fraction": f["family_share"],
            "friends": f["friends"],
            "frequent_contacts": f["frequent"],
            "density": density(model),
            "places": f["places"],
            "support_need": pp.need[:n],
            "support_received": pp.support_received[:n],
            "support_from_partner": pp.support_partner[:n],
            "support_from_others": pp.support_others[:n],
            "support_gap": pp.support_gap[:n],
            "swemwbs": pp.swemwbs[:n],
            "swemwbs_start": base.get("swemwbs", pp.swemwbs[:n]),
            "ucla": pp.ucla[:n],
            "lonely": pp.ucla[:n] >= model.params.wellbeing.lonely_cut,
            "eq5d": pp.eq5d[:n],
            "qalys": pp.qalys[:n],
            "objectives": tg.objectives.sum(axis=1),
            "objectives_achieved": tg.achieved.sum(axis=1),
            "gp_visits": pp.gp_visits[:n],
            "ae_visits": pp.ae_visits[:n],
            "admissions": pp.admissions[:n],
            "mh_crises": pp.mh_crises[:n],
            "mh_contacts": pp.mh_contacts[:n],
            "mh_bed_days": pp.mh_bed_days[:n],
            "service_cost": pp.service_cost[:n],
            "mh_cost": pp.mh_cost[:n],
            "social_capital": social_capital(model, f),
            "members_swemwbs_change": member_change(model),
            **(programme.people_columns(model) if programme.has_programme(model) else {}),
        }
    )


TIES = registry.names("ties")  # the columns of ties.parquet
CHANGED_BY = ("none", *ORIGINS[1:])  # changed_by 0 means nothing changed the tie
NOT_YET = -(10**5)  # week columns below this hold the "never" sentinel


def tie_table(model: ColumnView) -> pd.DataFrame:
    """One row per tie the run has held, active (live or dormant) or ended, now
    (``ties.parquet``; columns in :mod:`netmob.sim.registry`, table ``ties``).

    Ended ties keep their row, so the network at any past week is the rows formed by
    then and not yet ended; their other columns are as they are now (the model keeps no
    history of strength, circle or dormancy).
    """
    t, n = model.ties, model.n_target

    def week_or_na(col: np.ndarray, where: np.ndarray):
        out = pd.array(col, dtype="Int32")
        out[~where] = pd.NA
        return out

    return pd.DataFrame(
        {
            "tie": np.arange(len(t)),
            "ego": t.ego.astype(np.int64),
            "alter": t.alter.astype(np.int64),
            "alter_is_target": t.alter < n,
            "kind": coded(t.kind, TIE_KINDS),
            "circle": coded(t.circle - 1, CIRCLES),
            "strength": t.strength,
            "contacts_per_week": t.freq,
            "dormant": t.dormant,
            "active": t.active,
            "formed": t.formed,
            "ended": week_or_na(t.ended, ~t.active),
            "dormant_since": week_or_na(t.dormant_since, t.dormant & (t.dormant_since > NOT_YET)),
            "origin": coded(t.origin, ORIGINS),
            "changed_by": coded(t.changed_by, CHANGED_BY),
            "support_capacity": t.cap,
            "support_given": t.given,
            "value_subjective": t.value_subj,
            "nearby": t.nearby,
            "negative": t.negative,
        }
    )


COMMON_NODE = ("age", "male", "area", "swemwbs")  # node attributes of everyone
TARGET_NODE = ("lives_alone", "smi", "n_conditions", "ucla", "eq5d", "support_received")


def network_graph(model: ColumnView, week: int | None = None):
    """The ego networks at ``week`` (default: now) as a ``networkx.DiGraph``.

    Nodes are people: every target person (ids ``0..n-1``, network or not) and everyone
    they have a tie to. Node attributes: ``role`` ("target" or "member"), ``age``,
    ``male``, ``area``, ``swemwbs``; a member's ``drawn_by`` (the target person whose
    network drew them); a target person's ``lives_alone``, ``smi``, ``n_conditions``,
    ``ucla``, ``eq5d``, ``support_received``. A tie's circle is on its edge, since one
    member can sit in different circles of different people.

    Edges are the ties active at ``week`` (formed by then, not ended by then; live or
    dormant), from ego to alter, with every column of :func:`tie_table` but ``ego``,
    ``alter``, ``active`` and ``ended`` as attributes (categories as strings, an empty
    week as -1). Attributes are as they are now, also for a past ``week``. Two target
    people tied both ways are two edges, one per ego.

    Raises:
        ValueError: if ``week`` is after the model's current week.
    """
    import networkx as nx

    now = model.week
    week = now if week is None else int(week)
    if week > now:
        raise ValueError(f"week {week} has not happened yet (the model is at week {now})")
    t, n, pp = model.ties, model.n_target, model.people
    rows = np.flatnonzero((t.formed <= week) & (t.active | (t.ended > week)))
    ties = tie_table(model).iloc[rows]
    attrs = [c for c in ties.columns if c not in ("ego", "alter", "active", "ended")]
    columns = [
        ties[c].astype(str).tolist()
        if isinstance(ties[c].dtype, pd.CategoricalDtype)
        else ties[c].fillna(-1).tolist()
        if c == "dormant_since"
        else ties[c].tolist()
        for c in attrs
    ]
    g = nx.DiGraph(week=week, n_target=n, seed=getattr(model, "seed", None))
    members = np.setdiff1d(t.alter[rows], np.arange(n))
    for who, role, extra in (
        (np.arange(n), "target", TARGET_NODE),
        (members, "member", ()),
    ):
        cols = {k: pp.column(k)[who].tolist() for k in (*COMMON_NODE, *extra)}
        if role == "member":
            cols["drawn_by"] = pp.ego[who].tolist()
        g.add_nodes_from(
            (person, {"role": role, **{k: v[i] for k, v in cols.items()}})
            for i, person in enumerate(who.tolist())
        )
    edges = zip(ties["ego"].tolist(), ties["alter"].tolist(), *columns, strict=True)
    g.add_edges_from((e, a, dict(zip(attrs, v, strict=True))) for e, a, *v in edges)
    return g


def baseline(model: ColumnView) -> dict[str, Any]:
    """The state outcomes are measured from (end of burn-in)."""
    pp, n = model.people, model.n_target
    t = model.ties
    live = model.live_ties()
    places = np.bincount(model.attendance.person[model.attendance.active], minlength=n)
    typology = fit(
        network_features(t.ego[live], t.kind[live], places, n), model.params.network_types
    )
    return {
        "typology": typology,  # the clustering every later classification uses (N7)
        "network_size": model.network_size().copy(),
        "swemwbs": pp.swemwbs[:n].copy(),
        "members_swemwbs": pp.swemwbs[n:].copy(),
        "eq5d": pp.eq5d[:n].copy(),
        "ucla": pp.ucla[:n].copy(),
        "network_type": network_frame(model, typology)["type"],
    }


def member_change(model: ColumnView) -> np.ndarray:
    """Per target: mean SWEMWBS change since week 0 of the members who drew into their network."""
    pp, n = model.people, model.n_target
    start = model.baseline.get("members_swemwbs")
    if start is None or len(pp) == n:
        return np.zeros(n)
    change = pp.swemwbs[n:] - start
    ego = pp.ego[n:]
    total = np.bincount(ego, change, minlength=n)
    count = np.bincount(ego, minlength=n)
    return np.divide(total, count, out=np.zeros(n), where=count > 0)


# Calibration targets: (summary key, low, high, source).
CALIBRATION = (
    ("network_size_mean", 8.0, 12.0, "N1 (8.5), N4 (11.7)"),
    ("family_share", 0.35, 0.50, "N4 (43.1%)"),
    ("friend_share", 0.15, 0.35, "N4 (26.5%)"),
    ("partner_share", 0.50, 0.65, "N2 (59%)"),
    ("living_alone_share", 0.20, 0.30, "N3 (25.3%)"),
    ("weekly_contacts_mean", 4.0, 6.0, "N2 (4.8)"),
    ("density_mean", 0.35, 0.65, "N2 (0.49)"),
    ("inner_turnover_per_year", 0.0, 0.05, "T1 (1-4%)"),
    ("outer_turnover_per_year", 0.05, 0.12, "T2 (7-10%)"),
    ("network_size_change", -0.10, 0.10, "T2 (constant size)"),
    ("swemwbs_mean", 19.0, 25.0, "S1 (23.2-23.7 general population)"),
    ("eq5d_mean", 0.60, 0.75, "S2 (0.6-0.75)"),
)


def summary(model: ColumnView) -> dict:
    """The calibration check and the run's cost (``summary.json``)."""
    pp, n, t = model.people, model.n_target, model.ties
    f = network_frame(model)
    live = model.live_ties()
    kinds = np.bincount(t.kind[live], minlength=len(TIE_KINDS))
    total = max(kinds.sum(), 1)
    years = max(model.week, 1) / 52.0
    c = model.counters
    inner_mean = c.circle_weeks[1] / max(model.week, 1)
    outer_mean = (c.circle_weeks[2] + c.circle_weeks[3]) / max(model.week, 1)
    start = model.baseline.get("network_size", f["size"]).mean()
    weeks_stepped = model.week + model.params.run.burn_in
    types = np.bincount(f["type"], minlength=3) / n
    out = {
        "n_people_target": n,
        "weeks": model.week,
        "network_size_mean": float(f["size"].mean()),
        "family_share": float((kinds[KIND["partner"]] + kinds[KIND["family"]]) / total),
        "friend_share": float(kinds[KIND["friend"]] / total),
        "partner_share": float(f["partner"].mean()),
        "living_alone_share": float(pp.lives_alone[:n].mean()),
        "weekly_contacts_mean": float(f["frequent"].mean()),
        "density_mean": float(np.nanmean(density(model))),
        "inner_turnover_per_year": float(c.exits[1] / max(inner_mean, 1e-9) / years),
        "outer_turnover_per_year": float((c.exits[2] + c.exits[3]) / max(outer_mean, 1e-9) / years),
        "network_size_change": float(f["size"].mean() / start - 1.0) if start > 0 else 0.0,
        **{f"{name}_share": float(types[i]) for i, name in enumerate(NETWORK_TYPES)},
        "swemwbs_mean": float(pp.swemwbs[:n].mean()),
        "ucla_mean": float(pp.ucla[:n].mean()),
        "lonely_share": float((pp.ucla[:n] >= model.params.wellbeing.lonely_cut).mean()),
        "eq5d_mean": float(pp.eq5d[:n].mean()),
        "qalys_mean": float(pp.qalys[:n].mean()),
        "support_received_mean": float(pp.support_received[:n].mean()),
        "service_cost_mean": float(pp.service_cost[:n].mean()),
        "mh_cost_smi_mean": smi_mean(pp.mh_cost[:n], pp.smi[:n]),
        "members_swemwbs_change_mean": float(member_change(model).mean()),
        **{f"new_ties_{o}_total": int(c.new_ties[ORIGINS.index(o)]) for o in ORIGINS[1:]},
        "n_people_total": int(len(pp)),
        "run_seconds": round(model.step_seconds, 4),
        "person_weeks_per_second": float(len(pp) * weeks_stepped / max(model.step_seconds, 1e-9)),
    }
    if programme.has_programme(model):
        out |= programme.summary(model, programme.people_columns(model))
    return out


def calibration_rows(summary_: dict) -> list[dict]:
    """The summary beside its calibration targets, one row per check."""
    rows = []
    for key, lo, hi, source in CALIBRATION:
        v = summary_[key]
        rows.append(
            {
                "measure": key,
                "value": v,
                "low": lo,
                "high": hi,
                "source": source,
                "ok": lo <= v <= hi,
            }
        )
    for name in NETWORK_TYPES:
        share = summary_[f"{name}_share"]
        rows.append(
            {
                "measure": f"type: {name}",
                "value": share,
                "low": 0.10,
                "high": 1.0,
                "source": "N7 (three types)",
                "ok": share >= 0.10,
            }
        )
    return rows
