"""The base class of every weekly process (a plug-in of the vectorised engine)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

import numpy as np

if TYPE_CHECKING:
    from netmob.sim.model import NetworkModel


class Process:
    """One step of the week, vectorised over columns.

    Subclasses set ``params`` and implement :meth:`step`. Each class draws from its own
    random stream, ``stream``: its class name in snake case (``NudgePathway`` draws from
    ``nudge_pathway``), set when the class is defined, so no two processes share one by
    a hand-typed name; the schedule checks the keys are unique when it is built.

    ``params`` lists exactly the schema groups the process reads in ``setup`` and ``step``,
    directly (``model.params.<group>``) or through the model's helpers and rule functions
    it calls (``model.barriers()`` reads ``attendance``, ``model.form_ties`` reads ``ties``
    and ``support``); ``tests/test_process_declarations.py`` records a run and checks it.

    There is no declaration of outputs: a process writes through shared helpers
    (``form_ties``, ``start_attending``, the pathways' changes) into columns of several
    tables, so a list of them could not be checked as cheaply as the reads, and an
    unchecked list drifts (the old one did). Each process's docstring says what it changes.
    """

    stream: ClassVar[str] = ""
    params: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.stream = snake_case(cls.__name__)

    def setup(self, model: NetworkModel) -> None:  # noqa: B027 - optional hook
        """Called once after the community is built."""

    def step(self, model: NetworkModel) -> None:
        """Advance this process by one week."""
        raise NotImplementedError

    def rng(self, model: NetworkModel, purpose: str) -> np.random.Generator:
        """This process's stream for this week and ``purpose``."""
        return model.streams.get(self.stream, model.week, purpose)


def snake_case(name: str) -> str:
    """``NudgePathway`` -> ``nudge_pathway``.

    Examples:
        >>> snake_case("HealthProgression")
        'health_progression'
    """
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
