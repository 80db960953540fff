"""The week: every process in its documented order (docs/DESIGN.md section 3).

This is the one place the order of the week is written; the model, the processes and
the reference engine link here. One week (``NetworkModel.step``), each process a
component of :data:`WEEKLY_PROCESSES`, in this order:

1. :class:`~netmob.sim.processes.health.HealthProgression`: exacerbations; chronic burden
   drifts and acute burden recovers; support need follows burden (and the physical barrier
   follows burden).
2. :class:`~netmob.sim.processes.support.SupportFlow`: support flows over live ties, by
   need and by what each tie can carry.
3. :class:`~netmob.sim.processes.attendance.ResourceAttendance`: take-up, attendance
   (limited by places), giving up, and the lapse of activities a pathway started; then
   :class:`~netmob.sim.processes.ties.TieDynamics`: meeting at resources, triadic closure,
   strength, dormancy and loss of ties.
4. :class:`~netmob.sim.programmes.delivery.ProgrammeDelivery` (from week 1; the workforce
   is hired in week 1): referral; the workers' journey and turnover; assignment of waiting
   referrals to caseloads; giving up waiting; contacts (what a contact delivers: fidelity,
   trust, a shared goal, stepping back from a negative tie), missed contacts,
   disengagement and discharge; relief of barriers.
5. :class:`~netmob.sim.pathways.readiness.ReadinessUpdate`: elicitation at a contact, then
   the three components of readiness; then
   :class:`~netmob.sim.pathways.nudge.NudgePathway` and
   :class:`~netmob.sim.pathways.mobilisation.MobilisationPathway`: the two pathways and the
   changes they enact (:mod:`netmob.sim.pathways.changes`), each tagged with its pathway.
6. :class:`~netmob.sim.processes.outcomes.Outcomes`: objectives no activity keeps up
   lapse, then objectives achieved; loneliness,
   SWEMWBS, EQ-5D, self-management and QALYs; network members' wellbeing; service use and
   mental-health service use, and their costs.
7. Data collection (the engine, :class:`~netmob.sim.engine.Engine`, after the processes):
   at week 0 the state outcomes are measured from; from week 1 the week's aggregates (the
   model's Mesa ``DataCollector``) and any per-person panel.

Within a step every person is updated at once from the state at the start of that step;
each step sees the results of the steps before it. The reference engine
(:mod:`netmob.sim.reference`) runs steps 1-3 and 6-7 in the same order.
"""

from __future__ import annotations

from netmob.sim.pathways.mobilisation import MobilisationPathway
from netmob.sim.pathways.nudge import NudgePathway
from netmob.sim.pathways.readiness import ReadinessUpdate
from netmob.sim.processes.attendance import ResourceAttendance
from netmob.sim.processes.base import Process
from netmob.sim.processes.health import HealthProgression
from netmob.sim.processes.outcomes import Outcomes
from netmob.sim.processes.support import SupportFlow
from netmob.sim.processes.ties import TieDynamics
from netmob.sim.programmes.delivery import ProgrammeDelivery
from netmob.sim.streams import COMMUNITY, check_unique

CORE_BEFORE_PROGRAMME: tuple[type[Process], ...] = (
    HealthProgression,
    SupportFlow,
    ResourceAttendance,
    TieDynamics,
)
PROGRAMME: tuple[type[Process], ...] = (
    ProgrammeDelivery,
    ReadinessUpdate,
    NudgePathway,
    MobilisationPathway,
)
CORE_AFTER_PROGRAMME: tuple[type[Process], ...] = (Outcomes,)
WEEKLY_PROCESSES: tuple[type[Process], ...] = (
    CORE_BEFORE_PROGRAMME + PROGRAMME + CORE_AFTER_PROGRAMME
)
# The week without a programme (steps 1-3 and 6): what the reference engine runs.
CORE_PROCESSES: tuple[type[Process], ...] = CORE_BEFORE_PROGRAMME + CORE_AFTER_PROGRAMME


def check_streams(processes: tuple[type[Process], ...] = WEEKLY_PROCESSES) -> None:
    """Raise :class:`~netmob.sim.streams.StreamClash` naming the pair if two of these
    processes (or one and the community's construction) would draw from one stream."""
    check_unique([COMMUNITY, *(p.stream for p in processes)])


check_streams()  # the schedule is refused at import if two processes share a stream
