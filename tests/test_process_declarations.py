"""Each weekly process declares exactly the parameter groups it reads, the shared state it
writes and the streams it draws from (docs/DESIGN.md section 6), so none of its declarations
can drift from the code.

A run with ``model.params`` behind a recording proxy logs which schema groups each
process's ``setup`` and ``step`` touch, directly (``model.params.<group>``) or through the
model's helpers and the rule functions they call with a group. The same run snapshots the
state around each process's ``setup`` and ``step`` (every table column and table length,
the target arrays, the counters and every component's own state) and logs what changed,
and logs each stream a process asks for. The scenario switches on every branch that reads
parameters, writes state or draws: a programme with every component, referral rules that
read loneliness and network type, both pathways, and inner ties that end often enough for
a partner tie to end; run twice, with fidelity emerging from each contact and drawn at
referral.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

import numpy as np
import pytest

from netmob.sim.model import NetworkModel
from netmob.sim.params import GROUPS, Params
from netmob.sim.processes.base import Process
from netmob.sim.schedule import WEEKLY_PROCESSES
from netmob.sim.streams import Streams
from netmob.sim.tables import Table


@dataclass
class Log:
    """What each process read, wrote and drew while it ran."""

    current: type[Process] | None = None
    reads: dict[type[Process], set[str]] = field(default_factory=dict)
    writes: dict[type[Process], set[str]] = field(default_factory=dict)
    draws: dict[type[Process], set[str]] = field(default_factory=dict)


class RecordingParams:
    """Stands in for :class:`Params`, logging each group read while a process runs."""

    def __init__(self, real: Params, log: Log) -> None:
        self._real = real
        self._log = log

    def __getattr__(self, name: str):
        if name in GROUPS and self._log.current is not None:
            self._log.reads.setdefault(self._log.current, set()).add(name)
        return getattr(self._real, name)


def recording_streams(log: Log, processes: tuple[type[Process], ...]) -> type[Streams]:
    """A :class:`Streams` that logs each purpose a process asks its stream for."""
    owner = {cls.stream: cls for cls in processes}

    class RecordingStreams(Streams):
        def get(self, component: str, week: int, purpose: str = "") -> np.random.Generator:
            if component in owner:
                log.draws.setdefault(owner[component], set()).add(purpose)
            return super().get(component, week, purpose)

    return RecordingStreams


def _table_state(out: dict, path: str, table: Table) -> None:
    out[f"{path}.rows"] = len(table)
    for name, values in table.to_dict().items():
        out[f"{path}.{name}"] = values


def state_of(model: NetworkModel) -> dict[str, np.ndarray | int]:
    """Everything a process could write, by its path from the model (a table's length as
    ``<table>.rows``)."""
    out: dict[str, np.ndarray | int] = {}
    for name in ("people", "ties", "links", "resources", "attendance"):
        _table_state(out, name, getattr(model, name))
    for group in ("targets", "counters"):
        obj = getattr(model, group)
        for f in dataclasses.fields(obj):
            out[f"{group}.{f.name}"] = getattr(obj, f.name).copy()
    for component in model.processes:
        for name in component.state:
            value = getattr(component, name)
            path = f"{component.name}.{name}"
            if isinstance(value, Table):
                _table_state(out, path, value)
            else:
                out[path] = value.copy()
    return out


def changed(before: dict, after: dict) -> set[str]:
    """Paths whose values differ (for a table's columns, in the rows it had before)."""
    out = set()
    for path, new in after.items():
        old = before.get(path)
        if isinstance(new, int) or old is None:
            if new is not old and new != old:
                out.add(path)
            continue
        k = min(len(old), len(new))
        if not np.array_equal(old[:k], new[:k], equal_nan=new.dtype.kind == "f"):
            out.add(path)
    return out


def _recorded(method, name: str, log: Log):
    @functools.wraps(method)
    def wrapper(self, model, *args, **kwargs):
        outer, log.current = log.current, type(self)
        before = state_of(model) if outer is None else None
        try:
            return method(self, model, *args, **kwargs)
        finally:
            log.current = outer
            if before is not None:
                own = f"{self.name}." if self.state else None
                log.writes.setdefault(type(self), set()).update(
                    p for p in changed(before, state_of(model)) if not (own and p.startswith(own))
                )

    wrapper.__name__ = name
    return wrapper


def observe(
    monkeypatch: pytest.MonkeyPatch, processes: tuple[type[Process], ...], *params: Params
) -> Log:
    """What each of ``processes`` reads, writes and draws in short runs of ``params``."""
    log = Log()
    for cls in processes:
        monkeypatch.setattr(cls, "step", _recorded(cls.step, "step", log))
        monkeypatch.setattr(cls, "setup", _recorded(cls.setup, "setup", log))
    monkeypatch.setattr("netmob.sim.engine.Streams", recording_streams(log, processes))
    for p in params:
        model = NetworkModel(RecordingParams(p, log), seed=4)  # type: ignore[arg-type]
        model.run()
    for cls in processes:
        for seen in (log.reads, log.writes, log.draws):
            seen.setdefault(cls, set())
    return log


DECLARATIONS = {  # what the run logs, the attribute that declares it, and the words used
    "reads": ("params", "reads", "unread"),
    "writes": ("results", "writes", "unwritten"),
    "draws": ("draws", "draws", "undrawn"),
}


def mismatches(seen: dict[type[Process], set[str]], kind: str = "reads") -> list[str]:
    """Processes whose declared ``params`` (``results``, ``draws``) differ from what they
    read (write, draw)."""
    attribute, verb, unused = DECLARATIONS[kind]
    out = []
    for cls, used in seen.items():
        declared = set(getattr(cls, attribute))
        if declared != used:
            out.append(
                f"{cls.__name__}: declares {sorted(declared)}, {verb} {sorted(used)}"
                f" (undeclared {sorted(used - declared)}, {unused} {sorted(declared - used)})"
            )
    return out


def every_branch(**extra) -> Params:
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
            "programme.booklet": 0.5,  # the booklet's self-guided take-ups
            "programme.booklet_act": 0.2,
            "workers.turnover": 5.0,
            "workers.vacancy_weeks": 1,
            "ties.loss_inner": 1.0,  # partner ties end too (``end_ties``)
            **extra,
        }
    )


@pytest.fixture(scope="module")
def log() -> Log:
    with pytest.MonkeyPatch.context() as mp:
        # fidelity emerges from each contact's quality, or is drawn at referral
        fixed = every_branch(**{"programme.fidelity_mode": "fixed"})
        return observe(mp, WEEKLY_PROCESSES, every_branch(), fixed)


@pytest.fixture(scope="module")
def reads(log) -> dict[type[Process], set[str]]:
    return log.reads


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
    class Sneaky(Process):
        name = "sneaky"
        params = ()

        def step(self, model) -> None:
            model.form_ties(np.array([0]), np.array([1]), 2, 0, freq=0.5)

    monkeypatch.setattr("netmob.sim.model.WEEKLY_PROCESSES", (Sneaky,))
    p = Params.from_overrides({"population.n_people": 30, "run.weeks": 1, "run.burn_in": 0})
    seen = observe(monkeypatch, (Sneaky,), p).reads
    assert seen[Sneaky] == {"ties", "support"}
    assert mismatches(seen) == [
        "Sneaky: declares [], reads ['support', 'ties'] (undeclared ['support', 'ties'], unread [])"
    ]


def test_every_process_declares_exactly_the_state_it_writes(log):
    assert mismatches(log.writes, "writes") == []


def test_every_process_declares_exactly_the_streams_it_draws(log):
    assert mismatches(log.draws, "draws") == []


def test_declared_results_name_real_state():
    model = NetworkModel(every_branch(), seed=4)
    paths = set(state_of(model))
    for cls in WEEKLY_PROCESSES:
        assert set(cls.results) <= paths, (cls.__name__, set(cls.results) - paths)
        assert not [p for p in cls.results if p.startswith(f"{cls.name}.")], cls.__name__


def test_the_write_and_draw_checks_fail_on_a_wrong_declaration(log, monkeypatch):
    # negative control: a result or a draw left out, or one declared that never happens
    cls = WEEKLY_PROCESSES[0]
    monkeypatch.setattr(cls, "results", tuple(cls.results)[1:])
    assert any(cls.__name__ in m and "undeclared" in m for m in mismatches(log.writes, "writes"))
    monkeypatch.setattr(cls, "results", (*log.writes[cls], "people.pet"))
    assert any("unwritten ['people.pet']" in m for m in mismatches(log.writes, "writes"))
    monkeypatch.setattr(cls, "draws", (*log.draws[cls], "spare"))
    assert any("undrawn ['spare']" in m for m in mismatches(log.draws, "draws"))


def test_the_recorder_sees_writes_through_helpers(monkeypatch):
    # negative control: a process that writes a column directly and appends ties through
    # the model's helper is caught declaring nothing
    class Writer(Process):
        params = ("ties", "support")
        draws = ("who",)

        def step(self, model) -> None:
            model.people.swemwbs[0] += 1.0
            u = self.rng(model, "who").random()
            model.form_ties(np.array([0]), np.array([1 + int(u * 5)]), 2, 1, freq=0.5)

    monkeypatch.setattr("netmob.sim.model.WEEKLY_PROCESSES", (Writer,))
    p = Params.from_overrides({"population.n_people": 30, "run.weeks": 1, "run.burn_in": 0})
    log = observe(monkeypatch, (Writer,), p)
    assert log.writes[Writer] == {"people.swemwbs", "ties.rows", "counters.new_ties"}
    assert mismatches(log.writes, "writes") == [
        "Writer: declares [], writes ['counters.new_ties', 'people.swemwbs', 'ties.rows']"
        " (undeclared ['counters.new_ties', 'people.swemwbs', 'ties.rows'], unwritten [])"
    ]
    assert log.draws[Writer] == {"who"} and mismatches(log.draws, "draws") == []


def test_a_draw_for_an_undeclared_purpose_is_refused(monkeypatch):
    # a process can only draw for the purposes it declares (so neither engine can ask a
    # stream under a misspelt or undeclared purpose)
    class Drawer(Process):
        draws = ("who",)

        def step(self, model) -> None:
            self.rng(model, "whom").random()

    monkeypatch.setattr("netmob.sim.model.WEEKLY_PROCESSES", (Drawer,))
    p = Params.from_overrides({"population.n_people": 30, "run.weeks": 1, "run.burn_in": 0})
    with pytest.raises(KeyError, match="Drawer draws for 'whom', which it does not declare"):
        NetworkModel(p, seed=1).run()
