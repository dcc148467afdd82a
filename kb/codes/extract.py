"""Which sections of an article document which error codes.

A section is a heading and the blocks after it, up to the next heading of
the same or a higher level in the same container. A section documents a
code when its heading *is* the code (``=SEC_ERROR_EXPIRED_CERTIFICATE=``) or
when one of its notes says ``Error code: CODE``; one section may document
several codes. Headings that are almost a code (the seed's stray space in
``MOZILLA_PKIX_ERROR _ADDITIONAL_POLICY_CONSTRAINT_FAILED``) still count,
and are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.markup import nodes as n
from kb.markup.diagnostics import WARNING, Diagnostic, Fix

#: A code: upper-case words joined by underscores (at least two words).
CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
_HEADING_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:\s*_\s*[A-Z0-9]+)+")
# A space is tolerated only before an underscore (the seed's "ERROR _ADDITIONAL").
_NOTE_CODE = re.compile(r"Error code:\s*([A-Za-z][A-Za-z0-9]*+(?: ?_[A-Za-z0-9]++)+)")

_CONTAINERS = (n.Document, n.For, n.Note, n.Warning, n.TableCell)


@dataclass
class Section:
    heading: n.Heading
    #: The heading and the blocks that follow it, in order.
    nodes: list[n.Node]
    codes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.text_content().strip()

    @property
    def conditions(self) -> list[n.For]:
        """The ``{for}`` blocks the section stands in, outermost first."""
        return [a for a in reversed(list(self.heading.ancestors())) if isinstance(a, n.For)]


@dataclass
class Extraction:
    lead: list[n.Node]
    sections: list[Section]
    diagnostics: list[Diagnostic]

    def sections_for(self, code: str) -> list[Section]:
        return [s for s in self.sections if code in s.codes]

    def sections_titled(self, title: str) -> list[Section]:
        wanted = _normal_title(title)
        return [s for s in self.sections if _normal_title(s.title) == wanted]

    @property
    def codes(self) -> list[str]:
        seen: list[str] = []
        for section in self.sections:
            seen.extend(c for c in section.codes if c not in seen)
        return seen


def _normal_title(text: str) -> str:
    return " ".join(text.split()).casefold()


def extract(doc: n.Document) -> Extraction:
    """The lead (what comes before the first section) and every section."""
    diagnostics: list[Diagnostic] = []
    sections: list[Section] = []
    for container in doc.walk():
        if isinstance(container, _CONTAINERS):
            sections.extend(_sections_in(container))
    sections.sort(key=lambda s: s.heading.start)
    for section in sections:
        section.codes = _codes_of(section, diagnostics)
    lead = []
    for child in doc.children:
        if isinstance(child, n.Heading) or child.first(n.Heading) is not None:
            break
        if not isinstance(child, n.Toc):
            lead.append(child)
    return Extraction(lead, sections, diagnostics)


def _sections_in(container: n.Node) -> list[Section]:
    out: list[Section] = []
    open_sections: list[Section] = []  # by level, innermost last
    for child in container.children:
        if isinstance(child, n.Heading):
            while open_sections and open_sections[-1].heading.level >= child.level:
                open_sections.pop()
            section = Section(child, [child])
            for outer in open_sections:
                outer.nodes.append(child)
            open_sections.append(section)
            out.append(section)
        else:
            for section in open_sections:
                section.nodes.append(child)
    return out


def _codes_of(section: Section, diagnostics: list[Diagnostic]) -> list[str]:
    codes: list[str] = []
    heading = section.heading
    title = heading.text_content().strip()
    m = _HEADING_CODE.fullmatch(title)
    if m:
        code = re.sub(r"\s+", "", title)
        if code != title:
            diagnostics.append(_malformed(heading, title, code))
        codes.append(code)
    # Notes directly in the section's own blocks (not in sub-sections).
    own = _own_blocks(section)
    for block in own:
        for note in block.find(n.Note):
            for match in _NOTE_CODE.finditer(_spaced_text(note)):
                raw = match.group(1)
                code = re.sub(r"\s+", "", raw)
                if CODE.fullmatch(code) and code not in codes:
                    codes.append(code)
    return codes


def _spaced_text(node: n.Node) -> str:
    """The node's text with a space where a tag or line end stood, so
    ``CODE<br>next`` does not read as one word."""
    parts = []
    for item in node.walk():
        if isinstance(item, n.Text):
            parts.append(item.text)
        elif isinstance(item, (n.HtmlTag, n.Newline)):
            parts.append(" ")
    return "".join(parts)


def _own_blocks(section: Section) -> list[n.Node]:
    out = []
    for node in section.nodes[1:]:
        if isinstance(node, n.Heading):
            break
        out.append(node)
    return out


def _malformed(heading: n.Heading, title: str, code: str) -> Diagnostic:
    text = heading.children[0] if heading.children and isinstance(heading.children[0], n.Text) else None
    fix = None
    if text is not None and text.text.strip() == title:
        lead = len(text.text) - len(text.text.lstrip())
        fix = Fix(text.start + lead, text.start + lead + len(title), code, f"write the code as {code}")
    return Diagnostic("malformed-code", WARNING,
                      f"heading {title!r} looks like the error code {code} with stray spaces; "
                      f"write it as {code} so readers can search for it",
                      heading.line, heading.col, heading.start, heading.end, fix=fix)
