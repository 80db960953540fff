"""The data dictionary (``netmob columns``, ``docs/DATA.md``) is current and complete:
every column a small run, sweep, comparison and calibration writes is in it, with the
type it says, and every column it lists is written by one of them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from netmob.analysis import dictionary
from netmob.experiments.backends import make_backend
from netmob.experiments.calibration.run import calibrate
from netmob.experiments.calibration.spec import load_calibration
from netmob.experiments.outcomes import flatten
from netmob.sim import registry
from tests.conftest import Ran, netmob
from tests.sweep_helpers import write_spec

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "docs" / "DATA.md"
FILES = {  # output directory: {file or chunk glob: dictionary table}
    "run": {
        "people.parquet": "run/people",
        "weekly.parquet": "run/weekly",
        "ties.parquet": "run/ties",
        "summary.json": "run/summary",
    },
    "sweep": {
        "runs/part-*.parquet": "sweep/runs",
        "weekly/part-*.parquet": "sweep/weekly",
        "design.parquet": "sweep/design",
        "draws.parquet": "sweep/draws",
        "all.parquet": "results/table",
        "results.parquet": "results/table",  # the sweep's own, as `netmob results` writes it
    },
    "compare": {
        "runs/part-*.parquet": "sweep/runs",
        "weekly/part-*.parquet": "sweep/weekly",
        "design.parquet": "sweep/design",
        "contrasts/part-*.parquet": "compare/contrasts",
        "by_type/part-*.parquet": "compare/by_type",
        "runs.parquet": "compare/runs",
        "weekly.parquet": "compare/weekly",
        "effects.csv": "compare/effects",
        "value.csv": "compare/value",
        "all.parquet": "results/table",
    },
    "region": {
        "runs/part-*.parquet": "sweep/runs",
        "weekly/part-*.parquet": "sweep/weekly",
        "design.parquet": "sweep/design",
        "contrasts/part-*.parquet": "compare/contrasts",
        "by_type/part-*.parquet": "compare/by_type",
        "runs.parquet": "region/runs",
        "effects.csv": "region/effects",
        "value.csv": "region/value",
        "areas.csv": "region/areas",
        "all.parquet": "results/table",
    },
    "calibrate": {
        "posterior.parquet": "calibrate/posterior",
        "generations.csv": "calibrate/generations",
        "ppc.csv": "calibrate/ppc",
        "ppc_draws.parquet": "calibrate/ppc_draws",
    },
    "history": {  # netmob calibrate --method history (its store, sims/, is internal)
        "posterior.parquet": "calibrate/posterior",
        "ppc.csv": "calibrate/ppc",
        "ppc_draws.parquet": "calibrate/ppc_draws",
        "waves.csv": "calibrate/waves",
        "emulators.csv": "calibrate/emulators",
        "conflicts.csv": "calibrate/conflicts",
        "sbc.csv": "calibrate/sbc",
        "recovery.csv": "calibrate/recovery",
        "contraction.csv": "calibrate/contraction",
        "sims/*.parquet": None,
    },
}


def ok(r: Ran) -> None:
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """Every command's outputs, small: the tiny calibration (by ABC-SMC and by history
    matching), a run with its ties, a Latin hypercube sweep on the calibration's
    posterior, a comparison and a region drawing from it, and ``netmob results --out`` of
    each: in this process, on one worker (which columns are written does not depend on
    either)."""
    root = tmp_path_factory.mktemp("written")
    calibrate(load_calibration("tiny"), root / "calibrate", make_backend("local", workers=1))
    ok(netmob("calibrate", "history_tiny", "--out", root / "history", "--quiet", in_process=True))
    posterior = root / "calibrate" / "posterior.parquet"
    ok(netmob("run", "genie", "--people", 150, "--weeks", 4, "--ties", "--quiet",
              "--out", root / "run", in_process=True))  # fmt: skip
    spec = write_spec(root, outcomes=None, weekly=True, design={"kind": "lhs", "samples": 3},
                      posterior=str(posterior))  # fmt: skip
    ok(netmob("sweep", spec, "--out", root / "sweep", "--workers", 1, "--quiet", in_process=True))
    # 150 people for 4 weeks: each replicate refers someone, so by_type is written
    ok(netmob("compare", "baseline", "genie", "--people", 150, "--weeks", 4, "--replicates", 2,
              "--uncertainty", posterior, "--out", root / "compare", "--workers", 1, "--quiet",
              in_process=True))  # fmt: skip
    (root / "region.csv").write_text("name,people,living_alone\nA,60,0.2\nB,80,0.5\n")
    ok(netmob("region", root / "region.csv", "baseline", "genie", "--weeks", 3,
              "--replicates", 2, "--uncertainty", posterior, "--out", root / "region",
              "--workers", 1, "--quiet", in_process=True))  # fmt: skip
    for d in ("sweep", "compare", "region"):
        ok(netmob("results", root / d, "--out", root / d / "all.parquet", in_process=True))
    return root


def read(path: Path) -> pd.DataFrame:
    if path.suffix == ".json":
        return pd.DataFrame([flatten(json.loads(path.read_text()))])
    return pd.read_csv(path) if path.suffix == ".csv" else pd.read_parquet(path)


def kind(s: pd.Series) -> str:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return "category"
    for test, name in (
        (pd.api.types.is_bool_dtype, "bool"),
        (pd.api.types.is_integer_dtype, "int"),
        (pd.api.types.is_float_dtype, "float"),
    ):
        if test(s.dtype):
            return name
    return "text"


def frames(written: Path):
    """(table key, file, frame) for every output table file written."""
    for folder, files in FILES.items():
        for pattern, key in files.items():
            if key is None:  # a store's own parts, not a table of the dictionary
                continue
            paths = sorted((written / folder).glob(pattern))
            assert paths, f"{folder}/{pattern} was not written"
            for path in paths:
                yield key, path, read(path)


def test_every_file_written_is_a_table_of_the_dictionary(written):
    for folder, files in FILES.items():
        found = {
            p.relative_to(written / folder)
            for ext in ("*.parquet", "*.csv", "*.json")
            for p in (written / folder).rglob(ext)
        } - {Path("manifest.json")}
        known = {p.relative_to(written / folder) for g in files for p in (written / folder).glob(g)}
        assert found <= known, (folder, sorted(map(str, found - known)))


def test_every_column_written_is_in_the_dictionary_with_its_type(written):
    missing, wrong = [], []
    for key, path, frame in frames(written):
        table = dictionary.table(key)
        for name in frame.columns:
            try:
                entry = table.column(name)
            except KeyError:
                missing.append(f"{key} ({path.name}): {name}")
                continue
            has = kind(frame[name])
            if frame.empty:  # a table with no rows (no conflict found) has no types yet
                continue
            if entry.type in ("int", "float", "bool", "text", "category") and has != entry.type:
                if not (entry.type == "float" and has == "int" and path.suffix == ".csv"):
                    wrong.append(f"{key}.{name}: {entry.type}, written {has}")
    assert missing == [] and wrong == []


def test_every_measure_of_a_comparison_is_in_the_dictionary(written):
    measures = dictionary.table("compare/measures")
    effects = pd.read_csv(written / "compare" / "effects.csv")
    contrasts = pd.concat(map(pd.read_parquet, (written / "compare").glob("contrasts/*.parquet")))
    outcomes = set(effects["outcome"]) | set(contrasts["outcome"])
    unknown = []
    for name in sorted(outcomes):
        try:
            measures.column(name)
        except KeyError:
            unknown.append(name)
    assert unknown == []


def test_every_column_in_the_dictionary_is_written(written):
    """Nothing stale: each column (or family) of each table is in some file written."""
    seen: dict[str, set[str]] = {}
    for key, _, frame in frames(written):
        seen.setdefault(key, set()).update(frame.columns)
    effects = pd.read_csv(written / "compare" / "effects.csv")
    seen["compare/measures"] = set(effects["outcome"])
    unused = [
        f"{t.key}: {c.name}"
        for t in dictionary.tables()
        for c in t.columns
        if not any(c.matches(name) for name in seen[t.key])
    ]
    assert unused == []


def test_docs_data_md_is_current():
    """docs/DATA.md is what the code renders (make dictionary writes it)."""
    assert DATA.read_text() == dictionary.markdown(), "run `make dictionary`"


def test_no_name_means_two_things():
    """One name, one meaning: the dictionary's list of names that are a
    different measure in different tables stays empty."""
    assert dictionary.drifts() == ()
    assert "None: every name is one measure" in dictionary.markdown()
    for name in ("people_reached", "intervention_cost"):  # the run's, not a group's
        assert dictionary.table("compare/runs").column(name).basis in ("count", "total")
    for name in ("reached_share", "intervention_cost_per_person"):
        assert dictionary.table("compare/measures").column(name).basis.startswith("group")


def test_a_name_of_two_measures_is_found(monkeypatch):
    """Negative control: a person's value and a count over everyone under one name is
    listed (as family_share, changes_nudge and new_ties_nudge were before the renaming)."""
    clash = registry.Outcome("changes_nudge", ("run",), "changes", "all target people")
    monkeypatch.setattr(registry, "OUTCOMES", (*registry.OUTCOMES, clash))
    monkeypatch.setattr(registry, "BY_TABLE", registry._merge(registry.OUTCOMES))
    dictionary.drifts.cache_clear()
    try:
        found = {d.name: d.describe() for d in dictionary.drifts()}
    finally:
        dictionary.drifts.cache_clear()
    assert list(found) == ["changes_nudge"]
    assert "per person (changes) in people.parquet" in found["changes_nudge"]


def test_no_measure_name_has_a_dot():
    """Dots are for parameters (factor columns, draw.<parameter>) and calibration target
    ids, never for a measure."""
    assert [o.name for o in registry.OUTCOMES if "." in o.name] == []
    families = ("<parameter>", "<factor>", "<target>")
    for t in dictionary.tables():
        for c in t.columns:
            if not any(f in c.name for f in families):
                assert "." not in c.name, (t.key, c.name)


def test_a_persons_own_value_has_no_aggregate_name():
    """people.parquet has no name of an aggregate (a share, mean or total over people)."""
    aggregate = ("_share", "_mean", "_total", "_per_person")
    assert [n for n in registry.names("people") if n.endswith(aggregate)] == []


def test_old_names_point_to_registered_new_ones():
    for (table, old), new in registry.RENAMED.items():
        assert new in registry.names(table), (table, old, new)
        assert old not in registry.names(table), (table, old)


def test_every_entry_is_complete():
    for t in dictionary.tables():
        assert t.key.count("/") == 1 and t.written_by and t.path and t.rows, t
        names = [c.name for c in t.columns]
        assert len(names) == len(set(names)), t.key
        for c in t.columns:
            assert c.type in dictionary.TYPES and c.unit and c.meaning, (t.key, c)
            assert c.basis in dictionary.BASES, (t.key, c)


def test_patterns_match_only_their_family():
    design = dictionary.table("sweep/design")
    assert design.column("u.population.n_people").name == "u.<factor>"
    with pytest.raises(KeyError):
        design.column("u.no.such_parameter")
    assert dictionary.table("calibrate/ppc_draws").column("N2.density").name == "<target>"
    assert dictionary.table("compare/measures").column("net_benefit_20000").name.endswith("<k>")


def test_the_columns_command(tmp_path):
    r = netmob("columns", "compare/effects", in_process=True)
    assert r.returncode == 0 and "mean_diff" in r.stdout and "people_reached" not in r.stdout
    r = netmob("columns", "weekly", "--plain", in_process=True)
    keys = {line.split("\t")[0] for line in r.stdout.splitlines()}
    assert r.returncode == 0 and keys == {"run/weekly", "sweep/weekly", "compare/weekly"}
    r = netmob("columns", "--markdown", in_process=True)
    assert r.returncode == 0 and r.stdout == DATA.read_text()
    r = netmob("columns", "nonsense", in_process=True)
    assert r.returncode == 2 and "compare/effects" in r.stderr
