"""The value-for-money conventions (NICE's reference case), defined once and cheap to import.

:mod:`netmob.experiments.economics` uses them and re-exports them; the CLI reads them for
its defaults without importing pandas or scipy.
"""

from __future__ import annotations

# Willingness to pay per QALY (GBP). Assumption: NICE's usual range of £20,000 to £30,000
# per QALY gained (NICE health technology evaluations manual, 2022): a convention, not a
# published figure (docs/EVIDENCE.md lists it among the conventions). Commissioners set
# their own with ``netmob compare --threshold``.
THRESHOLDS = (20_000, 30_000)
# Discount rate a year for costs and QALYs in value for money. Assumption: NICE's reference
# case, 3.5% a year (NICE health technology evaluations manual, 2022), the first year
# undiscounted: a convention, not a published figure. ``netmob compare --discount`` sets
# another.
DISCOUNT = 0.035
