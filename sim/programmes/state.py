"""Column schemas of a programme's state: its clients (one row per target person) and workers."""

from __future__ import annotations

import numpy as np

NEVER = -(10**6)

# The mobilisation pathway's stages (DESIGN.md section 3; seed 000). 0: not started.
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

CLIENT_SCHEMA = {
    # referral and delivery
    "referred": (np.int32, NEVER),  # week referred
    "eligible": (np.bool_, False),
    "worker": (np.int32, -1),  # current worker (-1: waiting or none)
    "active": (np.bool_, False),  # on a worker's caseload now
    "next_contact": (np.int32, NEVER),
    "planned": (np.int16, 0),  # contacts planned with this client (the dose)
    "contacts": (np.int16, 0),
    "missed": (np.int16, 0),
    "last_contact": (np.int32, NEVER),
    "discharged": (np.int32, NEVER),  # week the programme ended for them
    "left_waiting": (np.bool_, False),  # gave up waiting for a place
    "disengaged": (np.bool_, False),  # left before the planned end
    "high_fidelity": (np.bool_, False),  # receives the model as designed (P5)
    # the worker-client dyad (seeds 002, 004)
    "fidelity": (np.float32, 0.0),  # running mean quality of the contacts received (0-1)
    "trust": (np.float32, 0.0),  # trust in the worker (0-1; trust_start from assignment)
    "goal": (np.int8, -1),  # OBJECTIVES index agreed at the first contact (-1: none)
    "stepped_back": (np.int16, 0),  # negative ties the person was helped to step back from
    # readiness (DESIGN.md section 3)
    "r_individual": (np.float32, 0.0),
    "r_network": (np.float32, 0.0),
    "r_environment": (np.float32, 0.0),
    "env_fit_before": (np.bool_, False),
    # what mobilisation leaves behind for readiness (issue 11): the pathways interact
    "network_extra": (np.float32, 0.0),  # supportive members seen by reflecting, agreeing
    "known_extra": (np.float32, 0.0),  # share of unknown matched options a trial made known
    "confidence": (np.float32, 0.0),  # individual readiness a good trial added
    # elicitation: the programme has held a preference session (prefs_seen is elicited)
    "elicited": (np.bool_, False),
    # nudge pathway
    "nudge_due": (np.int32, NEVER),  # week a fit will be acted on
    "nudges": (np.int16, 0),
    "nudge_used": (np.bool_, False),  # this fit episode's nudge has fired (once_per_fit)
    # mobilisation pathway
    "stage": (np.int8, 0),
    "stage_since": (np.int32, NEVER),
    "stage_reached": (np.int8, 0),
    "regressions": (np.int16, 0),
    "status_quo": (np.bool_, False),  # rehearsing ended in keeping the status quo
    "companion": (np.int32, -1),  # the member who agreed when negotiating (-1: none)
    "negotiations_failed": (np.int16, 0),
    "trial": (np.int32, -1),  # attendance row of the resource tried when rehearsing
    "trial_ok": (np.bool_, False),  # the first visit went well (or there was nothing to try)
    "trials_given_up": (np.int16, 0),
    "forefronted": (np.int16, 0),  # sent back by an exacerbation ('immediate concerns')
    # the changes each pathway enacted (suffix _n: nudge, _m: mobilisation)
    "first_change": (np.int32, NEVER),
    "first_pathway": (np.int8, 0),  # ORIGINS code of the first change (0: none)
    "taken_up_n": (np.int16, 0),
    "taken_up_m": (np.int16, 0),
    "along_n": (np.int16, 0),  # network members brought along
    "along_m": (np.int16, 0),
    "reactivated_n": (np.int16, 0),
    "reactivated_m": (np.int16, 0),
    "deepened_n": (np.int16, 0),
    "deepened_m": (np.int16, 0),
    "revalued_n": (np.int16, 0),  # ties now valued for what they give
    "revalued_m": (np.int16, 0),
    "introduced_n": (np.int16, 0),  # people a worker introduced
    "introduced_m": (np.int16, 0),
    # relief of barriers while on the programme
    "access_relief": (np.float32, 0.0),
    "information_relief": (np.float32, 0.0),
}

WORKER_SCHEMA = {
    "employed": (np.bool_, True),
    "skill": (np.float32, 0.6),
    "knowledge": (np.float32, 0.3),  # share of local resources known (the worker's journey)
    "hired": (np.int32, 0),
    "vacant_until": (np.int32, NEVER),
    "clients": (np.int32, 0),
    "weeks_paid": (np.int32, 0),
    "fte": (np.float32, 1.0),  # share of full time worked
    "places": (np.int32, 0),  # caseload places (caseload x fte)
    "empathy": (np.float32, 0.6),  # 0-1 (seed 004)
    "lived_experience": (np.bool_, False),  # seed 004
}

WORKER_CONTACT_SCHEMA = {  # the workers' own community networks: one row per contact
    "worker": (np.int32, -1),
    "person": (np.int32, -1),
    "since": (np.int32, 0),  # week the contact was made
    "active": (np.bool_, True),  # False once lost with a leaving worker
}


def waiting_list(clients) -> np.ndarray:
    """Who is referred and waiting for a place on a caseload (no worker yet, not left)."""
    c = clients
    return (c.referred >= 1) & (c.worker < 0) & (c.discharged == NEVER)
