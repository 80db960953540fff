"""``resources.csv``: an area's local groups, activities and places, one row each.

A plain CSV (comma-separated, a header row, UTF-8; a spreadsheet's BOM is fine), so that
pandas, DuckDB or a spreadsheet read it as it is; what each column means is in
``resources.md`` beside it (:data:`COLUMNS` is its one source). Rows are numbered as a
spreadsheet numbers them: the header is row 1, the first resource row 2.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from netmob.sim.errors import InputError
from netmob.sim.params import field_info
from netmob.sim.text import read_text
from netmob.sim.vocabulary import RESOURCE_KINDS

FILE = "resources.csv"
DOC = "resources.md"
YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")
PLACES_MAX = 100_000  # places a week at one resource: more is a typing mistake
COST_MAX = 1_000  # GBP a visit: more is a typing mistake

# column -> (unit, meaning, required); the order of the template and of resources.md
COLUMNS: dict[str, tuple[str, str, bool]] = {
    "name": ("text", "the group's, activity's or place's name; each name once", True),
    "kind": ("one of the kinds below", "what it offers, in PLANS' kinds", True),
    "neighbourhood": (
        "text",
        "where it is; the area's people live spread evenly over the neighbourhoods named here",
        True,
    ),
    "places_per_week": (
        f"places a week, 0 to {PLACES_MAX:,}",
        "how many people can go each week, for the area's whole population (area.yaml's `people`)",
        True,
    ),
    "cost_per_visit": (
        f"GBP a visit, 0 to {COST_MAX:,}",
        "what a visit costs the person: fees and fares (0: free)",
        True,
    ),
    "accessibility": (
        "0 to 1",
        "how accessible it is (step-free, toilets, near a bus stop): 1 fully, 0 not at all",
        True,
    ),
    "open_weeks": (
        "share of weeks, 0 to 1",
        "share of the year's weeks it runs (e.g. 0.9: closed about 5 weeks a year); "
        f"default {field_info('attendance.open_weeks')['default']}",
        False,
    ),
    "takes_referrals": (
        "yes or no",
        "whether a link worker or facilitator can refer people to it (no: people find it "
        "themselves); default yes",
        False,
    ),
}
SHARES = ("accessibility", "open_weeks")


class ResourceRow(BaseModel):
    """One resource, as a row of resources.csv."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    # Literal over the vocabulary tuple: pydantic reads it at run time; a type checker wants
    # the values spelt out, which would retype the vocabulary
    kind: Literal[RESOURCE_KINDS]  # type: ignore[valid-type]
    neighbourhood: str = Field(min_length=1)
    places_per_week: float = Field(ge=0, le=PLACES_MAX)
    cost_per_visit: float = Field(ge=0, le=COST_MAX)
    accessibility: float = Field(ge=0, le=1)
    open_weeks: float = Field(field_info("attendance.open_weeks")["default"], ge=0, le=1)
    takes_referrals: bool = True

    @field_validator("name", "neighbourhood", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return v.strip() if isinstance(v, str) else v

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_words(cls, v: Any) -> Any:
        # "Physical activity" and "physical-activity" are physical_activity
        return re.sub(r"[\s\-]+", "_", v.strip().lower()) if isinstance(v, str) else v

    @field_validator("takes_referrals", mode="before")
    @classmethod
    def _yes_no(cls, v: Any) -> Any:
        if isinstance(v, str) and v.strip().lower() in YES + NO:
            return v.strip().lower() in YES
        if isinstance(v, str):
            raise ValueError("must be yes or no")
        return v


def allowed(column: str) -> str:
    """What a column accepts, in words."""
    if column == "kind":
        return ", ".join(RESOURCE_KINDS)
    if column == "takes_referrals":
        return "yes or no (or true/false, 1/0)"
    unit, _, required = COLUMNS[column]
    return unit + ("" if required else "; or leave empty for the default")


def read_rows(path: Path) -> list[ResourceRow]:
    """The validated rows of ``path`` (a resources.csv).

    Raises:
        InputError: one message naming the file, the row, the column, the value and what
            is allowed; also for a missing or unknown column, a duplicate name, a share
            given as a percentage, or a file with no resources.
    """
    file = str(path)
    if path.is_dir():
        raise InputError("is a folder, not a file", file=file, allowed="a CSV file")
    if not path.is_file():
        raise InputError(
            "the area folder has no resources.csv", file=file, allowed="netmob area template DIR"
        )
    text = read_text(path)  # a file in another encoding stops here, naming it
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        raise InputError(f"cannot read the file as CSV: {err}", file=file) from None
    table = [r for r in table if any(c.strip() for c in r)]  # blank lines are no rows
    if not table:
        raise InputError(
            "the file is empty", file=file, allowed="a header row and one row per resource"
        )
    header = [h.strip() for h in table[0]]
    _check_header(header, file)
    if len(table) < 2:
        raise InputError(
            "the file has no resources, only a header", file=file, allowed="one row per resource"
        )
    rows: list[ResourceRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if any("\n" in c or "\r" in c for c in cells):
            raise InputError(
                "a quote is opened and not closed, so the rest of the file is read as one cell",
                file=file,
                row=number,
                allowed='a closing quote (") for every opening one',
            )
        row = _read_row(header, cells, number, file)
        key = row.name.casefold()
        if key in seen:
            raise InputError(
                f"a name given twice (also row {seen[key]}); each resource once",
                file=file,
                row=number,
                field="name",
                value=row.name,
                allowed="a name no other row has",
            )
        seen[key] = number
        rows.append(row)
    return rows


def _check_header(header: list[str], file: str) -> None:
    if len(header) == 1 and ";" in header[0]:
        raise InputError(
            "the columns are separated by ';', not ','",
            file=file,
            row=1,
            value=header[0],
            allowed="a comma-separated file (save it as CSV UTF-8, comma-delimited)",
        )
    for column in header:
        if column not in COLUMNS:
            raise InputError(
                "unknown column", file=file, row=1, field=column, allowed=", ".join(COLUMNS)
            )
    for column, (_, _, required) in COLUMNS.items():
        if required and column not in header:
            raise InputError(
                "a column is missing", file=file, row=1, field=column, allowed=", ".join(COLUMNS)
            )
    twice = [c for c in header if header.count(c) > 1]
    if twice:
        raise InputError("a column is given twice", file=file, row=1, field=twice[0])


def _read_row(header: list[str], cells: list[str], number: int, file: str) -> ResourceRow:
    if len(cells) > len(header):
        raise InputError(
            f"the row has {len(cells)} cells, the header {len(header)} columns",
            file=file,
            row=number,
            value=",".join(cells),
            allowed="one cell per column (quote a name that holds a comma)",
        )
    given = {h: c.strip() for h, c in zip(header, cells, strict=False) if c.strip() != ""}
    for column in SHARES:
        value = _number(given.get(column))
        if value is not None and 1 < value <= 100:
            raise InputError(
                f"a share is a fraction from 0 to 1; {value:g} looks like a percentage "
                f"(write {value / 100:g} for {value:g}%)",
                file=file,
                row=number,
                field=column,
                value=given[column],
                allowed=allowed(column),
            )
    try:
        return ResourceRow.model_validate(given)
    except ValidationError as err:
        e = err.errors()[0]
        column = str(e["loc"][0]) if e["loc"] else "?"
        cell: object = given.get(column, InputError._UNSET)
        msg = {"missing": "this column needs a value", "literal_error": "unknown kind"}.get(
            e["type"], e["msg"]
        )
        msg = msg.removeprefix("Value error, ")
        raise InputError(
            msg, file=file, row=number, field=column, value=cell, allowed=allowed(column)
        ) from None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def write_rows(rows: list[dict[str, Any]], path: Path) -> None:
    """Write resources as a CSV with every column of :data:`COLUMNS`."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(COLUMNS), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def documentation() -> str:
    """``resources.md``: what each column of resources.csv means, with its unit."""
    lines = [
        "# resources.csv: the area's groups, activities and places",
        "",
        "One row per local group, activity or place; a header row first. A plain CSV, so",
        "a spreadsheet, pandas (`pd.read_csv`) or DuckDB (`read_csv`) reads it as it is.",
        "Check it with `netmob area validate DIR`: a wrong value is named by its row (as a",
        "spreadsheet numbers rows: the header is row 1) and column.",
        "",
        "| column | unit | meaning | required |",
        "|---|---|---|---|",
    ]
    for column, (unit, meaning, required) in COLUMNS.items():
        lines.append(f"| `{column}` | {unit} | {meaning} | {'yes' if required else 'no'} |")
    lines += [
        "",
        "Kinds (PLANS' kinds of community resource): "
        + ", ".join(f"`{k}`" for k in RESOURCE_KINDS)
        + ".",
        "",
        "Shares are fractions: write 0.45, not 45. Places are for the area's whole population",
        "of people with long-term conditions; a run of fewer people (`--people`) scales them.",
        "The template's rows are the resources netmob draws by default for the template's",
        "seed (written in area.yaml), so an untouched folder reproduces the default community.",
        "",
    ]
    return "\n".join(lines)
