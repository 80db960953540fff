"""The commissioner's report: one self-contained HTML page from a paired comparison.

It states the question, describes the scenarios in plain words, gives a headline table,
shows outcomes over time with bands, effects with intervals, cost against QALYs, value for
money (net benefit and the acceptability curve), effects by network type and by pathway,
and says what the model assumes. Figures are matplotlib, embedded as PNG.
"""

from __future__ import annotations

import html
import importlib.metadata
import shlex
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from netmob.analysis.brief import in_brief
from netmob.analysis.compare import (
    DRAW,
    OUTCOME_MEANING,
    CompareResult,
    by_horizon,
    by_measure,
    headline,
    headline_numbers,
    over_time,
    ranking,
)
from netmob.analysis.figures import PALETTE, figure, img_tag, style
from netmob.analysis.html import folded, kept, page, paragraph, section, table
from netmob.analysis.trust import distinct_draws, trust_lines
from netmob.analysis.uncertainty import drivers
from netmob.experiments.economics import increments, net_benefits
from netmob.experiments.effects import LONGEST_FOLLOW_UP
from netmob.experiments.stats import mean_ci
from netmob.experiments.store import code_version
from netmob.sim.io import atomic_write
from netmob.sim.params import field_info
from netmob.sim.scenario import load_scenario

TIME_SERIES = (
    ("swemwbs_mean", "Mental wellbeing (SWEMWBS), all target people"),
    ("lonely_share", "Share lonely (UCLA-3 of 6 or more)"),
    ("network_size_mean", "People in the personal network"),
    ("people_reached", "People seen by a worker (cumulative)"),
)
FOREST = ("swemwbs", "ucla", "eq5d", "network_size", "objectives_achieved", "members_swemwbs")


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def place(result: CompareResult) -> str:
    """Where the comparison ran: the area's name, or "the default community"."""
    area = (result.settings.get("files") or {}).get("area")
    return area["name"] if area else "the default community"


def title(result: CompareResult) -> str:
    """The report's title: what is compared, against what, where."""
    ref, others = result.scenarios[0], result.scenarios[1:]
    return f"netmob: {_join(list(others))} against {ref} in {place(result)}"


def question(result: CompareResult) -> str:
    ref, others = result.scenarios[0], result.scenarios[1:]
    s = result.settings
    return (
        f"What changes, for whom and at what cost, under {_join(list(others))} compared with "
        f"{ref}, in {place(result)}? Each scenario was run for {s['people']:,} people with "
        f"long-term conditions{_scaled(result)} over {s['weeks']} weeks, {s['replicates']} "
        f"times from paired seeds (seed {s['seed']}), so that the scenarios differ only "
        "through what the scenarios change." + drawn_text(s.get("uncertainty"))
    )


def _scaled(result: CompareResult) -> str:
    """How an area run at another size was scaled ("" at its own size)."""
    area = (result.settings.get("files") or {}).get("area")
    own = (area or {}).get("people")
    people = result.settings["people"]
    if not own or own == people:
        return ""
    return (
        f" (the area has {own:,}; its workers, budget and places a week were scaled by "
        f"{people / own:.3g}, so per person they are as in the area)"
    )


def _join(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def drawn_text(u: dict | None) -> str:
    """What each replicate drew, if anything: ranges of assumptions, or a posterior."""
    if not u:
        return ""
    if u.get("note"):  # drawn in place of the shipped posterior, which is not validated
        return f" {u['note']} " + _ranges_text(u)
    if u.get("kind") == "posterior":
        return (
            f" Each replicate also drew one set of the {len(u['ranges'])} calibrated "
            f"parameters from a calibration's posterior ('{u['name']}'), by weight, the same "
            "draw for every scenario, so the intervals carry the parameter uncertainty the "
            "published evidence leaves as well as chance."
        )
    return " " + _ranges_text(u)


def _ranges_text(u: dict) -> str:
    return (
        f"Each replicate also drew {len(u['ranges'])} assumed parameters from their "
        f"ranges (uncertainty spec '{u['name']}'), the same draw for every scenario, so "
        "the intervals carry uncertainty in those assumptions as well as chance."
    )


def trust_section(result: CompareResult) -> str:
    """How far to trust this: what the parameters were drawn from (a posterior: whether it
    is validated and what it misses), and whether the replicates are enough for the
    chances shown (:mod:`netmob.analysis.trust`)."""
    lines = trust_lines(result.settings, distinct_draws(result.runs, DRAW))
    items = "".join(
        f"<li{' class="warn"' if warn else ''}>{html.escape(text)}</li>" for text, warn in lines
    )
    return section("How far to trust this", f"<ul>{items}</ul>")


def scenarios_section(result: CompareResult) -> str:
    items = "".join(
        f"<li><b>{html.escape(name)}</b>{' (reference)' if i == 0 else ''}: "
        f"{html.escape(result.descriptions.get(name, ''))}</li>"
        for i, name in enumerate(result.scenarios)
    )
    return section("The scenarios", f"<ul>{items}</ul>")


def _discounting(result: CompareResult) -> str:
    """How value for money was discounted, in words."""
    rate = result.settings.get("discount", 0.0)
    if not rate:
        return "undiscounted"
    return f"discounted at {rate:.1%} a year after the first (NICE's reference case is 3.5%)"


def headline_section(result: CompareResult) -> str:
    note = paragraph(
        f"Differences from {result.scenarios[0]}, with the 95% Monte Carlo interval of the "
        "mean over replicates"
        + (
            " and, after 'across draws', the 2.5th to 97.5th percentile of the effect across "
            "the replicates' parameter draws (how far the answer varies with the parameters, "
            "which more replicates do not narrow)"
            if result.settings.get("uncertainty")
            else ""
        )
        + ". 'Referred': "
        "people the scenario's programme referred; 'engaged': referred with 3 or more contacts. "
        "SWEMWBS changes of 1-3 points are meaningful for an individual (S1). Costs in GBP per "
        "person; net cost per QALY is programme plus service cost over QALYs gained "
        f"(n/a where no QALYs are clearly gained), both {_discounting(result)}; QALYs per "
        "person and costs per person are not discounted.",
        note=True,
    )
    return section("Headline", table(by_measure(headline(result))), note)


def horizons_section(result: CompareResult) -> str:
    """The headline's effects at the trials' horizons and at the end, which scenario comes
    first at each, and which results are extrapolation (past the longest follow-up)."""
    t = over_time(result)
    if t.empty:
        return ""
    firsts = ranking(result)["order"].map(lambda o: o[0] if o else "")
    if len(result.scenarios) < 3:
        order = ""
    elif firsts.nunique() == 1:
        order = f" {firsts.iloc[0]} gains most SWEMWBS among people referred at every horizon."
    else:
        order = (
            " Which scenario gains most SWEMWBS among people referred changes with the "
            "horizon: " + ", ".join(f"{sc} at {w} weeks" for w, sc in zip(
                ranking(result)["week"], firsts, strict=True)) + "."
        )  # fmt: skip
    note = paragraph(
        "Each effect read at the trials' follow-ups (26 weeks: BRIGHT and PALS, TR1, TR3; "
        "39 weeks: Connecting People and Deep End, TR2, TR4) and at the run's end, among "
        "the people in each group by then (people referred by that week). The longest "
        f"follow-up in the record is {LONGEST_FOLLOW_UP} weeks (E6's 18 months): a result "
        "past it is extrapolation, marked here and in effects.csv (extrapolated)." + order,
        note=True,
    )
    return section("Over time: the trials' horizons and the end", table(t), note)


def time_figure(result: CompareResult) -> str:
    fig, axes = figure(2, 2, width=5.2, height=3.2)
    for ax, (col, title) in zip(np.ravel(axes), TIME_SERIES, strict=True):
        for i, sc in enumerate(result.scenarios):
            w = result.weekly[result.weekly["scenario"] == sc]
            if col not in w:
                continue
            g = w.groupby("week")[col]
            m, sd, k = g.mean(), g.std(ddof=1).fillna(0), g.count()
            half = 1.96 * sd / np.sqrt(k)
            ax.plot(m.index, m.values, color=colour(i), label=sc, lw=1.5)
            ax.fill_between(m.index, m - half, m + half, color=colour(i), alpha=0.2, lw=0)
        style(ax, title, "week")
    np.ravel(axes)[0].legend(fontsize=8)
    return img_tag(fig, "Outcomes over time with 95% bands")


def forest_figure(result: CompareResult, group: str = "referred") -> str:
    e = result.effects[(result.effects["group"] == group) & result.effects["outcome"].isin(FOREST)]
    fig, axes = figure(3, 2, width=3.8, height=2.4)
    others = result.scenarios[1:]
    for ax, outcome in zip(np.ravel(axes), FOREST, strict=True):
        rows = e[e["outcome"] == outcome].set_index("scenario").reindex(others)
        y = np.arange(len(others))
        err = np.vstack([rows["mean_diff"] - rows["ci_low"], rows["ci_high"] - rows["mean_diff"]])
        ax.errorbar(
            rows["mean_diff"], y, xerr=np.nan_to_num(err), fmt="o", color=colour(1), capsize=3
        )
        ax.axvline(0, color="#888", lw=0.8)
        ax.set_yticks(y, others, fontsize=8)
        meaning, unit = OUTCOME_MEANING[outcome]
        style(ax, meaning, unit)
    return img_tag(fig, f"Effects among {group} people with 95% intervals")


def cost_figure(result: CompareResult) -> str:
    c = result.contrasts[result.contrasts["group"] == "population"]
    fig, ax = figure(1, 1, width=6, height=4.2)
    for i, sc in enumerate(result.scenarios[1:], start=1):
        s = c[c["scenario"] == sc]
        dq = (s[s["outcome"] == "qalys"].set_index("replicate").eval("level - reference")) * 1000
        dc = (s[s["outcome"] == "net_cost"].set_index("replicate").eval("level - reference")) * 1000
        q, k = mean_ci(dq), mean_ci(dc)
        ax.errorbar(
            q["mean"],
            k["mean"],
            xerr=[[q["mean"] - q["lo"]], [q["hi"] - q["mean"]]],
            yerr=[[k["mean"] - k["lo"]], [k["hi"] - k["mean"]]],
            fmt="o",
            color=colour(i),
            capsize=3,
            label=sc,
        )
    ax.axhline(0, color="#888", lw=0.8)
    ax.axvline(0, color="#888", lw=0.8)
    ax.legend(fontsize=8)
    style(ax, "Cost against QALYs, per 1,000 target people", "QALYs gained", "net cost (GBP)")
    return img_tag(fig, "Incremental net cost against QALYs gained")


def value_section(result: CompareResult) -> str:
    """Net benefit at the thresholds, and the acceptability curve."""
    v = result.value
    if v.empty:
        return section("Value for money", paragraph("No scenario to compare.", note=True))
    ks = result.settings.get("thresholds", [])
    at = v[v["threshold"].isin(ks)]
    rows = pd.DataFrame(
        {
            "scenario": at["scenario"],
            "GBP per QALY": [f"{k:,.0f}" for k in at["threshold"]],
            "net benefit per person (GBP)": [
                f"{m:+z,.0f} ({lo:+z,.0f} to {hi:+z,.0f})"
                for m, lo, hi in zip(at["nmb_mean"], at["nmb_low"], at["nmb_high"], strict=True)
            ],
            "chance cost-effective": [f"{p:.0%}" for p in at["prob_cost_effective"]],
            "chance the best option": [f"{p:.0%}" for p in at["prob_best"]],
        }
    )
    fig, ax = figure(1, 1, width=6.4, height=3.6)
    for i, sc in enumerate(result.scenarios[1:], start=1):
        s = v[v["scenario"] == sc]
        ax.plot(s["threshold"], s["prob_cost_effective"], color=colour(i), lw=1.8, label=sc)
        ax.plot(s["threshold"], s["prob_best"], color=colour(i), lw=1, ls="--")
    for k in ks:
        ax.axvline(k, color="#888", lw=0.8, ls=":")
    ax.set_ylim(-0.03, 1.03)
    ax.legend(fontsize=8)
    style(
        ax,
        "Chance of being cost-effective (solid) and the best option (dashed)",
        "willingness to pay per QALY (GBP)",
        "share of replicates",
    )
    note = paragraph(
        "Net benefit = willingness to pay x QALYs gained - extra cost (programme plus health "
        f"services), per target person over the horizon, {_discounting(result)}; positive "
        "means worth "
        "paying for at that price. A scenario's chance of being cost-effective is the share "
        f"of paired replicates with a positive net benefit against {result.scenarios[0]}; its "
        "chance of being the best option counts every scenario, the reference included. Both "
        + (
            "include uncertainty in the assumed parameters drawn for each replicate, as well "
            "as chance. "
            if result.settings.get("uncertainty")
            else "show chance over replicates for a community of this size, not uncertainty "
            "in the model's assumptions (add --uncertainty for that). "
        )
        + "GBP 20,000-30,000 per QALY is NICE's usual range (an assumption here; set others "
        "with --threshold).",
        note=True,
    )
    return section(
        "Value for money",
        table(rows),
        img_tag(fig, "Cost-effectiveness acceptability curve"),
        note,
    )


def type_figure(result: CompareResult) -> str:
    bt = result.by_type
    fig, ax = figure(1, 1, width=7, height=3.4)
    if bt.empty:
        return paragraph("No one was referred, so there are no effects by network type.", note=True)
    types = sorted(bt["network_type"].unique())
    others = result.scenarios[1:]
    width = 0.8 / len(others)
    for i, sc in enumerate(others):
        stats_ = [
            mean_ci(bt[(bt["scenario"] == sc) & (bt["network_type"] == t)]["mean_diff"])
            for t in types
        ]
        m = np.array([s["mean"] for s in stats_])
        err = np.nan_to_num(
            np.array([[s["mean"] - s["lo"], s["hi"] - s["mean"]] for s in stats_]).T
        )
        ax.bar(
            np.arange(len(types)) + i * width,
            m,
            width,
            yerr=err,
            color=colour(i + 1),
            label=sc,
            capsize=3,
        )
    ax.set_xticks(
        np.arange(len(types)) + width * (len(others) - 1) / 2,
        [t.replace("_", " and ") for t in types],
    )
    ax.legend(fontsize=8)
    style(
        ax,
        "Effect on SWEMWBS among referred people, by the network type they started with",
        "",
        "points",
    )
    return img_tag(fig, "Effects by network type")


def pathway_figure(result: CompareResult) -> str:
    runs = result.runs[result.runs["scenario"].isin(result.scenarios[1:])]
    fig, ax = figure(1, 1, width=7, height=3.4)
    others = result.scenarios[1:]
    per = (
        runs.assign(
            nudge=runs["changes_nudge_total"] / runs["people_referred"].clip(lower=1),
            mobilisation=runs["changes_mobilisation_total"] / runs["people_referred"].clip(lower=1),
        )
        .groupby("scenario")[["nudge", "mobilisation"]]
        .mean()
        .reindex(others)
    )
    x = np.arange(len(others))
    ax.bar(x, per["nudge"], 0.6, color=colour(1), label="nudge")
    ax.bar(x, per["mobilisation"], 0.6, bottom=per["nudge"], color=colour(2), label="mobilisation")
    ax.set_xticks(x, others, fontsize=8)
    ax.legend(fontsize=8)
    style(ax, "Changes per person referred, by the pathway that produced them", "", "changes")
    return img_tag(fig, "Changes by pathway")


def ran_with(result: CompareResult) -> dict[str, dict]:
    """Each scenario's parameters as it ran (flat; from the comparison's manifest), or, for
    a comparison stored before manifests kept them, as its scenario file says now."""
    params = result.settings.get("params") or {}
    return {sc: params.get(sc) or load_scenario(sc).params.flat() for sc in result.scenarios}


def differences(result: CompareResult) -> pd.DataFrame:
    """Where each scenario's parameters, as it ran, differ from the reference's (size and
    horizon aside): the rows of the report's assumptions table."""
    flats = ran_with(result)
    ref = flats[result.scenarios[0]]
    rows = []
    for sc in result.scenarios[1:]:
        for k, v in flats[sc].items():
            if k.startswith(("population.n_people", "run.")) or ref.get(k) == v:
                continue
            info = field_info(k)
            rows.append(
                {
                    "scenario": sc,
                    "parameter": k,
                    "reference": ref.get(k),
                    "scenario value": v,
                    "meaning": info["meaning"],
                    "source": info["source"],
                }
            )
    return pd.DataFrame(rows, columns=["scenario", "parameter", "reference", "scenario value",
                                       "meaning", "source"])  # fmt: skip


def workforce_table(result: CompareResult) -> pd.DataFrame:
    """Each programme's workforce as it ran: how it was set, the full-time workers in post
    (mean over the run and replicates), the cost of one, and the workforce's cost a year."""
    flats = ran_with(result)
    rows = []
    for sc in result.scenarios:
        f = flats[sc]
        if f.get("programme.preset", "none") == "none" and not f.get("programme.refer_rate"):
            continue
        runs = result.runs[result.runs["scenario"] == sc]
        fte = float(runs["workers_in_post_mean"].mean()) if "workers_in_post_mean" in runs else 0
        cost = float(f.get("programme.worker_cost", 0.0))
        rows.append(
            {
                "scenario": sc,
                "how the workforce is set": _how_set(f, result),
                "full-time workers in post (mean)": round(fte, 2),
                "cost of a full-time worker (GBP a year)": round(cost),
                "workforce cost (GBP a year)": round(fte * cost),
            }
        )
    return pd.DataFrame(rows)


def _how_set(f: dict, result: CompareResult) -> str:
    """How a scenario's workforce was set, in words."""
    mode, scale = f.get("programme.workforce"), f.get("programme.workforce_scale", 1.0)
    times = "" if scale == 1 else f", x{scale:g}"
    if mode == "fixed":
        return f"a fixed headcount of {f.get('programme.workers')}"
    if mode == "population":
        per = f.get("programme.workers_per_10000", 0.0)
        area = (result.settings.get("files") or {}).get("area")
        if area and area.get("people"):
            return (
                f"the area's: {per * area['people'] / 10_000:.3g} for its {area['people']:,} "
                f"people ({per:.3g} per 10,000){times}"
            )
        return f"{per:.3g} per 10,000 people{times}"
    return (
        f"from referrals: a full-time worker takes on {f.get('programme.clients_per_year'):g} "
        f"people a year (P1){times}"
    )


def assumptions_section(result: CompareResult) -> str:
    general = (
        "<ul>"
        "<li>Networks, turnover and health are calibrated to published figures (rows N1-N8, "
        "T1-T4 and S1-S3 of docs/EVIDENCE.md); programme engagement to P1-P7; effects are "
        "checked against E1-E6 (docs/ODD.md, section 7.14).</li>"
        "<li>Many effect sizes (how support, loneliness and activity move wellbeing) are "
        "assumptions, marked 'assumption' in the parameter list (<code>netmob params</code>)."
        "</li>"
        "<li>Change comes through two pathways: a nudge when individual, network and "
        "environmental readiness fit, and a gradual mobilisation of the network; both are "
        "switchable.</li>"
        + (
            "<li>Intervals show chance over replicates and uncertainty in the assumed "
            "parameters below, drawn for each replicate.</li>"
            if result.settings.get("uncertainty")
            else "<li>Intervals show uncertainty from chance over replicates, not uncertainty in "
            "the assumptions themselves: add <code>--uncertainty assumptions</code>, or use a "
            "sweep, for that.</li>"
        )
        + "</ul>"
    )
    parts = [general]
    staff = workforce_table(result)
    if not staff.empty:
        parts.append(
            kept(
                paragraph(f"The programmes' workforce, as it ran in {place(result)}:"),
                table(staff, digits=6),
            )
        )
    rows = differences_wide(result)
    if not rows.empty:
        parts.append(
            kept(
                paragraph(
                    "Where the scenarios differ from the reference, in the parameters they "
                    "ran with (a blank: as the reference; sources are rows of "
                    "docs/EVIDENCE.md, or 'assumption'):"
                ),
                table(rows, digits=6),
            )
        )
    if u := result.settings.get("uncertainty"):
        parts.append(paragraph(f"Uncertain assumptions ('{u['name']}'): {u['description']}"))
        parts.append(folded(uncertainty_table(u["ranges"]), "manifest.json", where="report.xlsx"))
    return section("What the model assumes", *parts)


def differences_wide(result: CompareResult) -> pd.DataFrame:
    """:func:`differences` with one row per parameter and a column per scenario (blank
    where it runs as the reference does): the same facts in a table that fits a page."""
    long = differences(result)
    if long.empty:
        return long
    wide = long.pivot(index="parameter", columns="scenario", values="scenario value")
    others = [sc for sc in result.scenarios[1:] if sc in wide.columns]
    first = long.drop_duplicates("parameter").set_index("parameter")
    out = pd.DataFrame(
        {
            "parameter": wide.index,
            "meaning": first.loc[wide.index, "meaning"].to_numpy(),
            result.scenarios[0]: first.loc[wide.index, "reference"].to_numpy(),
            **{sc: wide[sc].astype(object).where(wide[sc].notna(), "").to_numpy() for sc in others},
            "source": first.loc[wide.index, "source"].to_numpy(),
        }
    )
    order = {k: i for i, k in enumerate(long["parameter"].drop_duplicates())}
    return out.sort_values("parameter", key=lambda c: c.map(order)).reset_index(drop=True)


def uncertainty_table(ranges: dict[str, list]) -> pd.DataFrame:
    """The uncertain parameters: default, range drawn from, meaning and source."""
    rows = []
    for name, r in ranges.items():
        info = field_info(name)
        drawn = f"{r[0]:g} to {r[1]:g}" if len(r) == 2 and info["lo"] is not None else r
        # (for a posterior: the range its particles span)
        rows.append(
            {
                "parameter": name,
                "default": info["default"],
                "drawn from": drawn,
                "meaning": info["meaning"],
                "source of the default": info["source"],
            }
        )
    return pd.DataFrame(rows)


def replicate_draws(result: CompareResult) -> pd.DataFrame:
    """Each replicate's drawn parameters (one row a replicate; those that vary only)."""
    draws = result.runs.drop_duplicates("replicate").set_index("replicate").filter(like=DRAW)
    draws.columns = [c.removeprefix(DRAW) for c in draws.columns]
    draws = draws.apply(pd.to_numeric, errors="coerce").dropna(axis=1, how="all")
    return draws.loc[:, draws.nunique() > 1]


def draws_needed(parameters: int) -> int:
    """Different draws a partial rank correlation over ``parameters`` needs: the
    parameters + 3 (its degrees of freedom, n - 2 - (k - 1), at least 2), and 10 at least."""
    return max(parameters + 3, 10)


def drivers_section(result: CompareResult) -> str:
    """With drawn parameters: which of them move the net benefit and the wellbeing effect,
    in plain words (the schema's meanings), only with enough different draws for a partial
    rank correlation, and only those beyond chance after Holm's correction for testing
    every drawn parameter."""
    if not result.settings.get("uncertainty"):
        return ""
    draws = replicate_draws(result)
    k, distinct = draws.shape[1], len(draws.round(12).drop_duplicates())
    need = draws_needed(k)
    title = "What drives the uncertainty"
    if distinct < need:
        return section(
            title,
            paragraph(
                f"Telling which of the {k} drawn parameters drive the uncertainty needs at "
                f"least {need} different draws (the parameters + 3, for a partial rank "
                f"correlation that holds the others fixed); this comparison has {distinct}. "
                f"Run {need} or more replicates (--replicates) for it.",
                note=True,
            ),
        )
    thr = result.settings["thresholds"][0]
    c = result.contrasts
    outcomes = {
        f"net benefit at GBP {thr:,.0f} per QALY": pd.DataFrame(
            {sc: net_benefits(increments(c, sc), thr) for sc in result.scenarios[1:]}
        ),
        "the wellbeing (SWEMWBS) gain of the people referred": c[
            (c["group"] == "referred") & (c["outcome"] == "swemwbs")
        ]
        .assign(effect=lambda d: d["level"] - d["reference"])
        .pivot(index="replicate", columns="scenario", values="effect"),
    }
    items = []
    for label, y in outcomes.items():
        d = drivers(draws.loc[y.index], y)
        for sc in result.scenarios[1:]:
            beyond = d[(d["scenario"] == sc) & (d["p_holm"] < 0.05)]
            if beyond.empty:
                items.append(f"{sc}, {label}: no drawn parameter moves it beyond chance.")
                continue
            said = "; ".join(_driver_words(r) for r in beyond.itertuples())
            items.append(f"{sc}, {label}: {said}.")
    note = paragraph(
        f"Partial rank correlation over {len(draws)} replicates ({distinct} different draws) "
        "between each drawn parameter and the outcome, holding the other drawn parameters "
        "fixed (+1: higher values, higher outcome). A parameter is named only when its "
        f"correlation is beyond chance after Holm's correction for testing all {k} at once "
        "(adjusted p < 0.05). A Sobol sweep (netmob sweep, netmob sensitivity) apportions "
        "the variance properly.",
        note=True,
    )
    listed = "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in items) + "</ul>"
    return section(title, listed, note)


def _driver_words(row) -> str:
    """One driver in words: 'higher where <meaning> is higher (name, +0.62, p = 0.003)'."""
    meaning = field_info(row.parameter)["meaning"]
    way = "higher" if row.rank_correlation > 0 else "lower"
    return (
        f"{way} where {meaning} is higher ({row.parameter}, partial rank correlation "
        f"{row.rank_correlation:+.2f}, adjusted p = {row.p_holm:.2g})"
    )


def package_version() -> str:
    try:
        return importlib.metadata.version("netmob")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _short(sha: str | None) -> str:
    return sha[:12] if sha else "not readable"


def provenance_rows(result: CompareResult, command: Sequence[str] | None) -> pd.DataFrame:
    """What made this report, one row an item: version, code, date, command, input files."""
    s = result.settings
    made = pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds")
    rows = [
        ("netmob version", package_version()),
        ("Code (report)", code_version()),
        ("Code (runs)", s.get("code_version") or "not recorded"),
        ("Report made (UTC)", made),
        ("Comparison started (UTC)", s.get("created") or "not recorded"),
        ("Command line", shlex.join(command) if command else "from Python"),
    ]
    files = s.get("files") or {}
    for name in result.scenarios:
        f = (files.get("scenarios") or {}).get(name)
        value = f"{f['file']} (SHA-256 {_short(f['sha256'])})" if f else "file not recorded"
        rows.append((f"Scenario {name}", value))
    area = files.get("area")
    if area:
        hashes = ", ".join(f"{f} (SHA-256 {_short(h)})" for f, h in area["files"].items())
        rows.append(("Area", f"{area['name']}: {area['folder']}: {hashes}"))
    u = s.get("uncertainty")
    if not u:
        rows.append(("Uncertainty", "none: the schema's fixed values"))
    else:
        uf = files.get("uncertainty") or {}
        sha = f" (SHA-256 {_short(uf.get('sha256'))})" if uf else ""
        rows.append(("Uncertainty", f"{u['kind']} '{u['name']}': {u['file']}{sha}"))
    return pd.DataFrame(rows, columns=["item", "value"])


def provenance_section(result: CompareResult, command: Sequence[str] | None) -> str:
    return section(
        "Provenance",
        table(provenance_rows(result, command)),
        paragraph(
            "SHA-256 hashes are the first 12 hex digits of each file's; the full ones are in "
            "the comparison's manifest.json.",
            note=True,
        ),
    )


def parameters_table(result: CompareResult) -> pd.DataFrame:
    """The flat schema parameters, one row each, one column per scenario."""
    params = result.settings.get("params") or {}
    cols = {name: params.get(name, {}) for name in result.scenarios}
    keys = sorted({k for flat in cols.values() for k in flat})
    rows = [
        {"parameter": k, **{name: _cell_value(flat.get(k)) for name, flat in cols.items()}}
        for k in keys
    ]
    return pd.DataFrame(rows, columns=["parameter", *result.scenarios])


def _cell_value(v: object) -> object:
    """A parameter's value as a spreadsheet cell: numbers, text and booleans as they are,
    lists and mappings as text."""
    return v if v is None or isinstance(v, bool | int | float | str) else str(v)


def write_xlsx(
    result: CompareResult, path: str | Path, command: Sequence[str] | None = None
) -> None:
    """The report's tables as one workbook (written atomically): headline (numbers, each
    interval's ends in columns of their own), effects, value for money, the parameters of
    every scenario, and provenance."""
    sheets = {
        "headline": headline_numbers(result),
        "effects": by_horizon(result),
        "value for money": result.value,
        "parameters": parameters_table(result),
        "provenance": provenance_rows(result, command),
    }

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for name, df in sheets.items():
                df.to_excel(xl, sheet_name=name, index=False)

    atomic_write(path, write)


def _item(text: str) -> str:
    return f"<li>{html.escape(text)}</li>"


def render(result: CompareResult, command: Sequence[str] | None = None) -> str:
    """The whole report as one HTML page; ``command``: the command line that made it
    (None: made from Python)."""
    effects = by_horizon(result)
    return page(
        title(result),
        [
            section("The question", paragraph(question(result))),
            section("In brief", "<ul>" + "".join(_item(t) for t in in_brief(result)) + "</ul>"),
            trust_section(result),
            scenarios_section(result),
            headline_section(result),
            horizons_section(result),
            section(
                "Outcomes over time",
                time_figure(result),
                paragraph("Lines: mean over replicates; bands: 95% intervals.", note=True),
            ),
            section("Effects with intervals", forest_figure(result)),
            section("Cost against QALYs", cost_figure(result)),
            value_section(result),
            drivers_section(result),
            section("Effects by network type", type_figure(result)),
            section("Effects by pathway", pathway_figure(result)),
            assumptions_section(result),
            section(
                "All effects",
                folded(effects, "effects", max_rows=400, where="report.xlsx (--xlsx)"),
                paragraph("Every replicate's outcomes are in runs.parquet.", note=True),
            ),
            provenance_section(result, command),
        ],
    )
