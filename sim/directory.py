"""A real resource directory: an area's groups, activities and places, as columns.

When ``Params.directory`` holds one, the community takes its resources from it instead of
drawing synthetic ones (:func:`netmob.sim.community.build_community`), and its people live
in the directory's neighbourhoods, spread evenly over them. It travels inside the
parameters, so every kind of experiment (and every backend's workers) builds the same
community from it. It is read from an area folder by :mod:`netmob.sim.area`.

Places are for the area's whole population of target people (``people``); a run of a
different size scales every resource's places by ``n_people / people`` (rounded to whole
places), so that places per person stay as in the area.

Examples:
    >>> d = ResourceDirectory(area="Toy", people=100, neighbourhoods=("North", "South"),
    ...     name=("Walk", "Choir"), kind=(0, 2), neighbourhood=(0, 1), places=(10.0, 4.0),
    ...     cost=(0.0, 2.5), accessibility=(0.9, 0.6), open_weeks=(0.9, 0.8),
    ...     referrals=(True, False))
    >>> d.area_size(100), d.table(50).places.tolist()
    (50, [5.0, 2.0])
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
from pydantic import BaseModel, ConfigDict, model_validator

from netmob.sim.state import Resources
from netmob.sim.vocabulary import RESOURCE_KINDS

COLUMNS = ("name", "kind", "neighbourhood", "places", "cost", "accessibility", "open_weeks")


class ResourceDirectory(BaseModel):
    """One row per resource, held column by column (a row is index ``i`` of each tuple).

    Attributes:
        area: The area's name.
        people: Target people the directory serves (its places are for them).
        neighbourhoods: The neighbourhoods' names; ``neighbourhood`` indexes them.
        files: Each file the directory came from, with its SHA-256 (provenance).
        name: Each resource's name.
        kind: Its kind, a code of ``RESOURCE_KINDS``.
        neighbourhood: Where it is.
        places: Places a week, for ``people`` target people.
        cost: GBP a visit.
        accessibility: 0-1 (1: fully accessible).
        open_weeks: Share of weeks it is open.
        referrals: Whether it takes referrals (a programme can match people to it).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    area: str
    people: int
    neighbourhoods: tuple[str, ...]
    files: dict[str, str] = {}
    name: tuple[str, ...]
    kind: tuple[int, ...]
    neighbourhood: tuple[int, ...]
    places: tuple[float, ...]
    cost: tuple[float, ...]
    accessibility: tuple[float, ...]
    open_weeks: tuple[float, ...]
    referrals: tuple[bool, ...]

    @model_validator(mode="after")
    def _rows_line_up(self) -> ResourceDirectory:
        lengths = {len(getattr(self, c)) for c in (*COLUMNS, "referrals")}
        if len(lengths) != 1 or not self.name:
            raise ValueError("a resource directory needs one or more rows of equal length")
        if self.people < 1 or not self.neighbourhoods:
            raise ValueError("a resource directory needs people and neighbourhoods")
        if max(self.kind) >= len(RESOURCE_KINDS) or min(self.kind) < 0:
            raise ValueError("resource kinds are codes of RESOURCE_KINDS")
        if max(self.neighbourhood) >= len(self.neighbourhoods) or min(self.neighbourhood) < 0:
            raise ValueError("neighbourhood codes index the neighbourhoods")
        return self

    def __len__(self) -> int:
        return len(self.name)

    def area_size(self, n_people: int) -> int:
        """Target people per neighbourhood when ``n_people`` live in the area."""
        return max(1, math.ceil(n_people / len(self.neighbourhoods)))

    def table(self, n_people: int) -> Resources:
        """The resources as a column table, places scaled to ``n_people`` target people."""
        places = np.asarray(self.places, np.float64)
        if n_people != self.people:
            places = np.round(places * (n_people / self.people))
        res = Resources(capacity=len(self))
        res.append(
            kind=np.asarray(self.kind),
            area=np.asarray(self.neighbourhood),
            places=places,
            cost=np.asarray(self.cost),
            accessibility=np.asarray(self.accessibility),
            open_weeks=np.asarray(self.open_weeks),
            referrals=np.asarray(self.referrals, bool),
        )
        return res

    def digest(self) -> str:
        """A hash of the directory's content (16 hex digits): the same rows, the same hash."""
        text = json.dumps(self.model_dump(exclude={"files"}), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def provenance(self) -> dict[str, object]:
        """The area's name, its files' SHA-256 and the directory's size, for a run's records."""
        return {
            "name": self.area,
            "files": dict(self.files),
            "resources": len(self),
            "people": self.people,
            "neighbourhoods": len(self.neighbourhoods),
            "digest": self.digest(),
        }
