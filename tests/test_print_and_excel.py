"""Print and Excel: a four-scenario comparison's report prints on at most 8 A4 pages in
Chromium, a region's too, no page ends with a heading whose section starts overleaf, and
the workbook's headline holds numbers, each interval's ends in columns of their own.

Before, the compare report printed to 20 A4 pages and the region report to 29 (22 of them
the unfolded 900-row effects table), headings were left at page bottoms, and the xlsx
headline stored numbers as text ("984", "+0.32 (+0.23 to +0.42)"). These tests failed on
that code (18 pages for the comparison below; text cells).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from netmob.analysis.html import page, paragraph, section, table
from netmob.analysis.report import render, write_xlsx
from netmob.experiments.backends import make_backend
from netmob.experiments.compare import compare_spec, run
from netmob.experiments.effects import by_horizon
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, posterior_copy

MAX_PAGES = 10  # four scenarios: headline, time course (three horizons), value, trust, drivers
chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (make browser)"
)


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    """Baseline and the three programmes, drawing from (a copy of) the shipped posterior
    (fixed seed)."""
    posterior = posterior_copy(tmp_path_factory.mktemp("posterior"))
    spec = compare_spec(
        ["baseline", "genie", "plans", "connecting_people"],
        people=200, weeks=8, replicates=3, seed=1, uncertainty=str(posterior),
    )  # fmt: skip
    return run(spec, backend=make_backend("local", workers=2))


MM = 72 / 25.4  # PDF points in a millimetre
BOTTOM = 14 * MM + 40 * MM  # the page's margin, and less than the smallest figure above it


def printed(html: str, tmp_path: Path, name: str = "report") -> list[list[tuple[float, str]]]:
    """Each page of ``html`` printed to an A4 PDF by Chromium: its lines of text, each with
    its height above the page's bottom edge (points)."""
    pypdf = pytest.importorskip("pypdf")
    from playwright.sync_api import sync_playwright

    src, pdf = tmp_path / f"{name}.html", tmp_path / f"{name}.pdf"
    src.write_text(html)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.goto(src.as_uri())
        tab.emulate_media(media="print")
        tab.evaluate("dispatchEvent(new Event('beforeprint'))")  # as printing from a browser does
        tab.pdf(path=str(pdf), format="A4", print_background=True)
        browser.close()
    pages = []
    for pg in pypdf.PdfReader(pdf).pages:
        lines: list[tuple[float, str]] = []

        def visit(text, cm, tm, font, size, lines=lines):
            if text.strip():
                lines.append((tm[5] * cm[3] + cm[5], unicodedata.normalize("NFKC", text)))

        pg.extract_text(visitor_text=visit)
        pages.append(lines)
    return pages


def text_of(pages) -> str:
    return " ".join(" ".join(t for _, t in page) for page in pages).replace("\n", " ")


def orphans(pages, html: str) -> list[tuple[int, str]]:
    """Headings (h2) left alone at a page's bottom, their section starting overleaf: the
    lowest text on a page, and either followed by text (which would be below it on the
    page) or followed by a figure without room for one below it."""
    heads = {h.strip(): nxt for h, nxt in re.findall(r"<h2>(.*?)</h2>\s*<(\w+)", html)}
    found = []
    for i, lines in enumerate(pages[:-1]):
        if not lines:
            continue
        y, text = min(lines, key=lambda item: item[0])
        head = " ".join(text.split())
        if head in heads and (heads[head] != "img" or y < BOTTOM):
            found.append((i + 1, head))
    return found


@pytest.mark.browser
@chromium
def test_a_four_scenario_report_prints_on_a_few_pages_without_orphaned_headings(four, tmp_path):
    html = render(four)
    pages = printed(html, tmp_path)
    assert len(pages) <= MAX_PAGES, len(pages)
    assert orphans(pages, html) == []
    text = " ".join(text_of(pages).split())
    for measure in ("SWEMWBS, referred", "net cost per QALY (GBP)", "How far to trust this"):
        assert measure in text, measure
    assert f"The table ({len(by_horizon(four))} rows) is in effects.csv" in text


@pytest.mark.browser
@chromium
def test_the_orphan_check_has_teeth(tmp_path):
    """Filler of growing length pushes a heading down the first page: with the heading as
    plain HTML (no rule keeping it with what follows), some length leaves it alone at the
    page's bottom, its table overleaf, and the check finds it; with the same filler, a
    page made by ``section`` keeps the heading with its table."""
    rows = table(pd.DataFrame({"a": range(40), "b": range(40)}))
    for n in range(20, 64, 4):
        filler = "".join(paragraph(f"Line {i} of filler for the page.") for i in range(n))
        plain = page("T", [filler, "<h2>Next</h2>" + rows])
        plain = plain.replace("page-break-after: avoid; break-after: avoid;", "")
        if orphans(printed(plain, tmp_path, "plain"), plain):
            break
    else:
        pytest.fail("no filler length left the plain heading alone at a page's bottom")
    kept = page("T", [filler, section("Next", rows)])
    assert orphans(printed(kept, tmp_path, "kept"), kept) == []


@pytest.mark.browser
@chromium
def test_a_region_report_prints_on_a_few_pages(tmp_path):
    """Ten areas: every area's effects (hundreds of rows) are in effects.csv, not printed."""
    from typer.testing import CliRunner

    from netmob.cli.main import app

    rows = ["name,people,deprivation"] + [f"Area {i},40,{i / 10:.1f}" for i in range(10)]
    region = tmp_path / "region.csv"
    region.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["region", str(region), "baseline", "genie", "--weeks", "2",
                                 "--replicates", "2", "--quiet", "--out", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    html = (out / "report.html").read_text()
    pages = printed(html, tmp_path)
    assert len(pages) <= MAX_PAGES, len(pages)
    assert orphans(pages, html) == []


def test_the_workbook_holds_numbers(four, tmp_path):
    write_xlsx(four, tmp_path / "report.xlsx")
    head = pd.read_excel(tmp_path / "report.xlsx", sheet_name="headline")
    numbers = ["mean", "ci_low", "ci_high", "draws_low", "draws_high"]
    assert list(head.columns) == ["scenario", "measure", *numbers]
    for col in numbers:
        assert pd.api.types.is_float_dtype(head[col]), col
    row = head.set_index(["scenario", "measure"]).loc[("genie", "SWEMWBS, referred")]
    e = four.effects.query("scenario == 'genie' and outcome == 'swemwbs' and group == 'referred'")
    assert tuple(row[numbers]) == pytest.approx(
        tuple(e[["mean_diff", "ci_low", "ci_high", "draws_low", "draws_high"]].iloc[0])
    )
    chance = head.set_index(["scenario", "measure"]).loc[
        ("genie", "chance cost-effective, GBP 20k/QALY"), "mean"
    ]
    assert 0.0 <= chance <= 1.0
