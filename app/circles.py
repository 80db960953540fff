"""A person's network as GENIE's concentric circles: where each member, place and pet goes.

The person sits at the centre; each member sits on the ring of their circle (1 inner,
2 middle, 3 outer), in order of kind so that kinds cluster; a pet sits in the inner
circle (marked with the pathway that mobilised it, when a dog the map showed brought a
contact met dog walking); the resources the person goes to (groups and places) sit on a
ring outside the outer circle. Positions come from the circles themselves, not from a force layout, so a
network is laid out in microseconds whatever the size of the community.

Every tie a pathway formed (``origin``) or deepened, reactivated or re-valued
(``changed_by``) is marked with that pathway, and so is every resource a pathway led the
person to. Ties that ended since the person was referred (or since week 1 for someone
never referred) stay on the map, marked ended, to show how the network changed.

Examples:
    >>> from netmob.sim.model import NetworkModel
    >>> from netmob.sim.params import Params
    >>> m = NetworkModel(Params.from_overrides({"population.n_people": 50, "run.burn_in": 0}), seed=1)
    >>> net = layout(m, 0)
    >>> bool((abs(net.members.radius - RADII[net.members.circle]) < 1e-9).all())
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netmob.sim.state import ORIGINS, PATHWAYS
from netmob.sim.vocabulary import RESOURCE_KINDS, TIE_KINDS

RADII = np.array([0.0, 1.0, 2.0, 3.0])  # by circle; 0 is the person
PLACE_RING = 3.8  # groups and places: outside the outer circle
PET = "pet"
MEMBER_KINDS = (*TIE_KINDS, PET)  # the order members go round a ring


@dataclass
class PersonNetwork:
    """One person's network, laid out.

    Attributes:
        person: The target person's id.
        week: The model's week when laid out.
        since: The week changes are counted from: the referral week, or 1 if never referred.
        referred: Whether the person was referred to a programme.
        members: One row per member (ties live, dormant, or ended since ``since``, and a
            pet): ``tie, alter, kind, circle, strength, status`` (live, dormant, ended),
            ``formed, new`` (formed since ``since``), ``formed_by`` and ``changed_by`` (a
            pathway or ""), and ``x, y, radius, angle``.
        places: One row per resource the person goes to: ``resource, kind, start, new,
            pathway`` (what led them there, if a pathway), ``member`` (the alter who comes
            along, or -1), ``x, y``.
        links: Members who know each other, both live: ``x0, y0, x1, y1``.
    """

    person: int
    week: int
    since: int
    referred: bool
    members: pd.DataFrame
    places: pd.DataFrame
    links: pd.DataFrame

    def changes(self) -> dict[str, int]:
        """How the network changed since ``since``, counted from the map."""
        m, p = self.members, self.places
        out = {
            "live": int((m.status == "live").sum() - (m.kind == PET).sum()),
            "dormant": int((m.status == "dormant").sum()),
            "formed": int((m.new & (m.kind != PET)).sum()),
            "ended": int((m.status == "ended").sum()),
            "places_new": int(p.new.sum()),
        }
        for pathway in PATHWAYS:
            out[f"formed_{pathway}"] = int((m.formed_by == pathway).sum())
            out[f"changed_{pathway}"] = int((m.changed_by == pathway).sum())
            out[f"places_{pathway}"] = int((p.pathway == pathway).sum())
        return out


def since_week(model, person: int) -> int:
    """The week changes are counted from: the referral week, or 1 if never referred."""
    referred = int(model.programme.clients.referred[person])
    return referred if referred >= 1 else 1


def pathway_names(codes: np.ndarray) -> np.ndarray:
    """ORIGINS codes as pathway names ("nudge", "mobilisation") or "" for anything else."""
    names = np.array([o if o in PATHWAYS else "" for o in ORIGINS], dtype=object)
    return names[codes]


def member_table(model, person: int, since: int) -> pd.DataFrame:
    """The person's ties to show (live, dormant, ended since ``since``) and a pet."""
    t = model.ties
    rows = np.flatnonzero(t.ego == person)
    rows = rows[t.active[rows] | (t.ended[rows] >= since)]
    status = np.where(~t.active[rows], "ended", np.where(t.dormant[rows], "dormant", "live"))
    df = pd.DataFrame(
        {
            "tie": rows,
            "alter": t.alter[rows].astype(np.int64),
            "kind": np.array(TIE_KINDS, dtype=object)[t.kind[rows]],
            "circle": t.circle[rows].astype(np.int64),
            "strength": t.strength[rows].astype(float),
            "status": status.astype(object),
            "formed": t.formed[rows].astype(np.int64),
            "new": t.formed[rows] >= since,
            "formed_by": pathway_names(t.origin[rows]),
            "changed_by": pathway_names(t.changed_by[rows]),
        }
    )
    if model.people.pet[person]:
        pet = {"tie": -1, "alter": -1, "kind": PET, "circle": 1, "strength": 1.0}
        pet |= {"status": "live", "formed": 0, "new": False, "formed_by": ""}
        pet["changed_by"] = pet_mobilised_by(model, person)
        df = pd.concat([df, pd.DataFrame([pet])], ignore_index=True)
    return df


def pet_mobilised_by(model, person: int) -> str:
    """The pathway that mobilised the person's dog (a contact met dog walking), or ""."""
    c = model.programme.clients
    if c.dog_contacts_m[person] > 0:
        return "mobilisation"
    return "nudge" if c.dog_contacts_n[person] > 0 else ""


def ring_angles(groups: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Angles spreading each group's items evenly round a circle, in ``order``.

    Args:
        groups: The ring of each item.
        order: A sort key within a ring (items with equal keys keep their order).

    Returns:
        One angle (radians) per item: the first of each ring at the top, then clockwise;
        alternate rings are turned half a step so that members do not line up.
    """
    angles = np.zeros(len(groups))
    idx = np.lexsort((order, groups))
    g = groups[idx]
    starts = np.searchsorted(g, g, "left")
    sizes = np.searchsorted(g, g, "right") - starts
    pos = np.arange(len(g)) - starts
    turn = 0.5 * (g % 2)
    angles[idx] = np.pi / 2 - 2 * np.pi * (pos + turn) / np.maximum(sizes, 1)
    return angles


def place_members(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``radius, angle, x, y``: each member on its circle's ring, grouped by kind."""
    kind_order = {k: i for i, k in enumerate(MEMBER_KINDS)}
    order = df.kind.map(kind_order).to_numpy() * 10**9 + df.tie.to_numpy() % 10**9
    angle = ring_angles(df.circle.to_numpy(), order)
    radius = RADII[df.circle.to_numpy()]
    return df.assign(radius=radius, angle=angle, x=radius * np.cos(angle), y=radius * np.sin(angle))


def place_table(model, person: int, since: int) -> pd.DataFrame:
    """The resources the person goes to now, on the ring outside the outer circle."""
    a = model.attendance
    rows = np.flatnonzero((a.person == person) & a.active)
    kinds = model.resources.kind[a.resource[rows]]
    angle = ring_angles(np.zeros(len(rows), np.int64), kinds.astype(np.int64)) - np.pi / 8
    return pd.DataFrame(
        {
            "resource": a.resource[rows].astype(np.int64),
            "kind": np.array(RESOURCE_KINDS, dtype=object)[kinds],
            "start": a.start[rows].astype(np.int64),
            "new": a.start[rows] >= since,
            "pathway": pathway_names(a.origin[rows]),
            "member": a.member[rows].astype(np.int64),
            "x": PLACE_RING * np.cos(angle),
            "y": PLACE_RING * np.sin(angle),
        }
    )


def link_table(model, members: pd.DataFrame) -> pd.DataFrame:
    """Lines between live members who know each other (the network's density)."""
    lk = model.links
    live = members[members.status == "live"]
    pos = pd.DataFrame({"x": live.x.to_numpy(), "y": live.y.to_numpy()}, index=live.tie)
    mark = np.zeros(len(model.ties), bool)
    mark[live.tie[live.tie >= 0].to_numpy()] = True
    rows = np.flatnonzero(mark[lk.ta] & mark[lk.tb])
    a, b = pos.loc[lk.ta[rows]], pos.loc[lk.tb[rows]]
    return pd.DataFrame(
        {"x0": a.x.to_numpy(), "y0": a.y.to_numpy(), "x1": b.x.to_numpy(), "y1": b.y.to_numpy()}
    )


def layout(model, person: int) -> PersonNetwork:
    """Lay out target person ``person``'s network as concentric circles.

    Args:
        model: A :class:`~netmob.sim.model.NetworkModel` (any week).
        person: A target person's id (``0 <= person < model.n_target``).

    Returns:
        The members, places and links with their positions.

    Raises:
        ValueError: if ``person`` is not a target person.
    """
    if not 0 <= person < model.n_target:
        raise ValueError(
            f"person {person} is not a target person; allowed: 0 to {model.n_target - 1}"
        )
    since = since_week(model, person)
    members = place_members(member_table(model, person, since))
    return PersonNetwork(
        person=int(person),
        week=int(model.week),
        since=since,
        referred=bool(model.programme.clients.referred[person] >= 1),
        members=members,
        places=place_table(model, person, since),
        links=link_table(model, members),
    )
