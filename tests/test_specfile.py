"""One spec language (netmob.experiments.specfile): every range a spec names is a ParamRange
checked against the schema in one place, and every kind of spec file is a SpecFile (found
by name or path, read strictly, ``extends``, a definition and its digest).

Each refusal has its positive control: the same entry, corrected, is accepted."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from netmob.experiments import specfile
from netmob.experiments.calibration.spec import CalibrationSpec, load_calibration
from netmob.experiments.design import DesignSpec, from_unit, grid_levels, points
from netmob.experiments.draws import UncertaintySpec, load_posterior, load_uncertainty
from netmob.experiments.ema import schema_parameters
from netmob.experiments.spec import SweepSpec, load_spec
from netmob.experiments.specfile import ParamRange, Where
from netmob.sim.errors import InputError
from tests.conftest import posterior_copy
from tests.sweep_helpers import write_spec

VARY = Where(file="spec.yaml", field="vary.X")

# name, a bad entry, the same entry corrected, the field named (X: the range's), words
BAD = [
    ("attendance.barrier_scale", {"lo": 0.5, "hi": 9}, {"lo": 0.5, "hi": 4}, "vary.X.hi", "0 to 5"),
    ("pathways.advance", {"lo": 0.1, "hi": 40}, {"lo": 0.1, "hi": 0.4}, "vary.X.hi", "percentage"),
    ("pathways.advance", [0.1, 45], [0.1, 0.45], "vary.X[1]", "write 0.45"),
    ("programme.workers", {"lo": 0.5, "hi": 4}, {"lo": 1, "hi": 4}, "vary.X.lo", "whole numbers"),
    ("pathways.advance", {"lo": 0.3, "hi": 0.1}, {"lo": 0.1, "hi": 0.3}, "vary.X", "lo < hi"),
    ("pathways.advance", {"dist": "loguniform", "lo": 0, "hi": 0.3},
     {"dist": "loguniform", "lo": 0.01, "hi": 0.3}, "vary.X.lo", "above 0"),
    ("pathways.advance", {"dist": "normal"}, {"dist": "uniform"}, "vary.X.dist", "loguniform"),
    ("programme.workers", {"dist": "loguniform", "lo": 1, "hi": 8}, {"lo": 1, "hi": 8},
     "vary.X.dist", "real-valued"),
    ("pathways.nudge", {"lo": 0, "hi": 1}, [False, True], "vary.X", "numeric"),
    ("pathways.nudge", [True, True], [True, False], "vary.X", "repeated"),
    ("programme.preset", ["genie", "genei"], ["genie", "plans"], "vary.X[1]", "genie"),
    ("programme.eligible", "bounds", ["all"], "vary.X", "values to try"),
    ("pathways.advance", {"lo": 0.1, "hgh": 0.2}, {"lo": 0.1, "hi": 0.2}, "vary.X.hgh", "unknown key"),
    ("pathways.advance", {"levels": 1}, {"levels": 2}, "vary.X.levels", "2 or more"),
    ("pathways.advance", 0.1, [0.1], "vary.X", "a list of values"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "bad", "good", "field", "words"), BAD, ids=[b[4] for b in BAD])
def test_a_bad_range_is_refused_naming_the_field_and_the_fix(name, bad, good, field, words):
    where = Where(file="spec.yaml", field=f"vary.{name}")
    assert ParamRange.read(name, good, where).name == name  # positive control
    with pytest.raises(InputError) as info:
        ParamRange.read(name, bad, where)
    err = info.value
    assert err.file == "spec.yaml" and err.field == field.replace("vary.X", f"vary.{name}")
    assert words in str(err) and err.allowed, str(err)


def test_an_unknown_name_is_refused_with_the_names_it_is_close_to():
    where = Where(file="spec.yaml", field="vary.pathways.advanse")
    with pytest.raises(InputError, match="unknown parameter") as info:
        ParamRange.read("pathways.advanse", [0.1], where)
    assert info.value.field == "vary.pathways.advanse"
    assert info.value.allowed.startswith("pathways.advance")  # did you mean
    assert ParamRange.read("pathways.advance", [0.1], where).choices == (0.1,)


def test_ranges_take_the_schemas_bounds_types_and_values():
    assert ParamRange.read("pathways.advance", "bounds").bounds == (0.0, 1.0)
    assert ParamRange.read("programme.workers", {"hi": 8}).integer  # the schema's type
    assert not ParamRange.read("pathways.advance", None).integer
    assert ParamRange.read("pathways.nudge", None).choices == (False, True)  # both values
    assert ParamRange.read("programme.preset", "bounds").choices == (
        "none",
        "genie",
        "plans",
        "connecting_people",
    )
    assert ParamRange.read("pathways.advance", [0, 1]).choices == (0.0, 1.0)  # as the schema reads


def test_built_directly_it_is_checked_all_the_same():
    """Not only a spec's reader: the model itself refuses what the schema does not allow,
    with the same InputError (never pydantic's ValidationError)."""
    assert ParamRange(name="attendance.barrier_scale", lo=0.5, hi=4).bounds == (0.5, 4.0)
    for bad in (
        {"name": "no.such", "lo": 0.0, "hi": 1.0},
        {"name": "attendance.barrier_scale", "lo": 0.5, "hi": 9},
        {"name": "programme.workers", "lo": 0, "hi": 4, "integer": False},
    ):
        with pytest.raises(InputError):
            ParamRange(**bad)


def test_a_spec_allows_only_its_own_keys():
    """A calibration's prior is a range {dist, lo, hi}: a list of values or grid levels
    are not priors (a sweep takes both)."""
    calibration = Where(file="c.yaml", field="priors.pathways.advance", keys=("dist", "lo", "hi"))
    assert ParamRange.read("pathways.advance", {"levels": 3}, VARY).levels == 3
    with pytest.raises(InputError, match="unknown key") as info:
        ParamRange.read("pathways.advance", {"levels": 3}, calibration)
    assert info.value.field == "priors.pathways.advance.levels"
    with pytest.raises(InputError, match=r"give a range \{dist, lo, hi\}"):
        ParamRange.read("pathways.advance", [0.1, 0.2], calibration)


# ---- every kind of spec on the one ParamRange ------------------------------------------------


def test_every_kind_of_spec_reads_its_ranges_as_paramranges(tmp_path, monkeypatch):
    """Sweeps, uncertainty specs (ranges and posteriors), calibrations and the EMA adapter
    all check their ranges through the one function behind ParamRange."""
    seen: list[str] = []
    check = specfile._checked
    monkeypatch.setattr(
        specfile, "_checked", lambda data, where: seen.append(data["name"]) or check(data, where)
    )
    sweep = load_spec(write_spec(tmp_path))
    uncertainty = load_uncertainty("assumptions")
    posterior = load_posterior(posterior_copy(tmp_path / "posterior"))
    calibration = load_calibration("tiny")
    schema_parameters(["wellbeing.eq5d_activity"])
    ranges = [*sweep.factors, *uncertainty.factors, *posterior.factors, *calibration.priors]
    assert ranges and all(type(r) is ParamRange for r in ranges)
    assert {r.name for r in ranges} | {"wellbeing.eq5d_activity"} <= set(seen)
    assert "wellbeing.eq5d_activity" in seen  # the EMA adapter's too


def test_one_bad_range_reads_the_same_in_every_kind(tmp_path):
    """The same range outside the schema's bounds is refused in the same words by a sweep,
    an uncertainty spec, a calibration spec and the EMA adapter."""
    bad = {"lo": 0.1, "hi": 7.0}  # wellbeing.activity_effect: 0 to 5
    name = "wellbeing.activity_effect"
    sweep = write_spec(tmp_path, "s.yaml", vary={name: bad}, design={"kind": "lhs", "samples": 4})
    (tmp_path / "u.yaml").write_text(yaml.safe_dump({"vary": {name: bad}}))
    cal = tmp_path / "c.yaml"
    cal.write_text(yaml.safe_dump({"extends": "tiny", "priors": {name: bad}}))
    errors = []
    for load in (lambda: load_spec(sweep), lambda: load_uncertainty(tmp_path / "u.yaml"),
                 lambda: load_calibration(cal),
                 lambda: schema_parameters([name], {name: (bad["lo"], bad["hi"])})):  # fmt: skip
        with pytest.raises(InputError) as info:
            load()
        errors.append(info.value)
    assert [e.field for e in errors] == [f"vary.{name}.hi", f"vary.{name}.hi",
                                         f"priors.{name}.hi", name]  # fmt: skip
    assert len({(e.reason, e.allowed, e.value) for e in errors}) == 1, [str(e) for e in errors]
    assert errors[0].reason == "outside the schema's bounds" and "0 to 5" in errors[0].allowed


def test_a_log_uniform_range_is_sampled_on_the_log_scale():
    """Half the draws of a log-uniform range on [0.01, 1] lie below 0.1 (its geometric
    middle); of a uniform one, about a tenth (the negative control)."""
    u = (np.arange(1000) + 0.5) / 1000
    log = ParamRange(name="pathways.advance", dist="loguniform", lo=0.01, hi=1.0)
    flat = ParamRange(name="pathways.advance", lo=0.01, hi=1.0)
    assert np.mean(np.array(from_unit(log, u)) < 0.1) == pytest.approx(0.5, abs=0.002)
    assert np.mean(np.array(from_unit(flat, u)) < 0.1) == pytest.approx(0.091, abs=0.002)
    assert grid_levels(log.model_copy(update={"levels": 3})) == pytest.approx([0.01, 0.1, 1.0])
    t = points([log], DesignSpec(kind="lhs", samples=20), seed=1)
    assert t["pathways.advance"].between(0.01, 1.0).all()


# ---- spec files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "shipped"),
    [(SweepSpec, "example"), (UncertaintySpec, "assumptions"), (CalibrationSpec, "tiny")],
)
def test_each_kind_finds_its_library_by_name(kind, shipped):
    assert shipped in kind.library()
    assert kind.resolve(shipped) == (kind.folder() / f"{shipped}.yaml").resolve()
    with pytest.raises(InputError, match=f"{kind.KIND} not found") as info:
        kind.resolve("no_such_spec")
    assert shipped in info.value.allowed  # the library is listed


def test_a_sweep_extends_another_and_replaces_whole_keys(tmp_path):
    path = tmp_path / "more.yaml"
    path.write_text("extends: example\nreplicates: 3\n")
    base, more = load_spec("example"), load_spec(path)
    assert more.name == "more" and more.factors == base.factors and more.replicates == 3
    assert more.definition() == base.definition() | {"replicates": 3}
    assert more.digest() != base.digest()


def test_an_uncertainty_spec_and_a_calibration_extend_too(tmp_path):
    (tmp_path / "u.yaml").write_text("extends: assumptions\nvary:\n  pathways.advance: bounds\n")
    spec = load_uncertainty(tmp_path / "u.yaml")
    assert spec.ranges() == {"pathways.advance": [0.0, 1.0]}  # vary replaced whole
    assert spec.name == "u" and spec.description == ""  # its own, not the other's
    (tmp_path / "c.yaml").write_text("extends: tiny\nseed: 2\n")
    cal, tiny = load_calibration(tmp_path / "c.yaml"), load_calibration("tiny")
    assert cal.priors == tiny.priors and cal.seed == 2 and cal.digest() != tiny.digest()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("extends: no_such_spec\n", "not found"),
        ("extends: me\n", "cannot extend itself"),
        ("extends: middle\n", "extends no other"),
        ("extends: [example]\n", "must be text"),
    ],
)
def test_a_bad_extends_is_refused(tmp_path, text, words):
    (tmp_path / "middle.yaml").write_text("extends: example\n")
    good = tmp_path / "good.yaml"
    good.write_text("extends: example\n")
    assert load_spec(good).factors == load_spec("example").factors  # positive control
    path = tmp_path / "me.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=words) as info:
        load_spec(path)
    assert info.value.field == "extends" and info.value.file == str(path.resolve())


@pytest.mark.parametrize(
    "load", [load_spec, load_uncertainty, load_calibration], ids=["sweep", "uncertainty", "cal"]
)
def test_every_kind_reads_strictly(load, tmp_path):
    twice = tmp_path / "twice.yaml"
    twice.write_text("name: a\nname: b\n")
    with pytest.raises(InputError, match="given twice"):
        load(twice)
    named = tmp_path / "named.yaml"
    named.write_text("name: 3\n")
    with pytest.raises(InputError, match="must be text") as info:
        load(named)
    assert info.value.field == "name"


def test_a_sweeps_definition_keeps_the_format_its_digest_was_made_of(tmp_path):
    """Result folders know their spec by its digest: a uniform range is recorded without
    ``dist`` (as before ranges could be log-uniform), so their digests hold; a log-uniform
    one says so (another question, another digest)."""
    vary = {
        "pathways.nudge": [False, True],
        "programme.workers": {"lo": 1, "hi": 4},
        "pathways.advance": {"lo": 0.1, "hi": 0.2},
    }
    spec = load_spec(write_spec(tmp_path, vary=vary, design={"kind": "lhs", "samples": 4}))
    assert spec.definition()["vary"] == [
        {"name": "pathways.nudge", "values": (False, True), "lo": None, "hi": None,
         "levels": None, "integer": False},
        {"name": "programme.workers", "values": None, "lo": 1.0, "hi": 4.0, "levels": None,
         "integer": True},
        {"name": "pathways.advance", "values": None, "lo": 0.1, "hi": 0.2, "levels": None,
         "integer": False},
    ]  # fmt: skip
    log = {**vary, "pathways.advance": {"dist": "loguniform", "lo": 0.1, "hi": 0.2}}
    other = load_spec(
        write_spec(tmp_path, "log.yaml", vary=log, design={"kind": "lhs", "samples": 4})
    )
    assert other.definition()["vary"][2]["dist"] == "loguniform"
    assert other.digest() != spec.digest()


def test_a_calibrations_priors_keep_their_recorded_form():
    spec = load_calibration("tiny")
    assert spec.definition()["priors"] == [
        {"name": "pathways.advance", "dist": "loguniform", "lo": 0.02, "hi": 0.3},
        {"name": "wellbeing.activity_effect", "dist": "uniform", "lo": 0.2, "hi": 1.6},
    ]


def test_an_exponent_is_a_number_in_every_kind(tmp_path):
    """YAML 1.1 reads 1e-3 as text; every kind of spec reads it as the number it looks like."""
    line = "  pathways.advance: {lo: 1e-3, hi: 2e-1}\n"
    (tmp_path / "s.yaml").write_text(
        f"extends: example\ndesign: {{kind: lhs, samples: 4}}\nvary:\n{line}"
    )
    (tmp_path / "u.yaml").write_text(f"vary:\n{line}")
    (tmp_path / "c.yaml").write_text(f"extends: tiny\npriors:\n{line}")
    ranges = [
        load_spec(tmp_path / "s.yaml").factors[0],
        load_uncertainty(tmp_path / "u.yaml").factors[0],
        load_calibration(tmp_path / "c.yaml").priors[0],
    ]
    assert [r.bounds for r in ranges] == [(0.001, 0.2)] * 3
