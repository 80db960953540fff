"""Paired comparisons: per-person differences between two runs of the same community.

Runs from the same seed share their community and their random streams (common random
numbers), so person ``i`` in a programme run and person ``i`` in the reference run differ
only through the programme's consequences. A per-person difference, averaged within a run
and then over replicates, gives an effect whose interval is narrow for the same number of
runs. The groups effects are reported for are :mod:`netmob.sim.groups`.
"""

from __future__ import annotations

import pandas as pd


def person_differences(
    treated: pd.DataFrame, reference: pd.DataFrame, outcomes: list[str]
) -> pd.DataFrame:
    """``treated - reference`` per person for each outcome (rows aligned by ``person_id``)."""
    t = treated.set_index("person_id")
    r = reference.set_index("person_id").reindex(t.index)
    return pd.DataFrame(
        {o: t[o].astype(float) - r[o].astype(float) for o in outcomes}, index=t.index
    )
