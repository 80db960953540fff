"""The three programmes of the sources, as parameter presets.

A preset fills every ``programme.*`` field it names; fields given alongside it win
(``{"programme": {"preset": "genie", "workers": 6}}`` is GENIE with six workers). Each
value cites its row in ``docs/EVIDENCE.md`` or says it is an assumption. The workforce is sized
from the referrals a programme will get (``clients_per_year`` a full-time worker takes on,
P1), so it scales with the population; a fixed headcount (``programme.workers``) asks "what
if we fund N workers?". A worker's caseload (clients held at once) is set so that they can
see ``clients_per_year`` people at the planned dose: caseload ~ clients_per_year x weeks
per client / 52.
"""

from __future__ import annotations

from typing import Any

PRESETS: dict[str, dict[str, Any]] = {
    # no programme: nobody is referred
    "none": {},
    # GENIE: concentric-circles mapping, preference elicitation, a map of matched local
    # resources, then facilitated engagement, a few sessions (docs/DESIGN.md; SRC-GENIE-PROCESS).
    "genie": {
        "eligible": "all",
        "refer_rate": 0.25,  # assumption: a quarter of eligible people referred a year
        "clients_per_year": 225.0,  # P1: 200-250 a year
        "caseload": 35,  # 225 a year at ~8 weeks each (4 contacts, fortnightly) (assumption)
        "contacts": 4,  # GENIE: a few sessions (assumption; P1 gives 6-12 for link workers)
        "interval": 2,  # weeks between sessions (assumption)
        "engage": 0.95,  # tuned: 35-55% of referred people have 3+ contacts (P3: 45%)
        "dropout": 0.30,  # tuned: 20-30% disengage (P4: 25.6% withdrew)
        "mapping": 1.0,
        "matching": 1.0,
        "facilitation": 0.6,
        "preference_elicitation": 1.0,  # GENIE elicits preferences at its sessions
        "coproduction": 0.2,
        "fidelity": 0.8,  # fixed mode only (assumption); emergent: about 49% high
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
        "clients_per_year": 450.0,  # assumption: light touch, twice P1's 225
        "caseload": 45,  # 450 a year at ~5 weeks each (calls in weeks 1 and 5) (assumption)
        "contacts": 2,  # P6: two telephone calls
        "interval": 4,  # P6: weeks 1 and 5
        "engage": 0.85,  # assumption: telephone calls are easy to take
        "dropout": 0.3,
        "mapping": 0.0,
        "matching": 1.0,  # P6: tailored to preference, need and acceptability
        "facilitation": 0.1,
        "preference_elicitation": 1.0,  # SRC-PLANS-DEV: tailored to preference
        "booklet": 0.5,  # P6: guidebook and booklet or website (share of information: assumption)
        "booklet_act": 0.03,  # assumption: about 1 in 3 act on it alone within 12 weeks
        "coproduction": 0.0,
        "fidelity": 0.8,  # fixed mode only; emergent: about 53% high
        "transport_support": 0.0,
        "need_matching": 1.0,  # P6: options tailored to need (objectives set at the first call)
        "worker_cost": 24000.0,  # assumption: lay health worker
        "cost_per_referral": 15.0,  # assumption: guidebook and PLANS booklet/website
    },
    # Connecting People: a co-produced worker-individual partnership over months, where the
    # worker's own network and the agency context matter and fidelity varies (SRC-CP-PRACTICE, SRC-CP-MODEL).
    "connecting_people": {
        "eligible": "all",
        "refer_rate": 0.15,
        "clients_per_year": 45.0,  # assumption: months-long partnerships, a fifth of P1
        "caseload": 20,  # 45 a year at ~24 weeks each (12 contacts, fortnightly) (assumption)
        "contacts": 12,  # assumption: fortnightly over about six months
        "interval": 2,
        "engage": 0.80,
        "dropout": 0.25,  # P5: 75.5% followed up at 9 months
        "mapping": 0.5,
        "matching": 0.6,
        "facilitation": 0.8,
        "preference_elicitation": 0.6,  # assumption: goals more than a preference session
        "coproduction": 1.0,
        # fidelity_mode "fixed" only: P5, 30 of 117 received it with high fidelity. In the
        # default emergent mode about 26% are high fidelity from the quality_* defaults
        # (2,000 people, 104 weeks, seeds 0-5: 26%, range 15-40%; three workers)
        "fidelity": 0.26,
        "transport_support": 0.3,
        "need_matching": 0.5,  # assumption: co-produced goals follow the person's needs
        "worker_cost": 36428.0,  # P2
        "cost_per_referral": 10.0,
    },
}
