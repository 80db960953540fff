"""The weekly processes of the core model (each a plug-in: :mod:`netmob.sim.processes.base`).

The order of the week, programme and pathways included, is :mod:`netmob.sim.schedule`
(DESIGN.md section 3):

1. :class:`~netmob.sim.processes.health.HealthProgression`: burden, exacerbations, support need.
2. :class:`~netmob.sim.processes.support.SupportFlow`: support allocated over ties.
3. :class:`~netmob.sim.processes.attendance.ResourceAttendance` then
   :class:`~netmob.sim.processes.ties.TieDynamics`: attendance, meeting, tie formation, decay.
4. :class:`~netmob.sim.programmes.delivery.ProgrammeDelivery`: referral, the workers' journey
   and turnover, worker contacts, disengagement.
5. :class:`~netmob.sim.pathways.readiness.ReadinessUpdate`, then
   :class:`~netmob.sim.pathways.nudge.NudgePathway` and
   :class:`~netmob.sim.pathways.mobilisation.MobilisationPathway`: readiness, the two pathways
   and the changes they enact, each tagged with its pathway.
6. :class:`~netmob.sim.processes.outcomes.Outcomes`: wellbeing, loneliness, EQ-5D, objectives,
   service use and costs.
7. data collection (the model's ``DataCollector``).
"""
