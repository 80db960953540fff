"""The state of a community, as column tables (schemas here, generation in ``community.py``).

Codes used in integer columns are the positions in the tuples below; the names are the
sources' words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netmob.sim.tables import Column, Table
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


class People(Table):
    """Everyone: target people (ids ``0..n_target-1``) and their network members."""

    # who
    is_target = Column(np.bool_, False)
    ego = Column(np.int32, -1)  # for a network member: the target person whose network drew them
    age = Column(np.float32, 50.0)
    male = Column(np.bool_, False)
    area = Column(np.int32, 0)
    # covariates of target people (docs/DESIGN.md section 2)
    smi = Column(np.bool_, False)
    diagnosis = Column(np.int8, 0)  # DIAGNOSES: within SMI, 0 ("none") without
    n_conditions = Column(np.int8, 0)
    lives_alone = Column(np.bool_, False)
    has_partner = Column(np.bool_, False)
    housing = Column(np.int8, 0)
    education = Column(np.int8, 1)
    disability = Column(np.bool_, False)
    deprivation = Column(np.float32, 0.5)
    pet = Column(np.bool_, False)
    dog = Column(np.bool_, False)  # the pet is a dog: walked, a route to walking groups (P7)
    # health
    burden_chronic = Column(np.float32, 0.0)
    burden_acute = Column(np.float32, 0.0)
    burden = Column(np.float32, 0.0)
    exacerbation = Column(np.bool_, False)
    need = Column(np.float32, 0.0)
    self_mgmt = Column(np.float32, 0.5)
    tie_capacity = Column(np.float32, 12.0)
    capacity_engage = Column(np.float32, 0.5)
    # support this week (hours/week)
    support_received = Column(np.float32, 0.0)
    support_partner = Column(np.float32, 0.0)
    support_others = Column(np.float32, 0.0)
    support_gap = Column(np.float32, 0.0)
    support_given = Column(np.float32, 0.0)
    illness_coverage = Column(np.float32, 1.0)  # share of illness-work need met
    # wellbeing and health outcomes
    swemwbs_level = Column(np.float32, 23.5)
    swemwbs = Column(np.float32, 23.5)
    ucla = Column(np.float32, 5.0)
    eq5d_level = Column(np.float32, 0.0)  # personal EQ-5D offset (constant)
    eq5d = Column(np.float32, 0.7)
    qalys = Column(np.float64, 0.0)
    attending = Column(np.int8, 0)  # resources attended this week
    accompanying = Column(np.int8, 0)  # (members) came along to a resource this week
    # service use since the horizon began
    gp_visits = Column(np.int32, 0)
    ae_visits = Column(np.int32, 0)
    admissions = Column(np.int32, 0)
    service_cost = Column(np.float64, 0.0)  # includes mh_cost
    # mental-health service use of people with SMI since the horizon began
    mh_crises = Column(np.int32, 0)
    mh_contacts = Column(np.int32, 0)
    mh_bed_days = Column(np.int32, 0)
    mh_cost = Column(np.float64, 0.0)
    mh_crisis_week = Column(np.int32, -(10**6))  # week of the last crisis (burn-in included)


PEOPLE_SCHEMA = People.schema  # {column: (dtype, default)}, as the calibration names columns


class Ties(Table):
    """Ties from a target person to anyone (an ended tie keeps its row)."""

    ego = Column(np.int32, -1)
    alter = Column(np.int32, -1)
    kind = Column(np.int8, 0)
    circle = Column(np.int8, 3)
    strength = Column(np.float32, 0.5)
    freq = Column(np.float32, 0.5)  # contacts per week
    dormant = Column(np.bool_, False)
    active = Column(np.bool_, True)
    cap = Column(np.float32, 0.0)  # hours/week this tie can carry at its current strength
    nearby = Column(np.bool_, True)  # the member lives in the person's neighbourhood (N2)
    value_subj = Column(np.float32, 1.0)  # how the person values it, relative to what it gives
    given = Column(np.float32, 0.0)  # hours/week it gave this week (what it objectively gives)
    formed = Column(np.int32, 0)  # week formed
    ended = Column(np.int32, -(10**6))  # week ended (or -1e6 while active)
    dormant_since = Column(np.int32, -(10**6))
    origin = Column(np.int8, 0)  # ORIGINS: what formed it
    changed_by = Column(np.int8, 0)  # ORIGINS: what last deepened or reactivated it (0: nothing)
    # 'bad' social capital: strain instead of support (SRC-CP-MODEL)
    negative = Column(np.bool_, False)


class Links(Table):
    """Two members of one person's network who know each other (for density)."""

    ta = Column(np.int32, -1)  # tie rows of the same ego
    tb = Column(np.int32, -1)


class Resources(Table):
    """Community resources: groups, activities and places."""

    kind = Column(np.int8, 0)
    area = Column(np.int32, 0)
    places = Column(np.float32, 10.0)  # places per week before the funding scale
    cost = Column(np.float32, 2.0)  # GBP per visit
    accessibility = Column(np.float32, 0.8)
    acceptability = Column(np.float32, 0.8)
    open_weeks = Column(np.float32, 0.9)
    funded = Column(np.bool_, True)
    referrals = Column(np.bool_, True)  # takes referrals: a programme can match people to it
    attendees = Column(np.int32, 0)  # this week


class Attendance(Table):
    """A target person going to a resource (one row per person and resource taken up)."""

    person = Column(np.int32, -1)
    resource = Column(np.int32, -1)
    active = Column(np.bool_, True)
    start = Column(np.int32, 0)
    stop = Column(np.int32, -(10**6))
    visits = Column(np.int32, 0)
    attended = Column(np.bool_, False)  # this week
    origin = Column(np.int8, 0)  # ORIGINS: what started it
    member = Column(np.int32, -1)  # a network member who comes along (-1: none)
    helped = Column(np.float32, 0.0)  # a worker's help with the first visits (facilitation, 0-1)


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

    people: People
    ties: Ties
    links: Links
    resources: Resources
    attendance: Attendance
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

    ties: Ties
    n_target: int

    def live_ties(self) -> np.ndarray:
        """Mask of ties that are active and not dormant."""
        return self.ties.active & ~self.ties.dormant

    def network_size(self) -> np.ndarray:
        """Active, non-dormant ties per target person."""
        return np.bincount(self.ties.ego[self.live_ties()], minlength=self.n_target)
