"""A region of many areas, as a kind of experiment: a paired comparison run in each area.

A *region file* (CSV, one row per area) names each area (column ``name``) and describes
it either by the area-profile fields that differ from netmob's defaults (the keys of
``area.yaml``: ``people``, ``living_alone``, ..., ``ltc_counts.one``, ``workers``,
``budget``; the synthetic resources) or by a column ``area``: the path of an area folder
(``area.yaml`` and ``resources.csv``; relative to the region file). Rows are numbered as a
spreadsheet numbers them (the header is row 1).

Each area is its own community. One task per area and replicate runs every scenario of
the comparison in that area from one seed (:func:`netmob.experiments.compare.run_replicate`,
the comparison's own worker: a region's task is a comparison's task that carries an
area). An area's seed for replicate ``r`` derives from the region's seed, the area's place
and ``r`` (areas are independent communities, as real places are); the replicate's draw
of the uncertain parameters is the same for every area and scenario, so differences stay
paired and the region's intervals carry the shared parameter uncertainty. Results go to
the same store as a comparison's (one design point per area and scenario), written
atomically and resumable: run it again after a kill and every area-replicate is done
exactly once.

Examples:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from netmob.experiments.backends.local import LocalBackend
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "region.csv").write_text("name,people\\nNorth,60\\nSouth,80\\n")
    ...     spec = region_spec(Path(d) / "region.csv", ["baseline", "genie"], weeks=2,
    ...                        replicates=2, seed=1)
    ...     r = run_region(spec, Path(d) / "out", LocalBackend(1), progress=False)
    >>> r.ok, r.runs, spec.people
    (8, 8, 140)
"""

from __future__ import annotations

import csv
import difflib
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from netmob.experiments.backends import Backend
from netmob.experiments.compare import (
    CompareSpec,
    ReplicateTask,
    _drawn,
    compare_spec,
    input_files,
    run_tasks,
)
from netmob.experiments.design import plain
from netmob.experiments.draws import UncertaintySpec, draws
from netmob.experiments.effects import REGION, REGION_KIND
from netmob.experiments.plan import run_seed
from netmob.experiments.runner import SweepReport
from netmob.experiments.specfile import digest_of, file_sha256
from netmob.experiments.store import manifest as store_manifest
from netmob.sim.area import Area, load_area
from netmob.sim.area import profile as prof
from netmob.sim.errors import InputError
from netmob.sim.params import field_info
from netmob.sim.text import read_text

KIND = REGION_KIND  # its manifest's kind; REGION names the whole region's rows
NAME, AREA = "name", "area"
LTC = tuple(f"ltc_counts.{k}" for k in prof.LTC_COUNTS)
PROFILE_COLUMNS = (*prof.FIELDS, *LTC, "workers", "budget")
COLUMNS = (NAME, AREA, *PROFILE_COLUMNS)


@dataclass(frozen=True)
class RegionArea:
    """One area of a region: its name, the checked area, and its row of the region file."""

    name: str
    area: Area
    row: int
    run_people: int | None = None  # an area folder run at another size (its 'people' cell)

    @property
    def people(self) -> int:
        """People with long-term conditions the area's runs have: the area's own, or the
        row's ``people`` beside an area folder (its workers, budget and places scaled)."""
        return self.area.people if self.run_people is None else self.run_people

    def profile(self) -> dict[str, Any]:
        """The area's profile fields by the region file's column names (every field, those
        not given at their defaults); with a resource directory, its places a week per
        person too."""
        p = self.area.profile
        out = {k: getattr(p, k) for k in prof.FIELDS}
        out |= {f"ltc_counts.{k}": getattr(p.ltc_counts, k) for k in prof.LTC_COUNTS}
        d = self.area.directory
        if d is not None:
            out["places_per_person"] = sum(d.places) / max(d.people, 1)
        return out


@dataclass(frozen=True)
class RegionSpec:
    """The question a region answers: a comparison of the same scenarios in every area."""

    file: str
    areas: tuple[RegionArea, ...]
    compares: tuple[CompareSpec, ...]  # one per area, in the region file's order

    @property
    def scenarios(self) -> tuple[str, ...]:
        return self.compares[0].scenarios

    @property
    def replicates(self) -> int:
        return self.compares[0].replicates

    @property
    def seed(self) -> int:
        return self.compares[0].seed

    @property
    def people(self) -> int:
        """People with long-term conditions in the whole region."""
        return sum(a.people for a in self.areas)

    def definition(self) -> dict[str, Any]:
        """What decides the runs: two regions with the same definition give the same
        results."""
        first = self.compares[0].definition()
        return {
            "scenarios": first["scenarios"],
            "areas": [
                {"name": a.name, "params": c.definition()["params"]}
                for a, c in zip(self.areas, self.compares, strict=True)
            ],
            "replicates": first["replicates"],
            "seed": first["seed"],
            "uncertainty": first["uncertainty"],
        }

    def digest(self) -> str:
        """A hash of :meth:`definition` (16 hex digits)."""
        return digest_of(self.definition())


# ---- the region file -------------------------------------------------------------------


def read_region(path: str | Path) -> list[RegionArea]:
    """The checked areas of a region file.

    Raises:
        InputError: one message naming the file, the row, the column, the value and what
            is allowed: for a missing or empty file, an unknown or missing column, a bad
            value, a missing area folder, a name given twice, a row with both an area
            folder and profile fields.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise InputError(
            "no such region file",
            field="REGION",
            value=file,
            allowed="a CSV with one row per area: name, then profile fields or an area folder",
        )
    rows = list(csv.reader(io.StringIO(read_text(path), newline="")))  # UTF-8, or refused
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError("the file is empty", file=file, allowed=_allowed_columns())
    header = [c.strip() for c in rows[0]]
    _check_header(header, file)
    if len(rows) == 1:
        raise InputError("the file has no areas (a header only)", file=file, row=2)
    seen: dict[str, int] = {}
    areas = []
    for n, cells in enumerate(rows[1:], start=2):
        if len(cells) > len(header):
            raise InputError(
                f"the row has {len(cells)} cells, the header {len(header)} columns",
                file=file,
                row=n,
                value=cells,
                allowed="one cell per column of the header",
            )
        given = {h: c.strip() for h, c in zip(header, cells, strict=False) if c.strip()}
        area = _read_row(given, n, path)
        if area.name in seen:
            raise InputError(
                f"the name is given twice (first in row {seen[area.name]})",
                file=file,
                row=n,
                field=NAME,
                value=area.name,
                allowed="a different name for each area",
            )
        seen[area.name] = n
        areas.append(area)
    return areas


def _allowed_columns() -> str:
    return f"'{NAME}', then '{AREA}' (an area folder) or profile fields: " + ", ".join(
        PROFILE_COLUMNS
    )


def _check_header(header: list[str], file: str) -> None:
    for sep, name in ((";", "';'"), ("\t", "tabs")):
        if len(header) == 1 and sep in header[0]:
            raise InputError(
                f"the columns are separated by {name}, not ','",
                file=file,
                row=1,
                value=header[0],
                allowed="a comma-separated file (in Excel, Save As 'CSV UTF-8 (Comma delimited)')",
            )
    for column in header:
        if column not in COLUMNS:
            close = difflib.get_close_matches(column, COLUMNS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise InputError(
                "unknown column", file=file, row=1, field=column, allowed=hint + _allowed_columns()
            )
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise InputError("a column is given twice", file=file, row=1, field=twice[0])
    if NAME not in header:
        raise InputError(
            "no 'name' column", file=file, row=1, value=header, allowed=_allowed_columns()
        )


def _read_row(given: dict[str, str], n: int, path: Path) -> RegionArea:
    file = str(path)
    name = given.get(NAME)
    if not name:
        raise InputError("an area needs a name", file=file, row=n, field=NAME, allowed="text")
    if name == REGION:
        raise InputError(
            "that name stands for the whole region", file=file, row=n, field=NAME, value=name
        )
    fields = {k: v for k, v in given.items() if k not in (NAME, AREA)}
    if AREA in given:
        run_people = _run_people(fields.pop("people", None), file, n)
        if fields:
            column = next(iter(fields))
            raise InputError(
                "a row gives either an area folder or profile fields, not both",
                file=file,
                row=n,
                field=column,
                value=fields[column],
                allowed=f"an empty cell (the folder's area.yaml holds the profile; 'people' "
                f"runs it at another size), or no '{AREA}'",
            )
        folder = Path(given[AREA])
        folder = folder if folder.is_absolute() else path.parent / folder
        if not folder.is_dir():
            raise InputError(
                "no such area folder",
                file=file,
                row=n,
                field=AREA,
                value=given[AREA],
                allowed="a folder with area.yaml and resources.csv (netmob area template DIR), "
                f"absolute or relative to {path.parent}",
            )
        return RegionArea(name=name, area=load_area(folder), row=n, run_people=run_people)
    doc: dict[str, Any] = {"name": name}
    for k, v in fields.items():
        if k.startswith("ltc_counts."):
            doc.setdefault("ltc_counts", {})[k.removeprefix("ltc_counts.")] = _number(v)
        else:
            doc[k] = _number(v)
    try:
        profile = prof.check_profile(doc, file)
    except InputError as err:
        raise InputError(
            err.reason,
            file=file,
            row=n,
            field=err.field or None,
            value=err.value,
            allowed=err.allowed,
        ) from None
    source = f"{file} row {n}"
    return RegionArea(
        name=name, area=Area(folder=source, profile=profile, directory=None, source=source), row=n
    )


def _run_people(cell: str | None, file: str, row: int) -> int | None:
    """The ``people`` cell beside an area folder: the area run at that size (None: its own).

    Raises:
        InputError: if it is not a whole number within the schema's bounds.
    """
    if cell is None:
        return None
    info = field_info("population.n_people")
    value = _number(cell)
    if not isinstance(value, int) or not info["lo"] <= value <= info["hi"]:
        raise InputError(
            "not a number of people",
            file=file,
            row=row,
            field="people",
            value=cell,
            allowed=f"a whole number from {info['lo']} to {info['hi']:,} (the area's workers, "
            "budget and places are scaled to it), or an empty cell for the area's own",
        )
    return value


def _number(text: str) -> Any:
    """A cell as a whole number or a number if it reads as one, else the text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


# ---- the plan ---------------------------------------------------------------------------


def region_spec(
    path: str | Path,
    scenarios: list[str],
    *,
    weeks: int | None,
    replicates: int,
    seed: int,
    uncertainty: str | Path | UncertaintySpec | None = None,
) -> RegionSpec:
    """Check and resolve a region before any run: every area's comparison at the area's
    people (:func:`netmob.experiments.compare.compare_spec` with the area).

    Raises:
        InputError: for a bad region file, or what ``compare_spec`` refuses.
    """
    areas = read_region(path)
    compares = tuple(
        compare_spec(
            scenarios,
            people=a.people,
            weeks=weeks,
            replicates=replicates,
            seed=seed,
            uncertainty=uncertainty,
            area=a.area,
        )
        for a in areas
    )
    return RegionSpec(file=str(Path(path).resolve()), areas=tuple(areas), compares=compares)


def area_seed(seed: int, area: int, replicate: int) -> int:
    """The seed of area ``area`` (its place in the region file) in replicate ``replicate``."""
    return run_seed(seed, point=area, replicate=replicate, crn=False)


def plan(spec: RegionSpec) -> list[ReplicateTask]:
    """One task per replicate and area (replicate by replicate, so a partly finished
    region covers every area evenly), each area's scenarios with the replicate's draw."""
    first = spec.compares[0]
    drawn = pd.DataFrame(index=range(spec.replicates))
    if first.uncertainty is not None:
        drawn = draws(first.uncertainty, spec.replicates, spec.seed)
    token = uuid.uuid4().hex[:8]
    n_areas, n_scen = len(spec.areas), len(spec.scenarios)
    tasks = []
    for r in range(spec.replicates):
        draw = plain(drawn.iloc[r])
        for a, (area, cs) in enumerate(zip(spec.areas, spec.compares, strict=True)):
            params = {name: _drawn(cs, name, p, draw) for name, p in cs.params.items()}
            tasks.append(
                ReplicateTask(
                    key=f"netmob-region-{spec.digest()}-{token}-{r}-{a}",
                    replicate=r,
                    seed=area_seed(spec.seed, a, r),
                    scenarios=tuple((name, p.model_dump()) for name, p in params.items()),
                    draw=draw,
                    area=area.name,
                    slot=r * n_areas + a,
                    first_point=a * n_scen,
                )
            )
    return tasks


def points(spec: RegionSpec) -> pd.DataFrame:
    """The design points: one per area and scenario."""
    rows = [(a.name, s) for a in spec.areas for s in spec.scenarios]
    return pd.DataFrame(
        {
            "point": range(len(rows)),
            "area": [a for a, _ in rows],
            "scenario": [s for _, s in rows],
        }
    )


def manifest(spec: RegionSpec) -> dict[str, Any]:
    """The manifest of a new region of ``spec``."""
    first = spec.compares[0]
    return store_manifest(
        KIND,
        f"{Path(spec.file).stem}: "
        + " vs ".join(spec.scenarios[1:])
        + f" against {spec.scenarios[0]} in {len(spec.areas)} areas",
        spec.definition(),
        design="paired, per area",
        points=len(spec.areas) * len(spec.scenarios),
        replicates=spec.replicates,
        scenarios=list(spec.scenarios),
        descriptions=first.descriptions,
        areas=[a.name for a in spec.areas],
        people={a.name: a.people for a in spec.areas},
        profiles={a.name: a.profile() for a in spec.areas},
        settings=first.settings() | {"people": spec.people, "areas": len(spec.areas)},
        files={
            **input_files(first),
            "area": None,
            "region": {"file": spec.file, "sha256": file_sha256(spec.file)},
            "areas": {a.name: a.area.provenance() for a in spec.areas},
        },
    )


def run_region(
    spec: RegionSpec,
    out: str | Path,
    backend: Backend,
    *,
    chunk: int = 1,
    progress: bool = True,
    on_done: Callable[[int, int], None] | None = None,
) -> SweepReport:
    """Run every area-replicate of ``spec`` not yet whole in ``out`` on ``backend``.

    An area-replicate whose runs did not all finish well is run again (whole) on the next
    session; one that fails does not stop the others.

    Raises:
        InputError: if ``out`` holds another question, or another session is writing it.
    """
    return run_tasks(
        plan(spec), manifest(spec), points(spec), spec.file, out, backend,
        scenarios=len(spec.scenarios), chunk=chunk, progress=progress, on_done=on_done,
    )  # fmt: skip
