"""The rule families. Each module has ``check(unit) -> list[Diagnostic]``;
``RULES`` pairs it with the codes it can report, so a family whose codes
are all deselected is not run at all."""

from __future__ import annotations

from kb.check.codes import CODES_BY_NAME, CODES, CONDITIONS, REFERENCES, STRUCTURE, TEXT
from kb.check.rules import codes, conditions, references, structure, text


def _of(family: str) -> tuple[str, ...]:
    return tuple(c.code for c in CODES_BY_NAME.values() if c.family == family)


RULES = (
    # The parser's own codes are structure codes, and so are any it adds later.
    (_of(STRUCTURE) + ("*",), structure.check),
    (_of(CONDITIONS), conditions.check),
    (_of(REFERENCES), references.check),
    (_of(CODES), codes.check),
    (_of(TEXT), text.check),
)
