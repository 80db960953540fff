"""The interactive app (Solara): Explore, A person's network, What-if.

- :mod:`netmob.app.page`: the Solara page (``solara run netmob.app.page``);
- :mod:`netmob.app.area`: the What-if view's area folder (typed in, dropped, or
  ``netmob app --area DIR``);
- :mod:`netmob.app.model`: the model behind Explore, its controls from the schema;
- :mod:`netmob.app.views`: figures (charts, GENIE's concentric circles);
- :mod:`netmob.app.circles`: the concentric-circles layout of one person's network;
- :mod:`netmob.app.assets`: solara's front-end files, installed from npm.

The app runs the model and experiments through the same layers as the CLI and imports
nothing from it.
"""
