"""Markdown: CommonMark that markdown-it-py (and MkDocs) turn into the same
article the HTML renderer makes."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.container import container_plugin

from golden import cases
from kb.conditions.context import Context
from kb.content.library import Library
from kb.markup import parse
from kb.render.context import RenderEnv
from kb.render.html import render_html
from kb.render.markdown import render_markdown

LIBRARY = Path(__file__).parent / "golden" / "html" / "library"
MAC = Context("firefox", 60, "mac")
COMMONMARK = MarkdownIt("commonmark", {"html": True})
MKDOCS_LIKE = MarkdownIt("commonmark", {"html": True}).enable("table").use(admon_plugin) \
    .use(container_plugin, name="for")


def md(source: str, context=MAC, **kwargs) -> str:
    return render_markdown(parse(source), context, **kwargs)


class _Visible(HTMLParser):
    """Visible text, minus the titles the admonition plugin adds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if ("class", "admonition-title") in attrs:
            self.skip += 1

    def handle_endtag(self, tag):
        if self.skip and tag == "p":
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def visible(markup: str) -> str:
    parser = _Visible()
    parser.feed(markup)
    return "".join(parser.out)


# -- text never turns into markup ------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x24F, blacklist_categories=("Cc", "Cs"),
                                      blacklist_characters="&"), min_size=1, max_size=40))
def test_any_text_comes_back_as_the_same_text(value):
    """Whatever an article says literally (here: inside <nowiki>), Markdown
    readers show exactly that, never markup."""
    if "</nowiki>" in value.lower() or not value.strip():
        return
    rendered = COMMONMARK.render(md(f"<nowiki>{value}</nowiki>"))
    assert " ".join(visible(rendered).split()) == " ".join(value.split())


@pytest.mark.parametrize("value", ["1. not a list", "- not a bullet", "+ nor this", "# not a heading",
                                   "> not a quote", "=== not an underline", ":: nor a definition",
                                   "!!! note", "::: for mac", "```", "    four spaces", "| a | b |",
                                   "*a* _b_ `c` [d](e) <b>f</b> ![g](h) \\ {for x}", "??? collapsible"])
def test_line_starts_and_inline_markup_are_escaped(value):
    rendered = MKDOCS_LIKE.render(md(f"<nowiki>{value}</nowiki>"))
    assert visible(rendered).strip() == value.strip()
    assert rendered.startswith("<p>")


# -- constructs ---------------------------------------------------------------------------------


def test_emphasis_uses_asterisks_where_commonmark_reads_them():
    assert md("'''Note:''' Do it. ''quiet'' word'''bold'''word") == \
        "**Note:** Do it. *quiet* word**bold**word\n"
    # a space inside the wiki markup moves outside the delimiters
    assert md("a '''bold ''' b") == "a **bold**  b\n"
    # where asterisks would not be emphasis, HTML is used
    assert md("x'''\"quoted\"'''y") == "x<strong>\"quoted\"</strong>y\n"
    assert COMMONMARK.render(md("'''''both'''''")).strip() == "<p><strong><em>both</em></strong></p>"


def test_headings_lists_and_numbering():
    out = md("=Title=\n* a\n** nested\n# one\n# two\n#* inner")
    assert out == "# Title\n\n- a\n    - nested\n\n1. one\n2. two\n    - inner\n"
    html = COMMONMARK.render(out)
    assert "<ol>\n<li>one</li>\n<li>two\n<ul>\n<li>inner</li>" in html


def test_admonitions_material_and_gfm():
    assert md("{note}Mind '''this'''.{/note}") == "!!! note\n    Mind **this**.\n"
    assert md("{warning}A\n\n* b\n{/warning}") == "!!! warning\n    A\n\n    - b\n"
    assert md("{note}Mind.{/note}", admonitions="gfm") == "> [!NOTE]\n> Mind.\n"
    with pytest.raises(ValueError, match="admonitions"):
        md("x", admonitions="rst")
    html = MKDOCS_LIKE.render(md("{warning}A\n\n* b\n{/warning}"))
    assert '<div class="admonition warning">' in html and "<li>b</li>" in html


def test_note_in_a_list_item_is_indented_under_it():
    out = md("# Step\n#{note}Careful{/note}")
    assert out == "1. Step\n2. !!! note\n        Careful\n"


def test_keys_and_ui_labels_are_minimal_html():
    assert md("{key Ctrl+Shift+Q} {button Go <here>} {menu Help} {filepath a_b.txt} {pref x.y}") == (
        '<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>Q</kbd> <span class="button">Go &lt;here&gt;</span> '
        '<span class="menu">Help</span> <span class="filepath">a\\_b.txt</span> <span class="pref">x.y</span>\n')


def test_links_and_images():
    env = RenderEnv(library=Library.load(LIBRARY), link_url=lambda a: f"{a.slug}.md")
    out = md("[[Linked article]] [[Gone (old)|gone]] [https://example.com/a b] [[Image:Logo|alt=A *logo*]]",
             env=env)
    assert out == ("[Linked article](linked-article.md) [gone](https://support.mozilla.org/en-US/kb/gone-old) "
                   "[b](https://example.com/a) ![A \\*logo\\*](images/Logo.png)\n")
    html = COMMONMARK.render(md("[https://example.com/a(b) c d]"))
    assert 'href="https://example.com/a%28b%29"' in html


def test_tables_are_pipe_tables():
    out = md("{|\n! A !! B\n|-\n| 1 || x|y\n|}")
    assert out == "| A | B |\n| --- | --- |\n| 1 | x&#124;y |\n"
    assert "<td>x|y</td>" in MKDOCS_LIKE.render(out)


def test_preformatted_is_one_pre_line_that_shows_the_code_exactly():
    """Not a fence, which Python-Markdown reads in no admonition or list:
    one line of HTML, the same <pre> in any container."""
    code = "code ```x``` <b>&amp; *y* [z](w)\n\n more\t"
    for source, shown, readers in (
            (" code ```x``` <b>&amp;amp; *y* [z](w)\n  more\t", code.replace("\n\n", "\n"), (COMMONMARK, MKDOCS_LIKE)),
            ("{note}\n* a {note}<pre>code ```x``` <b>&amp;amp; *y* [z](w)\n\n more\t</pre>{/note}\n{/note}", code,
             (MKDOCS_LIKE,))):  # (CommonMark has no admonitions)
        out = md(source)
        assert re.search(r"^ *<pre><code>[^\n]*</code></pre>$", out, re.MULTILINE), out
        for reader in readers:
            pre = re.search(r"<pre><code>(.*?)</code></pre>", reader.render(out), re.DOTALL).group(1)
            assert html.unescape(pre) == shown


def test_all_variants_keep_their_conditions():
    out = md("{for mac}\nMac\n{/for}\nInline {for win}w{/for}.\n{for fx66}\n{for linux}\nL\n{/for}\n{/for}",
             context=None)
    assert out == "::: for mac\nMac\n:::\n\nInline {for win}w{/for}.\n\n:::: for fx66\n::: for linux\nL\n:::\n::::\n"
    # A container-aware reader nests the fences as the conditions nest.
    html = MKDOCS_LIKE.render(out)
    assert html == ('<div class="for">\n<p>Mac</p>\n</div>\n<p>Inline {for win}w{/for}.</p>\n'
                    '<div class="for">\n<div class="for">\n<p>L</p>\n</div>\n</div>\n')


def test_a_reader_gets_no_conditions():
    assert md("{for mac}\nMac\n{/for}\n{for win}\nWin\n{/for}\nText {for mac}m{/for}{for win}w{/for}.") == \
        "Mac\n\nText m.\n"


# -- the same article as the HTML renderer makes ---------------------------------------------------


@pytest.mark.parametrize("path", cases("html"), ids=[p.stem for p in cases("html")])
def test_markdown_reads_as_the_html_does(path):
    """markdown-it's rendering of the Markdown shows the same text as the
    HTML output (spacing aside; the HTML TOC has a title Markdown leaves to
    the site)."""
    doc = parse(path.read_text(encoding="utf-8"))
    env = RenderEnv(library=Library.load(LIBRARY))
    from_html = visible(render_html(doc, MAC, env=env)).replace("Table of Contents", "", 1)
    from_markdown = visible(MKDOCS_LIKE.render(render_markdown(doc, MAC, env=env)))
    assert re.sub(r"\s+", "", from_markdown) == re.sub(r"\s+", "", from_html)


CORPUS_FILES = sorted((Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "thunderbird-en-US")
                      .glob("*.wiki"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.stem for p in CORPUS_FILES])
def test_real_articles_read_the_same_in_markdown_and_html(path):
    from kb.content.articles import read_article

    doc = read_article(path).doc
    reader = Context("thunderbird", 128, "win10")
    from_html = visible(render_html(doc, reader)).replace("Table of Contents", "", 1)
    from_markdown = visible(MKDOCS_LIKE.render(render_markdown(doc, reader)))
    assert re.sub(r"\s+", "", from_markdown) == re.sub(r"\s+", "", from_html)
