"""Error and warning types that always name the input file and line, like the knowledge checker."""

from __future__ import annotations

from dataclasses import dataclass


class LawImportError(Exception):
    """A law text that cannot be imported; str() is "path:line: message" so editors can jump."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"

    def __reduce__(self) -> tuple[type[LawImportError], tuple[str, int | None, str]]:
        # Keep the three-argument constructor picklable (pytest-xdist, multiprocessing).
        return (type(self), (self.path, self.line, self.message))


@dataclass(frozen=True)
class LawImportWarning:
    """Something suspicious but importable; strict mode turns the first one into an error."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"
