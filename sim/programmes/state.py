"""The tables of a programme's state, which the programme component owns
(``model.programme``): its clients (one row per target person), workers and their contacts."""

from __future__ import annotations

import numpy as np

from netmob.sim.tables import Column, Table

NEVER = -(10**6)

# The mobilisation pathway's stages (docs/DESIGN.md section 4; SRC-GENIE-PROCESS). 0: not started.
STAGES = (
    "none",
    "engaged",
    "contemplating",
    "negotiating",
    "revaluing",
    "rehearsing",
    "adopting",
    "sustained",
)
STAGE = {s: i for i, s in enumerate(STAGES)}


class Clients(Table):
    """A programme's clients: one row per target person."""

    # referral and delivery
    referred = Column(np.int32, NEVER)  # week referred
    eligible = Column(np.bool_, False)
    worker = Column(np.int32, -1)  # current worker (-1: waiting or none)
    active = Column(np.bool_, False)  # on a worker's caseload now
    next_contact = Column(np.int32, NEVER)
    planned = Column(np.int16, 0)  # contacts planned with this client (the dose)
    contacts = Column(np.int16, 0)
    missed = Column(np.int16, 0)
    last_contact = Column(np.int32, NEVER)
    discharged = Column(np.int32, NEVER)  # week the programme ended for them
    left_waiting = Column(np.bool_, False)  # gave up waiting for a place
    disengaged = Column(np.bool_, False)  # left before the planned end
    high_fidelity = Column(np.bool_, False)  # receives the model as designed (P5)
    # the worker-client dyad (SRC-CP-PRACTICE, SRC-CP-MODEL)
    fidelity = Column(np.float32, 0.0)  # running mean quality of the contacts received (0-1)
    trust = Column(np.float32, 0.0)  # trust in the worker (0-1; trust_start from assignment)
    goal = Column(np.int8, -1)  # OBJECTIVES index agreed at the first contact (-1: none)
    stepped_back = Column(np.int16, 0)  # negative ties the person was helped to step back from
    # readiness (docs/DESIGN.md section 4)
    r_individual = Column(np.float32, 0.0)
    r_network = Column(np.float32, 0.0)
    r_environment = Column(np.float32, 0.0)
    env_fit_before = Column(np.bool_, False)
    # what mobilisation leaves behind for readiness (docs/ODD.md 7.10): the pathways interact
    network_extra = Column(np.float32, 0.0)  # supportive members seen by reflecting, agreeing
    known_extra = Column(np.float32, 0.0)  # share of unknown matched options a trial made known
    confidence = Column(np.float32, 0.0)  # individual readiness a good trial added
    # elicitation: the programme has held a preference session (prefs_seen is elicited)
    elicited = Column(np.bool_, False)
    # nudge pathway
    nudge_due = Column(np.int32, NEVER)  # week a fit will be acted on
    nudges = Column(np.int16, 0)
    nudge_used = Column(np.bool_, False)  # this fit episode's nudge has fired (once_per_fit)
    # mobilisation pathway
    stage = Column(np.int8, 0)
    stage_since = Column(np.int32, NEVER)
    stage_reached = Column(np.int8, 0)
    regressions = Column(np.int16, 0)
    status_quo = Column(np.bool_, False)  # rehearsing ended in keeping the status quo
    companion = Column(np.int32, -1)  # the member who agreed when negotiating (-1: none)
    negotiations_failed = Column(np.int16, 0)
    trial = Column(np.int32, -1)  # attendance row of the resource tried when rehearsing
    trial_ok = Column(np.bool_, False)  # the first visit went well (or there was nothing to try)
    trials_given_up = Column(np.int16, 0)
    forefronted = Column(np.int16, 0)  # weeks contemplating with an immediate concern at the fore
    concern = Column(np.int8, -1)  # OBJECTIVES code of the concern forefronted (-1: none)
    # the changes each pathway enacted (suffix _n: nudge, _m: mobilisation)
    first_change = Column(np.int32, NEVER)
    first_pathway = Column(np.int8, 0)  # ORIGINS code of the first change (0: none)
    taken_up_n = Column(np.int16, 0)
    taken_up_m = Column(np.int16, 0)
    along_n = Column(np.int16, 0)  # network members brought along
    along_m = Column(np.int16, 0)
    reactivated_n = Column(np.int16, 0)
    reactivated_m = Column(np.int16, 0)
    deepened_n = Column(np.int16, 0)
    deepened_m = Column(np.int16, 0)
    revalued_n = Column(np.int16, 0)  # ties now valued for what they give
    revalued_m = Column(np.int16, 0)
    introduced_n = Column(np.int16, 0)  # people a worker introduced
    introduced_m = Column(np.int16, 0)
    dog_contacts_n = Column(np.int16, 0)  # people met dog walking (the dog on the map)
    dog_contacts_m = Column(np.int16, 0)
    # relief of barriers while on the programme
    access_relief = Column(np.float32, 0.0)
    information_relief = Column(np.float32, 0.0)


class Workers(Table):
    """A programme's workers (posts: a row stays across turnover)."""

    employed = Column(np.bool_, True)
    skill = Column(np.float32, 0.6)
    knowledge = Column(np.float32, 0.3)  # share of local resources known (the worker's journey)
    hired = Column(np.int32, 0)
    vacant_until = Column(np.int32, NEVER)
    clients = Column(np.int32, 0)
    weeks_paid = Column(np.int32, 0)
    fte = Column(np.float32, 1.0)  # share of full time worked
    places = Column(np.int32, 0)  # caseload places (caseload x fte)
    empathy = Column(np.float32, 0.6)  # 0-1 (SRC-CP-MODEL)
    lived_experience = Column(np.bool_, False)  # SRC-CP-MODEL


class WorkerContacts(Table):
    """The workers' own community networks: one row per contact."""

    worker = Column(np.int32, -1)
    person = Column(np.int32, -1)
    since = Column(np.int32, 0)  # week the contact was made
    active = Column(np.bool_, True)  # False once lost with a leaving worker


def waiting_list(clients: Clients) -> np.ndarray:
    """Who is referred and waiting for a place on a caseload (no worker yet, not left)."""
    c = clients
    return (c.referred >= 1) & (c.worker < 0) & (c.discharged == NEVER)
