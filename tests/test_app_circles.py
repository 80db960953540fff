"""The concentric-circles layout of a person's network (sim/circles.py) and its drawing."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from netmob.app.circles import PET, PLACE_RING, RADII, layout, ring_angles
from netmob.app.views import KIND_STYLE, PATHWAY_STYLE, circles_figure
from netmob.sim.model import NetworkModel
from netmob.sim.params import Params
from netmob.sim.state import ORIGIN


@pytest.fixture
def model():
    """A small community at week 0 (no programme)."""
    params = Params.from_overrides({"population.n_people": 60, "run.burn_in": 0})
    return NetworkModel(params, seed=3)


def person_with_ties(m, at_least: int = 4) -> int:
    """A target person with at least ``at_least`` live ties."""
    sizes = m.network_size()
    return int(np.flatnonzero(sizes >= at_least)[0])


def ties_of(m, person: int) -> np.ndarray:
    return np.flatnonzero((m.ties.ego == person) & m.ties.active)


def test_every_member_sits_on_its_circles_ring(model):
    for person in range(10):
        members = layout(model, person).members
        r = np.hypot(members.x, members.y)
        assert np.allclose(r, RADII[members.circle.to_numpy()])
        assert set(members.circle) <= {1, 2, 3}


def test_every_live_tie_is_on_the_map_once_at_its_own_place(model):
    person = person_with_ties(model)
    net = layout(model, person)
    ties = net.members[net.members.tie >= 0]
    assert sorted(ties.tie) == sorted(ties_of(model, person))
    assert (ties.circle.to_numpy() == model.ties.circle[ties.tie]).all()
    points = set(zip(net.members.x.round(6), net.members.y.round(6), strict=True))
    assert len(points) == len(net.members)  # nobody on top of anyone else


def test_members_are_grouped_by_kind_round_each_ring():
    circles = np.array([1, 1, 1, 1, 2, 2])
    kinds = np.array([3, 0, 3, 0, 1, 1])
    angles = ring_angles(circles, kinds)
    inner = np.argsort(-angles[:4])  # clockwise from the top
    assert list(kinds[:4][inner]) == [0, 0, 3, 3]
    assert angles[1] == pytest.approx(np.pi / 2 - np.pi / 4)  # first of ring 1, half a step on
    assert angles[4] == pytest.approx(np.pi / 2)  # first of ring 2, at the top


def test_a_pet_sits_in_the_inner_circle_only_if_the_person_has_one(model):
    person = person_with_ties(model)
    model.people.pet[person] = True
    pets = layout(model, person).members.query("kind == @PET")
    assert len(pets) == 1 and pets.circle.iloc[0] == 1
    model.people.pet[person] = False
    assert (layout(model, person).members.kind != PET).all()


def test_changes_since_referral_are_marked_and_older_ones_left_out(model):
    person = person_with_ties(model, 5)
    t = model.ties
    rows = ties_of(model, person)
    model.programme.clients.referred[person] = 3
    t.origin[rows[0]], t.formed[rows[0]] = ORIGIN["nudge"], 4
    t.changed_by[rows[1]] = ORIGIN["mobilisation"]
    t.formed[rows[2]] = 5  # formed since referral, organically
    t.active[rows[3]], t.ended[rows[3]] = False, 6  # ended since referral
    t.active[rows[4]], t.ended[rows[4]] = False, 2  # ended before it
    t.dormant[rows[1]] = True
    net = layout(model, person)
    m = net.members.set_index("tie")
    assert net.referred and net.since == 3
    assert m.loc[rows[0], "formed_by"] == "nudge" and m.loc[rows[0], "new"]
    assert m.loc[rows[1], "changed_by"] == "mobilisation"
    assert m.loc[rows[1], "status"] == "dormant"
    assert m.loc[rows[2], "new"] and m.loc[rows[2], "formed_by"] == ""
    assert m.loc[rows[3], "status"] == "ended"
    assert rows[4] not in m.index
    ch = net.changes()
    assert ch["formed"] == 2 and ch["formed_nudge"] == 1 and ch["ended"] == 1
    assert ch["changed_mobilisation"] == 1
    assert ch["dormant"] == int((t.active & t.dormant & (t.ego == person)).sum()) >= 1


def test_places_sit_outside_the_outer_circle_with_their_pathway(model):
    person = person_with_ties(model)
    model.start_attending(np.array([person]), np.array([0]), ORIGIN["mobilisation"])
    places = layout(model, person).places
    assert len(places) >= 1
    assert np.allclose(np.hypot(places.x, places.y), PLACE_RING)
    assert "mobilisation" in set(places.pathway)


def test_links_join_live_members_who_know_each_other(model):
    person = person_with_ties(model, 3)
    net = layout(model, person)
    lk, t = model.links, model.ties
    live = model.live_ties()
    mine = (t.ego[lk.ta] == person) & live[lk.ta] & live[lk.tb]
    assert len(net.links) == int(mine.sum())
    ends = np.hypot(net.links.x0, net.links.y0)
    assert np.isin(ends.round(9), RADII[1:].round(9)).all()


def test_only_target_people_have_a_map(model):
    with pytest.raises(ValueError, match="not a target person"):
        layout(model, model.n_target)


# ---- the drawing ------------------------------------------------------------------------
def drawn_at(fig, x: float, y: float) -> list[tuple[str, tuple, float]]:
    """What the circles axes draw at (x, y): (face or edge, colour, size) of each point."""
    out = []
    for c in fig.axes[0].collections:
        offsets = c.get_offsets()
        if not len(offsets):
            continue
        for i in np.flatnonzero(np.hypot(offsets[:, 0] - x, offsets[:, 1] - y) < 1e-6):
            sizes = c.get_sizes()
            size = float(sizes[i if len(sizes) > 1 else 0])
            for part, colours in (("face", c.get_facecolors()), ("edge", c.get_edgecolors())):
                if len(colours):
                    out.append(
                        (part, tuple(np.round(colours[i if len(colours) > 1 else 0], 4)), size)
                    )
    return out


def rgba(colour: str) -> tuple:
    return tuple(np.round(to_rgba(colour), 4))


def test_the_person_is_drawn_at_the_centre(model):
    net = layout(model, person_with_ties(model))
    fig = circles_figure(net)
    centre = drawn_at(fig, 0, 0)
    assert ("face", rgba("#222222")) in [(p, c) for p, c, _ in centre]
    biggest_member = max(s for r in net.members.itertuples() for _, _, s in drawn_at(fig, r.x, r.y))
    assert max(s for _, _, s in centre) > biggest_member


def test_members_are_coloured_by_kind(model):
    net = layout(model, person_with_ties(model, 5))
    fig = circles_figure(net)
    live = net.members[net.members.status == "live"]
    assert len(live.kind.unique()) >= 2
    for r in live.itertuples():
        faces = [c for p, c, _ in drawn_at(fig, r.x, r.y) if p == "face"]
        assert rgba(KIND_STYLE[r.kind][1]) in faces, r.kind


def test_pathway_marks_are_drawn_where_a_pathway_formed_or_deepened_a_tie(model):
    person = person_with_ties(model, 3)
    rows = ties_of(model, person)
    model.programme.clients.referred[person] = 1
    model.ties.origin[rows[0]], model.ties.formed[rows[0]] = ORIGIN["nudge"], 2
    model.ties.changed_by[rows[1]] = ORIGIN["mobilisation"]
    net = layout(model, person)
    fig = circles_figure(net)
    m = net.members.set_index("tie")
    star = drawn_at(fig, m.loc[rows[0], "x"] + 0.17, m.loc[rows[0], "y"] + 0.17)
    assert ("face", rgba(PATHWAY_STYLE["nudge"][1])) in [(p, c) for p, c, _ in star]
    ring = drawn_at(fig, m.loc[rows[1], "x"], m.loc[rows[1], "y"])
    assert ("edge", rgba(PATHWAY_STYLE["mobilisation"][1])) in [(p, c) for p, c, _ in ring]
    # no mark where no pathway acted
    plain = m.loc[rows[2]]
    assert drawn_at(fig, plain.x + 0.17, plain.y + 0.17) == []
    pathway_colours = {rgba(c) for _, c in PATHWAY_STYLE.values()}
    assert not pathway_colours & {c for _, c, _ in drawn_at(fig, plain.x, plain.y)}


def test_a_dormant_tie_is_drawn_hollow_and_an_ended_one_crossed(model):
    person = person_with_ties(model, 3)
    rows = ties_of(model, person)
    model.ties.dormant[rows[0]] = True
    model.ties.active[rows[1]], model.ties.ended[rows[1]] = False, 1
    net = layout(model, person)
    fig = circles_figure(net)
    m = net.members.set_index("tie")
    hollow = drawn_at(fig, m.loc[rows[0], "x"], m.loc[rows[0], "y"])
    assert ("face", rgba("white")) in [(p, c) for p, c, _ in hollow]
    assert ("edge", rgba(KIND_STYLE[m.loc[rows[0], "kind"]][1])) in [(p, c) for p, c, _ in hollow]
    crossed = drawn_at(fig, m.loc[rows[1], "x"], m.loc[rows[1], "y"])
    assert rgba(KIND_STYLE[m.loc[rows[1], "kind"]][1]) in [c for _, c, _ in crossed]
    assert m.loc[rows[1], "status"] == "ended"
