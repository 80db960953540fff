"""The base class of every weekly process: a component of the vectorised engine that
declares what it uses, as Starsim's ``Module`` does (``define_pars``, ``define_states``,
``define_results``). The order of the week is :mod:`netmob.sim.schedule`'s."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, overload

import numpy as np

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState


class Owned[T]:
    """State a component owns (a table or an array), created by the engine before any
    process runs, and reached by other code through the component
    (``model.programme.clients``).

    Args:
        make: Builds the empty state from the number of target people; values that come
            from parameters are filled by the process's :meth:`Process.setup`.
        doc: What the state holds.

    Examples:
        >>> class Counting(Process):
        ...     seen = Owned(lambda n: np.zeros(n, bool), "who was seen")
        >>> Counting.state
        ('seen',)
        >>> p = Counting()
        >>> p.create_state(n_target=3)
        >>> p.seen.tolist()
        [False, False, False]
    """

    def __init__(self, make: Callable[[int], T], doc: str = "") -> None:
        self.make = make
        self.__doc__ = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Owned[T]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Owned[T] | T:
        if obj is None:
            return self
        try:
            return obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(
                f"{type(obj).__name__}.{self.name} does not exist yet: the engine creates a "
                "component's state (Process.create_state) before any process runs"
            ) from None

    def __set__(self, obj: object, value: T) -> None:
        obj.__dict__[self.name] = value


class Process:
    """One step of the week, vectorised over columns: a component of the model.

    The order of the week is written once, in :mod:`netmob.sim.schedule`. Subclasses
    implement :meth:`step` (and, if they need it, :meth:`setup`) and declare what they use:

    - ``params``: exactly the schema groups the process reads in ``setup`` and ``step``,
      directly (``model.params.<group>``) or through the model's helpers and rule functions
      it calls (``model.barriers()`` reads ``attendance``, ``model.form_ties`` reads
      ``ties`` and ``support``).
    - its **state**: class attributes made with :class:`Owned` (listed in ``state``), the
      tables and arrays it owns. The engine creates them (:meth:`create_state`) before any
      process runs; other code reaches them through the component, ``model.<name>``
      (``model.programme.clients``), never as attributes hung on the model.
    - ``results``: the shared state it writes, beyond its own, as paths from the model:
      a column (``"people.swemwbs"``), rows appended to a table (``"ties.rows"``), an array
      (``"targets.barriers"``, ``"counters.exits"``) or another component's column
      (``"programme.clients.stage"``).
    - ``draws``: the purposes it draws random numbers for; :meth:`rng` refuses any other.

    ``tests/test_process_declarations.py`` records a run (which groups each process reads,
    which state changes while it runs, which streams it asks for) and checks all three
    declarations against it, so none can drift.

    Each class draws from its own random stream, ``stream``: its class name in snake case
    (``NudgePathway`` draws from ``nudge_pathway``), set when the class is defined, so no two
    processes share one by a hand-typed name; the schedule checks the keys are unique.
    ``name`` (by default the same) is the component's name on the model.
    """

    stream: ClassVar[str] = ""
    name: ClassVar[str] = ""
    params: ClassVar[tuple[str, ...]] = ()
    results: ClassVar[tuple[str, ...]] = ()
    draws: ClassVar[tuple[str, ...]] = ()
    state: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.stream = snake_case(cls.__name__)
        if "name" not in vars(cls):
            cls.name = cls.stream
        cls.state = tuple(
            k
            for base in reversed(cls.__mro__)
            for k, v in vars(base).items()
            if isinstance(v, Owned)
        )

    def create_state(self, n_target: int) -> None:
        """Create the state this component owns (empty; :meth:`setup` fills it)."""
        for name in self.state:
            spec: Owned[Any] = getattr(type(self), name)
            setattr(self, name, spec.make(n_target))

    def setup(self, model: ModelState) -> None:  # noqa: B027 - optional hook
        """Called once after the community is built and every component's state created."""

    def step(self, model: ModelState) -> None:
        """Advance this process by one week."""
        raise NotImplementedError

    def rng(self, model: ModelState, purpose: str) -> np.random.Generator:
        """This process's stream for this week and ``purpose`` (one of ``draws``)."""
        return draw(type(self), model, purpose)


def draw(
    process: type[Process], model: Any, purpose: str, week: int | None = None
) -> np.random.Generator:
    """The generator of ``process``'s stream for ``model``'s week (or ``week``) and
    ``purpose``: the one both engines use (the reference engine calls it with its own model).

    Raises:
        KeyError: if ``purpose`` is not one of the process's declared ``draws``.
    """
    if purpose not in process.draws:
        raise KeyError(
            f"{process.__name__} draws for {purpose!r}, which it does not declare; "
            f"declared: {', '.join(process.draws) or 'none'}"
        )
    return model.streams.get(process.stream, model.week if week is None else week, purpose)


def snake_case(name: str) -> str:
    """``NudgePathway`` -> ``nudge_pathway``.

    Examples:
        >>> snake_case("HealthProgression")
        'health_progression'
    """
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
