"""Markdown articles (kb/markup/markdown.py): the same tree as wiki markup.

The twin fixtures (tests/fixtures/twins/) say the same thing in both formats;
they must give the same variants and the same text for every variant.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.conditions.variants import variants
from kb.content.articles import read_article
from kb.markup import nodes as n
from kb.markup.markdown import parse_markdown
from kb.render.text import render_text

TWINS = Path(__file__).parent / "fixtures" / "twins"
PAIRS = sorted(p.stem for p in TWINS.glob("*.md"))


def _twins(stem: str):
    return read_article(TWINS / f"{stem}.wiki"), read_article(TWINS / f"{stem}.md")


@pytest.mark.parametrize("stem", PAIRS)
def test_twins_have_identical_variants(stem):
    wiki, md = _twins(stem)
    assert md.format == "markdown"
    product = wiki.product or "firefox"
    found_wiki = variants(wiki.doc, product)
    found_md = variants(md.doc, product)
    assert len(found_wiki) > 1
    assert [v.label for v in found_md] == [v.label for v in found_wiki]
    assert [v.slug for v in found_md] == [v.slug for v in found_wiki]


@pytest.mark.parametrize("stem", PAIRS)
def test_twins_have_identical_text_for_every_variant(stem):
    wiki, md = _twins(stem)
    for variant in variants(wiki.doc, wiki.product or "firefox"):
        ctx = variant.representative
        assert render_text(md.doc, ctx) == render_text(wiki.doc, ctx), variant.label
    assert render_text(md.doc, None) == render_text(wiki.doc, None)


def _shape(node: n.Node):
    """Kinds and fields, without text, line ends and blank lines; a
    paragraph holding only an inline callout counts as the callout block
    (the Markdown form of ``{note}…{/note}`` alone in a paragraph)."""
    kids = [c for c in node.children if not isinstance(c, (n.BlankLine, n.Newline, n.Text))]
    if isinstance(node, n.Paragraph) and len(kids) == 1 and isinstance(kids[0], n.Callout):
        callout = kids[0]
        return (callout.kind, (("block", "True"),), (("paragraph", (), tuple(_shape(c) for c in callout.children
                                                                              if not isinstance(c, n.Text))),))
    fields = tuple(sorted((k, str(v)) for k, v in node.fields().items()))
    return (node.kind, fields, tuple(_shape(c) for c in kids))


@pytest.mark.parametrize("stem", PAIRS)
def test_twins_build_the_same_tree(stem):
    wiki, md = _twins(stem)
    assert _shape(md.doc) == _shape(wiki.doc)
    assert md.doc.diagnostics == [] and wiki.doc.diagnostics == []


# -- the syntax, construct by construct ------------------------------------------------


def _kinds(doc: n.Node) -> list[str]:
    return [node.kind for node in doc.walk() if node.kind not in ("text", "newline", "blank")]


def test_block_for_containers_nest_with_longer_fences():
    doc = parse_markdown(":::: for fx66\nA\n\n::: for mac\nB\n:::\n::::\n")
    outer = doc.children[0]
    assert isinstance(outer, n.For) and outer.block and outer.predicate_text == "fx66"
    inner = outer.children[-1]
    assert isinstance(inner, n.For) and inner.block and inner.predicate_text == "mac"
    assert outer.end == len(doc.source) and doc.diagnostics == []


def test_inline_for_and_macros_in_labels():
    doc = parse_markdown("Choose {menu {for win}Options{/for}{for mac}Preferences{/for}} and press {key Ctrl+Q}.\n")
    para = doc.children[0]
    menu = next(c for c in para.children if isinstance(c, n.Menu))
    assert [f.predicate_text for f in menu.children] == ["win", "mac"]
    key = next(c for c in para.children if isinstance(c, n.Key))
    assert key.keys == ["Ctrl", "Q"]


def test_wiki_brackets_links_images_templates():
    doc = parse_markdown("See [[Some article#Part|*here*]], [[T:closeFirefox]] and [[Image:shot|alt=A shot]].\n")
    link = doc.first(n.Link)
    assert (link.target, link.anchor) == ("Some article", "Part")
    assert isinstance(link.children[0], n.Italic)
    assert doc.first(n.Template).name == "closeFirefox"
    image = doc.first(n.Image)
    assert image.name == "shot" and image.params == {"alt": "A shot"}


def test_markdown_links_images_and_urls():
    doc = parse_markdown("[guide](https://example.com/a_b) <https://x.org/c> https://y.org/d_e. ![Alt](img/pic.png)\n")
    links = doc.find(n.ExternalLink)
    assert [(l.url, l.bracketed) for l in links] == [
        ("https://example.com/a_b", True), ("https://x.org/c", False), ("https://y.org/d_e", False)]
    image = doc.first(n.Image)
    assert image.name == "pic.png" and image.params["alt"] == "Alt"


def test_admonitions_are_callouts():
    doc = parse_markdown("!!! note\n    Text\n\n!!! danger\n    Careful\n\n> [!WARNING]\n> Gfm\n\n::: note\nFenced\n:::\n")
    assert [type(c).__name__ for c in doc.children] == ["Note", "Warning", "Warning", "Note"]
    assert all(c.block for c in doc.children)
    assert [c.text_content().strip() for c in doc.children] == ["Text", "Careful", "Gfm", "Fenced"]


def test_lists_use_wiki_markers():
    doc = parse_markdown("1. one\n    - sub\n2. two\n\n; Term\n: Definition\n")
    numbered, definitions = doc.children
    assert numbered.marker == "#" and definitions.marker == ";"
    sub = numbered.children[0].first(n.List)
    assert sub.marker == "*" and sub.children[0].prefix == "#*"
    assert [item.prefix for item in definitions.children] == [";", ":"]


def test_what_the_markdown_renderer_writes_reads_back():
    """render_markdown's output for one reader (``<kbd>``, ``<span
    class="button">``, admonitions, ``**``…) reads back to the same text
    (after the table of contents, which it writes out as a list)."""
    from kb.render.markdown import render_markdown

    doc = read_article(TWINS / "how-to-clear-the-cache.wiki").doc
    mark = "Clear the cache\n==============="
    for variant in variants(doc, "firefox"):
        ctx = variant.representative
        again = parse_markdown(render_markdown(doc, ctx))
        assert {"button", "menu", "note", "warning"} <= set(_kinds(again))
        assert render_text(again, ctx).split(mark, 1)[1] == render_text(doc, ctx).split(mark, 1)[1], variant.label


def test_wiki_tables_inside_markdown():
    text = "Intro\n\n{|\n! A !! B\n|-\n| {for mac}x{/for} || y\n|}\n"
    doc = parse_markdown(text, first_line=5)
    table = doc.first(n.Table)
    assert table is not None and table.line == 7
    for_node = doc.first(n.For)
    assert text[for_node.predicate_start:for_node.predicate_start + 3] == "mac"


# -- positions and repairs ------------------------------------------------------------------


def test_positions_point_into_the_markdown():
    text = "# Title\n\nSome *text* with {for mac}x{/for}.\n\n::: for fx66 , win\n- {button Go}\n:::\n"
    doc = parse_markdown(text, first_line=10)
    heading = doc.first(n.Heading)
    assert (heading.line, heading.col, heading.level) == (10, 1, 1)
    inline_for, block_for = sorted(doc.find(n.For), key=lambda f: f.start)
    assert (inline_for.line, inline_for.col) == (12, 18)
    assert text[inline_for.start:inline_for.start + 9] == "{for mac}"
    assert text[inline_for.predicate_start:].startswith("mac")
    assert (block_for.line, block_for.col) == (14, 1)
    assert text[block_for.predicate_start:].startswith("fx66 , win")
    button = doc.first(n.Button)
    assert (button.line, button.col) == (15, 3) and text[button.start:button.end] == "{button Go}"


@pytest.mark.parametrize("text, code, line, col", [
    ("::: for mac\nnever closed\n", "unclosed-for", 1, 1),
    ("Text {/for} here\n", "stray-close", 1, 6),
    ("A {for mac}open to the end\n", "unclosed-for", 1, 3),
    ("Press {button Save now\n", "unterminated-macro", 1, 7),
    ("**Bold {for win}x** y{/for}\n", None, None, None),
])
def test_repairs_are_diagnosed(text, code, line, col):
    doc = parse_markdown(text)
    if code is None:
        assert doc.diagnostics == []
        return
    assert [(d.code, d.line, d.column) for d in doc.diagnostics] == [(code, line, col)]


def test_for_split_by_emphasis_keeps_its_content():
    doc = parse_markdown("**Bold {for win}x** y{/for}\n")
    assert [f.text_content() for f in doc.find(n.For)] == ["x", " y"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(list("ab \n*_#-:;![](){}|<>`\\=")
                                + ["{for mac}", "{/for}", "{button ", "[[", "]]", ":::", "!!! note", "    ",
                                   "<br>", "https://x.y", "1. ", "{|", "|}", "{note}", "> [!NOTE]"]),
                max_size=60).map("".join))
def test_never_raises_and_positions_stay_in_the_text(text):
    doc = parse_markdown(text)
    for node in doc.walk():
        assert 0 <= node.start <= len(text), node
        assert node.line >= 1 and node.col >= 1
    for diag in doc.diagnostics:
        assert 0 <= diag.start <= len(text)
