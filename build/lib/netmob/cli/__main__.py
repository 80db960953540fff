"""``python -m netmob.cli``: the ``netmob`` command."""

from netmob.cli.main import main

main()
