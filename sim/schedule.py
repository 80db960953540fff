"""The week: every process in its documented order (DESIGN.md section 3).

1. health progression and exacerbations; support need follows health need;
2. support flows over ties;
3. resource attendance and meeting, then tie formation, closure, decay and dormancy;
4. the programme: referral, the workers' journey and turnover, contacts, disengagement;
5. readiness, then the nudge and mobilisation pathways and the changes they enact;
6. wellbeing, loneliness, EQ-5D, objectives, service use and costs;
7. data collection (the model's ``DataCollector``, after the processes).
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


def check_streams(processes: tuple[type[Process], ...] = WEEKLY_PROCESSES) -> None:
    """Raise :class:`~netmob.sim.streams.StreamClash` naming the pair if two of these
    processes (or one and the community's construction) would draw from one stream."""
    check_unique([COMMUNITY, *(p.stream for p in processes)])


check_streams()  # the schedule is refused at import if two processes share a stream
