"""What changed between the question an experiment directory holds and the one asked now,
named as the user asked it: the option (``--area``, ``--people``, ``--replicates``, ...)
or the spec's field, with the value before and now.

Examples:
    >>> before = {"scenarios": ["baseline", "genie"], "replicates": 4, "seed": 1,
    ...           "area": {"name": "Seacliff", "digest": "ab12"}}
    >>> after = {k: v for k, v in before.items() if k != "area"}
    >>> what_changed(before, after)
    ('--area', "the area 'Seacliff'", 'none (the default community)')
"""

from __future__ import annotations

from typing import Any

# a comparison's or region's definition key -> the option that sets it
OPTIONS = {
    "area": "--area",
    "replicates": "--replicates",
    "seed": "--seed",
    "uncertainty": "--uncertainty",
    "scenarios": "SCENARIO",
    "areas": "the region file's areas",
}
# a run parameter -> the option that sets it
PARAM_OPTIONS = {"population.n_people": "--people", "run.weeks": "--weeks"}


def what_changed(
    before: dict[str, Any], after: dict[str, Any], kind: str = "compare"
) -> tuple[str, Any, Any]:
    """The first change from ``before`` to ``after`` (two experiments' definitions), as
    (the option or field, its value before, its value now), the area first. A sweep's
    definition is its spec's, so its fields are named as the spec's (``seed`` is
    ``the spec's seed``)."""
    keys = [*after, *(k for k in before if k not in after)]
    changed = [k for k in keys if before.get(k) != after.get(k)]
    if not changed:
        return "the question", None, None
    if "area" in changed:
        return "--area", _area(before.get("area")), _area(after.get("area"))
    key = changed[0]
    if kind == "sweep":
        return f"the spec's {key}", before.get(key), after.get(key)
    if key == "params" and isinstance(after.get(key), dict):
        return _param_change(before.get(key) or {}, after[key])
    return OPTIONS.get(key, key), before.get(key), after.get(key)


def _area(area: dict | None) -> str:
    if not area:
        return "none (the default community)"
    return f"the area '{area.get('name', '?')}'"


def _param_change(before: dict, after: dict) -> tuple[str, Any, Any]:
    """Which parameter of which scenario changed (a comparison keeps each scenario's
    parameters; a sweep its fixed ones)."""
    for name in after:
        old, new = before.get(name), after.get(name)
        if isinstance(new, dict) and isinstance(old, dict):
            for p in new:
                if old.get(p) != new.get(p):
                    option = PARAM_OPTIONS.get(p, f"{p} of scenario {name} (its file changed?)")
                    return option, old.get(p), new.get(p)
        elif old != new:
            return PARAM_OPTIONS.get(name, f"params: {name}"), old, new
    return "the scenarios' parameters", None, None
