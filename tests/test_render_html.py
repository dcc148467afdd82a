"""HTML rendering: golden output per construct, the seed article for several
readers, and every real Thunderbird article."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from golden import GOLDEN, cases, check
from kb.conditions.context import Context
from kb.content.articles import read_article
from kb.content.library import Library
from kb.markup import parse
from kb.render.context import RenderEnv
from kb.render.html import render_html, render_html_fragments
from kb.render.markdown import render_markdown
from kb.render.text import render_text

ROOT = Path(__file__).resolve().parent.parent
LIBRARY_DIR = GOLDEN / "html" / "library"
CORPUS_FILES = sorted((ROOT.parent / "shared" / "corpus" / "thunderbird-en-US").glob("*.wiki"))
READER = Context("firefox", 60, "mac")
CASES = cases("html")

#: Markup that must never reach a reader: it would mean a construct was
#: printed instead of rendered.
LEFTOVERS = ("[[", "{for", "{/for}", "{note}", "{/note}", "{warning}", "'''", "{button", "{menu", "{key")


def golden_env() -> RenderEnv:
    return RenderEnv(library=Library.load(LIBRARY_DIR))


class _Text(HTMLParser):
    """The text a browser shows, and the elements, of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse_html(markup: str) -> _Text:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser


def visible_text(markup: str) -> str:
    return "".join(parse_html(markup).text).strip()


# -- golden files, one per construct -------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_html_matches_golden(path):
    doc = parse(path.read_text(encoding="utf-8"))
    check(path.with_suffix(".ctx.html"), render_html(doc, READER, env=golden_env()))
    check(path.with_suffix(".all.html"), render_html(doc, None, env=golden_env()))


# -- behaviour a reader relies on --------------------------------------------------------------


def test_reader_sees_no_for_wrappers_and_all_variants_keep_them():
    doc = parse("{for mac}\nMac\n{/for}\n{for win}\nWin\n{/for}\nText {for mac}m{/for}{for win}w{/for}.")
    mine = render_html(doc, READER)
    assert "Mac" in mine and "Win" not in mine and 'class="for"' not in mine
    assert visible_text(mine).split() == ["Mac", "Text", "m."]
    every = render_html(doc, None)
    assert '<div class="for" data-for="mac"><p>Mac</p>\n</div>' in every
    assert '<span class="for" data-for="win">w</span>' in every


def test_data_for_strips_each_term_like_kitsune():
    html = render_html(parse("{for  fx58 , mac }x{/for}"), None)
    assert 'data-for="fx58,mac"' in html


def test_toc_lists_only_headings_the_reader_sees():
    doc = parse("__TOC__\n=All=\n{for win}\n==Windows==\n{/for}\n{for mac}\n==Mac==\n{/for}\n")
    toc = re.search(r'<div id="toc">.*?</div>', render_html(doc, READER), re.S).group(0)
    assert "Mac" in toc and "Windows" not in toc and "All" in toc


def test_key_label_is_split_as_the_reader_sees_it():
    doc = parse("{key {for mac}Cmd{/for}{for win}Ctrl{/for}+Shift+Q}")
    assert visible_text(render_html(doc, READER)) == "Cmd + Shift + Q"
    assert render_html(doc, READER).count('class="key"') == 3


def test_heading_ids_are_kitsune_anchors_and_unique():
    html = render_html(parse("=What's new in 60.9.1?=\n=Same=\n=Same="), None)
    assert 'id="w_whats-new-in-60-9-1"' in html
    assert 'id="w_same"' in html and 'id="w_same_2"' in html


def test_template_parameters_and_missing_ones():
    html = render_html(parse("[[T:greet|Ann|who=Bob|Cy]]"), READER, env=golden_env())
    assert visible_text(html) == "Hello Ann, Bob and Cy!"


def test_inline_template_is_not_a_paragraph_of_its_own():
    html = render_html(parse("# [[T:greet|a|who=b]]"), READER, env=golden_env())
    assert "<li>Hello a, b and !</li>" in html and "<p>" not in html


def test_recursion_is_reported_visibly_and_ends():
    env = golden_env()
    html = render_html(parse("[[T:self]] [[T:ping]]"), READER, env=env)
    assert 'Recursive inclusion of "Template:self"' in html
    assert 'Recursive inclusion of "Template:ping"' in html
    assert {d.code for d in env.diagnostics} == {"recursive-template"}


def test_missing_template_image_and_article_are_visible_and_reported():
    env = golden_env()
    html = render_html(parse("[[T:nope]] [[I:Nowhere]] [[Image:nothing]] [[Elsewhere]]"), READER, env=env)
    text = visible_text(html)
    assert 'The template "nope" does not exist.' in text
    assert 'The document "Nowhere" does not exist.' in text
    assert "[Image: nothing]" in text
    codes = {d.code: d for d in env.diagnostics}
    assert set(codes) == {"missing-template", "missing-include", "missing-image", "external-article-link"}
    assert codes["external-article-link"].severity == "info"
    assert (codes["missing-image"].line, codes["missing-image"].column) == (1, 26)


def test_path_traversal_never_reaches_a_file():
    env = golden_env()
    for name in ("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "images/Logo.png", "/etc/passwd", "Logo.png\0"):
        html = render_html(parse(f"[[Image:{name}]]"), READER, env=env)
        assert "<img" not in html, name


def test_paragraph_never_holds_a_block():
    html = render_html(parse("a {note}b{/note} c\n\n[[T:steps|x]] and [[I:Included article]]"), READER,
                       env=golden_env())
    assert not re.search(r"<p>(?:(?!</p>).)*<(div|ul|ol|table|pre|figure)", html, re.S)


def test_fragments_give_the_toc_even_without_marker():
    parts = render_html_fragments(parse("=A=\n==B=="), READER)
    assert [h.id for h in parts.headings] == ["w_a", "w_b"]
    assert '<a href="#w_b">B</a>' in parts.toc and "toc" not in parts.body


def test_links_in_and_out_of_the_library():
    env = RenderEnv(library=Library.load(LIBRARY_DIR), link_url=lambda a: f"/kb/{a.slug}/")
    html = render_html(parse("[[Linked article]] [[Gone]]"), READER, env=env)
    assert '<a href="/kb/linked-article/">Linked article</a>' in html
    assert '<a href="https://support.mozilla.org/en-US/kb/gone" class="external-article">Gone</a>' in html


# -- the seed article, for real readers -------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    library = Library.load(ROOT / "content")
    return library, library.article_by_slug("what-do-security-warning-codes-mean")


def _all_outputs(seed, context):
    library, article = seed
    env = RenderEnv(library=library)
    outputs = (visible_text(render_html(article.doc, context, env=env)),
               render_text(article.doc, context, env=env),
               render_markdown(article.doc, context, env=env))
    return tuple(" ".join(out.split()) for out in outputs)  # wrapped lines joined


@pytest.mark.parametrize("context", [Context("firefox", 60, "mac"), Context("firefox", 120, "win10"),
                                     Context("firefox", 120, "linux"), Context("firefox", 57, "win7")], ids=str)
def test_seed_renders_for_a_reader_with_no_leftover_markup(seed, context):
    html, text, markdown = _all_outputs(seed, context)
    for output in (html, text):
        for mark in LEFTOVERS + ("{", "}"):  # the seed has no literal braces at all
            assert mark not in output, mark
    for mark in LEFTOVERS:
        assert mark not in markdown, mark


def test_seed_for_all_variants_marks_conditions_and_leaves_no_other_markup(seed):
    html, text, markdown = _all_outputs(seed, None)
    for output in (html, text, markdown):
        for mark in ("[[", "'''", "{note}", "{button", "{key", "{filepath"):
            assert mark not in output, mark
    assert "{for" not in html and "{for" not in text  # HTML: div/span.for; text: [For: …]
    assert "[For: not fx66]" in text and "::: for fx66" in markdown


def test_seed_for_firefox_60_on_mac(seed):
    html, text, md = _all_outputs(seed, Context("firefox", 60, "mac"))
    for out in (html, text, md):
        assert "Your connection is not secure" in out
        assert "Potential Security Risk Ahead" not in out
        assert "cert9.db" in out and "cert8.db" not in out
        assert "command" in out
        assert "Windows Taskbar" not in out
    assert "Show in Finder" in html and "Open Folder" not in html


def test_seed_for_firefox_57_sees_the_old_certificate_store(seed):
    html, text, md = _all_outputs(seed, Context("firefox", 57, "win7"))
    assert "cert8.db" in html and "cert9.db" not in html
    assert "Windows Taskbar" in html
    assert "Microsoft family settings" not in html  # win8, win10 only


def test_seed_for_firefox_120_on_windows_10(seed):
    html, text, md = _all_outputs(seed, Context("firefox", 120, "win10"))
    for out in (html, text, md):
        assert "Potential Security Risk Ahead" in out
        assert "Your connection is not secure" not in out
        assert "Windows Taskbar" in out
        assert "Microsoft family settings" in out
        assert "command" not in out
    assert "Exit" in html and "Open Folder" in html


def test_seed_for_firefox_120_on_linux(seed):
    html, text, md = _all_outputs(seed, Context("firefox", 120, "linux"))
    for out in (html, text, md):
        assert "Windows Taskbar" not in out
        assert "Microsoft family settings" not in out
    assert "Open Directory" in html and "Ctrl + Q" in html


def test_seed_templates_exist_and_render_inline_in_the_numbered_steps(seed):
    library, article = seed
    env = RenderEnv(library=library)
    html = render_html(article.doc, Context("firefox", 120, "win10"), env=env)
    steps = re.search(r"<ol>(.*?)</ol>", html, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", steps, re.S)
    assert visible_text(items[0]).startswith("Open your profile folder")
    assert visible_text(items[1]).startswith("Close Firefox completely")
    assert not [d for d in env.diagnostics if d.code in ("missing-template", "recursive-template")]


# -- every real article -------------------------------------------------------------------------------


THUNDERBIRD_READERS = [Context("thunderbird", 115, "win10"), Context("thunderbird", 60, "mac"),
                       Context("thunderbird", 128, "linux"), None]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.stem for p in CORPUS_FILES])
def test_corpus_article_renders_everywhere_without_leftover_markup(path):
    doc = read_article(path).doc
    for context in THUNDERBIRD_READERS:
        outputs = [visible_text(render_html(doc, context)), render_text(doc, context)]
        markdown = render_markdown(doc, context)
        if context is not None:  # all variants keep {for} in Markdown on purpose
            outputs.append(markdown)
        for output in outputs:
            for mark in LEFTOVERS:
                assert mark not in output, (context, mark)


def test_query_parameters_that_look_like_entities_stay_as_written():
    from kb.conditions.context import Context
    from kb.markup import parse
    from kb.render.html import render_html
    from kb.render.text import render_text

    doc = parse("[https://example.com/?a=1&copy=2&reg=3 label]\n")
    html = render_html(doc, None)
    assert 'href="https://example.com/?a=1&amp;copy=2&amp;reg=3"' in html
    assert render_text(doc, Context("firefox", 60, "mac")).strip() == "label (https://example.com/?a=1&copy=2&reg=3)"
