"""A finding: what is wrong with one cell, in the user's words (the column, what to do), and
how bad it is. The submission rules and the catalogue file reader both speak in findings."""

from __future__ import annotations

from dataclasses import dataclass

# An error blocks (the submission cannot be sent, the file's row is not imported); a warning
# lets through (a curator acknowledges it, the file's row is imported).
from .text import ERROR, WARNING

__all__ = ["ERROR", "WARNING", "Finding"]


@dataclass(frozen=True)
class Finding:
    column: str  # the catalogue's column name (ID1, BIBCODE...), "*" for the whole row
    severity: str
    code: str
    message: str
    # Who may read it: "" everyone who sees the row; a role's name (curators) only them.
    audience: str = ""
    line: int | None = None  # the file's line, for findings of a file being read

    @property
    def rejected(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        """As stored with a submission's rows and answered by the API (its key is "field")."""
        found = {
            "field": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
        if self.audience:
            found["audience"] = self.audience
        return found

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.column}: {self.message}"
        # A line of a file being imported: the reader says whether its row went in.
        verdict = "row not imported" if self.rejected else "imported"
        return f"line {self.line}, {self.column}: {self.message} ({verdict})"
