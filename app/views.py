"""The app's figures: matplotlib only (no pyplot, no Solara), so they are testable headless.

Each function takes data (a weekly frame, a laid-out network, a glance at the community)
and returns a small :class:`~matplotlib.figure.Figure`; ``sim/app.py`` shows them. Words
are the sources': circle, tie, nudge, mobilisation, resource, worker.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from netmob.app.circles import PET, PLACE_RING, RADII, PersonNetwork
from netmob.sim.programmes.state import STAGES
from netmob.sim.vocabulary import SWEMWBS_SCALE

KIND_STYLE = {  # member kind: (label, colour)
    "partner": ("partner", "#C44E52"),
    "family": ("family", "#DD8452"),
    "friend": ("friends", "#4C72B0"),
    "neighbour": ("neighbours and acquaintances", "#55A868"),
    "group": ("group members", "#8172B3"),
    "formal": ("professionals", "#937860"),
    PET: ("pet", "#DA8BC3"),
}
PATHWAY_STYLE = {"nudge": ("nudge", "#E69F00"), "mobilisation": ("mobilisation", "#009E9E")}
CIRCLE_NAMES = ("inner circle", "middle circle", "outer circle")
CIRCLE_FILL = ("#f3f1ec", "#f7f6f2", "#fbfaf8")
RESOURCE_LABELS = {
    "physical_activity": "physical activity",
    "social_peer": "social and peer support",
    "creative": "creative",
    "learning": "learning",
    "volunteering": "volunteering",
    "faith": "faith",
    "practical_advice": "practical advice",
    "condition_specific": "condition-specific",
}
TYPE_LABELS = {
    "diverse_active": "diverse and active",
    "family_stable": "family and stable",
    "formal_sparse": "formal and sparse",
}
STAGE_LABELS = {"none": "not yet seen", "revaluing": "re-valuing"}
# The weekly charts: (title, y label, smallest y span shown, [(column, legend, scale)]);
# the smallest span keeps week-to-week noise from filling a panel.
CHARTS = (
    (
        "Mental wellbeing",
        "SWEMWBS ({}-{})".format(*SWEMWBS_SCALE),
        1.0,
        [("swemwbs_mean", "mean", 1)],
    ),
    ("Loneliness", "% lonely (UCLA-3)", 5.0, [("lonely_share", "lonely", 100)]),
    ("Personal networks", "members (live ties)", 1.0, [("network_size_mean", "mean size", 1)]),
    (
        "People referred and reached",
        "people",
        10.0,
        [
            ("people_referred", "referred", 1),
            ("people_reached", "reached by a worker", 1),
            ("clients_active", "on a caseload now", 1),
        ],
    ),
    (
        "Changes by pathway",
        "changes (cumulative)",
        10.0,
        [("changes_nudge_total", "nudge", 1), ("changes_mobilisation_total", "mobilisation", 1)],
    ),
    (
        "Network types",
        "% of target people",
        20.0,
        [
            ("diverse_active_share", "diverse and active", 100),
            ("family_stable_share", "family and stable", 100),
            ("formal_sparse_share", "formal and sparse", 100),
        ],
    ),
)
LINE_COLOURS = ("#4C72B0", "#DD8452", "#55A868")


def new_figure(width: float, height: float) -> Figure:
    """A figure not tied to pyplot (safe in a server's threads)."""
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


REFERENCE_STYLE = {"color": "#888888", "lw": 1.3, "ls": "--"}


def weekly_figure(
    frame: pd.DataFrame, reference: pd.DataFrame | None = None, label: str = "reference"
) -> Figure:
    """The Explore view's live charts, one small panel per measure, by week; with a
    ``reference`` frame (the same seed without the programme), its lines dashed in grey
    beside each measure (in the measure's colour where a panel has several), named
    ``label``, so that an effect reads as a difference."""
    fig = new_figure(10.5, 5.0)
    axes = fig.subplots(2, 3)
    fig.subplots_adjust(left=0.06, right=0.99, top=0.93, bottom=0.1, wspace=0.28, hspace=0.45)
    week = frame["week"].to_numpy()
    for ax, (title, ylabel, span, lines) in zip(axes.ravel(), CHARTS, strict=True):
        values, referenced = [], False
        for i, (col, name, scale) in enumerate(lines):
            if col not in frame:
                continue
            y = frame[col].to_numpy(float) * scale
            colour = PATHWAY_STYLE[name][1] if name in PATHWAY_STYLE else LINE_COLOURS[i]
            ax.plot(week, y, color=colour, lw=1.6, label=name)
            ax.plot(week[-1:], y[-1:], "o", color=colour, ms=3.5)
            values.append(y)
            if reference is not None and col in reference and reference[col].abs().sum() > 0:
                ref = reference[reference["week"] <= week.max()] if len(week) else reference
                r = ref[col].to_numpy(float) * scale
                own = f"{label}" if len(lines) == 1 else f"{name}, {label}"
                look = REFERENCE_STYLE | ({"color": colour, "alpha": 0.7} if len(lines) > 1 else {})
                ax.plot(ref["week"].to_numpy(), r, label=own, **look)
                values.append(r)
                referenced = True
        ax.set_ylim(*y_range(np.concatenate(values) if values else np.zeros(1), span))
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(ylabel, fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(True, alpha=0.3)
        ax.set_xlim(0, max(1, week.max() if len(week) else 1))
        if len(lines) > 1 or referenced:
            ax.legend(fontsize=7, loc="best", frameon=False)
    for ax in axes[1]:
        ax.set_xlabel("week", fontsize=8)
    return fig


def y_range(values: np.ndarray, span: float) -> tuple[float, float]:
    """Limits around ``values`` at least ``span`` apart (and not below zero for counts)."""
    v = values[np.isfinite(values)]
    lo, hi = (float(v.min()), float(v.max())) if len(v) else (0.0, 1.0)
    pad = max(span - (hi - lo), 0) / 2 + 0.05 * max(hi - lo, span)
    low = lo - pad
    if lo >= 0 > low:
        return 0.0, hi + pad + (0 - low)
    return low, hi + pad


def glance_figure(types: pd.Series, stages: pd.Series) -> Figure:
    """The community at a glance: network types (share) and referred people by stage."""
    fig = new_figure(10.5, 2.3)
    ax1, ax2 = fig.subplots(1, 2, width_ratios=(1, 1.3))
    fig.subplots_adjust(left=0.13, right=0.98, top=0.86, bottom=0.12, wspace=0.45)
    labels = [TYPE_LABELS.get(t, t) for t in types.index]
    ax1.barh(labels, types.to_numpy() * 100, color=LINE_COLOURS)
    ax1.set_xlim(0, 100)
    ax1.set_title("Network types (% of target people)", fontsize=10)
    for y, v in enumerate(types.to_numpy() * 100):
        ax1.text(v + 1, y, f"{v:.0f}%", va="center", fontsize=8)
    stage_labels = [STAGE_LABELS.get(s, s) for s in stages.index]
    ax2.barh(stage_labels, stages.to_numpy(), color=PATHWAY_STYLE["mobilisation"][1])
    ax2.invert_yaxis()
    ax2.set_title("Referred people by mobilisation stage now", fontsize=10)
    for y, v in enumerate(stages.to_numpy()):
        ax2.text(v, y, f" {v}", va="center", fontsize=8)
    ax2.set_xlim(0, max(1, stages.max()) * 1.15)
    ax1.invert_yaxis()
    for ax in (ax1, ax2):
        ax.tick_params(labelsize=8)
    return fig


def circles_figure(net: PersonNetwork, title: str = "") -> Figure:
    """A person's network as GENIE's concentric circles (see :mod:`netmob.app.circles`)."""
    fig = new_figure(9.6, 7.2)
    ax = fig.add_axes((0.0, 0.0, 0.72, 0.94))
    ax.set_aspect("equal")
    ax.axis("off")
    draw_rings(ax)
    draw_links(ax, net.links)
    draw_places(ax, net)
    draw_members(ax, net.members)
    ax.scatter([0], [0], s=420, color="#222222", zorder=5)
    ax.text(0, -0.32, "person", ha="center", va="top", fontsize=9, zorder=6)
    lim = PLACE_RING + 0.9
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    fig.suptitle(title, x=0.36, fontsize=11)
    legend(fig, net)
    return fig


def draw_rings(ax) -> None:
    """The three circles, shaded, named, and the ring of groups and places."""
    for c in (3, 2, 1):
        ax.add_patch(
            Circle((0, 0), RADII[c] + 0.5, facecolor=CIRCLE_FILL[c - 1], edgecolor="#b9b3a6")
        )
        ax.text(
            0,
            RADII[c] + 0.45,
            CIRCLE_NAMES[c - 1],
            ha="center",
            va="top",
            fontsize=8,
            color="#8a8273",
        )
    ax.add_patch(Circle((0, 0), PLACE_RING, fill=False, ls=":", edgecolor="#b9b3a6"))
    ax.text(0, PLACE_RING + 0.42, "groups and places", ha="center", fontsize=8, color="#8a8273")


def draw_links(ax, links: pd.DataFrame) -> None:
    """Members who know each other."""
    for r in links.itertuples(index=False):
        ax.plot([r.x0, r.x1], [r.y0, r.y1], color="#9a9a9a", lw=0.6, alpha=0.35, zorder=1)


def draw_members(ax, m: pd.DataFrame) -> None:
    """Members coloured by kind; hollow if dormant, crossed if ended; pathway marks."""
    colours = m.kind.map(lambda k: KIND_STYLE[k][1])
    size = 90 + 160 * m.strength.clip(0, 1)
    live = (m.status == "live") & (m.kind != PET)
    ax.scatter(m.x[live], m.y[live], s=size[live], c=colours[live], edgecolors="white", zorder=3)
    dormant = m.status == "dormant"
    ax.scatter(
        m.x[dormant],
        m.y[dormant],
        s=size[dormant],
        facecolors="white",
        edgecolors=colours[dormant],
        linewidths=1.6,
        zorder=3,
    )
    ended = m.status == "ended"
    ax.scatter(m.x[ended], m.y[ended], s=70, marker="x", c=colours[ended], zorder=3)
    pets = m.kind == PET
    ax.scatter(m.x[pets], m.y[pets], s=130, marker="p", c=KIND_STYLE[PET][1], zorder=4)
    for pathway, (_, colour) in PATHWAY_STYLE.items():
        changed = m.changed_by == pathway
        ax.scatter(
            m.x[changed],
            m.y[changed],
            s=size[changed] + 140,
            facecolors="none",
            edgecolors=colour,
            linewidths=2.2,
            zorder=2,
        )
        formed = m.formed_by == pathway
        ax.scatter(m.x[formed] + 0.17, m.y[formed] + 0.17, s=110, marker="*", c=colour, zorder=6)
    new = m.new & (m.formed_by == "") & (m.kind != PET)
    ax.scatter(m.x[new] + 0.17, m.y[new] + 0.17, s=40, marker="+", c="#333333", zorder=6)


def draw_places(ax, net: PersonNetwork) -> None:
    """Resources the person goes to; a dashed line to a member who comes along."""
    p, m = net.places, net.members
    pos = m[m.alter >= 0].drop_duplicates("alter").set_index("alter")
    for r in p.itertuples(index=False):
        edge = PATHWAY_STYLE[r.pathway][1] if r.pathway else "#6f6f6f"
        ax.scatter(
            [r.x],
            [r.y],
            s=170,
            marker="s",
            facecolors="#e4e1d8",
            edgecolors=edge,
            linewidths=2.2 if r.pathway else 1.0,
            zorder=3,
        )
        ha = "left" if r.x > 0.05 else "right" if r.x < -0.05 else "center"
        dx = 0.22 if ha == "left" else -0.22 if ha == "right" else 0
        ax.text(
            r.x + dx,
            r.y,
            RESOURCE_LABELS.get(r.kind, r.kind),
            fontsize=7.5,
            ha=ha,
            va="center",
            zorder=4,
        )
        if r.member in pos.index:
            a = pos.loc[r.member]
            ax.plot([a.x, r.x], [a.y, r.y], ls="--", lw=1, color=edge, zorder=2)


def legend(fig: Figure, net: PersonNetwork) -> None:
    """What the colours and marks mean (only the kinds on the map)."""
    kinds = [k for k in KIND_STYLE if (net.members.kind == k).any()]
    handles = [
        Line2D(
            [],
            [],
            marker="p" if k == PET else "o",
            ls="",
            color=KIND_STYLE[k][1],
            markersize=8,
            label=KIND_STYLE[k][0],
        )
        for k in kinds
    ]
    grey = "#777777"
    since = f"since referral (week {net.since})" if net.referred else f"since week {net.since}"
    handles += [
        Line2D([], [], marker="o", ls="", mfc="white", mec=grey, markersize=8, label="dormant tie"),
        Line2D([], [], marker="x", ls="", color=grey, markersize=7, label=f"tie ended {since}"),
        Line2D(
            [], [], marker="+", ls="", color="#333333", markersize=8, label=f"tie formed {since}"
        ),
        Line2D(
            [], [], marker="s", ls="", mfc="#e4e1d8", mec=grey, markersize=8, label="group or place"
        ),
    ]
    for name, colour in PATHWAY_STYLE.values():
        handles += [
            Line2D(
                [],
                [],
                marker="*",
                ls="",
                color=colour,
                markersize=11,
                label=f"tie formed by {name}",
            ),
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc="none",
                mec=colour,
                mew=2.2,
                markersize=11,
                label=f"tie deepened, reactivated\nor re-valued by {name}",
            ),
            Line2D(
                [],
                [],
                marker="s",
                ls="",
                mfc="#e4e1d8",
                mec=colour,
                mew=2.2,
                markersize=8,
                label=f"resource taken up through {name}",
            ),
        ]
    fig.legend(
        handles=handles,
        loc="center left",
        bbox_to_anchor=(0.71, 0.5),
        fontsize=8,
        frameon=False,
        labelspacing=0.8,
    )


def png(fig: Figure, dpi: int = 90) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def person_facts(model, net: PersonNetwork) -> list[tuple[str, str]]:
    """Who the person is and what happened to them, as (heading, text) pairs."""
    pp, c, i = model.people, model.programme.clients, net.person
    who = [
        f"{pp.age[i]:.0f} years old",
        "man" if pp.male[i] else "woman",
        plural(int(pp.n_conditions[i]), "long-term condition"),
        "lives alone" if pp.lives_alone[i] else "lives with others",
        "has a partner" if pp.has_partner[i] else "no partner",
    ]
    if pp.smi[i]:
        who.append("severe mental illness")
    size0 = model.baseline.get("network_size")
    live = net.changes()["live"]
    network = f"{live} live members" + (f" (week 0: {size0[i]})" if size0 is not None else "")
    out = [("Who", ", ".join(who)), ("Network", network)]
    out.append(("Wellbeing", f"SWEMWBS {pp.swemwbs[i]:.1f}, UCLA-3 loneliness {pp.ucla[i]:.1f}"))
    if not net.referred:
        return [*out, ("Programme", "not referred")]
    stage, reached = STAGES[c.stage[i]], STAGES[c.stage_reached[i]]
    programme = f"referred in week {c.referred[i]}; {plural(int(c.contacts[i]), 'contact')}"
    programme += " with a worker" + ("; disengaged" if c.disengaged[i] else "")
    out.append(("Programme", programme))
    mobilisation = f"stage now {STAGE_LABELS.get(stage, stage)}"
    out.append(("Mobilisation", f"{mobilisation}, furthest {STAGE_LABELS.get(reached, reached)}"))
    readiness = (c.r_individual[i], c.r_network[i], c.r_environment[i])
    ready = (
        "individual {:.2f}, network {:.2f}, environmental {:.2f}".format(*readiness)
        if any(readiness)
        else "not in play now"
    )
    out.append(("Readiness", f"{ready}; nudges acted on: {c.nudges[i]}"))
    return out


def change_text(net: PersonNetwork) -> str:
    """How the network changed since referral (or week 1), in a sentence per kind of change."""
    ch = net.changes()
    since = f"Since referral in week {net.since}" if net.referred else f"Since week {net.since}"
    other = ch["formed"] - ch["formed_nudge"] - ch["formed_mobilisation"]
    return (
        f"{since}: {plural(ch['formed_nudge'], 'tie')} formed by the nudge, "
        f"{ch['formed_mobilisation']} by mobilisation, {other} otherwise (met at a resource or "
        f"through a member); {plural(ch['changed_nudge'], 'tie')} deepened, reactivated or "
        f"re-valued by the nudge and {ch['changed_mobilisation']} by mobilisation; "
        f"{plural(ch['ended'], 'tie')} ended; {plural(ch['places_new'], 'resource')} taken up "
        f"({ch['places_nudge']} through the nudge, {ch['places_mobilisation']} through "
        f"mobilisation)."
    )


def plural(n: int, word: str) -> str:
    """``1 tie``, ``2 ties``."""
    return f"{n} {word}{'' if n == 1 else 's'}"
