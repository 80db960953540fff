"""The scenario library: what-if files (``*.yaml``) installed with netmob as package data.

``README.md`` beside them says which question each answers. :func:`folder` is where they
are, in a checkout or in an installed wheel alike.
"""

from __future__ import annotations

from pathlib import Path


def folder() -> Path:
    """The folder holding the shipped scenario files."""
    return Path(__file__).resolve().parent
