"""The outputs README.md and docs/PLACE.md print are what their commands print now.

docs/generate.py (``make docs``) runs every documented command whose output a page shows
and writes the output in; here it runs them again and compares (durations aside). Before,
the outputs were copied by hand and drifted: docs/PLACE.md's own command printed GENIE's
SWEMWBS effect as +0.31 against the page's +0.21, a net cost per QALY of 50,535 against
21,858 and a 0% chance of being cost-effective against 50%, so its plain-words conclusion
no longer followed, and it said the model misses 12 of 30 figures where the README said 6.
The full check fails on that page (its numbers differ from what the commands print); the
small documents below show the check has teeth in seconds.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def generator():
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (its dataclasses look their module up there)
    spec.loader.exec_module(module)
    return module


SMALL = """# A page

```bash
netmob scenarios show plans
```

<!-- output: from "PLANS" -->
```text
```

<!-- file: docs/place/region.csv -->
```text
```
"""


def test_the_pages_show_their_outputs():
    """Each page has its output blocks filled, after the commands they show."""
    gen = generator()
    for page, least in (("README.md", 1), ("docs/PLACE.md", 7)):
        text = (ROOT / page).read_text()
        _, steps = gen.parse(text)
        shown = [s for s in steps if s.output is not None]
        assert len(shown) >= least, page
        for s in shown:
            assert text[s.output[0] : s.output[1]].strip(), (page, s.commands, s.file)
    readme = (ROOT / "README.md").read_text()
    assert "How far to trust this:" in readme  # the demo's own lines, generated


def test_a_shown_input_file_is_the_file():
    gen = generator()
    text = (ROOT / "docs" / "PLACE.md").read_text()
    _, steps = gen.parse(text)
    files = [s for s in steps if s.file]
    assert [s.file for s in files] == ["docs/place/region.csv"]
    span = files[0].output
    assert text[span[0] : span[1]] == (ROOT / "docs/place/region.csv").read_text()


def test_the_check_finds_a_changed_number_and_ignores_durations(tmp_path):
    """Generate a small page, then change a number in its output: the check fails with a
    diff naming it (the negative control); a changed duration is not a difference."""
    gen = generator()
    page = tmp_path / "page.markdown"
    page.write_text(SMALL)
    assert gen.generate(page)
    made = page.read_text()
    assert "PLANS" in made and "Abbey Fields" in made
    assert gen.check(page) == []
    number = re.search(r"\b0\.\d+\b", made.split("<!-- file")[0]).group(0)
    page.write_text(made.replace(number, "0.999", 1))
    problems = gen.check(page)
    assert problems and "0.999" in problems[0]
    assert gen.comparable("12 runs in 11 s") == gen.comparable("12 runs in 873 s")


def test_filters_cut_as_documented():
    gen = generator()
    text = "a\nb 1\nc\nd 2\ne"
    assert gen.cut(text, 'from "b"') == "b 1\nc\nd 2\ne"
    assert gen.cut(text, 'from "b"; to "d"') == "b 1\nc\nd 2"
    assert gen.cut(text, "drop 2; tail 2") == "c\ne"
    with pytest.raises(ValueError):
        gen.cut(text, "sideways 3")


@pytest.mark.docs
@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("page", ["README.md", "docs/PLACE.md"])
def test_the_pages_are_what_their_commands_print(page):
    """The whole check: every shown output, run again at the documented sizes (minutes)."""
    problems = generator().check(ROOT / page)
    assert not problems, "run `make docs` and read the diff:\n" + "\n\n".join(problems)
