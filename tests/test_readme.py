"""The README's examples run as written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from netmob.sim.scenario import load_scenario

README = Path(__file__).resolve().parent.parent / "README.md"


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README.read_text(), flags=re.S)


def command_blocks() -> list[list[str]]:
    """The ``.venv/bin/netmob`` lines of each bash block (run in order, in one directory)."""
    found = []
    for b in blocks("bash"):
        lines = [ln.split("#")[0].strip() for ln in b.splitlines()]
        cmds = [ln for ln in lines if ln.startswith(".venv/bin/netmob")]
        if cmds:
            found.append(cmds)
    return found


def test_readme_shows_the_two_commands():
    text = README.read_text()
    assert "make demo" in text and "make test" in text
    assert text.index("make demo") < text.index("## Running")


def test_readme_shows_mesa_users_batch_run_agentsets_and_networkx():
    """The section for Mesa users keeps runnable examples of each (run below)."""
    code = "\n".join(blocks("python"))
    for shown in ("mesa.batch_run(", ".select(", ".groupby(", ".to_networkx()", "tie_table("):
        assert shown in code, shown
    assert any("--ties" in c for block in command_blocks() for c in block)


@pytest.mark.parametrize("block", command_blocks())
def test_readme_commands_run(block, tmp_path):
    for command in block:
        args = shlex.split(command)[1:]
        r = subprocess.run(
            [sys.executable, "-m", "netmob.cli", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, (command, r.stderr)


@pytest.mark.parametrize("code", blocks("python"))
def test_readme_python_runs(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(README), "exec"), {})


@pytest.mark.parametrize("doc", [b for b in blocks("yaml") if "params:" in b])
def test_readme_scenario_validates(doc, tmp_path):
    f = tmp_path / "example.yaml"
    f.write_text(doc)
    assert load_scenario(f).params is not None
