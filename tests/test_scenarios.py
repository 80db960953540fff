"""The scenario library and the loader's handling of bad input."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmob.sim.errors import InputError
from netmob.sim.run import simulate
from netmob.sim.scenario import EXPONENT_FLOAT, library, library_dir, load_scenario
from tests.conftest import netmob

REQUIRED = {
    "baseline",
    "genie",
    "plans",
    "connecting_people",
    "genie_more_workers",
    "genie_nudge_only",
    "genie_mobilisation_only",
    "genie_no_transport_support",
    "community_resource_cuts",
    "anti_stigma_campaign",
    "high_worker_turnover",
    "weak_agency_context",
}


def test_library_has_the_required_scenarios_and_an_smi_variant():
    names = set(library())
    assert REQUIRED <= names
    assert any(load_scenario(n).params.population.smi == 1.0 for n in names)


@pytest.mark.parametrize("name", library())
def test_every_scenario_validates_describes_itself_and_runs(name):
    sc = load_scenario(name)
    assert sc.description and len(sc.description) > 40
    assert sc.name == name
    p = sc.params.with_overrides({"population.n_people": 120, "run.weeks": 4, "run.burn_in": 2})
    r = simulate(p, seed=1)
    assert len(r.weekly) == 4 and r.people["swemwbs"].notna().all()


def test_scenarios_readme_lists_each_with_its_question():
    text = (library_dir() / "README.md").read_text()
    for name in library():
        assert f"`{name}`" in text, name


def write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / f"{name}.yaml"
    f.write_text(text)
    return f


@pytest.mark.parametrize(
    "text, words",
    [
        ("params:\n  ties.meat: 0.1\n", ["ties.meat", "unknown parameter", "ties.meet"]),
        ("params:\n  ties.meet: 7\n", ["ties.meet", "7", "from 0 to 1"]),
        ("params:\n  population.n_people: lots\n", ["population.n_people", "lots"]),
        ("params:\n  ties: [1, 2\n", ["not valid YAML", "line"]),
        ("extends: nowhere\n", ["extends", "nowhere", "not found"]),
        (
            "colour: blue\n",
            ["colour", "unknown key", "allowed: name, description, extends, params"],
        ),
        ("- a\n- b\n", ["must be a YAML mapping"]),
        ("params: 3\n", ["params", "mapping"]),
        ("params:\n  programme.preset: genius\n", ["programme.preset", "genius"]),
        ("params:\n  programme.eligible: 'smokes'\n", ["programme.eligible", "unknown name"]),
    ],
)
def test_bad_scenario_names_file_field_value(tmp_path, text, words):
    f = write(tmp_path, "bad", text)
    with pytest.raises(InputError) as e:
        load_scenario(str(f))
    msg = str(e.value)
    assert str(f) in msg
    for w in words:
        assert w in msg, msg


def test_cyclic_extends_is_rejected(tmp_path):
    write(tmp_path, "a", "extends: b\n")
    b = write(tmp_path, "b", "extends: a\n")
    with pytest.raises(InputError, match="cycle: b -> a -> b"):
        load_scenario(str(b))


def test_chains_are_followed_and_children_win(tmp_path):
    write(
        tmp_path, "parent", "extends: genie\nparams:\n  programme.workers: 7\n  ties.meet: 0.05\n"
    )
    child = write(tmp_path, "child", "extends: parent\nparams:\n  programme.workers: 9\n")
    sc = load_scenario(str(child))
    assert sc.chain == ["child", "parent", "genie", "baseline"]
    assert sc.params.programme.workers == 9 and sc.params.ties.meet == 0.05
    assert sc.params.programme.mapping == 1.0  # from the genie preset


def test_missing_file():
    with pytest.raises(InputError, match="not found"):
        load_scenario("/no/such/scenario.yaml")


def test_yaml_cannot_run_code(tmp_path):
    marker = tmp_path / "ran"
    f = write(tmp_path, "evil", f"params: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_scenario(str(f))
    assert not marker.exists()


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=3)
    ),
    max_leaves=8,
)
keys = st.sampled_from(["name", "description", "extends", "params", "other"]) | st.text(max_size=6)
param_keys = st.sampled_from(
    [
        "ties.meet",
        "population.n_people",
        "programme.preset",
        "programme.eligible",
        "pathways.nudge",
        "ties",
        "nonsense.x",
        "a.b.c",
    ]
) | st.text(max_size=10)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    doc=st.dictionaries(keys, yaml_values, max_size=4),
    params=st.dictionaries(param_keys, yaml_values, max_size=4),
)
def test_malformed_documents_give_input_errors_only(tmp_path, doc, params):
    if "extends" in doc:
        doc["extends"] = str(doc["extends"])[:6]  # never a real file in the library
    doc["params"] = params
    f = tmp_path / "fuzz.yaml"
    f.write_text(yaml.safe_dump(doc))
    try:
        sc = load_scenario(str(f))
    except InputError as err:
        assert str(f) in str(err) and err.file == str(f)
        assert names_a_field_of(err.field, doc, params), (err.field, str(err))
    else:  # accepted: then every parameter it gave is the scenario's (text read as a value)
        flat = sc.params.flat()
        for name, value in params.items():
            if name in flat:
                assert flat[name] == value or isinstance(value, str), (name, value, flat[name])


def names_a_field_of(field: str | None, doc: dict, params: dict) -> bool:
    """True if ``field`` is a key of the document or one of its parameters (a group, a
    parameter, or a parameter inside a group given as a mapping)."""
    if field is None:
        return False
    if field in doc:
        return True
    return any(
        field == key or field.startswith(f"{key}.") or key.startswith(f"{field}.")
        for key in map(str, params)
    )


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=80))
def test_arbitrary_text_gives_input_errors_only(tmp_path, text):
    f = tmp_path / "text.yaml"
    f.write_text(text)
    try:
        load_scenario(str(f))
    except InputError as err:
        assert err.file == str(f), str(err)  # whatever is wrong, the file is named


# Valid scenarios are accepted as written; a scenario with one bad value is refused,
# naming that value's field.
VALID_PARAMS = {
    "ties.meet": st.floats(0, 1),
    "population.n_people": st.integers(1, 5_000_000),
    "programme.preset": st.sampled_from(["none", "genie", "plans", "connecting_people"]),
    "programme.workers": st.integers(0, 10_000),
    "pathways.nudge": st.booleans(),
    "attendance.barrier_scale": st.floats(0, 5),
    "run.weeks": st.integers(1, 1040),
}
BAD_PARAMS = {
    "ties.meet": st.floats(1, exclude_min=True, allow_infinity=False)
    | st.floats(max_value=-1e-9)
    | st.text(string.ascii_letters, min_size=1, max_size=6),
    "population.n_people": st.integers(max_value=0) | st.integers(min_value=5_000_001),
    "programme.preset": st.text(string.ascii_letters, max_size=8).filter(
        lambda v: v not in ("none", "genie", "plans", "connecting_people")
    ),
    "programme.workers": st.integers(max_value=-1) | st.integers(min_value=10_001),
    "pathways.nudge": st.integers(min_value=2) | st.lists(st.booleans(), min_size=1, max_size=2),
    "attendance.barrier_scale": st.floats(5, exclude_min=True, allow_infinity=False),
    "run.weeks": st.integers(max_value=0) | st.integers(min_value=1041),
}
valid_scenarios = st.fixed_dictionaries(
    {"params": st.fixed_dictionaries({}, optional=VALID_PARAMS)},
    optional={
        "name": st.text(string.ascii_letters, min_size=1, max_size=10),
        "description": st.text(max_size=30),
        "extends": st.sampled_from(["baseline", "genie", "plans"]),
    },
)


class Dumper(yaml.SafeDumper):
    """Quotes text the scenario loader would read as a number (``0E0``), as a user must."""


Dumper.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT_FLOAT, list("-+.0123456789"))


def dump(tmp_path: Path, doc: dict) -> Path:
    f = tmp_path / "fuzz.yaml"
    f.write_text(yaml.dump(doc, Dumper=Dumper))
    return f


def test_text_that_reads_as_a_number_is_quoted_and_stays_text(tmp_path):
    """The fuzz tests' dumper quotes ``0E0``; written bare, the loader reads a number and
    the scenario is refused naming its description (negative control)."""
    sc = load_scenario(str(dump(tmp_path, {"params": {}, "description": "0E0"})))
    assert sc.description == "0E0"
    bare = tmp_path / "bare.yaml"
    bare.write_text("description: 0E0\nparams: {}\n")
    with pytest.raises(InputError) as info:
        load_scenario(str(bare))
    assert info.value.field == "description"


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=valid_scenarios)
def test_valid_scenarios_are_accepted_as_written(tmp_path, doc):
    sc = load_scenario(str(dump(tmp_path, doc)))
    flat = sc.params.flat()
    for name, value in doc["params"].items():
        assert flat[name] == value, name
    assert sc.name == doc.get("name", "fuzz")
    if "extends" in doc:
        assert sc.chain[1] == doc["extends"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=valid_scenarios, data=st.data())
def test_one_bad_value_is_refused_naming_its_field(tmp_path, doc, data):
    name = data.draw(st.sampled_from(sorted(BAD_PARAMS)), label="field")
    bad = data.draw(BAD_PARAMS[name], label="value")
    doc["params"][name] = bad
    f = dump(tmp_path, doc)
    with pytest.raises(InputError) as info:
        load_scenario(str(f))
    assert info.value.field == name, str(info.value)
    assert info.value.file == str(f) and repr(bad)[:20] in str(info.value)


def test_cli_list_show_validate(tmp_path):
    r = netmob("scenarios", "list")
    assert r.returncode == 0 and "genie_more_workers" in r.stdout
    r = netmob("scenarios", "show", "genie_no_transport_support")
    assert r.returncode == 0 and "attendance.cost_scale" in r.stdout
    bad = write(tmp_path, "bad", "params:\n  ties.meet: -1\n")
    r = netmob("scenarios", "validate", "scenarios/genie.yaml", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert str(bad) in r.stderr and "ties.meet" in r.stderr and "-1" in r.stderr
