"""Kitsune's own parser tests, as ours.

Every case of ``kitsune/wiki/tests/test_parser.py`` and
``kitsune/sumo/tests/test_parser.py`` (mozilla/kitsune) whose behaviour a
static engine can have is here, with the same input and an assertion on the
same meaning. Each test is named ``test_<Kitsune class>__<Kitsune test>``;
``docs/kitsune.md`` lists every Kitsune case, this test or the reason there
is none (revisions, permissions, locales, the link database), and where we
deliberately differ and why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from htmldom import parse_html, select, text_of
from kb.content.library import Library
from kb.markup import parse
from kb.markup.nodes import For, Template
from kb.render.context import RenderEnv
from kb.render.html import render_html

YOUTUBE_URLS = [
    "http://www.youtube.com/watch?v=oHg5SJYRHA0",
    "https://youtube.com/watch?v=oHg5SJYRHA0",
    "http://youtu.be/oHg5SJYRHA0",
    "https://youtu.be/oHg5SJYRHA0",
]


@pytest.fixture
def site(tmp_path):
    """``site(markup, templates={name: body}, articles={title: body},
    images=[names], videos=[file names])`` renders ``markup`` (all
    variants) with a content library holding what it names."""

    def render(markup: str, templates=None, articles=None, images=(), videos=()) -> str:
        content = tmp_path / "content"
        (content / "templates").mkdir(parents=True, exist_ok=True)
        (content / "images").mkdir(exist_ok=True)
        (content / "videos").mkdir(exist_ok=True)
        for name, body in (templates or {}).items():
            (content / "templates" / f"{name}.wiki").write_text(
                f'---\ntitle: "Template:{name}"\n---\n{body}', encoding="utf-8")
        for i, (title, body) in enumerate((articles or {}).items()):
            (content / f"article-{i}.wiki").write_text(
                f'---\ntitle: "{title}"\n---\n{body}', encoding="utf-8")
        for name in images:
            (content / "images" / name).write_bytes(b"GIF89a")
        for name in videos:
            (content / "videos" / name).write_bytes(b"\x1aE\xdf\xa3")
        return render_html(parse(markup), None, env=RenderEnv(library=Library.load(content)))

    return render


def dom(markup: str):
    return parse_html(render_html(parse(markup), None))


# ---------------------------------------------------------------------------
# kitsune/wiki/tests/test_parser.py — SimpleSyntaxTestCase
# ---------------------------------------------------------------------------


def test_SimpleSyntaxTestCase__note_simple():
    assert text_of(dom("{note}this is a note{/note}"), "div.note") == "this is a note"


def test_SimpleSyntaxTestCase__warning_simple():
    assert text_of(dom("{warning}this is a warning{/warning}"), "div.warning") == "this is a warning"


def test_SimpleSyntaxTestCase__warning_multiline():
    assert text_of(dom("{warning}\nthis is a warning\n{/warning}"), "div.warning") == "this is a warning"


def test_SimpleSyntaxTestCase__warning_multiline_breaks():
    page = dom("\n\n{warning}\n\nthis is a warning\n\n{/warning}\n\n")
    assert text_of(page, "div.warning") == "this is a warning"


def test_SimpleSyntaxTestCase__general_warning_note():
    page = dom("\n\n{warning}\n\nthis is a warning\n\n{note}this is a note{warning}!{/warning}{/note}"
               "[[Installing Firefox]] '''internal''' ''link''{/warning}\n\n")
    assert text_of(page, "div.warning div.warning") == "!"
    assert text_of(page, "div.note") == "this is a note !"
    assert text_of(page, "a") == "Installing Firefox"
    assert text_of(page, "strong") == "internal"
    assert text_of(page, "em") == "link"


def test_SimpleSyntaxTestCase__key_inline():
    html = render_html(parse("{key Cmd+Shift+Q}"), None)
    assert len(select(parse_html(html), "p")) == 1
    assert ('<span class="key">Cmd</span> + <span class="key">Shift</span> + <span class="key">Q</span>'
            in html.replace("\n", ""))


def test_SimpleSyntaxTestCase__template_inline(site):
    page = parse_html(site("[[T:test|Cmd]] + [[T:test|Shift]]", templates={"test": '<span class="key">{{{1}}}</span>'}))
    assert len(select(page, "p")) == 1
    assert [e.text() for e in select(page, "p span.key")] == ["Cmd", "Shift"]


def test_SimpleSyntaxTestCase__template_multiline(site):
    """Kitsune wraps the multi-line template in paragraphs (three, two of them
    empty); we write the one that has content."""
    page = parse_html(site("[[T:test|Cmd]]", templates={"test": '<span class="key">\n{{{1}}}</span>'}))
    assert [p.text() for p in select(page, "p")] == ["Cmd"]
    assert text_of(page, "p span.key") == "Cmd"


@pytest.mark.parametrize("markup, keys", [
    ("{key ctrl + alt +   del}", ["ctrl", "alt", "del"]),
    ("{key a key}", ["a key"]),
    ('{key  "Param-One" and + param+two}', ['"Param-One" and', "param", "two"]),
    ("{key multi\nline\n+me}", ["multi line", "me"]),
])
def test_SimpleSyntaxTestCase__key_split_callback(markup, keys):
    html = render_html(parse(markup), None)
    assert [e.text() for e in select(parse_html(html), "span.key")] == keys
    assert html.count("</span> + <span") == len(keys) - 1


def test_SimpleSyntaxTestCase__key_split_brace_callback():
    page = dom("{key ctrl + and} Here is }")
    assert [e.text() for e in select(page, "span.key")] == ["ctrl", "and"]
    assert page.text() == "ctrl + and Here is }"
    assert [e.text() for e in select(dom("{key ctrl + and + {}"), "span.key")] == ["ctrl", "and", "{"]


@pytest.mark.parametrize("tag", ["menu", "button", "filepath", "pref"])
def test_SimpleSyntaxTestCase__simple_inline_custom(tag):
    assert text_of(dom("{%s this is a %s}" % (tag, tag)), f"span.{tag}") == f"this is a {tag}"


def test_SimpleSyntaxTestCase__general_warning_note_inline_custom():
    page = dom("\n\n{warning}\n\nthis is a {button warning}\n{note}this is a {menu note}{warning}!{/warning}{/note}"
               "'''{filepath internal}''' ''{menu hi!}''{/warning}")
    assert text_of(page, "div.warning span.button") == "warning"
    assert text_of(page, "div.note") == "this is a note !"
    assert text_of(page, "div.warning div.note span.menu") == "note"
    assert text_of(page, "strong span.filepath") == "internal"
    assert text_of(page, "em span.menu") == "hi!"


@pytest.mark.parametrize("markup", ["Start <!-- <foo --> End", "Start <!-- <foo> --> End", "Start <!-- foo> --> End"])
def test_SimpleSyntaxTestCase__comments(markup):
    assert render_html(parse(markup), None).strip() == "<p>Start  End</p>"


# ---------------------------------------------------------------------------
# TestWikiTemplate
# ---------------------------------------------------------------------------


def test_TestWikiTemplate__template(site):
    assert parse_html(site("[[Template:test]]", templates={"test": "Test content"})).text() == "Test content"


@pytest.mark.parametrize("markup", ["[[Template:test]]", "[[T:test]]"])
def test_TestWikiTemplate__template_does_not_exist(site, markup):
    """Also TestWikiTemplate.test_template_not_exist (the same in French)."""
    assert parse_html(site(markup)).text() == 'The template "test" does not exist.'


def test_TestWikiTemplate__template_anonymous_params(site):
    templates = {"test": "{{{1}}}:{{{2}}}"}
    assert parse_html(site("[[Template:test|one|two]]", templates=templates)).text() == "one:two"
    assert parse_html(site("[[T:test|two|one]]", templates=templates)).text() == "two:one"


def test_TestWikiTemplate__template_named_params(site):
    templates = {"test": "{{{a}}}:{{{b}}}"}
    assert parse_html(site("[[Template:test|a=one|b=two]]", templates=templates)).text() == "one:two"
    assert parse_html(site("[[T:test|a=two|b=one]]", templates=templates)).text() == "two:one"


def test_TestWikiTemplate__template_numbered_params(site):
    templates = {"test": "{{{1}}}:{{{2}}}"}
    assert parse_html(site("[[Template:test|2=one|1=two]]", templates=templates)).text() == "two:one"
    assert parse_html(site("[[T:test|2=two|1=one]]", templates=templates)).text() == "one:two"


def test_TestWikiTemplate__template_wiki_markup(site):
    page = parse_html(site("[[Template:test|2=one|1=two]]",
                           templates={"test": "{{{1}}}:{{{2}}}\n''wiki''\n'''markup'''"}))
    assert select(page, "p")[0].text().startswith("two:one")
    assert text_of(page, "em") == "wiki"
    assert text_of(page, "strong") == "markup"


def test_TestWikiTemplate__template_args_inline_wiki_markup(site):
    html = site("[[Template:test|'''one'''|''two'']]", templates={"test": "{{{1}}}\n\n{{{2}}}"})
    assert re.sub(r"\s", "", html) == "<p><strong>one</strong></p><p><em>two</em></p>"


def test_TestWikiTemplate__template_args_block_wiki_markup(site):
    html = site("[[Template:test|* ordered|# list]]", templates={"test": "{{{1}}}\n\n{{{2}}}"})
    assert html.replace("\n", "") == "<p>* ordered</p><p># list</p>"


def test_TestWikiTemplate__format_template_content_named(site):
    html = site("[[T:test|some=a|content=b]]", templates={"test": "{{{some}}}{{{content}}}"})
    assert parse_html(html).text() == "ab"


def test_TestWikiTemplate__format_template_content_numbered(site):
    assert parse_html(site("[[T:test|a|b]]", templates={"test": "{{{1}}}:{{{2}}}"})).text() == "a:b"


@pytest.mark.parametrize("args, params", [
    (["<span>a</span>", "test"], {"1": "<span>a</span>", "2": "test"}),  # anonymous
    (["20=a", "10=test"], {"20": "a", "10": "test"}),  # numbered
    (["hi=test", "a=b"], {"a": "b", "hi": "test"}),  # named
    (["hi=test", "a"], {"1": "a", "hi": "test"}),  # named_anonymous
    (["hi=test", "10=a"], {"10": "a", "hi": "test"}),  # named_numbered
    (["hi=test", "a", "3=z"], {"1": "a", "hi": "test", "3": "z"}),  # named_anonymous_numbered
])
def test_TestWikiTemplate__build_template_params(args, params):
    """The six build_template_params_* cases: how arguments are numbered."""
    node = parse("[[T:x|" + "|".join(args) + "]]").first(Template)
    assert node.params == params


def test_TestWikiTemplate__for_in_template(site):
    html = site("[[Template:for]]", templates={"for": "{for win}windows{/for}{for mac}mac{/for}"})
    assert html.replace("\n", "") == ('<p><span class="for" data-for="win">windows</span>'
                                      '<span class="for" data-for="mac">mac</span></p>')


def test_TestWikiTemplate__button_for_nesting():
    html = render_html(parse("{button start {for mac}mac{/for}{for win}win{/for} rest}"), None)
    assert html.replace("\n", "") == ('<p><span class="button">start <span class="for" data-for="mac">mac</span>'
                                      '<span class="for" data-for="win">win</span> rest</span></p>')


def test_TestWikiTemplate__button_image_for_nesting(site):
    page = parse_html(site("{button {for mac}[[Image:image-file.png]]{/for} text}", images=["image-file.png"]))
    assert "frameless" in select(page, "span.button span.for img")[0].classes
    assert not select(page, "figure") and not select(page, "figcaption")


def test_TestWikiTemplate__direct_recursion(site):
    html = site("[[Template:Boo]]", templates={"Boo": "Fine [[Template:Boo]] Fellows"})
    assert parse_html(html).text() == 'Fine [Recursive inclusion of "Template:Boo"] Fellows'


def test_TestWikiTemplate__indirect_recursion(site):
    templates = {"Boo": "Paper [[Template:Yah]] Cups", "Yah": "Wooden [[Template:Boo]] Bats"}
    assert parse_html(site("[[Template:Boo]]", templates=templates)).text() == \
        'Paper Wooden [Recursive inclusion of "Template:Boo"] Bats Cups'


# ---------------------------------------------------------------------------
# TestWikiInclude
# ---------------------------------------------------------------------------


def test_TestWikiInclude__revision_include(site):
    articles = {"Test title": "Test content"}
    assert parse_html(site("[[I:Test title]]", articles=articles)).text() == "Test content"
    assert parse_html(site("[[Include:Another title]]", articles=articles)).text() == \
        'The document "Another title" does not exist.'


def test_TestWikiInclude__direct_recursion(site):
    html = site("[[Include:Boo]]", articles={"Boo": "Fine [[Include:Boo]] Fellows"})
    assert parse_html(html).text() == 'Fine [Recursive inclusion of "Boo"] Fellows'


def test_TestWikiInclude__indirect_recursion(site):
    articles = {"Boo": "Paper [[Include:Yah]] Cups", "Yah": "Wooden [[Include:Boo]] Bats"}
    assert parse_html(site("[[Include:Boo]]", articles=articles)).text() == \
        'Paper Wooden [Recursive inclusion of "Boo"] Bats Cups'


# ---------------------------------------------------------------------------
# TestWikiVideo (wiki) and TestWikiParser.test_youtube_video (sumo)
# ---------------------------------------------------------------------------


def test_TestWikiVideo__video_english(site):
    """An uploaded video: a <video> with its sources. Kitsune's Flash fallback
    (data-fallback, an .flv) is gone: no browser plays Flash."""
    page = parse_html(site("[[V:Some video]]", videos=["Some video.webm", "Some video.ogv"]))
    assert len(select(page, "div.video video")) == 1
    sources = select(page, "video source")
    assert [(s.attrs["type"], s.attrs["src"].rsplit("/", 1)[-1]) for s in sources] == [
        ("video/webm", "Some%20video.webm"), ("video/ogg", "Some%20video.ogv")]
    assert "controls" in select(page, "video")[0].attrs


def test_TestWikiVideo__video_not_exist(site):
    assert parse_html(site("[[V:404]]")).text() == 'The video "404" does not exist.'


@pytest.mark.parametrize("url", YOUTUBE_URLS)
def test_TestWikiParser__youtube_video(url):
    """Also TestWikiVideo.test_youtube_video. Kitsune embeds an iframe from
    www.youtube.com; by default we write a poster link to the player on the
    privacy-enhanced host, which loads only when the reader asks for it."""
    page = dom("[[V:%s]]" % url)
    assert not select(page, "iframe")
    link = select(page, "div.video a")[0]
    assert link.attrs["href"].startswith("https://www.youtube-nocookie.com/embed/oHg5SJYRHA0")


# ---------------------------------------------------------------------------
# ForWikiTests
# ---------------------------------------------------------------------------


def html_equal(markup: str, expected: str) -> None:
    got = re.sub(r">\s+<", "><", render_html(parse(markup), None).strip())
    assert got == expected


def test_ForWikiTests__block():
    html_equal("Joe\n\n{for}Red{/for}\n\nBlow", '<p>Joe</p><p><span class="for">Red</span></p><p>Blow</p>')
    html_equal("Joe\n\n{for}\n* Red\n{/for}\n\nBlow",
               '<p>Joe</p><div class="for"><ul><li>Red</li></ul></div><p>Blow</p>')


def test_ForWikiTests__inline():
    html_equal("Joe\n\nRed {for}riding{/for} hood\n\nBlow",
               '<p>Joe</p><p>Red <span class="for">riding</span> hood</p><p>Blow</p>')


def test_ForWikiTests__nested():
    page = dom("{for mac}\nJoe\n\nRed {for}{for}riding\n{/for} hood{/for}\n\nBlow\n{/for}")
    outer = select(page, "div.for")
    assert len(outer) == 1 and outer[0].attrs["data-for"] == "mac"
    assert [p.text() for p in select(page, "div.for p")] == ["Joe", "Red riding hood", "Blow"]
    assert text_of(page, "p span.for span.for") == "riding"
    assert select(page, "p span.for")[0].text() == "riding hood"


def test_ForWikiTests__data_attrs():
    html_equal("{for mac,linux,3.6}One{/for}", '<p><span class="for" data-for="mac,linux,3.6">One</span></p>')


def test_ForWikiTests__early_close():
    html_equal("{for}\nOne\n\n*Fish{/for}", '<div class="for"><p>One</p><ul><li>Fish</li></ul></div>')


def test_ForWikiTests__late_close():
    html_equal("*{for}One\n*Fish\n\nTwo\n{/for}", '<ul><li><span class="for">One</span></li><li>Fish</li></ul><p>Two</p>')


def test_ForWikiTests__missing_close():
    html_equal("{for}One fish\n\nTwo fish", '<p><span class="for">One fish</span></p><p>Two fish</p>')


def test_ForWikiTests__unicode():
    french = "Vous parl\u00e9 Fran\u00e7ais"
    html_equal("{for}" + french + "{/for}", '<p><span class="for">' + french + "</span></p>")


def test_ForWikiTests__boolean_attr():
    """Raw block HTML on Kitsune's safelist is kept: a <video> with a boolean
    ``controls`` and its <source>. We add preload="none", so the page loads
    nothing until the reader presses play."""
    page = dom('<p><video controls="" height="120">  <source src="/some/path/file.ogv" type="video/ogv"></video></p>')
    video = select(page, "video")[0]
    assert "controls" in video.attrs and video.attrs["height"] == "120"
    assert video.attrs["preload"] == "none"
    source = select(page, "video source")[0]
    assert source.attrs["type"] == "video/ogv" and source.attrs["src"].endswith("/some/path/file.ogv")


def test_ForWikiTests__adjacent_blocks():
    page = dom("{for fx4}\n{for mac}Fx4{/for}\n{/for}\n{for fx3}\n{for mac}Fx3{/for}\n{/for}")
    assert select(page, "div.for div.for") == []
    assert len(select(page, "div.for")) == 2


def test_ForWikiTests__leading_newlines():
    assert text_of(dom("\n\n{for linux}\nunixify\n{/for}"), ".for") == "unixify"


def test_ForWikiTests__big_swath():
    html_equal("{for}\n=H1=\n==H2==\nLlamas are fun:\n\n*Jumping\n*Rolling\n*Grazing\n\nThey have high melting points.\n{/for}",
               '<div class="for"><h1 id="w_h1">H1</h1><h2 id="w_h2">H2</h2><p>Llamas are fun:</p>'
               "<ul><li>Jumping</li><li>Rolling</li><li>Grazing</li></ul>"
               "<p>They have high melting points.</p></div>")


def test_ForWikiTests__block_level_section():
    """The {for} holds a block, so it is a div (its text is a paragraph)."""
    page = dom("{for}<section>hi</section>{/for}")
    assert text_of(page, "div.for section") == "hi"
    assert not select(page, "span.for")


# ---------------------------------------------------------------------------
# ForParserTests: Kitsune's {for} tokenizer. The cases that have a meaning in
# wiki markup are asserted on our tree (For.block) and rendering.
# ---------------------------------------------------------------------------


def test_ForParserTests__document_mode():
    html_equal("Hello<br>there, <br>you.", "<p>Hello<br>there, <br>you.</p>")


def test_ForParserTests__close_absent_at_end():
    html_equal("{for}\nOne\n{/for}{/for}", '<div class="for"><p>One</p></div>')


@pytest.mark.parametrize("markup, block", [
    ("{for}", True), ("{for} ", True), ("q\n{for}", True), ("\n{for} \nq", True),
    ("{for}q", False),
])
def test_ForParserTests__on_own_line(markup, block):
    assert parse(markup).first(For).block is block


def test_ForParserTests__on_own_line_indented_is_preformatted():
    """`` {for}``: a line starting with a space is preformatted text."""
    assert parse(" {for}").first(For) is None


@pytest.mark.parametrize("markup, expected", [
    ("{for}inline{/for}", '<p><span class="for">inline</span></p>'),
    ("{for}\nblock\n{/for}", '<div class="for"><p>block</p></div>'),
    ("{for}inline\n{/for}", '<p><span class="for">inline</span></p>'),
    ("{for}\nblock{/for}", '<div class="for"><p>block</p></div>'),
])
def test_ForParserTests__strip(markup, expected):
    html_equal(markup, expected)


def test_ForParserTests__whitespace_lookbehind():
    html_equal("{for}\n{for}inline{/for}\n{/for}", '<div class="for"><p><span class="for">inline</span></p></div>')


def test_ForParserTests__matches_see_replacements():
    html_equal("{for fx4}\n{for mac}Fx4{/for}\n{/for}\n{for fx3}\n{for mac}Fx3{/for}\n{/for}",
               '<div class="for" data-for="fx4"><p><span class="for" data-for="mac">Fx4</span></p></div>'
               '<div class="for" data-for="fx3"><p><span class="for" data-for="mac">Fx3</span></p></div>')


def test_ForParserTests__leading_text_nodes():
    html_equal("A<i>hi</i>B<i>there</i>C", "<p>A<i>hi</i>B<i>there</i>C</p>")


# ---------------------------------------------------------------------------
# TestLazyWikiImageTags
# ---------------------------------------------------------------------------


def test_TestLazyWikiImageTags__simple(site):
    """Kitsune swaps in a placeholder GIF and loads the picture with
    JavaScript; we let the browser do it (loading="lazy")."""
    img = select(parse_html(site("[[Image:test.jpg]]", images=["test.jpg"])), "img")[0]
    assert img.attrs["alt"] == "test.jpg"
    assert img.attrs["src"].endswith("test.jpg") and img.attrs["loading"] == "lazy"


# ---------------------------------------------------------------------------
# kitsune/sumo/tests/test_parser.py — GetObjectFallbackTests
# ---------------------------------------------------------------------------


def test_GetObjectFallbackTests__english(site):
    """Titles match case-insensitively; the link shows the article's title."""
    html = site("[[a doc]]", articles={"A doc": "x"})
    link = select(parse_html(html), "a")[0]
    assert link.text() == "A doc" and link.attrs["href"] == "article-0.html"


# ---------------------------------------------------------------------------
# TestWikiParser (sumo): image parameters, <showfor>, videos, UI components,
# raw HTML
# ---------------------------------------------------------------------------


def image(site, params: str, name: str = "test.jpg"):
    articles = {"Installing Firefox": "Test content"}
    return parse_html(site(f"[[Image:{name}|{params}]]" if params else f"[[Image:{name}]]",
                           articles=articles, images=["test.jpg", "img test.jpg"]))


def test_TestWikiParser__image_params_page(site):
    assert select(image(site, "page=Installing Firefox"), "a")[0].attrs["href"] == "article-0.html"


def test_TestWikiParser__image_params_link(site):
    assert select(image(site, "link=http://example.com"), "a")[0].attrs["href"] == "http://example.com"


def test_TestWikiParser__image_params_page_link(site):
    page = image(site, "page=Installing Firefox|link=http://example.com")
    assert select(page, "a")[0].attrs["href"] == "article-0.html"


@pytest.mark.parametrize("align", ["none", "left", "center", "right"])
def test_TestWikiParser__image_params_align(site, align):
    assert f"align-{align}" in select(image(site, "align=" + align), "figure")[0].classes


def test_TestWikiParser__image_params_align_invalid(site):
    page = image(site, "align=zzz")
    assert not select(page, "figure") and not any("align" in c for c in select(page, "img")[0].classes)


@pytest.mark.parametrize("valign", ["baseline", "sub", "super", "top", "text-top", "middle", "bottom", "text-bottom"])
def test_TestWikiParser__image_params_valign(site, valign):
    """Kitsune writes style="vertical-align:…"; our sanitizer lets no style
    through, so it is a class the stylesheet maps to the same property."""
    assert f"valign-{valign}" in select(image(site, "valign=" + valign), "img")[0].classes


def test_TestWikiParser__image_params_valign_invalid(site):
    assert not any("valign" in c for c in select(image(site, "valign=zzz"), "img")[0].classes)


def test_TestWikiParser__image_params_alt(site):
    assert select(image(site, "alt=some alternative text"), "img")[0].attrs["alt"] == "some alternative text"


def test_TestWikiParser__image_params_frame(site):
    assert select(image(site, "frame"), "figure img")


def test_TestWikiParser__image_params_width_height(site):
    img = select(image(site, "width=10|height=20"), "img")[0]
    assert (img.attrs["width"], img.attrs["height"]) == ("10", "20")


def test_TestWikiParser__get_wiki_link(site):
    for spelling in ("Installing Firefox", "Installing firefox"):
        link = select(parse_html(site(f"[[{spelling}]]", articles={"Installing Firefox": "x"})), "a")[0]
        assert (link.attrs["href"], link.text()) == ("article-0.html", "Installing Firefox")


def test_TestWikiParser__showfor():
    assert render_html(parse("<showfor>smoo</showfor>"), None).replace("\n", "") == \
        "<p>&lt;showfor&gt;smoo&lt;/showfor&gt;</p>"


def test_TestWikiParser__ui_component_device_migration_wizard():
    """The wizard is Kitsune's own interactive page; a static site cannot run
    it, so it says where to find it — in place, between what surrounds it."""
    page = dom("<p>before</p>[[UI:device_migration_wizard]]<p>after</p>")
    texts = [p.text() for p in select(page, "p")]
    assert texts[0] == "before" and texts[-1] == "after"
    assert "device_migration_wizard" not in page.text()
    assert select(page, ".ui-component")


def test_TestWikiParser__ui_component_details_pair():
    assert '<section class="details"></section>' in render_html(parse("[[UI:details_start]][[UI:details_end]]"), None)


def test_TestWikiParser__invalid_ui_component():
    page = dom("<p>before</p>[[UI:undefined]]<p>after</p>")
    assert page.text() == 'before The UI component "undefined" does not exist. after'


def test_TestWikiParser__iframe_in_markup():
    assert select(dom('<iframe src="http://example.com"></iframe>'), "iframe") == []


def test_TestWikiParser__iframe_hell_bug_898769():
    markup = "<iframe/src \\/\\/onload = prompt(1)\n\n<iframe/onreadystatechange=alert(/@blinkms/)\n\n<svg/onload=alert(1)"
    page = dom(markup)
    assert [e.tag for e in page.descendants()] == ["p", "p", "p"]
    assert "onload" not in " ".join(str(e.attrs) for e in page.descendants())
    assert "<iframe/src" in page.raw_text() and "<svg/onload=alert(1)" in page.raw_text()


@pytest.mark.parametrize("markup", [
    '<img src="https://example.com/nursekitty.jpg">',
    "<img src=https://example.com/nursekitty.jpg />",
    '<img src="https://example.com/nursekitty.jpg" />',
    "<img src=https://example.com/nursekitty.jpg </img>",
])
def test_TestWikiParser__injections_images(markup):
    """A raw image on another site: Kitsune shows it. Loading it would tell
    that site who reads the page, so by default it is a link to the picture
    (kb.yaml ``embeds`` lets the operator show such images)."""
    page = dom(markup)
    assert not select(page, "img")
    assert select(page, "a")[0].attrs["href"] == "https://example.com/nursekitty.jpg"


@pytest.mark.parametrize("markup", [
    "<IMG SRC=`javascript:alert(\"'XSS'\")`>",
    '<IMG SRC=javascript:alert("XSS")>',
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
])
def test_TestWikiParser__injections_scripts(markup):
    """Kitsune keeps an empty <img>; we drop an image that has no safe source."""
    html = render_html(parse(markup), None)
    assert "javascript" not in html.lower() or "&lt;" in html
    assert not [e for e in parse_html(html).descendants() if e.tag == "img" and e.attrs.get("src")]


# ---------------------------------------------------------------------------
# TestWikiInternalLinks
# ---------------------------------------------------------------------------


def link(site, markup: str):
    return select(parse_html(site(markup, articles={"Installing Firefox": "Test content"})), "a")[0]


def test_TestWikiInternalLinks__simple(site):
    found = link(site, "[[Installing Firefox]]")
    assert (found.attrs["href"], found.text()) == ("article-0.html", "Installing Firefox")
    assert "new" not in found.classes


def test_TestWikiInternalLinks__simple_ci(site):
    found = link(site, "[[Installing firefox]]")
    assert (found.attrs["href"], found.text()) == ("article-0.html", "Installing Firefox")


def test_TestWikiInternalLinks__simple_markup(site):
    html = site("[[Installing Firefox]]", articles={"Installing Firefox": "Test content"})
    assert html.replace("\n", "") == '<p><a href="article-0.html">Installing Firefox</a></p>'


def test_TestWikiInternalLinks__link_hash(site):
    found = link(site, "[[Installing Firefox#section name]]")
    assert (found.attrs["href"], found.text()) == ("article-0.html#section_name", "Installing Firefox")


def test_TestWikiInternalLinks__link_hash_text(site):
    found = link(site, "[[Installing Firefox#section name|section]]")
    assert (found.attrs["href"], found.text()) == ("article-0.html#section_name", "section")


def test_TestWikiInternalLinks__hash_only(site):
    """Kitsune shows "#section 3"; we show the section's name, "section 3"."""
    found = link(site, "[[#section 3]]")
    assert (found.attrs["href"], found.text()) == ("#section_3", "section 3")


def test_TestWikiInternalLinks__link_name(site):
    found = link(site, "[[Installing Firefox|this name]]")
    assert (found.attrs["href"], found.text()) == ("article-0.html", "this name")


def test_TestWikiInternalLinks__link_with_extra_pipe(site):
    found = link(site, "[[Installing Firefox|with|pipe]]")
    assert (found.attrs["href"], found.text()) == ("article-0.html", "with|pipe")


def test_TestWikiInternalLinks__hash_name(site):
    found = link(site, "[[#section 3|this name]]")
    assert (found.attrs["href"], found.text()) == ("#section_3", "this name")
    assert "new" not in found.classes


def test_TestWikiInternalLinks__link_hash_name(site):
    found = link(site, "[[Installing Firefox#section 3|this name]]")
    assert (found.attrs["href"], found.text()) == ("article-0.html#section_3", "this name")


def test_TestWikiInternalLinks__link_hash_name_markup(site):
    html = site("[[Installing Firefox#section 3|this name]]", articles={"Installing Firefox": "Test content"})
    assert html.replace("\n", "") == '<p><a href="article-0.html#section_3">this name</a></p>'


def test_TestWikiInternalLinks__simple_create(site):
    """Kitsune links a missing article to its "create this page" form. A
    static site has no such form: the link goes to the article on the live
    site, and kb check reports the missing article."""
    found = link(site, "[[A new page]]")
    assert found.attrs["href"] == "https://support.mozilla.org/en-US/kb/a-new-page"
    assert found.text() == "A new page"


def test_TestWikiInternalLinks__link_edit_hash_name(site):
    found = link(site, "[[A new page#section 3|this name]]")
    assert found.attrs["href"] == "https://support.mozilla.org/en-US/kb/a-new-page#section_3"
    assert found.text() == "this name"


# ---------------------------------------------------------------------------
# TestWikiImageTags
# ---------------------------------------------------------------------------


def test_TestWikiImageTags__empty(site):
    """Kitsune says 'The image "" does not exist.'; a missing image here is
    a visible marker with what the author said the picture shows."""
    page = image(site, "", name="")
    assert select(page, "span.image-missing") and not select(page, "img")
    described = image(site, "alt=The settings window", name="nope.png")
    assert text_of(described, "span.image-missing") == "[Image: The settings window]"


def test_TestWikiImageTags__simple(site):
    img = select(image(site, ""), "img")[0]
    assert img.attrs["alt"] == "test.jpg" and img.attrs["src"] == "images/test.jpg"


def test_TestWikiImageTags__simple_ci(site):
    img = select(image(site, "", name="TEST.jpg"), "img")[0]
    assert img.attrs["alt"] == "TEST.jpg" and img.attrs["src"] == "images/test.jpg"


def test_TestWikiImageTags__caption(site):
    figure = select(image(site, "frame|my caption", name="img test.jpg"), "figure")[0]
    img = select(figure, "img")[0]
    assert img.attrs["src"] == "images/img%20test.jpg"
    assert img.attrs["alt"] == "my caption" and figure.text() == "my caption"


def test_TestWikiImageTags__page_link(site):
    anchor = select(image(site, "page=Installing Firefox"), "a")[0]
    img = select(anchor, "img")[0]
    assert (img.attrs["alt"], img.attrs["src"]) == ("test.jpg", "images/test.jpg")
    assert anchor.attrs["href"] == "article-0.html"


def test_TestWikiImageTags__page_link_edit(site):
    """As for links: a missing article is on the live site, not a new page."""
    anchor = select(image(site, "page=Article List"), "a")[0]
    assert anchor.attrs["href"] == "https://support.mozilla.org/en-US/kb/article-list"
    assert select(anchor, "img")[0].attrs["alt"] == "test.jpg"


def test_TestWikiImageTags__page_link_caption(site):
    figure = select(image(site, "frame|page=A page|my caption"), "figure")[0]
    anchor = select(figure, "a")[0]
    assert select(anchor, "img")[0].attrs["alt"] == "my caption" and figure.text() == "my caption"
    assert anchor.attrs["href"] == "https://support.mozilla.org/en-US/kb/a-page"


def test_TestWikiImageTags__link(site):
    anchor = select(image(site, "link=http://test.com"), "a")[0]
    assert anchor.attrs["href"] == "http://test.com" and select(anchor, "img")[0].attrs["alt"] == "test.jpg"


def test_TestWikiImageTags__link_caption(site):
    figure = select(image(site, "link=http://ab.us|frame|caption"), "figure")[0]
    assert select(figure, "a")[0].attrs["href"] == "http://ab.us"
    assert select(figure, "img")[0].attrs["src"] == "images/test.jpg"


def test_TestWikiImageTags__link_align(site):
    assert select(image(site, "link=http://site.com|align=left"), "figure")[0].classes == ["image", "align-left"]


def test_TestWikiImageTags__link_align_invalid(site):
    assert "frameless" in select(image(site, "link=http://example.ro|align=inv"), "img")[0].classes


def test_TestWikiImageTags__link_valign(site):
    assert "valign-top" in select(image(site, "link=http://example.com|valign=top"), "img")[0].classes


def test_TestWikiImageTags__link_valign_invalid(site):
    img = select(image(site, "link=http://example.com|valign=off"), "img")[0]
    assert "style" not in img.attrs and not any("valign" in c for c in img.classes)


def test_TestWikiImageTags__alt(site):
    figure = select(image(site, "alt=my alt|frame|my caption"), "figure")[0]
    assert select(figure, "img")[0].attrs["alt"] == "my alt" and figure.text() == "my caption"


def test_TestWikiImageTags__alt_empty(site):
    assert select(image(site, "alt=|my caption"), "img")[0].attrs["alt"] == ""


@pytest.mark.parametrize("alt", ['an"<script>alert()</script>', "an'<script>alert()</script>", "single'\"double"])
def test_TestWikiImageTags__alt_unsafe(site, alt):
    """The alt text is escaped once: a screen reader reads what the author
    wrote (Kitsune escapes twice and reads out "&lt;script&gt;")."""
    html = site(f"[[Image:test.jpg|alt={alt}]]", images=["test.jpg"])
    assert "<script>" not in html
    assert select(parse_html(html), "img")[0].attrs["alt"] == alt


def test_TestWikiImageTags__width(site):
    assert select(image(site, "width=10"), "img")[0].attrs["width"] == "10"


def test_TestWikiImageTags__width_invalid(site):
    assert "width" not in select(image(site, "width=invalid"), "img")[0].attrs


def test_TestWikiImageTags__height(site):
    assert select(image(site, "height=10"), "img")[0].attrs["height"] == "10"


def test_TestWikiImageTags__height_invalid(site):
    assert "height" not in select(image(site, "height=invalid"), "img")[0].attrs


def test_TestWikiImageTags__frame(site):
    figure = select(image(site, "frame|caption"), "figure")[0]
    img = select(figure, "img")[0]
    assert "frameless" not in img.classes
    assert img.attrs["alt"] == "caption" and figure.text() == "caption"
    assert img.attrs["src"] == "images/test.jpg"


def test_TestWikiImageTags__frameless_link(site):
    anchor = select(image(site, "page=Installing Firefox"), "a")[0]
    assert "frameless" in select(anchor, "img")[0].classes
    assert anchor.attrs["href"] == "article-0.html"

