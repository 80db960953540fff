"""Paired comparisons: per-person differences between two runs of the same community.

Runs from the same seed share their community and their random streams (common random
numbers), so person ``i`` in a programme run and person ``i`` in the reference run differ
only through the programme's consequences. A per-person difference, averaged within a run
and then over replicates, gives an effect whose interval is narrow for the same number of
runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GROUPS = ("population", "referred", "engaged")


def group_masks(people: pd.DataFrame) -> dict[str, np.ndarray]:
    """The groups effects are reported for: everyone, people referred, people engaged
    (referred with 3 or more contacts, as in E5)."""
    n = len(people)
    referred = people["referred"].to_numpy() if "referred" in people else np.zeros(n, bool)
    contacts = people["contacts"].to_numpy() if "contacts" in people else np.zeros(n)
    return {
        "population": np.ones(n, bool),
        "referred": referred,
        "engaged": referred & (contacts >= 3),
    }


def person_differences(
    treated: pd.DataFrame, reference: pd.DataFrame, outcomes: list[str]
) -> pd.DataFrame:
    """``treated - reference`` per person for each outcome (rows aligned by ``person_id``)."""
    t = treated.set_index("person_id")
    r = reference.set_index("person_id").reindex(t.index)
    return pd.DataFrame(
        {o: t[o].astype(float) - r[o].astype(float) for o in outcomes}, index=t.index
    )
