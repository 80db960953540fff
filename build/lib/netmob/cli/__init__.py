"""The ``netmob`` command (Typer): thin commands that parse, call the layers below, print.

- :mod:`netmob.cli.main`: the app, ``run``, ``params``, ``app`` and the error wrapper;
- :mod:`netmob.cli.scenarios`: ``scenarios list | show``;
- :mod:`netmob.cli.compare`: ``compare``;
- :mod:`netmob.cli.sweep`: ``sweep``, ``results``, ``sensitivity``, ``sweep-report``.
"""
