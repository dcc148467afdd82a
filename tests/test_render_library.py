"""The content library renderers look things up in, and template expansion."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.content.articles import article_from_text
from kb.content.expansion import Expansions
from kb.content.library import Library
from kb.errors import KbError
from kb.markup import parse
from kb.markup.nodes import Template
from kb.render.context import RenderEnv
from kb.render.html import render_html

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = Path(__file__).parent / "golden" / "html" / "library"


def article(path: str, text: str):
    return article_from_text(text, Path(path))


def test_the_project_content_loads_articles_templates_but_not_codes():
    library = Library.load(ROOT / "content")
    assert [a.slug for a in library.articles] == ["what-do-security-warning-codes-mean"]
    assert library.template("profileFolder") is not None
    assert library.template("closeFirefox") is not None
    assert all(a.path.suffix in (".wiki", ".md") for a in library.articles)


def test_templates_of_the_project_are_one_line_so_they_render_inline():
    for template in Library.load(ROOT / "content").templates:
        assert "\n" not in template.body.rstrip(), template.path


def test_titles_are_compared_like_mediawiki():
    library = Library.load(LIBRARY)
    found = library.article_by_title("Linked article")
    assert found is not None
    for spelling in ("linked article", "Linked_article", "  Linked   article ", "LINKED ARTICLE"):
        assert library.article_by_title(spelling) is found
    assert library.article_by_slug("linked-article") is found
    assert library.article_by_title("Linked") is None


def test_template_names_with_or_without_prefix():
    library = Library.load(LIBRARY)
    assert library.template("greet") is library.template("Template:greet") is library.template("Greet")
    assert library.template("nope") is None


def test_articles_are_sorted_by_slug():
    library = Library.load(LIBRARY)
    assert [a.slug for a in library.articles] == sorted(a.slug for a in library.articles)


def test_images_by_stem_or_name_case_insensitively():
    library = Library.load(LIBRARY)
    logo = LIBRARY / "images" / "Logo.png"
    for name in ("Logo", "logo", "Logo.png", "LOGO.PNG", " Logo "):
        assert library.image_path(name) == logo
    assert library.image_path("tb_archive_mail") == LIBRARY / "images" / "tb archive mail.png"
    assert library.image_path("Logo.jpg") is None


@pytest.mark.parametrize("name", ["../../etc/passwd", "../images/Logo.png", "images/Logo.png", "/etc/passwd",
                                  "..\\Logo.png", "Logo.png\0", "..", "C:\\Logo.png", ""])
def test_image_names_never_leave_the_images_folder(name):
    assert Library.load(LIBRARY).image_path(name) is None


def test_a_symlink_out_of_the_images_folder_is_not_an_image(tmp_path):
    (tmp_path / "images").mkdir()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"x")
    (tmp_path / "images" / "link.png").symlink_to(secret)
    assert Library.load(tmp_path).image_path("link") is None


def test_duplicate_slugs_and_titles_name_both_files():
    a = article("a.wiki", "---\ntitle: A\nslug: same\n---\nx")
    b = article("b.wiki", "---\ntitle: B\nslug: same\n---\ny")
    with pytest.raises(KbError, match=r"a\.wiki and b\.wiki .*slug"):
        Library.from_articles([a, b])
    c = article("c.wiki", "---\ntitle: Same title\n---\nx")
    d = article("d.wiki", "---\ntitle: same_title\n---\ny")
    with pytest.raises(KbError, match=r"c\.wiki and d\.wiki .*title"):
        Library.from_articles([c, d])


def test_a_template_title_needs_its_prefix():
    bad = article("templates/x.wiki", "---\ntitle: x\n---\nbody")
    with pytest.raises(KbError, match="Template:"):
        Library.from_articles([], [bad])


def test_missing_content_folder_is_a_clear_error(tmp_path):
    with pytest.raises(KbError, match="no such content folder"):
        Library.load(tmp_path / "nowhere")


# -- expansion ---------------------------------------------------------------------------------


def make_env(*templates: tuple[str, str]) -> RenderEnv:
    return RenderEnv(library=Library.from_articles(
        [], [article(f"templates/{name}.wiki", f'---\ntitle: "Template:{name}"\n---\n{body}')
             for name, body in templates]))


def test_parameters_are_numbered_like_kitsune():
    env = make_env(("t", "{{{1}}}:{{{2}}}:{{{k}}}:{{{10}}}:{{{none}}}."))
    assert render_html(parse("[[T:t|a|k=v|b|10=ten]]"), None, env=env) == "<p>a:b:v:ten:.</p>\n"


def test_arguments_are_parsed_as_markup_after_substitution():
    env = make_env(("t", "Press {{{1}}}."))
    assert render_html(parse("[[T:t|'''now''']]"), None, env=env) == "<p>Press <strong>now</strong>.</p>\n"


def test_expansions_are_parsed_once_per_arguments():
    env = make_env(("t", "x {{{1}}}"))
    render_html(parse("[[T:t|a]] [[T:t|a]] [[T:t|b]] [[T:t|a]]"), None, env=env)
    assert len(env.expansions) == 2


def test_inline_only_when_the_body_is_one_paragraph_line():
    env = make_env(("inline", "one line"), ("multi", "line one\nline two"), ("item", "* an item"))
    assert render_html(parse("a [[T:inline]] b"), None, env=env) == "<p>a one line b</p>\n"
    assert render_html(parse("a [[T:multi]] b"), None, env=env) == \
        "<p>a</p>\n<p>line one\nline two</p>\n<p>b</p>\n"
    assert "<ul>" in render_html(parse("a [[T:item]] b"), None, env=env)


def test_diagnostics_inside_a_template_name_its_file_and_line():
    env = make_env(("pic", "first line\n[[Image:nowhere]]"))
    render_html(parse("[[T:pic]]"), None, env=env)
    (diag,) = env.diagnostics
    assert diag.code == "missing-image"
    assert diag.file == str(Path("templates/pic.wiki"))
    assert (diag.line, diag.column) == (5, 1)  # the template file's own line (after front matter)


def test_diagnostics_are_not_repeated_when_a_template_is_used_twice():
    env = make_env(("pic", "[[Image:nowhere]]"))
    render_html(parse("[[T:pic]] [[T:pic]]"), None, env=env)
    assert len(env.diagnostics) == 1


def test_an_article_including_itself_stops_at_once():
    loop = article("loop.wiki", "---\ntitle: Loop\n---\nbefore [[I:Loop]] after")
    env = RenderEnv(library=Library.from_articles([loop]))
    html = render_html(loop.doc, None, env=env)
    assert html.count("before") == 1 and 'Recursive inclusion of "Loop"' in html


def test_the_expander_gives_stable_documents_and_reports_nothing():
    env = make_env(("t", "x [[T:t]]"), ("u", "{{{1}}}"))
    expand = env.expander()
    node = parse("[[T:t]]").first(Template)
    body = expand(node)
    assert body is expand(node)  # same object: a walk can stop recursion by identity
    assert expand(parse("[[T:missing]]").children[0].children[0]) is None
    assert env.diagnostics == []
    assert Expansions(Library.load(LIBRARY)).expander()(parse("[[T:greet|a]]").children[0].children[0]) is not None
