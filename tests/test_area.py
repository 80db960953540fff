"""An area folder (area.yaml, resources.csv): the template reproduces the default community,
each field moves what it should, bad files are refused with one clear message."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netmob.cli.main import app
from netmob.sim.area import load_area, write_template
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.run import simulate

PEOPLE, SEED = 300, 7
SHORT = {"run.weeks": 10, "run.burn_in": 8}
VOLATILE = {"run_seconds", "person_weeks_per_second"}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("area") / "place"
    write_template(d, people=PEOPLE, seed=SEED)
    return d


def copy(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def set_field(folder: Path, key: str, value: str) -> None:
    """Replace a top-level (or ltc_counts) field of area.yaml, keeping its comments."""
    path = folder / "area.yaml"
    text, n = re.subn(rf"(?m)^(\s*){key}: .*$", rf"\g<1>{key}: {value}", path.read_text())
    assert n == 1, key
    path.write_text(text)


def rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "resources.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def write_rows(folder: Path, table: list[dict[str, str]], header: list[str] | None = None) -> None:
    header = header or list(table[0])
    with (folder / "resources.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(table)


def summary(params: Params) -> dict:
    s = simulate(params, SEED).summary
    return {k: v for k, v in s.items() if k not in VOLATILE}


def same(a: dict, b: dict) -> bool:
    """Exactly equal, NaN equal to NaN, dicts compared key by key."""
    if a.keys() != b.keys():
        return False
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, dict):
            if not same(x, y):
                return False
        elif not (x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))):
            return False
    return True


# ---- the untouched template is the default community --------------------------------------


@pytest.mark.parametrize("programme", [{}, {"programme.preset": "genie"}], ids=["none", "genie"])
def test_untouched_template_reproduces_the_default_community(template, programme):
    area = load_area(template)
    default = Params.from_overrides({"population.n_people": PEOPLE, **SHORT, **programme})
    assert same(summary(area.params({**SHORT, **programme})), summary(default))


def test_template_has_every_field_documented(template):
    text = (template / "area.yaml").read_text()
    for key in ("people", "living_alone", "smi", "no_qualifications", "deprivation", "budget"):
        block = text.split(f"\n{key}:")[0].rsplit("\n\n", 1)[-1]
        assert block.lstrip().startswith("#"), key  # a comment above every field
    doc = (template / "resources.md").read_text()
    header = (template / "resources.csv").read_text().splitlines()[0].split(",")
    assert all(f"`{c}`" in doc for c in header)
    assert not (template / "resources.csv").read_text().startswith("#")  # pandas reads it


def test_the_template_does_not_overwrite(template):
    with pytest.raises(InputError, match="already holds"):
        write_template(template)


# ---- each field moves what it should --------------------------------------------------------


def edited(template: Path, tmp_path: Path, **fields: str) -> Params:
    d = copy(template, tmp_path / "edited")
    for key, value in fields.items():
        set_field(d, key, value)
    return load_area(d).params(SHORT)


def test_more_living_alone_gives_a_higher_living_alone_share(template, tmp_path):
    base = summary(load_area(template).params(SHORT))["living_alone_share"]
    more = summary(edited(template, tmp_path, living_alone="0.6"))["living_alone_share"]
    assert base == pytest.approx(0.253, abs=0.06)  # 300 people: sampling error about 0.025
    assert more == pytest.approx(0.6, abs=0.07)
    assert more > base + 0.25


def test_more_smi_gives_more_people_with_smi(template, tmp_path):
    base = simulate(load_area(template).params(SHORT), SEED).people
    more = simulate(edited(template, tmp_path, smi="0.4"), SEED).people
    target = lambda df: df[df["is_target"]] if "is_target" in df else df  # noqa: E731
    assert target(more)["smi"].mean() > target(base)["smi"].mean() + 0.2


def test_people_and_shares_reach_the_parameters(template, tmp_path):
    p = edited(
        template,
        tmp_path,
        people="500",
        age_mean="72.1",
        no_qualifications="0.2",
        sickness_or_disability="0.5",
        insecure_housing="0.1",
        deprivation="0.9",
    )
    pop = p.population
    assert (pop.n_people, pop.age_mean, pop.no_qualifications) == (500, 72.1, 0.2)
    assert (pop.disability, pop.housing_insecure, pop.deprivation) == (0.5, 0.1, 0.9)
    assert p.directory.people == 500


def test_fewer_places_means_fewer_people_taking_part(template, tmp_path):
    d = copy(template, tmp_path / "fewer")
    table = rows(d)
    for r in table:
        r["places_per_week"] = str(int(r["places_per_week"]) // 10)
    write_rows(d, table)
    full = simulate(load_area(template).params(SHORT), SEED).weekly["attending_share"].mean()
    cut = simulate(load_area(d).params(SHORT), SEED).weekly["attending_share"].mean()
    assert cut < 0.7 * full  # a tenth of the places: far fewer attend (tolerance: 30%)


def test_resources_not_taking_referrals_are_not_matched(template, tmp_path):
    d = copy(template, tmp_path / "noref")
    table = rows(d)
    for r in table:
        r["takes_referrals"] = "no"
    write_rows(d, table)
    genie = {**SHORT, "run.weeks": 26, "programme.preset": "genie"}
    taken = ["resources_taken_up_nudge", "resources_taken_up_mobilisation"]
    base = simulate(load_area(template).params(genie), SEED).people[taken].sum()
    none = simulate(load_area(d).params(genie), SEED).people[taken].sum()
    assert base.sum() > 0  # with the template's directory, the programme matches people
    assert none.sum() == 0  # with no resource taking referrals, it matches nobody


def test_workforce_and_budget_set_the_programme(template, tmp_path):
    d = copy(template, tmp_path / "staff")
    set_field(d, "workers", "3")
    set_field(d, "budget", "90000")
    area = load_area(d)
    genie = area.params({"programme": {"preset": "genie"}}).programme
    # 3 workers for the area's people, as workers per 10,000 (so that --people scales them)
    assert (genie.workforce, genie.worker_cost) == ("population", 30000.0)
    assert genie.workers_per_10000 * PEOPLE / 10_000 == pytest.approx(3)
    assert area.params({}).programme.workforce == "referrals"  # no programme: no staff to pay
    set_field(d, "workers", "null")
    budget_only = load_area(d).params({"programme.preset": "genie"}).programme
    assert budget_only.workers_per_10000 * PEOPLE / 10_000 == pytest.approx(2)


def test_fewer_people_scale_the_places(template):
    area = load_area(template)
    full = area.directory.table(PEOPLE).places.sum()
    half = area.directory.table(PEOPLE // 2).places.sum()
    assert half == pytest.approx(full / 2, rel=0.05)


def test_a_valid_hand_written_folder_is_accepted(tmp_path):
    d = tmp_path / "mine"
    d.mkdir()
    (d / "area.yaml").write_text("name: Isle of Wight\npeople: 400\nliving_alone: 0.3\n")
    (d / "resources.csv").write_text(
        "\ufeffname,kind,neighbourhood,places_per_week,cost_per_visit,accessibility\n"
        "Ryde walking group,Physical activity,Ryde,12,0,0.9\n"
        '"Newport choir, Tuesdays",creative,Newport,20,5,0.6\n'
    )
    area = load_area(d)
    assert area.name == "Isle of Wight" and area.directory.neighbourhoods == ("Newport", "Ryde")
    assert area.directory.referrals == (True, True)
    s = simulate(area.params({"run.weeks": 2, "run.burn_in": 2}), 1).summary
    assert s["n_people_target"] == 400


# ---- bad input: one message naming file, row, column, value ----------------------------------

BAD_CSV = [
    # (row to change (0: first resource), column, value, words the message holds)
    (0, "kind", "bingo", ["row 2", "'kind'", "'bingo'", "unknown kind", "social_peer"]),
    (1, "places_per_week", "ten", ["row 3", "'places_per_week'", "'ten'", "places a week"]),
    (2, "places_per_week", "-4", ["row 4", "'places_per_week'", "'-4'"]),
    (0, "accessibility", "45", ["row 2", "'accessibility'", "'45'", "write 0.45"]),
    (3, "open_weeks", "1.5", ["row 5", "'open_weeks'", "'1.5'", "0 to 1"]),
    (0, "takes_referrals", "maybe", ["row 2", "'takes_referrals'", "'maybe'", "yes or no"]),
    (0, "cost_per_visit", "5000", ["row 2", "'cost_per_visit'", "'5000'", "GBP a visit"]),
    (1, "name", "creative 1", ["row 3", "'name'", "'creative 1'", "twice", "row 2"]),
    (2, "neighbourhood", "", ["row 4", "'neighbourhood'", "needs a value"]),
]


@pytest.mark.parametrize("row,column,value,words", BAD_CSV, ids=[b[1] for b in BAD_CSV])
def test_a_bad_resource_row_is_refused_naming_row_column_value(
    template, tmp_path, row, column, value, words
):
    d = copy(template, tmp_path / "bad")
    table = rows(d)
    table[1]["name"] = "creative 1" if column == "name" else table[1]["name"]
    table[0]["name"] = "creative 1" if column == "name" else table[0]["name"]
    if column != "name":
        table[row][column] = value
    write_rows(d, table)
    with pytest.raises(InputError) as err:
        load_area(d)
    message = str(err.value)
    assert "resources.csv" in message and "\n" not in message
    for w in words:
        assert w in message, (w, message)


BAD_YAML = [
    ("living_alone", "45", ["'living_alone'", "45", "write 0.45"]),
    ("smi", "-0.1", ["'smi'", "-0.1", "0 to 1"]),
    ("people", "0", ["'people'", "1 to 5000000"]),
    ("people", "many", ["'people'", "'many'"]),
    ("age_mean", "150", ["'age_mean'", "150", "18 to 95"]),
    ("two", "0.5", ["'ltc_counts'", "sum to 1"]),
    ("budget", "10000", ["'budget'", "no full-time worker"]),
]


@pytest.mark.parametrize("key,value,words", BAD_YAML, ids=[f"{b[0]}={b[1]}" for b in BAD_YAML])
def test_a_bad_profile_value_is_refused_naming_field_and_value(
    template, tmp_path, key, value, words
):
    d = copy(template, tmp_path / "bad")
    set_field(d, key, value)
    with pytest.raises(InputError) as err:
        load_area(d).params({"programme.preset": "genie"})
    message = str(err.value)
    assert "area.yaml" in message and "\n" not in message
    for w in words:
        assert w in message, (w, message)


@pytest.mark.parametrize(
    "file,content,words",
    [
        ("resources.csv", "", ["resources.csv", "empty"]),
        (
            "resources.csv",
            "name,kind,neighbourhood,places_per_week,cost_per_visit,accessibility\n",
            ["only a header"],
        ),
        ("resources.csv", "name,kind,places\nA,faith,3\n", ["row 1", "'places'", "unknown column"]),
        (
            "resources.csv",
            "name,kind,neighbourhood\nA,faith,X\n",
            ["row 1", "'places_per_week'", "missing"],
        ),
        ("area.yaml", "", ["area.yaml", "empty"]),
        ("area.yaml", "livng_alone: 0.3\n", ["'livng_alone'", "did you mean 'living_alone'"]),
        ("area.yaml", "- a list\n", ["area.yaml", "mapping"]),
        ("area.yaml", "people: [1\n", ["area.yaml", "not valid YAML"]),
    ],
)
def test_empty_and_malformed_files_are_refused(template, tmp_path, file, content, words):
    d = copy(template, tmp_path / "bad")
    (d / file).write_text(content)
    with pytest.raises(InputError) as err:
        load_area(d)
    for w in words:
        assert w in str(err.value), (w, str(err.value))


# ---- the command line ------------------------------------------------------------------------


def test_cli_template_validate_and_exit_code_2(tmp_path):
    runner = CliRunner()
    d = tmp_path / "place"
    r = runner.invoke(app, ["area", "template", str(d), "--people", "150"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["area", "validate", str(d)])
    assert r.exit_code == 0 and "is valid" in r.output, r.output
    set_field(d, "smi", "10")
    r = runner.invoke(app, ["area", "validate", str(d)])
    assert r.exit_code == 2, r.output
    assert "area.yaml" in r.output and "'smi'" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["run", "--area", str(d), "--weeks", "2", "--quiet"])
    assert r.exit_code == 2 and "write 0.1" in r.output
    r = runner.invoke(app, ["area", "validate", str(tmp_path / "nowhere")])
    assert r.exit_code == 2 and "no such area folder" in r.output


def test_cli_run_records_the_area(template, tmp_path):
    import json

    out = tmp_path / "run"
    r = CliRunner().invoke(
        app, ["run", "--area", str(template), "--weeks", "2", "--quiet", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    area = json.loads((out / "summary.json").read_text())["area"]
    assert area["name"] == "netmob default community"
    assert set(area["files"]) == {"area.yaml", "resources.csv"}
    assert area["people"] == PEOPLE
