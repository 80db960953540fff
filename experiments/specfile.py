"""Spec files: one language for "a parameter over a range, from a YAML file".

A sweep spec (``experiments/*.yaml``), an uncertainty spec (``experiments/uncertainty/``),
a calibration spec (``experiments/calibration/``) and the EMA Workbench adapter all name
schema parameters over ranges. Each such entry is a :class:`ParamRange`, checked against
the schema (:mod:`netmob.sim.params`) in one place: a known name (else the names it is
close to), values the schema accepts, a range inside the schema's bounds (a share written
as a percentage is told so), whole-number bounds for a whole-number parameter, and a
distribution. Written in YAML, a range is one of::

    pathways.nudge: [false, true]                   # values
    attendance.barrier_scale: {lo: 0.5, hi: 2, levels: 4}   # a range (grid: levels)
    pathways.advance: {dist: loguniform, lo: 0.02, hi: 0.3}  # a range, drawn log-uniformly
    pathways.regress: bounds                        # the schema's bounds (a switch: both)

each kind of spec allowing the keys that mean something to it (:class:`Where`).

Each kind of spec is a :class:`SpecFile`: found by name in its library folder or by path,
read strictly (a key given twice is an error and ``1e-3`` is a number:
:func:`netmob.sim.scenario.read_yaml`), optionally ``extends`` another of its kind (each
key it gives replaces the other's whole; its name and description are its own), run on an area folder if asked, and known by its
:meth:`~SpecFile.definition`: what decides its results, not its name or file, hashed by
:func:`digest_of`. Every problem stops with one :class:`~netmob.sim.errors.InputError`
naming the file, the field, the value and what is allowed.

Examples:
    >>> ParamRange.read("pathways.advance", {"lo": 0.05, "hi": 0.2}).bounds
    (0.05, 0.2)
    >>> ParamRange.read("pathways.nudge", "bounds").values
    (False, True)
    >>> ParamRange.read("pathways.advanse", [0.1])
    Traceback (most recent call last):
    ...
    netmob.sim.errors.InputError: field 'pathways.advanse': unknown parameter; allowed: pathways.advance, ...
"""

from __future__ import annotations

import hashlib
import json
import math
import typing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

from netmob.sim.area import Area
from netmob.sim.errors import InputError
from netmob.sim.params import GROUPS, Params, field_info, nest
from netmob.sim.scenario import read_mapping

EXPERIMENTS = Path(__file__).resolve().parent  # the spec libraries live under it
DISTS = ("uniform", "loguniform")
Dist = Literal["uniform", "loguniform"]
RANGE_KEYS = ("values", "dist", "lo", "hi", "levels")  # what a range may have


# ---- hashes ---------------------------------------------------------------------------------


def digest_of(definition: Any) -> str:
    """A hash of an experiment's definition (16 hex digits): the same definition, the same
    digest (sweeps, comparisons and calibrations refuse a folder of another).

    Examples:
        >>> digest_of({"seed": 1}) == digest_of({"seed": 1}) != digest_of({"seed": 2})
        True
    """
    text = json.dumps(definition, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def file_sha256(path: str | Path) -> str | None:
    """The SHA-256 of a file's bytes (64 hex digits), or None if it cannot be read: the
    hash every experiment keeps of the files its question was read from."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


# ---- one parameter over a range ---------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Where a range is written, for its messages, and what its spec allows there.

    Attributes:
        file: The file it is in, if any.
        field: Its field (``vary.pathways.advance``); None: the parameter's name.
        keys: The keys a range may have in this kind of spec (``values`` also allows a
            plain list; ``dist`` a distribution).
        keyed: True when ``lo``, ``hi``, ... are named keys of the field (YAML), so a
            message names ``vary.x.hi``; False when the range is written as one thing (an
            EMA pair, a posterior's column), so a message names the field itself.
        point: Whether ``lo == hi`` is allowed (a posterior's column of one particle).
    """

    file: str | None = None
    field: str | None = None
    keys: tuple[str, ...] = RANGE_KEYS
    keyed: bool = True
    point: bool = False

    def at(self, name: str, key: str | None = None) -> str:
        """The field a message names: the range's, or one of its keys'."""
        field = self.field or name
        return f"{field}.{key}" if key is not None and self.keyed else field

    def syntax(self) -> str:
        """What may be written for a range here, in words."""
        shape = "{" + ", ".join(k for k in ("dist", "lo", "hi", "levels") if k in self.keys) + "}"
        values = "a list of values, " if "values" in self.keys else ""
        return f"{values}a range {shape}, or 'bounds' (the schema's)"


def parameter_info(name: Any, where: Where | None = None) -> dict[str, Any]:
    """The schema's metadata of a parameter (:func:`netmob.sim.params.field_info`).

    Raises:
        InputError: for a name the schema does not have, naming those it is close to.
    """
    where = where or Where()
    if not isinstance(name, str):
        raise InputError(
            "parameter names are text",
            file=where.file,
            field=where.field,
            value=name,
            allowed="group.name, e.g. pathways.advance",
        )
    try:
        return field_info(name)
    except InputError as err:
        raise InputError(
            "unknown parameter", file=where.file, field=where.at(name), allowed=err.allowed
        ) from None


def literal_values(name: str) -> tuple[Any, ...]:
    """The values a choice parameter (a ``Literal``) may take; empty for any other."""
    group, _, field = name.partition(".")
    annotation = GROUPS[group].model_fields[field].annotation
    return typing.get_args(annotation) if typing.get_origin(annotation) is Literal else ()


def range_text(info: dict[str, Any]) -> str:
    """What a parameter may range over, in words (``numbers from 0 to 5 (ratio)``)."""
    if info["lo"] is None:
        return f"a list of values ({info['type']})"
    kind = "whole numbers" if info["type"] == "int" else "numbers"
    return f"{kind} from {info['lo']} to {info['hi']} ({info['unit']})"


class ParamRange(BaseModel):
    """One schema parameter over a range or a list of values: what a sweep varies, an
    uncertainty spec draws, a calibration's prior covers, an EMA parameter samples.

    Built from what a spec writes (:meth:`read`) or directly, it is checked against the
    schema either way (a :class:`Where` as pydantic's context names the file and field in
    messages). ``integer`` is the schema's (a whole-number parameter), never a choice.

    Examples:
        >>> ParamRange(name="programme.workers", lo=2, hi=6).integer
        True
        >>> ParamRange(name="attendance.barrier_scale", lo=0.5, hi=9)
        Traceback (most recent call last):
        ...
        netmob.sim.errors.InputError: field 'attendance.barrier_scale.hi': outside the schema's bounds (got 9); allowed: numbers from 0 to 5 (ratio)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    values: tuple[Any, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    levels: int | None = None
    integer: bool = False
    dist: Dist = "uniform"

    @classmethod
    def read(cls, name: Any, spec: Any, where: Where | None = None) -> ParamRange:
        """A range as a spec writes it: a list of values, a mapping of ``where.keys``, or
        ``bounds`` (or nothing) for the schema's bounds (a switch: both values; a choice:
        every choice).

        Raises:
            InputError: naming the file, the field, the value and what is allowed.
        """
        where = where or Where()
        parameter_info(name, where)  # an unknown name is the first thing to say
        if spec is None or spec == "bounds":
            spec = {}
        if isinstance(spec, dict) and set(spec) == {"values"} and "values" in where.keys:
            spec = spec["values"]
        if isinstance(spec, list) and "values" in where.keys:
            spec = {"values": spec}
        if not isinstance(spec, dict):
            raise InputError(
                f"give {where.syntax()}",
                file=where.file,
                field=where.at(name),
                value=spec,
                allowed=range_text(field_info(name)),
            )
        for key in spec:
            if key not in where.keys:
                raise InputError(
                    "unknown key",
                    file=where.file,
                    field=where.at(name, str(key)),
                    allowed=", ".join(where.keys),
                )
        return cls.model_validate({"name": name, **spec}, context=where)

    @property
    def is_range(self) -> bool:
        """True for a range, False for a list of values."""
        return self.values is None

    @property
    def bounds(self) -> tuple[float, float]:
        """``(lo, hi)`` of a range.

        Raises:
            TypeError: for a list of values (a programming error: ask :attr:`is_range`).
        """
        if self.lo is None or self.hi is None:
            raise TypeError(f"{self.name} is a list of values, not a range")
        return self.lo, self.hi

    @property
    def choices(self) -> tuple[Any, ...]:
        """The values of a list of values.

        Raises:
            TypeError: for a range (a programming error: ask :attr:`is_range`).
        """
        if self.values is None:
            raise TypeError(f"{self.name} is a range, not a list of values")
        return self.values

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any, info: ValidationInfo) -> Any:
        """Every check against the schema, on what was given, giving the canonical fields."""
        if not isinstance(data, dict):
            return data  # pydantic says what it wanted
        where = info.context if isinstance(info.context, Where) else Where()
        return _checked(dict(data), where)


def _checked(data: dict[str, Any], where: Where) -> dict[str, Any]:
    """A range's fields as given, checked against the schema: its canonical fields."""
    name = data.get("name")
    schema = parameter_info(name, where)
    assert isinstance(name, str)  # parameter_info refused anything else
    integer = schema["type"] == "int"
    if data.get("integer", integer) != integer:
        raise InputError(
            "integer is the schema's: whether the parameter is a whole number",
            file=where.file,
            field=where.at(name, "integer"),
            value=data["integer"],
            allowed=str(integer).lower(),
        )
    out: dict[str, Any] = {"name": name, "integer": integer}
    if "dist" in data:
        out["dist"] = _dist(data["dist"], name, where)
    if data.get("values") is not None:
        return out | {"values": _values(data, name, schema, where)}
    ranged = any(data.get(k) is not None for k in ("lo", "hi", "levels"))
    if schema["lo"] is None:  # a switch, a choice or text: a list of values
        if not ranged:
            every = {"values": _all_values(name, schema, where)}
            return out | {"values": _values(every, name, schema, where)}
        raise InputError(
            "a range needs a numeric parameter",
            file=where.file,
            field=where.at(name),
            value={k: data[k] for k in ("lo", "hi", "levels") if data.get(k) is not None},
            allowed=range_text(schema),
        )
    lo = _bound(data, "lo", name, schema, where)
    hi = _bound(data, "hi", name, schema, where)
    if not (lo <= hi if where.point else lo < hi):
        raise InputError(
            "need lo < hi",
            file=where.file,
            field=where.at(name),
            value=[lo, hi],
            allowed=f"lo < hi, {range_text(schema)}; for one value, fix the parameter instead",
        )
    if out.get("dist") == "loguniform" and integer:
        raise InputError(
            "a log-uniform range needs a real-valued parameter",
            file=where.file,
            field=where.at(name, "dist"),
            value="loguniform",
            allowed="uniform (the default) for a whole-number parameter",
        )
    if out.get("dist") == "loguniform" and lo <= 0:
        raise InputError(
            "a log-uniform range needs lo above 0",
            file=where.file,
            field=where.at(name, "lo"),
            value=lo,
            allowed=f"lo above 0, {range_text(schema)}",
        )
    levels = data.get("levels")
    if levels is not None and (type(levels) is not int or levels < 2):
        raise InputError(
            "levels must be a whole number, 2 or more",
            file=where.file,
            field=where.at(name, "levels"),
            value=levels,
            allowed="2, 3, 4, ...",
        )
    return out | {"lo": lo, "hi": hi, "levels": levels}


def _dist(value: Any, name: str, where: Where) -> str:
    if value not in DISTS:
        raise InputError(
            "unknown distribution",
            file=where.file,
            field=where.at(name, "dist"),
            value=value,
            allowed=", ".join(DISTS),
        )
    return str(value)


def _all_values(name: str, schema: dict[str, Any], where: Where) -> list[Any]:
    """A switch's two values, or a choice's choices; text has none to take."""
    if schema["type"] == "bool":
        return [False, True]
    if literal_values(name):
        return list(literal_values(name))
    raise InputError(
        "give the values to try",
        file=where.file,
        field=where.at(name),
        allowed=f"a list of values ({schema['type']})",
    )


def _values(
    data: dict[str, Any], name: str, schema: dict[str, Any], where: Where
) -> tuple[Any, ...]:
    """Each value checked against the schema, in its canonical type; none repeated."""
    values = data["values"]
    given = [k for k in ("lo", "hi", "levels", "dist") if data.get(k) is not None]
    if given:
        raise InputError(
            f"values cannot go with {', '.join(given)}",
            file=where.file,
            field=where.at(name),
            value=data,
            allowed="either values or a range",
        )
    if not isinstance(values, list | tuple) or not values:
        raise InputError(
            "the list of values is empty" if isinstance(values, list | tuple) else "not a list",
            file=where.file,
            field=where.at(name),
            value=values,
            allowed="one or more values",
        )
    out = [_value(v, f"{where.at(name)}[{i}]", name, schema, where) for i, v in enumerate(values)]
    if len({repr(v) for v in out}) < len(out):
        raise InputError(
            "a value is repeated",
            file=where.file,
            field=where.at(name),
            value=list(values),
            allowed="distinct values",
        )
    return tuple(out)


def _value(value: Any, field: str, name: str, schema: dict[str, Any], where: Where) -> Any:
    """One value as the schema reads it."""
    if _number(value) and schema["lo"] is not None and not schema["lo"] <= value <= schema["hi"]:
        raise InputError(
            _outside(value, schema),
            file=where.file,
            field=field,
            value=value,
            allowed=range_text(schema),
        )
    try:
        return apply(Params(), {name: value}, where.file).flat()[name]
    except InputError as err:
        raise InputError(
            err.reason,
            file=where.file,
            field=field,
            value=value,
            allowed=err.allowed or range_text(schema),
        ) from None


def _bound(
    data: dict[str, Any], key: str, name: str, schema: dict[str, Any], where: Where
) -> float:
    """``lo`` or ``hi`` of a range: a number within the schema's bounds (default: them)."""
    value = data.get(key)
    value = schema[key] if value is None else value
    ok = _number(value) and math.isfinite(value)
    if ok and schema["type"] == "int":
        ok = float(value).is_integer()
    if not ok or not schema["lo"] <= value <= schema["hi"]:
        raise InputError(
            _outside(value, schema) if ok else "not a valid bound",
            file=where.file,
            field=where.at(name, key),
            value=value,
            allowed=range_text(schema),
        )
    return float(value)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _outside(value: float, schema: dict[str, Any]) -> str:
    """Outside the schema's bounds, saying so when it looks like a percentage (45 for 0.45)."""
    if (schema["lo"], schema["hi"]) == (0, 1) and 1 < value <= 100:
        return (
            f"outside the schema's bounds: {value:g} looks like a percentage "
            f"(write {value / 100:g} for {value:g}%)"
        )
    return "outside the schema's bounds"


def read_ranges(
    mapping: Any, where: Where, *, what: str = "parameter: values or range pairs"
) -> tuple[ParamRange, ...]:
    """The ranges of a spec's mapping (``vary``, ``priors``), each read by
    :meth:`ParamRange.read` at ``where.field`` + its name. None is an empty mapping."""
    field = where.field or ""
    if mapping is None:
        return ()
    if not isinstance(mapping, dict):
        raise InputError("must be a mapping", file=where.file, field=field, value=mapping,
                         allowed=what)  # fmt: skip
    for key in mapping:
        if not isinstance(key, str):
            raise InputError(
                "parameter names are text",
                file=where.file,
                field=field,
                value=key,
                allowed="group.name, e.g. pathways.advance",
            )
    return tuple(
        ParamRange.read(name, spec, replace(where, field=f"{field}.{name}"))
        for name, spec in mapping.items()
    )


# ---- parameters fixed for every run -----------------------------------------------------------


def apply(params: Params, overrides: dict[str, Any], file: str | None) -> Params:
    """``params.with_overrides(overrides)``; a value the schema's own checks trip over
    (e.g. a list where a name belongs) is an InputError too, never a crash."""
    try:
        return params.with_overrides(overrides, file=file)
    except (TypeError, ValueError, AttributeError) as err:
        field = next(iter(overrides), None) if len(overrides) == 1 else None
        raise InputError(
            f"the schema cannot read this value ({type(err).__name__}: {err})",
            file=file,
            field=field,
            value=overrides.get(field, overrides) if field else overrides,
            allowed="values of the type `netmob params` shows",
        ) from None


def fixed_params(params: Any, file: str) -> dict[str, Any]:
    """A spec's ``params`` (fixed overrides, nested or dotted) as ``{"group.name": value}``.

    Raises:
        InputError: for a value that is not a mapping of parameters, naming ``params``.
    """
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise InputError(
            "must be a mapping of parameters",
            file=file,
            field="params",
            value=params,
            allowed="group.name: value pairs",
        )
    try:
        nested = nest(params, file=file)
    except InputError as err:
        raise prefixed(err, "params", file) from None
    flat: dict[str, Any] = {}
    for group, values in nested.items():
        if isinstance(values, dict):
            flat.update({f"{group}.{k}": v for k, v in values.items()})
        else:
            flat[group] = values
    return flat


def prefixed(err: InputError, prefix: str, file: str | None) -> InputError:
    """The same error with its field under ``prefix`` (e.g. ``params.ties.meet``)."""
    field = f"{prefix}.{err.field}" if err.field else prefix
    return InputError(
        err.reason, file=err.file or file, field=field, value=err.value, allowed=err.allowed
    )


def shipped_posterior() -> Path:
    """The posterior that ships with netmob (``experiments/calibration/posterior.parquet``)."""
    return EXPERIMENTS / "calibration" / "posterior.parquet"


# ---- a spec file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A spec file as read: its path and its top-level keys (over those of the spec it
    extends, if any)."""

    path: Path
    raw: dict[str, Any]

    @property
    def file(self) -> str:
        return str(self.path)

    def header(self) -> dict[str, Any]:
        """The fields every spec has: its name (default: the file's), description, file."""
        return {
            "name": self.raw.get("name") or self.path.stem,
            "description": " ".join(str(self.raw.get("description") or "").split()),
            "file": self.file,
        }


class SpecFile(BaseModel):
    """What every kind of spec file has: a name, a description, the file it came from, an
    optional area folder its runs use, and a definition (what decides its results).

    A kind says what it is (``KIND``), where its library is (``FOLDER``, under
    ``experiments/``) and which top-level keys it reads (``KEYS``, with ``name``,
    ``description`` and ``extends``), and builds itself from :meth:`read`.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    KIND: ClassVar[str] = "spec"
    FOLDER: ClassVar[str] = ""
    KEYS: ClassVar[tuple[str, ...]] = ("name", "description", "extends")
    OPTION: ClassVar[str | None] = None  # the command-line option that names one, if any

    name: str
    description: str = ""
    file: str | None = None
    # An area folder (netmob.sim.area.Area): every run on its people and resources.
    area: Area | None = None

    @classmethod
    def folder(cls) -> Path:
        """The kind's library: ``experiments/`` + ``FOLDER``."""
        return EXPERIMENTS / cls.FOLDER

    @classmethod
    def library(cls) -> list[str]:
        """Names of the specs of this kind shipped in its library, sorted."""
        return sorted(p.stem for p in cls.folder().glob("*.yaml"))

    @classmethod
    def resolve(cls, ref: str | Path) -> Path:
        """A spec reference (a path, or the name of a spec in the library) as a path.

        Raises:
            InputError: naming the reference and the specs the library holds.
        """
        for candidate in (Path(ref), cls.folder() / f"{ref}.yaml"):
            if candidate.is_file():
                return candidate.resolve()
        where = cls.folder().relative_to(EXPERIMENTS.parent).as_posix()
        raise InputError(
            f"{cls.KIND} not found: no such file and no spec of that name in {where}/",
            field=cls.OPTION,
            value=str(ref),
            allowed=", ".join(cls.library()) or "a YAML file",
        )

    @classmethod
    def read(cls, ref: str | Path) -> Document:
        """The spec file ``ref`` read strictly, its keys checked, over the spec it
        ``extends`` (a name in the library or a path; each key it gives replaces the other's
        whole; its name and description are its own; that one may extend no other).

        Raises:
            InputError: for a missing file, bad YAML, an unknown key, a name or description
                that is not text, or a bad ``extends``.
        """
        path = cls.resolve(ref)
        raw = read_mapping(path, cls.KEYS, cls.KIND)
        if "extends" in raw:
            below = cls._below(raw["extends"], path)
            own = ("extends", "name", "description")  # about this file, not the other
            raw = {k: v for k, v in below.items() if k not in own} | {
                k: v for k, v in raw.items() if k != "extends"
            }
        for key in ("name", "description"):
            if raw.get(key) is not None and not isinstance(raw[key], str):
                raise InputError(
                    "must be text", file=str(path), field=key, value=raw[key], allowed="a string"
                )
        return Document(path=path, raw=raw)

    @classmethod
    def _below(cls, ref: Any, path: Path) -> dict[str, Any]:
        """The keys of the spec that ``path`` extends."""
        if not isinstance(ref, str):
            raise InputError(
                "must be text",
                file=str(path),
                field="extends",
                value=ref,
                allowed=f"the name or path of another {cls.KIND}",
            )
        beside = path.parent / (ref if "/" in ref or ref.endswith(".yaml") else f"{ref}.yaml")
        try:
            base = cls.resolve(beside if beside.is_file() else ref)
        except InputError as err:
            raise InputError(
                f"the {cls.KIND} it extends is not found",
                file=str(path),
                field="extends",
                value=ref,
                allowed=err.allowed,
            ) from None
        if base == path:
            raise InputError(
                "a spec cannot extend itself",
                file=str(path),
                field="extends",
                value=ref,
                allowed=f"another {cls.KIND}",
            )
        below = read_mapping(base, cls.KEYS, cls.KIND)
        if "extends" in below:
            raise InputError(
                "a spec may extend one that extends no other",
                file=str(path),
                field="extends",
                value=ref,
                allowed="a spec without extends",
            )
        return below

    def definition(self) -> dict[str, Any]:
        """What decides the results: two specs with the same definition give the same
        results (name, description and file do not count; an area counts by its content,
        not its folder)."""
        raise NotImplementedError

    def digest(self) -> str:
        """A hash of :meth:`definition` (16 hex digits)."""
        return digest_of(self.definition())

    def area_record(self, folder: bool = True) -> dict[str, Any] | None:
        """The area's provenance (name, files' SHA-256, directory digest; and its folder),
        or None without an area."""
        if self.area is None:
            return None
        record = self.area.provenance()
        return record if folder else {k: v for k, v in record.items() if k != "folder"}

    def with_area_definition(self, definition: dict[str, Any]) -> dict[str, Any]:
        """``definition`` with the area's content, if the spec runs on one."""
        return definition | ({"area": self.area_record(folder=False)} if self.area else {})

    def on_area(self, area: Area) -> Self:
        """The same spec with its runs on ``area`` (:class:`netmob.sim.area.Area`).

        Raises:
            InputError: if the spec and the area together are not valid.
        """
        return self.model_copy(update={"area": area})
