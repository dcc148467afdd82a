"""Tailored articles: one error code, as one reader needs it.

A code's page holds the article's lead, the code's own sections and the
shared guidance sections, each still inside the ``{for}`` blocks it stood
in, so the reader's variant is chosen by the same resolution as anywhere
else. Nothing from other codes' sections is copied. Where no section of
the code is written for the reader's version, the nearest version's section
is shown under a note that says which versions it was written for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from kb.codes.extract import Extraction, Section
from kb.conditions.config import Config
from kb.conditions.context import Context
from kb.conditions.resolve import Visibility
from kb.conditions.grid import merge_adjacent, range_label, version_intervals
from kb.conditions.variants import Expander, Variant, for_nodes, variants
from kb.markup import nodes as n


@dataclass
class CodePage:
    """The tailored article of one code in one article."""

    code: str
    names: tuple[str, ...]  # the code and its aliases, as articles may write it
    source: n.Document
    sections: list[Section]  # the code's own sections
    shared: list[Section]
    lead: list[n.Node]
    config: Config
    expand: Expander | None = None

    def base_doc(self) -> n.Document:
        """Lead, own and shared sections in article order, under their
        ``{for}`` conditions. Built once: variants, every reader's page and
        the nearest-section search all read the same tree (none changes it)."""
        return self._base

    @cached_property
    def _base(self) -> n.Document:
        doc = _document_like(self.source)
        for node in self.lead:
            doc.append(node.clone())
        picked = sorted({id(s): s for s in self.sections + self.shared}.values(), key=lambda s: s.heading.start)
        for section in picked:
            for node in _wrapped(section):
                doc.append(node)
        return doc

    def variants(self, product: str) -> list[Variant]:
        return variants(self.base_doc(), product, self.config, self.expand)

    def doc_for(self, ctx: Context) -> n.Document:
        """The page's tree for one reader (resolution still applies)."""
        visibility = Visibility(ctx, self.config)
        if not self.sections or any(_visible(s, visibility) for s in self.sections):
            return self.base_doc()
        section, versions = self._nearest(ctx)
        doc = _document_like(self.source)
        for node in self.lead:
            doc.append(node.clone())
        picked = sorted({id(s): s for s in [section] + self.shared}.values(), key=lambda s: s.heading.start)
        for item in picked:
            if item is section:
                doc.append(_written_for_note(section, versions, ctx, self.config))
                for node in section.nodes:
                    doc.append(node.clone())
            else:
                for node in _wrapped(item):
                    doc.append(node)
        return doc

    def _nearest(self, ctx: Context) -> tuple[Section, str]:
        """The code's section written for the version closest to the
        reader's (same platform), and a label of the versions it is for."""
        product = self.config.product_by_slug(ctx.product)
        fors = list(for_nodes(self.base_doc(), self.expand))
        intervals = version_intervals(product, fors, self.config)
        version = ctx.version if ctx.version is not None else product.default_version
        best = None
        for section in self.sections:
            shown = [iv for iv in intervals
                     if _visible(section, Visibility(Context(ctx.product, iv[1], ctx.platform), self.config))]
            for low, high in shown:
                distance = 0 if low is None else min(abs(version - low), abs(version - high))
                if best is None or distance < best[0]:
                    best = (distance, section, shown)
        if best is None:  # written for no reader on this platform: take the first
            return self.sections[0], ""
        _, section, shown = best
        label = "; ".join(range_label(product, low, high) for low, high in merge_adjacent(shown, intervals))
        return section, label


def _visible(section: Section, visibility: Visibility) -> bool:
    return all(visibility.shows(f) for f in section.conditions)


def _document_like(source: n.Document) -> n.Document:
    doc = n.Document(source.source)
    doc.meta = source.meta
    return doc


def _wrapped(section: Section) -> list[n.Node]:
    """The section's nodes inside copies of the ``{for}`` blocks around it."""
    nodes = [node.clone() for node in section.nodes]
    for cond in reversed(section.conditions):
        copy = n.For(cond.predicate_text, cond.predicate_start, True, cond.start, cond.end, cond.line, cond.col)
        for node in nodes:
            copy.append(node)
        nodes = [copy]
    return nodes


def _written_for_note(section: Section, versions: str, ctx: Context, config: Config) -> n.Node:
    product = config.product_by_slug(ctx.product)
    reader = product.name if ctx.version is None else f"{product.name} {ctx.version}"
    text = (f"This section was written for {versions}; the article has no version of it for {reader}."
            if versions else "This section was not written for your version or system.")
    note = n.Note(True)
    para = n.Paragraph()
    para.append(n.Text(text))
    note.append(para)
    note.prefix = ""
    return note


def own_sections(extraction: Extraction, names: tuple[str, ...]) -> list[Section]:
    wanted = {name.upper() for name in names}
    return [s for s in extraction.sections if wanted & {c.upper() for c in s.codes}]


def shared_sections(extraction: Extraction, titles: tuple[str, ...]) -> list[Section]:
    out: list[Section] = []
    for title in titles:
        out.extend(s for s in extraction.sections_titled(title) if s not in out)
    return out
