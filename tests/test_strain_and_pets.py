"""Negative ties as strain, and pets on the map and mobilisable (docs/ODD.md 7.13).

- A negative tie ('bad' social capital, SRC-CP-MODEL) is strain, not company, in
  loneliness: ending one does not raise loneliness, while ending a tie that is company does
  (negative control); with ``negative_strain_lonely`` off, a negative tie counts as company
  again and ending it raises loneliness.
- A dog the network map shows is a route to walking groups (P7) and to contacts met dog
  walking (SRC-GENIE-PROCESS lists pets among the network's connections); with
  ``pet_walking`` and ``dog_walk_contact`` at 0, or for people without a dog, nothing
  changes (negative controls).

Tolerances: the loneliness checks are exact per person (no noise: ``ucla_noise`` 0, one
week's update from the same state); the whole-run checks are sums over two paired seeds.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from netmob.sim import rules
from netmob.sim.model import NetworkModel
from netmob.sim.params import Wellbeing
from netmob.sim.pathways import changes
from netmob.sim.processes.outcomes import Outcomes
from netmob.sim.state import KIND, ORIGIN, RESOURCE_KIND
from tests.conftest import small

SEEDS = (1, 2)
WALKING = RESOURCE_KIND["physical_activity"]


# ---- negative ties: strain, not company ------------------------------------------------------
def test_a_negative_tie_adds_loneliness_and_only_when_it_is_strain():
    w, off = Wellbeing(), Wellbeing(negative_strain_lonely=False)
    args = (2, 1, 0, False, False)
    assert rules.ucla_target(*args, w, 2) == pytest.approx(
        rules.ucla_target(*args, w, 0) + 2 * w.ucla_per_negative
    )
    assert rules.ucla_target(*args, off, 2) == rules.ucla_target(*args, off, 0)
    neg = np.array([True, False])
    assert rules.company(neg, w).tolist() == [False, True]
    assert rules.company(neg, off).tolist() == [True, True]


def _ucla_after_ending(which: str, strain: bool) -> tuple[np.ndarray, np.ndarray]:
    """UCLA-3 after one week's update with one frequent, live tie of each person who has
    both kinds ended (``which``: "negative", "company" or "none"), and before."""
    extra = {"wellbeing.ucla_noise": 0.0, "wellbeing.negative_strain_lonely": strain}
    m = NetworkModel(small(400, weeks=4, burn_in=4, **extra), seed=1)
    for _ in range(3):
        m.step()
    t, n = m.ties, m.n_target
    frequent = m.live_ties() & (t.freq >= rules.FREQUENT_CONTACT) & (t.kind != KIND["partner"])
    both = (np.bincount(t.ego[frequent & t.negative], minlength=n) > 0) & (
        np.bincount(t.ego[frequent & ~t.negative], minlength=n) > 0
    )
    who = np.flatnonzero(both)
    u = np.full(len(who), 0.5)
    if which != "none":
        among = frequent & (t.negative if which == "negative" else ~t.negative)
        m.end_ties(m.random_tie_of(who, u, among=among))
    before = m.people.ucla[who].copy()
    with m.streams.replay():  # the week's update again, on its own draws
        Outcomes().wellbeing(m)
    return m.people.ucla[who] - before, who


def test_ending_a_negative_tie_does_not_raise_loneliness_ending_company_does():
    none, who = _ucla_after_ending("none", strain=True)
    negative, _ = _ucla_after_ending("negative", strain=True)
    company, _ = _ucla_after_ending("company", strain=True)
    assert len(who) >= 10
    # nobody's loneliness rises; most fall (a target at the scale's floor cannot)
    assert (negative <= none + 1e-6).all() and (negative < none - 1e-3).mean() > 0.5
    # negative control: the same check sees a tie that was company
    assert not (company <= none + 1e-6).all() and (company > none + 1e-3).mean() > 0.5


def test_with_strain_off_a_negative_tie_is_company_again():
    """The switch: counted as company, a negative tie ended raises loneliness (the
    behaviour before this change)."""
    none, _ = _ucla_after_ending("none", strain=False)
    negative, _ = _ucla_after_ending("negative", strain=False)
    assert (negative >= none - 1e-6).all() and (negative > none + 1e-3).mean() > 0.5


# ---- pets: on the map, and mobilisable -------------------------------------------------------
def genie(**extra):
    return small(
        400,
        weeks=52,
        burn_in=6,
        **{"programme.preset": "genie", "programme.refer_rate": 2.0, "programme.workers": 6},
        **extra,
    )


def test_dogs_are_drawn_among_pets_only():
    m = NetworkModel(small(2000, weeks=1, burn_in=0), seed=1)
    pp, n = m.people, m.n_target
    assert not (pp.dog[:n] & ~pp.pet[:n]).any()
    share = pp.dog[:n].sum() / pp.pet[:n].sum()
    assert abs(share - m.params.population.dog) < 0.05  # binomial SD about 0.018
    none = NetworkModel(small(300, weeks=1, burn_in=0, **{"population.dog": 0.0}), seed=1)
    assert not none.people.dog.any()


def test_a_dog_on_the_map_weighs_walking_groups_more_and_nothing_else():
    """``match_weight``: physical activity weighs ``1 + pet_walking x mapped`` times more for a
    dog owner; other kinds and people without a dog are unchanged; at 0 nothing changes."""
    on = NetworkModel(genie(), seed=1)
    off = NetworkModel(genie(**{"pathways.pet_walking": 0.0}), seed=1)
    who = np.arange(on.n_target)
    w_on, w_off = changes.match_weight(on, who), changes.match_weight(off, who)
    dog = on.people.dog[who]
    assert dog.sum() > 20
    ratio = 1.0 + on.params.pathways.pet_walking * changes.mapped(on)[who]
    np.testing.assert_allclose(w_on[dog, WALKING], w_off[dog, WALKING] * ratio[dog], rtol=1e-6)
    np.testing.assert_array_equal(w_on[~dog], w_off[~dog])
    others = np.arange(w_on.shape[1]) != WALKING
    np.testing.assert_array_equal(w_on[:, others], w_off[:, others])


def test_walking_the_dog_brings_a_neighbour_from_the_same_area():
    """``walk_the_dog``: with every draw under the chance, each dog owner meets someone from
    their neighbourhood (a neighbour tie, tagged with the pathway); people without a dog meet
    nobody; with draws above the chance, or ``dog_walk_contact`` 0, nobody does."""
    m = NetworkModel(genie(), seed=1)
    who = np.arange(m.n_target)
    before = len(m.ties)
    changes.walk_the_dog(m, who, ORIGIN["nudge"], np.ones((len(who), 2)) * 0.999)
    assert len(m.ties) == before  # above the chance: nobody
    changes.walk_the_dog(m, who, ORIGIN["nudge"], np.zeros((len(who), 2)) + 1e-6)
    t = m.ties
    new = np.arange(before, len(t))
    assert len(new) > 20
    dog = m.people.dog
    assert (dog[t.ego[new]] | dog[t.alter[new]]).all()  # a dog owner at one end (mutual ties)
    assert (t.kind[new] == KIND["neighbour"]).all() and (t.origin[new] == ORIGIN["nudge"]).all()
    np.testing.assert_array_equal(m.people.area[t.ego[new]], m.people.area[t.alter[new]])
    c = m.programme.clients
    assert c.dog_contacts_n.sum() > 20 and c.dog_contacts_n[~dog[: m.n_target]].sum() == 0
    off = NetworkModel(genie(**{"pathways.dog_walk_contact": 0.0}), seed=1)
    n0 = len(off.ties)
    changes.walk_the_dog(off, who, ORIGIN["nudge"], np.zeros((len(who), 2)))
    assert len(off.ties) == n0


DOGS = {"population.pet": 1.0, "population.dog": 1.0}  # everyone has a dog
NO_DOGS = {"population.dog": 0.0}
OFF = {"pathways.pet_walking": 0.0, "pathways.dog_walk_contact": 0.0}


@functools.cache
def _run(seed: int, dogs: bool, off: bool) -> NetworkModel:
    return NetworkModel(genie(**(DOGS if dogs else NO_DOGS), **(OFF if off else {})), seed).run()


def walking_share(dogs: bool, off: bool) -> float:
    """Share of the pathways' take-ups that are physical activity, over the seeds."""
    hit = total = 0
    for s in SEEDS:
        m = _run(s, dogs, off)
        a = m.attendance
        rows = np.flatnonzero(a.origin >= ORIGIN["nudge"])
        hit += int((m.resources.kind[a.resource[rows]] == WALKING).sum())
        total += len(rows)
    assert total > 300
    return hit / total


@pytest.mark.slow
def test_dog_owners_referred_take_up_walking_groups_and_meet_people():
    """Whole GENIE runs where everyone has a dog: the pathways' take-ups are physical
    activity more often with pets mobilisable than without, and contacts are met dog
    walking; where nobody has a dog, the switch changes nothing, bit for bit (negative
    control). Tolerance: about 600 take-ups per arm over two seeds; the share is 0.12-0.16
    without pets (binomial SD about 0.014), so a rise of 0.04 is clear of chance."""
    assert walking_share(True, False) > walking_share(True, True) + 0.04
    met = sum(int(_run(s, True, False).programme.clients.dog_contacts_m.sum()) for s in SEEDS)
    met += sum(int(_run(s, True, False).programme.clients.dog_contacts_n.sum()) for s in SEEDS)
    assert met > 20
    for s in SEEDS:
        c = _run(s, True, True).programme.clients
        assert c.dog_contacts_m.sum() + c.dog_contacts_n.sum() == 0
        a, b = _run(s, False, False), _run(s, False, True)
        np.testing.assert_array_equal(a.people.swemwbs, b.people.swemwbs)
        np.testing.assert_array_equal(a.attendance.resource, b.attendance.resource)
