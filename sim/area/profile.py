"""``area.yaml``: a commissioner's description of their people with long-term conditions.

Each field stands for one parameter of the schema (:data:`FIELDS`): its default, bounds,
unit, meaning and source come from :mod:`netmob.sim.params`, never written here. Shares
are fractions from 0 to 1; a share written as a percentage (45 for 0.45) is refused with
the fraction to write instead. The programme's workforce and budget are optional.
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from netmob.sim.errors import InputError
from netmob.sim.params import field_info

FILE = "area.yaml"

# area.yaml key -> the parameter it sets (the order of the template)
FIELDS: dict[str, str] = {
    "people": "population.n_people",
    "age_mean": "population.age_mean",
    "age_sd": "population.age_sd",
    "male": "population.male",
    "living_alone": "population.lives_alone",
    "smi": "population.smi",
    "no_qualifications": "population.no_qualifications",
    "sickness_or_disability": "population.disability",
    "insecure_housing": "population.housing_insecure",
    "deprivation": "population.deprivation",
}
# ltc_counts key -> the share parameter it sets
LTC_COUNTS: dict[str, str] = {
    "one": "population.ltc_1",
    "two": "population.ltc_2",
    "three": "population.ltc_3",
    "four": "population.ltc_4",
    "five_or_more": "population.ltc_5",
}
LTC_TOLERANCE = 0.01  # LTC shares summing to within this of 1 are rescaled (rounding)
WORKERS = "programme.workers"
WORKER_COST = "programme.worker_cost"
WORKFORCE = "programme.workforce"
PER_10000 = "programme.workers_per_10000"
SCALE = "programme.workforce_scale"
BUDGET_MAX = 1e9  # GBP a year: more is a typing mistake
KEYS = ("name", *FIELDS, "ltc_counts", "workers", "budget")


def _schema_field(dotted: str) -> Any:
    info = field_info(dotted)
    return Field(info["default"], ge=info["lo"], le=info["hi"], description=info["meaning"])


_LTC_FIELDS: dict[str, Any] = {k: (float, _schema_field(d)) for k, d in LTC_COUNTS.items()}
LtcCounts = create_model(
    "LtcCounts", __config__=ConfigDict(extra="forbid", strict=False), **_LTC_FIELDS
)


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("netmob default community", min_length=1, description="the area's name")
    ltc_counts: LtcCounts = Field(default_factory=LtcCounts)
    workers: int | None = Field(
        None, ge=1, le=field_info(WORKERS)["hi"], description="full-time workers, if known"
    )
    budget: float | None = Field(
        None, gt=0, le=BUDGET_MAX, description="GBP a year for the workers, if known"
    )


_PROFILE_FIELDS: dict[str, Any] = {
    k: (int if field_info(d)["type"] == "int" else float, _schema_field(d))
    for k, d in FIELDS.items()
}
Profile = create_model("Profile", __base__=_Base, **_PROFILE_FIELDS)


def is_share(key: str) -> bool:
    """Whether an area.yaml field (``ltc_counts.two`` for a nested one) is a 0-1 share."""
    dotted = LTC_COUNTS.get(key.removeprefix("ltc_counts.")) or FIELDS.get(key)
    return dotted is not None and field_info(dotted)["unit"] in ("share", "index 0-1")


def allowed(key: str) -> str:
    """What an area.yaml field accepts, in words."""
    dotted = LTC_COUNTS.get(key.removeprefix("ltc_counts.")) or FIELDS.get(key)
    if dotted is not None:
        info = field_info(dotted)
        what = "a whole number" if info["type"] == "int" else "a number"
        return f"{what} from {info['lo']} to {info['hi']} ({info['unit']})"
    return {
        "name": "the area's name, as text",
        "workers": f"a whole number of full-time workers from 1 to {field_info(WORKERS)['hi']}, "
        "or null if not known",
        "budget": "GBP a year for the programme's workers, more than 0, or null if not known",
        "ltc_counts": "a mapping with " + ", ".join(LTC_COUNTS),
    }.get(key, "see the template")


def read_profile(path: Path) -> Any:
    """The validated profile in ``path`` (an area.yaml).

    Raises:
        InputError: one message naming the file, the field, the value and what is allowed.
    """
    from netmob.sim.scenario import read_yaml

    file = str(path)
    if path.is_dir():
        raise InputError("is a folder, not a file", file=file, allowed="a YAML file")
    if not path.is_file():
        raise InputError(
            "the area folder has no area.yaml", file=file, allowed="netmob area template DIR"
        )
    doc = read_yaml(path)
    if doc is None:
        raise InputError("the file is empty", file=file, allowed="the fields the template lists")
    if not isinstance(doc, dict):
        raise InputError(
            "an area profile must be a YAML mapping of fields",
            file=file,
            value=type(doc).__name__,
            allowed=", ".join(KEYS),
        )
    return check_profile(doc, file)


def check_profile(doc: dict[str, Any], file: str) -> Any:
    """The validated profile of the fields in ``doc`` (an area.yaml's mapping, or a
    region file's row), those not given at their defaults.

    Raises:
        InputError: one message naming the file, the field, the value and what is allowed.
    """
    _check_keys(doc, file)
    _check_booleans(doc, file)
    _check_percentages(doc, file)
    try:
        profile = Profile.model_validate(doc)
    except ValidationError as err:
        raise _input_error(err, file) from None
    return _ltc_shares_sum_to_one(profile, file)


def _check_keys(doc: dict[str, Any], file: str) -> None:
    """Refuse a field area.yaml does not have, suggesting the closest."""
    for key in doc:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise InputError(
                "unknown field", file=file, field=str(key), allowed=hint + ", ".join(KEYS)
            )


def _check_booleans(doc: dict[str, Any], file: str) -> None:
    """Refuse true or false where a number belongs (pydantic would read it as 1 or 0)."""
    items = list(doc.items())
    counts = doc.get("ltc_counts")
    if isinstance(counts, dict):
        items += [(f"ltc_counts.{k}", v) for k, v in counts.items()]
    for key, value in items:
        if isinstance(value, bool) and key != "name":
            raise InputError(
                "a number is needed here, not true or false",
                file=file,
                field=key,
                value=value,
                allowed=allowed(key),
            )


def _check_percentages(doc: dict[str, Any], file: str) -> None:
    """Refuse a share given as a percentage (45 for 0.45)."""
    items = list(doc.items())
    counts = doc.get("ltc_counts")
    if isinstance(counts, dict):
        items += [(f"ltc_counts.{k}", v) for k, v in counts.items()]
    for key, value in items:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and is_share(key) and 1 < value <= 100:
            raise InputError(
                f"a share is a fraction from 0 to 1; {value:g} looks like a percentage "
                f"(write {value / 100:g} for {value:g}%)",
                file=file,
                field=key,
                value=value,
                allowed=allowed(key),
            )


def _input_error(err: ValidationError, file: str) -> InputError:
    e = err.errors()[0]
    key = ".".join(str(p) for p in e["loc"])
    if e["type"] == "extra_forbidden":
        return InputError("unknown field", file=file, field=key, allowed=allowed(key.split(".")[0]))
    value = e.get("input", InputError._UNSET)
    return InputError(e["msg"], file=file, field=key, value=value, allowed=allowed(key))


def _ltc_shares_sum_to_one(profile: Any, file: str) -> Any:
    """LTC shares must sum to 1; a sum within :data:`LTC_TOLERANCE` (rounding) is rescaled."""
    shares = profile.ltc_counts.model_dump()
    total = math.fsum(shares.values())
    if abs(total - 1.0) > LTC_TOLERANCE:
        raise InputError(
            f"the shares with 1, 2, 3, 4 and 5 or more LTCs must sum to 1 (they sum to {total:g})",
            file=file,
            field="ltc_counts",
            value=shares,
            allowed="shares from 0 to 1 that sum to 1",
        )
    if abs(total - 1.0) > 1e-9:
        scaled = {k: v / total for k, v in shares.items()}
        profile = profile.model_copy(update={"ltc_counts": LtcCounts(**scaled)})
    return profile


def overrides(profile: Any) -> dict[str, Any]:
    """The parameters the profile sets, as ``{"group.name": value}``."""
    out = {d: getattr(profile, k) for k, d in FIELDS.items()}
    out |= {d: getattr(profile.ltc_counts, k) for k, d in LTC_COUNTS.items()}
    return out


def workforce(profile: Any, worker_cost: float, file: str) -> dict[str, Any]:
    """The programme parameters the profile's workforce and budget set (none if unknown).

    Workers and budget: that headcount, each costing budget / workers. Budget alone: as
    many full-time workers as it pays for at the programme's ``worker_cost``. The headcount
    is the area's, for its ``people``: it is set as full-time workers per 10,000 target
    people (``workforce: population``), so that a run of fewer or more people (``--people``,
    a sweep's ``population.n_people``) has the same workers per person, and the budget
    with them (each worker is paid ``worker_cost`` x the share of full time they work),
    as the directory's places already scale. At the area's own people it is the headcount.

    Raises:
        InputError: if a budget alone pays for no full-time worker.
    """
    staff: dict[str, Any] = {}
    if profile.workers is not None and profile.budget is not None:
        n, staff = profile.workers, {WORKER_COST: profile.budget / profile.workers}
    elif profile.workers is not None:
        n = profile.workers
    elif profile.budget is not None:
        n = int(profile.budget // worker_cost) if worker_cost > 0 else 0
        if n < 1:
            raise InputError(
                f"the budget pays for no full-time worker at GBP {worker_cost:,.0f} a year",
                file=file,
                field="budget",
                value=profile.budget,
                allowed=f"GBP {worker_cost:,.0f} or more, or give workers too",
            )
    else:
        return {}
    return staff | {
        WORKFORCE: "population",
        PER_10000: n * 10_000 / profile.people,
        SCALE: 1.0,
    }


def headcount(profile: Any, worker_cost: float) -> int | None:
    """Full-time workers the area's workforce and budget give for its own people (None:
    neither is known)."""
    if profile.workers is not None:
        return int(profile.workers)
    if profile.budget is not None and worker_cost > 0:
        return int(profile.budget // worker_cost)
    return None
