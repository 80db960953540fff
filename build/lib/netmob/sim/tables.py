"""Column tables: the state of every entity lives in numpy arrays, one per column.

A :class:`Table` holds equal-length columns and grows by appending rows (amortised
doubling). Rows are never deleted: an ended tie keeps its row with ``active`` false, so a
row index is a stable id and history stays available.
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
        cols = {k: np.full(max(capacity, 1), d, dtype=t) for k, (t, d) in schema.items()}
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
        for k, (t, d) in self._schema.items():
            col = np.full(new, d, dtype=t)
            col[: self.n] = self._cols[k][: self.n]
            self._cols[k] = col

    def append(self, **values: Any) -> np.ndarray:
        """Append rows; columns not given take their default. Returns the new row indices."""
        sizes = {np.size(v) for v in values.values() if np.ndim(v) > 0}
        if len(sizes) > 1:
            raise ValueError(f"columns of different lengths: {sizes}")
        k = sizes.pop() if sizes else 1
        start = self.n
        self._reserve(start + k)
        for name, v in values.items():
            self._cols[name][start : start + k] = v
        object.__setattr__(self, "n", start + k)
        return np.arange(start, start + k)

    def to_dict(self) -> dict[str, np.ndarray]:
        """Copies of the used part of every column."""
        return {k: self._cols[k][: self.n].copy() for k in self._schema}
