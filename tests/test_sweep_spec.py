"""Sweep specs: shipped specs load, good specs resolve, every kind of bad input stops with
one InputError naming the file, the field, the value and what is allowed."""

from __future__ import annotations

import re
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmob.experiments.outcomes import OUTCOMES, TIMING, WEEKLY_COLUMNS, flatten
from netmob.experiments.plan import plan
from netmob.experiments.spec import DESIGNS, KEYS, library, load_spec
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.run import simulate
from tests.sweep_helpers import TINY, write_spec


@pytest.mark.parametrize("name", ["pathways", "sensitivity", "example"])
def test_shipped_specs_load_and_plan(name):
    spec = load_spec(name)
    runs = plan(spec).tasks
    assert len(runs) == len({t.run_id for t in runs}) > 0
    assert name in library()


def test_pathways_spec_crosses_pathways_barriers_and_workers():
    spec = load_spec("pathways")
    names = [f.name for f in spec.factors]
    assert names[:2] == ["pathways.nudge", "pathways.mobilisation"]
    assert {"attendance.barrier_scale", "programme.workforce_scale"} <= set(names)
    assert spec.design.kind == "grid" and spec.replicates >= 5


def test_sensitivity_spec_is_sobol_over_pathway_parameters():
    spec = load_spec("sensitivity")
    assert spec.design.kind == "sobol"
    assert all(f.name.startswith("pathways.") and f.is_range for f in spec.factors)
    assert len(plan(spec).tasks) == spec.design.samples * (len(spec.factors) + 2)


def test_tiny_spec_resolves(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    assert spec.base == "genie" and spec.base_params.programme.preset == "genie"
    assert spec.base_params.population.n_people == 80  # fixed params on top of the base
    assert [f.name for f in spec.factors] == ["pathways.nudge", "attendance.barrier_scale"]
    assert spec.outcomes == tuple(TINY["outcomes"])


def test_ranges_default_to_the_schema_bounds(tmp_path):
    spec = load_spec(
        write_spec(
            tmp_path,
            vary={"pathways.advance": "bounds", "programme.workers": {"hi": 8}},
            design={"kind": "lhs", "samples": 4},
        )
    )
    advance, workers = spec.factors
    assert (advance.lo, advance.hi) == (0.0, 1.0)
    assert (workers.lo, workers.hi, workers.integer) == (0, 8, True)


def test_a_bool_with_no_values_takes_both(tmp_path):
    spec = load_spec(write_spec(tmp_path, vary={"pathways.nudge": None}))
    assert spec.factors[0].values == (False, True)


def test_digest_ignores_name_but_not_design(tmp_path):
    a = load_spec(write_spec(tmp_path, name="a.yaml")).digest()
    b = load_spec(write_spec(tmp_path, name="b.yaml", description="other words")).digest()
    c = load_spec(write_spec(tmp_path, name="c.yaml", replicates=3)).digest()
    assert a == b != c


def test_declared_outcomes_cover_what_a_run_produces():
    """A summary key or weekly column added to the model without being declared in
    experiments/outcomes.py fails this test (specs could not ask for it)."""
    over = {
        "population.n_people": 40,
        "run.weeks": 2,
        "run.burn_in": 0,
        "programme.preset": "genie",
    }
    result = simulate(Params.from_overrides(over), 1)
    produced = {k for k in flatten(result.summary) if k not in TIMING}
    assert produced <= set(OUTCOMES), produced - set(OUTCOMES)
    weekly = set(result.weekly.columns) - {"week"}
    assert weekly <= set(WEEKLY_COLUMNS), weekly - set(WEEKLY_COLUMNS)


# Each kind of bad input: (changes to the tiny spec, field named, words in the message).
BAD = {
    "unknown parameter": (
        {"vary": {"pathways.advanse": [0.1]}},
        "vary.pathways.advanse",
        "advance",
    ),
    "range outside bounds": (
        {"vary": {"attendance.barrier_scale": {"lo": 0.5, "hi": 9}}},
        "vary.attendance.barrier_scale.hi",
        "0 to 5",
    ),
    "value outside bounds": (
        {"vary": {"pathways.advance": [0.1, 1.5]}},
        "vary.pathways.advance[1]",
        "1.5",
    ),
    "unknown design": ({"design": "factorial"}, "design.kind", "sobol"),
    "replicates below one": ({"replicates": 0}, "replicates", "1 or more"),
    "replicates not a number": ({"replicates": "ten"}, "replicates", "whole number"),
    "missing base": ({"base": "no_such_scenario"}, "base", "genie"),
    "unknown outcome": ({"outcomes": ["swemwbs_mea"]}, "outcomes[0]", "swemwbs_mean"),
    "unknown weekly column": ({"weekly": ["nope"]}, "weekly[0]", "swemwbs_mean"),
    "renamed outcome": (
        {"outcomes": ["swemwbs_mean", "new_ties.nudge"]},
        "outcomes[1]",
        "renamed to new_ties_nudge_total",
    ),
    "renamed count": ({"outcomes": ["changes_nudge"]}, "outcomes[0]", "changes_nudge_total"),
    "renamed weekly column": (
        {"weekly": ["new_ties_organic"]},
        "weekly[0]",
        "renamed to new_ties_organic_total",
    ),
    "unknown key": ({"replicate": 3}, "replicate", "replicates"),
    "grid range without levels": (
        {"vary": {"pathways.advance": {"lo": 0.1, "hi": 0.2}}},
        "vary.pathways.advance",
        "levels",
    ),
    "sobol samples not a power of 2": (
        {"design": {"kind": "sobol", "samples": 100}, "vary": {"pathways.advance": "bounds"}},
        "design.samples",
        "power of 2",
    ),
    "sampled design without samples": (
        {"design": "lhs", "vary": {"pathways.advance": "bounds"}},
        "design.samples",
        "points",
    ),
    "range on a switch": (
        {"vary": {"pathways.nudge": {"lo": 0, "hi": 1}}},
        "vary.pathways.nudge",
        "list of values",
    ),
    "fractional bound of a whole number": (
        {"vary": {"programme.workers": {"lo": 0.5, "hi": 4, "levels": 2}}},
        "vary.programme.workers.lo",
        "whole numbers",
    ),
    "fixed and varied": (
        {"params": {**TINY["params"], "pathways.nudge": True}},
        "vary.pathways.nudge",
        "one or the other",
    ),
    "bad fixed parameter": ({"params": {"ties.meet": 2.0}}, "params.ties.meet", "0 to 1"),
    "repeated value": (
        {"vary": {"pathways.nudge": [True, True]}},
        "vary.pathways.nudge",
        "distinct",
    ),
    "points invalid together": (
        {"vary": {"population.ltc_1": [0.163, 0.5]}},
        "vary",
        "sum to 1",
    ),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_spec_names_file_field_value_and_allowed(kind, tmp_path):
    changes, field, words = BAD[kind]
    path = write_spec(tmp_path, **changes)
    with pytest.raises(InputError) as info:
        plan(load_spec(path))
    err = info.value
    assert err.file == str(path.resolve()), str(err)
    assert err.field is not None and err.field.startswith(field), str(err)
    assert words in str(err), str(err)
    assert err.allowed, str(err)


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nvary:\n  pathways.nudge: [true, false\ndesign: grid\n")
    with pytest.raises(InputError, match=r"not valid YAML at line \d+") as info:
        load_spec(path)
    assert info.value.file == str(path.resolve())


def test_missing_spec_lists_the_library():
    with pytest.raises(InputError, match="pathways") as info:
        load_spec("no_such_spec")
    assert info.value.value == "no_such_spec"


def test_a_broken_base_scenario_names_its_own_file(tmp_path):
    (tmp_path / "mybase.yaml").write_text("params:\n  ties.meet: 7\n")
    with pytest.raises(InputError) as info:
        load_spec(write_spec(tmp_path, base="mybase"))
    assert info.value.file.endswith("mybase.yaml") and info.value.field == "ties.meet"


# Malformed documents: the loader raises InputError and nothing else.
NAMES = [
    "pathways.nudge",
    "pathways.advance",
    "programme.workers",
    "programme.preset",
    "x.y",
    "run",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(string.printable, max_size=12),
    st.sampled_from(["bounds", "grid", "sobol", "all", "genie", "lo", "hi"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from([*NAMES, "lo", "hi", "levels", "values", "kind", "samples"]),
                st.text(max_size=6),
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
documents = st.one_of(
    values,
    st.dictionaries(st.sampled_from([*KEYS, "extends", "other"]), values, max_size=8),
    st.fixed_dictionaries(
        {"design": st.one_of(st.sampled_from(["grid", "lhs", "sobol", "morris"]), values)},
        optional={
            "vary": st.dictionaries(st.sampled_from(NAMES), values, max_size=3),
            "replicates": values,
            "outcomes": st.one_of(values, st.lists(st.sampled_from([*OUTCOMES[:5], "x"]))),
            "params": st.dictionaries(st.sampled_from(NAMES), values, max_size=3),
            "weekly": values,
            "base": st.one_of(st.sampled_from(["genie", "baseline"]), values),
        },
    ),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=documents)
def test_malformed_documents_raise_only_input_errors(doc, tmp_path):
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc))
    try:
        spec = plan(load_spec(path))
    except InputError as err:
        assert err.file == str(path.resolve()), str(err)
        if isinstance(doc, dict):  # the field named is one of the document's (or one it lacks)
            keys = {*map(str, doc), "design", "vary"}
            assert err.field in keys or top_key(err.field or "") in keys, (err.field, str(err))
    else:  # accepted: it ran the design it gave
        assert len(spec.tasks) == len(spec.points) * doc.get("replicates", 1)


def top_key(field: str) -> str:
    """The document's key a field is under: ``vary`` for ``vary.x.y[0]``."""
    return re.split(r"[.\[]", field, maxsplit=1)[0]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_arbitrary_text_raises_only_input_errors(text, tmp_path):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text)
    try:
        load_spec(path)
    except InputError as err:
        assert err.file == str(path.resolve()), str(err)  # whatever is wrong, the file is named


# Valid specs are accepted as written; a valid spec with one bad field is refused, naming
# that field.
valid_vary = st.fixed_dictionaries(
    {},
    optional={
        "pathways.nudge": st.sampled_from([[False, True], [True], [False]]),
        "attendance.barrier_scale": st.lists(
            st.floats(0, 5), min_size=2, max_size=2, unique=True
        ).map(lambda lh: {"lo": min(lh), "hi": max(lh), "levels": 2}),
        "programme.workers": st.lists(st.integers(0, 50), min_size=1, max_size=3, unique=True),
    },
)
valid_specs = st.fixed_dictionaries(
    {"design": st.just("grid"), "vary": valid_vary, "replicates": st.integers(1, 4)},
    optional={
        "name": st.text(string.ascii_letters, min_size=1, max_size=8),
        "description": st.text(max_size=20),
        "base": st.sampled_from(["genie", "baseline"]),
        "params": st.fixed_dictionaries(
            {},
            optional={"population.n_people": st.integers(1, 500), "run.weeks": st.integers(1, 9)},
        ),
        "seed": st.integers(0, 2**63 - 1),
        "crn": st.booleans(),
        "outcomes": st.just("all")
        | st.lists(st.sampled_from(OUTCOMES[:8]), min_size=1, max_size=3, unique=True),
        "weekly": st.booleans()
        | st.lists(st.sampled_from(WEEKLY_COLUMNS[:6]), min_size=1, max_size=2, unique=True),
    },
)
not_text = st.integers() | st.floats(allow_nan=False) | st.booleans()
# field -> (bad values, the key they go under, the field the error must name)
BAD_FIELDS = {
    "replicates": (
        st.integers(max_value=0) | st.floats(allow_nan=False) | st.text(max_size=4) | st.none(),
        "replicates",
    ),
    "seed": (
        st.integers(max_value=-1) | st.integers(min_value=2**63) | st.text(max_size=4),
        "seed",
    ),
    "crn": (st.integers() | st.text(max_size=4) | st.floats(allow_nan=False), "crn"),
    "design": (st.text(max_size=8).filter(lambda v: v not in DESIGNS), "design.kind"),
    "outcomes": (
        st.lists(st.text(max_size=6).filter(lambda v: v not in OUTCOMES), min_size=1, max_size=2),
        "outcomes[0]",
    ),
    "weekly": (
        st.lists(st.text(max_size=6).filter(lambda v: v not in WEEKLY_COLUMNS), min_size=1),
        "weekly[0]",
    ),
    "base": (st.text(string.ascii_letters, min_size=1, max_size=6).map("no_such_".__add__), "base"),
    "name": (not_text, "name"),
    "vary.attendance.barrier_scale": (
        st.floats(5, exclude_min=True, allow_infinity=False).map(lambda hi: {"lo": 1, "hi": hi}),
        "vary.attendance.barrier_scale.hi",
    ),
    "vary.pathways.nudge": (
        st.lists(st.integers(min_value=2), min_size=1, max_size=2),
        "vary.pathways.nudge[0]",
    ),
    "vary.ties.nonsense": (st.just([1, 2]), "vary.ties.nonsense"),
    "params.population.n_people": (
        st.integers(max_value=0) | st.integers(min_value=5_000_001),
        "params.population.n_people",
    ),
}


def put(doc: dict, key: str, value) -> dict:
    """``doc`` with ``value`` at ``key`` (``vary.NAME`` and ``params.NAME`` go in their
    mapping, replacing what the valid spec had there)."""
    doc = {k: dict(v) if isinstance(v, dict) else v for k, v in doc.items()}
    head, _, name = key.partition(".")
    if name:
        doc[head] = {k: v for k, v in doc.get(head, {}).items() if k != name} | {name: value}
    else:
        doc[key] = value
    return doc


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=valid_specs)
def test_valid_specs_are_accepted_as_written(doc, tmp_path):
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc))
    spec = load_spec(path)
    the_plan = plan(spec)
    assert sorted(f.name for f in spec.factors) == sorted(doc["vary"])
    assert spec.replicates == doc["replicates"] and spec.seed == doc.get("seed", 1)
    assert len(the_plan.tasks) == len(the_plan.points) * doc["replicates"]
    for name, value in doc.get("params", {}).items():
        assert spec.base_params.flat()[name] == value
    outcomes = doc.get("outcomes", "all")
    assert spec.outcomes == (None if outcomes == "all" else tuple(outcomes))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=valid_specs, data=st.data())
def test_one_bad_field_is_refused_naming_it(doc, data, tmp_path):
    key = data.draw(st.sampled_from(sorted(BAD_FIELDS)), label="key")
    values, field = BAD_FIELDS[key]
    doc = put(doc, key, data.draw(values, label="value"))
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError) as info:
        plan(load_spec(path))
    assert info.value.field == field, str(info.value)
    assert info.value.file == str(path.resolve())
