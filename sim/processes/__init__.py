"""The weekly processes of the core model, each a component
(:class:`~netmob.sim.processes.base.Process`); the order of the week, programme and
pathways included, is written once, in :mod:`netmob.sim.schedule`."""
