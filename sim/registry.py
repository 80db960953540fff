"""The one registry of outcomes: every column of the model's outputs, written once.

Each :class:`Outcome` says where it appears (``tables``), its unit, its meaning and
whether more is better. The tables are:

- ``people``: a column of ``people.parquet`` (one row per target person at the end);
- ``weekly``: a column of ``weekly.parquet`` (population aggregates, one row per week);
- ``run``: a key of a run's summary (``summary.json``), and so an outcome a sweep can
  keep;
- ``effect``: an outcome of ``netmob compare``: the mean over a group of target people
  (everyone, people referred, people engaged) of the per-person ``column``, paired
  against the reference scenario;
- ``ties``: a column of ``ties.parquet`` (``netmob run --ties``; one row per tie the run
  has held, active or ended, at the end).

One name, one meaning: a name is the same measure in every table it is in,
and no name has a dot. The words say what a value is of:

- a plain name (``swemwbs``, ``changes_nudge``, ``service_cost``) is one target person's
  own value in ``people.parquet``, and in compare's effects the mean of that value over a
  group;
- ``_mean`` is a mean over target people (or the people the meaning names), ``_share`` a
  share of people (or of ties pooled over people): never one person's own value;
- ``_total`` is a sum over all target people of a run (``service_cost_total``,
  ``changes_nudge_total``); ``people_...`` and ``n_people_...`` count people; a
  programme's own figures (``intervention_cost``) are the whole run's;
- ``_per_person`` is a whole run's figure spread over a group's people
  (``intervention_cost_per_person``).

:data:`RENAMED` keeps the old names, so that a sweep spec that asks for one is told the
new one. The weekly table's columns, the sweep outcomes, compare's effects and the
report's labels all come from here; ``tests/test_registry.py`` checks that the model
produces exactly the registered columns, no more and no fewer.

Examples:
    >>> meaning("swemwbs")
    'mental wellbeing (SWEMWBS, 7-35)'
    >>> names("effect")[:3]
    ('swemwbs', 'ucla', 'lonely_share')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netmob.sim.vocabulary import NETWORK_TYPES, ORIGINS, SWEMWBS_SCALE, UCLA_SCALE

Table = Literal["people", "weekly", "run", "effect", "ties"]
TABLES: tuple[Table, ...] = ("people", "weekly", "run", "effect", "ties")


@dataclass(frozen=True)
class Outcome:
    """One registered output.

    Args:
        name: Its column or key: the same measure in every table it is in, no dots.
        tables: Where it appears (see the module docstring).
        unit: Its unit ("points", "share", "GBP", ...).
        meaning: What it is, in the sources' words.
        better: ``"higher"``, ``"lower"`` or None (a covariate, a count, a cost driver).
        column: For an effect, the per-person column averaged over a group (None: the
            programme's cost spread over the group, see :mod:`netmob.sim.groups`).
    """

    name: str
    tables: tuple[Table, ...]
    unit: str
    meaning: str
    better: Literal["higher", "lower"] | None = None
    column: str | None = None


def _o(name, tables, unit, meaning, better=None, column=None) -> Outcome:
    tables = tuple(tables.split())
    if (
        "effect" in tables
        and column is None
        and name not in ("intervention_cost_per_person", "net_cost")
    ):
        column = name
    return Outcome(name, tables, unit, meaning, better, column)


H, L = "higher", "lower"
OUTCOMES: tuple[Outcome, ...] = (
    # ---- compare's effects, in the order the report shows them ---------------------
    _o("swemwbs", "people effect", "points", "mental wellbeing (SWEMWBS, {}-{})".format(*SWEMWBS_SCALE), H),
    _o("ucla", "people effect", "points", "loneliness (UCLA-3, {}-{}; lower is better)".format(*UCLA_SCALE), L),
    _o("lonely_share", "weekly run effect", "share", "share lonely (UCLA-3 of 6 or more)", L, "lonely"),
    _o("eq5d", "people effect", "utility", "health-related quality of life (EQ-5D)", H),
    _o("qalys", "people effect", "QALYs", "quality-adjusted life years over the horizon", H),
    _o("network_size", "people effect", "people", "people in the personal network", H),
    _o("new_ties_nudge", "people effect", "ties", "new ties made through the nudge", H),
    _o("new_ties_mobilisation", "people effect", "ties", "new ties made through mobilisation", H),
    _o("objectives_achieved", "people effect", "objectives", "personal objectives achieved", H),
    _o("reached_share", "effect", "share", "share seen by a worker at least once", H, "reached"),
    _o("members_swemwbs", "effect", "points", "network members' wellbeing change", H, "members_swemwbs_change"),
    _o("intervention_cost_per_person", "effect", "GBP", "programme cost (workers' pay and materials) per person in the group", L),
    _o("service_cost", "people effect", "GBP", "health-service cost (GP, A&E, admissions; mental-health contacts and bed-days)", L),
    _o("mh_cost", "people effect", "GBP", "mental-health service cost of people with SMI (contacts, bed-days; part of service_cost)", L),
    _o("net_cost", "effect", "GBP", "programme plus service cost", L),
    # ---- people.parquet: who ----------------------------------------------------------
    _o("person_id", "people", "id", "target person (the same person in every paired run)"),
    _o("age", "people", "years", "age"),
    _o("male", "people", "yes/no", "male"),
    _o("area", "people", "id", "neighbourhood"),
    _o("lives_alone", "people", "yes/no", "lives alone"),
    _o("has_partner", "people", "yes/no", "has a partner at the end"),
    _o("housing", "people", "category", "housing: stable, insecure or supported"),
    _o("education", "people", "category", "formal education: none, school or higher"),
    _o("disability", "people", "yes/no", "long-term sickness or disability"),
    _o("smi", "people", "yes/no", "severe mental illness"),
    _o("diagnosis", "people", "category", "diagnosis within SMI (SRC-CHN-SMI): none (no SMI), psychosis, bipolar or other"),
    _o("deprivation", "people", "0-1", "area deprivation"),
    _o("pet", "people", "yes/no", "has a pet"),
    _o("dog", "people", "yes/no", "the pet is a dog (walked: a route to walking groups, P7)"),
    _o("n_conditions", "people", "conditions", "long-term conditions"),
    _o("burden", "people", "0-1", "disease burden", L),
    _o("self_management", "people", "0-1", "self-management capacity", H),
    # ---- people.parquet: network and support --------------------------------------------
    _o("network_size_start", "people", "people", "network size at the end of the burn-in"),
    _o("network_type", "people", "category", "network type (SRC-CHN-SMI): diverse_active, family_stable or formal_sparse"),
    _o("network_type_start", "people", "category", "network type at the end of the burn-in"),
    _o("family_fraction", "people", "share", "partner and family among the person's network members"),
    _o("friends", "people", "people", "friends in the network", H),
    _o("frequent_contacts", "people", "people", "members seen weekly or more", H),
    _o("density", "people", "share", "share of pairs of members who know each other"),
    _o("places", "people", "resources", "community resources attended", H),
    _o("support_need", "people", "hours/week", "support need"),
    _o("support_received", "people", "hours/week", "support received", H),
    _o("support_from_partner", "people", "hours/week", "support received from a partner"),
    _o("support_from_others", "people", "hours/week", "support received from others"),
    _o("support_gap", "people", "hours/week", "support need not met", L),
    _o("swemwbs_start", "people", "points", "SWEMWBS at the end of the burn-in"),
    _o("lonely", "people", "yes/no", "lonely (UCLA-3 of 6 or more)", L),
    _o("objectives", "people", "objectives", "personal objectives held"),
    _o("gp_visits", "people", "visits", "GP visits over the horizon", L),
    _o("ae_visits", "people", "visits", "A&E visits over the horizon", L),
    _o("admissions", "people", "admissions", "hospital admissions over the horizon", L),
    _o("mh_crises", "people", "crises", "mental-health crises over the horizon (people with SMI)", L),
    _o("mh_contacts", "people", "contacts", "mental-health contacts over the horizon (people with SMI)", L),
    _o("mh_bed_days", "people", "days", "psychiatric bed-days over the horizon (people with SMI)", L),
    _o("social_capital", "people", "kinds", "access to social capital: kinds of member and of resource (0-14; E2)", H),
    _o("members_swemwbs_change", "people", "points", "mean SWEMWBS change of the person's network members", H),
    # ---- people.parquet: what a programme did --------------------------------------------
    _o("referred", "people", "yes/no", "referred to the programme"),
    _o("referred_week", "people", "week", "week of referral (-1: never)"),
    _o("contacts", "people", "contacts", "worker contacts"),
    _o("disengaged", "people", "yes/no", "disengaged from the programme"),
    _o("left_waiting_list", "people", "yes/no", "gave up waiting for a place on a caseload"),
    _o("high_fidelity", "people", "yes/no", "referred and served with high fidelity (Connecting People)"),
    _o("fidelity", "people", "0-1", "mean quality of the worker contacts received (emergent fidelity; NaN: none)"),
    _o("trust", "people", "0-1", "trust in the worker at the end (NaN: never met a worker)"),
    _o("stepped_back", "people", "ties", "negative ties the person was helped to step back from"),
    _o("stage_reached", "people", "stage", "furthest mobilisation stage reached"),
    _o("status_quo", "people", "yes/no", "rehearsed justifications for the status quo and stopped"),
    _o("regressions", "people", "moves", "falls back to an earlier mobilisation stage"),
    _o("first_change_pathway", "people", "pathway", "pathway of the first change: nudge, mobilisation or none"),
    _o("weeks_to_first_change", "people", "weeks", "weeks from referral to the first change"),
    _o("changes_nudge", "people", "changes", "changes the nudge enacted"),
    _o("changes_mobilisation", "people", "changes", "changes mobilisation enacted"),
    _o("deepened_ties_nudge", "people", "ties", "ties the nudge deepened"),
    _o("deepened_ties_mobilisation", "people", "ties", "ties mobilisation deepened"),
    _o("reactivated_ties_nudge", "people", "ties", "dormant ties the nudge reactivated"),
    _o("reactivated_ties_mobilisation", "people", "ties", "dormant ties mobilisation reactivated"),
    _o("resources_taken_up_nudge", "people", "resources", "resources taken up through the nudge"),
    _o("resources_taken_up_mobilisation", "people", "resources", "resources taken up through mobilisation"),
    _o("members_along_nudge", "people", "members", "network members brought along through the nudge"),
    _o("members_along_mobilisation", "people", "members", "network members brought along through mobilisation"),
    _o("new_ties", "people", "ties", "new ties since week 1, all origins"),
    _o("deepened_ties", "people", "ties", "ties deepened by either pathway"),
    _o("reactivated_ties", "people", "ties", "ties reactivated by either pathway"),
    _o("objectives_nudge", "people", "objectives", "objectives achieved through the nudge"),
    _o("objectives_mobilisation", "people", "objectives", "objectives achieved through mobilisation"),
    # ---- weekly.parquet and the run's summary --------------------------------------------
    _o("n_people_target", "run", "people", "target people"),
    _o("n_people_total", "run", "people", "everyone simulated: target people and network members"),
    _o("weeks", "run", "weeks", "weeks after the burn-in"),
    _o("swemwbs_mean", "weekly run", "points", "mean SWEMWBS of target people", H),
    _o("ucla_mean", "weekly run", "points", "mean UCLA-3 of target people", L),
    _o("eq5d_mean", "weekly run", "utility", "mean EQ-5D of target people", H),
    _o("network_size_mean", "weekly run", "people", "mean network size", H),
    _o("weekly_contacts_mean", "weekly run", "people", "mean members seen weekly or more (N2)", H),
    _o("support_received_mean", "weekly run", "hours/week", "mean support received", H),
    _o("support_gap_mean", "weekly", "hours/week", "mean support need not met", L),
    _o("attending_share", "weekly", "share", "share attending a community resource", H),
    _o("members_swemwbs_mean", "weekly", "points", "mean SWEMWBS of network members", H),
    _o("service_cost_mean", "weekly run", "GBP", "mean health-service cost so far", L),
    _o("mh_cost_smi_mean", "weekly run", "GBP", "mean mental-health service cost so far of people with SMI", L),
    _o("qalys_mean", "weekly run", "QALYs", "mean QALYs so far", H),
    _o("ties_active", "weekly", "ties", "active ties, not dormant"),
    _o("ties_dormant", "weekly", "ties", "dormant ties"),
    *(
        _o(f"new_ties_{o}_total", "weekly run", "ties", f"new ties formed by {o} since week 1, all target people")
        for o in ORIGINS
        if o != "baseline"
    ),
    *(
        _o(f"{t}_share", "weekly run", "share", f"share of target people whose network is {t}")
        for t in NETWORK_TYPES
    ),
    _o("clients_active", "weekly", "people", "clients on a caseload this week"),
    _o("clients_waiting", "weekly", "people", "people referred and waiting for a place this week"),
    _o("nudges", "weekly", "nudges", "nudges so far"),
    _o("adopting_or_sustained", "weekly", "people", "clients adopting or sustaining a change"),
    _o("family_share", "run", "share", "partner and family among network members, pooled over all target people's live ties (N4)"),
    _o("friend_share", "run", "share", "friends among network members (N4)"),
    _o("partner_share", "run", "share", "share with a partner in the network (N2)"),
    _o("living_alone_share", "run", "share", "share living alone (N3)"),
    _o("density_mean", "run", "share", "mean network density (N2)"),
    _o("inner_turnover_per_year", "run", "share/year", "inner-circle ties lost per year (T1)"),
    _o("outer_turnover_per_year", "run", "share/year", "middle and outer ties lost per year (T2)"),
    _o("network_size_change", "run", "share", "relative change of mean network size since week 0"),
    _o("members_swemwbs_change_mean", "run", "points", "mean over target people of the mean SWEMWBS change of their network members", H),
    _o("people_referred", "weekly run", "people", "people referred so far"),
    _o("people_reached", "weekly run", "people", "people seen by a worker at least once so far"),
    _o("contacts_mean", "run", "contacts", "mean worker contacts per person referred"),
    _o("engaged_3plus_share", "run", "share", "share of people referred with 3 or more contacts (E5)"),
    _o("disengaged_share", "run", "share", "share of people referred who disengaged"),
    _o("changes_nudge_total", "run", "changes", "changes the nudge enacted, all target people"),
    _o("changes_mobilisation_total", "run", "changes", "changes mobilisation enacted, all target people"),
    _o("intervention_cost", "weekly run", "GBP", "programme cost so far (workers' pay and materials), all target people", L),
    _o("cost_per_referred", "run", "GBP", "programme cost per person referred"),
    _o("service_cost_total", "run", "GBP", "health-service cost of all target people"),
    _o("swemwbs_referred_mean", "run", "points", "mean SWEMWBS of people referred", H),
    _o("support_received_referred_mean", "run", "hours/week", "mean support received by people referred", H),
    _o("workers_in_post_mean", "run", "workers", "mean full-time-equivalent workers in post"),
    _o("waiting_left_share", "run", "share", "share of people referred who gave up waiting for a place"),
    _o("worker_knowledge_mean", "run", "share", "workers' mean knowledge of local resources at the end"),
    # ---- ties.parquet: one row per tie, active or ended, at the end ------------------------
    _o("tie", "ties", "id", "tie (its row in the model's tie table; an id within the run)"),
    _o("ego", "ties", "id", "the target person whose tie it is (person_id of people.parquet)"),
    _o("alter", "ties", "id", "the other person: a target person (a person_id) or a network member"),
    _o("alter_is_target", "ties", "yes/no", "the other person is a target person too"),
    _o("kind", "ties", "category", "partner, family, friend, neighbour, group or formal"),
    _o("circle", "ties", "category", "GENIE circle: inner, middle or outer"),
    _o("strength", "ties", "0-1", "tie strength"),
    _o("contacts_per_week", "ties", "contacts/week", "how often they are in contact"),
    _o("dormant", "ties", "yes/no", "dormant: kept, but not drawn on"),
    _o("active", "ties", "yes/no", "not ended (live or dormant)"),
    _o("formed", "ties", "week", "week formed (0 or less: before outcomes are counted, in the burn-in or before it)"),
    _o("ended", "ties", "week", "week ended (empty while active)"),
    _o("dormant_since", "ties", "week", "week it fell dormant (empty unless dormant now)"),
    _o("origin", "ties", "category", "what formed it: baseline, organic, nudge or mobilisation"),
    _o("changed_by", "ties", "category", "what last deepened, reactivated or re-valued it: none, nudge or mobilisation"),
    _o("support_capacity", "ties", "hours/week", "support the tie can carry at its kind, circle and strength"),
    _o("support_given", "ties", "hours/week", "support it gave in the last week"),
    _o("value_subjective", "ties", "0-1", "how the person values it: the share of what it can carry they draw on"),
    _o("nearby", "ties", "yes/no", "the member lives in the person's neighbourhood (N2)"),
    _o("negative", "ties", "yes/no", "'bad' social capital: strain instead of support (SRC-CP-MODEL)"),
)  # fmt: skip


# Old names (before the naming rules above) and their new ones, by table: a spec naming one is refused
# with the new name.
RENAMED: dict[tuple[Table, str], str] = {
    ("people", "family_share"): "family_fraction",
    ("effect", "people_reached"): "reached_share",
    ("effect", "intervention_cost"): "intervention_cost_per_person",
    ("run", "changes_nudge"): "changes_nudge_total",
    ("run", "changes_mobilisation"): "changes_mobilisation_total",
    **{("run", f"new_ties.{o}"): f"new_ties_{o}_total" for o in ORIGINS if o != "baseline"},
    **{("weekly", f"new_ties_{o}"): f"new_ties_{o}_total" for o in ORIGINS if o != "baseline"},
    **{("run", f"network_type_shares.{t}"): f"{t}_share" for t in NETWORK_TYPES},
    ("run", "members_swemwbs_change"): "members_swemwbs_change_mean",
}


def _merge(outcomes: tuple[Outcome, ...]) -> dict[tuple[str, str], Outcome]:
    out: dict[tuple[str, str], Outcome] = {}
    for o in outcomes:
        for t in o.tables:
            if (t, o.name) in out:
                raise ValueError(f"outcome {o.name!r} registered twice in table {t!r}")
            out[(t, o.name)] = o
    return out


BY_TABLE = _merge(OUTCOMES)


def names(table: Table) -> tuple[str, ...]:
    """The registered names of ``table``, in registry order."""
    return tuple(o.name for o in OUTCOMES if table in o.tables)


def get(name: str, table: Table | None = None) -> Outcome:
    """The registered outcome ``name`` (of ``table``, if a name is in several entries).

    Raises:
        KeyError: if it is not registered.
    """
    if table is not None:
        return BY_TABLE[(table, name)]
    for t in TABLES:
        if (t, name) in BY_TABLE:
            return BY_TABLE[(t, name)]
    raise KeyError(name)


def renamed(name: str, table: Table) -> str | None:
    """The new name of ``name`` if it is an old name of ``table`` (see :data:`RENAMED`).

    Examples:
        >>> renamed("new_ties.nudge", "run")
        'new_ties_nudge_total'
        >>> renamed("swemwbs_mean", "run") is None
        True
    """
    return RENAMED.get((table, name))


def meaning(name: str, table: Table | None = None) -> str:
    """What ``name`` is, in words."""
    return get(name, table).meaning


def unit(name: str, table: Table | None = None) -> str:
    """The unit of ``name``."""
    return get(name, table).unit
