"""The two pathways of network mobilisation (SRC-GENIE-PROCESS; docs/DESIGN.md section 4).

- :mod:`netmob.sim.pathways.readiness`: individual, network and environmental readiness;
- :mod:`netmob.sim.pathways.nudge`: change enacted quickly when the three readiness components fit;
- :mod:`netmob.sim.pathways.mobilisation`: the gradual, staged process;
- :mod:`netmob.sim.pathways.changes`: the changes either pathway enacts, each tagged with it.
"""
