"""A run too big for the memory it would have is refused before it starts (exit 2),
naming ``population.n_people``, the value and what fits: ``netmob run``, ``sweep`` (its
largest point) and ``compare``.

The machine's memory is set small here (``machine_memory``), so no test depends on the
memory of the machine it runs on, and none starts a big run.
"""

from __future__ import annotations

import pytest

from netmob.experiments import memory
from netmob.experiments.memory import (
    BASE_BYTES,
    check_backend,
    check_fits,
    fits,
    most_people,
    run_bytes,
)
from netmob.sim.errors import InputError
from tests.conftest import netmob
from tests.sweep_helpers import write_spec

GIB = 2**30


@pytest.fixture
def one_gib(monkeypatch):
    """This machine has 1 GiB of memory: about 150,000 target people fit in one run."""
    monkeypatch.setattr(memory, "machine_memory", lambda: GIB)
    return most_people(GIB)


def test_the_estimate_matches_the_measurement():
    # benchmarks/memory.py measured 722 MiB at 100,000 target people, 319 MiB at 20,000
    assert run_bytes(100_000) / 2**20 == pytest.approx(722, rel=0.05)
    assert run_bytes(20_000) / 2**20 == pytest.approx(319, rel=0.05)
    # a replicate of four scenarios at 50,000: 1,105 MiB
    assert run_bytes(50_000, scenarios=4) / 2**20 == pytest.approx(1105, rel=0.05)


def test_most_people_is_the_largest_that_fits():
    n = most_people(GIB)
    assert fits(n, GIB) and not fits(n + 1, GIB)
    assert most_people(BASE_BYTES // 2) == 0
    assert most_people(GIB, scenarios=4) < n


def test_the_refusal_names_the_field_the_value_and_what_fits():
    check_fits(1000, GIB, "this machine")  # fits: nothing happens
    check_fits(10**9, None, "somewhere")  # unknown memory: nothing is checked
    with pytest.raises(InputError) as info:
        check_fits(500_000, GIB, "this machine", option="--people")
    err = info.value
    assert err.field == "population.n_people" and err.value == 500_000
    assert f"up to {most_people(GIB):,} target people (--people)" in err.allowed
    assert "more than this machine has (1.0 GiB)" in str(err)


def test_netmob_run_refuses_a_run_too_big_for_the_machine(one_gib, tmp_path):
    r = netmob(
        "run", "--people", one_gib + 1, "--weeks", 1, "--out", tmp_path / "o", in_process=True
    )
    assert r.exit_code == 2, r.output
    assert "population.n_people" in r.output and str(one_gib + 1) in r.output
    assert f"up to {one_gib:,} target people" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "o").exists()
    fine = netmob(
        "run", "--people", 60, "--weeks", 1, "--quiet", "--out", tmp_path / "o", in_process=True
    )
    assert fine.exit_code == 0, fine.output


def test_netmob_sweep_refuses_its_largest_point(one_gib, tmp_path):
    spec = write_spec(
        tmp_path,
        params={"run.weeks": 1, "run.burn_in": 0},
        vary={"population.n_people": [60, 400_000]},
    )
    r = netmob("sweep", spec, "--out", tmp_path / "out", "--workers", 1, "--quiet", in_process=True)
    assert r.exit_code == 2, r.output
    assert "population.n_people" in r.output and "400000" in r.output
    assert f"up to {one_gib:,} target people" in r.output
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_a_range_of_people_is_checked_at_its_top(one_gib, tmp_path):
    from netmob.experiments.memory import sweep_people
    from netmob.experiments.spec import load_spec

    spec = write_spec(
        tmp_path,
        params={"run.weeks": 1},
        vary={"population.n_people": {"lo": 100, "hi": 300_000, "levels": 3}},
    )
    assert sweep_people(load_spec(spec)) == 300_000
    assert sweep_people(load_spec(write_spec(tmp_path, name="b.yaml"))) == 80


def test_netmob_compare_counts_its_scenarios(one_gib, tmp_path):
    """A replicate holds each scenario's results: four scenarios need more than one run."""
    n = most_people(GIB, scenarios=4) + 1
    assert fits(n, GIB)  # one run of n people would fit; a replicate of four does not
    args = ["--people", n, "--weeks", 1, "--replicates", 2, "--uncertainty", "none"]
    r = netmob("compare", "baseline", "genie", "plans", "connecting_people", *args,
               "--out", tmp_path / "out", "--quiet", in_process=True)  # fmt: skip
    assert r.exit_code == 2, r.output
    assert "replicate of 4 scenarios" in r.output and "population.n_people" in r.output
    assert not (tmp_path / "out").exists()


class Telling:
    """A backend whose workers have ``memory`` bytes (None: it cannot tell); it counts the
    times it is asked."""

    def __init__(self, memory: int | None) -> None:
        self.memory, self.asked = memory, 0

    def worker_memory(self) -> tuple[int | None, str]:
        self.asked += 1
        return self.memory, "a test worker"


def test_a_backend_that_cannot_tell_is_not_checked():
    """A backend with no ``worker_memory`` (the tests' serial one), or whose
    ``worker_memory`` says None (Dask workers with no memory limit), lets a billion people
    through; the same backend telling 1 GiB refuses them naming its worker (the negative
    control: check_backend does check what a backend tells). Fails if check_backend checks
    a backend that cannot tell against some other memory, or stops asking the backend."""
    from tests.sweep_helpers import SerialBackend

    check_backend(SerialBackend(), 10**9)  # no worker_memory: nothing is checked
    unknown = Telling(None)
    check_backend(unknown, 10**9)
    assert unknown.asked == 1
    known = Telling(GIB)
    check_backend(known, most_people(GIB))  # what fits passes
    with pytest.raises(InputError, match="more than a test worker has") as info:
        check_backend(known, 10**9)
    assert info.value.value == 10**9 and known.asked == 2


@pytest.mark.cluster
def test_a_local_dask_cluster_is_checked_against_its_workers_memory_limit():
    from netmob.experiments.backends.dask import DaskBackend
    from netmob.experiments.memory import machine_memory

    backend = DaskBackend(scheduler=None, workers=2)
    with backend.open():
        limit, where = backend.worker_memory()
        assert 0 < limit <= machine_memory() and "Dask worker" in where
        check_backend(backend, most_people(limit))
        with pytest.raises(InputError, match="a Dask worker"):
            check_backend(backend, most_people(limit) + 1)
