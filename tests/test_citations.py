"""Every citation points inside the repository, and every row id cited is defined.

A user of netmob has the repository and nothing else. So no tracked file may cite:

- a file outside it: a path into a shared folder beside the checkout, a source-document
  folder, or a Markdown file that is not tracked (the design document is
  ``docs/DESIGN.md``: a bare mention outside ``docs/`` points elsewhere);
- a numbered source document or a numbered issue of a tracker the user does not have
  (a source document is cited by its ``SRC-...`` id, an issue by what it was about);
- a row id (N1-N8, T1-T4, P1-P7, E1-E6, S1-S3, TR1-TR5) or source id that
  ``docs/EVIDENCE.md`` does not define.

The schema's sources (``netmob params``) are checked field by field as well: each cites a
defined id, ``docs/DESIGN.md`` or the word "assumption". The checker is run on a small tree
of its own first (a negative control), to show that it finds each kind of offence.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE = ROOT / "docs" / "EVIDENCE.md"

# This file names the offences it looks for, in its patterns and its negative controls.
CHECKER = "tests/test_citations.py"

# Tokens that look like row ids but are not citations: (file, token).
NOT_CITATIONS = frozenset(
    {
        ("tests/test_abc_calibration.py", "E9"),  # an unknown target id, refused on purpose
    }
)

ROW_ID = re.compile(r"(?<!\w)(TR[1-9][0-9]?|[NTPES][1-9][0-9]?)(?!\w)")
SOURCE_ID = re.compile(r"(?<![\w-])SRC(?:-[A-Z]+)+(?![\w-])")
DEFINED = re.compile(r"^\|\s*(TR[0-9]+|[NTPES][0-9]+|SRC(?:-[A-Z]+)+)\s*\|", re.M)
OUTSIDE = [
    ("outside path", re.compile(r"(?:\.\./)+shared\b|/work/shared\b|\bseeds/")),
    ("numbered source document", re.compile(r"\bseeds?\s+0[0-9]{2}\b", re.I)),
    ("issue number", re.compile(r"\bissues?\s+#?[0-9]+", re.I)),
]
MARKDOWN = re.compile(r"[\w./-]*\.md\b")
BINARY = {".png", ".jpg", ".jpeg", ".gif", ".parquet", ".db", ".pdf", ".ico", ".woff", ".woff2"}


@dataclass(frozen=True)
class Offence:
    """One citation that points outside the repository or to an undefined id."""

    path: str
    line: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.text}"


def defined_ids(evidence: Path = EVIDENCE) -> set[str]:
    """The ids ``docs/EVIDENCE.md`` defines: the first cell of each of its table rows."""
    return set(DEFINED.findall(evidence.read_text(encoding="utf-8")))


def tracked(root: Path) -> list[str]:
    """The files git tracks under ``root``, or every file when ``root`` is not a checkout
    (hidden folders left out)."""
    if (root / ".git").exists():
        out = subprocess.run(
            ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
        ).stdout
        return sorted(p for p in out.splitlines() if (root / p).is_file())
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def _markdown_inside(mention: str, path: str, files: list[str]) -> bool:
    """Whether a mention of a Markdown file names one in the repository."""
    name = re.sub(r"^(?:\.{1,2}/)+", "", mention)
    if name == "DESIGN.md":  # the design is docs/DESIGN.md: bare, only from docs/ itself
        return Path(path).parent.as_posix() == "docs"
    return any(f == name or f.endswith("/" + name) or name.endswith("/" + f) for f in files)


def offences(
    root: Path, paths: list[str], ids: set[str], files: list[str] | None = None
) -> list[Offence]:
    """Every citation in ``paths`` (relative to ``root``) that points outside the
    repository (whose files are ``files``, by default those under ``root``), or to an id
    that ``ids`` does not hold."""
    files = tracked(root) if files is None else files
    found = []
    for path in paths:
        if Path(path).suffix.lower() in BINARY:
            continue
        try:
            text = (root / path).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for kind, pattern in OUTSIDE:
                found += [Offence(path, number, kind, m.group()) for m in pattern.finditer(line)]
            for m in MARKDOWN.finditer(line):
                if not _markdown_inside(m.group(), path, files):
                    found.append(Offence(path, number, "file outside the repository", m.group()))
            for m in [*ROW_ID.finditer(line), *SOURCE_ID.finditer(line)]:
                if m.group() not in ids and (path, m.group()) not in NOT_CITATIONS:
                    found.append(Offence(path, number, "id not in docs/EVIDENCE.md", m.group()))
    return found


def test_evidence_defines_every_row_and_source_document():
    ids = defined_ids()
    expected = (
        {f"N{i}" for i in range(1, 9)}
        | {f"T{i}" for i in range(1, 5)}
        | {f"P{i}" for i in range(1, 8)}
        | {f"E{i}" for i in range(1, 7)}
        | {f"S{i}" for i in range(1, 4)}
        | {f"TR{i}" for i in range(1, 6)}
    )
    assert expected <= ids, sorted(expected - ids)
    sources = {i for i in ids if i.startswith("SRC-")}
    assert len(sources) == 5, sorted(sources)  # the five source documents
    assert ids - expected - sources == set(), "a row EVIDENCE.md defines that no one expects"


def test_no_citation_points_outside_the_repository():
    paths = [p for p in tracked(ROOT) if p != CHECKER]
    assert "sim/params.py" in paths and "docs/ODD.md" in paths  # the repository is seen
    found = offences(ROOT, paths, defined_ids())
    assert not found, "\n".join(map(str, found))


def source_problem(source: str, ids: set[str], files: list[str]) -> str | None:
    """What is wrong with a parameter's source, or None: it must cite a defined id,
    ``docs/DESIGN.md`` or say "assumption", and cite nothing outside the repository."""
    cited = ROW_ID.findall(source) + SOURCE_ID.findall(source)
    if not set(cited) <= ids:
        return f"ids not in docs/EVIDENCE.md: {sorted(set(cited) - ids)}"
    if not (cited or "assumption" in source or "docs/DESIGN.md" in source):
        return "cites no id and says no assumption"
    for kind, pattern in OUTSIDE:
        if pattern.search(source):
            return kind
    if not all(_markdown_inside(m, "sim/params.py", files) for m in MARKDOWN.findall(source)):
        return "file outside the repository"
    return None


def test_every_schema_source_cites_evidence_or_says_assumption():
    from netmob.sim.params import all_fields

    ids, files = defined_ids(), tracked(ROOT)
    fields = all_fields()
    assert len(fields) > 100  # the whole schema is seen
    problems = [(f["name"], f["source"], source_problem(f["source"], ids, files)) for f in fields]
    assert [p for p in problems if p[2]] == []


def test_the_source_check_refuses_bad_sources():
    """Negative control: each kind of bad source is refused, the good ones pass."""
    ids, files = defined_ids(), tracked(ROOT)
    bad = [
        "seed 000; assumption",
        "N9",
        "calibration.md N2",
        "DESIGN.md",
        "a round figure",
        "",
    ]
    assert [s for s in bad if source_problem(s, ids, files) is None] == []
    good = ["N2", "T1, T2; assumption", "SRC-CP-MODEL", "docs/DESIGN.md", "assumption"]
    assert [s for s in good if source_problem(s, ids, files)] == []


def test_netmob_params_prints_only_defined_ids(tmp_path):
    """What ``netmob params`` prints, on a terminal wide enough not to wrap a source."""
    out = subprocess.run(
        [sys.executable, "-m", "netmob.cli", "params"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )
    assert out.returncode == 0, out.stderr
    (tmp_path / "params.txt").write_text(out.stdout)
    ids = defined_ids()
    printed = set(ROW_ID.findall(out.stdout)) | set(SOURCE_ID.findall(out.stdout))
    assert {"N2", "T1", "SRC-GENIE-PROCESS"} <= printed  # sources are printed at all
    assert offences(tmp_path, ["params.txt"], ids, files=tracked(ROOT)) == []


@pytest.fixture
def bad_tree(tmp_path) -> Path:
    """A small repository of its own: one clean file and one file per kind of offence."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "EVIDENCE.md").write_text("| N1 | a figure |\n| SRC-A-B | a source |\n")
    (tmp_path / "docs" / "DESIGN.md").write_text("The design.\n")
    (tmp_path / "docs" / "ODD.md").write_text("See [DESIGN.md](DESIGN.md) and N1.\n")
    files = {
        "clean.py": "# N1 (docs/EVIDENCE.md); SRC-A-B; docs/DESIGN.md; seed 1; 3 issues\n",
        "shared.py": "# see ../../shared/notes\n",
        "calibration.py": "# N1 (calibration.md)\n",
        "design.py": "# the week (DESIGN.md section 3)\n",
        "seeds.yaml": "# the mechanisms (seed 000)\n",
        "folder.md": "the documents in seeds/ beside it\n",
        "tracker.md": "Since issue 12, the posterior.\n",
        "row.csv": "id,value\nN9,1.0\n",
        "source.py": "x = 1  # SRC-NOPE\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_the_checker_finds_each_kind_of_offence(bad_tree):
    ids = defined_ids(bad_tree / "docs" / "EVIDENCE.md")
    assert ids == {"N1", "SRC-A-B"}
    found = offences(bad_tree, tracked(bad_tree), ids)
    kinds = {o.path: o.kind for o in found}
    assert kinds == {
        "shared.py": "outside path",
        "calibration.py": "file outside the repository",
        "design.py": "file outside the repository",
        "seeds.yaml": "numbered source document",
        "folder.md": "outside path",
        "tracker.md": "issue number",
        "row.csv": "id not in docs/EVIDENCE.md",
        "source.py": "id not in docs/EVIDENCE.md",
    }, "\n".join(map(str, found))
    assert len(found) == len(kinds)  # one offence each; clean.py and docs/ have none
