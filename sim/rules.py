"""The model's rules as functions of state, valid on scalars and numpy arrays alike.

Both engines call these: the vectorised engine on whole columns, the reference engine on
one agent at a time. A rule changed here changes both engines.
"""

from __future__ import annotations

import numpy as np

from netmob.sim.params import (
    Attendance,
    Health,
    Network,
    Programme,
    Services,
    Support,
    Ties,
    Wellbeing,
)
from netmob.sim.vocabulary import BARRIERS, SWEMWBS_SCALE, TIE_KINDS, UCLA_SCALE

# Support each kind of tie carries, by type: emotional, practical, illness work (assumption).
KIND_SUPPORT_SHARES = np.array(
    [
        [0.40, 0.40, 0.20],  # partner
        [0.40, 0.45, 0.15],  # family
        [0.65, 0.30, 0.05],  # friend
        [0.30, 0.65, 0.05],  # neighbour
        [0.60, 0.20, 0.20],  # group (peer support)
        [0.20, 0.10, 0.70],  # formal
    ]
)
# Typical strength of a tie in each circle (inner, middle, outer) (assumption).
CIRCLE_STRENGTH = np.array([0.0, 0.9, 0.65, 0.4])
# Median contacts per week by circle (assumption, tuned to N2's 4.8 frequent contacts).
CIRCLE_FREQ = np.array([0.0, 3.0, 1.6, 0.25])
WEEKS_PER_YEAR = 52.0  # yearly rates become weekly chances; QALYs accrue by the week
STRENGTH_REFRESH = 0.3  # share of the gap to the circle's typical strength closed by a contact

# Structural constants (definitions, not behaviour; the schema's meanings refer to them):
# the age at which ``ties.capacity_base`` is defined and from which ``ties.capacity_age`` counts.
CAPACITY_AGE = 50.0
# A "frequent" contact is daily or weekly (N2's definition): at least one contact a week.
FREQUENT_CONTACT = 1.0
# New ties (organic, met at a resource, introduced) start in the outer circle.
NEW_TIE_CIRCLE = 3
# Informal kinds of member (every tie kind but professionals): partner, family, friend,
# neighbour, group; access to social capital counts how many of them a network has.
INFORMAL_KINDS = len(TIE_KINDS) - 1  # all kinds but "formal"


def weekly(rate_per_year):
    """Probability of an event in a week from a yearly rate (constant hazard)."""
    return 1.0 - np.exp(-np.asarray(rate_per_year, dtype=float) / WEEKS_PER_YEAR)


def exacerbation_prob(n_conditions, h: Health):
    """Weekly chance of an exacerbation."""
    return weekly(h.exacerbation_rate * n_conditions)


def chronic_drift(self_mgmt, h: Health):
    """Weekly progression of chronic burden; good self-management slows it."""
    return h.drift / WEEKS_PER_YEAR * (1.5 - self_mgmt)


def support_need(burden, h: Health):
    """Support need (hours/week) follows health need."""
    return h.need_base + h.need_per_burden * burden


def need_shares(h: Health) -> np.ndarray:
    """Shares of need that are emotional, practical and illness work."""
    illness = max(0.0, 1.0 - h.share_emotional - h.share_practical)
    s = np.array([h.share_emotional, h.share_practical, illness])
    return s / s.sum()


def distance_freq(freq, nearby, nw: Network):
    """Contact frequency of a member: ``far_freq_factor`` of it when they live away (N2)."""
    return np.where(nearby, freq, np.asarray(freq) * nw.far_freq_factor)


def support_shares(kind, nearby, nw: Network):
    """Hours a tie can carry per hour of capacity, by type (emotional, practical, illness
    work): :data:`KIND_SUPPORT_SHARES`, with practical help scaled by
    ``far_practical_factor`` when the member lives away (N2; assumption)."""
    return support_share_table(nw)[kind, np.asarray(nearby, np.int64)]


def support_share_table(nw: Network) -> np.ndarray:
    """:func:`support_shares` as a table ``[kind, nearby, type]``."""
    table = np.stack([KIND_SUPPORT_SHARES, KIND_SUPPORT_SHARES], axis=1)  # [kind, nearby]
    table[:, 0, 1] = KIND_SUPPORT_SHARES[:, 1] * nw.far_practical_factor
    return table


def tie_capacity(kind, circle, strength, s: Support):
    """Hours/week a tie can carry: by kind, scaled by circle and strength."""
    base = np.array([s.partner, s.family, s.friend, s.neighbour, s.group, s.formal])[kind]
    factor = np.array([0.0, 1.0, s.middle_factor, s.outer_factor])[circle]
    return base * factor * np.asarray(strength) / CIRCLE_STRENGTH[circle]


def active_capacity(age, t: Ties):
    """Capacity for active ties, falling with age (T4)."""
    return np.maximum(
        t.capacity_min,
        t.capacity_base - t.capacity_age * np.maximum(0.0, np.asarray(age) - CAPACITY_AGE),
    )


def formation_gate(size, capacity):
    """Share of the formation hazard left, given how full a person's network is (T4)."""
    return np.clip(1.0 - np.asarray(size) / capacity, 0.0, 1.0)


def loss_prob(circle, size, capacity, t: Ties):
    """Weekly chance a tie ends: by circle (T1, T2), higher over capacity (T4)."""
    rate = np.array([0.0, t.loss_inner, t.loss_middle, t.loss_outer])[circle]
    over = np.maximum(0.0, np.asarray(size) / capacity - 1.0)
    return weekly(rate * (1.0 + t.over_capacity * over))


def dormancy_prob(circle, strength, t: Ties):
    """Weekly chance an active tie goes dormant; weaker ties more often."""
    rate = np.array([0.0, t.dormancy_inner, t.dormancy_middle, t.dormancy_outer])[circle]
    return weekly(rate * 2.0 * (1.0 - 0.5 * np.asarray(strength) / CIRCLE_STRENGTH[circle]))


def contact_prob(freq):
    """Chance of at least one contact in a week at ``freq`` contacts a week."""
    return 1.0 - np.exp(-np.asarray(freq))


def new_tie_strength(circle, t: Ties):
    """Strength of a new tie in ``circle``: a share of the circle's typical strength."""
    return CIRCLE_STRENGTH[circle] * t.new_strength


def next_strength(strength, contact, circle, t: Ties):
    """Strength after a week: refreshed by contact, decaying without it."""
    target = CIRCLE_STRENGTH[circle]
    up = strength + STRENGTH_REFRESH * (target - strength)
    down = strength - t.strength_decay
    return np.clip(np.where(contact, up, down), 0.05, 1.0)


def effective_barriers(barriers, a: Attendance):
    """Barriers (..., 5) with the scenario's scales on access and stigma, kept in 0-1."""
    b = np.array(barriers, dtype=float, copy=True)
    b[..., 4] *= a.barrier_scale  # access
    b[..., 0] *= a.stigma_scale  # stigma
    return np.clip(b, 0.0, 1.0)


def barrier_to_attend(access, physical, complicated, a: Attendance):
    """Combined barrier (0-1) to attending a resource one already goes to."""
    return np.clip(a.barrier_weight * (0.5 * access + 0.3 * physical + 0.2 * complicated), 0, 1)


def barrier_to_take_up(access, physical, information, stigma, a: Attendance):
    """Combined barrier (0-1) to taking up a new resource."""
    b = 0.3 * access + 0.2 * physical + 0.25 * information + 0.25 * stigma
    return np.clip(a.barrier_weight * b, 0, 1)


def take_up_barrier(barriers: np.ndarray, a: Attendance) -> np.ndarray:
    """:func:`barrier_to_take_up` of each row of a (people, barriers) matrix whose columns
    are in the order of ``BARRIERS``."""
    col = {k: i for i, k in enumerate(BARRIERS)}
    return barrier_to_take_up(
        barriers[:, col["access"]],
        barriers[:, col["physical"]],
        barriers[:, col["information"]],
        barriers[:, col["stigma"]],
        a,
    )


def draw_places(rng: np.random.Generator, r: int, a: Attendance) -> np.ndarray:
    """Places a week of ``r`` new resources: gamma-distributed around ``capacity``."""
    return np.maximum(a.places_min, rng.gamma(a.places_shape, a.capacity / a.places_shape, r))


def open_places(places, funded, a: Attendance):
    """Places a resource offers this week: its places, scaled by funding, whole places only."""
    return np.floor(places * a.capacity_scale * funded)


def accessibility_factor(accessibility, a: Attendance):
    """Share of attendance left at a resource of this accessibility (0-1)."""
    return (1.0 - a.accessibility_weight) + a.accessibility_weight * np.asarray(accessibility)


def cost_factor(cost, deprivation, a: Attendance):
    """Share of attendance left after the cost of a visit, heavier with deprivation (P7)."""
    return np.clip(1.0 - a.cost_weight * cost * a.cost_scale * (0.5 + deprivation), 0.0, 1.0)


def attend_prob(barrier, cost_left, open_weeks, a: Attendance):
    """Weekly chance a regular attends."""
    return a.attend * open_weeks * (1.0 - barrier) * cost_left


def take_up_prob(barrier, n_attending, a: Attendance):
    """Weekly chance of taking up one more resource (none beyond the maximum)."""
    room = np.asarray(n_attending) < a.max_resources
    return np.where(room, weekly(a.takeup_rate) * (1.0 - barrier), 0.0)


def stop_prob(barrier, a: Attendance):
    """Weekly chance of giving a resource up."""
    return weekly(a.stop_rate * (1.0 + a.stop_barrier * np.asarray(barrier)))


def ucla_target(frequent, inner, attending, smi, pet, w: Wellbeing, negative=0):
    """UCLA-3 loneliness (3-9) a person's network, activity and pet point to (a pet counts
    as ``pet_contacts`` frequent contacts); each live negative tie adds ``ucla_per_negative``
    (strain, not company: ``frequent`` and ``inner`` count only the ties that are company,
    :func:`company`)."""
    u = (
        w.ucla_base
        - w.ucla_per_contact * (np.asarray(frequent) + w.pet_contacts * np.asarray(pet))
        - w.ucla_per_inner * inner
        - w.ucla_activity * (np.asarray(attending) > 0)
        + w.ucla_smi * np.asarray(smi)
        + w.ucla_per_negative * w.negative_strain_lonely * np.asarray(negative)
    )
    return np.clip(u, *UCLA_SCALE)


def company(negative, w: Wellbeing):
    """Whether a live tie is company for loneliness: a negative tie ('bad' social capital,
    SRC-CP-MODEL) is strain instead, unless ``negative_strain_lonely`` is off (then every
    tie is company)."""
    return ~np.asarray(negative, bool) | (not w.negative_strain_lonely)


def swemwbs_target(
    level, gap, ucla, burden, attending, achieved, smi, pet, recent_crisis, w: Wellbeing
):
    """SWEMWBS (7-35) a person's support, loneliness, health, activity, pet and a recent
    mental-health crisis point to."""
    s = (
        level
        - w.gap_effect * gap
        - w.lonely_effect * (np.asarray(ucla) - UCLA_SCALE[0])
        - w.burden_effect * burden
        + w.activity_effect * (np.asarray(attending) > 0)
        + w.objective_effect * achieved
        - w.smi_effect * np.asarray(smi)
        + w.pet_effect * np.asarray(pet)
        - w.crisis_effect * np.asarray(recent_crisis)
    )
    return np.clip(s, *SWEMWBS_SCALE)


def member_swemwbs_target(level, given, accompanying, w: Wellbeing, s: Support):
    """A network member's SWEMWBS: strain from support given, a lift from shared activity."""
    strain = np.maximum(0.0, np.asarray(given) - s.member_strain)
    return np.clip(
        level - w.member_strain_effect * strain + w.member_activity_effect * accompanying,
        *SWEMWBS_SCALE,
    )


def ar1(previous, target, noise, w: Wellbeing, lo: float, hi: float):
    """Partial adjustment toward ``target`` with noise, kept in the scale."""
    return np.clip(w.persistence * previous + (1 - w.persistence) * target + noise, lo, hi)


def eq5d(burden, swemwbs, regular, level, w: Wellbeing):
    """EQ-5D utility from burden, wellbeing, regular activity and the personal level (S2),
    in the UK tariff's range."""
    u = (
        w.eq5d_base
        + level
        - w.eq5d_burden * burden
        + w.eq5d_swemwbs * (np.asarray(swemwbs) - w.eq5d_swemwbs_mean)
        + w.eq5d_activity * (np.asarray(regular) > 0)
    )
    return np.clip(u, -0.594, 1.0)


def self_mgmt_target(illness_coverage, manage_achieved, w: Wellbeing):
    """Self-management capacity supported illness work and a 'manage my condition' objective point to."""
    return np.clip(
        w.self_mgmt_base
        + w.self_mgmt_illness * illness_coverage
        + w.self_mgmt_objective * np.asarray(manage_achieved),
        0,
        1,
    )


def poisson_count(u, lam):
    """Poisson counts by inversion: the smallest ``k`` with ``CDF(k; lam) >= u``.

    One uniform per count, so a count depends on its own uniform and rate only: changing
    one person's rate cannot shift anyone else's draw (common random numbers), and a
    higher rate never gives a lower count for the same uniform. The loop runs over counts
    (a handful for weekly rates), not over people.

    Examples:
        >>> poisson_count(np.array([0.1, 0.5, 0.99]), np.array([0.2, 0.2, 0.2]))
        array([0, 0, 2])
    """
    u, lam = np.broadcast_arrays(np.asarray(u, dtype=float), np.asarray(lam, dtype=float))
    term = np.exp(-lam)  # P(X = 0)
    cdf = term.copy()
    k = np.zeros(u.shape, dtype=np.int64)
    below = u > cdf
    j = 0
    while below.any():
        j += 1
        term = term * lam / j
        cdf = cdf + term
        k += below
        below &= (u > cdf) & (term > 0)  # term == 0: the CDF has reached 1 in floats
    return k if k.ndim else int(k)


def gp_rate(burden, gap, sv: Services):
    """Expected GP consultations this week."""
    return (sv.gp_rate + sv.gp_burden * burden + sv.gp_gap * gap) / WEEKS_PER_YEAR


def admission_prob(gap, sv: Services):
    """Chance an exacerbation leads to admission; unmet need raises it."""
    return np.clip(sv.admission_per_exacerbation + sv.admission_gap * gap, 0, 1)


def recent_crisis(week, crisis_week, w: Wellbeing):
    """Whether the last crisis was at most ``crisis_weeks`` weeks before ``week``."""
    return (week - np.asarray(crisis_week)) <= w.crisis_weeks


def crisis_rate(gap, need, places, informal_kinds, sv: Services):
    """Mental-health crises a year of a person with SMI: raised by the share of support need
    unmet, lowered by going regularly to a resource (inclusion) and by the informal kinds
    of member in the network (access to social capital; E2, N5).

    Examples:
        >>> from netmob.sim.params import Services
        >>> sv = Services(smi_crisis_rate=1.0, crisis_gap=2.0, crisis_inclusion=0.5,
        ...               crisis_social_capital=0.5)
        >>> float(crisis_rate(0.0, 5.0, 0, 0, sv)), float(crisis_rate(5.0, 5.0, 0, 0, sv))
        (1.0, 3.0)
        >>> float(crisis_rate(0.0, 5.0, 2, INFORMAL_KINDS, sv))
        0.25
    """
    need = np.asarray(need, dtype=float)
    share = np.divide(gap, need, out=np.zeros(np.shape(need)), where=need > 0)
    kinds = np.minimum(np.asarray(informal_kinds, dtype=float), INFORMAL_KINDS) / INFORMAL_KINDS
    rate = (
        sv.smi_crisis_rate
        * (1.0 + sv.crisis_gap * np.clip(share, 0.0, 1.0))
        * (1.0 - sv.crisis_inclusion * (np.asarray(places) > 0))
        * (1.0 - sv.crisis_social_capital * kinds)
    )
    return rate if rate.ndim else float(rate)


def mh_contact_rate(crisis, sv: Services):
    """Expected mental-health contacts this week of a person with SMI: routine ones, and
    ``mh_crisis_contacts`` more in a week with a crisis."""
    return sv.mh_routine_contacts / WEEKS_PER_YEAR + sv.mh_crisis_contacts * np.asarray(crisis)


def length_of_stay(u, sv: Services):
    """Bed-days of an admission: exponential with mean ``mh_stay`` by inversion of ``u``,
    whole days, at least one.

    Examples:
        >>> from netmob.sim.params import Services
        >>> length_of_stay(np.array([0.0, 0.5]), Services(mh_stay=30.0))
        array([ 1, 21])
    """
    days = np.maximum(1.0, np.rint(-sv.mh_stay * np.log1p(-np.asarray(u, dtype=float))))
    return days.astype(np.int64) if days.ndim else int(days)


def engage_prob(capacity_engage, barrier, skill, pr: Programme):
    """Chance a planned worker contact happens: capacity to engage, barriers, worker skill."""
    capacity = (1.0 - pr.engage_capacity) + pr.engage_capacity * capacity_engage
    skilled = (1.0 - pr.engage_skill / 2) + pr.engage_skill * skill
    return np.clip(pr.engage * capacity * (1.0 - pr.engage_barrier * barrier) * skilled, 0, 1)
