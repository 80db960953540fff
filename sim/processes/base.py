"""The base class of every weekly process (a plug-in of the vectorised engine)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

if TYPE_CHECKING:
    from netmob.sim.model import NetworkModel


class Process:
    """One step of the week, vectorised over columns.

    Subclasses set ``name`` (its random stream), ``params`` (the schema groups it reads)
    and ``outputs`` (the columns it writes), and implement :meth:`step`.
    """

    name: ClassVar[str] = ""
    params: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[tuple[str, ...]] = ()

    def setup(self, model: NetworkModel) -> None:  # noqa: B027 - optional hook
        """Called once after the community is built."""

    def step(self, model: NetworkModel) -> None:
        """Advance this process by one week."""
        raise NotImplementedError

    def rng(self, model: NetworkModel, purpose: str) -> np.random.Generator:
        """This process's stream for this week and ``purpose``."""
        return model.streams.get(self.name, model.week, purpose)
