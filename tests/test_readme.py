"""The README's start and the guide's examples run as written (docs/GUIDE.md holds the
examples the README once did: every ``.venv/bin/netmob`` line and Python block of both)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from netmob.sim.scenario import load_scenario
from tests.conftest import netmob

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "GUIDE.md"
PAGES = (README, GUIDE)


def blocks(lang: str) -> list[str]:
    return [
        b
        for page in PAGES
        for b in re.findall(rf"```{lang}\n(.*?)```", page.read_text(), flags=re.S)
    ]


def command_blocks() -> list[list[str]]:
    """The ``.venv/bin/netmob`` lines of each bash block (run in order, in one directory)."""
    found = []
    for b in blocks("bash"):
        lines = [ln.split("#")[0].strip() for ln in b.splitlines()]
        cmds = [ln for ln in lines if ln.startswith(".venv/bin/netmob")]
        if cmds:
            found.append(cmds)
    return found


def test_readme_is_a_one_page_start():
    """What netmob answers, the two commands first, how far to trust it, where to go next;
    no longer than a page or two (it was 744 lines)."""
    text = README.read_text()
    heads = re.findall(r"(?m)^## (.*)$", text)
    assert heads == ["What it answers", "Two commands", "How far to trust it", "Where to go next"]
    assert "make demo" in text and "make test" in text
    assert text.index("make demo") < text.index("## How far to trust it")
    assert len(text.splitlines()) < 120
    for doc in re.findall(r"\]\((docs/[A-Z]+\.[a-z]+)\)", text):  # every page it links
        assert (ROOT / doc).is_file(), doc


def test_guide_shows_mesa_users_batch_run_agentsets_and_networkx():
    """The section for Mesa users keeps runnable examples of each (run below)."""
    code = "\n".join(blocks("python"))
    for shown in ("mesa.batch_run(", ".select(", ".groupby(", ".to_networkx()", "tie_table("):
        assert shown in code, shown
    assert 'if __name__ == "__main__":' in code  # Mesa's processes spawn: the guard
    assert any("--ties" in c for block in command_blocks() for c in block)


# A block that runs a comparison, a sweep, a calibration or a region, or a run of 500
# people or more, at the size the README shows is slow (make test runs it, make check not).
RUNS_AT_SIZE = ("compare", "sweep", "calibrate", "region")


def at_size(commands: list[str]) -> bool:
    """True if a block of commands runs the model at the size the README shows."""
    for command in commands:
        args = shlex.split(command)[1:]
        if args[0] in RUNS_AT_SIZE:
            return True
        if args[0] == "run" and "--people" in args and int(args[args.index("--people") + 1]) >= 500:
            return True
    return False


def slow_if(at: bool):
    return [pytest.mark.slow] if at else []


@pytest.mark.parametrize(
    "block", [pytest.param(b, marks=slow_if(at_size(b))) for b in command_blocks()]
)
def test_guide_commands_run(block, tmp_path):
    for command in block:
        r = netmob(*shlex.split(command)[1:], cwd=tmp_path)
        assert r.returncode == 0, (command, r.stderr)


@pytest.mark.parametrize(
    "code",  # code that runs a comparison or a sweep on worker processes is slow
    [pytest.param(c, marks=slow_if("make_backend(" in c)) for c in blocks("python")],
)
def test_guide_python_runs(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(GUIDE), "exec"), {"__name__": "__main__"})


@pytest.mark.parametrize("doc", [b for b in blocks("yaml") if "params:" in b])
def test_guide_scenario_validates(doc, tmp_path):
    f = tmp_path / "example.yaml"
    f.write_text(doc)
    assert load_scenario(f).params is not None
