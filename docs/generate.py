"""Make the printed outputs in README.md and docs/PLACE.md from the commands they show, or
check that they are still what those commands print (``make docs``; the check runs in
``tests/test_docs.py``).

In a document, a fenced ``bash`` block followed by an ``<!-- output -->`` marker and a
fenced ``text`` block is run: its commands run in order, and the text block becomes what
the block's last command printed (its standard output and error, as a terminal 80 columns
wide shows them), cut by the marker's filter. A ``bash`` block after a ``<!-- run -->``
marker runs without its output shown (a step the next blocks need). A ``text`` block after
``<!-- file: PATH -->`` shows that file of the checkout as it is. Every other block is left
alone. The commands run in a scratch folder that holds only the document's inputs
(``<!-- inputs: PATH ... -->``, copied from the checkout), so that what a new user would
type from the checkout's root gives what the document shows; nothing is written in the
checkout but the document.

Commands: ``netmob ...`` (this checkout's, in its own Python), ``python PATH ...`` (this
Python) and ``make demo`` (the Makefile's recipe, as ``netmob ...``).

Filters (several joined by ``;``): ``from TEXT`` keeps the lines from the first holding
TEXT; ``to TEXT`` the lines up to the first holding TEXT after that; ``drop TEXT`` removes
the lines holding TEXT; ``head N`` and ``tail N`` keep the first or last N.

What varies from run to run is not compared: durations (``in 12 s``) and the progress a
run shows on stderr. Everything else must be the same: the runs are seeded, and give the
same numbers on any machine and any number of workers, so a number that differs means the
model or the document changed (run ``make docs`` and read the diff).

Usage:
    python docs/generate.py [--check] [README.md docs/PLACE.md ...]
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "docs/PLACE.md")
BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)
MARK = re.compile(r"<!--\s*(output|run|inputs|file|not run)\s*(?::\s*(.*?))?\s*-->", re.S)
DURATION = re.compile(r"\b\d+(\.\d+)? s\b")
PROGRESS = re.compile(r"\d+%\|")  # a progress bar (tqdm)
WIDTH = 80


@dataclass
class Step:
    """A bash block to run, and where its output goes (None: not shown)."""

    commands: list[str]
    output: tuple[int, int] | None  # span of the text block's body in the document
    filters: str = ""
    file: str | None = None  # a text block that shows this input file as it is


def parse(text: str) -> tuple[list[str], list[Step]]:
    """The document's inputs and the blocks it runs, in order."""
    inputs: list[str] = []
    steps: list[Step] = []
    blocks = list(BLOCK.finditer(text))
    for i, block in enumerate(blocks):
        before = text[blocks[i - 1].end() if i else 0 : block.start()]
        marks = list(MARK.finditer(before))
        for m in marks:
            if m.group(1) == "inputs":
                inputs += (m.group(2) or "").split()
        if block.group(1) != "bash":
            if marks and marks[-1].group(1) == "file" and before[marks[-1].end() :].strip() == "":
                steps.append(Step([], (block.start(2), block.end(2)), file=marks[-1].group(2)))
            continue
        commands = [
            line.split(" #")[0].strip()
            for line in block.group(2).splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        after = text[block.end() : blocks[i + 1].start() if i + 1 < len(blocks) else len(text)]
        shown = MARK.search(after)
        ran = marks and marks[-1].group(1) == "run"
        if shown and shown.group(1) == "output" and after[: shown.start()].strip() == "":
            nxt = blocks[i + 1]
            body = nxt.start(2), nxt.end(2)
            steps.append(Step(commands, body, shown.group(2) or ""))
        elif ran:
            steps.append(Step(commands, None))
    return inputs, steps


def argv(command: str) -> list[str]:
    """A documented command as this checkout runs it."""
    words = shlex.split(command)
    if words[:2] == ["make", "demo"]:
        return argv(demo_command())
    if words[0] == "netmob":
        return [sys.executable, "-m", "netmob.cli", *words[1:]]
    if words[0] == "python":
        return [sys.executable, *words[1:]]
    raise ValueError(f"a documented command netmob cannot run here: {command}")


def demo_command() -> str:
    """``make demo``'s recipe, as a ``netmob`` command line."""
    text = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^demo:.*?\n((?:\t.*\n?)+)", text, re.M)
    if recipe is None:
        raise ValueError("the Makefile has no demo recipe")
    line = " ".join(part.strip().rstrip("\\") for part in recipe.group(1).splitlines())
    return re.sub(r"\$\(VENV\)/bin/netmob", "netmob", " ".join(line.split()))


def run(command: str, cwd: Path) -> str:
    """What ``command`` prints in ``cwd`` (stdout and stderr in the order printed), as an
    80-column terminal shows it once it has finished (a progress bar's last state left out);
    an error if it fails."""
    env = {
        **os.environ,
        "COLUMNS": str(WIDTH),
        "TERM": "dumb",
        "NO_COLOR": "1",
        "PYTHONUNBUFFERED": "1",
    }
    r = subprocess.run(
        argv(command), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    if r.returncode != 0:
        raise RuntimeError(f"{command} exited with {r.returncode}:\n{r.stdout}")
    lines = [line.split("\r")[-1] for line in r.stdout.splitlines()]
    return "\n".join(ln for ln in lines if not PROGRESS.search(ln)).rstrip("\n")


def cut(text: str, filters: str) -> str:
    """``text`` through the marker's filters."""
    lines = text.splitlines()
    for f in (f.strip() for f in filters.split(";") if f.strip()):
        word, _, arg = f.partition(" ")
        arg = arg.strip().strip('"')
        if word == "from":
            lines = lines[next(i for i, ln in enumerate(lines) if arg in ln) :]
        elif word == "to":
            lines = lines[: next(i for i, ln in enumerate(lines) if arg in ln) + 1]
        elif word == "drop":
            lines = [ln for ln in lines if arg not in ln]
        elif word == "head":
            lines = lines[: int(arg)]
        elif word == "tail":
            lines = lines[-int(arg) :]
        else:
            raise ValueError(f"unknown filter {f!r}")
    return "\n".join(lines)


def outputs(doc: Path, scratch: Path) -> tuple[str, list[tuple[tuple[int, int], str]]]:
    """The document's text, and each output block's span with what its command prints now."""
    text = doc.read_text()
    inputs, steps = parse(text)
    for path in inputs:
        src, dst = ROOT / path, scratch / path
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dst)
    made = []
    for step in steps:
        if step.file is not None:
            made.append((step.output, (ROOT / step.file).read_text()))
            continue
        printed = ""
        for command in step.commands:
            printed = run(command, scratch)
        if step.output is not None:
            made.append((step.output, cut(printed, step.filters) + "\n"))
    return text, made


def generate(doc: Path) -> bool:
    """Write the outputs into ``doc``; True if it changed."""
    with tempfile.TemporaryDirectory(prefix="netmob-docs-") as scratch:
        text, made = outputs(doc, Path(scratch))
    new = text
    for (start, end), body in sorted(made, reverse=True):
        new = new[:start] + body + new[end:]
    if new != text:
        doc.write_text(new)
    return new != text


def comparable(text: str) -> str:
    """Output with what varies from run to run masked: durations, and so where a line
    wraps (a longer duration moves the words after it)."""
    return " ".join(DURATION.sub("N s", text).split())


def check(doc: Path) -> list[str]:
    """The output blocks of ``doc`` that differ from what their commands print now, as
    unified diffs (empty: the document is true to the code)."""
    import difflib

    with tempfile.TemporaryDirectory(prefix="netmob-docs-") as scratch:
        text, made = outputs(doc, Path(scratch))
    problems = []
    for (start, end), body in made:
        shown, now = text[start:end], body
        if comparable(shown) != comparable(now):
            diff = difflib.unified_diff(
                shown.splitlines(), now.splitlines(), "in the document", "printed now", lineterm=""
            )
            problems.append(f"{_name(doc)}:\n" + "\n".join(diff))
    return problems


def _name(doc: Path) -> str:
    return str(doc.relative_to(ROOT)) if doc.is_relative_to(ROOT) else str(doc)


def main(args: list[str]) -> int:
    checking = "--check" in args
    docs = [ROOT / a for a in args if a != "--check"] or [ROOT / d for d in DOCS]
    if checking:
        problems = [p for doc in docs for p in check(doc)]
        print("\n\n".join(problems) or "The documents' outputs are what their commands print.")
        return 1 if problems else 0
    for doc in docs:
        changed = generate(doc)
        print(f"{_name(doc)}: {'regenerated' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
