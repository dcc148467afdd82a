"""Error codes: codes written with stray spaces (in a ``=CODE=`` heading or
an ``Error code: CODE`` note), codes the registry (``content/codes.yaml``)
does not know, and registered codes no article documents.

What counts as documenting a code is :func:`kb.codes.extract.extract`'s
answer, the one the code pages are built from."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from kb.codes.extract import CODE, extract
from kb.files import read_file
from kb.errors import KbError
from kb.markup import nodes as n
from kb.markup.diagnostics import Diagnostic, Fix

from kb.check.codes import severity

#: ``Error code: CODE`` in a note, allowing the spaces that make it malformed.
_NOTE_CODE = re.compile(r"Error code:[ \t]*([A-Z][A-Z0-9]*(?:[ \t]*_[ \t]*[A-Z0-9]+)+)")
_HEADING_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:\s*_\s*[A-Z0-9]+)+")


def extraction(unit_or_shared, article):
    """``extract(article.doc)``, once per article and run."""
    shared = unit_or_shared if isinstance(unit_or_shared, dict) else unit_or_shared.shared
    cache = shared.setdefault("extractions", {})
    key = id(article)
    if key not in cache:
        cache[key] = (article, extract(article.doc))
    return cache[key][1]


#: Bodies with neither can document no code: extraction is skipped for them.
_MAYBE_CODES = re.compile(r"^=[^\n]*_|Error code:", re.MULTILINE)


def check(unit) -> list:
    if not _MAYBE_CODES.search(unit.body):
        return []
    found = extraction(unit, unit.article)
    out = [dataclasses.replace(d, file=unit.name) for d in found.diagnostics]
    # Where each documented code is written: (code, offset, node or None).
    written: list[tuple[str, int, n.Node | None]] = []
    for section in found.sections:
        title = section.heading.text_content().strip()
        if _HEADING_CODE.fullmatch(title):
            written.append((re.sub(r"\s+", "", title), section.heading.start, section.heading))
    for text in unit.nodes(n.Text):
        if "Error code:" not in text.text or not any(isinstance(a, n.Note) for a in text.ancestors()):
            continue
        for m in _NOTE_CODE.finditer(text.text):
            raw = m.group(1)
            code = re.sub(r"\s+", "", raw)
            start = text.start + m.start(1)
            if not CODE.fullmatch(code):
                continue
            written.append((code, start, None))
            if code != raw:
                out.append(unit.finding(
                    "malformed-code",
                    f"'Error code: {raw}' looks like the error code {code} with stray spaces; "
                    f"write it as {code} so readers can search for it",
                    start, start + len(raw), Fix(start, start + len(raw), code, f"write the code as {code}")))
    registry = unit.registry
    if registry is not None:
        seen: set[tuple[str, int]] = set()
        for code, start, node in written:
            if (code, start) in seen or registry.get(code) is not None:
                continue
            seen.add((code, start))
            message = (f"error code {code} is documented here but is not in codes.yaml, so it gets no code "
                       f"page and lookup cannot find it; add it to codes.yaml (or as an alias of the code "
                       f"it is another name for).")
            out.append(unit.at_node("unregistered-code", message, node) if node is not None
                       else unit.finding("unregistered-code", message, start, start + len(code)))
    return out


def check_registry(registry, articles, path: Path, name: str, shared: dict) -> list:
    """Registry-wide findings, reported against ``codes.yaml``: codes no
    article documents, and codes documented elsewhere than the registry says."""
    documented: dict[str, list[str]] = {}
    for article in articles:
        for code in extraction(shared, article).codes:
            entry = registry.get(code)
            if entry is not None:
                slugs = documented.setdefault(entry.code, [])
                if article.slug not in slugs:
                    slugs.append(article.slug)
    try:
        lines = read_file(path).decode("utf-8").split("\n")
    except (KbError, UnicodeDecodeError):
        lines = []
    out = []
    for entry in registry.entries:
        where = documented.get(entry.code, [])
        line = entry.line or 1
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        col = text.find(entry.code) + 1 if entry.code in text else 1
        if not where:
            named = f" (it names article {entry.article!r}, which does not document it)" if entry.article else ""
            out.append(_at(name, line, col, len(entry.code), "undocumented-code",
                           f"{entry.code} is registered in codes.yaml but no article in content/ documents it"
                           f"{named}; its code page has nothing to show. Document it in an article "
                           f"(a =CODE= heading or an 'Error code: CODE' note)."))
        elif entry.article not in where:
            said = f"names article {entry.article!r}" if entry.article else "says no article documents it"
            out.append(_at(name, line, col, len(entry.code), "code-article-mismatch",
                           f"codes.yaml {said} for {entry.code}, but it is documented in "
                           f"{', '.join(where)}; set article: {where[0]}."))
    return out


def _at(name: str, line: int, col: int, width: int, code: str, message: str) -> Diagnostic:
    # No article offsets here: start/end only carry the width of the spot.
    return Diagnostic(code, severity(code), message, line, col, 0, width, file=name)
