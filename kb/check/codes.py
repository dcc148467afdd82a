"""Every code ``kb check`` reports: its severity, its family and whether its
suggested fix is safe for ``kb check --fix``.

Codes are stable (never renamed); ``docs/checks.md`` documents each one. The
parser's repair codes (:mod:`kb.markup.repairs`) are reported as the parser
records them, with the parser's severity.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from kb.markup.diagnostics import ERROR, INFO, WARNING

STRUCTURE, CONDITIONS, REFERENCES, CODES, TEXT, FILES = (
    "structure", "conditions", "references", "codes", "text", "files")
FAMILIES = (STRUCTURE, CONDITIONS, REFERENCES, CODES, TEXT, FILES)


@dataclass(frozen=True)
class CheckCode:
    code: str
    severity: str
    family: str
    summary: str
    #: Whether the finding's fix may be applied blindly by ``--fix``. Codes
    #: with an unsafe fix still show it, as a suggestion.
    safe_fix: bool = False


_TABLE = (
    # -- structure: the parser's repairs ------------------------------------------
    CheckCode("unclosed-for", ERROR, STRUCTURE, "{for} never closed"),
    CheckCode("unclosed-note", ERROR, STRUCTURE, "{note} never closed"),
    CheckCode("unclosed-warning", ERROR, STRUCTURE, "{warning} never closed"),
    CheckCode("unclosed-table", ERROR, STRUCTURE, "table never closed"),
    CheckCode("unclosed-details", ERROR, STRUCTURE, "[[UI:details_start]] never closed"),
    CheckCode("unknown-ui-component", ERROR, REFERENCES, "[[UI:…]] that names no component"),
    CheckCode("closed-early", ERROR, STRUCTURE, "container closed by an outer closer"),
    CheckCode("stray-close", ERROR, STRUCTURE, "closer with nothing to close"),
    CheckCode("closed-from-inline", WARNING, STRUCTURE, "block closer inside a heading or list item"),
    CheckCode("unbalanced-emphasis", ERROR, STRUCTURE, "''' or '' never closed on its line"),
    CheckCode("heading-mismatch", WARNING, STRUCTURE, "heading = runs differ"),
    CheckCode("unterminated-link", WARNING, STRUCTURE, "[[ with no ]]"),
    CheckCode("unterminated-macro", WARNING, STRUCTURE, "{button … with no }"),
    CheckCode("unterminated-comment", WARNING, STRUCTURE, "<!--, <nowiki> or <pre> never closed"),
    CheckCode("nesting-too-deep", WARNING, STRUCTURE, "nesting deeper than the parser follows"),
    # -- structure: the checker's own ------------------------------------------
    CheckCode("for-repair-changes-content", ERROR, STRUCTURE, "repaired {for} wraps other content than its tags"),
    CheckCode("unmatched-link-close", WARNING, STRUCTURE, "]] with no [["),
    CheckCode("empty-list-item", WARNING, STRUCTURE, "list item with no content"),
    CheckCode("empty-macro", WARNING, STRUCTURE, "{button } and friends with no label"),
    CheckCode("unknown-image-parameter", WARNING, STRUCTURE, "image parameter the renderer ignores"),
    CheckCode("markdown-syntax", WARNING, STRUCTURE, "Markdown in a wiki article"),
    # -- conditions -----------------------------------------------------------
    CheckCode("unknown-term", WARNING, CONDITIONS, "{for} term that names nothing"),
    CheckCode("version-out-of-range", WARNING, CONDITIONS, "{for} version outside the configured versions"),
    CheckCode("never-true", ERROR, CONDITIONS, "{for} no reader can satisfy where it stands"),
    CheckCode("other-product", WARNING, CONDITIONS, "{for} only about another product"),
    CheckCode("always-true", WARNING, CONDITIONS, "{for} every reader satisfies where it stands"),
    # -- references -------------------------------------------------------------
    CheckCode("missing-article", INFO, REFERENCES, "link to an article not in content/"),
    CheckCode("missing-include", ERROR, REFERENCES, "[[I:…]] of an article not in content/"),
    CheckCode("missing-template", ERROR, REFERENCES, "template not in content/templates/"),
    CheckCode("missing-image", WARNING, REFERENCES, "image not in content/images/"),
    CheckCode("missing-video", ERROR, REFERENCES, "video neither on YouTube nor in content/videos/"),
    CheckCode("recursive-template", ERROR, REFERENCES, "template or include that includes itself"),
    # -- codes ---------------------------------------------------------------
    CheckCode("malformed-code", WARNING, CODES, "error code written with stray spaces", safe_fix=True),
    CheckCode("unregistered-code", WARNING, CODES, "documented code missing from codes.yaml"),
    CheckCode("undocumented-code", INFO, CODES, "registered code no article documents"),
    CheckCode("code-article-mismatch", WARNING, CODES, "codes.yaml names the wrong article for a code"),
    # -- text ------------------------------------------------------------------
    CheckCode("mojibake", WARNING, TEXT, "mis-decoded UTF-8", safe_fix=True),
    # -- files -------------------------------------------------------------------
    CheckCode("unreadable-file", ERROR, FILES, "file that cannot be read as an article"),
    CheckCode("unknown-product", WARNING, FILES, "front matter names a product kb.yaml does not know"),
)

CODES_BY_NAME: dict[str, CheckCode] = {c.code: c for c in _TABLE}


def get(code: str) -> CheckCode | None:
    return CODES_BY_NAME.get(code)


def severity(code: str) -> str:
    return CODES_BY_NAME[code].severity


def is_safe_fix(code: str) -> bool:
    entry = CODES_BY_NAME.get(code)
    return bool(entry and entry.safe_fix)


def expand_selection(names, where: str) -> set[str]:
    """Codes named by ``names`` (codes, family names, or ``all``); a
    ValueError naming ``where`` for anything unknown."""
    out: set[str] = set()
    for raw in names:
        for name in str(raw).split(","):
            name = name.strip()
            if not name:
                continue
            if name == "all":
                out.update(CODES_BY_NAME)
            elif name in FAMILIES:
                out.update(c.code for c in _TABLE if c.family == name)
            elif name in CODES_BY_NAME:
                out.add(name)
            else:
                choices = [*CODES_BY_NAME, *FAMILIES, "all"]
                close = difflib.get_close_matches(name, choices, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else "; see docs/checks.md for the codes"
                raise ValueError(f"{where}: unknown check code {name!r}{hint}")
    return out
