"""The fast generator construction gives numpy's generators, state for state."""

from __future__ import annotations

import numpy as np
import pytest

from netmob.sim import schedule
from netmob.sim.model import NetworkModel
from netmob.sim.pathways.mobilisation import MobilisationPathway
from netmob.sim.pathways.nudge import NudgePathway
from netmob.sim.processes.base import Process
from netmob.sim.streams import (
    COMMUNITY,
    StreamClash,
    StreamReused,
    Streams,
    _key,
    check_unique,
    component_key,
)

COMPONENTS = (COMMUNITY, *(p.stream for p in schedule.WEEKLY_PROCESSES))

PURPOSES = ("", "exacerbation", "meet", "meet_who", "triads", "a much longer purpose name")


def numpy_generator(seed: int, process: str, week: int, purpose: str) -> np.random.Generator:
    key = (component_key(process), int(week) + 100_000, _key(purpose))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


@pytest.mark.parametrize("seed", [0, 1, 7, 12345, 2**31 - 1, 2**32, 2**64 + 3, 2**130 + 99])
def test_same_state_as_seed_sequence(seed):
    for process in COMPONENTS:
        for week in (-100, -26, -1, 0, 1, 2, 52, 104, 1000):
            s = Streams(seed)  # each key once per run
            for purpose in PURPOSES:
                ours, theirs = (
                    s.get(process, week, purpose),
                    numpy_generator(seed, process, week, purpose),
                )
                assert ours.bit_generator.state == theirs.bit_generator.state
                assert (ours.random(3) == theirs.random(3)).all()


def test_a_stream_is_handed_out_once_per_run():
    """A second request for the same (component, week, purpose) would repeat the first's
    numbers: it is refused. Another week, purpose or component is a different stream."""
    s = Streams(3)
    a = s.get("tie_dynamics", 5, "meet").random(4)
    with pytest.raises(StreamReused, match="'tie_dynamics', week 5, 'meet'"):
        s.get("tie_dynamics", 5, "meet")
    others = [
        s.get("tie_dynamics", 6, "meet"),
        s.get("tie_dynamics", 5, "meet_who"),
        s.get("resource_attendance", 5, "meet"),
    ]
    for g in others:
        assert not (g.random(4) == a).any()


def test_every_process_has_its_own_stream():
    """Stream names come from the classes: one per weekly process, none shared, none
    equal to the community's; the pathways that once shared ``pathways`` now differ."""
    names = [p.stream for p in schedule.WEEKLY_PROCESSES]
    assert len(set(names)) == len(names) == len(schedule.WEEKLY_PROCESSES)
    assert COMMUNITY not in names
    assert NudgePathway.stream == "nudge_pathway"
    assert MobilisationPathway.stream == "mobilisation_pathway"
    assert len({component_key(n) for n in COMPONENTS}) == len(COMPONENTS)


def test_schedule_refuses_two_processes_on_one_stream():
    """Negative control: a process whose stream equals another's is refused when the
    schedule is checked, naming both."""

    class Duplicate(Process):
        def step(self, model) -> None:
            pass

    Duplicate.stream = NudgePathway.stream
    with pytest.raises(StreamClash, match="nudge_pathway and nudge_pathway"):
        schedule.check_streams((*schedule.WEEKLY_PROCESSES, Duplicate))
    with pytest.raises(StreamClash, match="community"):
        check_unique([COMMUNITY, "community"])
    schedule.check_streams()  # the real schedule passes


def test_two_processes_drawing_one_stream_stop_the_run(monkeypatch):
    """The defect this guards against: if nudge and mobilisation shared a stream, both
    drawing 'act' in one week raised instead of sharing numbers. Injected here by giving
    mobilisation the nudge's stream, in a GENIE run where both act."""
    monkeypatch.setattr(MobilisationPathway, "stream", NudgePathway.stream)
    model = NetworkModel(n_people=400, burn_in=0, weeks=40, preset="genie", seed=1)
    with pytest.raises(StreamReused, match="nudge_pathway"):
        model.run()
