"""The state of a community, as column tables (schemas here, generation in ``community.py``).

Codes used in integer columns are the positions in the tuples below; the names are the
sources' words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netmob.sim.tables import Table
from netmob.sim.vocabulary import (  # noqa: F401  (re-exported: the state's codes)
    BARRIERS,
    CIRCLES,
    DIAGNOSES,
    EDUCATION,
    HOUSING,
    KIND,
    NETWORK_TYPES,
    OBJECTIVES,
    ORIGIN,
    ORIGINS,
    PATHWAYS,
    RESOURCE_KINDS,
    TIE_KINDS,
)

PEOPLE_SCHEMA = {
    # who
    "is_target": (np.bool_, False),
    "ego": (np.int32, -1),  # for a network member: the target person whose network drew them
    "age": (np.float32, 50.0),
    "male": (np.bool_, False),
    "area": (np.int32, 0),
    # covariates of target people (DESIGN.md section 2)
    "smi": (np.bool_, False),
    "diagnosis": (np.int8, 0),  # DIAGNOSES: within SMI, 0 ("none") without
    "n_conditions": (np.int8, 0),
    "lives_alone": (np.bool_, False),
    "has_partner": (np.bool_, False),
    "housing": (np.int8, 0),
    "education": (np.int8, 1),
    "disability": (np.bool_, False),
    "deprivation": (np.float32, 0.5),
    "pet": (np.bool_, False),
    # health
    "burden_chronic": (np.float32, 0.0),
    "burden_acute": (np.float32, 0.0),
    "burden": (np.float32, 0.0),
    "exacerbation": (np.bool_, False),
    "need": (np.float32, 0.0),
    "self_mgmt": (np.float32, 0.5),
    "tie_capacity": (np.float32, 12.0),
    "capacity_engage": (np.float32, 0.5),
    # support this week (hours/week)
    "support_received": (np.float32, 0.0),
    "support_partner": (np.float32, 0.0),
    "support_others": (np.float32, 0.0),
    "support_gap": (np.float32, 0.0),
    "support_given": (np.float32, 0.0),
    "illness_coverage": (np.float32, 1.0),  # share of illness-work need met
    # wellbeing and health outcomes
    "swemwbs_level": (np.float32, 23.5),
    "swemwbs": (np.float32, 23.5),
    "ucla": (np.float32, 5.0),
    "eq5d_level": (np.float32, 0.0),  # personal EQ-5D offset (constant)
    "eq5d": (np.float32, 0.7),
    "qalys": (np.float64, 0.0),
    "attending": (np.int8, 0),  # resources attended this week
    "accompanying": (np.int8, 0),  # (members) came along to a resource this week
    # service use since the horizon began
    "gp_visits": (np.int32, 0),
    "ae_visits": (np.int32, 0),
    "admissions": (np.int32, 0),
    "service_cost": (np.float64, 0.0),  # includes mh_cost
    # mental-health service use of people with SMI since the horizon began
    "mh_crises": (np.int32, 0),
    "mh_contacts": (np.int32, 0),
    "mh_bed_days": (np.int32, 0),
    "mh_cost": (np.float64, 0.0),
    "mh_crisis_week": (np.int32, -(10**6)),  # week of the last crisis (burn-in included)
}

TIE_SCHEMA = {
    "ego": (np.int32, -1),
    "alter": (np.int32, -1),
    "kind": (np.int8, 0),
    "circle": (np.int8, 3),
    "strength": (np.float32, 0.5),
    "freq": (np.float32, 0.5),  # contacts per week
    "dormant": (np.bool_, False),
    "active": (np.bool_, True),
    "cap": (np.float32, 0.0),  # hours/week this tie can carry at its current strength
    "nearby": (np.bool_, True),  # the member lives in the person's neighbourhood (N2)
    "value_subj": (np.float32, 1.0),  # how the person values it, relative to what it gives
    "given": (np.float32, 0.0),  # hours/week it gave this week (what it objectively gives)
    "formed": (np.int32, 0),  # week formed
    "ended": (np.int32, -(10**6)),  # week ended (or -1e6 while active)
    "dormant_since": (np.int32, -(10**6)),
    "origin": (np.int8, 0),  # ORIGINS: what formed it
    "changed_by": (np.int8, 0),  # ORIGINS: what last deepened or reactivated it (0: nothing)
    "negative": (np.bool_, False),  # 'bad' social capital: strain instead of support (seed 004)
}

LINK_SCHEMA = {  # two members of one person's network who know each other (for density)
    "ta": (np.int32, -1),  # tie rows of the same ego
    "tb": (np.int32, -1),
}

RESOURCE_SCHEMA = {
    "kind": (np.int8, 0),
    "area": (np.int32, 0),
    "places": (np.float32, 10.0),  # places per week before the funding scale
    "cost": (np.float32, 2.0),  # GBP per visit
    "accessibility": (np.float32, 0.8),
    "acceptability": (np.float32, 0.8),
    "open_weeks": (np.float32, 0.9),
    "funded": (np.bool_, True),
    "referrals": (np.bool_, True),  # takes referrals: a programme can match people to it
    "attendees": (np.int32, 0),  # this week
}

ATTENDANCE_SCHEMA = {
    "person": (np.int32, -1),
    "resource": (np.int32, -1),
    "active": (np.bool_, True),
    "start": (np.int32, 0),
    "stop": (np.int32, -(10**6)),
    "visits": (np.int32, 0),
    "attended": (np.bool_, False),  # this week
    "origin": (np.int8, 0),  # ORIGINS: what started it
    "member": (np.int32, -1),  # a network member who comes along (-1: none)
}


@dataclass
class Targets:
    """Per-target-person arrays with more than one column (rows are person ids 0..n-1)."""

    barriers: np.ndarray  # (n, len(BARRIERS)) in 0-1; 'physical' follows burden each week
    prefs: np.ndarray  # (n, len(RESOURCE_KINDS)) preference 0-1
    acceptability: np.ndarray  # (n, len(RESOURCE_KINDS)) 0-1
    objectives: np.ndarray  # (n, len(OBJECTIVES)) bool: what the person wants
    achieved: np.ndarray  # (n, len(OBJECTIVES)) bool
    achieved_by: np.ndarray  # (n, len(OBJECTIVES)) int8 ORIGINS code of what achieved it

    @property
    def n(self) -> int:
        """Number of target people."""
        return len(self.barriers)


@dataclass
class Community:
    """Everything a run's state is made of."""

    people: Table
    ties: Table
    links: Table
    resources: Table
    attendance: Table
    targets: Targets
    n_target: int
    area_people: np.ndarray  # person ids sorted by neighbourhood
    area_bounds: np.ndarray  # area a holds area_people[area_bounds[a]:area_bounds[a + 1]]

    @property
    def n_people(self) -> int:
        """Everyone: target people and network members."""
        return len(self.people)


BARRIER = {k: i for i, k in enumerate(BARRIERS)}
OBJECTIVE = {k: i for i, k in enumerate(OBJECTIVES)}
RESOURCE_KIND = {k: i for i, k in enumerate(RESOURCE_KINDS)}

# Which kinds of resource serve which objective (assumption, after PLANS' resource types).
SERVES = np.zeros((len(RESOURCE_KINDS), len(OBJECTIVES)), dtype=bool)
for _k, _objs in {
    "physical_activity": ("be_more_active",),
    "social_peer": ("meet_people",),
    "creative": ("meet_people", "learn"),
    "learning": ("learn",),
    "volunteering": ("help_others", "meet_people"),
    "faith": ("meet_people", "help_others"),
    "practical_advice": ("manage_condition",),
    "condition_specific": ("manage_condition", "be_more_active"),
}.items():
    for _o in _objs:
        SERVES[RESOURCE_KIND[_k], OBJECTIVE[_o]] = True


class StateViews:
    """Views of the column state shared by both engines (needs ``ties`` and ``n_target``)."""

    ties: Table
    n_target: int

    def live_ties(self) -> np.ndarray:
        """Mask of ties that are active and not dormant."""
        return self.ties.active & ~self.ties.dormant

    def network_size(self) -> np.ndarray:
        """Active, non-dormant ties per target person."""
        return np.bincount(self.ties.ego[self.live_ties()], minlength=self.n_target)
