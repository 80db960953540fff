"""The synthetic community: target people, their personal networks and community resources.

Target people get the covariates of docs/DESIGN.md (calibrated to N2, N3, N8); each
gets a personal network (partner, family, friends, neighbours, group members,
professionals, dormant ties) with GENIE circles, strength, contact frequency and the
support each tie can carry (N1, N2, N4); every network member is a person too. Resources
of the kinds PLANS lists are spread over the neighbourhoods, or, when the parameters hold
an area's resource directory (``params.directory``), taken from it.

Everything is drawn with whole-column operations from the run's ``community`` stream.
"""

from __future__ import annotations

import numpy as np

from netmob.sim import rules
from netmob.sim.params import Params
from netmob.sim.state import (
    BARRIER,
    KIND,
    Attendance,
    Community,
    Links,
    People,
    Resources,
    Targets,
    Ties,
)
from netmob.sim.streams import COMMUNITY, Streams
from netmob.sim.vocabulary import (
    BARRIERS,
    OBJECTIVES,
    RESOURCE_KINDS,
    SWEMWBS_SCALE,
    UCLA_SCALE,
)

# Uniforms per choice of a resource (both engines): the kind, whether elsewhere, which
# neighbourhood then, which resource (``choose_resources``).
CHOICE_DRAWS = 4
# GENIE circle (inner, middle, outer) by kind of member (assumption, from GENIE maps).
CIRCLE_BY_KIND = {
    "partner": (1.0, 0.0, 0.0),
    "family": (0.45, 0.40, 0.15),
    "friend": (0.20, 0.45, 0.35),
    "neighbour": (0.03, 0.27, 0.70),
    "group": (0.02, 0.23, 0.75),
    "formal": (0.05, 0.45, 0.50),
}


def build_community(params: Params, streams: Streams) -> Community:
    """Draw a whole community from ``params`` with the ``community`` streams."""
    n = params.population.n_people
    people = People(capacity=int(n * 13))
    people.append(is_target=np.ones(n, bool))
    _draw_covariates(people, params, streams)
    _draw_diagnoses(people, params, streams)
    targets = _draw_targets(people, params, streams)
    ties = Ties(capacity=int(n * 14))
    _draw_networks(people, ties, params, streams)
    links = Links(capacity=int(n * 30))
    _draw_links(ties, links, params, streams)
    if params.directory is None:
        resources = _draw_resources(people, params, streams)
    else:  # an area's real directory (sim/directory.py)
        resources = params.directory.table(n)
    attendance = Attendance(capacity=int(n * 2))
    _draw_attendance(people, targets, resources, attendance, params, streams)
    order = np.argsort(people.area, kind="stable").astype(np.int32)
    bounds = np.searchsorted(people.area[order], np.arange(people.area.max() + 2))
    return Community(people, ties, links, resources, attendance, targets, n, order, bounds)


def _draw_covariates(people: People, params: Params, streams: Streams) -> None:
    p = params.population
    rng = streams.get(COMMUNITY, 0, "covariates")
    n = len(people)
    people.age = np.clip(rng.normal(p.age_mean, p.age_sd, n), 18, 100)
    people.male = rng.random(n) < p.male
    people.smi = rng.random(n) < p.smi
    shares = np.array([p.ltc_1, p.ltc_2, p.ltc_3, p.ltc_4, p.ltc_5])
    people.n_conditions = 1 + _categorical(rng, np.tile(shares, (n, 1)))
    people.lives_alone = rng.random(n) < p.lives_alone
    people.has_partner = ~people.lives_alone & (rng.random(n) < p.partner_if_cohabiting)
    odds = np.where(people.smi, p.smi_housing_factor, 1.0)
    u = rng.random(n)
    insecure = u < p.housing_insecure * odds
    supported = ~insecure & (u < (p.housing_insecure + p.housing_supported) * odds)
    people.housing = np.where(insecure, 1, np.where(supported, 2, 0))
    u = rng.random(n)
    people.education = np.where(
        u < p.no_qualifications, 0, np.where(u > 1 - p.higher_education, 2, 1)
    )
    people.disability = rng.random(n) < p.disability
    people.pet = rng.random(n) < p.pet
    # a dog among pets: its own stream, so every other draw is unchanged
    people.dog = people.pet & (streams.get(COMMUNITY, 0, "dog").random(n) < p.dog)
    people.deprivation = np.clip(
        rng.beta(6 * p.deprivation + 0.5, 6 * (1 - p.deprivation) + 0.5, n), 0, 1
    )
    d = params.directory  # an area's directory: its neighbourhoods
    people.area = rng.permutation(n) // (p.area_size if d is None else d.area_size(n))


def _draw_diagnoses(people: People, params: Params, streams: Streams) -> None:
    """Diagnosis within SMI (SRC-CHN-SMI): psychosis, bipolar disorder or other.

    Psychosis is more likely when living alone and outside stable housing (odds factors),
    so diagnosis goes with network type in a crude comparison; it has no effect of its own
    on anything drawn afterwards (N7: diagnosis was not associated with type once the
    other factors were). Its own stream, so the covariates are drawn as before.
    """
    p = params.population
    u = streams.get(COMMUNITY, 0, "diagnosis").random(len(people))
    odds = np.where(people.lives_alone, p.psychosis_alone_factor, 1.0) * np.where(
        people.housing != 0, p.psychosis_housing_factor, 1.0
    )
    weights = np.stack(
        [
            np.full(len(people), p.psychosis) * odds,
            np.full(len(people), p.bipolar),
            np.full(len(people), max(0.0, 1.0 - p.psychosis - p.bipolar)),
        ],
        axis=1,
    )
    people.diagnosis = np.where(people.smi, 1 + _categorical(u, weights), 0)


def _draw_targets(people: People, params: Params, streams: Streams) -> Targets:
    """Health, capacities, barriers, preferences and objectives of target people."""
    h, pp = params.health, people
    rng = streams.get(COMMUNITY, 0, "targets")
    n = len(people)
    pp.burden_chronic = np.clip(
        h.burden_base + h.burden_per_condition * pp.n_conditions + rng.normal(0, 0.06, n), 0, 1
    )
    pp.burden = pp.burden_chronic
    pp.need = rules.support_need(pp.burden, h)
    pp.self_mgmt = np.clip(rng.beta(4, 4, n) - 0.1 * pp.smi, 0, 1)
    pp.tie_capacity = rules.active_capacity(pp.age, params.ties) * rng.uniform(0.85, 1.15, n)
    w = params.wellbeing
    pp.swemwbs_level = np.clip(rng.normal(w.swemwbs_level, w.swemwbs_sd, n), *SWEMWBS_SCALE)
    pp.swemwbs = pp.swemwbs_level
    pp.eq5d_level = streams.get(COMMUNITY, 0, "eq5d").normal(0, w.eq5d_sd, n)
    pp.ucla = np.clip(rng.normal(5.0, 1.0, n), *UCLA_SCALE)
    pp.capacity_engage = np.clip(
        rng.beta(5, 3, n) - 0.15 * pp.smi - 0.1 * pp.disability - 0.1 * (pp.housing == 1), 0.02, 1
    )
    barriers = np.zeros((n, len(BARRIERS)), np.float32)
    noise = rng.normal(0, 0.08, (n, len(BARRIERS)))
    barriers[:, BARRIER["stigma"]] = 0.10 + 0.40 * pp.smi
    barriers[:, BARRIER["physical"]] = pp.burden  # follows burden weekly
    barriers[:, BARRIER["complicated_life"]] = (
        0.10 + 0.35 * (pp.housing == 1) + 0.15 * pp.lives_alone + 0.15 * pp.deprivation
    )
    barriers[:, BARRIER["information"]] = (
        0.12 + 0.25 * (pp.education == 0) - 0.07 * (pp.education == 2)
    )
    barriers[:, BARRIER["access"]] = (
        0.10 + 0.30 * pp.deprivation + 0.15 * pp.disability
    )  # transport, cost
    barriers = np.clip(barriers + noise, 0, 1).astype(np.float32)
    barriers[:, BARRIER["physical"]] = pp.burden
    k = len(RESOURCE_KINDS)
    prefs = rng.beta(1.2, 1.8, (n, k)).astype(np.float32)
    acceptability = np.clip(
        rng.beta(4, 2, (n, k)) - 0.3 * pp.smi[:, None] * rng.random((n, k)), 0, 1
    )
    objectives = rng.random((n, len(OBJECTIVES))) < w.objective_share
    none = ~objectives.any(axis=1)
    objectives[none, rng.integers(0, len(OBJECTIVES), none.sum())] = True
    shape = (n, len(OBJECTIVES))
    return Targets(
        barriers=barriers,
        prefs=prefs,
        acceptability=acceptability.astype(np.float32),
        objectives=objectives,
        achieved=np.zeros(shape, bool),
        achieved_by=np.zeros(shape, np.int8),
    )


def _member_counts(
    people: People, params: Params, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """How many members of each kind each target person has (N1, N2, N4, N7).

    The four covariates N7 found associated with network type shift the counts: living
    alone (fewer family, more professionals), insecure or supported housing (fewer family
    and friends, more professionals), no formal qualifications (fewer friends and group
    members, more professionals), long-term sickness or disability (fewer group members
    and neighbours, fewer friends, more professionals). SMI means fewer friends and more professionals (N4, N5).
    Diagnosis within SMI plays no part. Each factor at 1 removes its effect.
    """
    nw, pp = params.network, people
    alone = pp.lives_alone
    unstable = pp.housing != 0
    noqual = pp.education == 0
    disabled = pp.disability

    def factor(mask: np.ndarray, value: float) -> np.ndarray:
        return np.where(mask, value, 1.0)

    housing = factor(unstable, nw.housing_informal_factor)
    family = factor(alone, nw.alone_family_factor) * housing
    friend = (
        factor(pp.smi, nw.smi_friend_factor)
        * factor(noqual, nw.noqual_friend_factor)
        * factor(disabled, nw.disability_friend_factor)
        * housing
    )
    group = (
        factor(pp.smi, nw.smi_friend_factor)
        * factor(noqual, nw.noqual_friend_factor)
        * factor(disabled, nw.disability_group_factor)
    )
    formal = (
        factor(pp.smi, nw.formal_factor)
        * factor(alone, nw.alone_formal_factor)
        * factor(noqual, nw.noqual_formal_factor)
        * factor(unstable, nw.housing_formal_factor)
        * factor(disabled, nw.disability_formal_factor)
    )
    # A person-level sociability shared by all kinds (assumption): networks vary in size.
    sociable = rng.gamma(4.0, 0.25, len(pp))
    return {
        "partner": pp.has_partner.astype(np.int64),
        "family": rng.poisson(nw.family * family * sociable),
        "friend": rng.poisson(nw.friends * friend * sociable),
        "neighbour": rng.poisson(
            nw.neighbours * factor(disabled, nw.disability_group_factor) * sociable
        ),
        "group": rng.poisson(nw.group_members * group * sociable),
        "formal": rng.poisson(nw.formal * formal),
    }


def _nearby(kind: np.ndarray, params: Params, streams: Streams) -> np.ndarray:
    """Whether each member lives in the person's neighbourhood (N2: 36.5% of members).

    A partner lives with the person and a neighbour nearby by definition; family, friends,
    members met through groups and professionals each with their own probability
    (assumptions, tuned to N2). Its own stream, one uniform per tie.
    """
    nw = params.network
    p = np.array([1.0, nw.nearby_family, nw.nearby_friend, 1.0, nw.nearby_group, nw.nearby_formal])[
        kind
    ]
    return streams.get(COMMUNITY, 0, "nearby").random(len(kind)) < p


def _draw_networks(people: People, ties: Ties, params: Params, streams: Streams) -> None:
    """Members of every target person's network as new people and ties, sorted by ego."""
    rng = streams.get(COMMUNITY, 0, "networks")
    n = len(people)
    counts = _member_counts(people, params, rng)
    dormant_n = rng.poisson(params.network.dormant, n)
    kinds = list(counts) + ["dormant"]
    per_kind = np.stack([counts[k] for k in counts] + [dormant_n], axis=1)  # (n, kinds)
    ego = np.repeat(np.repeat(np.arange(n), len(kinds)), per_kind.ravel())
    kind_col = np.repeat(np.tile(np.arange(len(kinds)), n), per_kind.ravel())
    dormant = kind_col == len(kinds) - 1
    # dormant ties are old family and friends (assumption)
    kind_col = np.where(
        dormant,
        np.where(
            rng.random(len(ego)) < params.network.dormant_family, KIND["family"], KIND["friend"]
        ),
        kind_col,
    )
    m = len(ego)
    circle_p = np.array([CIRCLE_BY_KIND[k] for k in CIRCLE_BY_KIND])[kind_col]
    circle = 1 + _categorical(rng, circle_p)
    strength = np.clip(rules.CIRCLE_STRENGTH[circle] + rng.normal(0, 0.08, m), 0.05, 1)
    freq = rules.CIRCLE_FREQ[circle] * np.exp(rng.normal(0, 0.7, m))
    freq = np.where(
        kind_col == KIND["partner"], 7.0, np.where(kind_col == KIND["formal"], freq / 3, freq)
    )
    nearby = _nearby(kind_col, params, streams)
    freq = rules.distance_freq(freq, nearby, params.network)
    under = np.isin(kind_col, [KIND["friend"], KIND["neighbour"], KIND["group"]])
    value_subj = np.clip(
        1.0 - params.network.weak_undervalued * under * rng.random(m) * 2, 0.1, 1.0
    )
    alters = _draw_members(people, ego, kind_col, params, rng)
    # 'bad' social capital (SRC-CP-MODEL): its own stream, so every other draw is unchanged
    informal = np.isin(kind_col, [KIND["family"], KIND["friend"], KIND["neighbour"]])
    u_neg = streams.get(COMMUNITY, 0, "negative").random(m)
    negative = informal & (u_neg < params.network.negative_share)
    ties.append(
        ego=ego,
        alter=alters,
        kind=kind_col,
        circle=circle,
        strength=strength,
        freq=freq,
        nearby=nearby,
        dormant=dormant,
        cap=rules.tie_capacity(kind_col, circle, strength, params.support),
        value_subj=value_subj,
        formed=-params.run.burn_in - rng.integers(0, 520, m),
        dormant_since=np.where(dormant, -params.run.burn_in, -(10**6)),
        negative=negative,
    )


def _draw_members(
    people: People, ego: np.ndarray, kind: np.ndarray, params: Params, rng: np.random.Generator
) -> np.ndarray:
    """Append one network member per tie; returns their person ids."""
    m = len(ego)
    ego_age = people.age[ego]
    partner = kind == KIND["partner"]
    age = np.where(
        partner,
        ego_age + rng.normal(0, 4, m),
        np.where(kind == KIND["family"], rng.uniform(20, 90, m), ego_age + rng.normal(0, 12, m)),
    )
    male = np.where(partner, ~people.male[ego], rng.random(m) < 0.5)
    w = params.wellbeing
    level = np.clip(rng.normal(w.member_swemwbs_mean, w.swemwbs_sd, m), *SWEMWBS_SCALE)
    return people.append(
        ego=ego,
        age=np.clip(age, 16, 100),
        male=male,
        area=people.area[ego],
        swemwbs_level=level,
        swemwbs=level,
    )


def _draw_links(ties: Ties, links: Links, params: Params, streams: Streams) -> None:
    """Which members of each person's network know each other (N2 density 0.49)."""
    rng = streams.get(COMMUNITY, 0, "links")
    nw = params.network
    ego = ties.ego
    deg = np.bincount(ego)
    starts = np.concatenate([[0], np.cumsum(deg)[:-1]])
    fam = np.isin(ties.kind, [KIND["partner"], KIND["family"]])
    formal = ties.kind == KIND["formal"]
    for k in np.unique(deg[deg >= 2]):  # loop over network sizes, not people
        egos = np.flatnonzero(deg == k)
        ia, ib = np.triu_indices(k, 1)
        ta = (starts[egos][:, None] + ia[None, :]).ravel()
        tb = (starts[egos][:, None] + ib[None, :]).ravel()
        p = np.where(
            formal[ta] | formal[tb],
            nw.link_formal,
            np.where(
                fam[ta] & fam[tb],
                nw.link_family,
                np.where(fam[ta] | fam[tb], nw.link_cross, nw.link_friend),
            ),
        )
        keep = rng.random(len(ta)) < p
        links.append(ta=ta[keep], tb=tb[keep])


def _draw_resources(people: People, params: Params, streams: Streams) -> Resources:
    """Community resources of the PLANS kinds, spread over neighbourhoods."""
    a = params.attendance
    rng = streams.get(COMMUNITY, 0, "resources")
    n_areas = int(people.area.max()) + 1
    r = max(len(RESOURCE_KINDS), int(round(a.resources_per_1000 * len(people) / 1000)))
    res = Resources(capacity=r)
    res.append(
        kind=np.arange(r) % len(RESOURCE_KINDS),
        area=rng.integers(0, n_areas, r),
        places=rules.draw_places(rng, r, a).round(),
        cost=rng.exponential(a.cost, r) * (rng.random(r) < a.paid_share),
        accessibility=rng.beta(5, 2, r),
        acceptability=rng.beta(5, 2, r),
        open_weeks=np.clip(a.open_weeks + rng.normal(0, 0.05, r), 0.5, 1),
    )
    return res


def _draw_attendance(
    people: People,
    targets: Targets,
    res: Resources,
    att: Attendance,
    params: Params,
    streams: Streams,
) -> None:
    """Resources people already go to at baseline (the burn-in brings this to balance)."""
    rng = streams.get(COMMUNITY, 0, "attendance")
    n = targets.n
    b = targets.barriers
    barrier = rules.take_up_barrier(b, params.attendance)
    a = params.attendance
    k = np.minimum(rng.poisson(a.baseline_resources * (1 - barrier)), a.max_resources)
    person = np.repeat(np.arange(n), k)
    u = rng.random((len(person), CHOICE_DRAWS))
    resource = choose_resources(person, people, targets, res, u, params.attendance.other_area)
    ok = resource >= 0
    pairs = np.unique(person[ok].astype(np.int64) * len(res) + resource[ok])
    att.append(
        person=pairs // len(res),
        resource=pairs % len(res),
        start=-params.run.burn_in,
        visits=rng.integers(0, 30, len(pairs)),
    )


def choose_resources(
    person: np.ndarray,
    people: People,
    targets: Targets,
    res: Resources,
    u: np.ndarray,
    other_area: float,
    weight: np.ndarray | None = None,
    among: np.ndarray | None = None,
) -> np.ndarray:
    """For each entry of ``person``, a resource chosen by preference and acceptability.

    A kind is drawn with weights preference x acceptability (PLANS), then a resource of that
    kind, in the person's neighbourhood unless ``other_area`` says otherwise. ``u`` holds
    four uniforms per entry (so each person's choice rests on their own draws). ``among``:
    a mask of the resources that may be chosen (e.g. those taking referrals; None: all).
    Returns -1 where there is none.
    """
    if len(person) == 0:
        return np.zeros(0, np.int64)
    w = targets.prefs[person] * targets.acceptability[person] if weight is None else weight
    kind = _categorical(u[:, 0], w)
    n_areas = int(res.area.max()) + 1
    away = u[:, 1] < other_area
    area = np.where(
        away, np.floor(u[:, 2] * n_areas).astype(np.int64), people.area[person] % n_areas
    )
    # resources sorted by (kind, area): pick uniformly within the block
    key = res.kind.astype(np.int64) * n_areas + res.area
    order = np.argsort(key, kind="stable")
    if among is not None:
        order = order[among[order]]
        if len(order) == 0:  # no resource may be chosen
            return np.full(len(person), -1, np.int64)
    want = kind.astype(np.int64) * n_areas + area
    lo = np.searchsorted(key[order], want, "left")
    hi = np.searchsorted(key[order], want, "right")
    # no resource of that kind there: any resource of that kind
    klo = np.searchsorted(key[order], kind.astype(np.int64) * n_areas, "left")
    khi = np.searchsorted(key[order], (kind.astype(np.int64) + 1) * n_areas, "left")
    empty = hi <= lo
    lo, hi = np.where(empty, klo, lo), np.where(empty, khi, hi)
    pick = lo + np.floor(u[:, 3] * (hi - lo)).astype(np.int64)
    return np.where(hi > lo, order[np.minimum(pick, len(order) - 1)], -1)


def _categorical(u: np.ndarray | np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One draw per row of ``weights`` (rows need not sum to one), from uniforms ``u``."""
    if isinstance(u, np.random.Generator):
        u = u.random(len(weights))
    c = np.cumsum(weights, axis=1)
    u = u * c[:, -1]
    return np.minimum((c < u[:, None]).sum(axis=1), weights.shape[1] - 1)
