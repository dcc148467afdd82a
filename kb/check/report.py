"""Output formats of ``kb check``.

- ``text`` (default): ``file:line:col: severity [code] message``, the source
  line with a caret under the spot, the fix when there is one, and a summary.
- ``json``: a list of objects with ``code``, ``severity``, ``file``, ``line``,
  ``column``, ``message`` and, where there is one, ``fix``
  (``{start, end, replacement, description, safe}``; offsets are character
  offsets into the file).
- ``github``: GitHub Actions workflow commands
  (``::error file=…,line=…,col=…,title=…::message``).
"""

from __future__ import annotations

import json
from collections import Counter

from kb.check import codes as check_codes
from kb.files import read_file
from kb.errors import KbError
from kb.markup.diagnostics import ERROR, INFO, WARNING

#: How much of a long source line the text format shows around the caret.
_WINDOW = 100


def file_fix(result, finding) -> dict | None:
    """The finding's fix with offsets into the file, or None."""
    fix = finding.fix
    if fix is None:
        return None
    unit = result.unit_named(finding.file)
    base = fix_base(unit) if unit is not None else 0
    if base is None:
        return None
    return {
        "start": fix.start + base,
        "end": fix.end + base,
        "replacement": fix.replacement,
        "description": fix.description,
        "safe": check_codes.is_safe_fix(finding.code),
    }


def fix_base(unit) -> int | None:
    """Where the article body starts in the file (the front matter's length),
    or None when the file no longer ends with the body that was checked."""
    cached = unit.shared.setdefault("bases", {})
    if unit.name not in cached:
        try:
            text = read_file(unit.path).decode("utf-8")
        except (KbError, UnicodeDecodeError):
            cached[unit.name] = None
        else:
            body = unit.body
            cached[unit.name] = len(text) - len(body) if text.endswith(body) else None
    return cached[unit.name]


# -- json --------------------------------------------------------------------------


def to_json(result) -> str:
    items = []
    for f in result.findings:
        item = {
            "code": f.code,
            "severity": f.severity,
            "file": f.file,
            "line": f.line,
            "column": f.column,
            "message": f.message,
        }
        fix = file_fix(result, f)
        if fix is not None:
            item["fix"] = fix
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


# -- github --------------------------------------------------------------------------

_GITHUB_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(result) -> str:
    lines = []
    for f in result.findings:
        level = _GITHUB_LEVEL.get(f.severity, "warning")
        props = f"file={_escape_property(f.file or '')},line={f.line},col={f.column},title={_escape_property(f.code)}"
        lines.append(f"::{level} {props}::{_escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)


# -- text ------------------------------------------------------------------------------


def to_text(result) -> str:
    out: list[str] = []
    for f in result.findings:
        out.append(f"{f.file}:{f.line}:{f.column}: {f.severity} [{f.code}] {f.message}")
        out.extend(_source_excerpt(result, f))
        fix = f.fix
        if fix is not None:
            safe = check_codes.is_safe_fix(f.code)
            how = "kb check --fix applies it" if safe else "not applied by --fix; check it first"
            shown = fix.replacement if len(fix.replacement) <= 80 else fix.replacement[:77] + "..."
            out.append(f"    = fix: replace with {shown!r} ({how})")
    out.append(summary(result))
    return "\n".join(out) + "\n"


def summary(result) -> str:
    counts = Counter(f.severity for f in result.findings)
    files = result.files
    where = f"{files} file{'s' if files != 1 else ''}"
    if not result.findings:
        return f"No problems found in {where}."
    parts = []
    for severity, word in ((ERROR, "error"), (WARNING, "warning"), (INFO, "info")):
        count = counts.get(severity, 0)
        if count or severity == ERROR:
            parts.append(f"{count} {word}{'s' if count != 1 and word != 'info' else ''}")
    with_findings = len({f.file for f in result.findings})
    return f"{', '.join(parts)} in {with_findings} of {where}."


def _source_excerpt(result, f) -> list[str]:
    unit = result.unit_named(f.file)
    if unit is None:
        text = _file_line(result, f.file, f.line)
        if text is None:
            return []
        start_col, width = f.column, max(1, f.end - f.start)
    else:
        first = unit.article.body_line
        starts = unit.line_starts()
        index = f.line - first
        if not 0 <= index < len(starts):
            return []
        line_start = starts[index]
        end = unit.body.find("\n", line_start)
        text = unit.body[line_start: end if end >= 0 else len(unit.body)]
        start_col = f.column
        width = max(1, min(f.end, line_start + len(text)) - f.start) if f.end > f.start else 1
    text = text.rstrip("\r").replace("\t", " ")
    lo = 0
    if len(text) > _WINDOW:
        lo = max(0, min(start_col - 1 - _WINDOW // 3, len(text) - _WINDOW))
    shown = text[lo: lo + _WINDOW]
    lead = "..." if lo > 0 else ""
    tail = "..." if lo + _WINDOW < len(text) else ""
    caret_at = start_col - 1 - lo + len(lead)
    width = max(1, min(width, len(shown) + len(lead) - caret_at))
    gutter = f"{f.line:>5} | "
    return [
        gutter + lead + shown + tail,
        " " * (len(gutter) - 2) + "| " + " " * caret_at + "^" + "~" * (width - 1),
    ]


def _file_line(result, name: str | None, line: int) -> str | None:
    if not name:
        return None
    cache = result.shared.setdefault("file_lines", {})
    if name not in cache:
        try:
            cache[name] = read_file(name).decode("utf-8").split("\n")
        except (KbError, UnicodeDecodeError):
            cache[name] = []
    lines = cache[name]
    return lines[line - 1] if 0 < line <= len(lines) else None


FORMATS = {"text": to_text, "json": to_json, "github": to_github}
