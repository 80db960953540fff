"""The What-if view's area: which place the comparison runs on (Solara code and its helpers).

An area folder (``area.yaml`` and ``resources.csv``, :mod:`netmob.sim.area`) comes from a
folder typed in, from files dropped on the page (both, or one of them with the other
taken from the area already loaded), or from ``netmob app --area DIR``, which passes the
folder in the environment (``NETMOB_APP_AREA``). A bad area shows its one-line validation
message in the page; the view keeps running on what it ran on before.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import solara

from netmob.app.words import web_words
from netmob.sim.area import Area, load_area
from netmob.sim.area.folder import profile_text
from netmob.sim.area.profile import FILE as PROFILE
from netmob.sim.area.resources import FILE as RESOURCES
from netmob.sim.errors import InputError
from netmob.sim.params import Params

ENV = "NETMOB_APP_AREA"  # the folder `netmob app --area DIR` preloads
FILES = (PROFILE, RESOURCES)


@dataclass(frozen=True)
class Chosen:
    """The area the What-if view runs on (None: netmob's default community), where it came
    from, and the message of the last area that could not be loaded ("" if none)."""

    area: Area | None = None
    source: str = ""
    error: str = ""


def preloaded() -> Chosen:
    """The area ``netmob app --area DIR`` named, if any."""
    folder = os.environ.get(ENV)
    if not folder:
        return Chosen()
    return from_folder(folder, Chosen())


def from_folder(folder: str, now: Chosen) -> Chosen:
    """The area in ``folder``; on a bad one, ``now`` with the validation message."""
    text = folder.strip()
    try:
        if not text:
            raise InputError("type an area folder first", field="area folder", value=folder)
        return Chosen(load_area(Path(text).expanduser()), source=text)
    except InputError as err:
        return Chosen(now.area, now.source, error=web_words(str(err)))


def from_files(files: list[dict], now: Chosen) -> Chosen:
    """The area in dropped files (``{"name", "data"}`` each): area.yaml and resources.csv;
    one alone takes the other from the area now loaded (resources.csv alone, without one:
    netmob's default profile). On a bad one, ``now`` with the validation message."""
    try:
        return Chosen(load_area(_folder_of(files, now.area)), source=_dropped(files))
    except InputError as err:
        return Chosen(now.area, now.source, error=web_words(str(err)))


def _dropped(files: list[dict]) -> str:
    return "dropped " + " and ".join(sorted(Path(f["name"]).name for f in files))


def _folder_of(files: list[dict], loaded: Area | None) -> Path:
    """A new temporary area folder holding the dropped files (and what they lack)."""
    given = {Path(f["name"]).name: f for f in files}
    unknown = sorted(set(given) - set(FILES))
    if unknown or not given:
        raise InputError(
            "drop an area's files",
            field="dropped files",
            value=", ".join(unknown) or "none",
            allowed="area.yaml and resources.csv (netmob area template DIR writes them)",
        )
    if RESOURCES not in given and loaded is None:
        raise InputError(
            "area.yaml needs its resources.csv: drop both together",
            field="dropped files",
            value=PROFILE,
            allowed="area.yaml and resources.csv",
        )
    folder = Path(tempfile.mkdtemp(prefix="netmob-area-"))
    for name in FILES:
        if name in given:
            (folder / name).write_bytes(given[name].get("data") or given[name]["file_obj"].read())
        elif loaded is not None:
            shutil.copyfile(Path(loaded.folder) / name, folder / name)
        else:  # resources.csv alone, no area loaded: netmob's default people
            (folder / name).write_text(profile_text(Params(), seed=1))
    return folder


def plural(n: int, word: str) -> str:
    """``1 neighbourhood``, ``2 neighbourhoods``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def scaling_note(area: Area | None, people: int) -> str:
    """What a comparison of ``people`` does to the area's workers, budget and places ("" at
    the area's own people, or on the default community)."""
    return "" if area is None else area.scaling(people)


def describe(area: Area) -> list[tuple[str, str]]:
    """What the view says about an area, as (heading, text) pairs."""
    d = area.directory
    hashes = ", ".join(f"{name} {sha[:8]}" for name, sha in d.files.items())
    return [
        ("people", f"{area.people:,} with long-term conditions"),
        ("resources", f"{len(d):,} in {plural(len(d.neighbourhoods), 'neighbourhood')}"),
        ("files (SHA-256)", hashes),
    ]


CHOSEN_AREA = solara.reactive(preloaded())  # per session; starts at `netmob app --area`
FOLDER = solara.reactive(CHOSEN_AREA.value.source)


@solara.component
def AreaCard(on_change=None):
    """Choose the area the comparison runs on; show which one it is. ``on_change`` is
    called after a new area loads (the view then takes the area's people)."""
    now = CHOSEN_AREA.value

    def choose(new: Chosen) -> None:
        CHOSEN_AREA.set(new)
        if not new.error and on_change is not None:
            on_change()

    with solara.Card("Area", classes=["netmob-area"]):
        solara.InputText("area folder (area.yaml and resources.csv)", value=FOLDER)
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Button(
                "Load area",
                on_click=lambda: choose(from_folder(FOLDER.value, now)),
                color="primary",
                outlined=True,
            )
            if now.area is not None:
                solara.Button(
                    "Use the default community",
                    on_click=lambda: choose(Chosen()),
                    text=True,
                    color="primary",
                )
        solara.FileDropMultiple(
            label="or drop area.yaml and resources.csv here",
            on_file=lambda files: choose(from_files(files, now)),
            lazy=False,
        )
        if now.error:
            solara.Error(now.error, classes=["netmob-area-error"])
        AreaFacts(now)


@solara.component
def AreaFacts(now: Chosen):
    """Which area the comparison runs on: name, people, resources, short file hashes."""
    if now.area is None:
        solara.Text(
            "Running on netmob's default community (its synthetic resources).",
            classes=["netmob-note", "netmob-area-name"],
        )
        return
    items = "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in describe(now.area)
    )
    solara.HTML(
        "div",
        unsafe_innerHTML=(
            f'<div class="netmob-area-name">Running on <b data-area="name">'
            f"{html.escape(now.area.name)}</b></div>"
            f'<dl class="netmob-facts">{items}</dl>'
            f'<div class="netmob-note">from {html.escape(now.source)}</div>'
        ),
        classes=["netmob-area-facts"],
    )
