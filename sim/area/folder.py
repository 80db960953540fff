"""An area folder: ``area.yaml`` (the people) and ``resources.csv`` (the resource directory).

:func:`load_area` reads and checks both; :meth:`Area.params` turns the area and a scenario
into a run's parameters: the profile's values replace the schema's defaults, the
scenario's own overrides go on top (a scenario is a what-if about the place), and the
directory replaces the synthetic resources. :func:`write_template` writes a folder
pre-filled with netmob's defaults, so that an untouched one reproduces the default
community exactly for the seed it was written with.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from netmob.sim.area import profile as prof
from netmob.sim.area import resources as rsc
from netmob.sim.directory import ResourceDirectory
from netmob.sim.errors import InputError
from netmob.sim.params import Params, deep_merge, field_info, nest
from netmob.sim.vocabulary import RESOURCE_KINDS

# Scenario parameters that size the workforce: a scenario that sets one keeps its own.
WORKFORCE_KEYS = ("workers", "workforce", "workforce_scale", "workers_per_10000")
# A directory offering under this share of the default community's places a week per person
# is flagged: people find few places, and a programme can match them to little (an
# assumption: at half, GENIE's effect on wellbeing roughly halved in the issue that asked
# for the check).
THIN = 0.5
# A run's share living alone is checked against the area's own share, this far either side
# (as the published check, N3: 25.3%, checked from 20% to 30%).
OWN_SHARE_TOLERANCE = 0.05


@dataclass(frozen=True)
class Area:
    """A checked area folder."""

    folder: str
    profile: Any  # profile.Profile
    directory: ResourceDirectory | None  # None: netmob's synthetic resources
    source: str | None = None  # where the profile came from (default FOLDER/area.yaml)

    @property
    def name(self) -> str:
        """The area's name."""
        return self.profile.name

    @property
    def people(self) -> int:
        """People with long-term conditions in the area."""
        return self.profile.people

    def provenance(self) -> dict[str, Any]:
        """Name, folder and each file's SHA-256, for a run's or a report's records."""
        if self.directory is None:  # a profile alone (a row of a region file)
            return {"name": self.name, "folder": self.source or self.folder, "files": {}}
        return {"folder": self.folder, **self.directory.provenance()}

    def places_per_person(self) -> float | None:
        """Places a week per target person the directory offers (None: synthetic resources)."""
        d = self.directory
        return None if d is None else float(sum(d.places)) / max(d.people, 1)

    def thin_directory(self) -> str:
        """A warning if the directory offers far fewer places a week per person than the
        default community of the same size ("" if not, or without a directory)."""
        mine = self.places_per_person()
        if mine is None:
            return ""
        default = default_places_per_person(self.people)
        if mine >= THIN * default:
            return ""
        return (
            f"{self.name}'s directory offers {mine:.2g} places a week per person; the default "
            f"community {default:.2g}. With so few places people take up fewer activities and a "
            "programme has little to match them to, so its effects will be smaller: if the "
            "directory is incomplete, add the area's other groups and places."
        )

    def own_targets(self) -> dict[str, tuple[float, float, str]]:
        """The run checks the area sets itself: measure -> (low, high, source), for the
        calibration check of a run on the area (instead of the default community's)."""
        share = self.profile.living_alone
        lo = max(0.0, share - OWN_SHARE_TOLERANCE)
        hi = min(1.0, share + OWN_SHARE_TOLERANCE)
        return {"living_alone_share": (round(lo, 3), round(hi, 3), "the area's living_alone")}

    def scaling(self, people: int) -> str:
        """What a run of ``people`` target people does to the area's numbers, in one
        sentence ("" at the area's own people): its places, workers and budget are scaled
        by ``people / self.people`` (:meth:`params`, ``ResourceDirectory.table``).

        Examples:
            >>> from netmob.sim.area.profile import Profile
            >>> a = Area("x", Profile(name="Seacliff", people=2500, workers=3, budget=105000), None)
            >>> a.scaling(500)
            "Seacliff's 2,500 people run as 500: its 3 workers (GBP 105,000 a year) are \
scaled to 0.6 full-time (GBP 21,000 a year), keeping workers and places per person as in \
the area."
        """
        if people == self.people:
            return ""
        ratio = people / self.people
        p, things = self.profile, []
        if p.workers is not None:
            cost = f" (GBP {p.budget:,.0f} a year)" if p.budget is not None else ""
            scaled = f" (GBP {p.budget * ratio:,.0f} a year)" if p.budget is not None else ""
            things.append(
                f"its {p.workers:,} workers{cost} are scaled to {p.workers * ratio:.3g} "
                f"full-time{scaled}"
            )
        elif p.budget is not None:
            things.append(
                f"its budget of GBP {p.budget:,.0f} a year is scaled to GBP {p.budget * ratio:,.0f}"
            )
        if self.directory is not None:
            things.append(f"its {len(self.directory):,} resources' places a week by {ratio:.3g}")
        if not things:
            return ""
        return (
            f"{self.name}'s {self.people:,} people run as {people:,}: "
            + " and ".join(things)
            + ", keeping workers and places per person as in the area."
        )

    def params(self, scenario: dict[str, Any] | None = None) -> Params:
        """A run's parameters: the schema's defaults, this area's values over them, the
        ``scenario``'s own overrides (``Scenario.overrides``) over those, and the
        directory. The area's workforce applies to a scenario that runs a programme and
        does not size its workforce itself.

        Raises:
            InputError: if the area and the scenario together are not valid.
        """
        file = self.source or str(Path(self.folder) / prof.FILE)
        own = nest(scenario or {})
        merged = deep_merge(nest(prof.overrides(self.profile)), own)
        try:
            params = Params.from_overrides(merged, file=file)
            sets_workforce = any(k in own.get("programme", {}) for k in WORKFORCE_KEYS)
            if params.programme.preset != "none" and not sets_workforce:
                staff = prof.workforce(self.profile, params.programme.worker_cost, file)
                params = params.with_overrides(staff, file=file) if staff else params
        except InputError as err:
            raise err.in_file(f"{file} with the scenario") from None
        return params.model_copy(update={"directory": self.directory})


@functools.cache
def default_places_per_person(people: int, seed: int = 1) -> float:
    """Places a week per target person in the default community of ``people`` (its
    synthetic resources, drawn for ``seed``)."""
    from netmob.sim.community import build_community
    from netmob.sim.streams import Streams

    params = Params.from_overrides({"population.n_people": people}, file="default community")
    res = build_community(params, Streams(seed)).resources
    return float(np.asarray(res.places).sum()) / people


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_area(folder: str | Path) -> Area:
    """Read and check an area folder.

    Raises:
        InputError: one message naming the file, the row or field, the column, the value
            and what is allowed.
    """
    d = Path(folder)
    if not d.is_dir():
        raise InputError(
            "no such area folder",
            field="--area",
            value=str(folder),
            allowed="a folder with area.yaml and resources.csv (netmob area template DIR)",
        )
    profile = prof.read_profile(d / prof.FILE)
    rows = rsc.read_rows(d / rsc.FILE)
    names = sorted({r.neighbourhood for r in rows}, key=natural)
    code = {name: i for i, name in enumerate(names)}
    directory = ResourceDirectory(
        area=profile.name,
        people=profile.people,
        neighbourhoods=tuple(names),
        files={f: sha256(d / f) for f in (prof.FILE, rsc.FILE)},
        name=tuple(r.name for r in rows),
        kind=tuple(RESOURCE_KINDS.index(r.kind) for r in rows),
        neighbourhood=tuple(code[r.neighbourhood] for r in rows),
        places=tuple(r.places_per_week for r in rows),
        cost=tuple(r.cost_per_visit for r in rows),
        accessibility=tuple(r.accessibility for r in rows),
        open_weeks=tuple(r.open_weeks for r in rows),
        referrals=tuple(r.takes_referrals for r in rows),
    )
    return Area(folder=str(d), profile=profile, directory=directory)


def natural(text: str) -> tuple:
    """A sort key that puts 'neighbourhood 2' before 'neighbourhood 10'."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))


# ---- the template ----------------------------------------------------------------------


def write_template(folder: str | Path, *, people: int | None = None, seed: int = 1) -> list[Path]:
    """Write area.yaml, resources.csv and resources.md into ``folder``, pre-filled with
    netmob's defaults: the resources are those the default community draws for ``seed``.

    Raises:
        InputError: if ``folder`` already holds an area.yaml or resources.csv.
    """
    from netmob.sim.community import build_community
    from netmob.sim.streams import Streams

    d = Path(folder)
    for name in (prof.FILE, rsc.FILE):
        if (d / name).exists():
            raise InputError(
                "the folder already holds an area; the template does not overwrite it",
                file=str(d / name),
                allowed="a new or empty folder",
            )
    over = {} if people is None else {"population.n_people": people}
    params = Params.from_overrides(over, file="command line")
    community = build_community(params, Streams(seed))
    d.mkdir(parents=True, exist_ok=True)
    (d / prof.FILE).write_text(profile_text(params, seed))
    rsc.write_rows(resource_rows(community.resources), d / rsc.FILE)
    (d / rsc.DOC).write_text(rsc.documentation())
    return [d / prof.FILE, d / rsc.FILE, d / rsc.DOC]


def resource_rows(res) -> list[dict[str, Any]]:
    """The rows of resources.csv for a community's resource table (float32 values written
    so that they read back exactly)."""
    import numpy as np

    def f32(x: Any) -> str:
        return np.format_float_positional(np.float32(x), unique=True, trim="0")

    rows, count = [], dict.fromkeys(RESOURCE_KINDS, 0)
    for i in range(len(res)):
        kind = RESOURCE_KINDS[res.kind[i]]
        count[kind] += 1
        rows.append(
            {
                "name": f"{kind.replace('_', ' ')} {count[kind]}",
                "kind": kind,
                "neighbourhood": f"neighbourhood {res.area[i] + 1}",
                "places_per_week": int(res.places[i]),
                "cost_per_visit": f32(res.cost[i]),
                "accessibility": f32(res.accessibility[i]),
                "open_weeks": f32(res.open_weeks[i]),
                "takes_referrals": "yes" if res.referrals[i] else "no",
            }
        )
    return rows


def profile_text(params: Params, seed: int) -> str:
    """area.yaml with every field's unit, meaning and source in a comment above it."""
    flat = params.flat()
    lines = [
        "# netmob area profile: your own place. Check it with `netmob area validate DIR`;",
        "# use it with `netmob run --area DIR` or `netmob compare ... --area DIR`.",
        "#",
        "# Pre-filled with netmob's defaults (each cites its row of docs/EVIDENCE.md in",
        "# netmob's repository, or says 'assumption'). resources.csv beside it holds the",
        f"# resources netmob draws for seed {seed} with these people, so that, untouched, this",
        f"# folder reproduces netmob's default community exactly with --seed {seed}. Replace",
        "# any value with your own.",
        "# Shares are fractions from 0 to 1: write 0.45 for 45%.",
        "",
        "# The area's name, shown in reports and run records.",
        f"name: {prof._Base.model_fields['name'].default}",
    ]
    for key, dotted in prof.FIELDS.items():
        lines += ["", *_comment(dotted), f"{key}: {flat[dotted]!r}"]
    lines += [
        "",
        "# Shares of people with 1, 2, 3, 4 and 5 or more long-term conditions (shares 0-1",
        "# that sum to 1; source N3).",
        "ltc_counts:",
    ]
    for key, dotted in prof.LTC_COUNTS.items():
        lines.append(f"  {key}: {flat[dotted]!r}")
    cost = field_info(prof.WORKER_COST)
    lines += [
        "",
        "# The programme's workforce and budget, if known (null: not known; netmob then",
        "# sizes the workforce from the programme's referrals, P1). Used by scenarios that",
        "# run a programme (genie, plans, connecting_people) and do not set their own.",
        "# Both are for the area's people: a run of fewer people (--people) scales them.",
        "# workers: full-time link workers, facilitators or Connecting People workers (people).",
        "workers: null",
        "# budget: GBP a year for those workers. With workers: each costs budget / workers;",
        f"# alone: as many full-time workers as it pays for (GBP {cost['default']:,.0f} a year",
        f"# each by default, {cost['source']}).",
        "budget: null",
        "",
    ]
    return "\n".join(lines)


# Where the area's words differ from the schema's meaning of the parameter.
WORDING = {
    "population.n_people": "number of people with long-term conditions in the area",
    "population.deprivation": "mean deprivation of the area, from 0 (least deprived) to 1 "
    "(most deprived), e.g. (10 - mean IMD decile) / 9",
}


def _comment(dotted: str) -> list[str]:
    info = field_info(dotted)
    meaning = WORDING.get(dotted, info["meaning"])
    text = f"{meaning} ({info['unit']}, {info['lo']} to {info['hi']}; source: {info['source']})."
    text = text[0].upper() + text[1:]
    words, lines, line = text.split(), [], "#"
    for w in words:
        if len(line) + 1 + len(w) > 88:
            lines.append(line)
            line = "#"
        line += " " + w
    return [*lines, line]
