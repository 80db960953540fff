"""The data dictionary: every table netmob writes, and every column's type, unit, basis
and meaning, from the one registry of outcomes and the tables' schemas.

The model's own columns (``people.parquet``, ``weekly.parquet``, ``summary.json``,
``ties.parquet`` and the measures of a comparison) come from :mod:`netmob.sim.registry`;
the experiment stores' columns from their Arrow schemas (:mod:`netmob.experiments.store`,
:mod:`netmob.experiments.compare`); the rest (identities, the analysis tables of a
comparison, a calibration's files) are declared here. ``netmob columns [TABLE]`` prints
it and ``docs/DATA.md`` is rendered from it (:func:`markdown`);
``tests/test_data_dictionary.py`` checks that the file is current and that every column
a small run, sweep, comparison and calibration writes is in it.

Each column has a *basis*: whether it is one person's (or tie's) value or an aggregate,
and which kind of aggregate (:data:`BASES`). A name is one measure in every table it is
in (the naming rules are in :mod:`netmob.sim.registry`): :func:`drifts` finds any name
that is not, and ``tests/test_data_dictionary.py`` keeps the list empty.

Examples:
    >>> t = table("run/people")
    >>> c = t.column("swemwbs")
    >>> c.type, c.unit, c.basis
    ('float', 'points', 'per person')
    >>> drifts()
    ()
    >>> table("sweep/design").column("u.population.n_people").name
    'u.<factor>'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

import pyarrow as pa

from netmob.experiments.design import UNIT
from netmob.experiments.effects import BY_TYPE, CONTRASTS, DRAW
from netmob.experiments.outcomes import OUTCOMES, TIMING, WEEKLY_COLUMNS
from netmob.experiments.store import RUN_FIELDS, runs_schema, weekly_schema
from netmob.sim import registry
from netmob.sim.errors import InputError
from netmob.sim.params import all_fields

# What a column's value is of: one person's or tie's own, or an aggregate of which kind.
BASES: dict[str, str] = {
    "id": "identifies the row (a person, tie, run, design point or replicate)",
    "label": "names what the row is about (a scenario, group, outcome, target)",
    "per person": "one target person's own value",
    "per tie": "one tie's own value",
    "mean": "aggregate: mean over people (target people unless the meaning says whom)",
    "share": "aggregate: a share from 0 to 1 of people or ties (whom: see the meaning)",
    "count": "aggregate: how many, over all target people of the run",
    "total": "aggregate: a sum of money over all target people of the run",
    "rate": "aggregate: a share a year",
    "relative change": "aggregate: (end - start) / start",
    "group mean": "aggregate: mean over the people of a comparison's group (population, "
    "referred, engaged); a programme's cost is spread over the group",
    "group share": "aggregate: share of the people of a comparison's group",
    "difference": "scenario minus reference, paired by replicate",
    "setting": "a parameter value or design coordinate the run had",
    "run info": "about the run, not the model: status, errors, timings",
    "statistic": "a statistic of the analysis (an interval, a probability, a tolerance)",
}
# Bases that are the same measure seen in different tables: a person's own value and its
# mean over a comparison's group; a share of people and of a group's people; a count and
# a total over everyone. A name with bases of two scales means two things.
SCALES = {
    "per person": "person",
    "group mean": "person",
    "share": "share",
    "group share": "share",
    "count": "all",
    "total": "all",
}

# A column's type, as pandas reads it back (a sweep factor's is its parameter's).
TYPES = ("int", "float", "bool", "text", "category", "as the parameter")
ARROW_TYPES = (
    (pa.types.is_boolean, "bool"),
    (pa.types.is_integer, "int"),
    (pa.types.is_floating, "float"),
    (pa.types.is_dictionary, "category"),
    (lambda t: pa.types.is_string(t) or pa.types.is_large_string(t), "text"),
)


@dataclass(frozen=True)
class Column:
    """One column of an output table.

    Args:
        name: Its name; a part in angle brackets stands for a family of columns
            (``<parameter>``: any schema parameter, ``u.<factor>``, ``draw.<parameter>``,
            ``<target>``: a calibration target id).
        type: One of :data:`TYPES`.
        unit: Its unit.
        basis: A key of :data:`BASES`.
        meaning: What it is.
    """

    name: str
    type: str
    unit: str
    basis: str
    meaning: str

    def matches(self, column: str) -> bool:
        """Whether ``column`` is this column (or one of its family)."""
        if "<" not in self.name:
            return column == self.name
        pattern = re.escape(self.name)
        for hole, regex in PATTERNS.items():
            pattern = pattern.replace(re.escape(hole), f"(?P<{hole[1:-1]}>{regex})")
        m = re.fullmatch(pattern, column)
        if m is None:
            return False
        found = m.groupdict()
        named = [found[k] for k in ("parameter", "factor") if k in found]
        return all(v in parameter_names() for v in named)


@dataclass(frozen=True)
class Table:
    """One output table: who writes it, where, what a row is, and its columns."""

    key: str  # COMMAND/NAME, e.g. "compare/effects"
    written_by: str
    path: str  # relative to the output directory; * for chunks
    rows: str
    columns: tuple[Column, ...]
    notes: str = ""

    @property
    def command(self) -> str:
        """The command the table belongs to (the key's first part)."""
        return self.key.partition("/")[0]

    def column(self, name: str) -> Column:
        """The entry for column ``name``.

        Raises:
            KeyError: if the table has no such column.
        """
        for c in self.columns:
            if c.matches(name):
                return c
        raise KeyError(f"{self.key} has no column {name!r}")


PATTERNS = {
    "<parameter>": r"[a-z_]+\.[a-z0-9_]+",
    "<factor>": r"[a-z_]+\.[a-z0-9_]+",
    "<target>": r"[A-Z]+[0-9]+(?:\.[A-Za-z0-9_]+)?",
    "<k>": r"[0-9]+",
    "<profile>": r"people|age_mean|age_sd|male|living_alone|smi|no_qualifications|"
    r"sickness_or_disability|insecure_housing|deprivation|ltc_counts\.[a-z_]+|places_per_person",
}


@cache
def parameter_names() -> frozenset[str]:
    """Every schema parameter's dotted name."""
    return frozenset(f["name"] for f in all_fields())


# ---- the registry's columns -------------------------------------------------------------
BASIS_IN: dict[tuple[str, str], str] = {
    ("run", "network_size_change"): "relative change",
    ("run", "cost_per_referred"): "mean",
    ("run", "weeks"): "setting",
}
TYPE_IN: dict[tuple[str, str], str] = {("people", "weeks_to_first_change"): "float"}
INT_UNITS = {
    "id", "week", "weeks", "people", "ties", "visits", "admissions", "crises", "contacts",
    "days", "objectives", "conditions", "resources", "members", "moves", "changes", "kinds",
    "nudges",
}  # fmt: skip
TABLE_FILE = {
    "people": "people.parquet",
    "weekly": "weekly.parquet",
    "run": "summary.json and runs.parquet",
    "effect": "effects.csv and contrasts",
    "ties": "ties.parquet",
}


def _basis(table: str, o: registry.Outcome) -> str:
    if (table, o.name) in BASIS_IN:
        return BASIS_IN[(table, o.name)]
    unit = o.unit
    if table == "people":
        return "id" if o.name == "person_id" else "per person"
    if table == "ties":
        return "id" if unit == "id" else "per tie"
    if table == "effect":
        return "group share" if unit == "share" else "group mean"
    if o.name.endswith("_mean"):
        return "mean"
    if unit == "share":
        return "share"
    if unit == "share/year":
        return "rate"
    return "total" if unit == "GBP" else "count"


def _type(table: str, o: registry.Outcome) -> str:
    unit = o.unit
    if (table, o.name) in TYPE_IN:
        return TYPE_IN[(table, o.name)]
    if table == "effect":
        return "float"
    if unit == "yes/no":
        return "bool"
    if unit == "category":
        return "category"
    if unit in ("stage", "pathway"):
        return "text"
    if table in ("weekly", "run") and o.name.endswith("_mean"):
        return "float"
    return "int" if unit in INT_UNITS else "float"


def registry_column(table: str, name: str) -> Column:
    """The entry of registered outcome ``name`` as a column of registry table ``table``."""
    o = registry.get(name, table)
    return Column(
        name=name,
        type=_type(table, o),
        unit=o.unit,
        basis=_basis(table, o),
        meaning=o.meaning,
    )


@dataclass(frozen=True)
class Drift:
    """A name that is a different measure in different tables: per table, its unit and
    basis."""

    name: str
    uses: tuple[tuple[str, str, str], ...]  # (table file, unit, basis)

    def describe(self) -> str:
        """'count (people) in weekly.parquet and summary.json; group share (share) in ...'"""
        by: dict[tuple[str, str], list[str]] = {}
        for file, unit, basis in self.uses:
            by.setdefault((basis, unit), []).append(file)
        return "; ".join(f"{b} ({u}) in {', '.join(fs)}" for (b, u), fs in by.items())


@cache
def drifts() -> tuple[Drift, ...]:
    """Registered names that are one measure in one table and another elsewhere: one
    person's value in one, a mean, share, count or total over people in another, or
    another unit (none: ``tests/test_data_dictionary.py`` keeps it so)."""
    tables_of: dict[str, list[str]] = {}
    for o in registry.OUTCOMES:
        tables_of.setdefault(o.name, []).extend(o.tables)
    out = []
    for name, tabs in tables_of.items():
        uses = []
        for t in tabs:
            r = registry.get(name, t)
            uses.append((TABLE_FILE[t], r.unit, _basis(t, r)))
        if len({(SCALES.get(b, b), u) for _, u, b in uses}) > 1:
            out.append(Drift(name, tuple(uses)))
    return tuple(out)


def _registry_columns(table: str) -> tuple[Column, ...]:
    return tuple(registry_column(table, n) for n in registry.names(table))


# ---- the experiment stores' columns --------------------------------------------------
RUN_INFO: dict[str, tuple[str, str, str]] = {  # name: (unit, basis, meaning)
    "run_id": ("id", "id", "the run (0, 1, ...; unique in the experiment)"),
    "point": ("id", "id", "the design point (row of design.parquet; a comparison: the scenario)"),
    "replicate": ("id", "id", "the replicate (runs of one replicate share their seed)"),
    "seed": ("id", "setting", "the run's seed"),
    "status": ("ok/failed", "run info", "ok, or failed (then error and traceback say why)"),
    "error": ("text", "run info", "the error in one line (empty for a run that finished)"),
    "traceback": ("text", "run info", "the end of the traceback (failed runs only)"),
    "model_seconds": ("s", "run info", "time in the model: building, stepping, collecting"),
    "run_seconds": ("s", "run info", "the model's own stepping time"),
    "week": ("week", "id", "week after the burn-in (1, 2, ...)"),
    "chunk": ("id", "run info", "the results chunk (runs/part-CHUNK.parquet) the row is from"),
    "scenario": ("name", "label", "the scenario (a comparison's first is the reference)"),
}


def _type_of(arrow_type: pa.DataType) -> str:
    return next(name for test, name in ARROW_TYPES if test(arrow_type))


def _schema_column(field: pa.Field, table: str | None) -> Column:
    """A store column: identities and run info declared here, outcomes from the registry
    (with their type as stored)."""
    kind = _type_of(field.type)
    if field.name in RUN_INFO:
        unit, basis, meaning = RUN_INFO[field.name]
        return Column(field.name, kind, unit, basis, meaning)
    return replace(registry_column(table, field.name), type=kind)


def _schema_columns(schema: pa.Schema, table: str | None) -> tuple[Column, ...]:
    return tuple(_schema_column(f, table) for f in schema)


def _c(name: str, type_: str, unit: str, basis: str, meaning: str) -> Column:
    return Column(name, type_, unit, basis, meaning)


def _info(name: str, type_: str | None = None) -> Column:
    unit, basis, meaning = RUN_INFO[name]
    kind = type_ or _type_of(next(f.type for f in RUN_FIELDS if f.name == name))
    return Column(name, kind, unit, basis, meaning)


PARAMETER = "value of the parameter (see `netmob params`)"
DRAW_COLUMN = _c(
    f"{DRAW}<parameter>",
    "float",
    "the parameter's",
    "setting",
    "the parameter's value drawn for the run's replicate (a comparison that draws "
    "parameters: --uncertainty, or the shipped posterior once one ships)",
)
FACTOR = _c(
    "<factor>", "as the parameter", "the parameter's", "setting", f"a varied parameter: {PARAMETER}"
)
UNIT_COLUMN = _c(
    f"{UNIT}<factor>", "float", "0-1", "setting", "the design point's coordinate in the unit cube"
)
CHUNK = _info("chunk", "int")


def _runs_store() -> tuple[Column, ...]:
    return (*_schema_columns(runs_schema(OUTCOMES), "run"), DRAW_COLUMN)


def _weekly_store() -> tuple[Column, ...]:
    return _schema_columns(weekly_schema(WEEKLY_COLUMNS), "weekly")


def _results(first: Iterable[Column], extra: Iterable[Column]) -> tuple[Column, ...]:
    """A store's runs as one table: identities, factors, run info, outcomes, extras."""
    store = _runs_store()
    ids = [c for c in store if c.name in ("run_id", "point", "replicate", "seed")]
    rest = [c for c in store if c not in ids]
    return (*ids, *first, *rest, *extra)


def _measure_columns() -> tuple[Column, ...]:
    """The values of a comparison's ``outcome`` column: the registry's effects, the
    discounted value-for-money outcomes, and the cost-effectiveness rows."""
    extra = (
        _c("qalys_disc", "float", "QALYs", "group mean", "QALYs over the horizon, discounted "
           "(--discount) a year after the first; population only"),
        _c("net_cost_disc", "float", "GBP", "group mean", "programme plus service cost per "
           "person, discounted (--discount) a year after the first; population only"),
        _c("cost_per_qaly", "float", "GBP/QALY", "statistic", "net cost per QALY gained: mean "
           "net cost difference over mean QALY difference (discounted), interval by bootstrap; "
           "effects.csv only"),
        _c("net_benefit_<k>", "float", "GBP", "statistic", "net monetary benefit per person "
           "at willingness to pay k GBP/QALY: k x QALYs gained - extra net cost (discounted); "
           "effects.csv only"),
    )  # fmt: skip
    return (*_registry_columns("effect"), *extra)


def _tables() -> tuple[Table, ...]:
    week = _c("week", "int", "week", "id", "week after the burn-in (1, 2, ...)")
    label = {n: _info(n, "text") for n in ("scenario",)}
    summary_timing = tuple(
        _c(n, "float", u, "run info", m)
        for n, u, m in zip(
            TIMING,
            ("s", "person-weeks/s"),
            ("the model's stepping time", "everyone simulated x weeks stepped, per second"),
            strict=True,
        )
    )
    replicate = _info("replicate")
    group = _c("group", "text", "name", "label", "population (every target person), referred "
               "(referred to the programme) or engaged (referred, 3 or more contacts)")  # fmt: skip
    outcome = _c("outcome", "text", "name", "label", "the measure: see compare/measures")
    compare_cols = {f.name: f for f in CONTRASTS}
    by_type = {f.name: f for f in BY_TYPE}
    param = _c("<parameter>", "float", "the parameter's", "setting", PARAMETER)
    # (a posterior's parameters are floats: calibrated parameters are ranges)
    return (
        Table(
            "run/people", "netmob run", "people.parquet",
            "one per target person, at the end of the run", _registry_columns("people"),
            "Programme columns (referred ... objectives_mobilisation) only when the scenario "
            "has a programme.",
        ),
        Table(
            "run/weekly", "netmob run", "weekly.parquet",
            "one per week after the burn-in: aggregates of that week, or running totals "
            "since week 1 ('so far')", (week, *_registry_columns("weekly")),
            "Programme columns (people_referred, people_reached, clients_*, nudges, "
            "adopting_or_sustained, intervention_cost) only when the scenario has a programme.",
        ),
        Table(
            "run/summary", "netmob run", "summary.json",
            "one value per key, at the end of the run (as a sweep keeps them)",
            (*_registry_columns("run"), *summary_timing),
            "These are the outcomes a sweep can keep (spec `outcomes:`). Programme keys "
            "(people_referred ... worker_knowledge_mean) only with a programme.",
        ),
        Table(
            "run/ties", "netmob run --ties", "ties.parquet",
            "one per tie the run has held, active or ended", _registry_columns("ties"),
        ),
        Table(
            "sweep/runs", "netmob sweep; netmob compare (its store)", "runs/part-*.parquet",
            "one per run (a run done again after a failure appears again in a later chunk)",
            _runs_store(),
            "Every outcome is stored as a float, null where the run did not produce it; a "
            "sweep keeps the outcomes its spec names (all by default).",
        ),
        Table(
            "sweep/weekly", "netmob sweep; netmob compare (its store)", "weekly/part-*.parquet",
            "one per run and week (the runs of the runs chunk of the same name)",
            _weekly_store(),
            "A sweep keeps the weekly columns its spec names (`weekly: true` for all; none "
            "by default); a comparison keeps them all.",
        ),
        Table(
            "sweep/design", "netmob sweep; netmob compare", "design.parquet",
            "one per design point (a comparison: one per scenario)",
            (_info("point"), label["scenario"], FACTOR, UNIT_COLUMN, AREA),
            "A sweep has a column per factor (u.<factor> for sampled designs: lhs, sobol, "
            "morris); a comparison has scenario instead; a region area and scenario.",
        ),
        Table(
            "sweep/draws", "netmob sweep (with `posterior:`)", "draws.parquet",
            "one per replicate: the posterior particle every point of that replicate runs on",
            (replicate, param),
            "Parameters the base scenario or fixed params set themselves are left out.",
        ),
        Table(
            "results/table", "netmob results DIR --out FILE", "FILE (.parquet or .csv)",
            "one per run, each run once (an ok record if any, else the latest)",
            _results([FACTOR, label["scenario"], AREA], [CHUNK]),
            "A sweep has its factors, a comparison scenario and draw.<parameter>, a region "
            "area too; "
            "netmob.experiments.store.load_results gives the same table.",
        ),
        Table(
            "compare/runs", "netmob compare", "runs.parquet",
            "one per scenario and replicate, of the replicates that finished whole",
            _results([label["scenario"]], []),
            "Run outcomes are the run's own aggregates: intervention_cost is the total over "
            "all target people and people_reached a count (effects.csv has them per person "
            "of a group: intervention_cost_per_person and reached_share).",
        ),
        Table(
            "compare/weekly", "netmob compare", "weekly.parquet",
            "one per scenario, replicate and week",
            (*_weekly_store(), label["scenario"], replicate),
        ),
        Table(
            "compare/effects", "netmob compare", "effects.csv",
            "one per scenario (not the reference), measure, group and horizon (the trials' "
            "26 and 39 weeks where the run is longer, and its end)",
            (
                label["scenario"], outcome, group,
                _c("mean_diff", "float", "the measure's", "difference", "mean over replicates "
                   "of the scenario's group level minus the reference's (for cost_per_qaly the "
                   "ratio, for net_benefit_<k> the mean net benefit)"),
                _c("ci_low", "float", "the measure's", "statistic", "95% Monte Carlo interval "
                   "of the mean, low (t over replicates; cost_per_qaly: bootstrap): it narrows "
                   "as replicates are added"),
                _c("ci_high", "float", "the measure's", "statistic", "its high end"),
                _c("draws_low", "float", "the measure's", "statistic", "2.5th percentile of "
                   "the paired effect across replicates: with parameters drawn per replicate, "
                   "the spread across the draws (cost_per_qaly: of each replicate's ratio, "
                   "empty unless every replicate gains QALYs)"),
                _c("draws_high", "float", "the measure's", "statistic", "its 97.5th "
                   "percentile"),
                _c("week", "int", "week", "id", "week after the burn-in the effect is read "
                   "at: 26 or 39 (the trials' follow-ups, TR1-TR4; or each --horizon) and the "
                   "run's end (a region: its end only); each group as it stands that week"),
                _c("extrapolated", "bool", "yes/no", "label", "the horizon is past 78 weeks, the "
                   "longest follow-up in the record (E6's 18 months)"),
            ),
            "The measures' units and bases: compare/measures. cost_per_qaly and "
            "net_benefit_<k> are for the population group only, and discounted, and only at "
            "the run's end.",
        ),  # fmt: skip
        Table(
            "compare/value", "netmob compare", "value.csv",
            "one per scenario (not the reference) and willingness to pay: the acceptability "
            "curve (0 to 50,000 GBP/QALY by 1,000, and each --threshold)",
            (
                label["scenario"],
                _c("threshold", "float", "GBP/QALY", "setting", "willingness to pay per QALY"),
                _c("nmb_mean", "float", "GBP", "difference", "net monetary benefit per person "
                   "against the reference (discounted), mean over replicates"),
                _c("nmb_low", "float", "GBP", "statistic", "its 95% interval, low"),
                _c("nmb_high", "float", "GBP", "statistic", "its 95% interval, high"),
                _c("prob_cost_effective", "float", "share", "statistic", "share of replicates "
                   "in which the net benefit is positive"),
                _c("draws_low", "float", "GBP", "statistic", "2.5th percentile of the net "
                   "benefit across replicates (their parameter draws, when drawn)"),
                _c("draws_high", "float", "GBP", "statistic", "its 97.5th percentile"),
                _c("prob_best", "float", "share", "statistic", "share of replicates in which "
                   "the scenario has the largest net benefit of all (the reference at zero)"),
            ),
        ),  # fmt: skip
        Table(
            "compare/contrasts", "netmob compare (its store)", "contrasts/part-*.parquet",
            "one per run of a scenario (not the reference), group and measure: the group's "
            "level beside the reference's in the same replicate",
            (
                _schema_column(compare_cols["run_id"], None), replicate, label["scenario"],
                group, outcome,
                _c("level", _type_of(compare_cols["level"].type), "the measure's",
                   "group mean", "the scenario's group mean (or share) of the measure"),
                _c("reference", "float", "the measure's", "group mean", "the reference "
                   "scenario's, for the same people (the group as the scenario's run has it)"),
                _c("n", "int", "people", "count", "people in the group"),
                _c("week", "int", "week", "id", "week after the burn-in the levels are read "
                   "at (a trial's follow-up, or the run's end)"),
            ),
            "The discounted measures (qalys_disc, net_cost_disc) are worked out from the "
            "weekly rows when the comparison is read, not stored.",
        ),  # fmt: skip
        Table(
            "compare/by_type", "netmob compare (its store)", "by_type/part-*.parquet",
            "one per run of a scenario (not the reference) and network type at the start",
            (
                _schema_column(by_type["run_id"], None), replicate, label["scenario"],
                _c("network_type", "text", "category", "label", "network type at the end of "
                   "the burn-in (SRC-CHN-SMI)"),
                _c("mean_diff", "float", "points", "difference", "mean paired SWEMWBS "
                   "difference among the people referred of that type, in this replicate"),
                _c("n", "int", "people", "count", "people referred of that type"),
            ),
        ),  # fmt: skip
        Table(
            "compare/measures", "netmob compare", "the outcome column of effects.csv and "
            "contrasts", "one per measure a comparison reports", _measure_columns(),
            "Each measure is a group's mean per person (or share) of the per-person column "
            "of people.parquet it names; effects.csv gives the difference against the "
            "reference.",
        ),
        Table(
            "calibrate/posterior", "netmob calibrate", "posterior.parquet",
            "one per particle: of the ABC-SMC generation kept as the posterior, or of the "
            "posterior inside the space history matching did not rule out",
            (
                param,
                _c("weight", "float", "share", "statistic", "the particle's weight (summing "
                   "to 1)"),
                _c("distance", "float", "half-intervals", "statistic", "the particle's "
                   "distance to the published targets (ABC-SMC only)"),
            ),
        ),  # fmt: skip
        Table(
            "calibrate/generations", "netmob calibrate", "generations.csv",
            "one per ABC-SMC generation",
            (
                _c("generation", "int", "id", "id", "the generation (0, 1, ...)"),
                _c("epsilon", "float", "half-intervals", "statistic", "the tolerance"),
                _c("particles", "int", "particles", "count", "particles accepted"),
                _c("simulations", "int", "simulations", "count", "parameter sets simulated"),
                _c("acceptance_rate", "float", "share", "statistic", "particles / simulations"),
                _c("effective_sample_size", "float", "particles", "statistic", "effective "
                   "sample size of the weights"),
                _c("posterior", "bool", "yes/no", "label", "the generation kept as the "
                   "posterior: the last with an effective sample size of at least "
                   "method.min_ess"),
            ),
        ),  # fmt: skip
        Table(
            "calibrate/ppc", "netmob calibrate", "ppc.csv",
            "one per target: the posterior-predictive check",
            (
                _c("target", "text", "id", "label", "the published figure (its docs/EVIDENCE.md row)"),
                _c("published", "float", "the target's", "statistic", "the published value "
                   "(empty for a band)"),
                _c("published_low", "float", "the target's", "statistic", "its interval, low"),
                _c("published_high", "float", "the target's", "statistic", "its interval, "
                   "high"),
                _c("model_median", "float", "the target's", "statistic", "median of the "
                   "model's statistic over the posterior draws"),
                _c("model_low", "float", "the target's", "statistic", "its 5th percentile (the "
                   "model's own 90% interval, low)"),
                _c("model_high", "float", "the target's", "statistic", "its 95th percentile"),
                _c("inside", "bool", "yes/no", "statistic", "the published value lies in the "
                   "model's own 90% interval; a band: at least 90% of the draws lie in it"),
                _c("sim_median", "float", "the target's", "statistic", "median of the figure "
                   "a repeat of the study would publish: the statistic of a posterior draw "
                   "plus the study's sampling error (SD = published 95% half-interval / 1.96; "
                   "none for a band)"),
                _c("sim_low", "float", "the target's", "statistic", "its 5th percentile"),
                _c("sim_high", "float", "the target's", "statistic", "its 95th percentile"),
                _c("inside_repeat", "bool", "yes/no", "statistic", "the published value lies "
                   "in that looser interval (a band: as inside)"),
                _c("band_mass", "float", "share", "statistic", "a band's share of the draws "
                   "inside it (empty for a value)"),
                _c("study_sd", "float", "the target's", "statistic", "the study's sampling "
                   "error added for the predictive interval (0 for a band)"),
                _c("band", "bool", "yes/no", "label", "the target is a band, not a value"),
                _c("held_out", "bool", "yes/no", "label", "predicted but not fitted "
                   "(--hold-out, or fit: false in the spec)"),
                _c("statistic", "text", "name", "label", "how the model measures it, e.g. "
                   "summary(network_size_mean)"),
                _c("scenario", "text", "name", "label", "the scenario it is measured in"),
                _c("undefined_share", "float", "share", "statistic", "share of the draws for "
                   "which the statistic was undefined"),
            ),
        ),  # fmt: skip
        *_history_tables(),
        Table(
            "calibrate/ppc_draws", "netmob calibrate", "ppc_draws.parquet",
            "one per posterior draw simulated for the check",
            (
                _c("key", "text", "id", "id", "the draw's key in the calibration's store "
                   "(history matching)"),
                _c("seed", "int", "id", "setting", "the draw's seed"),
                _c("error", "text", "text", "label", "why the draw's simulation failed (empty "
                   "when it did not; history matching)"),
                _c("cpu_seconds", "float", "s", "statistic", "CPU seconds the draw's "
                   "simulations took (history matching)"),
                _c("<target>", "float", "the target's", "statistic", "the target's statistic "
                   "in this draw's simulations"),
                param,
            ),
        ),  # fmt: skip
    )  # fmt: skip


AREA = _c("area", "text", "name", "label", "the area's name (the region file's `name`); "
          "`(region)` for the whole region")  # fmt: skip


def _region_tables(base: tuple[Table, ...]) -> tuple[Table, ...]:
    """netmob region's tables: a comparison's, per area and for the whole region, and
    areas.csv."""
    by_key = {t.key: t for t in base}

    def per_area(key: str, path: str, rows: str) -> Table:
        t = by_key[f"compare/{key}"]
        cols = tuple(c for c in t.columns if c.name != "area")
        return Table(f"region/{key}", "netmob region", path, rows, (AREA, *cols), t.notes)

    money = "GBP"
    nb = "net benefit at GBP 20,000/QALY (discounted), {}"
    areas = (
        _c("rank", "float", "rank", "label", "the area's rank by net benefit per person at GBP "
           "20,000/QALY (1 the highest; empty for the region)"),
        _info("scenario", "text"),
        AREA,
        _c("people", "int", "people", "count", "target people in the area (the region: all)"),
        _c("replicates", "int", "replicates", "count", "replicates that finished whole"),
        _c("net_benefit_per_person", "float", money, "difference", nb.format("per person, "
           "mean over replicates")),
        _c("net_benefit_low", "float", money, "statistic", "its 95% interval, low"),
        _c("net_benefit_high", "float", money, "statistic", "its 95% interval, high"),
        _c("net_benefit_total", "float", money, "difference", nb.format("for all the "
           "area's target people (per person x people)")),
        _c("net_benefit_total_low", "float", money, "statistic", "its 95% interval, low"),
        _c("net_benefit_total_high", "float", money, "statistic", "its 95% interval, high"),
        _c("prob_cost_effective", "float", "share", "statistic", "share of replicates with "
           "a positive net benefit at GBP 20,000/QALY"),
        _c("qalys_per_person", "float", "QALYs", "difference", "discounted QALYs gained per "
           "person (qalys_disc), mean over replicates"),
        _c("net_cost_per_person", "float", money, "difference", "discounted extra cost per "
           "person, programme plus services (net_cost_disc), mean over replicates"),
        _c("swemwbs_referred", "float", "points", "difference", "SWEMWBS difference among "
           "people referred, mean over replicates"),
        _c("<profile>", "float", "the field's (see netmob area template)", "setting",
           "an area-profile field that varies across the region's areas (people, "
           "living_alone, ..., ltc_counts.one, ...; places_per_person: an area folder's "
           "resource places a week per target person)"),
    )  # fmt: skip
    runs = by_key["compare/runs"]
    return (
        per_area("effects", "effects.csv", "one per area (and the region), scenario (not the "
                 "reference), measure and group"),
        per_area("value", "value.csv", "one per area (and the region), scenario (not the "
                 "reference) and willingness to pay"),
        Table(
            "region/runs", "netmob region", "runs.parquet",
            "one per area, scenario and replicate (every run kept, failed ones too)",
            (*runs.columns[:4], AREA, *runs.columns[4:], CHUNK), runs.notes,
        ),
        Table(
            "region/areas", "netmob region", "areas.csv",
            "one per scenario (not the reference) and area, ranked, then the whole region",
            areas,
            "Areas are independent communities (seeds differ by area); a replicate's "
            "parameter draw is the same in every area. The region's values weight each "
            "area by its people.",
        ),
    )  # fmt: skip


@cache
def tables() -> tuple[Table, ...]:
    """Every output table, in the order of the commands that write them."""
    base = _tables()
    return (*base, *_region_tables(base))


def table(key: str) -> Table:
    """The table ``key`` (``COMMAND/NAME``).

    Raises:
        InputError: if there is none.
    """
    found = select(key)
    if len(found) != 1 or found[0].key != key:
        raise InputError("no such table", value=key, allowed=", ".join(keys()))
    return found[0]


def keys() -> list[str]:
    """Every table's key."""
    return [t.key for t in tables()]


def select(which: str | None) -> list[Table]:
    """The tables ``which`` names: all (None), one by key (``compare/effects``), a
    command's (``compare``), or every table of a name or file (``weekly``,
    ``effects.csv``).

    Raises:
        InputError: if it names none.
    """
    if which is None:
        return list(tables())
    for test in (
        lambda t: t.key == which,
        lambda t: t.command == which,
        lambda t: t.key.partition("/")[2] == which or t.path == which,
    ):
        found = [t for t in tables() if test(t)]
        if found:
            return found
    commands = sorted({t.command for t in tables()})
    raise InputError(
        "no such table",
        field="TABLE",
        value=which,
        allowed=f"a command ({', '.join(commands)}), or one of {', '.join(keys())}",
    )


# ---- markdown ---------------------------------------------------------------------------
HEADER = """\
# Data dictionary

Every table netmob writes, and what each column is. Generated from the code
(`netmob.analysis.dictionary`, which reads the outcome registry `netmob.sim.registry` and
the stores' schemas): do not edit it by hand, run `make dictionary` (or
`netmob columns --markdown > docs/DATA.md`). `netmob columns [TABLE]` prints the same on
the terminal; the parameters are in `netmob params`.

A column named with `<...>` stands for a family: `<parameter>` any schema parameter
(`group.name`), `<factor>` a sweep's varied parameter, `<target>` a calibration target's id,
`<k>` a willingness to pay in GBP per QALY.

## Names

One name, one meaning: a measure's name is the same measure in every table it is in, and
says what it is of.

- A plain name (`swemwbs`, `changes_nudge`, `service_cost`) is one target person's own
  value in `people.parquet`; in `effects.csv` and contrasts, its mean over a group.
- `_mean` is a mean over target people (or the people its meaning names); `_share` a
  share of people, or of ties pooled over people; neither is ever one person's value
  (a person's own share of family in the network is `family_fraction`).
- `_total` is a sum over all target people of a run (`changes_nudge_total`,
  `new_ties_nudge_total`, `service_cost_total`); `people_...` and `n_people_...` count
  people (`people_reached`, whose share of a group is `reached_share`); a programme's
  own figures are the whole run's (`intervention_cost`).
- `_per_person` is a run's figure spread over a group's people
  (`intervention_cost_per_person`).

Measure names have no dots. Dotted names are parameters: a sweep's factor columns and
`draw.<parameter>` keep the schema's parameter paths (`programme.workers`), and a
calibration target's id is its table row (`N4.family`).
"""


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def markdown() -> str:
    """The dictionary as one Markdown page (``docs/DATA.md``)."""
    out = [HEADER, "## Basis: per person or aggregate\n", "| basis | what the value is |",
           "| --- | --- |"]  # fmt: skip
    out += [f"| {b} | {_md(m)} |" for b, m in BASES.items()]
    out += ["", "## Names that mean two things\n"]
    if drifts():
        out.append("The same name is a different measure in these tables:\n")
        out += [f"- `{d.name}`: {_md(d.describe())}" for d in drifts()]
    else:
        out.append("None: every name is one measure in every table it is in.")
    out += ["", "## Tables\n"]
    out += [f"- [`{t.key}`](#{_anchor(t.key)}): `{t.path}`" for t in tables()]
    for t in tables():
        out += ["", f"### {t.key}", ""]
        out.append(f"Written by `{t.written_by}` to `{t.path}`. One row: {_md(t.rows)}.")
        if t.notes:
            out += ["", _md(t.notes)]
        out += ["", "| column | type | unit | basis | meaning |", "| --- | --- | --- | --- | --- |"]
        for c in t.columns:
            meaning = _md(c.meaning)
            name = c.name.replace("|", "\\|")  # a code span shows < and > as they are
            out.append(f"| `{name}` | {c.type} | {_md(c.unit)} | {c.basis} | {meaning} |")
    return "\n".join(out) + "\n"


def _anchor(key: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "", key.lower().replace(" ", "-"))


def _history_tables() -> tuple[Table, ...]:
    """The files only history matching writes (``netmob calibrate --method history``)."""
    run = "netmob calibrate (history)"
    target = _c("target", "text", "id", "label", "the published figure (its docs/EVIDENCE.md row)")
    parameter = _c("parameter", "text", "name", "label", "the free parameter")
    return (
        Table(
            "calibrate/waves", run, "waves.csv", "one per wave of history matching",
            (
                _c("wave", "int", "id", "id", "the wave (1, 2, ...)"),
                _c("runs", "int", "parameter sets", "count", "parameter sets simulated in it"),
                _c("not_ruled_out", "float", "share", "statistic", "share of the prior's "
                   "space not ruled out after it (second-largest implausibility at most the "
                   "cut-off)"),
                _c("emulator_validation", "float", "share", "statistic", "the smallest share, "
                   "over targets, of held-out runs within +-3 standardised errors (95% needed)"),
                _c("targets_validated", "int", "targets", "count", "targets whose emulator "
                   "passed"),
                _c("seconds", "float", "s", "statistic", "the wave's wall time"),
            ),
        ),
        Table(
            "calibrate/emulators", run, "emulators.csv", "one per wave and target: its "
            "emulator on the wave's held-out runs",
            (
                _c("wave", "int", "id", "id", "the wave"), target,
                _c("runs", "int", "runs", "count", "held-out runs with a value"),
                _c("within_3", "float", "share", "statistic", "share of standardised errors "
                   "within +-3"),
                _c("mean_error", "float", "sd", "statistic", "mean standardised error (bias)"),
                _c("sd_error", "float", "sd", "statistic", "their sd (above 1: overconfident)"),
                _c("passes", "bool", "yes/no", "statistic", "within_3 at least 95%"),
            ),
        ),
        Table(
            "calibrate/conflicts", run, "conflicts.csv", "one per set of targets no point "
            "not ruled out meets together",
            (
                _c("targets", "text", "ids", "label", "the targets, joined by ' + '"),
                _c("kind", "text", "category", "label", "alone (met nowhere), pair (each met, "
                   "never both) or with the rest (met nowhere in the space not ruled out)"),
                _c("emulated", "float", "implausibility", "statistic", "the smallest largest "
                   "implausibility over the set, by the emulators"),
                _c("simulated", "float", "implausibility", "statistic", "the same at that "
                   "point, simulated (empty: not simulated)"),
                _c("confirmed", "bool", "yes/no", "statistic", "the simulation is implausible "
                   "too"),
                _c("values", "text", "text", "label", "each target's simulated value beside "
                   "the published one"),
                _c("at", "text", "JSON", "setting", "the point: {parameter: value}"),
            ),
        ),
        Table(
            "calibrate/sbc", run, "sbc.csv", "one per free parameter: simulation-based "
            "calibration",
            (
                parameter,
                _c("rank_p_value", "float", "p", "statistic", "chi-square test that the "
                   "truths' places in their posteriors are uniform (ten bins)"),
                _c("coverage_50", "float", "share", "statistic", "share of truths inside "
                   "their posterior's central 50% interval"),
                _c("coverage_90", "float", "share", "statistic", "the same for 90%"),
                _c("truths", "int", "truths", "count", "synthetic truths"),
                _c("passes", "bool", "yes/no", "statistic", "p above 0.01 / parameters and "
                   "both coverages within 5 points of nominal"),
            ),
        ),
        Table(
            "calibrate/recovery", run, "recovery.csv", "one per free parameter: recovery at "
            "the synthetic truths",
            (
                parameter,
                _c("mse_ratio", "float", "ratio", "statistic", "squared error of the "
                   "posterior mean over that of the prior mean, on the unit cube"),
                _c("contraction", "float", "share", "statistic", "1 - posterior / prior "
                   "variance, averaged over the truths"),
                _c("identified", "bool", "yes/no", "statistic", "contraction at least 0.2"),
                _c("recovered", "bool", "yes/no", "statistic", "mse_ratio at most 0.9"),
            ),
        ),
        Table(
            "calibrate/contraction", run, "contraction.csv", "one per free parameter: what "
            "the published record says about it",
            (
                parameter,
                _c("posterior_sd", "float", "0-1", "statistic", "posterior sd on the unit cube"),
                _c("prior_sd", "float", "0-1", "statistic", "prior sd on the unit cube "
                   "(uniform: 0.289)"),
                _c("contraction", "float", "share", "statistic", "1 - posterior variance / "
                   "prior variance"),
                _c("identified", "bool", "yes/no", "statistic", "contraction at least 0.2"),
                _c("verdict", "text", "text", "label", "identified, or not identified by the "
                   "published record"),
            ),
        ),
    )  # fmt: skip
