"""netmob's interactive app: Explore, A person's network, What-if (Solara code only).

Start it with ``netmob app`` (or ``solara run netmob.app.page``). The Explore view is built on
Mesa's SolaraViz parts: its ``ModelController`` (Reset, play, Step) drives an
:class:`~netmob.app.model.AppModel`, its ``UserInputs`` draws the controls that
:func:`~netmob.app.model.controls` generates from the parameter schema, and its
``update_counter`` redraws the views after each step. The person's network and the
What-if comparison are plain Solara. Figures come from ``app/views.py`` and the
comparison from ``experiments/compare.py`` (in memory) and ``analysis/compare.py``.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import solara
import solara.lab
from mesa.visualization import Slider
from mesa.visualization.solara_viz import ModelController, UserInputs
from mesa.visualization.utils import update_counter

from netmob.app import views
from netmob.app.area import CHOSEN_AREA, AreaCard, scaling_note
from netmob.app.circles import layout
from netmob.app.model import AppModel, controls, default_scenario, scenario_params
from netmob.app.words import web_words
from netmob.sim.params import field_info
from netmob.sim.scenario import library, load_scenario

CSS = """
.netmob-numbers { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 4px 0 10px; }
.netmob-numbers .tile { background: #f2f6fb; border-radius: 6px; padding: 8px 12px; }
.netmob-numbers .v { font-size: 1.35em; font-weight: 600; font-variant-numeric: tabular-nums; }
.netmob-numbers .k { font-size: 0.8em; color: #444; }
.netmob-facts dt { font-weight: 600; margin-top: 6px; }
.netmob-facts dd { margin-left: 0; }
.netmob-table table { border-collapse: collapse; font-size: 0.85em; }
.netmob-table th, .netmob-table td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
.netmob-table th:first-child, .netmob-table td:first-child { text-align: left; }
.netmob-note { color: #555; font-size: 0.9em; }
.netmob-run { margin: 4px 12px 0; gap: 18px; }
.netmob-pending { color: #b35c00; font-weight: 600; }
.netmob-group { display: block; font-weight: 600; margin: 10px 0 2px; }
.netmob-figure img { max-width: 100%; height: auto; }
.netmob-area-name { font-size: 1.05em; margin: 8px 0 2px; }
.netmob-area-facts .netmob-facts { margin: 0 0 4px; font-size: 0.9em; }
.netmob-area-facts .netmob-facts dt { margin-top: 4px; }
.netmob-area .solara-file-drop { height: auto; min-height: 44px; border: 1px dashed #9bb;
  border-radius: 6px; padding: 10px;
  margin: 8px 0; color: #555; font-size: 0.9em; text-align: center; }
.netmob-controls .v-input--horizontal.v-slider {
  grid-template-areas: "prepend" "control"; grid-template-columns: minmax(0, 1fr); }
.netmob-controls .v-slider .v-input__prepend { margin-inline-end: 0; margin-bottom: -6px; }
.netmob-controls .v-slider__label { white-space: normal; font-size: 0.85em; line-height: 1.25; }
.netmob-controls .v-checkbox .v-label { white-space: normal; font-size: 0.85em; }
.netmob-controls .v-checkbox .v-input__details { display: none; }
"""
GROUPS = ("referred", "engaged", "population")
VIEWS = ("Explore", "A person's network", "What-if")
PICKS = (  # how to pick a person: (rule of pick(), button)
    ("referred", "random referred person"),
    ("changed", "random changed network"),
    ("anyone", "random person"),
)
PRIMARY = "#005EB8"


def new_model(settings: dict[str, Any]) -> AppModel:
    """A model from the Explore view's settings (scenario, seed and changed controls)."""
    return AppModel(**settings)


@solara.component
def Layout(children: list | None = None):
    """Solara's app layout in the app's colour."""
    solara.lab.theme.themes.light.primary = PRIMARY
    solara.AppLayout(children=children or [], color=PRIMARY)


@solara.component
def Page():
    """The whole app: three views sharing one model."""
    area = CHOSEN_AREA.value.area  # the place every view runs on (What-if's Area card)
    first = solara.use_memo(
        lambda: {"scenario_name": default_scenario(), "seed": 1, "area": area}, []
    )
    settings = solara.use_reactive(first)

    def follow_area():  # a new area applies to Explore at Reset, as a new scenario does
        if settings.value.get("area") is not area:
            settings.set({**settings.value, "area": area})

    solara.use_effect(follow_area, [area])
    model = solara.use_reactive(solara.use_memo(lambda: new_model(first), []))
    person = solara.use_reactive(-1)
    steps = solara.use_reactive(1)  # weeks per Step (Mesa's "render interval")
    tab = solara.use_reactive(0)
    solara.Title("netmob")
    solara.Style(CSS)
    with solara.AppBar():
        solara.AppBarTitle(
            "netmob: social network mobilisation for people with long-term conditions"
        )
    # The tab bar alone, the view on show below it: only that view redraws after a step.
    with solara.lab.Tabs(value=tab):
        for name in VIEWS:
            solara.lab.Tab(name)
    with solara.Div(style={"display": "none"} if tab.value == 2 else {}):
        RunBar(model, settings, steps)  # mounted on every view, so play never runs unseen
    if tab.value == 0:
        Explore(model, settings)
    elif tab.value == 1:
        PersonNetworkView(model, person)
    else:
        WhatIf()


# ---- Running the model (on every view) ------------------------------------------------
@solara.component
def RunBar(
    model: solara.Reactive[AppModel],
    settings: solara.Reactive[dict[str, Any]],
    steps: solara.Reactive[int],
):
    """Mesa's Reset, play and Step for the one model all views show, kept on every view (a
    model can play on while a person's network is watched); and what Reset will start."""
    pause = solara.use_reactive(50)  # ms between weeks while playing
    threads = solara.use_reactive(False)  # step and draw in turn, never at once
    m = model.value
    with solara.Row(classes=["netmob-run"], style={"align-items": "center"}):
        with solara.Div(style={"width": "260px"}):
            ModelController(
                model,
                model_parameters=settings,
                play_interval=pause,
                render_interval=steps,
                use_threads=threads,
            )
        with solara.Div(style={"width": "320px"}):
            solara.SliderInt(f"weeks per step: {steps.value}", value=steps, min=1, max=13)
        solara.Text(
            f"Running: {m.scenario_name or 'schema defaults'}, seed {m.seed}, in {m.place}.",
            classes=["netmob-running"],
        )
        pending = pending_changes(m, settings.value)
        if pending:
            solara.Text(f"Reset starts {pending}.", classes=["netmob-pending"])


def pending_changes(m: AppModel, settings: dict[str, Any]) -> str:
    """What Reset would start that differs from the running model ("" if nothing)."""
    changed = {k: v for k, v in settings.items() if k not in ("scenario_name", "seed", "area")}
    parts = []
    if settings["scenario_name"] != m.scenario_name:
        parts.append(str(settings["scenario_name"]))
    if settings["seed"] != m.seed:
        parts.append(f"seed {settings['seed']}")
    area = settings.get("area")
    if area is not m.area:
        parts.append(f"in {area.name}" if area is not None else "in the default community")
    if changed:
        parts.append(views.plural(len(changed), "changed control"))
    return ", ".join(parts)


# ---- Explore ----------------------------------------------------------------------------
@solara.component
def Explore(model: solara.Reactive[AppModel], settings: solara.Reactive[dict[str, Any]]):
    """Scenario picker and controls (applied at Reset); live charts, the community at a glance."""

    def change(name: str, value: Any) -> None:
        settings.set({**settings.value, name: value})

    with solara.Columns([1, 3]):
        with solara.Column():
            ScenarioPicker(settings)
            with solara.Card("Controls", classes=["netmob-controls"]):
                name, area = settings.value["scenario_name"], settings.value.get("area")
                key = f"controls-{name}-{area.name if area is not None else ''}"
                Controls(name, settings.value, on_change=change, area=area).key(key)
        with solara.Column():
            Numbers(model.value)
            WeeklyCharts(model.value)
            Glance(model.value)


@solara.component
def ScenarioPicker(settings: solara.Reactive[dict[str, Any]]):
    """The scenario (and seed) Reset starts; a new scenario clears changed controls."""
    name = settings.value["scenario_name"]

    def choose(new: str) -> None:
        keep = {k: settings.value.get(k) for k in ("seed", "area")}
        settings.set({"scenario_name": new, **keep})

    def set_seed(seed: int) -> None:
        settings.set({**settings.value, "seed": int(seed)})

    with solara.Card("Scenario"):
        solara.Select("scenario (applies at Reset)", values=library(), value=name, on_value=choose)
        if name:
            solara.Text(load_scenario(name).description, classes=["netmob-note"])
        solara.InputInt("seed (applies at Reset)", value=settings.value["seed"], on_value=set_seed)


@solara.component
def Controls(
    name: str | None,
    values: dict[str, Any],
    on_change: Callable[[str, Any], None],
    area: Any = None,
):
    """Sliders and switches generated from the parameter schema, starting at scenario
    ``name``'s values on ``area`` (``values``: the controls changed since); they apply at
    Reset.

    The parent re-keys this per scenario (``name`` changes with the key: a re-keyed
    child whose props are all unchanged keeps its state), so a new scenario gives new
    controls.
    """
    specs = solara.use_memo(lambda: controls(scenario_params(name, area)), [])
    for group, names in itertools.groupby(specs, key=lambda n: n.split(".")[0]):
        solara.Text(group.capitalize(), classes=["netmob-group"])
        shown = {n: with_value_in_label(specs[n], values.get(n)) for n in names}
        UserInputs(shown, on_change=on_change)


def with_value_in_label(spec, value):
    """A control whose label ends in its current value (the slider's own value stays put)."""
    if not isinstance(spec, Slider):
        return spec
    now = spec.value if value is None else value
    text = f"{now:,}" if isinstance(now, int) else f"{now:g}"
    return Slider(
        f"{spec.label}: {text}",
        spec.value,
        spec.min,
        spec.max,
        spec.step,
        dtype=float if spec.is_float_slider else int,
    )


@solara.component
def Numbers(m: AppModel):
    """This week's headline numbers."""
    update_counter.get()
    with m.lock:
        f = dict(m.latest)
        ref = m.reference_frame()
    now = ref.iloc[-1] if ref is not None and len(ref) else None

    def against(col: str, scale: float, digits: int, unit: str = "") -> str:
        """This week's value and, beside a reference, its difference from it."""
        text = f"{scale * f[col]:.{digits}f}{unit}"
        if now is None:
            return text
        return f"{text} ({scale * (f[col] - now[col]):+.{digits}f} against {m.reference_label})"

    rows = [
        ("week", f"{m.week} of {m.params.run.weeks}"),
        ("target people", f"{m.n_target:,}"),
        ("mental wellbeing (SWEMWBS, mean)", against("swemwbs_mean", 1, 2)),
        ("lonely (UCLA-3)", against("lonely_share", 100, 1, "%")),
        ("people in a personal network (mean)", f"{f['network_size_mean']:.2f}"),
        ("people referred", f"{f.get('people_referred', 0):,}"),
        ("people reached by a worker", f"{f.get('people_reached', 0):,}"),
        ("nudges acted on", f"{f.get('nudges', 0):,}"),
    ]
    tiles = "".join(
        f'<div class="tile"><div class="v" data-measure="{html.escape(k)}">{html.escape(v)}</div>'
        f'<div class="k">{html.escape(k)}</div></div>'
        for k, v in rows
    )
    solara.HTML("div", unsafe_innerHTML=tiles, classes=["netmob-numbers"])


@solara.component
def WeeklyCharts(m: AppModel):
    """Live charts of the weekly measures."""
    update_counter.get()
    data = solara.use_memo(
        lambda: views.png(
            views.weekly_figure(*m.locked(lambda: (m.frame(), m.reference_frame())),
                                label=f"{m.reference_label} (same seed)")
        ),
        [id(m), m.week],
    )  # fmt: skip
    with solara.Card("Week by week", classes=["netmob-charts"]):
        solara.Image(data, width="100%")
        if m.reference is not None:
            solara.Text(
                f"Dashed grey: the same people from the same seed with {m.reference_label}, "
                "stepped beside it: the gap between the lines is the scenario's effect (the "
                "community changes over time in both).",
                classes=["netmob-note", "netmob-reference"],
            )


@solara.component
def Glance(m: AppModel):
    """The community at a glance: network types and mobilisation stages now."""
    update_counter.get()
    data = solara.use_memo(
        lambda: views.png(views.glance_figure(**m.locked(m.glance))), [id(m), m.week]
    )
    with solara.Card("The community at a glance", classes=["netmob-glance"]):
        solara.Image(data, width="100%")


# ---- A person's network ----------------------------------------------------------------
@solara.component
def PersonNetworkView(model: solara.Reactive[AppModel], person: solara.Reactive[int]):
    """A target person's network as GENIE's concentric circles, and how it changed."""
    update_counter.get()
    m = model.value
    shown = person.value if 0 <= person.value < m.n_target else first_person(m)
    with m.lock:
        net = layout(m, shown)
        facts = views.person_facts(m, net)
    with solara.Columns([1, 3]):
        with solara.Column():
            with solara.Card("Whose network"):
                for how, text in PICKS:
                    solara.Button(
                        text,
                        on_click=lambda how=how: person.set(pick(m, how)),
                        text=True,
                        color="primary",
                    )
                solara.InputInt(
                    f"person (0 to {m.n_target - 1:,})", value=shown, on_value=person.set
                )
            PersonFacts(net, facts)
        with solara.Column():
            CirclesFigure(m, net)


def first_person(m: AppModel) -> int:
    """The person shown before one is picked: the first whose network a pathway changed,
    else the first referred, else person 0."""
    pool = m.referred_people()
    changed = pool[m.programme.clients.first_change[pool] >= 1]
    return int(changed[0]) if len(changed) else int(pool[0]) if len(pool) else 0


def pick(m: AppModel, how: str) -> int:
    """A person to show: a random referred person, one whose network a pathway changed, or
    anyone (falls back to anyone when there is no such person yet)."""
    rng = np.random.default_rng()
    pool = m.referred_people()
    if how == "changed":
        c = m.programme.clients
        pool = pool[(c.first_change[pool] >= 1)]
    if how == "anyone" or len(pool) == 0:
        return int(rng.integers(m.n_target))
    return int(rng.choice(pool))


@solara.component
def PersonFacts(net, facts: list[tuple[str, str]]):
    """Who the person is, what the programme did, how the network changed."""
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts)
    with solara.Card(f"Person {net.person}, week {net.week}"):
        solara.HTML("dl", unsafe_innerHTML=items, classes=["netmob-facts"])
    with solara.Card("How the network changed"):
        solara.HTML(
            "p", unsafe_innerHTML=html.escape(views.change_text(net)), classes=["netmob-changes"]
        )


@solara.component
def CirclesFigure(m: AppModel, net):
    """The circles themselves."""
    title = f"Person {net.person}'s network in week {net.week}"
    data = solara.use_memo(
        lambda: views.png(views.circles_figure(net, title)), [id(m), m.week, net.person]
    )
    with solara.Card("Concentric circles", classes=["netmob-circles"]):
        solara.Image(data, width="100%")


# ---- What-if ----------------------------------------------------------------------------
# The What-if view's inputs, kept per session while other views show; None: the default.
CHOSEN: solara.Reactive[list[str] | None] = solara.reactive(None)
PEOPLE: solara.Reactive[int | None] = solara.reactive(None)
WEEKS: solara.Reactive[int | None] = solara.reactive(None)
REPLICATES = solara.reactive(3)
SEED = solara.reactive(1)
# Draw parameters per replicate (on by default, as `netmob compare` does): from the
# shipped posterior if it is validated, else from the assumption ranges.
UNCERTAIN = solara.reactive(True)


def default_comparison(names: list[str]) -> list[str]:
    """The scenarios compared unless others are chosen: baseline and the default scenario."""
    first = [n for n in ("baseline", default_scenario()) if n in names] or names[:2]
    return list(dict.fromkeys(first))


@solara.lab.task(prefer_threaded=True)
def run_comparison(
    scenarios: list[str],
    people: int,
    weeks: int,
    replicates: int,
    seed: int,
    uncertain: bool,
    area=None,
):
    """The paired comparison, in the background; ``progress`` is the share of runs done.
    ``uncertain``: each replicate also draws the assumptions of ``assumptions.yaml``.
    ``area``: an area folder (:class:`netmob.sim.area.Area`) every scenario runs on.

    It runs through the same experiment API as ``netmob compare``
    (:func:`netmob.experiments.compare.run`), here in this process and in memory."""
    from netmob.experiments.backends import make_backend
    from netmob.experiments.compare import compare_spec, run

    def progress(done: int, total: int) -> None:
        run_comparison.progress = 100.0 * done / max(total, 1)

    run_comparison.progress = 0.0
    spec = compare_spec(
        scenarios,
        people=people,
        weeks=weeks,
        replicates=replicates,
        seed=seed,
        uncertainty=uncertainty_source() if uncertain else None,
        area=area,
    )
    return run(spec, backend=make_backend("local", workers=1), on_done=progress)


def uncertainty_source():
    """What the uncertainty box draws from: the shipped posterior if it is validated,
    else the assumption ranges (``experiments/uncertainty/assumptions.yaml``), with a
    note saying why (:func:`netmob.experiments.draws.default_source`)."""
    from netmob.experiments.draws import default_source

    return default_source()


@solara.component
def WhatIf():
    """Choose scenarios, an area, a size and replicates; run the paired comparison; show
    effects."""
    names = library()
    chosen = CHOSEN.value if CHOSEN.value is not None else default_comparison(names)
    area = CHOSEN_AREA.value.area
    default_people = area.people if area else int(field_info("population.n_people")["default"])
    people = PEOPLE.value or default_people
    weeks = WEEKS.value or int(field_info("run.weeks")["default"])

    def start() -> None:
        run_comparison(chosen, people, weeks, REPLICATES.value, SEED.value, UNCERTAIN.value, area)

    with solara.Columns([1, 3]):
        with solara.Column():
            AreaCard(on_change=lambda: PEOPLE.set(None))  # a new area: its own people
            with solara.Card("Compare"):
                solara.SelectMultiple(
                    "scenarios (the first is the reference)",
                    values=chosen,
                    on_value=CHOSEN.set,
                    all_values=names,
                )
                solara.InputInt("target people", value=people, on_value=PEOPLE.set)
                if note := scaling_note(area, people):
                    solara.Text(note, classes=["netmob-note", "netmob-scaling"])
                solara.InputInt("weeks after the burn-in", value=weeks, on_value=WEEKS.set)
                solara.InputInt("replicates (paired seeds)", value=REPLICATES)
                solara.InputInt("seed", value=SEED)
                solara.Checkbox(
                    label=(
                        "uncertainty in the calibrated parameters too (a posterior draw per "
                        "replicate)"
                        if uncertainty_source() == "posterior"
                        else "uncertainty in the assumptions too (draw them per replicate; "
                        "the shipped posterior is not validated)"
                    ),
                    value=UNCERTAIN,
                )
                solara.Button(
                    "Run comparison",
                    on_click=start,
                    color="primary",
                    disabled=run_comparison.pending,
                )
                if run_comparison.pending:
                    solara.ProgressLinear(run_comparison.progress or True)
                    solara.Text(
                        f"{run_comparison.progress or 0:.0f}% of runs done",
                        classes=["netmob-progress"],
                    )
        with solara.Column():
            if run_comparison.error:
                solara.Error(
                    web_words(f"The comparison stopped: {run_comparison.exception}"),
                    classes=["netmob-whatif-error"],
                )
            elif run_comparison.latest is not None:
                Effects(run_comparison.latest)
            else:
                solara.Info(
                    "Choose two or more scenarios and run the comparison: every scenario runs "
                    "from the same seeds as the first, so their differences are the scenarios'."
                )


def area_note(files: dict | None) -> str:
    """Which area the comparison ran on, for the headline's note ("" for the default)."""
    area = (files or {}).get("area")
    return f" in {area['name']}" if area else ""


def drawn_note(u: dict | None) -> str:
    """What each replicate drew, for the headline's note."""
    if not u:
        return ""
    if u.get("note"):  # the assumption ranges in place of a posterior not validated
        return f", each drawing the assumptions of '{u['name']}' ({u['note']})"
    if u.get("kind") == "posterior":
        return f", each drawing a parameter set from the posterior '{u['name']}'"
    return f", each drawing the assumptions of '{u['name']}'"


@solara.component
def Effects(result):
    """The comparison's headline table, effects with intervals, and costs, as in the report."""
    from netmob.analysis import report
    from netmob.analysis.brief import in_brief
    from netmob.analysis.compare import by_measure, headline
    from netmob.analysis.html import table
    from netmob.analysis.trust import distinct_draws, trust_lines

    group = solara.use_reactive(GROUPS[0])
    s = result.settings
    with solara.Card("In brief", classes=["netmob-brief"]):
        for line in in_brief(result):
            solara.Text(web_words(line), style={"display": "block", "margin-bottom": "6px"})
    with solara.Card("How far to trust this", classes=["netmob-trust"]):
        for line, warn in trust_lines(result.settings, distinct_draws(result.runs)):
            style = {"display": "block", "margin-bottom": "6px"}
            solara.Text(web_words(line), style=style | ({"color": "#8a4500"} if warn else {}))
    with solara.Card("Headline", classes=["netmob-headline"]):
        solara.Text(
            f"Differences from {result.scenarios[0]}, with 95% intervals over "
            f"{s['replicates']} paired replicates of {s['people']:,} people over "
            f"{s['weeks']} weeks"
            + area_note(s.get("files"))
            + drawn_note(s.get("uncertainty"))
            + ". 'Referred': people the programme referred; 'engaged': referred with 3 or "
            "more contacts.",
            classes=["netmob-note"],
        )
        solara.HTML(
            "div", unsafe_innerHTML=table(by_measure(headline(result))), classes=["netmob-table"]
        )
    with solara.Card("Effects with intervals", classes=["netmob-effects"]):
        solara.ToggleButtonsSingle(value=group, values=list(GROUPS))
        figure = solara.use_memo(
            lambda: report.forest_figure(result, group.value), [id(result), group.value]
        )
        solara.HTML("div", unsafe_innerHTML=figure, classes=["netmob-figure"])
    with solara.Card("Cost against QALYs", classes=["netmob-costs"]):
        figure = solara.use_memo(lambda: report.cost_figure(result), [id(result)])
        solara.HTML("div", unsafe_innerHTML=figure, classes=["netmob-figure"])
    with solara.Card(classes=["netmob-value"]):
        value = solara.use_memo(lambda: web_words(report.value_section(result)), [id(result)])
        solara.HTML("div", unsafe_innerHTML=value, classes=["netmob-figure", "netmob-table"])
    drivers = solara.use_memo(lambda: web_words(report.drivers_section(result)), [id(result)])
    if drivers:  # only with uncertainty in the assumptions
        with solara.Card(classes=["netmob-drivers"]):
            solara.HTML("div", unsafe_innerHTML=drivers, classes=["netmob-table"])
