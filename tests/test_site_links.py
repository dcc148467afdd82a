"""Kitsune's site-relative links, ``[/products/thunderbird label]``: a page
of the live site by its path (py-wikimarkup's bracketed links accept a
leading "/"), in every output and through Markdown and back."""

from __future__ import annotations

from pathlib import Path

from kb.markup import nodes as n
from kb.markup import parse
from kb.markup.markdown import parse_markdown
from kb.render.registry import render

SOURCE = "Ask in the [/questions/thunderbird ''support'' forum] or browse [/products/thunderbird]."
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "thunderbird-en-US"


def test_parsed_with_its_path_and_label_losslessly():
    doc = parse(SOURCE)
    assert doc.to_wikitext() == SOURCE
    links = doc.find(n.SiteLink)
    assert [link.path for link in links] == ["/questions/thunderbird", "/products/thunderbird"]
    assert links[0].text_content() == "support forum" and not links[1].children


def test_links_to_the_path_on_the_live_site():
    html = render("html", parse(SOURCE))
    assert '<a href="https://support.mozilla.org/questions/thunderbird" class="external-article">' \
           "<em>support</em> forum</a>" in html
    assert ">/products/thunderbird</a>" in html  # no label: the path shows
    assert "support forum (https://support.mozilla.org/questions/thunderbird)" in render("text", parse(SOURCE))
    assert "[*support* forum](https://support.mozilla.org/questions/thunderbird)" in render("markdown", parse(SOURCE))


def test_not_a_link_without_a_closing_bracket_on_its_line():
    doc = parse("[/questions/thunderbird forum\n]")
    assert not doc.find(n.SiteLink)


def test_kb_convert_keeps_it_and_markdown_reads_it_back():
    markdown = render("wiki-markdown", parse(SOURCE))
    assert "[/questions/thunderbird *support* forum]" in markdown and "[/products/thunderbird]" in markdown
    back = parse_markdown(markdown)
    assert [link.path for link in back.find(n.SiteLink)] == ["/questions/thunderbird", "/products/thunderbird"]
    assert render("text", back) == render("text", parse(SOURCE))


def test_the_corpus_faq_links_to_the_forum():
    doc = parse((CORPUS / "thunderbird-faq.wiki").read_text(encoding="utf-8"))
    html = render("html", doc)
    assert 'href="https://support.mozilla.org/questions/thunderbird"' in html
    assert "[/questions/thunderbird" not in html
