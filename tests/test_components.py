"""Processes are components that own their state: none hangs attributes on the model.

The state a component owns (``model.programme.clients``, ``model.readiness.prefs_seen``)
exists before any process runs; a run of a programme with every branch, on a model that
refuses any attribute set while a process runs, finishes; and the guard catches a process
that hangs an attribute on the model (the negative control).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from netmob.sim.model import NetworkModel
from netmob.sim.processes.base import Owned, Process
from netmob.sim.programmes.delivery import ProgrammeDelivery
from netmob.sim.schedule import WEEKLY_PROCESSES
from tests.test_process_declarations import every_branch

GONE = ("clients", "workers", "worker_contacts", "contact_now", "prefs_seen", "objectives_seen")


class ProcessSetAttribute(AssertionError):
    """A process set an attribute on the model."""


class Guarded(NetworkModel):
    """A model that refuses any attribute set on it while a process's ``setup`` or
    ``step`` runs (the engine's own bookkeeping, between processes, is allowed)."""

    running_process: str | None = None

    def __setattr__(self, name: str, value) -> None:
        if type(self).running_process is not None:
            raise ProcessSetAttribute(f"{type(self).running_process} set model.{name}")
        super().__setattr__(name, value)


def guard(monkeypatch: pytest.MonkeyPatch, processes) -> None:
    """Mark which process is running while each one's ``setup`` and ``step`` run."""
    for cls in processes:
        for name in ("setup", "step"):
            method = getattr(cls, name)

            @functools.wraps(method)
            def marked(self, model, *args, _method=method, **kwargs):
                Guarded.running_process = type(self).__name__
                try:
                    return _method(self, model, *args, **kwargs)
                finally:
                    Guarded.running_process = None

            monkeypatch.setattr(cls, name, marked)


def test_no_process_sets_an_attribute_on_the_model(monkeypatch):
    guard(monkeypatch, WEEKLY_PROCESSES)
    m = Guarded(every_branch(), seed=4).run()
    assert (m.programme.clients.contacts > 0).sum() > 10  # the programme was at work
    assert m.programme.workers.knowledge.size and m.programme.worker_contacts.active.any()
    for name in GONE:
        assert not hasattr(m, name), name


def test_the_guard_catches_a_process_that_hangs_state_on_the_model(monkeypatch):
    # negative control: the programme keeping its contacts on the model, as it used to
    def hangs(self, model) -> None:
        model.contact_now = np.zeros(model.n_target, bool)

    monkeypatch.setattr(ProgrammeDelivery, "step", hangs)
    guard(monkeypatch, WEEKLY_PROCESSES)
    with pytest.raises(ProcessSetAttribute, match="ProgrammeDelivery set model.contact_now"):
        Guarded(every_branch(), seed=4).run()


def test_every_component_state_exists_before_any_process_runs(monkeypatch):
    seen = {}

    def first_setup(self, model) -> None:
        seen["clients"] = len(model.programme.clients)
        seen["prefs_seen"] = model.readiness.prefs_seen.shape
        seen["barriers"] = model.barriers().shape  # relief columns exist from construction

    monkeypatch.setattr(WEEKLY_PROCESSES[0], "setup", first_setup)
    m = NetworkModel(every_branch(), seed=4)
    n = m.n_target
    assert seen == {"clients": n, "prefs_seen": (n, 8), "barriers": (n, 5)}
    assert set(m.programme.state) == {"clients", "workers", "worker_contacts", "contact_now"}
    assert set(m.readiness.state) == {"prefs_seen", "objectives_seen"}


def test_state_is_reached_only_once_created():
    class Counting(Process):
        seen = Owned(lambda n: np.zeros(n, bool), "who was seen")

    p = Counting()
    with pytest.raises(AttributeError, match="Counting.seen does not exist yet"):
        _ = p.seen
    p.create_state(4)
    assert p.seen.tolist() == [False] * 4


def test_a_component_may_not_hide_an_attribute_of_the_model(monkeypatch):
    class Ties(Process):  # owns state under a name the model uses for its tie table
        name = "ties"
        seen = Owned(lambda n: np.zeros(n, bool))

        def step(self, model) -> None:
            pass

    monkeypatch.setattr("netmob.sim.model.WEEKLY_PROCESSES", (Ties,))
    with pytest.raises(ValueError, match="component 'ties' would hide model.ties"):
        NetworkModel(every_branch(), seed=4)
