"""The page's words for what the command line calls options: the app shows netmob's
messages (a bad area, a comparison that stopped) and the report's notes, which name the
command's options (``--area``, ``--replicates``); on the page they name its boxes instead.

Examples:
    >>> web_words("field '--area': no such area folder (got 'x')")
    "the area folder box: no such area folder (got 'x')"
    >>> web_words("Run 30 or more replicates (--replicates) for it.")
    'Run 30 or more replicates (the replicates box) for it.'
"""

from __future__ import annotations

import re

# option -> the box on the page that sets it
BOXES = {
    "--area": "the area folder box",
    "--people": "the target people box",
    "--weeks": "the weeks box",
    "--replicates": "the replicates box",
    "--seed": "the seed box",
    "--uncertainty": "the uncertainty box",
}
# whole phrases of the report's notes that only make sense on the command line
PHRASES = {
    "; set others with --threshold": "",
    " (add --uncertainty for that)": " (tick the uncertainty box for that)",
    "add --uncertainty assumptions, or use a sweep, for that": (
        "tick the uncertainty box, or use a sweep, for that"
    ),
}
OPTION = re.compile(r"--[a-z][a-z-]*")


def web_words(text: str) -> str:
    """``text`` with the command line's options as the page's boxes."""
    for phrase, words in PHRASES.items():
        text = text.replace(phrase, words)
    for option, box in BOXES.items():
        text = text.replace(f"field '{option}'", box).replace(f"({option})", f"({box})")
        text = re.sub(rf"{option}\b", box, text)
    return text


def options_left(text: str) -> list[str]:
    """Command-line options still in ``text`` (none should reach the page)."""
    return OPTION.findall(text)
