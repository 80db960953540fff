"""Rows as plain objects, for the reference engine: a tie, an attendance, a person.

A table's row becomes an object with one attribute per column. Each record class
annotates every column of its table with the column's Python type, so the type checker
sees them, and :func:`check_columns` (run when the class is defined) refuses a class whose
annotations do not match the table: a column added to a table, renamed or retyped must be
added, renamed or retyped here too.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

import numpy as np

from netmob.sim.state import Attendance, Ties
from netmob.sim.tables import Table

PYTHON_TYPE = {"b": "bool", "i": "int", "u": "int", "f": "float"}  # by numpy dtype kind


def check_columns(cls: type, table: type[Table]) -> None:
    """Raise ``TypeError`` unless ``cls`` annotates every column of ``table`` with its
    Python type (``bool``, ``int`` or ``float``, from the column's dtype).

    Examples:
        >>> class Pair:
        ...     ta: int
        ...     tb: float
        >>> from netmob.sim.state import Links
        >>> check_columns(Pair, Links)
        Traceback (most recent call last):
        ...
        TypeError: Pair does not annotate the columns of Links with their types: tb is float, not int
    """
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        hints |= vars(klass).get("__annotations__", {})
    wrong = [
        f"{name} is {hints.get(name, 'missing')}, not {PYTHON_TYPE[np.dtype(dtype).kind]}"
        for name, (dtype, _) in table.schema.items()
        if hints.get(name) != PYTHON_TYPE[np.dtype(dtype).kind]
    ]
    if wrong:
        raise TypeError(
            f"{cls.__name__} does not annotate the columns of {table.__name__} with their "
            f"types: {'; '.join(wrong)}"
        )


class Record:
    """One row of ``table`` as a plain object (``row``: its row in the table)."""

    table: ClassVar[type[Table]]
    row: int

    def __init_subclass__(cls, table: type[Table], **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.table = table
        check_columns(cls, table)

    def __init__(self, row: int, **state: Any) -> None:
        self.row = row
        self.__dict__.update(state)

    @classmethod
    def new(cls, row: int, **state: Any) -> Self:
        """A record with every column at its default, then ``state``."""
        return cls(row, **({k: d for k, (_, d) in cls.table.schema.items()} | state))


class TieRecord(Record, table=Ties):
    """A tie, as :class:`~netmob.sim.state.Ties` holds it."""

    ego: int
    alter: int
    kind: int
    circle: int
    strength: float
    freq: float
    dormant: bool
    active: bool
    cap: float
    nearby: bool
    value_subj: float
    given: float
    formed: int
    ended: int
    dormant_since: int
    origin: int
    changed_by: int
    negative: bool


class AttendanceRecord(Record, table=Attendance):
    """A person's attendance at a resource, as :class:`~netmob.sim.state.Attendance` holds it."""

    person: int
    resource: int
    active: bool
    start: int
    stop: int
    visits: int
    attended: bool
    origin: int
    member: int
    helped: float
