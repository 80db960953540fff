"""One parameter schema for netmob: every parameter, its default, bounds, unit, meaning, source.

Parameters are grouped by the process that uses them. Every default cites its row in
``docs/EVIDENCE.md`` (a published figure, e.g. ``N2``, or a source document, e.g.
``SRC-GENIE-PROCESS``) or says ``assumption``. Unknown keys are errors; values
outside the bounds are errors. Scenario files, sweep specs, the CLI and the app's sliders
all derive from this module, so no default is written twice.

Examples:
    >>> p = Params()
    >>> p.population.lives_alone
    0.253
    >>> Params.from_overrides({"ties.loss_outer": 0.1}).ties.loss_outer
    0.1
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from netmob.sim.directory import ResourceDirectory
from netmob.sim.errors import InputError
from netmob.sim.programmes.presets import PRESETS
from netmob.sim.vocabulary import SWEMWBS_SCALE, UCLA_SCALE


def param(default: Any, lo: float, hi: float, unit: str, meaning: str, source: str) -> Any:
    """A schema field with bounds and its metadata (unit, meaning, source)."""
    return Field(
        default,
        ge=lo,
        le=hi,
        description=meaning,
        json_schema_extra={"unit": unit, "source": source, "lo": lo, "hi": hi},
    )


def flag(default: bool, meaning: str, source: str = "assumption") -> Any:
    """A boolean schema field (a switch)."""
    return Field(
        default, description=meaning, json_schema_extra={"unit": "on/off", "source": source}
    )


class Group(BaseModel):
    """A group of parameters for one process; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Population(Group):
    """Target people: their covariates (docs/DESIGN.md, section 2)."""

    n_people: int = param(
        2000, 1, 5_000_000, "people", "target people (one or more LTCs)", "assumption"
    )
    age_mean: float = param(65.3, 18, 95, "years", "mean age of target people", "N2")
    age_sd: float = param(12.6, 0, 30, "years", "SD of age", "N2")
    male: float = param(0.64, 0, 1, "share", "share of target people who are male", "N2")
    ltc_1: float = param(0.163, 0, 1, "share", "share with 1 LTC", "N3")
    ltc_2: float = param(0.310, 0, 1, "share", "share with 2 LTCs", "N3")
    ltc_3: float = param(0.277, 0, 1, "share", "share with 3 LTCs", "N3")
    ltc_4: float = param(0.143, 0, 1, "share", "share with 4 LTCs", "N3")
    ltc_5: float = param(0.107, 0, 1, "share", "share with 5 or more LTCs", "N3")
    lives_alone: float = param(0.253, 0, 1, "share", "share living alone", "N3")
    partner_if_cohabiting: float = param(
        0.79,
        0,
        1,
        "share",
        "share with a partner among those not living alone (59% / 74.7%)",
        "N2, N3",
    )
    smi: float = param(0.10, 0, 1, "share", "share with severe mental illness", "assumption")
    no_qualifications: float = param(
        0.443, 0, 1, "share", "share without formal qualifications", "N8"
    )
    higher_education: float = param(
        0.15, 0, 1, "share", "share with higher education", "assumption"
    )
    disability: float = param(
        0.35, 0, 1, "share", "share with long-term sickness or disability", "assumption"
    )
    housing_insecure: float = param(0.06, 0, 1, "share", "share in insecure housing", "assumption")
    housing_supported: float = param(
        0.03, 0, 1, "share", "share in supported housing", "assumption"
    )
    smi_housing_factor: float = param(
        3.0, 1, 10, "ratio", "insecure/supported housing odds with SMI", "assumption"
    )
    psychosis: float = param(
        0.55,
        0,
        1,
        "share",
        "share of people with SMI whose diagnosis is psychosis (living stably, alone)",
        "N4, N7; assumption",
    )
    bipolar: float = param(
        0.25,
        0,
        1,
        "share",
        "share of people with SMI whose diagnosis is bipolar disorder (the rest: other)",
        "N7; assumption",
    )
    psychosis_alone_factor: float = param(
        3.0,
        0.1,
        10,
        "ratio",
        "odds of psychosis (against other diagnoses) when living alone",
        "assumption",
    )
    psychosis_housing_factor: float = param(
        3.0,
        0.1,
        10,
        "ratio",
        "odds of psychosis (against other diagnoses) in insecure or supported housing",
        "assumption",
    )
    pet: float = param(0.40, 0, 1, "share", "share with a pet", "assumption")
    dog: float = param(
        0.55,
        0,
        1,
        "share",
        "share of people with a pet whose pet is a dog (walked: a route to walking groups)",
        "assumption",
    )
    deprivation: float = param(
        0.6, 0, 1, "index 0-1", "mean area deprivation (deprived areas)", "N1; assumption"
    )
    area_size: int = param(
        400, 20, 100_000, "people", "target people per neighbourhood", "assumption"
    )

    @model_validator(mode="after")
    def _ltc_shares_sum_to_one(self) -> Population:
        total = self.ltc_1 + self.ltc_2 + self.ltc_3 + self.ltc_4 + self.ltc_5
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"ltc_1..ltc_5 must sum to 1 (they sum to {total:.4f})")
        return self

    @model_validator(mode="after")
    def _diagnosis_shares_fit(self) -> Population:
        if self.psychosis + self.bipolar > 1.0 + 1e-9:
            raise ValueError("psychosis + bipolar must be at most 1 (the rest is other)")
        return self


class Network(Group):
    """Baseline personal networks: composition, circles, density, support capacity."""

    family: float = param(
        5.0,
        0,
        30,
        "members",
        "mean family members (not partner) before the covariate factors",
        "N4 (43.1% of 11.7); tuned with the N7 factors",
    )
    friends: float = param(
        3.8,
        0,
        30,
        "members",
        "mean friends before the covariate factors",
        "N4 (3.4 friends, 26.5%); tuned with the N7 factors",
    )
    neighbours: float = param(
        1.3, 0, 30, "members", "mean neighbours and acquaintances", "assumption"
    )
    group_members: float = param(
        0.8, 0, 30, "members", "mean members met through groups", "assumption"
    )
    formal: float = param(
        0.7,
        0,
        30,
        "members",
        "mean professionals before the covariate factors",
        "N4 (0.5-32.3%); tuned with the N7 factors",
    )
    dormant: float = param(1.5, 0, 30, "ties", "mean dormant ties at baseline", "assumption")
    dormant_family: float = param(
        0.4, 0, 1, "share", "share of dormant ties that are family (the rest friends)", "assumption"
    )
    alone_family_factor: float = param(
        0.45, 0, 2, "ratio", "family count when living alone", "N7; assumption"
    )
    alone_formal_factor: float = param(
        1.6, 0, 5, "ratio", "professional count when living alone", "N7; assumption"
    )
    housing_informal_factor: float = param(
        0.5,
        0,
        2,
        "ratio",
        "family and friend count in insecure or supported housing",
        "N7; assumption",
    )
    housing_formal_factor: float = param(
        2.0,
        0,
        5,
        "ratio",
        "professional count in insecure or supported housing",
        "N7; assumption",
    )
    noqual_friend_factor: float = param(
        0.4, 0, 2, "ratio", "friend and group count without qualifications", "N7; assumption"
    )
    noqual_formal_factor: float = param(
        2.0, 0, 5, "ratio", "professional count without qualifications", "N7; assumption"
    )
    disability_group_factor: float = param(
        0.4, 0, 2, "ratio", "group and neighbour count with disability", "N7; assumption"
    )
    disability_friend_factor: float = param(
        0.75, 0, 2, "ratio", "friend count with disability", "N7; assumption"
    )
    disability_formal_factor: float = param(
        2.5, 0, 5, "ratio", "professional count with disability", "N7; assumption"
    )
    smi_friend_factor: float = param(
        0.6, 0, 2, "ratio", "friend and group count with SMI", "N5, N4; assumption"
    )
    formal_factor: float = param(
        1.5,
        0,
        10,
        "ratio",
        "professional count with SMI (N4: professionals up to 32.3% in psychosis)",
        "N4; assumption",
    )
    nearby_family: float = param(
        0.25,
        0,
        1,
        "probability",
        "a family member lives nearby",
        "N2 (36.5% of members); assumption",
    )
    nearby_friend: float = param(
        0.30, 0, 1, "probability", "a friend lives nearby", "N2 (36.5% of members); assumption"
    )
    nearby_group: float = param(
        0.50,
        0,
        1,
        "probability",
        "a member met through a group lives nearby",
        "N2 (36.5% of members); assumption",
    )
    nearby_formal: float = param(
        0.10, 0, 1, "probability", "a professional lives nearby", "N2; assumption"
    )
    far_freq_factor: float = param(
        0.8,
        0,
        1,
        "ratio",
        "contact frequency of a member who lives away, against one nearby (1: no effect)",
        "N2; assumption",
    )
    far_practical_factor: float = param(
        0.3,
        0,
        1,
        "ratio",
        "practical support a member who lives away can carry, against one nearby (1: no effect)",
        "N2; assumption",
    )
    link_family: float = param(
        0.92,
        0,
        1,
        "probability",
        "two family members (or partner) know each other",
        "N2 (density 0.49); assumption",
    )
    link_friend: float = param(
        0.60,
        0,
        1,
        "probability",
        "two friends/neighbours/group members know each other",
        "N2; assumption",
    )
    link_cross: float = param(
        0.50, 0, 1, "probability", "a family member and a friend know each other", "N2; assumption"
    )
    link_formal: float = param(
        0.20, 0, 1, "probability", "a professional knows another member", "N2; assumption"
    )
    weak_undervalued: float = param(
        0.35,
        0,
        1,
        "0-1",
        "how far friends, neighbours and groups are valued below what they give",
        "SRC-GENIE-PROCESS; assumption",
    )
    negative_share: float = param(
        0.08,
        0,
        1,
        "share",
        "share of baseline family, friend and neighbour ties that are negative ('bad' social "
        "capital): they give no support and add strain",
        "SRC-CP-MODEL (barriers incl. 'bad' social capital); assumption",
    )
    negative_strain: float = param(
        0.5,
        0,
        20,
        "hours/week",
        "support gap a live negative tie adds (strain instead of support)",
        "SRC-CP-MODEL; assumption",
    )


class Health(Group):
    """Disease burden, exacerbations and support need."""

    burden_base: float = param(0.10, 0, 1, "0-1", "burden with no condition", "assumption")
    burden_per_condition: float = param(0.07, 0, 0.5, "0-1", "burden added per LTC", "assumption")
    drift: float = param(
        0.02,
        0,
        0.5,
        "per year",
        "chronic burden progression at average self-management",
        "assumption",
    )
    exacerbation_rate: float = param(
        0.25, 0, 5, "per condition-year", "exacerbations per LTC per year", "assumption"
    )
    exacerbation_jump: float = param(
        0.15, 0, 1, "0-1", "acute burden added by an exacerbation", "assumption"
    )
    recovery: float = param(
        0.15, 0, 1, "per week", "share of acute burden recovered each week", "assumption"
    )
    need_base: float = param(2.0, 0, 40, "hours/week", "support need at zero burden", "assumption")
    need_per_burden: float = param(
        14.0, 0, 80, "hours/week", "support need added at full burden", "assumption"
    )
    share_emotional: float = param(
        0.40, 0, 1, "share", "share of need that is emotional", "assumption"
    )
    share_practical: float = param(
        0.35, 0, 1, "share", "share of need that is practical (rest is illness work)", "assumption"
    )


class Support(Group):
    """What each kind of tie can carry (hours/week) at full strength in the inner circle."""

    partner: float = param(14.0, 0, 80, "hours/week", "support a partner can carry", "assumption")
    family: float = param(
        3.0, 0, 40, "hours/week", "support a family member can carry", "assumption"
    )
    friend: float = param(1.5, 0, 40, "hours/week", "support a friend can carry", "assumption")
    neighbour: float = param(
        0.7, 0, 40, "hours/week", "support a neighbour/acquaintance can carry", "assumption"
    )
    group: float = param(0.6, 0, 40, "hours/week", "support a group member can carry", "assumption")
    formal: float = param(
        1.0,
        0,
        40,
        "hours/week",
        "support a professional can carry (mostly illness work)",
        "assumption",
    )
    middle_factor: float = param(
        0.6, 0, 1, "ratio", "capacity of a middle-circle tie", "assumption"
    )
    outer_factor: float = param(0.3, 0, 1, "ratio", "capacity of an outer-circle tie", "assumption")
    member_strain: float = param(
        10.0,
        0,
        80,
        "hours/week",
        "support given above which a member's wellbeing suffers",
        "assumption",
    )


class Attendance(Group):
    """Community resources and attendance."""

    resources_per_1000: float = param(
        25.0, 0.1, 1000, "per 1,000 target people", "community resources", "assumption"
    )
    capacity: float = param(
        12.0, 1, 1000, "places/week", "mean places per resource per week", "assumption"
    )
    places_shape: float = param(
        4.0,
        0.1,
        100,
        "gamma shape",
        "spread of places over resources (gamma shape; higher is more even)",
        "assumption",
    )
    places_min: int = param(2, 0, 1000, "places/week", "fewest places of a resource", "assumption")
    capacity_scale: float = param(
        1.0,
        0,
        5,
        "ratio",
        "funding: multiplies every resource's places",
        "assumption (scenario lever)",
    )
    cost: float = param(
        2.0,
        0,
        50,
        "GBP/visit",
        "mean cost of a visit (fees, fares)",
        "P7 (GBP 5 bus fare); assumption",
    )
    cost_scale: float = param(
        1.0,
        0,
        10,
        "ratio",
        "multiplies visit costs (e.g. a cut in bus subsidy)",
        "assumption (scenario lever)",
    )
    paid_share: float = param(
        0.6, 0, 1, "share", "share of resources a visit to which costs something", "assumption"
    )
    cost_weight: float = param(
        0.06,
        0,
        1,
        "per GBP",
        "attendance probability lost per GBP of cost, at full deprivation",
        "P7; assumption",
    )
    open_weeks: float = param(0.9, 0, 1, "share", "share of weeks a resource is open", "assumption")
    attend: float = param(
        0.8, 0, 1, "probability", "weekly attendance of a regular with no barriers", "assumption"
    )
    accessibility_weight: float = param(
        0.4,
        0,
        1,
        "share",
        "weekly attendance lost at a resource of no accessibility (none at full)",
        "assumption",
    )
    takeup_rate: float = param(
        0.5, 0, 20, "per year", "new resources taken up a year with no barriers", "assumption"
    )
    stop_rate: float = param(
        0.35, 0, 20, "per year", "resources given up a year with no barriers", "assumption"
    )
    stop_barrier: float = param(
        2.0, 0, 20, "ratio", "extra give-up rate per unit of barrier to attending", "assumption"
    )
    baseline_resources: float = param(
        0.9,
        0,
        8,
        "resources",
        "mean resources a person goes to at baseline, with no barriers",
        "assumption",
    )
    barrier_weight: float = param(
        1.0, 0, 5, "ratio", "how strongly barriers cut take-up and attendance", "assumption"
    )
    barrier_scale: float = param(
        1.0,
        0,
        5,
        "ratio",
        "multiplies every person's access barrier (transport, cost)",
        "assumption (scenario lever)",
    )
    stigma_scale: float = param(
        1.0,
        0,
        5,
        "ratio",
        "multiplies every person's stigma barrier",
        "assumption (scenario lever)",
    )
    other_area: float = param(
        0.2,
        0,
        1,
        "share",
        "share of take-ups at a resource outside the neighbourhood",
        "assumption",
    )
    max_resources: int = param(
        3, 1, 8, "resources", "most resources one person attends", "T4; assumption"
    )
    companion_relief: float = param(
        0.5,
        0,
        1,
        "share",
        "share of the access barrier lifted at a resource a network member comes to with the person",
        "SRC-GENIE-PROCESS (bringing a member along); P7; assumption",
    )
    companion_stop: float = param(
        0.4,
        0,
        1,
        "share",
        "share of the give-up hazard removed at a resource attended with a companion",
        "SRC-GENIE-PROCESS; assumption",
    )
    misfit_stop: float = param(
        1.0,
        0,
        20,
        "ratio",
        "extra give-up hazard of a resource a programme matched a person to, per unit of misfit"
        " (1 - its preference x acceptability over the person's best kind's); a person's own"
        " choice is taken to fit (0: off)",
        "SRC-PLANS-DEV (preferences, needs and acceptability); assumption",
    )
    lapse: float = param(
        0.01,
        0,
        1,
        "per week",
        "weekly chance that an activity a programme's pathway started lapses, beside giving"
        " it up for its barriers: a new habit fading once the prompt is past (0: a new"
        " activity lasts as long as the person's own)",
        "assumption (E6 at 6, 12 and 18 months informs it; calibrated)",
    )


class Ties(Group):
    """Tie formation, decay, dormancy and loss."""

    loss_inner: float = param(0.015, 0, 1, "per year", "inner-circle ties ended a year", "T1")
    loss_middle: float = param(
        0.04, 0, 1, "per year", "middle-circle ties ended a year", "T1, T2; assumption"
    )
    loss_outer: float = param(0.06, 0, 1, "per year", "outer-circle ties ended a year", "T2")
    dormancy_inner: float = param(
        0.01, 0, 1, "per year", "inner-circle ties going dormant a year", "T1"
    )
    dormancy_middle: float = param(
        0.02, 0, 1, "per year", "middle-circle ties going dormant a year", "assumption"
    )
    dormancy_outer: float = param(
        0.03, 0, 1, "per year", "outer-circle ties going dormant a year", "T2; assumption"
    )
    reactivation: float = param(
        0.15, 0, 5, "per year", "dormant ties reactivated a year", "assumption"
    )
    meet: float = param(
        0.035,
        0,
        1,
        "per week",
        "chance a familiar regular forms a tie at a resource",
        "T3; assumption",
    )
    familiarity: int = param(
        4, 1, 52, "visits", "visits to a resource before meeting there forms ties", "assumption"
    )
    triadic: float = param(
        0.80,
        0,
        10,
        "per year",
        "ties formed a year through an existing member (triadic closure)",
        "assumption",
    )
    triadic_friend: float = param(
        0.4,
        0,
        1,
        "share",
        "share of ties formed through a member that are friends (the rest neighbours)",
        "assumption",
    )
    new_strength: float = param(
        0.8,
        0,
        1.25,
        "ratio",
        "strength of a new tie relative to its circle's typical strength",
        "assumption",
    )
    freq_met: float = param(
        0.8, 0, 14, "contacts/week", "contact frequency of a tie formed at a resource", "assumption"
    )
    freq_triadic: float = param(
        0.3,
        0,
        14,
        "contacts/week",
        "contact frequency of a tie formed through a member",
        "assumption",
    )
    capacity_base: float = param(18.0, 1, 100, "ties", "capacity for active ties at age 50", "T4")
    capacity_age: float = param(
        0.06, 0, 1, "ties/year", "capacity lost per year of age over 50", "T4"
    )
    capacity_min: float = param(
        3.0, 0, 100, "ties", "capacity for active ties at any age, at least", "T4; assumption"
    )
    over_capacity: float = param(
        2.0, 0, 20, "ratio", "extra loss hazard per unit over capacity", "T4; assumption"
    )
    strength_decay: float = param(
        0.01, 0, 1, "per week", "strength lost in a week without contact", "assumption"
    )
    companion_strengthen: float = param(
        0.05,
        0,
        1,
        "per week",
        "share of the gap to full strength a companion tie gains each week the two attend together"
        " (the week also counts as contact)",
        "SRC-GENIE-PROCESS; assumption",
    )
    companion_meet: float = param(
        0.5,
        0,
        10,
        "ratio",
        "extra chance of forming a tie at a resource when accompanied by a network member",
        "SRC-GENIE-PROCESS; assumption",
    )


class Wellbeing(Group):
    """SWEMWBS, UCLA-3 loneliness, EQ-5D, members' wellbeing and objectives."""

    swemwbs_level: float = param(
        26.0,
        *SWEMWBS_SCALE,
        "points",
        "mean personal SWEMWBS level before the effects below",
        "S1; calibrated so the mean is near 22",
    )
    swemwbs_sd: float = param(
        3.5, 0, 10, "points", "SD of the personal SWEMWBS level", "S1; assumption"
    )
    persistence: float = param(
        0.92, 0, 1, "per week", "share of last week's score kept (AR(1))", "assumption"
    )
    noise: float = param(0.8, 0, 5, "points", "weekly SWEMWBS noise", "assumption")
    gap_effect: float = param(
        0.35,
        0,
        5,
        "points per hour",
        "SWEMWBS lost per hour/week of unmet support need",
        "assumption",
    )
    lonely_effect: float = param(
        0.9, 0, 5, "points per UCLA point", "SWEMWBS lost per UCLA-3 point above 3", "assumption"
    )
    burden_effect: float = param(5.0, 0, 20, "points", "SWEMWBS lost at full burden", "assumption")
    activity_effect: float = param(
        0.8, 0, 5, "points", "SWEMWBS gained while attending a resource", "assumption"
    )
    objective_effect: float = param(
        0.6,
        0,
        5,
        "points",
        "SWEMWBS gained per objective achieved",
        "SRC-GENIE-PROCESS; assumption",
    )
    smi_effect: float = param(2.5, 0, 10, "points", "SWEMWBS lower with SMI", "N5; assumption")
    ucla_base: float = param(
        6.6, *UCLA_SCALE, "points", "UCLA-3 with no frequent contact", "S3; assumption"
    )
    ucla_per_contact: float = param(
        0.28, 0, 3, "points", "UCLA-3 lower per frequent contact", "S3; assumption"
    )
    ucla_per_inner: float = param(
        0.15, 0, 3, "points", "UCLA-3 lower per inner-circle tie", "assumption"
    )
    ucla_activity: float = param(
        0.5, 0, 3, "points", "UCLA-3 lower while attending a resource", "assumption"
    )
    ucla_noise: float = param(0.3, 0, 3, "points", "weekly UCLA-3 noise", "assumption")
    negative_strain_lonely: bool = flag(
        True,
        "a negative tie ('bad' social capital) is strain, not company, in loneliness: it "
        "does not count as frequent or inner-circle contact and adds ucla_per_negative; "
        "off: it counts as company like any tie",
        "SRC-CP-MODEL",
    )
    ucla_per_negative: float = param(
        0.28,
        0,
        3,
        "points",
        "UCLA-3 higher per live negative tie (strain; as much as a frequent contact lowers it)",
        "SRC-CP-MODEL ('bad' social capital); assumption (no effect size published)",
    )
    ucla_smi: float = param(0.8, 0, 6, "points", "UCLA-3 higher with SMI", "N5; assumption")
    lonely_cut: float = param(
        6.0, *UCLA_SCALE, "points", "UCLA-3 at or above which a person is lonely", "S3"
    )
    eq5d_base: float = param(0.88, 0, 1, "utility", "EQ-5D at zero burden", "S2")
    eq5d_burden: float = param(0.50, 0, 2, "utility", "EQ-5D lost at full burden", "S2; assumption")
    eq5d_sd: float = param(
        0.20,
        0,
        0.5,
        "utility",
        "SD of the personal EQ-5D level: what burden and wellbeing leave unexplained",
        "S2; assumption: EQ-5D's spread among people with LTCs is about 0.2-0.25, so trials'"
        " standardised effects are on that scale",
    )
    eq5d_swemwbs: float = param(
        0.006,
        0,
        0.1,
        "utility per point",
        "EQ-5D gained per SWEMWBS point above the mean",
        "assumption",
    )
    eq5d_swemwbs_mean: float = param(
        23.5,
        *SWEMWBS_SCALE,
        "points",
        "SWEMWBS mean that EQ-5D's wellbeing term is centred on",
        "S1",
    )
    eq5d_activity: float = param(
        0.06,
        0,
        0.5,
        "utility",
        "EQ-5D gained while going regularly to a resource (usual activities, mood)",
        "E1; assumption",
    )
    member_swemwbs_mean: float = param(
        24.0, *SWEMWBS_SCALE, "points", "network members' SWEMWBS mean", "S1"
    )
    member_strain_effect: float = param(
        0.25, 0, 5, "points per hour", "member SWEMWBS lost per hour above strain", "assumption"
    )
    member_activity_effect: float = param(
        0.8, 0, 5, "points", "member SWEMWBS gained while attending with the person", "assumption"
    )
    objective_visits: int = param(
        8, 1, 104, "visits", "visits to a matching resource that achieve an objective", "assumption"
    )
    objective_lapse: float = param(
        0.02,
        0,
        1,
        "per week",
        "weekly chance that an objective achieved is lost while no resource the person still"
        " goes to serves it (0: once achieved, never lost)",
        "assumption (E6 at 6, 12 and 18 months informs it; calibrated)",
    )
    objective_share: float = param(
        0.4,
        0,
        1,
        "probability",
        "a person holds each objective (at least one each)",
        "assumption",
    )
    self_mgmt_support: float = param(
        0.02,
        0,
        1,
        "per week",
        "speed self-management follows support for illness work",
        "assumption",
    )
    self_mgmt_base: float = param(
        0.25,
        0,
        1,
        "0-1",
        "self-management capacity with no support for illness work",
        "assumption",
    )
    self_mgmt_illness: float = param(
        0.5,
        0,
        1,
        "0-1",
        "self-management capacity added when illness work is fully supported",
        "assumption",
    )
    self_mgmt_objective: float = param(
        0.15,
        0,
        1,
        "0-1",
        "self-management capacity added by achieving 'manage my condition'",
        "assumption",
    )
    pet_contacts: float = param(
        1.0,
        0,
        7,
        "contacts",
        "frequent contacts a pet counts as for loneliness (UCLA-3); 0 switches it off",
        "SRC-GENIE-PROCESS (networks include pets); assumption (no effect size published)",
    )
    pet_effect: float = param(
        0.3,
        0,
        5,
        "points",
        "SWEMWBS gained with a pet; 0 switches it off",
        "SRC-GENIE-PROCESS; assumption (no effect size published)",
    )
    crisis_effect: float = param(
        2.0,
        0,
        20,
        "points",
        "SWEMWBS lost in the weeks after a mental-health crisis; 0 switches it off",
        "assumption",
    )
    crisis_weeks: int = param(
        8, 0, 104, "weeks", "weeks after a crisis that SWEMWBS is lowered", "assumption"
    )


class Services(Group):
    """Health-service use and its cost (unit costs are assumptions in the style of PSSRU),
    with the mental-health contacts and bed-days of people with SMI."""

    gp_rate: float = param(
        5.0, 0, 52, "visits/year", "GP visits a year at zero burden", "assumption"
    )
    gp_burden: float = param(
        8.0, 0, 52, "visits/year", "GP visits a year added at full burden", "assumption"
    )
    gp_gap: float = param(
        0.4,
        0,
        10,
        "visits/year per hour",
        "GP visits added per hour/week of unmet need",
        "assumption",
    )
    ae_per_exacerbation: float = param(
        0.3, 0, 1, "probability", "A&E attendance with an exacerbation", "assumption"
    )
    admission_per_exacerbation: float = param(
        0.12, 0, 1, "probability", "admission with an exacerbation, all needs met", "assumption"
    )
    admission_gap: float = param(
        0.02,
        0,
        1,
        "per hour",
        "admission probability added per hour/week of unmet need",
        "assumption",
    )
    gp_cost: float = param(42.0, 0, 1000, "GBP", "cost of a GP consultation", "assumption")
    ae_cost: float = param(200.0, 0, 5000, "GBP", "cost of an A&E attendance", "assumption")
    admission_cost: float = param(3000.0, 0, 50000, "GBP", "cost of an admission", "assumption")
    # Mental-health service use of people with SMI (E2: Connecting People's high-fidelity
    # delivery lowered service costs by GBP 1,331 over 9 months; N5: smaller networks go
    # with worse symptoms). Crises a year = smi_crisis_rate x (1 + crisis_gap x share of
    # need unmet) x (1 - crisis_inclusion x goes to a resource) x (1 - crisis_social_capital
    # x informal kinds of member / 5). The three coefficients are sized so that a person
    # with SMI moving from poor (a fifth of need unmet, no resource, two informal kinds) to
    # good (no gap, a resource, four kinds) saves about GBP 1,500 over 9 months, the order of
    # E2's difference: an assumption, to be calibrated (rules.crisis_rate).
    smi_crisis_rate: float = param(
        0.7,
        0,
        12,
        "crises/year",
        "mental-health crises (relapses) a year of a person with SMI whose support needs are"
        " met, who goes to no resource and has no informal kind of member",
        "assumption",
    )
    crisis_gap: float = param(
        2.5,
        0,
        20,
        "ratio",
        "crisis rate added (as a multiple) at all support need unmet; 0 switches it off",
        "E2, N5; assumption",
    )
    crisis_inclusion: float = param(
        0.3,
        0,
        0.95,
        "share",
        "crisis rate removed while going regularly to a community resource; 0 switches it off",
        "E2 (social inclusion); assumption",
    )
    crisis_social_capital: float = param(
        0.5,
        0,
        0.95,
        "share",
        "crisis rate removed with all five informal kinds of member in the network (partner,"
        " family, friend, neighbour, group); 0 switches it off",
        "E2 (access to social capital), N5; assumption",
    )
    mh_routine_contacts: float = param(
        12.0,
        0,
        104,
        "contacts/year",
        "routine mental-health contacts a year of a person with SMI (care coordination)",
        "assumption",
    )
    mh_crisis_contacts: float = param(
        6.0,
        0,
        50,
        "contacts",
        "mean extra mental-health contacts (crisis team, home treatment) a crisis brings",
        "assumption",
    )
    crisis_admission: float = param(
        0.25, 0, 1, "probability", "a crisis leads to a psychiatric admission", "assumption"
    )
    mh_stay: float = param(
        30.0,
        1,
        365,
        "days",
        "mean length of a psychiatric admission (bed-days)",
        "assumption (round figure for an adult acute stay, not verified)",
    )
    mh_contact_cost: float = param(
        100.0,
        0,
        1000,
        "GBP",
        "cost of a community mental-health contact",
        "assumption (PSSRU-like unit cost, not verified)",
    )
    bed_day_cost: float = param(
        400.0,
        0,
        5000,
        "GBP",
        "cost of a psychiatric bed-day",
        "assumption (PSSRU-like unit cost, not verified)",
    )


class NetworkTypes(Group):
    """The network-type clustering (N7): k-means with three clusters over standardised
    people, places and activities features, fitted once at the start of the horizon."""

    n_init: int = param(10, 1, 50, "fits", "k-means restarts (the best is kept)", "N7; assumption")
    seed: int = param(
        0,
        0,
        2**31 - 1,
        "seed",
        "random state of the k-means fit (fixed: reproducible)",
        "assumption",
    )
    fit_sample: int = param(
        20_000,
        100,
        5_000_000,
        "people",
        "most people the clustering is fitted on (a fixed subsample above that)",
        "assumption",
    )
    places_weight: float = param(
        1.5, 0, 5, "ratio", "weight of places and activities in the clustering", "N7; assumption"
    )
    people_weight: float = param(
        1.0, 0, 5, "ratio", "weight of the people features in the clustering", "N7; assumption"
    )


class Programme(Group):
    """A configured intervention (docs/DESIGN.md, section 2). ``preset`` fills the other
    fields from ``sim/programmes/presets.py``; fields given alongside it win."""

    preset: Literal["none", "genie", "plans", "connecting_people"] = Field(
        "none",
        description="programme the other fields start from",
        json_schema_extra={"unit": "name", "source": "docs/DESIGN.md; P1-P6"},
    )
    eligible: str = Field(
        "all",
        description="who may be referred: a rule over person state, e.g. 'n_conditions >= 2'",
        json_schema_extra={"unit": "rule", "source": "assumption"},
    )
    refer_rate: float = param(
        0.0, 0, 52, "per year", "share of eligible people referred a year", "assumption"
    )
    refer_weeks: int = param(
        0,
        0,
        1040,
        "weeks",
        "weeks in which people are referred (a trial's recruitment); 0: throughout the run",
        "assumption",
    )
    workforce: Literal["referrals", "population", "fixed"] = Field(
        "referrals",
        description=(
            "how the workforce is set: from the expected referrals a year and "
            "clients_per_year (P1), from workers_per_10000, or a fixed headcount (workers); "
            "giving workers without workforce means fixed"
        ),
        json_schema_extra={"unit": "name", "source": "P1"},
    )
    clients_per_year: float = param(
        225.0,
        1,
        10_000,
        "clients/year",
        "referrals a full-time worker takes on a year",
        "P1 (200-250)",
    )
    workers_per_10000: float = param(
        10.0,
        0,
        10_000,
        "workers",
        "full-time workers per 10,000 target people (workforce: population)",
        "assumption",
    )
    workforce_scale: float = param(
        1.0,
        0,
        100,
        "ratio",
        "workforce relative to the one sized by referrals or population (2: twice as many workers)",
        "assumption",
    )
    workers: int = param(
        0,
        0,
        10_000,
        "workers",
        "fixed headcount of link workers, facilitators or CP workers (workforce: fixed)",
        "assumption",
    )
    wait_leave: float = param(
        0.02,
        0,
        1,
        "per week",
        "share of people on the waiting list who give up each week",
        "assumption",
    )
    caseload: int = param(
        45, 1, 500, "clients", "clients a worker holds at once", "P1 (200-250 a year)"
    )
    contacts: int = param(
        5, 1, 52, "contacts", "mean planned contacts per client (dose; 1 + Poisson)", "P1, P6"
    )
    interval: int = param(2, 1, 26, "weeks", "weeks between planned contacts", "P6; assumption")
    engage: float = param(
        0.8,
        0,
        1,
        "probability",
        "a planned contact happens, at full capacity to engage",
        "P3, P4 (tuned)",
    )
    engage_capacity: float = param(
        0.4,
        0,
        1,
        "share",
        "contact chance lost with no capacity to engage (none at full)",
        "assumption",
    )
    engage_barrier: float = param(
        0.4, 0, 1, "share", "contact chance lost at full barriers", "assumption"
    )
    engage_skill: float = param(
        0.2,
        0,
        2,
        "ratio",
        "contact chance from the least to the most skilled worker (even at skill 0.5)",
        "SRC-CP-MODEL; assumption",
    )
    dropout: float = param(
        0.45, 0, 1, "probability", "a client leaves after a missed contact", "P3-P5 (tuned)"
    )
    mapping: float = param(
        0.0, 0, 1, "0-1", "network mapping (GENIE's concentric circles)", "SRC-GENIE-PROCESS"
    )
    matching: float = param(
        0.0,
        0,
        1,
        "0-1",
        "resource options matched to preference, need, acceptability",
        "SRC-PLANS-DEV, P6",
    )
    facilitation: float = param(
        0.0,
        0,
        1,
        "0-1",
        "facilitated engagement: the worker helps a client take a first step (information,"
        " arranging and accompanying the first visits, confidence)",
        "P7; SRC-GENIE-PROCESS; assumption",
    )
    facilitated_help: float = param(
        0.8,
        0,
        1,
        "share",
        "share of the barrier to attending, and of the chance of giving up, that the worker's"
        " help removes at a resource a pathway took up for a client, at full facilitation,"
        " over the first `facilitated_visits` visits (arranging, accompanying; 0: off)",
        "P7; SRC-GENIE-PROCESS; assumption",
    )
    first_step_barrier: float = param(
        0.75,
        0,
        1,
        "share",
        "share of a person's barrier to taking up a new resource that still stands in the way"
        " of one a pathway matched them to, less the worker's help (facilitated_help x"
        " facilitation strength); 0: a matched take-up always happens (at 1, PLANS's EQ-5D"
        " effect in BRIGHT, E1, falls just below its interval)",
        "SRC-GENIE-PROCESS; P7; E1; assumption",
    )
    facilitated_visits: int = param(
        4,
        0,
        52,
        "visits",
        "visits to a newly taken-up resource over which the worker's help lasts",
        "assumption",
    )
    facilitation_confidence: float = param(
        0.0,
        0,
        1,
        "0-1",
        "individual readiness the worker's facilitation adds while a client is on the"
        " programme, at full facilitation (confidence to take a first step; 0: off, the"
        " default: at 0.1 GENIE's loneliness effect in PALS, E3, leaves its null band)",
        "SRC-GENIE-PROCESS; E3; assumption",
    )
    preference_elicitation: float = param(
        0.0,
        0,
        1,
        "0-1",
        "preference elicitation: chance a contact holds a preference session, and how"
        " accurate one is; what the programme knows of a person's preferences grows with"
        " sessions (0: it works from the worker's guess)",
        "SRC-PLANS-DEV, SRC-GENIE-PROCESS, P6",
    )
    booklet: float = param(
        0.0,
        0,
        1,
        "share",
        "the guidebook and booklet or website given at referral: share of the information"
        " barrier removed for everyone referred, from referral on, with or without a call",
        "P6; assumption",
    )
    booklet_act: float = param(
        0.0,
        0,
        1,
        "per week",
        "chance a person referred acts on the booklet on their own in a week of their first"
        " `booklet_weeks` weeks, at full booklet and no barrier: takes up a resource of their"
        " own choosing from it (self-guided; a change tagged as the nudge's)",
        "P6; assumption",
    )
    booklet_weeks: int = param(
        12,
        0,
        104,
        "weeks",
        "weeks after referral in which a person may act on the booklet on their own",
        "assumption",
    )
    coproduction: float = param(
        0.0,
        0,
        1,
        "0-1",
        "co-produced work; the worker's own network introduces",
        "SRC-CP-PRACTICE, SRC-CP-MODEL",
    )
    fidelity_mode: Literal["emergent", "fixed"] = Field(
        "emergent",
        description="'emergent': each contact's quality follows worker skill, agency context and"
        " caseload pressure, a client's fidelity is the running mean; 'fixed': a coin flip per"
        " client at referral with probability `fidelity` (the old model)",
        json_schema_extra={"unit": "name", "source": "SRC-CP-PRACTICE, SRC-CP-MODEL; P5"},
    )
    fidelity: float = param(
        0.8,
        0,
        1,
        "0-1",
        "fixed mode only: share of clients who receive the model as designed",
        "P5 (30/117 high)",
    )
    fidelity_cut: float = param(
        0.6,
        0,
        1,
        "0-1",
        "emergent mode: fidelity (mean contact quality) at and above which a client is served "
        "with high fidelity and every component is at full strength",
        "P5 (tuned: about 26% of Connecting People clients high); assumption",
    )
    fidelity_dose: float = param(
        0.75,
        0,
        1,
        "share",
        "emergent mode: share of the planned contacts a client must have had to count as"
        " high fidelity (the model as designed includes its dose)",
        "P5; assumption",
    )
    low_fidelity: float = param(
        0.4,
        0,
        1,
        "ratio",
        "strength of each component at the lowest fidelity (0); it rises linearly to full at "
        "`fidelity_cut` (fixed mode: the strength for a low-fidelity client)",
        "P5; assumption",
    )
    quality_base: float = param(
        0.76,
        0,
        1,
        "0-1",
        "quality of a contact by a worker of skill 0.5, agency context 0.5, no caseload pressure",
        "P5 (tuned); assumption",
    )
    quality_skill: float = param(
        0.4,
        0,
        5,
        "per unit skill",
        "contact quality gained per unit of worker skill",
        "SRC-CP-MODEL; assumption",
    )
    quality_context: float = param(
        0.3,
        0,
        5,
        "per unit",
        "contact quality gained per unit of agency context (workers.agency_context)",
        "SRC-CP-MODEL; assumption",
    )
    quality_pressure: float = param(
        0.15,
        0,
        5,
        "per unit",
        "contact quality lost per unit of caseload pressure (planned contacts a week over"
        " workers.manageable_contacts)",
        "SRC-CP-PRACTICE, SRC-CP-MODEL; assumption",
    )
    quality_sd: float = param(
        0.25, 0, 2, "0-1", "SD of one contact's quality around its expectation", "assumption"
    )
    trust_start: float = param(
        0.4,
        0,
        1,
        "0-1",
        "a client's trust in their worker at the first contact",
        "SRC-CP-PRACTICE; assumption",
    )
    trust_gain: float = param(
        0.12,
        0,
        1,
        "share",
        "share of the gap to full trust a contact closes (worker of empathy 0.5, no lived"
        " experience); 0: trust never builds",
        "SRC-CP-PRACTICE, SRC-CP-MODEL; assumption",
    )
    trust_turnover_loss: float = param(
        0.5,
        0,
        1,
        "share",
        "share of a client's trust lost when their worker leaves (the replacement starts again)",
        "SRC-CP-MODEL (turnover breaks the partnership); assumption",
    )
    trust_engage: float = param(
        0.4,
        0,
        5,
        "per unit trust",
        "relative change in the chance a planned contact happens per unit of trust above"
        " `trust_start` (0: trust does not matter)",
        "SRC-CP-PRACTICE; assumption",
    )
    trust_dropout: float = param(
        0.8,
        0,
        5,
        "per unit trust",
        "relative fall in dropout after a missed contact per unit of trust above `trust_start`",
        "SRC-CP-PRACTICE; assumption",
    )
    trust_advance: float = param(
        0.5,
        0,
        5,
        "per unit trust",
        "relative change in the mobilisation pathway's weekly chance of moving on per unit of"
        " trust above `trust_start`",
        "SRC-CP-PRACTICE; assumption",
    )
    goal_engage: float = param(
        0.15,
        0,
        2,
        "ratio",
        "relative lift in the chance a planned contact happens for a client with a co-produced"
        " goal, at full co-production",
        "SRC-CP-PRACTICE, SRC-CP-MODEL (objectives set together); assumption",
    )
    goal_local: float = param(
        2.0,
        0,
        20,
        "ratio",
        "extra weight of an objective a resource in the person's neighbourhood serves when"
        " worker and person agree the goal",
        "SRC-CP-MODEL; assumption",
    )
    step_back: float = param(
        0.15,
        0,
        1,
        "probability",
        "chance a contact of full co-production helps the person step back from one negative tie",
        "SRC-CP-MODEL ('bad' social capital); assumption",
    )
    transport_support: float = param(
        0.0, 0, 1, "share", "access barrier and visit cost removed while on the programme", "P7"
    )
    need_matching: float = param(
        0.0,
        0,
        5,
        "ratio",
        "extra weight of resource kinds that serve one of the person's own objectives, "
        "learnt at the preference session (PLANS tailors by need)",
        "P6; SRC-PLANS-DEV",
    )
    worker_cost: float = param(36428.0, 0, 200_000, "GBP/year", "cost of a worker", "P2")
    cost_per_referral: float = param(
        0.0, 0, 5000, "GBP", "materials per person referred", "assumption"
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_from_preset(cls, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and isinstance(data.get("preset"), str)
            and data["preset"] in PRESETS
        ):
            data = {**PRESETS[data["preset"]], **data}
        if isinstance(data, dict) and "workers" in data and "workforce" not in data:
            data = {**data, "workforce": "fixed"}  # "what if we fund N workers"
        return data

    @field_validator("eligible")
    @classmethod
    def _rule_is_valid(cls, rule: str) -> str:
        from netmob.sim.programmes.eligibility import check_rule

        check_rule(rule)
        return rule


class Workers(Group):
    """Workers' skills, their growing local knowledge (the worker's journey), turnover."""

    skill: float = param(
        0.6,
        0,
        1,
        "0-1",
        "mean skill: empathy, 'can do', natural networker",
        "SRC-CP-MODEL; assumption",
    )
    skill_sd: float = param(0.15, 0, 1, "0-1", "SD of skill among workers", "assumption")
    knowledge_start: float = param(
        0.3, 0, 1, "share", "local resources a new worker knows", "SRC-CP-MODEL; assumption"
    )
    knowledge_growth: float = param(
        0.02,
        0,
        1,
        "per week",
        "share of what is unknown learnt each week",
        "SRC-CP-MODEL; assumption",
    )
    turnover: float = param(0.15, 0, 5, "per year", "workers leaving a year", "assumption")
    agency_context: float = param(
        0.5,
        0,
        1,
        "share",
        "a leaving worker's knowledge and community contacts the agency keeps for the"
        " replacement; raises contact quality (fidelity)",
        "SRC-CP-MODEL; assumption",
    )
    vacancy_weeks: int = param(6, 0, 52, "weeks", "weeks before a leaver is replaced", "assumption")
    empathy: float = param(
        0.6, 0, 1, "0-1", "mean empathy of a worker", "SRC-CP-MODEL (worker qualities); assumption"
    )
    empathy_sd: float = param(0.15, 0, 1, "0-1", "SD of empathy among workers", "assumption")
    lived_experience: float = param(
        0.3,
        0,
        1,
        "share",
        "share of workers with lived experience (of mental illness or the area)",
        "SRC-CP-MODEL; assumption",
    )
    empathy_trust: float = param(
        1.0,
        0,
        5,
        "per unit",
        "relative change in trust gained per contact per unit of empathy above 0.5",
        "SRC-CP-PRACTICE, SRC-CP-MODEL; assumption",
    )
    lived_trust: float = param(
        0.5,
        0,
        5,
        "ratio",
        "relative extra trust gained per contact with a worker with lived experience",
        "SRC-CP-MODEL; assumption",
    )
    manageable_contacts: float = param(
        8.0,
        0.1,
        500,
        "contacts/week",
        "planned contacts a week a worker can deliver as designed (caseload / interval above"
        " this is pressure)",
        "P1; assumption",
    )
    network_growth: float = param(
        1.0,
        0,
        50,
        "people/week",
        "community contacts a worker in post adds a week (the worker's own network)",
        "SRC-CP-MODEL (worker's journey); assumption",
    )
    network_cap: int = param(
        60,
        0,
        10_000,
        "people",
        "most community contacts a worker keeps",
        "SRC-CP-MODEL; assumption",
    )


class Pathways(Group):
    """Readiness, the nudge and the staged mobilisation pathway (docs/DESIGN.md, section 4)."""

    nudge: bool = flag(True, "the nudge pathway is on", "SRC-GENIE-PROCESS")
    mobilisation: bool = flag(True, "the mobilisation pathway is on", "SRC-GENIE-PROCESS")
    fit_individual: float = param(
        0.35,
        0,
        1,
        "0-1",
        "individual readiness needed for a nudge",
        "SRC-GENIE-PROCESS; assumption",
    )
    fit_network: float = param(
        0.30, 0, 1, "0-1", "network readiness needed for a nudge", "SRC-GENIE-PROCESS; assumption"
    )
    fit_environment: float = param(
        0.25,
        0,
        1,
        "0-1",
        "environmental readiness needed for a nudge",
        "SRC-GENIE-PROCESS; assumption",
    )
    act_weeks: float = param(
        2.0,
        0,
        26,
        "weeks",
        "mean wait from a fit to acting on it",
        "SRC-GENIE-PROCESS ('within weeks'); assumption",
    )
    bring_member: float = param(
        0.4,
        0,
        1,
        "probability",
        "a change brings a network member along",
        "SRC-GENIE-PROCESS; assumption",
    )
    match_sharpness: int = param(
        4,
        1,
        20,
        "power",
        "how far matching favours the best-fitting resource (power of preference x acceptability)",
        "SRC-PLANS-DEV, P6; assumption",
    )
    matched_other_area: float = param(
        0.0,
        0,
        1,
        "share",
        "share of matched resources outside the neighbourhood",
        "assumption",
    )
    move_in: float = param(
        0.5,
        0,
        1,
        "probability",
        "a deepened middle or outer tie moves a circle in",
        "SRC-GENIE-PROCESS; assumption",
    )
    undervalued_below: float = param(
        0.95,
        0,
        1,
        "0-1",
        "how a tie is valued below which re-valuing corrects it",
        "assumption",
    )
    freq_introduced: float = param(
        0.5,
        0,
        14,
        "contacts/week",
        "contact frequency of a tie formed by a worker's introduction",
        "SRC-CP-PRACTICE, SRC-CP-MODEL; assumption",
    )
    ready_capacity: float = param(
        0.7, 0, 1, "weight", "weight of capacity to engage in individual readiness", "assumption"
    )
    ready_self_mgmt: float = param(
        0.3, 0, 1, "weight", "weight of self-management in individual readiness", "assumption"
    )
    close_strength: float = param(
        0.5,
        0,
        1,
        "0-1",
        "strength from which an inner or middle informal tie counts toward network readiness",
        "SRC-GENIE-PROCESS; assumption",
    )
    network_scale: float = param(
        5.0,
        0.1,
        50,
        "members",
        "supportive members at which network readiness is 63%",
        "SRC-GENIE-PROCESS; assumption",
    )
    mapping_seen: float = param(
        0.5,
        0,
        5,
        "ratio",
        "extra supportive members seen after full network mapping",
        "SRC-GENIE-PROCESS; assumption",
    )
    known_floor: float = param(
        0.3,
        0,
        1,
        "ratio",
        "environmental readiness when no matched option is known (1 when all are)",
        "assumption",
    )
    worker_knowledge_weight: float = param(
        0.5,
        0,
        1,
        "share",
        "share of matched options known only through the worker's local knowledge",
        "SRC-CP-MODEL; assumption",
    )
    advance: float = param(
        0.10,
        0,
        1,
        "per week",
        "chance of moving a stage on, before boosts",
        "SRC-GENIE-PROCESS; assumption",
    )
    contact_boost: float = param(
        1.5,
        0,
        10,
        "ratio",
        "extra chance of moving on in a week with a worker contact",
        "SRC-GENIE-PROCESS; assumption",
    )
    network_boost: float = param(
        1.0,
        0,
        10,
        "ratio",
        "extra chance of moving on at full network readiness",
        "SRC-GENIE-PROCESS; assumption",
    )
    fidelity_weight: float = param(
        0.5,
        0,
        1,
        "share",
        "share of the chance of moving on that rests on fidelity (the rest is kept without it)",
        "P5; assumption",
    )
    regress: float = param(
        0.08,
        0,
        1,
        "per week",
        "chance of falling back a stage at full barriers, with a recent contact",
        "SRC-GENIE-PROCESS; assumption",
    )
    regress_no_contact: float = param(
        2.0,
        0,
        10,
        "ratio",
        "falling back multiplied without a contact in the last interval",
        "SRC-GENIE-PROCESS; assumption",
    )
    status_quo: float = param(
        0.35,
        0,
        1,
        "probability",
        "rehearsing ends in the status quo with no network readiness",
        "SRC-GENIE-PROCESS; assumption",
    )
    deepen: int = param(
        2, 0, 10, "ties", "ties deepened on adopting change", "SRC-GENIE-PROCESS; assumption"
    )
    reactivate: int = param(
        1,
        0,
        10,
        "ties",
        "dormant ties reactivated on adopting change",
        "SRC-GENIE-PROCESS; assumption",
    )
    revalue: float = param(
        0.6,
        0,
        1,
        "share",
        "share of undervaluation of support corrected on re-valuing",
        "SRC-GENIE-PROCESS; assumption",
    )
    sustain_weeks: int = param(
        12, 1, 104, "weeks", "weeks of adoption before a change is sustained", "assumption"
    )
    follow_on: int = param(
        26,
        0,
        104,
        "weeks",
        "weeks mobilisation can go on after the last contact",
        "SRC-GENIE-PROCESS; assumption",
    )
    # how often a nudge can fire
    nudge_fires: Literal["each_contact", "once_per_fit"] = Field(
        "once_per_fit",
        description=(
            "a nudge fires once per fit episode (re-armed when fit is lost) or again at "
            "each worker contact while readiness fits"
        ),
        json_schema_extra={
            "unit": "name",
            "source": "SRC-GENIE-PROCESS ('the availability of a fit')",
        },
    )
    # what each mobilisation stage does (SRC-GENIE-PROCESS)
    contemplate_members: float = param(
        1.0,
        0,
        10,
        "members",
        "supportive members added to network readiness by reflecting on the mapped network, "
        "when close members are fully valued (0: off)",
        "SRC-GENIE-PROCESS; assumption",
    )
    forefronting: bool = flag(
        True,
        "contemplating moves forward by forefronting immediate concerns: the most pressing "
        "concern (health, unmet need, loneliness) decides which change is considered and "
        "speeds contemplating toward it (off: no concern is forefronted)",
        "SRC-GENIE-PROCESS",
    )
    concern_cut: float = param(
        0.5,
        0,
        1,
        "0-1",
        "how pressing a concern must be to come to the fore (managing the condition: burden "
        "or share of need unmet, 1 in an exacerbation; meeting people: UCLA-3 on its range)",
        "SRC-GENIE-PROCESS; assumption",
    )
    forefront_speed: float = param(
        1.0,
        0,
        10,
        "ratio",
        "contemplating moves on 1 + this times faster while an immediate concern is at the "
        "fore (0: off)",
        "SRC-GENIE-PROCESS ('further contemplated by forefronting immediate concerns'); assumption",
    )
    forefront_focus: float = param(
        2.0,
        0,
        20,
        "ratio",
        "kinds of resource that serve the forefronted concern weigh 1 + this times more in "
        "what is tried and taken up (0: off)",
        "SRC-GENIE-PROCESS; assumption",
    )
    negotiation: bool = flag(
        True,
        "negotiating: agreeing support or company with a close member, which can fail",
        "SRC-GENIE-PROCESS",
    )
    agree: float = param(
        0.8,
        0,
        1,
        "probability",
        "a close member agrees to support or join a change, at full tie strength and no strain",
        "SRC-GENIE-PROCESS; assumption",
    )
    negotiate_back: float = param(
        0.3,
        0,
        1,
        "probability",
        "a failed negotiation sends the person back a stage (otherwise they stay)",
        "SRC-GENIE-PROCESS; assumption",
    )
    agreed_freq: float = param(
        0.5,
        0,
        5,
        "ratio",
        "contact with the member who agreed is this much more frequent",
        "SRC-GENIE-PROCESS; assumption",
    )
    agreed_members: float = param(
        1.0,
        0,
        10,
        "members",
        "supportive members an agreement adds to network readiness",
        "SRC-GENIE-PROCESS; assumption",
    )
    revalue_freq: float = param(
        1.0,
        0,
        10,
        "ratio",
        "contact with a re-valued tie is this much more frequent (0: off)",
        "SRC-GENIE-PROCESS ('objective over subjective valuations'); assumption",
    )
    rehearsal: bool = flag(
        True,
        "rehearsing: a resource is tried once and may be given up after the first visit",
        "SRC-GENIE-PROCESS",
    )
    give_up_first: float = param(
        0.6,
        0,
        1,
        "probability",
        "a trial is given up after the first visit, at full barriers or no fit of the resource",
        "SRC-GENIE-PROCESS; assumption",
    )
    trial_known: float = param(
        0.5,
        0,
        1,
        "share",
        "share of what is not known of matched options that a trial visit makes known "
        "(environmental readiness; 0: off)",
        "SRC-GENIE-PROCESS; assumption",
    )
    trial_confidence: float = param(
        0.1,
        0,
        1,
        "0-1",
        "individual readiness a good trial visit adds (confidence; 0: off)",
        "SRC-GENIE-PROCESS; assumption",
    )
    sustained_stop: float = param(
        0.5,
        0,
        1,
        "ratio",
        "stop hazard of a resource mobilisation started, once the change is sustained (1: off)",
        "SRC-GENIE-PROCESS; assumption",
    )
    # preferences elicited at a session (SRC-PLANS-DEV, P6)
    elicitation: bool = flag(
        True,
        "what a person would like is unknown until a mapping or preference session reveals "
        "it (off: known to the programme from the start)",
        "SRC-PLANS-DEV, P6",
    )
    guess_noise: float = param(
        0.25,
        0,
        1,
        "0-1 (SD)",
        "error of the worker's guess of a preference before it is elicited "
        "(guess: the population's mean preference)",
        "assumption",
    )
    elicit_noise: float = param(
        0.25,
        0,
        1,
        "0-1 (SD)",
        "error of what a preference session hears, at the weakest elicitation (none at full"
        " strength)",
        "SRC-PLANS-DEV; assumption",
    )
    elicit_learn: float = param(
        0.6,
        0,
        1,
        "share",
        "share of the gap between what the programme believes a person prefers and what they"
        " prefer that one preference session closes (learnt over contacts; 1: at once)",
        "SRC-PLANS-DEV, SRC-GENIE-PROCESS; assumption",
    )
    unmapped_seen: float = param(
        0.3,
        0,
        1,
        "share",
        "share of what a full network map brings to mind that a person sees without one:"
        " close members reflected on, undervalued and dormant ties (the map's quality decides"
        " the rest)",
        "SRC-GENIE-PROCESS; assumption",
    )
    pet_walking: float = param(
        1.0,
        0,
        20,
        "ratio",
        "a dog seen on the network map makes physical-activity resources (walking groups) "
        "weigh 1 + this times more in what is taken up (0: off)",
        "P7 (walking groups); SRC-GENIE-PROCESS (networks include pets); assumption",
    )
    dog_walk_contact: float = param(
        0.3,
        0,
        1,
        "probability",
        "a change a pathway enacts for a person whose dog the map shows brings a contact met "
        "dog walking (a neighbour), at a full map (0: off)",
        "SRC-GENIE-PROCESS (pets: opportunities for connectivity); assumption",
    )
    introduced_takeup: float = param(
        0.5,
        0,
        1,
        "probability",
        "an introduction through the worker's own network comes with taking up a matched"
        " resource, the new acquaintance along (utilising the worker's contacts)",
        "SRC-CP-MODEL, SRC-CP-PRACTICE; assumption",
    )


class Run(Group):
    """Horizon of a run."""

    weeks: int = param(104, 1, 1040, "weeks", "weeks simulated after the burn-in", "docs/DESIGN.md")
    burn_in: int = param(
        26, 0, 520, "weeks", "weeks simulated before outcomes are recorded", "docs/DESIGN.md"
    )


DIRECTORY_KEY = "area.directory"  # how a resource directory shows in Params.flat()

GROUPS: dict[str, type[Group]] = {
    "population": Population,
    "network": Network,
    "health": Health,
    "support": Support,
    "attendance": Attendance,
    "ties": Ties,
    "wellbeing": Wellbeing,
    "services": Services,
    "network_types": NetworkTypes,
    "programme": Programme,
    "workers": Workers,
    "pathways": Pathways,
    "run": Run,
}


class Params(BaseModel):
    """Every parameter of a run, grouped by process."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    population: Population = Field(default_factory=Population)
    network: Network = Field(default_factory=Network)
    health: Health = Field(default_factory=Health)
    support: Support = Field(default_factory=Support)
    attendance: Attendance = Field(default_factory=Attendance)
    ties: Ties = Field(default_factory=Ties)
    wellbeing: Wellbeing = Field(default_factory=Wellbeing)
    services: Services = Field(default_factory=Services)
    network_types: NetworkTypes = Field(default_factory=NetworkTypes)
    programme: Programme = Field(default_factory=Programme)
    workers: Workers = Field(default_factory=Workers)
    pathways: Pathways = Field(default_factory=Pathways)
    run: Run = Field(default_factory=Run)
    directory: ResourceDirectory | None = Field(
        default=None,  # by keyword: type checkers read only a keyword default
        description="an area's real resource directory, used instead of drawing synthetic "
        "resources (netmob.sim.area reads it from an area folder); none: drawn",
    )

    @model_serializer(mode="wrap")
    def _no_empty_directory(self, handler: Any) -> dict[str, Any]:
        # without a directory, the parameters dump as they always have
        data = handler(self)
        if self.directory is None:
            data.pop("directory", None)
        return data

    @classmethod
    def from_overrides(
        cls, overrides: dict[str, Any] | None = None, *, file: str | None = None
    ) -> Params:
        """Defaults with ``overrides`` applied; nested dicts or dotted keys (``"ties.meet"``).

        Raises:
            InputError: naming the field, the value and what is allowed.
        """
        nested = nest(overrides or {}, file=file)
        _no_bool_numbers(nested, file)
        try:
            return cls.model_validate(nested)
        except ValidationError as err:
            raise input_error(err, nested, file=file) from None

    def with_overrides(self, overrides: dict[str, Any], *, file: str | None = None) -> Params:
        """A copy with ``overrides`` applied on top of these values.

        A new ``programme.preset`` replaces the whole programme group (then its own fields).
        """
        top = nest(overrides, file=file)
        base = self.model_dump()
        prog = top.get("programme")
        if isinstance(prog, dict) and "preset" in prog:
            base.pop("programme")
        if isinstance(prog, dict) and "workers" in prog and "workforce" not in prog:
            top["programme"] = {**prog, "workforce": "fixed"}  # a headcount given means fixed
        merged = deep_merge(base, top)
        return Params.from_overrides(merged, file=file)

    def flat(self) -> dict[str, Any]:
        """Every parameter as ``{"group.name": value}``; with a resource directory, also
        ``"area.directory"``: the area's name and the hash of its rows."""
        dump = self.model_dump()
        flat = {f"{g}.{k}": v for g in GROUPS for k, v in dump[g].items()}
        if self.directory is not None:
            flat[DIRECTORY_KEY] = f"{self.directory.area} ({self.directory.digest()})"
        return flat


def nest(overrides: dict[str, Any], *, file: str | None = None) -> dict[str, Any]:
    """Turn dotted keys into nested dicts; nested dicts pass through."""
    if not isinstance(overrides, dict):
        raise InputError(
            "parameters must be a mapping of group to values", file=file, value=overrides
        )
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        parts = str(key).split(".")
        if len(parts) > 2:
            raise InputError(
                "parameter names have the form group.name",
                file=file,
                field=str(key),
                allowed="group.name, e.g. ties.meet",
            )
        if len(parts) == 2:
            out.setdefault(parts[0], {})
            if not isinstance(out[parts[0]], dict):
                raise InputError(
                    "a group must be a mapping", file=file, field=parts[0], value=out[parts[0]]
                )
            out[parts[0]][parts[1]] = value
        else:
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key].update(value)
            else:
                out[key] = value
    return out


@functools.cache
def _numeric() -> dict[str, dict[str, Any]]:
    """Every int or float parameter's metadata, by dotted name."""
    return {
        f"{g}.{n}": info
        for g, cls in GROUPS.items()
        for n in cls.model_fields
        if (info := field_info(f"{g}.{n}"))["type"] in ("int", "float")
    }


def _no_bool_numbers(nested: dict[str, Any], file: str | None) -> None:
    """Refuse true or false where a number belongs (pydantic would read it as 1 or 0)."""
    numeric = _numeric()
    for group, values in nested.items():
        if not isinstance(values, dict):
            continue
        for name, value in values.items():
            info = numeric.get(f"{group}.{name}")
            if info is not None and isinstance(value, bool):
                raise InputError(
                    "a number is needed here, not true or false",
                    file=file,
                    field=f"{group}.{name}",
                    value=value,
                    allowed=f"{info['type']} from {info['lo']} to {info['hi']} ({info['unit']})",
                )


def deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """``top`` over ``base``, recursively for dicts."""
    out = dict(base)
    for k, v in top.items():
        out[k] = (
            deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
        )
    return out


def field_info(dotted: str) -> dict[str, Any]:
    """Metadata of one parameter: default, lo, hi, unit, meaning, source, type.

    Raises:
        InputError: if the parameter does not exist.
    """
    group, _, name = dotted.partition(".")
    if group not in GROUPS or name not in GROUPS[group].model_fields:
        raise InputError("unknown parameter", field=dotted, allowed=_close_names(dotted))
    f = GROUPS[group].model_fields[name]
    extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
    return {
        "name": dotted,
        "default": f.default,
        "lo": extra.get("lo"),
        "hi": extra.get("hi"),
        "unit": extra.get("unit", ""),
        "meaning": f.description or "",
        "source": extra.get("source", ""),
        "type": f.annotation.__name__ if isinstance(f.annotation, type) else str(f.annotation),
    }


def full_name(name: str) -> str:
    """The dotted name of a parameter given as ``group.name`` or, where no other group has
    a parameter of that name, as ``name`` alone (``n_people`` is ``population.n_people``).

    Raises:
        InputError: if no parameter has that name, or several do.

    Examples:
        >>> full_name("n_people"), full_name("run.weeks"), full_name("preset")
        ('population.n_people', 'run.weeks', 'programme.preset')
    """
    if "." in name:
        field_info(name)  # raises if unknown
        return name
    found = [f"{g}.{name}" for g, cls in GROUPS.items() if name in cls.model_fields]
    if len(found) == 1:
        return found[0]
    if found:
        raise InputError(
            "more than one parameter has this name", field=name, allowed=", ".join(found)
        )
    import difflib

    leaves = {n: f"{g}.{n}" for g, cls in GROUPS.items() for n in cls.model_fields}
    close = [leaves[n] for n in difflib.get_close_matches(name, leaves, n=3, cutoff=0.6)]
    allowed = ", ".join(close) if close else "see `netmob params`"
    raise InputError("unknown parameter", field=name, allowed=allowed)


def all_fields() -> list[dict[str, Any]]:
    """Metadata of every parameter, in schema order."""
    return [field_info(f"{g}.{n}") for g, cls in GROUPS.items() for n in cls.model_fields]


def _close_names(dotted: str) -> str:
    import difflib

    names = [f"{g}.{n}" for g, cls in GROUPS.items() for n in cls.model_fields]
    close = difflib.get_close_matches(dotted, names, n=3, cutoff=0.5)
    return ", ".join(close) if close else "see `netmob params`"


def input_error(err: ValidationError, given: dict[str, Any], *, file: str | None) -> InputError:
    """The first pydantic error as an :class:`InputError` naming field, value and what is allowed."""
    e = err.errors()[0]
    loc = ".".join(str(p) for p in e["loc"])
    value = e.get("input", InputError._UNSET)
    kind = e["type"]
    if kind == "extra_forbidden":
        if len(e["loc"]) == 1:
            groups = ", ".join(GROUPS)
            return InputError("unknown parameter group", file=file, field=loc, allowed=groups)
        return InputError("unknown parameter", file=file, field=loc, allowed=_close_names(loc))
    allowed: str | None = None
    if len(e["loc"]) == 2:
        try:
            info = field_info(loc)
            if info["lo"] is not None:
                allowed = f"{info['type']} from {info['lo']} to {info['hi']} ({info['unit']})"
        except InputError:
            pass
    msg = e["msg"].removeprefix("Value error, ")
    if kind == "value_error" and len(e["loc"]) <= 1:
        return InputError(msg, file=file, field=loc or None)
    return InputError(msg, file=file, field=loc, value=value, allowed=allowed)
