"""Terminal text: what a reader of ``kb preview`` sees."""

from __future__ import annotations

from pathlib import Path

from kb.conditions.context import Context
from kb.content.library import Library
from kb.markup import parse
from kb.render.context import RenderEnv
from kb.render.text import render_text

LIBRARY = Path(__file__).parent / "golden" / "html" / "library"
MAC = Context("firefox", 60, "mac")


def text(source: str, context=MAC, **kwargs) -> str:
    return render_text(parse(source), context, **kwargs)


def test_headings_are_underlined_by_level():
    assert text("=Title=\n==Section==\n===Sub===") == (
        "Title\n=====\n\nSection\n-------\n\nSub\n~~~\n")


def test_color_makes_headings_bold_and_nothing_else():
    out = text("=Title=\nbody", color=True)
    assert out == "\x1b[1mTitle\x1b[0m\n=====\n\nbody\n"


def test_paragraphs_wrap_to_the_width():
    out = text("word " * 40, width=30)
    assert all(len(line) <= 30 for line in out.splitlines())
    assert " ".join(out.split()) == " ".join(["word"] * 40)


def test_key_caps_and_links_are_never_broken():
    out = text("Press {key Ctrl+Page Down} now " + "filler " * 8 + "{key Ctrl+Page Down}", width=24)
    assert out.count("[Ctrl]+[Page Down]") == 2


def test_numbered_lists_count_and_nest():
    out = text("# one\n# two\n#* bullet\n#*# deep\n# three")
    assert out == "1. one\n2. two\n   • bullet\n     1. deep\n3. three\n"


def test_a_wrapped_list_item_keeps_its_indent():
    out = text("# " + "long " * 12, width=30)
    lines = out.splitlines()
    assert lines[0].startswith("1. long") and all(line.startswith("   long") for line in lines[1:])


def test_definition_lists_indent_definitions():
    assert text(";Term\n:Definition\n::Deeper") == "Term\n    Definition\n        Deeper\n"


def test_notes_and_warnings_are_ruled_and_labelled_once():
    assert text("{note}Mind this.{/note}") == "│ Note: Mind this.\n"
    assert text("{note}'''Note:''' Mind this.{/note}") == "│ Note: Mind this.\n"
    assert text("{note}note the date{/note}") == "│ Note: note the date\n"
    assert text("{warning}Careful.\n\n* a\n{/warning}") == "│ Warning: Careful.\n│\n│ • a\n"
    assert text("{note}\n* first\n{/note}") == "│ Note:\n│ • first\n"


def test_ui_labels():
    out = text("Click {button Advanced}, {menu Help}, open {filepath cert9.db} and set {pref a.b}. "
               "Press {key Ctrl+Shift+Q}.")
    assert out == 'Click "Advanced", "Help", open cert9.db and set a.b. Press [Ctrl]+[Shift]+[Q].\n'


def test_links_show_their_url_only_when_it_adds_something():
    out = text("[https://example.com/ https://example.com/] [https://example.com/a docs] https://x.example/b")
    assert out == "https://example.com/ docs (https://example.com/a) https://x.example/b\n"


def test_internal_links_point_to_the_live_site_unless_told_otherwise():
    env = RenderEnv(library=Library.load(LIBRARY))
    assert text("[[Linked article]] [[Gone|here]] [[#w_local-part]]", env=env, width=200) == (
        "Linked article (https://support.mozilla.org/en-US/kb/linked-article) "
        "here (https://support.mozilla.org/en-US/kb/gone) local part\n")
    env = RenderEnv(library=Library.load(LIBRARY), link_url=lambda a: f"/kb/{a.slug}")
    assert text("[[Linked article|it]]", env=env) == "it (/kb/linked-article)\n"


def test_images_and_embeds():
    env = RenderEnv(library=Library.load(LIBRARY))
    assert text("[[Image:Logo|alt=The logo]] [[Image:gone]] [[V:intro]]", env=env) == (
        '[Image: The logo] [Image: gone] [The video "intro" does not exist.]\n')
    assert text("[[Image:Logo|frame|The caption]]", env=env) == "[Image: The caption]\n"


def test_tables_align_their_columns():
    out = text("{|\n! Name !! Value\n|-\n| a || long value\n|-\n| longer name || v\n|}")
    assert out == ("Name         Value\n"
                   "-----------  ----------\n"
                   "a            long value\n"
                   "longer name  v\n")


def test_templates_are_expanded_inline():
    env = RenderEnv(library=Library.load(LIBRARY))
    assert text("# [[T:greet|Ann|who=Bob]]\n# [[T:osName]]", env=env) == "1. Hello Ann, Bob and !\n2. macOS\n"
    assert text("[[T:missing]]", env=env) == '[The template "missing" does not exist.]\n'


def test_all_variants_are_marked():
    out = text("{for mac}\nMac text\n{/for}\nInline {for win,  linux}pc{/for}.", context=None)
    assert out == "[For: mac]\nMac text\n[/For]\n\nInline [For: win, linux]pc[/For].\n"


def test_the_table_of_contents_lists_what_the_reader_sees():
    out = text("__TOC__\n=A=\n{for win}\n==Win==\n{/for}\n{for mac}\n==Mac==\n{/for}")
    assert out.startswith("Contents\n  • A\n    • Mac\n\nA\n=\n")


def test_content_cannot_write_control_characters():
    out = text("red \x1b[31m text\x07 and\x00 nul\r\nnext")
    assert "\x1b" not in out and "\x07" not in out and "\x00" not in out and "\r" not in out


def test_preformatted_text_is_indented_and_kept():
    assert text(" code {for mac}x{/for}\n  more") == "    code {for mac}x{/for}\n     more\n"


def test_no_markup_is_left_over_but_nowiki_is_shown_as_written():
    source = "'''Bold''' ''it'' {button B} {key K} [[Linked]] {note}n{/note} <i>i</i> <nowiki>''</nowiki>"
    assert text(source, width=200) == (
        'Bold it "B" [K] Linked (https://support.mozilla.org/en-US/kb/linked)\n\n'
        "│ Note: n\n\n"
        "i ''\n")
