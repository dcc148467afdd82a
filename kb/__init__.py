"""kb: a knowledge-base engine for SUMO wiki support articles.

Start with :class:`kb.Project` (``kb.Project.load(root)``): a project's
configuration, library, registry and articles, and rendering through them.

The pipeline, one package a stage: :mod:`kb.markup` (text → tree),
:mod:`kb.conditions` (``{for}`` predicates, readers, variants),
:mod:`kb.render` (HTML, text, Markdown), :mod:`kb.codes` (error codes and
lookup), :mod:`kb.site` (static site, MkDocs) and :mod:`kb.cli`.

The names below are loaded on first use, so ``import kb`` stays cheap.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "parse": "kb.markup.parser",
    "Document": "kb.markup.nodes",
    "Config": "kb.conditions.config",
    "Context": "kb.conditions.context",
    "Predicate": "kb.conditions.predicate",
    "matches": "kb.conditions.predicate",
    "resolve": "kb.conditions.resolve",
    "variants": "kb.conditions.variants",
    "Variant": "kb.conditions.variants",
    "render_html": "kb.render.html",
    "render_text": "kb.render.text",
    "render_markdown": "kb.render.markdown",
    "KnowledgeBase": "kb.codes.knowledge",
    "Project": "kb.project",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kb' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
