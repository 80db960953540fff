"""The three programmes of the sources, as parameter presets.

A preset fills every ``programme.*`` field it names; fields given alongside it win
(``{"programme": {"preset": "genie", "workers": 6}}`` is GENIE with six workers). Each
value cites its ``calibration.md`` row or says it is an assumption. The number of workers
is for a population of about 2,000 target people (assumption): scale it with yours. With
the defaults, GENIE's two facilitators have a waiting list, so more workers reach more
people.
"""

from __future__ import annotations

from typing import Any

PRESETS: dict[str, dict[str, Any]] = {
    # no programme: nobody is referred
    "none": {},
    # GENIE: concentric-circles mapping, preference elicitation, a map of matched local
    # resources, then facilitated engagement, a few sessions (DESIGN.md; seed 000).
    "genie": {
        "eligible": "all",
        "refer_rate": 0.25,  # assumption: a quarter of eligible people referred a year
        "workers": 2,  # assumption: two facilitators for 2,000 people, with a waiting list
        "caseload": 20,  # P1 (200-250 a year): about 170 a year at ~6 weeks each (assumption)
        "contacts": 4,  # GENIE: a few sessions (assumption; P1 gives 6-12 for link workers)
        "interval": 2,  # weeks between sessions (assumption)
        "engage": 0.95,  # tuned: 35-55% of referred people have 3+ contacts (P3: 45%)
        "dropout": 0.30,  # tuned: 20-30% disengage (P4: 25.6% withdrew)
        "mapping": 1.0,
        "matching": 1.0,
        "facilitation": 0.6,
        "coproduction": 0.2,
        "fidelity": 0.8,  # assumption
        "transport_support": 0.5,  # P7: a GBP 5 bus fare stopped one joining a group
        "need_matching": 0.5,  # assumption: GENIE elicits preferences more than needs
        "worker_cost": 36428.0,  # P2
        "cost_per_referral": 20.0,  # assumption: mapping materials, resource map
    },
    # PLANS: preference-, need- and acceptability-tailored options delivered lightly: a
    # booklet or website and two telephone calls by lay health workers (P6).
    "plans": {
        "eligible": "all",
        "refer_rate": 0.25,
        "workers": 2,  # lay health workers (assumption)
        "caseload": 80,  # light touch (assumption)
        "contacts": 2,  # P6: two telephone calls
        "interval": 4,  # P6: weeks 1 and 5
        "engage": 0.85,  # assumption: telephone calls are easy to take
        "dropout": 0.3,
        "mapping": 0.0,
        "matching": 1.0,  # P6: tailored to preference, need and acceptability
        "facilitation": 0.1,
        "coproduction": 0.0,
        "fidelity": 0.8,
        "transport_support": 0.0,
        "need_matching": 1.0,  # P6: options tailored to need (objectives set at the first call)
        "worker_cost": 24000.0,  # assumption: lay health worker
        "cost_per_referral": 15.0,  # assumption: guidebook and PLANS booklet/website
    },
    # Connecting People: a co-produced worker-individual partnership over months, where the
    # worker's own network and the agency context matter and fidelity varies (seeds 002, 004).
    "connecting_people": {
        "eligible": "all",
        "refer_rate": 0.15,
        "workers": 3,
        "caseload": 20,  # assumption: months-long partnerships
        "contacts": 12,  # assumption: fortnightly over about six months
        "interval": 2,
        "engage": 0.80,
        "dropout": 0.25,  # P5: 75.5% followed up at 9 months
        "mapping": 0.5,
        "matching": 0.6,
        "facilitation": 0.8,
        "coproduction": 1.0,
        "fidelity": 0.26,  # P5: 30 of 117 received it with high fidelity
        "transport_support": 0.3,
        "need_matching": 0.5,  # assumption: co-produced goals follow the person's needs
        "worker_cost": 36428.0,  # P2
        "cost_per_referral": 10.0,
    },
}
