"""The changes the pathways enact, each tagged with the pathway that produced it.

Taking up a matched resource (and bringing a network member along), reactivating a dormant
tie, deepening a tie, drawing on support that was there but undervalued, and an
introduction through the worker's own network. New links made later at a resource a
pathway led to carry that pathway's tag too (``netmob.sim.processes.ties``), as do objectives
achieved there (``netmob.sim.processes.outcomes``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netmob.sim import rules
from netmob.sim.community import CHOICE_DRAWS, choose_resources
from netmob.sim.programmes.strength import component_strength
from netmob.sim.state import KIND, ORIGIN, RESOURCE_KIND, SERVES

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState

SUFFIX = {ORIGIN["nudge"]: "_n", ORIGIN["mobilisation"]: "_m"}
# What every pathway's changes write, whichever it enacts (each pathway's own counts of
# changes, ``taken_up_n`` and the like, are in its own ``results``).
RESULTS = (
    "programme.clients.first_change",
    "programme.clients.first_pathway",
    "attendance.rows",  # a resource taken up
    "ties.dormant",  # a tie reactivated
    "ties.changed_by",
)


def count(
    model: ModelState, who: np.ndarray, what: str, origin: int, k: np.ndarray | int = 1
) -> None:
    """Add ``k`` changes of kind ``what`` by ``origin`` to ``who``; note first changes."""
    c = model.programme.clients
    col = c.column(what + SUFFIX[origin])
    np.add.at(col, who, np.broadcast_to(np.asarray(k, col.dtype), who.shape))
    changed = who[np.broadcast_to(np.asarray(k), who.shape) > 0]
    first = changed[c.first_change[changed] < 1]
    c.first_change[first] = model.week
    c.first_pathway[first] = origin


def match_weight(model: ModelState, who: np.ndarray) -> np.ndarray:
    """How the programme weighs each kind of resource for ``who``: what it believes they
    prefer (elicited, or the worker's guess before that) x acceptability, raised to
    ``match_sharpness``; kinds that serve one of their objectives (learnt at the preference
    session) weigh ``1 + need_matching`` times more (PLANS tailors by need); kinds that serve
    the concern they forefronted while contemplating weigh ``1 + forefront_focus`` times
    more; physical activity (walking groups, P7) weighs ``1 + pet_walking`` times more for a
    dog the network map shows (``mapped``)."""
    tg, P = model.targets, model.params.pathways
    weight = (model.readiness.prefs_seen[who] * tg.acceptability[who]) ** P.match_sharpness
    need = component_strength(model, model.params.programme.need_matching)[who]
    serves = (
        model.readiness.objectives_seen[who].astype(np.float32) @ SERVES.T.astype(np.float32)
    ) > 0
    weight = weight * (1.0 + need[:, None] * serves)
    concern = model.programme.clients.concern[who]
    if P.forefronting and P.forefront_focus > 0 and (concern >= 0).any():
        focus = SERVES[:, np.maximum(concern, 0)].T & (concern >= 0)[:, None]
        weight = weight * (1.0 + P.forefront_focus * focus)
    walks = model.people.dog[who] * mapped(model)[who]  # the dog, as far as the map shows it
    weight[:, RESOURCE_KIND["physical_activity"]] *= 1.0 + P.pet_walking * walks
    return weight


def walk_the_dog(model: ModelState, who: np.ndarray, origin: int, u: np.ndarray) -> None:
    """Dog walking as a route to contacts (SRC-GENIE-PROCESS: pets among the connections that
    give opportunities for connectivity): each of ``who`` whose dog the network map shows
    (``mapped``) meets, with chance ``dog_walk_contact`` x how much the map shows, someone
    from their neighbourhood out walking, who becomes a neighbour tie (``freq_met`` contacts
    a week). ``u``: two uniforms per person in ``who``."""
    P, pp = model.params.pathways, model.people
    if P.dog_walk_contact <= 0 or len(who) == 0:
        return
    walking = pp.dog[who] & (u[:, 0] < P.dog_walk_contact * mapped(model)[who])
    who, u1 = who[walking], u[walking, 1]
    area = pp.area[who]
    lo, hi = model.area_bounds[area], model.area_bounds[area + 1]
    pick = np.minimum(lo + np.floor(u1 * (hi - lo)).astype(np.int64), hi - 1)
    alter = model.area_people[pick]
    freq = model.params.ties.freq_met
    new = model.form_ties(who, alter, KIND["neighbour"], origin, freq=freq, return_rows=True)
    count(model, who[new >= 0], "dog_contacts", origin)


def take_up(
    model: ModelState,
    who: np.ndarray,
    origin: int,
    rng: np.random.Generator,
    companion: np.ndarray | None = None,
) -> np.ndarray:
    """Take up a resource matched to preference and acceptability (one that takes
    referrals); maybe bring a member.

    A ``companion`` (a member who agreed to come, -1: none) comes along for sure. For a client
    on the programme the worker helps with the first visits (facilitated engagement: the
    row's ``helped`` is ``facilitated_help`` x the strength of facilitation). Returns the new
    attendance rows."""
    if len(who) == 0:
        return np.zeros(0, np.int64)
    n = model.n_target
    P = model.params.pathways
    weight = match_weight(model, who)  # best fits dominate
    u = rng.random((len(who), CHOICE_DRAWS))
    res = model.resources
    resource = choose_resources(
        who, model.people, model.targets, res, u, P.matched_other_area, weight, res.referrals
    )
    t = model.ties
    close = model.live_ties() & (t.kind != KIND["formal"]) & (t.circle <= 2) & (t.alter >= n)
    tie = model.random_tie_of(who, rng.random(len(who)), among=close & ~t.negative)
    along = (tie >= 0) & (rng.random(len(who)) < P.bring_member)
    member = np.where(along, t.alter[np.maximum(tie, 0)], -1)
    if companion is not None:
        member = np.where(companion >= 0, companion, member)
    pr, c = model.params.programme, model.programme.clients
    help_ = pr.facilitated_help * component_strength(model, pr.facilitation)[who]
    help_ = np.where(c.active[who], help_, 0.0)
    if pr.first_step_barrier > 0:  # the first step: the worker's help takes it with them
        b = model.barriers()[who]
        barrier = rules.take_up_barrier(b, model.params.attendance)
        held_back = rng.random(len(who)) < pr.first_step_barrier * barrier * (1.0 - help_)
        resource = np.where(held_back, -1, resource)
    helped = np.where(pr.facilitated_visits > 0, help_, 0.0)
    rows = model.start_attending(who, resource, origin, member=member, helped=helped)
    started = model.attendance.person[rows]
    count(model, started, "taken_up", origin)
    count(model, model.attendance.person[rows[model.attendance.member[rows] >= 0]], "along", origin)
    return rows


def reactivate(model: ModelState, who: np.ndarray, origin: int, rng: np.random.Generator) -> None:
    """Wake one dormant tie of each person in ``who`` (if they have one)."""
    if len(who) == 0:
        return
    t = model.ties
    tie = model.random_tie_of(who, rng.random(len(who)), among=t.active & t.dormant)
    rows = tie[tie >= 0]
    t.dormant[rows] = False
    t.changed_by[rows] = origin
    count(model, t.ego[rows], "reactivated", origin)


def deepen(model: ModelState, who: np.ndarray, origin: int, rng: np.random.Generator) -> None:
    """Strengthen one live tie of each person in ``who``; middle and outer ties may move in."""
    if len(who) == 0:
        return
    t = model.ties
    tie = model.random_tie_of(who, rng.random(len(who)))
    rows = np.unique(tie[tie >= 0])
    move_in = (t.circle[rows] > 1) & (rng.random(len(rows)) < model.params.pathways.move_in)
    t.circle[rows[move_in]] -= 1
    target = rules.CIRCLE_STRENGTH[t.circle[rows]]
    t.strength[rows] = np.maximum(t.strength[rows], target)
    t.freq[rows] = np.maximum(t.freq[rows], rules.CIRCLE_FREQ[t.circle[rows]])
    t.cap[rows] = rules.tie_capacity(
        t.kind[rows], t.circle[rows], t.strength[rows], model.params.support
    )
    t.changed_by[rows] = origin
    count(model, t.ego[rows], "deepened", origin)


def mapped(model: ModelState) -> np.ndarray:
    """How much of a person's network they see, per client: ``unmapped_seen`` without a
    network map, rising to all of it with a full map (the strength of ``mapping``)."""
    seen = model.params.pathways.unmapped_seen
    return seen + (1.0 - seen) * component_strength(model, model.params.programme.mapping)


def worker_introduces(model: ModelState, who: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Which of ``who`` the worker introduces to one of their own contacts (uniforms
    ``u``): chance co-production x the worker's knowledge of the area."""
    W, c = model.programme.workers, model.programme.clients
    knows = W.knowledge[np.maximum(c.worker[who], 0)] if len(W) else 0.0
    copro = component_strength(model, model.params.programme.coproduction)[who]
    return u < copro * knows


def revalue(model: ModelState, who: np.ndarray, origin: int) -> None:
    """Value support by what it gives: undervalued ties of ``who`` are drawn on more (more
    support drawn from them, and more frequent contact: ``revalue_freq``); the share of the
    undervaluation corrected grows with how much of the network the map shows (``mapped``)."""
    if len(who) == 0:
        return
    t, P = model.ties, model.params.pathways
    mark = np.zeros(model.n_target, bool)
    mark[who] = True
    rows = np.flatnonzero(mark[t.ego] & model.live_ties() & (t.value_subj < P.undervalued_below))
    share = P.revalue * mapped(model)[t.ego[rows]]
    t.value_subj[rows] += share * (1.0 - t.value_subj[rows])
    t.freq[rows] *= 1.0 + P.revalue_freq  # support drawn on means more contact
    t.changed_by[rows] = origin
    k = np.bincount(t.ego[rows], minlength=model.n_target)[who]
    count(model, who, "revalued", origin, k)


def introduce(model: ModelState, who: np.ndarray, origin: int, rng: np.random.Generator) -> None:
    """The worker introduces someone from their own community network (SRC-CP-MODEL): one of
    the contacts of the person's worker (kept by the agency across turnover), chosen at
    random; no introduction if the worker has no contacts yet. The introduction becomes a
    tie (a friend, ``freq_introduced`` contacts a week) and, with chance
    ``introduced_takeup``, the taking up of a matched resource with the new acquaintance
    along (the worker utilising their contacts)."""
    if len(who) == 0:
        return
    u = rng.random(len(who))
    wc = model.programme.worker_contacts
    worker = model.programme.clients.worker[who]
    rows = np.flatnonzero(wc.active)
    rows = rows[np.argsort(wc.worker[rows], kind="stable")]
    lo = np.searchsorted(wc.worker[rows], worker, "left")
    hi = np.searchsorted(wc.worker[rows], worker, "right")
    has = (worker >= 0) & (hi > lo)
    if not has.any():
        return
    pick = np.minimum(lo + np.floor(u * (hi - lo)).astype(np.int64), len(rows) - 1)
    who, alter = who[has], wc.person[rows[pick[has]]]
    freq = model.params.pathways.freq_introduced
    new = model.form_ties(who, alter, KIND["friend"], origin, freq=freq, return_rows=True)
    count(model, who[new >= 0], "introduced", origin)
    joins = (new >= 0) & (rng.random(len(who)) < model.params.pathways.introduced_takeup)
    take_up(model, who[joins], origin, rng, companion=alter[joins])
