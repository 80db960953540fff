"""Self-contained HTML pages for reports: a title, sections of text, tables and figures.

Examples:
    >>> "<h1>T</h1>" in page("T", [section("S", paragraph("text"))])
    True
"""

from __future__ import annotations

import html

import pandas as pd

CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222;
       line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.8em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; } .note { color: #555; font-size: 0.9em; } .scroll { overflow-x: auto; }
li.warn { color: #8a4500; }
.print-only { display: none; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; line-height: 1.3; }
  h1 { font-size: 15pt; margin: 0 0 0.4em; }
  h2 { font-size: 12pt; margin-top: 1em; }
  table { font-size: 8pt; margin: 0.4em 0; }
  img { max-width: 170mm; max-height: 95mm; height: auto; }
  table, tr, img, li { page-break-inside: avoid; break-inside: avoid; }
  .keep { page-break-inside: avoid; break-inside: avoid; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .scroll { overflow: visible; }
  .no-print { display: none; }
  .print-only { display: block; }
}
"""


def page(title: str, sections: list[str]) -> str:
    """A whole HTML page."""
    body = "\n".join(sections)
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head>\n"
        f"<body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    )


def section(title: str, *parts: str) -> str:
    """A titled section of parts (already HTML). In print the heading keeps to its first
    part, so that it never ends a page alone."""
    shown = [p for p in parts if p]
    head = f"<h2>{html.escape(title)}</h2>"
    first = f'<div class="keep">{head}\n{shown[0]}</div>' if shown else head
    return "<section>" + "\n".join([first, *shown[1:]]) + "</section>"


def paragraph(text: str, note: bool = False) -> str:
    """A paragraph of plain text (escaped)."""
    cls = ' class="note"' if note else ""
    return f"<p{cls}>{html.escape(text)}</p>"


def table(df: pd.DataFrame, digits: int = 3, max_rows: int = 200) -> str:
    """A table, numbers rounded to ``digits`` significant places, at most ``max_rows`` rows."""
    shown = df.head(max_rows)
    out = shown.to_html(index=False, float_format=lambda v: f"{v:.{digits}g}", na_rep="", border=0)
    out = f'<div class="scroll">{out}</div>'
    if len(df) > max_rows:
        out += paragraph(f"({len(df) - max_rows} more rows in the CSV)", note=True)
    return out


def folded(
    df: pd.DataFrame, name: str, max_rows: int = 200, where: str = "", files: str = ""
) -> str:
    """A table folded under a summary line on screen (it is also in ``name``.csv, or in
    ``files`` if given); in print, left out with a line saying where it is, so that a long
    table never fills pages (``where``: other files that hold it, e.g. "report.xlsx")."""
    also = (files or f"{name}.csv") + (f" and {where}" if where else "")
    return (
        f'<details class="no-print"><summary>The table ({len(df)} rows; also in '
        f"{html.escape(also)})</summary>{table(df, max_rows=max_rows)}</details>"
        f'<p class="note print-only">The table ({len(df)} rows) is in {html.escape(also)}.</p>'
    )


def kept(*parts: str) -> str:
    """Parts that print together on one page where they fit (a sentence and its table)."""
    return '<div class="keep">' + "\n".join(parts) + "</div>"
