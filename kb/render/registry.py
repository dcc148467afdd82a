"""Every output format, by name, and the one way to render into it.

=================  ===========================================================
``html``           safe HTML as the live site shows an article (:mod:`.html`)
``text``           terminal text (:mod:`.text`)
``markdown``       CommonMark for MkDocs and markdown-it (:mod:`.markdown`)
``wiki-markdown``  Markdown that keeps templates, links by title and every
                   variant as source: ``kb convert`` (:mod:`.wiki_markdown`)
=================  ===========================================================

Each is a :class:`~kb.render.walk.Renderer` with one ``visit_<kind>`` method
per node kind; a test fails when one lacks a kind. Modules are imported when
their format is first used, so ``kb lookup`` loads only what it prints.
"""

from __future__ import annotations

import importlib

from kb.errors import UsageError

#: Format name → (module, renderer class).
RENDERERS = {
    "html": ("kb.render.html", "HtmlRenderer"),
    "text": ("kb.render.text", "TextRenderer"),
    "markdown": ("kb.render.markdown", "MarkdownRenderer"),
    "wiki-markdown": ("kb.render.wiki_markdown", "WikiMarkdownRenderer"),
}


def renderer_class(name: str) -> type:
    """The renderer class of a format."""
    try:
        module, cls = RENDERERS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; formats: {', '.join(RENDERERS)}") from None
    return getattr(importlib.import_module(module), cls)


def render(name: str, doc, context=None, **options) -> str:
    """``doc`` (a parsed document, an article or wiki text) in format
    ``name`` for ``context`` (None: every variant). ``options`` go to the
    renderer: ``env``, ``config``, and ``width``/``color`` (text), ``toc``
    (html), ``admonitions`` (markdown)."""
    from kb.render.walk import as_document

    return renderer_class(name)(context, **options).render(as_document(doc))
