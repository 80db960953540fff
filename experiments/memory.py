"""How much memory a run needs, and refusing before it starts one that cannot fit.

A run's peak memory grows in a straight line with its target people (their network
members come with them). The constants below are a measurement, redone with
``python benchmarks/memory.py``: peak resident memory (``ru_maxrss``) of one run in a
fresh process, GENIE running, 104 weeks after a 26-week burn-in, at 20,000, 50,000 and
100,000 target people: 319, 462 and 722 MiB (Python 3.13, numpy 2.5.5, Linux x86-64,
2026-12-03). A least-squares line through them rises 5,300 bytes per target person (5,480
in a second measurement) from 215 MiB (the interpreter with netmob imported): hence
:data:`BYTES_PER_PERSON` and :data:`BASE_BYTES`. A comparison's replicate holds each
scenario's results until its last scenario has run: one replicate of two and of four
scenarios at 20,000 and 50,000 target people (417 and 698 MiB; 576 and 1,105 MiB) rose
9,804 and 18,503 bytes per target person, about 4,400 more for each scenario beyond the
first: hence :data:`BYTES_PER_SCENARIO`. The estimate is for the vector engine (the
reference engine, for small runs only, builds an object per person and needs more).

Examples:
    >>> run_bytes(100_000) / 2**20 > 500
    True
    >>> fits(1, 4 * 2**30)
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netmob.sim.errors import InputError

if TYPE_CHECKING:
    from netmob.experiments.spec import SweepSpec

BYTES_PER_PERSON = 5_400  # peak bytes of one run per target person (measured: see above)
BASE_BYTES = 215 * 2**20  # the interpreter with netmob imported (measured: see above)
BYTES_PER_SCENARIO = 4_500  # a comparison: each scenario's results held, per target person
FIELD = "population.n_people"


def run_bytes(people: int, scenarios: int = 1) -> int:
    """Estimated peak memory of one run of ``people`` target people (or of a comparison's
    replicate of ``scenarios`` scenarios), in bytes."""
    per_person = BYTES_PER_PERSON + BYTES_PER_SCENARIO * (scenarios - 1)
    return BASE_BYTES + per_person * people


def fits(people: int, memory: int, scenarios: int = 1) -> bool:
    """True if such a run's estimate is within ``memory`` bytes."""
    return run_bytes(people, scenarios) <= memory


def most_people(memory: int, scenarios: int = 1) -> int:
    """The most target people whose run fits in ``memory`` bytes (0 if none does)."""
    per_person = BYTES_PER_PERSON + BYTES_PER_SCENARIO * (scenarios - 1)
    return max(0, (memory - BASE_BYTES) // per_person)


def machine_memory() -> int:
    """This machine's physical memory, in bytes."""
    import psutil  # type: ignore[import-untyped]  # no stubs pinned; one call, read as int

    return int(psutil.virtual_memory().total)


def check_fits(
    people: int, memory: int | None, where: str, *, scenarios: int = 1, option: str = ""
) -> None:
    """Refuse a run of ``people`` target people whose estimated memory exceeds ``memory``
    bytes (``where``: whose memory that is; None: unknown, nothing is checked).

    Raises:
        InputError: naming ``population.n_people``, the value, and the most that fits.
    """
    if memory is None or fits(people, memory, scenarios):
        return
    what = "a run" if scenarios == 1 else f"a replicate of {scenarios} scenarios"
    given = f" ({option})" if option else ""
    raise InputError(
        f"{what} of {people:,} target people needs about {gib(run_bytes(people, scenarios))} "
        f"of memory, more than {where} has ({gib(memory)})",
        field=FIELD,
        value=people,
        allowed=f"up to {most_people(memory, scenarios):,} target people{given} there, or a "
        "machine with more memory",
    )


def check_backend(backend: Any, people: int, *, scenarios: int = 1, option: str = "") -> None:
    """:func:`check_fits` against the memory one of ``backend``'s workers has (nothing is
    checked for a backend that cannot tell).

    Raises:
        InputError: if the run cannot fit.
    """
    memory_of = getattr(backend, "worker_memory", None)
    if memory_of is None:
        return
    memory, where = memory_of()
    check_fits(people, memory, where, scenarios=scenarios, option=option)


def sweep_people(spec: SweepSpec) -> int:
    """The most target people of any run of a sweep spec (its largest point)."""
    people: float = spec.base_params.population.n_people
    for factor in spec.factors:
        if factor.name == FIELD:
            people = max(factor.choices) if not factor.is_range else factor.bounds[1]
    return int(people)


def gib(n: int) -> str:
    """Bytes in GiB, for a reader."""
    return f"{n / 2**30:,.1f} GiB"
