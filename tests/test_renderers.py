"""Every output format is a registered renderer with one method per node
kind; golden output per construct for the text, Markdown and wiki-keeping
Markdown renderers (the HTML ones are in test_render_html.py), and golden
trees of the Markdown reader."""

from __future__ import annotations

import pytest

from golden import GOLDEN, cases, check
from kb.markup import parse
from kb.markup.dump import dump_text
from kb.markup.markdown import parse_markdown
from kb.render.registry import RENDERERS, render, renderer_class
from kb.render.walk import Renderer
from test_render_html import READER, golden_env

CASES = cases("html")


@pytest.mark.parametrize("name", RENDERERS)
def test_every_node_kind_has_a_method_in_every_renderer(name):
    assert renderer_class(name).missing_kinds() == []


def test_a_renderer_that_lacks_a_kind_is_found():
    class Forgetful(renderer_class("text")):
        visit_bold = Renderer.visit_unknown

    assert Forgetful.missing_kinds() == ["bold"]
    with pytest.raises(NotImplementedError, match="cannot render 'bold'"):
        Forgetful(None).render(parse("'''x'''"))


def test_an_unknown_format_is_a_usage_error():
    from kb.errors import UsageError

    with pytest.raises(UsageError, match="formats: html, text, markdown, wiki-markdown"):
        render("pdf", "x")


# -- golden files, one per construct -------------------------------------------------------

FORMATS = {"text": ".txt", "markdown": ".md"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_render_matches_golden(path, fmt):
    doc = parse(path.read_text(encoding="utf-8"))
    folder = GOLDEN / fmt
    for label, reader in (("ctx", READER), ("all", None)):
        check(folder / f"{path.stem}.{label}{FORMATS[fmt]}", render(fmt, doc, reader, env=golden_env()))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_wiki_markdown_matches_golden_and_reads_back(path):
    doc = parse(path.read_text(encoding="utf-8"))
    markdown = render("wiki-markdown", doc)
    check(GOLDEN / "wiki-markdown" / f"{path.stem}.md", markdown)
    reader_all = render("text", doc, None, env=golden_env())
    assert render("text", parse_markdown(markdown), None, env=golden_env()) == reader_all


READER_CASES = cases("markdown-reader", ".md") + cases("wiki-markdown", ".md")


@pytest.mark.parametrize("path", READER_CASES, ids=[f"{p.parent.name}/{p.stem}" for p in READER_CASES])
def test_markdown_reader_tree_matches_golden(path):
    doc = parse_markdown(path.read_text(encoding="utf-8"))
    diags = "".join(f"{d.line}:{d.column} {d.severity} {d.code}\n" for d in doc.diagnostics)
    check(GOLDEN / "markdown-reader" / f"{path.parent.name}-{path.stem}.tree",
          dump_text(doc) + ("--- diagnostics\n" + diags if diags else ""))
