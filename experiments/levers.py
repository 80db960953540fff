"""The ranges a lever is steered over: what a commissioner could choose, narrower than the
schema's bounds where those are far wider (the schema's bounds say what the model accepts;
``programme.workforce_scale`` accepts 0 to 100, but nobody funds 91 times the workforce).

One table for every place that offers levers: the app's Explore controls
(:mod:`netmob.app.model`) and the EMA Workbench's levers (:mod:`netmob.experiments.ema`).
Every range is an assumption. A numeric lever that is not here and whose schema bounds are
more than :data:`WIDE` times its default is refused as a lever until given a range.

Examples:
    >>> steer_range("programme.workforce_scale"), steer_range("programme.mapping")
    ((0.0, 5.0), (0, 1))
"""

from __future__ import annotations

from netmob.sim.errors import InputError
from netmob.sim.params import field_info

# parameter -> (lo, hi) a lever is steered over (assumptions: what a place could choose)
STEER: dict[str, tuple[float, float]] = {
    "population.n_people": (100, 5000),  # a PCN to a small town
    "programme.workforce_scale": (0.0, 5.0),  # none to five times the sized workforce
    "programme.refer_rate": (0.0, 1.0),  # a year: none to every eligible person
    "programme.caseload": (1, 100),
    "programme.contacts": (1, 24),
    "attendance.cost_scale": (0.0, 5.0),
    "workers.turnover": (0.0, 1.0),  # a year
    "run.weeks": (4, 260),
}
WIDE = 20.0


def steer_range(name: str) -> tuple[float, float]:
    """The range lever ``name`` is steered over: :data:`STEER`'s, else the schema's bounds.

    Raises:
        InputError: for a numeric parameter with neither a range here nor narrow bounds.
    """
    if name in STEER:
        return STEER[name]
    info = field_info(name)
    lo, hi, default = info["lo"], info["hi"], info["default"]
    if isinstance(default, int | float) and not isinstance(default, bool):
        if hi - lo > WIDE * max(abs(default), 1.0):
            raise InputError(
                f"no range to steer this lever over is known (the schema accepts {lo:g} to "
                f"{hi:g}, which is what the model accepts, not what a place could choose)",
                field=name,
                allowed="a range: schema_parameters([name], ranges={name: (lo, hi)})",
            )
    return lo, hi
