"""The one error type for bad input: it names the file, the field, the value and what is allowed.

The CLI catches :class:`InputError`, prints its message and exits with code 2, no traceback.
"""

from __future__ import annotations

from typing import Any


class InputError(Exception):
    """Bad input from a user: a scenario file, a parameter, a sweep spec or a CLI option.

    Args:
        message: What is wrong, in one sentence.
        file: The file the input came from, if any.
        field: The dotted name of the field (or a table's column), if any.
        value: The offending value, if any.
        allowed: What would have been accepted.
        row: The row of a table file (1 is the first row after the header), if any.
    """

    _UNSET = object()

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        field: str | None = None,
        value: Any = _UNSET,
        allowed: str | None = None,
        row: int | None = None,
    ) -> None:
        self.row = row
        self.file = file
        self.field = field
        self.value = value
        self.allowed = allowed
        self.reason = message
        super().__init__(self.render())

    def render(self) -> str:
        """One line: ``file: field = value: reason (allowed: ...)``; in a table file,
        ``file: row R, column 'C': ...``."""
        where = []
        if self.file:
            where.append(str(self.file))
        if self.row is not None and self.field:
            where.append(f"row {self.row}, column '{self.field}'")
        elif self.row is not None:
            where.append(f"row {self.row}")
        elif self.field:
            where.append(f"field '{self.field}'")
        head = ": ".join(where)
        text = self.reason
        if self.value is not self._UNSET:
            text += f" (got {self.value!r})"
        if self.allowed:
            text += f"; allowed: {self.allowed}"
        return f"{head}: {text}" if head else text

    def in_file(self, file: str) -> InputError:
        """The same error, attributed to ``file``."""
        return InputError(
            self.reason,
            file=file,
            field=self.field,
            value=self.value,
            allowed=self.allowed,
            row=self.row,
        )
