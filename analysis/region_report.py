"""The region's report: one self-contained HTML page (``report.html``) and the figure
ranking the areas (``ranking.png``), from :func:`netmob.analysis.region.summarise_region`.

It states the question, gives the answer in brief, ranks the areas by net benefit at GBP
20,000 per QALY with intervals, gives the whole region's headline, value for money and
cost against QALYs (the comparison report's own sections,
:mod:`netmob.analysis.report`), says where the scenarios pay off (scenario discovery over
the areas' profiles, when there are enough areas), folds every area's effects, and ends
with the provenance.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd

from netmob.analysis.brief import in_brief
from netmob.analysis.figures import PALETTE, figure, style
from netmob.analysis.html import folded, page, paragraph, section, table
from netmob.analysis.region import MIN_AREAS, RANK_THRESHOLD, RegionResult
from netmob.analysis.report import (
    _short,
    cost_figure,
    drawn_text,
    headline_section,
    provenance_rows,
    scenarios_section,
    trust_section,
    value_section,
)
from netmob.experiments.effects import REGION


def ranking_figure(result: RegionResult):
    """One panel per scenario (not the reference): the areas from the highest net benefit
    per person at GBP 20,000/QALY to the lowest, with 95% intervals; the region below."""
    others = result.scenarios[1:]
    n = len(result.areas) + 1
    fig, axes = figure(len(others), 1, width=6.0, height=max(2.5, 0.3 * n + 1.2))
    for ax, sc in zip(np.ravel(np.asarray(axes, dtype=object)), others, strict=True):
        t = result.table[result.table["scenario"] == sc].reset_index(drop=True)
        y = np.arange(len(t))[::-1]
        m, lo, hi = (
            t[c].to_numpy(float)
            for c in ("net_benefit_per_person", "net_benefit_low", "net_benefit_high")
        )
        err = np.nan_to_num(np.vstack([m - lo, hi - m]))
        is_region = (t["area"] == REGION).to_numpy()
        for mask, color, marker in ((~is_region, PALETTE[0], "o"), (is_region, PALETTE[3], "D")):
            ax.errorbar(m[mask], y[mask], xerr=err[:, mask], fmt=marker, color=color, capsize=3)
        ax.axvline(0, color="#888", lw=0.8)
        labels = ["whole region" if a == REGION else a for a in t["area"]]
        ax.set_yticks(y, labels, fontsize=8)
        style(
            ax,
            f"{sc} against {result.scenarios[0]}: areas ranked",
            f"net benefit per person at GBP {RANK_THRESHOLD:,}/QALY (GBP)",
        )
    return fig


def question(result: RegionResult) -> str:
    s = result.settings
    ref, others = result.scenarios[0], ", ".join(result.scenarios[1:])
    return (
        f"What changes, for whom and at what cost, under {others} compared with {ref}, in "
        f"each of the {len(result.areas)} areas of the region and in the region as a whole? "
        "Each area was simulated as its own community of its people with long-term "
        f"conditions ({sum(result.people.values()):,} in all), over {s['weeks']} weeks, "
        f"{s['replicates']} times (seed {s['seed']}); within an area every scenario shares "
        "the replicate's seed, so the scenarios differ only through what they change. The "
        "region's effects weight each area by its people."
        + drawn_text(s.get("uncertainty")).replace("every scenario", "every area and scenario")
    )


def ranking_text(result: RegionResult) -> list[str]:
    """Per scenario: the areas where it pays off most and least."""
    out = []
    for sc in result.scenarios[1:]:
        t = result.table[(result.table["scenario"] == sc) & (result.table["area"] != REGION)]
        t = t.dropna(subset=["net_benefit_per_person"])
        if t.empty:
            continue
        best, worst = t.iloc[0], t.iloc[-1]
        positive = int((t["net_benefit_low"] > 0).sum())
        out.append(
            f"{sc}: net benefit at GBP {RANK_THRESHOLD:,}/QALY is highest in {best['area']} "
            f"(GBP {best['net_benefit_per_person']:+,.0f} a person) and lowest in "
            f"{worst['area']} (GBP {worst['net_benefit_per_person']:+,.0f}); its interval is "
            f"above zero in {positive} of {len(t)} areas."
        )
    return out


def shown_table(result: RegionResult) -> pd.DataFrame:
    """areas.csv as the report shows it: intervals in one cell, GBP rounded."""
    t = result.table

    def cell(m, lo, hi) -> str:
        if not np.isfinite(m):
            return "n/a"
        return f"{m:+z,.0f} ({lo:+z,.0f} to {hi:+z,.0f})"

    return pd.DataFrame(
        {
            "scenario": t["scenario"],
            "rank": t["rank"].astype(object).where(t["rank"].notna(), ""),
            "area": t["area"].replace({REGION: "whole region"}),
            "people": t["people"].map(lambda v: f"{v:,.0f}"),
            "net benefit per person (GBP)": [
                cell(*r)
                for r in t[
                    ["net_benefit_per_person", "net_benefit_low", "net_benefit_high"]
                ].to_numpy(float)
            ],
            "net benefit in all (GBP)": [
                cell(*r)
                for r in t[
                    ["net_benefit_total", "net_benefit_total_low", "net_benefit_total_high"]
                ].to_numpy(float)
            ],
            "chance cost-effective": t["prob_cost_effective"].map(
                lambda p: f"{p:.0%}" if np.isfinite(p) else "n/a"
            ),
        }
    )


def discovery_section(result: RegionResult) -> str:
    factors = result.factors()
    parts = [
        paragraph(
            f"Scenario discovery (PRIM, as netmob discover) over the areas: the ranges of the "
            f"profile fields that vary across them ({', '.join(factors) or 'none'}) inside "
            f"which a scenario's net benefit at GBP {RANK_THRESHOLD:,}/QALY is above zero "
            f"(above the median area when every area or none is). It needs {MIN_AREAS} areas "
            "or more; with few areas, read it as a pointer, not a finding.",
            note=True,
        )
    ]
    for sc, lines in result.discovery.items():
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        parts.append(f"<p><b>{html.escape(sc)}</b></p><ul>{items}</ul>")
    return section("Where it pays off", *parts)


def provenance(result: RegionResult, command: Sequence[str] | None) -> str:
    rows = provenance_rows(result.region, command)
    rows = rows[rows["item"] != "Comparison started (UTC)"]
    files = result.settings.get("files") or {}
    extra = [("Region started (UTC)", result.settings.get("created") or "not recorded")]
    region = files.get("region")
    if region:
        extra.append(("Region file", f"{region['file']} (SHA-256 {_short(region['sha256'])})"))
    for name, p in (files.get("areas") or {}).items():
        hashes = ", ".join(f"{f} (SHA-256 {_short(h)})" for f, h in p.get("files", {}).items())
        extra.append((f"Area {name}", f"{p['folder']}" + (f": {hashes}" if hashes else "")))
    rows = pd.concat([rows, pd.DataFrame(extra, columns=rows.columns)], ignore_index=True)
    return section(
        "Provenance",
        table(rows, max_rows=1000),
        paragraph(
            "SHA-256 hashes are the first 12 hex digits of each file's; the full ones are in "
            "the region's manifest.json. An area given by its profile fields alone (a row of "
            "the region file) runs on netmob's synthetic resources.",
            note=True,
        ),
    )


def effects_all(result: RegionResult) -> pd.DataFrame:
    """effects.csv: every area's effects and the region's (area ``(region)``)."""
    frames = [r.effects.assign(area=name) for name, r in result.per_area.items()]
    frames.append(result.region.effects.assign(area=REGION))
    out = pd.concat(frames, ignore_index=True)
    return out[["area", *[c for c in out.columns if c != "area"]]]


def value_all(result: RegionResult) -> pd.DataFrame:
    """value.csv: every area's acceptability curve and the region's."""
    frames = [r.value.assign(area=name) for name, r in result.per_area.items()]
    frames.append(result.region.value.assign(area=REGION))
    out = pd.concat(frames, ignore_index=True)
    return out[["area", *[c for c in out.columns if c != "area"]]]


def render_region(result: RegionResult, ranking_png: str, command: Sequence[str] | None) -> str:
    """The whole report as one HTML page; ``ranking_png``: the ranking figure's ``<img>``."""
    region = result.region
    notes = []
    if result.unfinished:
        notes.append(
            paragraph(
                f"No replicate finished whole in {', '.join(result.unfinished)}; these areas "
                "are left out of the ranking and of the region (run the command again).",
                note=True,
            )
        )
    brief = [*in_brief(region), *ranking_text(result)]
    return page(
        f"netmob: a region of {len(result.areas)} areas",
        [
            section("The question", paragraph(question(result)), *notes),
            section(
                "In brief", "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in brief) + "</ul>"
            ),
            trust_section(region),
            scenarios_section(region),
            section(
                "Areas ranked",
                ranking_png,
                table(shown_table(result), max_rows=1000),
                paragraph(
                    f"Net benefit = GBP {RANK_THRESHOLD:,} x QALYs gained - extra cost "
                    "(programme plus health services), per target person and for all the "
                    "area's target people, with 95% intervals over replicates; the chance of "
                    "being cost-effective is the share of replicates with a positive net "
                    "benefit. Every number is in areas.csv.",
                    note=True,
                ),
            ),
            headline_section(region).replace("<h2>Headline</h2>", "<h2>The whole region</h2>"),
            value_section(region),
            section("Cost against QALYs, the whole region", cost_figure(region)),
            discovery_section(result),
            section("Every area's effects", folded(effects_all(result), "effects", 2000)),
            provenance(result, command),
        ],
    )
