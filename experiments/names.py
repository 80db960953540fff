"""netmob's dotted names as EMA Workbench takes them: Python identifiers, dots as double
underscores (:mod:`netmob.experiments.ema` names its uncertainties, levers and outcomes so;
:mod:`netmob.analysis.discover` reads them back).

Examples:
    >>> ema_name("wellbeing.gap_effect"), netmob_name("wellbeing__gap_effect")
    ('wellbeing__gap_effect', 'wellbeing.gap_effect')
"""

from __future__ import annotations


def ema_name(name: str) -> str:
    """netmob's (dotted) name as an EMA name, a Python identifier: dots become ``__``."""
    return name.replace(".", "__")


def netmob_name(name: str) -> str:
    """An EMA name as netmob's (dotted) name."""
    return name.replace("__", ".")
