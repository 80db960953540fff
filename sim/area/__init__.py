"""An area folder: a commissioner's own place (``area.yaml`` and ``resources.csv``).

See :mod:`netmob.sim.area.folder` (reading, using, the template),
:mod:`netmob.sim.area.profile` (area.yaml) and :mod:`netmob.sim.area.resources`
(resources.csv).
"""

from netmob.sim.area.folder import Area, load_area, write_template

__all__ = ["Area", "load_area", "write_template"]
