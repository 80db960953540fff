"""The mobilisation pathway: a gradual, staged process with progress, regress and exit (one
of the week's processes, in the order of :mod:`netmob.sim.schedule`).

engaged -> contemplating -> negotiating acceptable means -> re-valuing support ->
rehearsing (status quo or change) -> adopting -> sustained (SRC-GENIE-PROCESS). Each stage does
something (docs/ODD.md 7.12): contemplating reflects on the mapped network (network readiness up,
more so when close members are valued); negotiating agrees support or company with a close
member, and can fail; re-valuing draws on undervalued ties (more support, more contact);
rehearsing tries a resource once, and a bad first visit can end it; adopting keeps what was
tried; sustained changes are given up less often. Contemplation moves forward by
'forefronting immediate concerns': the person's most pressing concern (health, unmet need,
loneliness) decides which change is considered and speeds contemplating toward it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netmob.sim.pathways import changes
from netmob.sim.pathways.readiness import barrier_mean, in_play
from netmob.sim.processes.base import Process
from netmob.sim.programmes.state import NEVER, STAGE
from netmob.sim.programmes.strength import component_strength, trust_factor
from netmob.sim.state import KIND, OBJECTIVE, ORIGIN
from netmob.sim.vocabulary import UCLA_SCALE

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState

MOBILISATION = ORIGIN["mobilisation"]


def advance_prob(
    model: ModelState, contact: np.ndarray, network: np.ndarray, barrier: np.ndarray
) -> np.ndarray:
    """Weekly chance of moving a stage on: higher with a contact, with network support and
    with a co-produced, high-fidelity programme; lower with barriers."""
    P, pr = model.params.pathways, model.params.programme
    fidelity = component_strength(model, 1.0)
    coproduced = 1.0 + component_strength(model, pr.coproduction)
    p = P.advance * (1 + P.contact_boost * contact) * (1 + P.network_boost * network)
    kept = (1.0 - P.fidelity_weight) + P.fidelity_weight * fidelity
    trusted = trust_factor(model, pr.trust_advance)  # the dyad's trust (7.9)
    return np.clip(p * kept * coproduced * trusted * (1.0 - barrier), 0, 1)


def regress_prob(model: ModelState, recent_contact: np.ndarray, barrier: np.ndarray) -> np.ndarray:
    """Weekly chance of falling back a stage: barriers push back, more so without contact."""
    P = model.params.pathways
    without = np.where(recent_contact, 1.0, P.regress_no_contact)
    return np.clip(P.regress * barrier * without, 0, 1)


def close_members(model: ModelState) -> np.ndarray:
    """Mask of live, close (inner or middle circle), informal ties to network members (not
    negative ones: "bad" social capital is no one to negotiate support with)."""
    t = model.ties
    return (
        model.live_ties()
        & (t.circle <= 2)
        & (t.kind != KIND["formal"])
        & (t.alter >= model.n_target)
        & ~t.negative
    )


def contemplation_boost(model: ModelState, who: np.ndarray) -> np.ndarray:
    """Supportive members that reflecting on the mapped network adds for ``who``: grows with
    how valued their close members are (mean ``value_subj``; none without close members) and
    with how much of the network the map shows (``changes.mapped``)."""
    t, n = model.ties, model.n_target
    mine = np.zeros(n, bool)
    mine[who] = True
    close = close_members(model) & mine[t.ego]  # only the ties of ``who``
    k = np.bincount(t.ego[close], minlength=n)[who]
    value = np.bincount(t.ego[close], t.value_subj[close], minlength=n)[who]
    mean_value = np.where(k > 0, value / np.maximum(k, 1), 0.0)
    seen = changes.mapped(model)[who]  # the map shows more of the network to reflect on
    return model.params.pathways.contemplate_members * mean_value * seen


def concerns(model: ModelState, who: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The most pressing concern of each of ``who``, as an objective (OBJECTIVES code), and
    whether it is pressing ('immediate concerns', SRC-GENIE-PROCESS). How pressing each is,
    0-1: managing the condition, the larger of disease burden and the share of support need
    unmet (1 during an exacerbation, whatever the person's objectives); meeting people,
    loneliness (UCLA-3 on its range); the person's other objectives are aspirations, never
    immediate. Pressing: at least ``concern_cut``."""
    pp, tg, cut = model.people, model.targets, model.params.pathways.concern_cut
    press = np.zeros((len(who), tg.objectives.shape[1]))
    unmet = np.clip(pp.support_gap[who] / np.maximum(pp.need[who], 1e-9), 0, 1)
    manage = np.maximum(pp.burden[who], unmet) * tg.objectives[who, OBJECTIVE["manage_condition"]]
    press[:, OBJECTIVE["manage_condition"]] = np.where(pp.exacerbation[who], 1.0, manage)
    lo, hi = UCLA_SCALE
    lonely = np.clip((pp.ucla[who] - lo) / (hi - lo), 0, 1)
    press[:, OBJECTIVE["meet_people"]] = lonely * tg.objectives[who, OBJECTIVE["meet_people"]]
    concern = press.argmax(axis=1)
    return concern, press[np.arange(len(who)), concern] >= cut


def agree_prob(model: ModelState, tie: np.ndarray) -> np.ndarray:
    """Chance a close member agrees to support or join a change: rises with tie strength,
    falls with the support the member already gives (strain, ``support.member_strain``)."""
    t, pp, P = model.ties, model.people, model.params
    strain = np.clip(pp.support_given[t.alter[tie]] / max(P.support.member_strain, 1e-9), 0, 1)
    return P.pathways.agree * t.strength[tie] * (1.0 - strain)


def give_up_prob(model: ModelState, row: np.ndarray) -> np.ndarray:
    """Chance a tried resource is given up after the first visit: rises with the person's
    barriers and with how badly the resource fits them (true preference x acceptability);
    falls with the worker's help with the first visits (``helped``)."""
    a, tg, res = model.attendance, model.targets, model.resources
    person, kind = a.person[row], res.kind[a.resource[row]]
    fit = tg.prefs[person, kind] * tg.acceptability[person, kind]
    barrier = barrier_mean(model)[person]
    helped = a.helped[row]  # a worker helping with the first visits (facilitation)
    return model.params.pathways.give_up_first * 0.5 * (barrier + (1.0 - fit)) * (1.0 - helped)


class MobilisationPathway(Process):
    """A person who engages with a worker starts the staged process. Each week they may move
    on (``advance_prob``) or fall back (``regress_prob``). What each stage does (SRC-GENIE-PROCESS):

    - contemplating: on arrival, reflecting on the mapped network adds supportive members to
      network readiness (``contemplation_boost``); changes are further contemplated by
      forefronting immediate concerns (``concerns``): the most pressing one decides which
      change is considered (``programme.clients.concern``, the kinds of resource that serve
      it weigh ``forefront_focus`` more in what is tried and taken up) and, while it is
      pressing, contemplating moves on ``1 + forefront_speed`` times faster;
    - negotiating: moving on needs a close member's agreement (``agree_prob``); the member
      who agrees comes along to what is tried and adopted, contact with them is more
      frequent and they count toward network readiness; a failure keeps the person there
      or sends them back (``negotiate_back``);
    - re-valuing: undervalued ties are drawn on (more support, more frequent contact);
    - rehearsing: a resource is tried once; after the first visit it is given up with
      ``give_up_prob`` (or on an exacerbation), which sends the person back; a trial visit
      makes options known and a good one adds confidence (readiness later nudges need);
      moving on may still end in the status quo (more so with little network readiness);
    - adopting: keeps the tried resource (or takes one up), deepens and reactivates ties; a
      dog the map shows may bring a contact met dog walking (``changes.walk_the_dog``);
      adopting people no longer move on or back week by week;
    - sustained: after ``sustain_weeks`` of adoption, if the person still goes to what
      mobilisation started (with or without the programme); the resources mobilisation
      started are then given up less often (``sustained_stop``).

    Switched off by ``pathways.mobilisation: false``; each stage's content by its own
    parameter (``contemplate_members``, ``forefront_speed``, ``forefront_focus``,
    ``revalue_freq``, ``trial_known``, ``trial_confidence`` at 0, ``sustained_stop`` at 1) or
    flag (``forefronting``, ``negotiation``, ``rehearsal``)."""

    # ties: introductions through the worker's network form ties (``changes.introduce``)
    params = ("pathways", "programme", "attendance", "support", "ties")
    draws = (
        "stage",
        "negotiate",
        "trial",
        "first_visit",
        "sustain",
        "status_quo",
        "act",
        "dog_walk",
    )
    results = (
        "programme.clients.stage",
        "programme.clients.stage_since",
        "programme.clients.stage_reached",
        "programme.clients.regressions",
        "programme.clients.status_quo",
        "programme.clients.forefronted",
        "programme.clients.concern",
        "programme.clients.companion",
        "programme.clients.negotiations_failed",
        "programme.clients.network_extra",
        "programme.clients.trial",
        "programme.clients.trial_ok",
        "programme.clients.trials_given_up",
        "programme.clients.known_extra",
        "programme.clients.confidence",
        "ties.freq",  # agreeing (negotiating) and re-valuing mean more contact
        "attendance.active",  # trials given up, sustained resources kept
        "attendance.stop",
        *changes.RESULTS,
        "programme.clients.taken_up_m",
        "programme.clients.along_m",
        "programme.clients.reactivated_m",
        "programme.clients.deepened_m",
        "programme.clients.revalued_m",
        "ties.circle",  # deepening
        "ties.strength",
        "ties.cap",
        "ties.value_subj",  # re-valuing
        "programme.clients.introduced_m",  # introductions through the worker's network
        "programme.clients.dog_contacts_m",  # contacts met dog walking
        "ties.rows",
        "counters.new_ties",
    )

    def step(self, model: ModelState) -> None:
        c, P, n, week = model.programme.clients, model.params.pathways, model.n_target, model.week
        if not P.mobilisation or week < 1 or not (c.referred >= 1).any():
            return
        start = model.programme.contact_now & (c.stage == 0)
        c.stage[start] = STAGE["engaged"]
        c.stage_since[start] = week
        c.stage_reached[start] = np.maximum(c.stage_reached[start], STAGE["engaged"])
        self.sustain(model)
        self.sustain_changes(model)
        self.judge_trials(model)
        stepping = (c.stage >= 1) & (c.stage < STAGE["adopting"]) & (c.stage_since < week)
        moving = np.flatnonzero(in_play(model) & ~c.status_quo & stepping)
        if len(moving) == 0:
            return
        barrier = barrier_mean(model)[moving]
        recent = (week - c.last_contact[moving]) <= model.params.programme.interval
        p_on = advance_prob(model, model.programme.contact_now, c.r_network, barrier_mean(model))[
            moving
        ]
        p_back = regress_prob(model, recent, barrier)
        stage = c.stage[moving]
        p_on = np.clip(p_on * self.forefront(model, moving, stage), 0, 1)
        u = self.rng(model, "stage").random(n)[moving]
        on = u < p_on
        back = ~on & (u < p_on + p_back) & (stage > STAGE["engaged"])
        on, back = self.negotiate(model, moving, on, back, stage)
        if P.rehearsal:  # a resource is tried before it is adopted
            on &= (stage != STAGE["rehearsing"]) | c.trial_ok[moving]
        self.rehearse(model, moving, on, stage)
        self.end_trials(model, moving[back & (stage == STAGE["rehearsing"])])
        self.move(model, moving[back], -1)
        self.move(model, moving[on & ~c.status_quo[moving]], +1)

    def forefront(self, model: ModelState, moving: np.ndarray, stage: np.ndarray) -> np.ndarray:
        """Forefronting immediate concerns while contemplating: the most pressing concern
        of each contemplating person, if it is pressing (``concerns``), becomes the change
        they consider (``concern``) and multiplies their chance of moving on by
        ``1 + forefront_speed``. Returns that factor for ``moving`` (1 for everyone else)."""
        c, P = model.programme.clients, model.params.pathways
        factor = np.ones(len(moving))
        if not P.forefronting:
            return factor
        at = np.flatnonzero(stage == STAGE["contemplating"])
        concern, pressing = concerns(model, moving[at])
        who = moving[at[pressing]]
        c.concern[who] = concern[pressing]
        c.forefronted[who] += 1
        factor[at[pressing]] = 1.0 + P.forefront_speed
        return factor

    def negotiate(
        self,
        model: ModelState,
        moving: np.ndarray,
        on: np.ndarray,
        back: np.ndarray,
        stage: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Moving on from negotiating needs a close member's agreement (people with no close
        member have nobody to ask and move on alone). Returns the new ``on`` and ``back``."""
        c, t, P = model.programme.clients, model.ties, model.params.pathways
        if not P.negotiation:
            return on, back
        agreed_before = c.companion[moving] >= 0  # an agreement already made stands
        asking = np.flatnonzero(on & (stage == STAGE["negotiating"]) & ~agreed_before)
        if len(asking) == 0:
            return on, back
        who = moving[asking]
        rng = self.rng(model, "negotiate")
        u = rng.random((model.n_target, 3))[who]
        tie = model.random_tie_of(who, u[:, 0], among=close_members(model))
        has = tie >= 0
        agreed = has & (u[:, 1] < np.where(has, agree_prob(model, np.maximum(tie, 0)), 0.0))
        rows = tie[agreed]
        c.companion[who[agreed]] = t.alter[rows]
        t.freq[rows] *= 1.0 + P.agreed_freq
        t.changed_by[rows] = MOBILISATION
        c.network_extra[who[agreed]] += P.agreed_members
        failed = has & ~agreed
        c.negotiations_failed[who[failed]] += 1
        on, back = on.copy(), back.copy()
        on[asking[failed]] = False
        back[asking[failed & (u[:, 2] < P.negotiate_back)]] = True
        return on, back

    def start_trials(self, model: ModelState, who: np.ndarray) -> None:
        """Rehearsing: try a matched resource once (with the member who agreed)."""
        c = model.programme.clients
        if len(who) == 0:
            return
        c.trial[who], c.trial_ok[who] = -1, True  # nothing to try: nothing holds them
        rows = changes.take_up(
            model, who, MOBILISATION, self.rng(model, "trial"), companion=c.companion[who]
        )
        person = model.attendance.person[rows]
        c.trial[person], c.trial_ok[person] = rows, False

    def judge_trials(self, model: ModelState) -> None:
        """After the first visit of a tried resource: it is given up (with ``give_up_prob``)
        or it went well. Either way the options are better known; a good visit adds
        confidence. A trial that stopped before its first visit is given up too."""
        c, a, P = model.programme.clients, model.attendance, model.params.pathways
        if not P.rehearsal:
            return
        who = np.flatnonzero((c.stage == STAGE["rehearsing"]) & (c.trial >= 0) & ~c.trial_ok)
        row = c.trial[who]
        visited = a.visits[row] >= 1
        stopped = ~a.active[row]
        u = self.rng(model, "first_visit").random(model.n_target)[who]
        bad = stopped | (visited & (u < give_up_prob(model, row)))
        good = visited & ~bad
        seen = who[visited]
        c.known_extra[seen] += P.trial_known * (1.0 - c.known_extra[seen])
        c.confidence[who[good]] = np.minimum(c.confidence[who[good]] + P.trial_confidence, 1.0)
        c.trial_ok[who[good]] = True
        given_up = who[bad]
        self.end_trials(model, given_up)
        self.move(model, given_up, -1)

    def end_trials(self, model: ModelState, who: np.ndarray) -> None:
        """The resources ``who`` were trying are given up."""
        c, a = model.programme.clients, model.attendance
        who = who[c.trial[who] >= 0]
        row = c.trial[who]
        live = row[a.active[row]]
        a.active[live] = False
        a.stop[live] = model.week
        c.trials_given_up[who] += 1
        c.trial[who], c.trial_ok[who] = -1, False

    def sustain_changes(self, model: ModelState) -> None:
        """An adopted change is sustained after ``sustain_weeks``, if the person still goes to
        a resource mobilisation started for them (or it started none): with or without the
        programme."""
        c, a, n = model.programme.clients, model.attendance, model.n_target
        due = (c.stage == STAGE["adopting"]) & (
            model.week - c.stage_since >= model.params.pathways.sustain_weeks
        )
        if not due.any():
            return
        mob = a.origin == MOBILISATION
        started = np.bincount(a.person[mob], minlength=n) > 0
        going = np.bincount(a.person[mob & a.active], minlength=n) > 0
        who = np.flatnonzero(due & (going | ~started))
        c.stage[who] = STAGE["sustained"]
        c.stage_since[who] = model.week
        c.stage_reached[who] = STAGE["sustained"]

    def sustain(self, model: ModelState) -> None:
        """Sustained change lasts: a resource mobilisation started for someone whose change
        is sustained, given up this week, is kept with chance ``1 - sustained_stop`` (so its
        weekly stop hazard is ``sustained_stop`` times the usual)."""
        c, a, P = model.programme.clients, model.attendance, model.params.pathways
        if P.sustained_stop >= 1.0:
            return
        rows = np.flatnonzero(~a.active & (a.stop == model.week) & (a.origin == MOBILISATION))
        rows = rows[c.stage[a.person[rows]] == STAGE["sustained"]]
        u = self.rng(model, "sustain").random(len(a))[rows]
        kept = rows[u >= P.sustained_stop]
        a.active[kept] = True
        a.stop[kept] = NEVER

    def rehearse(
        self, model: ModelState, moving: np.ndarray, on: np.ndarray, stage: np.ndarray
    ) -> None:
        """Rehearsing justifications ends some journeys in the status quo (what was tried is
        given up)."""
        c, P = model.programme.clients, model.params.pathways
        deciding = moving[on & (stage == STAGE["rehearsing"])]
        u = self.rng(model, "status_quo").random(model.n_target)[deciding]
        keep = deciding[u < P.status_quo * (1.0 - c.r_network[deciding])]
        c.status_quo[keep] = True
        self.end_trials(model, keep)

    def move(self, model: ModelState, who: np.ndarray, step: int) -> None:
        """Move ``who`` a stage on (+1) or back (-1); a first arrival enacts that stage's
        changes; every arrival at rehearsing starts a trial."""
        c, P = model.programme.clients, model.params.pathways
        if len(who) == 0:
            return
        c.stage[who] += step
        c.stage_since[who] = model.week
        if step < 0:
            c.regressions[who] += 1
            return
        if P.rehearsal:
            self.start_trials(model, who[c.stage[who] == STAGE["rehearsing"]])
        first = who[c.stage[who] > c.stage_reached[who]]
        c.stage_reached[first] = c.stage[first]
        contemplating = first[c.stage[first] == STAGE["contemplating"]]
        c.network_extra[contemplating] += contemplation_boost(model, contemplating)
        rng = self.rng(model, "act")
        changes.revalue(model, first[c.stage[first] == STAGE["revaluing"]], MOBILISATION)
        adopt = first[c.stage[first] == STAGE["adopting"]]
        for _ in range(P.deepen):
            changes.deepen(model, adopt, MOBILISATION, rng)
        seen = changes.mapped(model)[adopt]  # dormant ties the map brings to mind
        for _ in range(P.reactivate):
            changes.reactivate(model, adopt[rng.random(len(adopt)) < seen], MOBILISATION, rng)
        introduced = changes.worker_introduces(model, adopt, rng.random(len(adopt)))
        changes.introduce(model, adopt[introduced], MOBILISATION, rng)
        walk = self.rng(model, "dog_walk").random((model.n_target, 2))[adopt]
        changes.walk_the_dog(model, adopt, MOBILISATION, walk)
        kept = adopt[(c.trial[adopt] >= 0) & model.attendance.active[np.maximum(c.trial[adopt], 0)]]
        take = np.setdiff1d(adopt, kept)
        c.trial[kept] = -1  # what was tried is kept: no second take-up
        changes.take_up(model, take, MOBILISATION, rng, companion=c.companion[take])
