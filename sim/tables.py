"""Column tables: the state of every entity lives in numpy arrays, one per column.

A :class:`Table` holds equal-length columns and grows by appending rows (amortised
growth by half). Rows are never deleted: an ended tie keeps its row with ``active`` false,
so a row index is a stable id and history stays available.

Spare capacity is allocated but never written (``np.empty``), and each appended row gets
its column defaults when it is appended: the operating system only backs pages that are
touched, so room to grow costs address space, not memory (at a million target people the
tables hold tens of millions of rows).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Table:
    """Growable columns of equal length.

    Args:
        schema: ``{column: (dtype, default)}``.
        capacity: Rows allocated at first.

    Examples:
        >>> t = Table({"a": (np.int32, 0), "b": (np.float64, -1.0)})
        >>> t.append(a=[1, 2]).tolist()
        [0, 1]
        >>> t.b.tolist()
        [-1.0, -1.0]
    """

    def __init__(self, schema: dict[str, tuple[Any, Any]], capacity: int = 1024) -> None:
        object.__setattr__(self, "_schema", dict(schema))
        object.__setattr__(self, "n", 0)
        cols = {k: np.empty(max(capacity, 1), dtype=t) for k, (t, _) in schema.items()}
        object.__setattr__(self, "_cols", cols)

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self._cols[name][: self.n]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._cols:
            self._cols[name][: self.n] = value
        else:
            object.__setattr__(self, name, value)

    def __len__(self) -> int:
        return self.n

    @property
    def columns(self) -> list[str]:
        """Column names, in schema order."""
        return list(self._schema)

    def _reserve(self, n: int) -> None:
        cap = len(next(iter(self._cols.values())))
        if n <= cap:
            return
        new = max(n, int(cap * 1.5) + 16)
        for k, (t, _) in self._schema.items():
            col = np.empty(new, dtype=t)  # the rows beyond n get their defaults on append
            col[: self.n] = self._cols[k][: self.n]
            self._cols[k] = col

    def append(self, **values: Any) -> np.ndarray:
        """Append rows; columns not given take their default. Returns the new row indices."""
        unknown = set(values) - set(self._schema)
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
        for name, (_, default) in self._schema.items():
            self._cols[name][start : start + k] = values.get(name, default)
        object.__setattr__(self, "n", start + k)
        return np.arange(start, start + k)

    def to_dict(self) -> dict[str, np.ndarray]:
        """Copies of the used part of every column."""
        return {k: self._cols[k][: self.n].copy() for k in self._schema}
