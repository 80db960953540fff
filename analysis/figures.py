"""Figures for reports: matplotlib figures made without pyplot (no global state, no
display), saved as PNG or embedded in HTML as base64.

Examples:
    >>> fig, ax = figure()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> img_tag(fig, "a line").startswith('<img alt="a line" src="data:image/png;base64,')
    True
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from netmob.sim.io import atomic_write

PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3")


def figure(
    ncols: int = 1, nrows: int = 1, *, width: float = 6.0, height: float = 4.0, **kw
) -> tuple[Figure, object]:
    """A figure of ``nrows`` by ``ncols`` axes (each ``width`` by ``height`` inches)."""
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=True, **kw)
    return fig, axes


def png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def save_png(fig: Figure, path: str | Path, dpi: int = 110) -> Path:
    """Write the figure as a PNG, atomically."""
    data = png_bytes(fig, dpi)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def img_tag(fig: Figure, alt: str, dpi: int = 110) -> str:
    """An ``<img>`` holding the figure as base64 PNG (a self-contained HTML page)."""
    return png_tag(png_bytes(fig, dpi), alt)


def png_tag(png: bytes, alt: str) -> str:
    """An ``<img>`` holding PNG bytes (a figure already saved) as base64."""
    data = base64.b64encode(png).decode()
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def style(ax: Axes, title: str = "", xlabel: str = "", ylabel: str = "") -> Axes:
    """Titles, labels and a light grid."""
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    return ax
