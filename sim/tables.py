"""Column tables: the state of every entity lives in numpy arrays, one per column.

A :class:`Table` holds equal-length columns and grows by appending rows (amortised
growth by half). Rows are never deleted: an ended tie keeps its row with ``active`` false,
so a row index is a stable id and history stays available.

Each kind of table is a subclass whose columns are declared once, as class attributes
(``referred = Column(np.int32, NEVER)``): the schema is read from them, and the type
checker sees every column (a misspelt column is a type error).

Spare capacity is allocated but never written (``np.empty``), and each appended row gets
its column defaults when it is appended: the operating system only backs pages that are
touched, so room to grow costs address space, not memory (at a million target people the
tables hold tens of millions of rows).
"""

from __future__ import annotations

from typing import Any, ClassVar, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

Schema = dict[str, tuple[Any, Any]]  # {column: (dtype, default)}


class Column[S: np.generic]:
    """One column of a :class:`Table`: its dtype and the default of appended rows.

    On a table, ``table.<column>`` is the used part of the column (a view: writing into it
    writes the table), and ``table.<column> = value`` fills it.
    """

    __slots__ = ("default", "dtype", "name")

    def __init__(self, dtype: type[S], default: Any) -> None:
        self.dtype = dtype
        self.default = default
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, table: None, owner: type | None = None) -> Column[S]: ...

    @overload
    def __get__(self, table: Table, owner: type | None = None) -> NDArray[S]: ...

    def __get__(self, table: Table | None, owner: type | None = None) -> Column[S] | NDArray[S]:
        if table is None:
            return self
        return table._cols[self.name][: table.n]

    def __set__(self, table: Table, value: ArrayLike) -> None:
        table._cols[self.name][: table.n] = value


class Table:
    """Growable columns of equal length; subclasses declare the columns.

    Args:
        capacity: Rows allocated at first.
        rows: Rows appended at once, each with every column's default.

    Examples:
        >>> class Pairs(Table):
        ...     a = Column(np.int32, 0)
        ...     b = Column(np.float64, -1.0)
        >>> t = Pairs()
        >>> t.append(a=[1, 2]).tolist()
        [0, 1]
        >>> t.b.tolist()
        [-1.0, -1.0]
        >>> Pairs.schema
        {'a': (<class 'numpy.int32'>, 0), 'b': (<class 'numpy.float64'>, -1.0)}
    """

    schema: ClassVar[Schema] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.schema = {
            name: (col.dtype, col.default)
            for base in reversed(cls.__mro__)
            for name, col in vars(base).items()
            if isinstance(col, Column)
        }

    def __init__(self, capacity: int = 1024, rows: int = 0) -> None:
        self.n = 0
        self._cols: dict[str, np.ndarray] = {
            k: np.empty(max(capacity, rows, 1), dtype=t) for k, (t, _) in self.schema.items()
        }
        if rows:
            self._fill(0, rows, {})
            self.n = rows

    def __len__(self) -> int:
        return self.n

    @property
    def columns(self) -> list[str]:
        """Column names, in schema order."""
        return list(self.schema)

    def column(self, name: str) -> np.ndarray:
        """The used part of the column ``name`` (for a name known only at run time)."""
        return self._cols[name][: self.n]

    def _reserve(self, n: int) -> None:
        cap = len(next(iter(self._cols.values())))
        if n <= cap:
            return
        new = max(n, int(cap * 1.5) + 16)
        for k, (t, _) in self.schema.items():
            col = np.empty(new, dtype=t)  # the rows beyond n get their defaults on append
            col[: self.n] = self._cols[k][: self.n]
            self._cols[k] = col

    def _fill(self, start: int, k: int, values: dict[str, Any]) -> None:
        for name, (_, default) in self.schema.items():
            self._cols[name][start : start + k] = values.get(name, default)

    def append(self, **values: Any) -> np.ndarray:
        """Append rows; columns not given take their default. Returns the new row indices."""
        unknown = set(values) - set(self.schema)
        if unknown:
            raise KeyError(f"no such columns: {sorted(unknown)}")
        sizes = {np.size(v) for v in values.values() if np.ndim(v) > 0}
        if len(sizes) > 1:
            raise ValueError(f"columns of different lengths: {sizes}")
        k = sizes.pop() if sizes else 1
        start = self.n
        if k == 0:
            return np.arange(start, start)
        self._reserve(start + k)
        self._fill(start, k, values)
        self.n = start + k
        return np.arange(start, start + k)

    def to_dict(self) -> dict[str, np.ndarray]:
        """Copies of the used part of every column."""
        return {k: self._cols[k][: self.n].copy() for k in self.schema}


def table_of(schema: Schema, name: str = "Columns") -> type[Table]:
    """A :class:`Table` class with the columns of ``schema`` (for columns known only at run
    time; the model's tables are declared as classes).

    Examples:
        >>> t = table_of({"ego": (np.int32, -1)})(rows=2)
        >>> t.column("ego").tolist()
        [-1, -1]
    """
    return type(name, (Table,), {k: Column(t, d) for k, (t, d) in schema.items()})
