"""The one error type users see: a single line naming the file and position."""

from __future__ import annotations


class DreamError(Exception):
    """A problem with the user's input or environment, shown as one line, never a traceback.

    `exit_code` follows the CLI convention: 1 for bad input or findings, 2 for usage.
    """

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
        exit_code: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.exit_code = exit_code

    def location(self) -> str:
        parts = [p for p in (self.path, self.line, self.col) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class UsageError(DreamError):
    """Wrong command-line use (exit code 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=2)
