"""Each weekly process declares exactly the parameter groups it reads (DESIGN.md section 5).

A run with ``model.params`` behind a recording proxy logs which schema groups each
process's ``setup`` and ``step`` touch, directly (``model.params.<group>``) or through the
model's helpers and the rule functions they call with a group. The scenario switches on
every branch that reads parameters: a programme with every component, referral rules that
read loneliness and network type, both pathways.
"""

from __future__ import annotations

import functools

import pytest

from netmob.sim.model import NetworkModel
from netmob.sim.params import GROUPS, Params
from netmob.sim.processes.base import Process
from netmob.sim.schedule import WEEKLY_PROCESSES


class RecordingParams:
    """Stands in for :class:`Params`, logging each group read while a process runs."""

    def __init__(self, real: Params) -> None:
        self._real = real
        self._current: type[Process] | None = None
        self.reads: dict[type[Process], set[str]] = {}

    def __getattr__(self, name: str):
        if name in GROUPS and self._current is not None:
            self.reads.setdefault(self._current, set()).add(name)
        return getattr(self._real, name)


def _recorded(method, name: str):
    @functools.wraps(method)
    def wrapper(self, model, *args, **kwargs):
        proxy = model.params
        if not isinstance(proxy, RecordingParams):
            return method(self, model, *args, **kwargs)
        before, proxy._current = proxy._current, type(self)
        try:
            return method(self, model, *args, **kwargs)
        finally:
            proxy._current = before

    wrapper.__name__ = name
    return wrapper


def observed_reads(
    monkeypatch: pytest.MonkeyPatch, processes: tuple[type[Process], ...], params: Params
) -> dict[type[Process], set[str]]:
    """The groups each of ``processes`` reads in a short run of ``params``."""
    for cls in processes:
        monkeypatch.setattr(cls, "step", _recorded(cls.step, "step"))
        monkeypatch.setattr(cls, "setup", _recorded(cls.setup, "setup"))
    proxy = RecordingParams(params)
    model = NetworkModel(proxy, seed=4)  # type: ignore[arg-type]
    model.run()
    return {cls: proxy.reads.get(cls, set()) for cls in processes}


def mismatches(reads: dict[type[Process], set[str]]) -> list[str]:
    """Processes whose declared ``params`` differ from what they read."""
    out = []
    for cls, seen in reads.items():
        declared = set(cls.params)
        if declared != seen:
            out.append(
                f"{cls.__name__}: declares {sorted(declared)}, reads {sorted(seen)}"
                f" (undeclared {sorted(seen - declared)}, unread {sorted(declared - seen)})"
            )
    return out


def every_branch() -> Params:
    """A short run in which every parameter-reading branch of every process runs."""
    return Params.from_overrides(
        {
            "population.n_people": 300,
            "run.weeks": 30,
            "run.burn_in": 2,
            "programme.preset": "connecting_people",
            "programme.eligible": 'lonely or network_type == "diverse_active" or n_conditions >= 1',
            "programme.refer_rate": 10.0,
            "programme.workers": 4,
            "programme.contacts": 3,
            "programme.mapping": 1.0,
            "programme.matching": 1.0,
            "workers.turnover": 5.0,
            "workers.vacancy_weeks": 1,
        }
    )


@pytest.fixture(scope="module")
def reads() -> dict[type[Process], set[str]]:
    with pytest.MonkeyPatch.context() as mp:
        return observed_reads(mp, WEEKLY_PROCESSES, every_branch())


def test_every_process_declares_exactly_the_groups_it_reads(reads):
    assert mismatches(reads) == []


def test_every_process_reads_something_and_names_real_groups(reads):
    for cls in WEEKLY_PROCESSES:
        assert reads[cls], cls.__name__
        assert set(cls.params) <= set(GROUPS), cls.__name__


def test_the_check_fails_on_a_wrong_declaration(reads, monkeypatch):
    # negative control: a declaration missing a group it reads, or naming one it does not
    cls = WEEKLY_PROCESSES[0]
    monkeypatch.setattr(cls, "params", tuple(cls.params)[1:])
    assert any(cls.__name__ in m and "undeclared" in m for m in mismatches(reads))
    monkeypatch.setattr(cls, "params", (*reads[cls], "network_types"))
    assert any(cls.__name__ in m and "unread ['network_types']" in m for m in mismatches(reads))


def test_the_recorder_sees_reads_through_helpers(monkeypatch):
    # negative control: a process that reads a group only through the model's helpers
    # (``form_ties`` reads ``ties`` and ``support``) is caught declaring nothing
    import numpy as np

    class Sneaky(Process):
        name = "sneaky"
        params = ()

        def step(self, model) -> None:
            model.form_ties(np.array([0]), np.array([1]), 2, 0, freq=0.5)

    monkeypatch.setattr("netmob.sim.model.WEEKLY_PROCESSES", (Sneaky,))
    p = Params.from_overrides({"population.n_people": 30, "run.weeks": 1, "run.burn_in": 0})
    seen = observed_reads(monkeypatch, (Sneaky,), p)
    assert seen[Sneaky] == {"ties", "support"}
    assert mismatches(seen) == [
        "Sneaky: declares [], reads ['support', 'ties'] (undeclared ['support', 'ties'], unread [])"
    ]
