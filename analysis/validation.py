"""Checks of the programmes against the evaluations they come from (issue 3).

    python -m netmob.analysis.validation genie [--people N] [--weeks N] [--replicates N]
    python -m netmob.analysis.validation plans
    python -m netmob.analysis.validation connecting_people

Each replicate runs the programme and the baseline (no programme) from the same seed, so
effects are paired per person. The figures printed are those the tests check.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from netmob.analysis.paired import person_differences
from netmob.analysis.stats import mean_ci as _mean_ci
from netmob.sim.model import NetworkModel
from netmob.sim.params import Params
from netmob.sim.run import simulate
from netmob.sim.scenario import load_scenario

# Defaults from the parameter schema (population.n_people, run.weeks).
PEOPLE, WEEKS = Params().population.n_people, Params().run.weeks


def mean_ci(values) -> tuple[float, float, float]:
    """Mean and 95% t-interval over replicates, as (mean, low, high)."""
    r = _mean_ci(values)
    return r["mean"], r["lo"], r["hi"]


def _params(n: int, weeks: int, **over) -> Params:
    return Params.from_overrides({"population.n_people": n, "run.weeks": weeks, **over})


def genie(
    n: int = PEOPLE, weeks: int = WEEKS, replicates: int = 20, pathway_replicates: int = 10
) -> dict:
    """Engagement, effects, timing and attribution of the GENIE preset (P3, P4, E3, E5)."""
    per = []
    for seed in range(replicates):
        base = simulate(_params(n, weeks), seed).people
        run = simulate(_params(n, weeks, **{"programme.preset": "genie"}), seed)
        p = run.people
        ref = p["referred"].to_numpy()
        eng = ref & (p["contacts"].to_numpy() >= 3)
        d = person_differences(p, base, ["swemwbs"])["swemwbs"].to_numpy()
        adopters = p["stage_reached"].isin(["adopting", "sustained"]).to_numpy()
        nudged = (p["resources_taken_up_nudge"] > 0).to_numpy()
        per.append(
            {
                "contacts_3plus_share": run.summary["engaged_3plus_share"],
                "disengaged_share": run.summary["disengaged_share"],
                "itt_swemwbs": d[ref].mean(),
                "engaged_swemwbs": d[eng].mean(),
                "weeks_to_change_nudge": p.loc[
                    p["first_change_pathway"] == "nudge", "weeks_to_first_change"
                ].median(),
                "weeks_to_change_mobilisation": p.loc[
                    p["first_change_pathway"] == "mobilisation", "weeks_to_first_change"
                ].median(),
                "deepened_reactivated_per_adopter_mobilisation": (
                    p["deepened_ties_mobilisation"] + p["reactivated_ties_mobilisation"]
                )[adopters].mean(),
                "deepened_reactivated_per_adopter_nudge": (
                    p["deepened_ties_nudge"] + p["reactivated_ties_nudge"]
                )[nudged].mean(),
            }
        )
    out = {k: mean_ci([r[k] for r in per]) for k in per[0]}
    out |= pathway_comparison(n, weeks, pathway_replicates)
    return out


def pathway_comparison(n: int, weeks: int, replicates: int) -> dict:
    """ITT effect on SWEMWBS with both pathways, the nudge only, mobilisation only."""
    arms = {
        "both": {},
        "nudge_only": {"pathways.mobilisation": False},
        "mobilisation_only": {"pathways.nudge": False},
    }
    effects: dict[str, list[float]] = {a: [] for a in arms}
    for seed in range(replicates):
        base = simulate(_params(n, weeks), seed).people
        for arm, over in arms.items():
            p = simulate(_params(n, weeks, **{"programme.preset": "genie", **over}), seed).people
            ref = p["referred"].to_numpy()
            effects[arm].append(
                person_differences(p, base, ["swemwbs"])["swemwbs"].to_numpy()[ref].mean()
            )
    return {f"itt_swemwbs_{a}": mean_ci(v) for a, v in effects.items()}


def plans(n: int = PEOPLE, weeks: int = WEEKS, replicates: int = 4) -> dict:
    """EQ-5D 26 weeks after referral among participants (referred, at least one contact) (E1)."""
    effects = []
    for seed in range(replicates):
        base = NetworkModel(_params(n, weeks), seed=seed, panel=("eq5d",)).run()
        run = NetworkModel(
            _params(n, weeks, **{"programme.preset": "plans"}), seed=seed, panel=("eq5d",)
        ).run()
        c = run.programme.clients
        who = np.flatnonzero((c.referred >= 1) & (c.referred + 26 <= weeks) & (c.contacts > 0))
        week = c.referred[who] + 26 - 1
        effects.append(float((run.panel["eq5d"][week, who] - base.panel["eq5d"][week, who]).mean()))
    return {"eq5d_26w_participants": mean_ci(effects)}


def connecting_people(n: int = PEOPLE, weeks: int = 39, replicates: int = 3) -> dict:
    """E2 as the pilot measured it (TR2): within the delivered arm
    (``trial_connecting_people_delivered``, fidelity as delivery achieves it), clients seen
    with high fidelity against those seen with low, each against the same person without
    the programme (``trial_connecting_people``, same seed): change in access to social
    capital, and service costs (mental-health contacts and bed-days included)."""
    size = {"population.n_people": n, "run.weeks": weeks}
    arm = load_scenario("trial_connecting_people_delivered").params.with_overrides(size)
    control = load_scenario("trial_connecting_people").params.with_overrides(size)
    out: dict[str, list[float]] = {}
    for seed in range(replicates):
        base = simulate(control, seed).people
        p = simulate(arm, seed).people
        d = person_differences(p, base, ["social_capital", "service_cost"])
        seen = (p["referred"] & (p["contacts"] > 0)).to_numpy()
        high = seen & p["high_fidelity"].to_numpy()
        for label, group in (("high", high), ("low", seen & ~high)):
            for col in ("social_capital", "service_cost"):
                key = f"{col}_{label}_fidelity"
                out.setdefault(key, []).append(float(d[col].to_numpy()[group].mean()))
        out.setdefault("high_fidelity_share", []).append(float(high.sum() / max(seen.sum(), 1)))
    return {k: mean_ci(v) for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("preset", choices=["genie", "plans", "connecting_people"])
    ap.add_argument("--people", type=int, default=PEOPLE, help="default: %(default)s")
    ap.add_argument(
        "--weeks",
        type=int,
        default=None,
        help=f"default: {WEEKS} (39, TR2's follow-up, for connecting_people)",
    )
    ap.add_argument("--replicates", type=int, default=None)
    a = ap.parse_args()
    fn = {"genie": genie, "plans": plans, "connecting_people": connecting_people}[a.preset]
    kw = {"n": a.people} | ({"weeks": a.weeks} if a.weeks else {})
    kw |= {"replicates": a.replicates} if a.replicates else {}
    res = fn(**kw)
    print(json.dumps({k: [round(x, 4) for x in v] for k, v in res.items()}, indent=1))
    print("(each value: mean, 95% CI low, high over replicates)")


if __name__ == "__main__":
    main()
