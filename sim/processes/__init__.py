"""The weekly processes, as plug-ins in their documented order (DESIGN.md section 3).

1. :class:`~sim.processes.health.HealthProgression`: burden, exacerbations, support need.
2. :class:`~sim.processes.support.SupportFlow`: support allocated over ties.
3. :class:`~sim.processes.attendance.ResourceAttendance` then
   :class:`~sim.processes.ties.TieDynamics`: attendance, meeting, tie formation, decay.
4. :class:`~sim.programmes.delivery.ProgrammeDelivery`: referral, the workers' journey
   and turnover, worker contacts, disengagement.
5. :class:`~sim.pathways.readiness.ReadinessUpdate`, then
   :class:`~sim.pathways.nudge.NudgePathway` and
   :class:`~sim.pathways.mobilisation.MobilisationPathway`: readiness, the two pathways
   and the changes they enact, each tagged with its pathway.
6. :class:`~sim.processes.outcomes.Outcomes`: wellbeing, loneliness, EQ-5D, objectives,
   service use and costs.
7. data collection (the model's ``DataCollector``).
"""

from sim.processes.attendance import ResourceAttendance
from sim.processes.base import Process
from sim.processes.health import HealthProgression
from sim.processes.outcomes import Outcomes
from sim.processes.support import SupportFlow
from sim.processes.ties import TieDynamics

CORE_BEFORE_PROGRAMME = (HealthProgression, SupportFlow, ResourceAttendance, TieDynamics)
CORE_AFTER_PROGRAMME = (Outcomes,)


def _weekly_processes() -> tuple[type[Process], ...]:
    from sim.pathways.mobilisation import MobilisationPathway
    from sim.pathways.nudge import NudgePathway
    from sim.pathways.readiness import ReadinessUpdate
    from sim.programmes.delivery import ProgrammeDelivery

    programme = (ProgrammeDelivery, ReadinessUpdate, NudgePathway, MobilisationPathway)
    return CORE_BEFORE_PROGRAMME + programme + CORE_AFTER_PROGRAMME


WEEKLY_PROCESSES = _weekly_processes()

__all__ = [
    "WEEKLY_PROCESSES",
    "CORE_AFTER_PROGRAMME",
    "CORE_BEFORE_PROGRAMME",
    "HealthProgression",
    "Outcomes",
    "Process",
    "ResourceAttendance",
    "SupportFlow",
    "TieDynamics",
]
