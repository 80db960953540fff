"""The sources' words: the categories every layer names, in one place at the bottom.

Codes in integer columns are positions in these tuples. Nothing here imports anything of
netmob's, so the schema, the state, eligibility rules and the measures can all use them.
"""

from __future__ import annotations

RESOURCE_KINDS = (
    "physical_activity",
    "social_peer",
    "creative",
    "learning",
    "volunteering",
    "faith",
    "practical_advice",
    "condition_specific",
)
OBJECTIVES = ("be_more_active", "meet_people", "learn", "help_others", "manage_condition")
TIE_KINDS = ("partner", "family", "friend", "neighbour", "group", "formal")
BARRIERS = ("stigma", "physical", "complicated_life", "information", "access")
CIRCLES = ("inner", "middle", "outer")  # GENIE circles 1, 2, 3 (stored as 1..3)
HOUSING = ("stable", "insecure", "supported")
EDUCATION = ("none", "school", "higher")
DIAGNOSES = ("none", "psychosis", "bipolar", "other")  # within SMI (SRC-CHN-SMI); "none": no SMI
ORIGINS = ("baseline", "organic", "nudge", "mobilisation")  # what formed or changed a tie
PATHWAYS = ("nudge", "mobilisation")
NETWORK_TYPES = ("diverse_active", "family_stable", "formal_sparse")  # SRC-CHN-SMI

KIND = {k: i for i, k in enumerate(TIE_KINDS)}
ORIGIN = {k: i for i, k in enumerate(ORIGINS)}
