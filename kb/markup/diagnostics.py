"""Diagnostics: what the parser repaired and what the checker found.

Every diagnostic has a stable ``code`` (kebab-case, never renamed), a
``severity`` (``error``, ``warning`` or ``info``), a message that says what to
do, and the 1-based line and column where it applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Fix:
    """Replace source[start:end] with ``replacement``; safe to apply blindly."""

    start: int
    end: int
    replacement: str
    description: str = ""


@dataclass
class Diagnostic:
    code: str
    severity: str
    message: str
    line: int
    column: int
    start: int = 0
    end: int = 0
    file: str | None = None
    fix: Fix | None = field(default=None)

    def to_dict(self) -> dict:
        out = {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if self.fix is not None:
            out["fix"] = {
                "start": self.fix.start,
                "end": self.fix.end,
                "replacement": self.fix.replacement,
                "description": self.fix.description,
            }
        return out

    def __str__(self) -> str:
        where = f"{self.file}:" if self.file else ""
        return f"{where}{self.line}:{self.column}: {self.severity} [{self.code}] {self.message}"
