"""Template and include expansion: what ``[[T:…]]`` and ``[[I:…]]`` stand for.

Expansion follows Kitsune (``kitsune/wiki/parser.py``): ``[[T:Name|a|k=v|b]]``
numbers its arguments 1=a, k=v, 2=b; ``{{{1}}}``, ``{{{k}}}`` in the
template's body are replaced (a parameter nobody passed is replaced by
nothing); the result is parsed. A template whose body (trailing space
removed) has no newline is *inline*: its single paragraph is unwrapped where
it is used. ``[[I:Title]]`` includes another article's body. Parsed
expansions are cached by (template, arguments), so a template used fifty
times is parsed once.

Renderers, variants, code pages and the checker all expand through this
module; what a missing or recursive expansion shows is a message, reported
through the ``report`` callback the caller passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kb.content.library import Library, template_name, title_key
from kb.markup import nodes as n
from kb.markup import parse
from kb.markup.diagnostics import ERROR, WARNING

_PARAMETER = re.compile(r"\{\{\{([^{]+?)\}\}\}")  # Kitsune's TEMPLATE_ARG_REGEX
#: What makes a line a block (a list, heading, preformatted text, rule, table).
_BLOCK_START = re.compile(r"[*#;:= ]|----|\{\|")


def substitute(body: str, params: dict[str, str]) -> str:
    """The template's body with ``{{{name}}}`` replaced by the arguments.

    Kitsune parses the template first and puts the arguments (their inline
    markup already read where the template is used) into the result, so an
    argument never makes a block: ``[[T:x|* item]]`` shows ``* item``. An
    argument that starts a line with a block marker keeps it as text."""

    def argument(m: re.Match) -> str:
        value = params.get(m.group(1), "")
        if (m.start() == 0 or body[m.start() - 1] == "\n") and _BLOCK_START.match(value):
            return f"<nowiki>{value[0]}</nowiki>{value[1:]}"
        return value

    return _PARAMETER.sub(argument, body)

#: ``report(code, message, node, severity, file)``: where problems go.
Reporter = Callable[[str, str, n.Node, str, "Path | None"], None]


@dataclass(frozen=True)
class Expansion:
    """A template or include, parsed: ``key`` identifies it on the recursion
    stack, ``inline`` says its single paragraph is unwrapped where used."""

    key: str
    doc: n.Document
    inline: bool
    source: Path | None


def _silent(code, message, node, severity, file) -> None:
    pass


class Expansions:
    """The expansions of one library's templates and includes, each parsed
    once per (template, arguments)."""

    def __init__(self, library: Library | None) -> None:
        self.library = library
        self._parsed: dict[tuple, Expansion] = {}

    def __len__(self) -> int:
        """How many expansions were parsed."""
        return len(self._parsed)

    def expand(self, node: n.Template | n.Include, stack=(), file=None,
               report: Reporter = _silent) -> Expansion | str:
        """The expansion of ``node``, or the message to show instead (missing,
        or already being expanded further up ``stack``, a sequence of
        :attr:`Expansion.key` s)."""
        if isinstance(node, n.Template):
            return self._template(node, stack, file, report)
        return self._include(node, stack, file, report)

    def expander(self) -> Callable[[n.Node], n.Document | None]:
        """``node → parsed expansion`` (None when missing) for tree walks such
        as :func:`kb.conditions.variants.variants`. The same template with
        the same arguments always gives the same Document object, so a walk
        can stop recursion by identity. Reports nothing."""

        def expand(node: n.Node) -> n.Document | None:
            if not isinstance(node, (n.Template, n.Include)):
                return None
            found = self.expand(node)
            return None if isinstance(found, str) else found.doc

        return expand

    def key_of(self, doc: n.Document) -> str | None:
        """The recursion key of the article or template whose body is ``doc``
        (so an article including itself is caught at the first level)."""
        if self.library is None:
            return None
        owner = self.library.owner_of(doc)
        if owner is None:
            return None
        if owner in self.library.templates:
            return "template:" + title_key(template_name(owner))
        return "article:" + title_key(owner.title)

    # -- the two kinds -----------------------------------------------------------

    def _template(self, node: n.Template, stack, file, report: Reporter) -> Expansion | str:
        name = node.name
        template = self.library.template(name) if self.library is not None else None
        if template is None:
            report("missing-template", f'The template "{name}" does not exist; add '
                   f'content/templates/{name}.wiki with title: "Template:{name}"', node, WARNING, file)
            return f'The template "{name}" does not exist.'
        key = "template:" + title_key(name)
        if key in stack:
            return _recursion(node, f"Template:{name}", file, report)
        cache_key = (key, tuple(node.args))
        found = self._parsed.get(cache_key)
        if found is None:
            body = template.body.rstrip()
            text = substitute(body, node.params)
            doc = parse(text, first_line=template.body_line)
            found = Expansion(key, doc, "\n" not in body and _single_paragraph(doc), template.path)
            self._parsed[cache_key] = found
        return found

    def _include(self, node: n.Include, stack, file, report: Reporter) -> Expansion | str:
        title = node.name
        library = self.library
        article = library.article_by_title(title) if library is not None else None
        if article is None and library is not None:
            article = library.template(title) if title.casefold().startswith("template:") else None
        if article is None:
            report("missing-include", f'The document "{title}" does not exist; '
                   f"check the title or add the article to content/", node, WARNING, file)
            return f'The document "{title}" does not exist.'
        key = "article:" + title_key(article.title)
        if key in stack:
            return _recursion(node, title, file, report)
        cache_key = (key, ())
        found = self._parsed.get(cache_key)
        if found is None:
            found = Expansion(key, article.doc, False, article.path)
            self._parsed[cache_key] = found
        return found


def _recursion(node: n.Node, name: str, file, report: Reporter) -> str:
    report("recursive-template", f'"{name}" includes itself (directly or through '
           f"other templates); remove the inclusion", node, ERROR, file)
    return f'[Recursive inclusion of "{name}"]'  # Kitsune's RECURSION_MESSAGE


def _single_paragraph(doc: n.Document) -> bool:
    """Whether the document is (at most) one paragraph: only then can its
    content be unwrapped into the line that uses it."""
    blocks = [c for c in doc.children if not isinstance(c, n.BlankLine)]
    return len(blocks) <= 1 and all(isinstance(c, n.Paragraph) for c in blocks)
