"""The shipped posterior is drawn only when its manifest says it is validated
(experiments/calibration/gate.py): a manifest with a failed check, none at all, or
another spec's digest is not used, and the commands say so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from netmob.experiments import draws
from netmob.experiments.calibration import gate
from netmob.experiments.calibration.spec import load_calibration
from netmob.experiments.specfile import shipped_posterior
from netmob.sim.errors import InputError


def shipped_copy(tmp_path: Path, monkeypatch, **manifest) -> Path:
    """The shipped posterior copied to ``tmp_path`` with the manifest given, and netmob
    pointed at it as its shipped one."""
    here = tmp_path / "calibration"
    here.mkdir()
    shutil.copy(shipped_posterior(), here / "posterior.parquet")
    (here / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(gate, "shipped_posterior", lambda: here / "posterior.parquet")
    return here / "posterior.parquet"


def validated(**extra) -> dict:
    checks = {k: {"passes": True} for k in ("emulators", "posterior", "sbc", "recovery", "ppc")}
    return {
        "validated": True,
        "digest": load_calibration("default").digest(),
        "checks": checks,
    } | extra


def test_a_validated_posterior_of_the_default_spec_is_drawn(tmp_path, monkeypatch):
    path = shipped_copy(tmp_path, monkeypatch, **validated())
    assert gate.shipped().validated
    assert draws.default_source() == "posterior"
    gate.require(path)  # no error


def test_a_manifest_with_a_failed_check_is_not_used(tmp_path, monkeypatch):
    man = validated(validated=False)
    man["checks"]["sbc"] = {"passes": False}
    path = shipped_copy(tmp_path, monkeypatch, **man)
    verdict = gate.shipped()
    assert not verdict.validated and "sbc" in verdict.reason
    source = draws.default_source()
    assert not isinstance(source, str) and source.name == "assumptions"
    assert "not validated" in source.note and "sbc" in source.note
    with pytest.raises(InputError, match="not validated"):
        gate.require(path)
    with pytest.raises(InputError, match="not validated"):
        draws.load_uncertainty(str(path))


@pytest.mark.parametrize(
    "manifest,reason",
    [
        ({}, "no validated: true"),
        ({"validated": "yes"}, "no validated: true"),  # only true itself counts
        (validated(digest="0000000000000000"), "another version of the default spec"),
    ],
)
def test_no_verdict_or_another_specs_is_not_validated(tmp_path, monkeypatch, manifest, reason):
    shipped_copy(tmp_path, monkeypatch, **manifest)
    verdict = gate.shipped()
    assert not verdict.validated and reason in verdict.reason


def test_a_posterior_of_ones_own_folder_is_drawn_as_asked(tmp_path):
    """Only the shipped posterior is gated: a calibration folder named on purpose is the
    user's choice (its report says what it is)."""
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(shipped_posterior(), mine / "posterior.parquet")
    spec = draws.load_uncertainty(str(mine))
    assert spec.is_posterior and len(spec.particles) == len(
        pd.read_parquet(mine / "posterior.parquet")
    )


def test_a_sweep_on_the_shipped_posterior_stops_while_it_is_not_validated(tmp_path):
    from netmob.experiments.plan import posterior_draws
    from netmob.experiments.spec import load_spec

    assert not gate.shipped().validated
    path = tmp_path / "sweep.yaml"
    path.write_text(
        "name: s\nbase: baseline\nreplicates: 2\nposterior: posterior\ndesign: grid\n"
        "params: {population.n_people: 50, run.weeks: 2}\n"
        "vary:\n  programme.refer_rate: [1.0, 2.0]\n"
    )
    with pytest.raises(InputError, match="not validated"):
        posterior_draws(load_spec(path))


def test_netmob_params_says_what_the_record_does_not_identify(tmp_path, monkeypatch):
    import io

    from rich.console import Console

    from netmob.cli import main

    here = shipped_copy(tmp_path, monkeypatch, **validated()).parent
    pd.DataFrame(
        {"parameter": ["pathways.advance", "network.family"], "contraction": [0.05, 0.6],
         "verdict": ["not identified by the published record", "identified"]}
    ).to_csv(here / "contraction.csv", index=False)  # fmt: skip
    # a wide terminal of its own (the shared console keeps the width it was made with)
    wide = Console(width=300, file=io.StringIO())
    monkeypatch.setattr(main, "console", wide)
    main.params("pathways")
    out = wide.file.getvalue()
    line = next(x for x in out.splitlines() if "pathways.advance" in x)
    assert "not identified by the published record (contraction 0.05)" in line
    assert gate.identification()["network.family"] == "identified (contraction 0.60)"
