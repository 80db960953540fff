"""Rewrite tests/baseline.json and tests/baseline_genie.json on purpose, after a change
that is meant to move results.

    make baseline     (or: python tests/update_baseline.py)

Review the diff of both files before committing them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_regression import (  # noqa: E402
    BASELINE,
    BASELINE_GENIE,
    baseline_run,
    genie_run,
)


def main() -> None:
    """Write both baselines: the core model, and the same run with GENIE."""
    for path, run in ((BASELINE, baseline_run), (BASELINE_GENIE, genie_run)):
        path.write_text(json.dumps(run(), indent=2, sort_keys=True) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
