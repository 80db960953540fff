"""The weekly processes, as plug-ins in their documented order (DESIGN.md section 3).

1. :class:`~sim.processes.health.HealthProgression`: burden, exacerbations, support need.
2. :class:`~sim.processes.support.SupportFlow`: support allocated over ties.
3. :class:`~sim.processes.attendance.ResourceAttendance` then
   :class:`~sim.processes.ties.TieDynamics`: attendance, meeting, tie formation, decay.
4. programme (``sim.programmes``): referral, worker contacts, disengagement, turnover.
5. pathways (``sim.pathways``): readiness, nudge and mobilisation, the changes they enact.
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

__all__ = [
    "CORE_AFTER_PROGRAMME",
    "CORE_BEFORE_PROGRAMME",
    "HealthProgression",
    "Outcomes",
    "Process",
    "ResourceAttendance",
    "SupportFlow",
    "TieDynamics",
]
