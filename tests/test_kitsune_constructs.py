"""The constructs real SUMO articles use, rendered as SUMO renders them
(docs/kitsune.md gives the rules): in HTML, text and Markdown, losslessly
parsed, and reported by kb check where the author probably erred."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from htmldom import parse_html, select, text_of
from kb.check.runner import check_text
from kb.conditions.config import Config
from kb.conditions.context import Context
from kb.markup import parse
from kb.markup.nodes import For
from kb.render.html import render_html
from kb.render.markdown import render_markdown
from kb.render.text import render_text

HERE = Path(__file__).parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "thunderbird-en-US"
MAC = Context("thunderbird", 128, "mac")
WIN = Context("thunderbird", 128, "win10")


def html(markup: str, context=None, **kwargs) -> str:
    return render_html(parse(markup), context, **kwargs)


def dom(markup: str, context=None):
    return parse_html(html(markup, context))


def ids(markup: str, context=None) -> list[str]:
    """The ids of the headings (the table of contents' own title has none)."""
    return [h.attrs["id"] for h in dom(markup, context).descendants()
            if re.fullmatch(r"h[1-6]", h.tag) and "id" in h.attrs]


def codes(markup: str) -> list[str]:
    return [finding.code for finding in check_text(markup)]


# -- heading ids ------------------------------------------------------------------------------


@pytest.mark.parametrize("markup, expected", [
    ("==A/B test==", "w_ab-test"),
    ("== What's new in 60.9.1? ==", "w_whats-new-in-60-9-1"),
    ("==outlook&#x2E;com accounts==", "w_outlookx2ecom-accounts"),
    ("==See [[Foo|bar]]==", "w_see-foobar"),
    ("==Press {key Ctrl+Q}==", "w_press-ctrl-q"),
    ("==Click {button Save}==", "w_click-save"),
    ("=='''Via the Address Book'''==", "w_via-the-address-book"),
    ("==Read [https://example.com the guide]==", "w_read-the-guide"),
    ("==Caf\u00e9 & co==", "w_cafe-co"),
    ("==\u65e5\u672c\u8a9e==", "w_ri-ben-yu"),
    ("==Change the date/time connector (e.g. from comma to space)==",
     "w_change-the-datetime-connector-e-g-from-comma-to-space"),
    ("==a_b <!-- note -->==", "w_a-b"),
])
def test_heading_ids_are_kitsunes(markup, expected):
    assert ids(markup) == [expected]


def test_duplicate_headings_count_up_with_an_underscore():
    assert ids("=Tools=\n==Tools==\n==Tools==") == ["w_tools", "w_tools_2", "w_tools_3"]


def test_a_for_in_a_heading_leaves_kitsunes_token_in_the_id():
    markup = "{for mac}\nx\n{/for}\n== {for not tb31}Don't ask{/for}{for tb31}Use it{/for} =="
    assert ids(markup)[-1] == "w_1dont-asksf2use-itsf"


def test_ids_are_the_same_in_every_variant():
    """Numbering counts every heading of the article, shown or not, so a link
    to w_tools_2 lands on the same heading whatever the reader's system."""
    markup = "{for win}\n=Tools=\n{/for}\n{for mac}\n=Tools=\n{/for}\n=Tools="
    assert ids(markup) == ["w_tools", "w_tools_2", "w_tools_3"]
    assert ids(markup, MAC) == ["w_tools_2", "w_tools_3"]
    assert ids(markup, WIN) == ["w_tools", "w_tools_3"]


def test_every_corpus_heading_id_is_kitsunes():
    """The ids Kitsune gives every heading of the real articles (recorded
    from py-wikimarkup through bench/kitsune_reference.py)."""
    expected = json.loads((HERE / "fixtures" / "kitsune-heading-ids.json").read_text(encoding="utf-8"))
    mismatched = {}
    for slug, wanted in expected.items():
        got = ids((CORPUS / f"{slug}.wiki").read_text(encoding="utf-8"))
        if got != wanted:
            mismatched[slug] = [(w, g) for w, g in zip(wanted, got) if w != g][:3] or (len(wanted), len(got))
    assert not mismatched
    assert sum(map(len, expected.values())) > 1000


def test_toc_links_use_the_same_ids():
    page = dom("__TOC__\n=A/B=\n=A/B=")
    assert [a.attrs["href"] for a in select(page, "div a")] == ["#w_ab", "#w_ab_2"]


# -- {for} alone on its line, comments removed first ------------------------------------------


def test_a_comment_beside_a_for_keeps_it_a_block_for():
    markup = "Intro\n{for win} <!-- Windows only -->\nWindows text\n\nMore Windows text\n{/for} <!-- end -->\nAfter"
    doc = parse(markup)
    assert doc.to_wikitext() == markup
    assert [f.block for f in doc.find(For)] == [True]
    assert "More Windows text" not in html(markup, MAC)
    assert "More Windows text" in html(markup, WIN)


def test_the_anti_link_comment_still_separates_text():
    assert select(dom("example<!---->.com"), "a") == []


# -- auto-links ----------------------------------------------------------------------------------


@pytest.mark.parametrize("markup, href, label", [
    ("visit example.com today", "http://example.com", "example.com"),
    ("write to jane@example.com.", "mailto:jane@example.com", "jane@example.com"),
    ("see www.mozilla.org/firefox, then", "http://www.mozilla.org/firefox", "www.mozilla.org/firefox"),
    ("(https://example.com/a_(b))", "https://example.com/a_(b)", "https://example.com/a_(b)"),
    ("server mail.argontech.net:", "http://mail.argontech.net", "mail.argontech.net"),
])
def test_bare_domains_and_addresses_are_linked_as_kitsunes_linkifier_does(markup, href, label):
    links = select(dom(markup), "a")
    assert [(a.attrs["href"], a.text()) for a in links] == [(href, label)]


@pytest.mark.parametrize("markup", [
    "example.<i></i>com", "example<!---->.com", "outlook&#x2E;com", "<code>example.com</code>",
    " example.com (preformatted)", "<pre>example.com</pre>", "a file.js and config.json", "version 1.2.3.4",
    "see [[Some article|example.com]]", "[https://a.example example.com]", "<nowiki>example.com</nowiki>",
])
def test_what_the_linkifier_leaves_alone(markup):
    """Authors' tricks, code, preformatted text, file names, version numbers
    and labels of links that go elsewhere: no link to a bare domain."""
    assert [a.attrs["href"] for a in select(dom(markup), "a") if a.attrs["href"].startswith("http://")] == []


def test_autolinks_in_text_and_markdown():
    markup = "Mail jane@example.com or visit example.com."
    assert render_text(parse(markup)).strip() == markup
    md = render_markdown(parse(markup))
    assert "[jane@example.com](mailto:jane@example.com)" in md
    assert "[example.com](http://example.com)" in md


# -- site-relative links ---------------------------------------------------------------------------


def test_site_relative_links_go_to_the_live_site():
    link = select(dom("Ask in the [/questions/thunderbird support forum]."), "a")[0]
    assert link.attrs["href"] == "https://support.mozilla.org/questions/thunderbird"
    assert link.text() == "support forum"
    assert "support forum" in render_text(parse("[/questions/thunderbird support forum]"))
    assert "(https://support.mozilla.org/questions/thunderbird)" in render_markdown(parse("[/questions/thunderbird support forum]"))


def test_site_relative_links_follow_the_configured_live_site():
    config = Config.from_yaml_text("live_site: https://help.example.org/kb/\n")
    link = select(parse_html(html("[/products/thunderbird KB]", config=config)), "a")[0]
    assert link.attrs["href"] == "https://help.example.org/products/thunderbird"


# -- lists ---------------------------------------------------------------------------------------------


def shape(element) -> str:
    kids = [c for c in element.children if not isinstance(c, str)]
    return element.tag + ("(" + " ".join(shape(c) for c in kids) + ")" if kids else "")


@pytest.mark.parametrize("markup, expected", [
    (";* a\n;* b", "dl(dt(ul(li li)))"),
    ("#;* a", "ol(li(dl(dt(ul(li)))))"),
    ("# one\n#;x\n# two", "ol(li(dl(dt)) li)"),
    ("*;y\n* z", "ul(li(dl(dt)) li)"),
])
def test_nested_definition_lists_have_kitsunes_structure(markup, expected):
    page = dom(markup)
    assert shape([c for c in page.children if not isinstance(c, str)][0]) == expected


# -- emphasis inside a link label ---------------------------------------------------------------------------


def test_unbalanced_bold_in_a_link_label_runs_to_the_end_of_the_line():
    markup = "* Configure [https://example.com/send Thunderbird Send'''] for sending large files.\n* Next"
    page = dom(markup)
    assert text_of(page, "a") == "Thunderbird Send"
    assert "for sending large files." in text_of(page, "li strong")
    assert "Next" not in text_of(page, "strong")
    assert "unbalanced-emphasis" in codes(markup)


def test_balanced_bold_in_a_link_label_is_not_reported():
    markup = "Use [https://en.wikipedia.org/wiki/OAuth '''OAuth'''] here."
    assert text_of(dom(markup), "a strong") == "OAuth"
    assert "unbalanced-emphasis" not in codes(markup)


# -- raw block HTML --------------------------------------------------------------------------------------------


def test_block_html_on_the_safelist_is_kept():
    page = dom('<div class="box" id="x" onclick="evil()">one</div>\n<section>two</section>\n'
               '<table border="1"><tr><td colspan="2">three</td></tr></table>\n<p style="color:red">four</p>')
    div = select(page, "div")[0]
    assert div.attrs == {"class": "box", "id": "x"} and div.text() == "one"
    assert text_of(page, "section") == "two"
    assert text_of(page, "table td") == "three" and select(page, "td")[0].attrs == {}
    assert select(page, "p")[-1].attrs == {} and select(page, "p")[-1].text() == "four"
    assert not select(page, "p div") and not select(page, "p section")


def test_block_html_off_the_safelist_is_text():
    page = dom("<form action=x><input name=q></form>")
    assert not select(page, "form") and "<form action=x>" in page.raw_text()


def test_block_html_in_text_and_markdown():
    markup = "<div>one</div><div>two</div>"
    assert render_text(parse(markup)).split() == ["one", "two"]
    assert "one" in render_markdown(parse(markup)) and "<div" not in render_markdown(parse(markup)).replace("\\<", "")


# -- videos -------------------------------------------------------------------------------------------------------


def test_youtube_is_a_poster_link_by_default():
    page = dom("[[Video:https://www.youtube.com/watch?v=dqvnngrxLWo?rel=0]]")
    assert not select(page, "iframe") and not select(page, "img")
    link = select(page, "div.video a")[0]
    assert link.attrs["href"] == "https://www.youtube-nocookie.com/embed/dqvnngrxLWo"
    assert "youtube.com" not in " ".join(str(e.attrs) for e in page.descendants() if e is not link)


def test_youtube_is_embedded_from_the_privacy_enhanced_host_when_allowed():
    page = parse_html(html("[[V:https://youtu.be/ywJ6eQwhb78]]", config=Config.from_yaml_text("embeds: true\n")))
    frame = select(page, "div.video iframe")[0]
    assert frame.attrs["src"] == "https://www.youtube-nocookie.com/embed/ywJ6eQwhb78"


def test_videos_in_text_and_markdown():
    markup = "[[Video:https://www.youtube.com/watch?v=ywJ6eQwhb78]]"
    assert "https://www.youtube-nocookie.com/embed/ywJ6eQwhb78" in render_text(parse(markup))
    assert "](https://www.youtube-nocookie.com/embed/ywJ6eQwhb78)" in render_markdown(parse(markup))


def test_a_missing_video_is_reported(tmp_path):
    from kb.content.library import Library

    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "Here.webm").write_bytes(b"")
    library = Library.load(tmp_path)
    found = [f.code for f in check_text("[[V:Nowhere]] [[V:Here]] [[V:https://youtu.be/abc]]", library=library)]
    assert found == ["missing-video"]


# -- UI components -----------------------------------------------------------------------------------------------


DETAILS = "Intro\n[[UI:details_start]]\n==Windows==\nWindows steps\n==macOS==\n* Mac step\n[[UI:details_end]]\nAfter"


def test_details_sections_collapse_each_heading():
    page = dom(DETAILS)
    section = select(page, "section.details")[0]
    assert [s.text() for s in select(section, "details summary")] == ["Windows", "macOS"]
    assert [h.attrs["id"] for h in select(section, "summary h2")] == ["w_windows", "w_macos"]
    parts = select(section, "details")
    assert "Windows steps" in parts[0].text() and text_of(parts[1], "li") == "Mac step"
    assert [p.text() for p in select(page, "p") if p.parent.tag == "#root"] == ["Intro", "After"]


def test_details_round_trip_and_read_in_text_and_markdown():
    assert parse(DETAILS).to_wikitext() == DETAILS
    text = render_text(parse(DETAILS))
    assert "details_start" not in text and "Windows steps" in text and "Mac step" in text
    md = render_markdown(parse(DETAILS))
    assert '<details markdown="1">' in md and '<summary id="w_windows">Windows</summary>' in md
    assert "details_start" not in md


def test_unclosed_details_and_unknown_components_are_reported():
    assert "unclosed-details" in codes("[[UI:details_start]]\n==A==\ntext")
    assert "unknown-ui-component" in codes("[[UI:fancy_widget]]")
    assert 'The UI component "fancy_widget" does not exist.' in dom("[[UI:fancy_widget]]").text()


# -- image parameters -------------------------------------------------------------------------------------------------


def test_a_bare_last_word_is_the_caption_only_when_framed(tmp_path):
    from kb.content.library import Library
    from kb.render.context import RenderEnv

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.png").write_bytes(b"")
    env = RenderEnv(library=Library.load(tmp_path))
    inline = parse_html(render_html(parse("[[Image:x|my caption]]"), None, env=env))
    assert select(inline, "img")[0].attrs["alt"] == "my caption" and not select(inline, "figure")
    framed = parse_html(render_html(parse("[[Image:x|frame|my caption]]"), None, env=env))
    assert text_of(framed, "figure figcaption") == "my caption"
    flag = parse_html(render_html(parse("[[Image:x|frameless]]"), None, env=env))
    assert select(flag, "img")[0].attrs["alt"] == "x"


# -- template arguments --------------------------------------------------------------------------------------------------


def test_block_markup_in_an_argument_stays_literal_in_every_renderer(tmp_path):
    from kb.content.library import Library
    from kb.render.context import RenderEnv

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "two.wiki").write_text('---\ntitle: "Template:two"\n---\n{{{1}}}\n\n{{{2}}}\n',
                                                     encoding="utf-8")
    env = RenderEnv(library=Library.load(tmp_path))
    doc = parse("[[T:two|* ordered|== not a heading ==]]")
    assert "<ul>" not in render_html(doc, None, env=env) and "<h2" not in render_html(doc, None, env=env)
    assert "* ordered" in render_text(doc, env=env)
    assert "\\* ordered" in render_markdown(doc, env=env)


# -- the real articles ---------------------------------------------------------------------------------------------------


def test_the_corpus_renders_every_construct():
    """No real article shows a construct's source or a placeholder."""
    leftovers = re.compile(r"\[Video:|\[Interactive:|\[\[UI:|\[/(products|questions|kb)/")
    for path in sorted(CORPUS.glob("*.wiki")):
        text = path.read_text(encoding="utf-8")
        for rendered in (html(text), render_text(parse(text)), render_markdown(parse(text))):
            assert not leftovers.search(rendered), path.name


def test_the_site_ships_uploaded_videos_and_plays_them_in_place(tmp_path):
    from kb.site.build import build

    content = tmp_path / "content"
    (content / "videos").mkdir(parents=True)
    (content / "videos" / "Intro.webm").write_bytes(b"\x1aE\xdf\xa3")
    (content / "videos" / "Intro.png").write_bytes(b"\x89PNG")
    (content / "a.wiki").write_text('---\ntitle: "A"\nslug: a\n---\nWatch:\n\n[[V:Intro]]\n', encoding="utf-8")
    out = tmp_path / "site"
    build(tmp_path, out)
    assert (out / "videos" / "Intro.webm").read_bytes() == b"\x1aE\xdf\xa3"
    page = parse_html((out / "articles" / "a.html").read_text(encoding="utf-8"))
    video = select(page, "div.video video")[0]
    assert video.attrs["preload"] == "none" and video.attrs["poster"].endswith("videos/Intro.png")
    assert select(video, "source")[0].attrs["src"].endswith("videos/Intro.webm")
