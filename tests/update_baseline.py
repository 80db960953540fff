"""Rewrite tests/baseline.json on purpose, after a change that is meant to move results.

    make baseline     (or: python tests/update_baseline.py)

Review the diff of baseline.json before committing it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_regression import BASELINE, baseline_run  # noqa: E402


def main() -> None:
    summary = baseline_run()
    BASELINE.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    print(f"wrote {BASELINE}")


if __name__ == "__main__":
    main()
