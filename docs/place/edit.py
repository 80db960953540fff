"""The edits that turn `netmob area template FOLDER --people 1200` into Millbrook and Eastfield
PCN (docs/PLACE.md). A commissioner would make them in a text editor and a spreadsheet; they
are a script here so that the example can be re-made exactly:

    netmob area template docs/place/millbrook-eastfield --people 1200
    python docs/place/edit.py docs/place/millbrook-eastfield

Only the standard library, so that every cell it does not edit keeps its text.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

# area.yaml: the PCN's people (fictional, but of a kind a PCN's own figures would give)
PROFILE = {
    "name": "Millbrook and Eastfield PCN",
    "age_mean": "71.4",
    "age_sd": "11.2",
    "male": "0.47",
    "living_alone": "0.38",
    "smi": "0.08",
    "no_qualifications": "0.52",
    "sickness_or_disability": "0.44",
    "insecure_housing": "0.07",
    "deprivation": "0.78",  # mean IMD decile 3: (10 - 3) / 9
    "one": "0.12",  # ltc_counts
    "two": "0.25",
    "three": "0.28",
    "four": "0.19",
    "five_or_more": "0.16",
    "workers": "2",
    "budget": "72000",
}

NEIGHBOURHOODS = {
    "neighbourhood 1": "Millbrook",
    "neighbourhood 2": "Eastfield",
    "neighbourhood 3": "Hallow End",  # the estate on the hill: one bus an hour
}
CLOSED = ["social peer 2", "creative 6", "physical activity 13", "practical advice 36"]
BUS_FARE = 4.0  # GBP a visit from Hallow End: GBP 2 each way
BUS_ACCESSIBILITY = 0.5  # Hallow End's places are half as easy to reach
NEW = [
    # name, kind, neighbourhood, places_per_week, cost_per_visit, accessibility,
    # open_weeks, takes_referrals
    [
        "Millbrook Park walking group",
        "physical_activity",
        "Millbrook",
        "25",
        "0",
        "0.85",
        "0.96",
        "yes",
    ],
    ["Eastfield men's shed", "social_peer", "Eastfield", "12", "1.5", "0.7", "0.9", "yes"],
]


def edit_profile(path: Path) -> None:
    text = path.read_text()
    for key, value in PROFILE.items():
        text, n = re.subn(rf"(?m)^(\s*){key}: .*$", rf"\g<1>{key}: {value}", text)
        assert n == 1, key
    path.write_text(text)


def edit_resources(path: Path) -> None:
    with path.open(newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    out = []
    for r in rows:
        if r["name"] in CLOSED:  # closed last year
            continue
        r["neighbourhood"] = NEIGHBOURHOODS.get(r["neighbourhood"], r["neighbourhood"])
        if r["neighbourhood"] == "Hallow End":
            r["accessibility"] = f"{float(r['accessibility']) * BUS_ACCESSIBILITY:.2f}"
            r["cost_per_visit"] = f"{float(r['cost_per_visit']) + BUS_FARE:.2f}"
        if r["kind"] == "faith":  # welcome everyone, but take no referrals
            r["takes_referrals"] = "no"
        out.append(r)
    out += [dict(zip(header, row, strict=True)) for row in NEW]
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(out)


SHOWN = ["physical activity 1", "faith 1", "learning 4", "social peer 2"]  # rows to show


def fields(path: Path) -> list[str]:
    """area.yaml's field lines (comments and blank lines left out)."""
    return [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.lstrip()[0] == "#"]


def rows_by_name(path: Path) -> dict[str, str]:
    """resources.csv's rows as they are written, by name."""
    with path.open(newline="") as f:
        lines = f.read().splitlines()
    return {next(csv.reader([ln]))[0]: ln for ln in lines[1:]}


def what_changed(before: list[str], after: list[str], rows0: dict, rows1: dict) -> list[str]:
    """The edits, as a diff of area.yaml's fields and some rows of resources.csv."""
    out = ["area.yaml:"]
    for old, new in zip(before, after, strict=True):
        out += [f" {old}"] if old == new else [f"-{old}", f"+{new}"]
    out.append("resources.csv (some rows):")
    for name in SHOWN:
        out.append(f"-{rows0[name]}")
        out.append(f"+{rows1[name]}" if name in rows1 else "+(deleted)")
    out += [f"+{rows1[row[0]]}" for row in NEW]
    return out


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    before, rows0 = fields(folder / "area.yaml"), rows_by_name(folder / "resources.csv")
    edit_profile(folder / "area.yaml")
    edit_resources(folder / "resources.csv")
    after, rows1 = fields(folder / "area.yaml"), rows_by_name(folder / "resources.csv")
    print(f"Edited {folder / 'area.yaml'} and {folder / 'resources.csv'}:")
    print("\n".join(what_changed(before, after, rows0, rows1)))
