"""What one run leaves: its record's status and its output, shared by the workers that
make them and the stores that keep them (:mod:`netmob.experiments.worker`,
:mod:`netmob.experiments.store`).

Examples:
    >>> RunOutput({"run_id": 0, "status": OK}).tables
    {}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

OK, FAILED = "ok", "failed"  # a run record's status


@dataclass
class RunOutput:
    """One run's record (a row of the results), its weekly rows if kept, and any other
    per-run tables by name (each row with the run's ``run_id``)."""

    record: dict[str, Any]
    weekly: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
