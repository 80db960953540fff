"""Scenario files: named parameter overrides, validated against the schema, with ``extends``.

A scenario file is YAML (loaded safely: nothing in it can run code)::

    name: genie_more_workers
    description: GENIE with two more link workers.
    extends: genie          # another scenario: a name in the library or a relative path
    params:                 # overrides, nested or dotted, validated against sim/params.py
      programme.workers: 6

Chains of ``extends`` are followed to the root; a cycle, a missing parent, an unknown
field, a wrong type or a value out of bounds stops with one :class:`InputError` naming the
file, the field, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netmob.sim.errors import InputError
from netmob.sim.params import Params, deep_merge, nest
from netmob.sim.text import read_text

KEYS = ("name", "description", "extends", "params")


def library_dir() -> Path:
    """The scenario library: ``$NETMOB_SCENARIOS`` or the shipped ``netmob.scenarios``."""
    from netmob.scenarios import folder

    env = os.environ.get("NETMOB_SCENARIOS")
    return Path(env) if env else folder()


@dataclass
class Scenario:
    """A resolved scenario: its parameters and where they came from."""

    name: str
    description: str
    params: Params
    overrides: dict[str, Any] = field(default_factory=dict)
    chain: list[str] = field(default_factory=list)  # this file, its parent, ... the root
    file: str | None = None


def library() -> list[str]:
    """Names of the scenarios in the library, sorted."""
    d = library_dir()
    return sorted(p.stem for p in d.glob("*.yaml")) if d.is_dir() else []


def resolve_path(ref: str | Path, *, relative_to: Path | None = None) -> Path:
    """A scenario reference (path or library name) as an existing path."""
    ref = str(ref)
    candidates = []
    if relative_to is not None:
        candidates += [relative_to / ref, relative_to / f"{ref}.yaml"]
    candidates += [Path(ref), library_dir() / f"{ref}.yaml", library_dir() / ref]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    close = difflib.get_close_matches(Path(ref).stem, library(), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise InputError(
        f"scenario not found: no such file and no scenario of that name in the library{hint}",
        value=ref,
        allowed=", ".join(library()) or f"a YAML file (library {library_dir()} is empty)",
    )


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader (no tags that run code), stricter in two ways: a key given
    twice in one mapping is an error (not silently the last one), and ``1e-3`` is a number
    as in YAML 1.2 and JSON (PyYAML's YAML 1.1 wants ``1.0e-3`` and reads it as text)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node.start_mark)
                except TypeError:  # an unhashable key: the safe loader's own error says so
                    continue
                if first is not key_node.start_mark:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"the key {key!r} is given twice (first at line {first.line + 1}); "
                        "give each key once",
                        key_node.start_mark,
                    )
        return super().construct_mapping(node, deep)


# A number with an exponent and no point (``1e-3``, ``0E0``): a float, as in YAML 1.2.
EXPONENT_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT_FLOAT, list("-+.0123456789"))


def read_yaml(path: Path) -> Any:
    """The document in a YAML file, loaded safely (no tags that run code) by
    :class:`StrictLoader`: a key given twice is an error.

    Raises:
        InputError: naming the file, and the line and column of a syntax error.
    """
    if path.is_dir():
        raise InputError("is a folder, not a file", file=str(path), allowed="a YAML file")
    try:
        text = read_text(path)  # UTF-8, or refused naming the file's encoding
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise InputError(f"not valid YAML{where}: {problem}", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the file: {err}", file=str(path)) from None


def read_mapping(path: Path, keys: tuple[str, ...], what: str) -> dict[str, Any]:
    """The YAML mapping in ``path``, its top-level keys checked.

    Raises:
        InputError: if the file is empty, not a mapping or has a key outside ``keys``.
    """
    doc = read_yaml(path)
    if doc is None:
        raise InputError(
            f"the file is empty: {_a(what)} needs at least one key",
            file=str(path),
            allowed="keys " + ", ".join(keys),
        )
    if not isinstance(doc, dict):
        raise InputError(
            f"{_a(what)} must be a YAML mapping",
            file=str(path),
            value=type(doc).__name__,
            allowed="keys " + ", ".join(keys),
        )
    for key in doc:
        if key not in keys:
            raise InputError("unknown key", file=str(path), field=str(key), allowed=", ".join(keys))
    return doc


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def read_document(path: Path) -> dict[str, Any]:
    """The YAML mapping in ``path``, checked for its keys' names and types."""
    doc = read_mapping(path, KEYS, "scenario")
    for key in ("name", "description", "extends"):
        if key in doc and not isinstance(doc[key], str):
            raise InputError(
                "must be text", file=str(path), field=key, value=doc[key], allowed="a string"
            )
    if "params" in doc and doc["params"] is not None and not isinstance(doc["params"], dict):
        raise InputError(
            "must be a mapping of parameters",
            file=str(path),
            field="params",
            value=doc["params"],
            allowed="group.name: value pairs",
        )
    return doc


def load_scenario(ref: str | Path, *, _seen: tuple[Path, ...] = ()) -> Scenario:
    """Load a scenario (a library name or a path), following ``extends`` to its root.

    Raises:
        InputError: for any problem, naming the file and the field.
    """
    path = ref if isinstance(ref, Path) and ref.is_absolute() else resolve_path(ref)
    if path in _seen:
        cycle = " -> ".join(p.stem for p in (*_seen, path))
        raise InputError(
            f"'extends' makes a cycle: {cycle}",
            file=str(path),
            field="extends",
            allowed="a chain that ends in a scenario without 'extends'",
        )
    doc = read_document(path)
    own = nest(doc.get("params") or {}, file=str(path))
    parent_overrides: dict[str, Any] = {}
    chain = [path.stem]
    if "extends" in doc:
        try:
            parent_path = resolve_path(doc["extends"], relative_to=path.parent)
        except InputError as err:
            raise InputError(
                err.reason,
                file=str(path),
                field="extends",
                value=doc["extends"],
                allowed=err.allowed,
            ) from None
        parent = load_scenario(parent_path, _seen=(*_seen, path))
        parent_overrides, chain = parent.overrides, chain + parent.chain
    merged = deep_merge(parent_overrides, own)
    params = Params.from_overrides(merged, file=str(path))
    return Scenario(
        name=doc.get("name", path.stem),
        description=" ".join(doc.get("description", "").split()),
        params=params,
        overrides=merged,
        chain=chain,
        file=str(path),
    )
