"""``kb convert``: a wiki article as Markdown that reads back to the same
content for every variant (the seed and every Thunderbird corpus article)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.cli.convert_cmd import convert_doc, convert_file
from kb.conditions.variants import variants
from kb.content.articles import read_article
from kb.content.library import Library
from kb.markup import parse
from kb.markup.markdown import parse_markdown
from kb.render.context import RenderEnv
from kb.render.text import render_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "security-warning-codes.wiki"
CORPUS = ROOT.parent / "shared" / "corpus" / "thunderbird-en-US"
CORPUS_FILES = sorted(CORPUS.glob("*.wiki"))


def test_the_whole_corpus_is_converted():
    assert len(CORPUS_FILES) == 193


def _assert_same_for_every_variant(path: Path, product: str) -> None:
    article = read_article(path)
    doc = article.doc
    back = parse_markdown(convert_doc(doc))
    found = variants(doc, product)
    assert [v.slug for v in variants(back, product)] == [v.slug for v in found]
    for variant in found:
        ctx = variant.representative
        assert render_text(back, ctx) == render_text(doc, ctx), f"{path.name}: {variant.label}"


def test_seed_converts_to_the_same_text_for_every_variant():
    _assert_same_for_every_variant(SEED, "firefox")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_article_converts_to_the_same_text_for_every_variant(path):
    _assert_same_for_every_variant(path, "thunderbird")


GOLDEN = sorted((ROOT / "tests" / "golden" / "parse").glob("*.wiki"))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_parser_fixture_converts_to_the_same_text_for_every_variant(path):
    _assert_same_for_every_variant(path, "firefox")


_PIECES = ["text ", "more words ", "\n", "\n\n", "* ", "# ", "** ", "#* ", ";", ":", "=H=\n", "==Sub==\n",
           "{for mac}", "{for fx66}", "{for not fx66,win}", "{/for}", "{for mac}\n", "\n{/for}\n", "{note}",
           "{/note}", "{warning}", "{/warning}", "{button OK}", "{menu {for win}Options{/for}{for mac}Prefs{/for}}",
           "{key Ctrl+Q}", "'''b'''", "''i''", "[[Art|label]]", "[[Art]]", "[https://x.org/a_b lbl]",
           "https://y.org/p", "[[Image:pic|alt=A]]", "[[T:tmpl]]", "<br>", "<code>c</code>", "<!-- c -->", "*", "_",
           "`", "\\", "|", "1. ", "- ", "&amp;", "<nowiki>''x''</nowiki>", " pre line\n", "----\n", "__TOC__\n",
           "{|\n| a || b\n|}\n", "!", "[", "]", "{", "}", "#", ">", ":::", "!!! note"]


@settings(max_examples=250, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14).map("".join))
def test_any_wiki_text_converts_to_the_same_text_for_every_variant(text):
    doc = parse(text)
    back = parse_markdown(convert_doc(doc))
    for variant in variants(doc, "firefox"):
        ctx = variant.representative
        assert render_text(back, ctx) == render_text(doc, ctx), variant.label


@pytest.mark.parametrize("text", [
    "<pre>a &amp;lt; *b* `c` <i>d</i> [e](f)\n\n  g\t</pre>\n\n code ```x``` & <b>y</b>\n",
    "[[T:greet|<b>bold</b> <img src=x onerror=alert(1)> <script>x</script> [y](javascript:z)"
    "|who=<!--><script>c</script>--> <nowiki><i>n</i></nowiki>]]",
    "{|\n| a\n <b>pre</b> <script>x</script>\n|-\n| [r]: javascript:x [y](javascript:z) **b**{button k=v}\n|}",
    "'''b'''{for mac onclick=alert(1)}x{/for} {button a=b} {key Ctrl=Q} <img src=x onerror=alert(1) alt=A>",
], ids=["code", "template arguments", "wiki table", "attributes"])
def test_what_convert_makes_inert_reads_back_the_same(text):
    """kb convert writes raw HTML, links and attribute lists in sources so
    that no Markdown engine acts on them, without changing what kb reads."""
    env = RenderEnv(library=Library.load(ROOT / "tests" / "golden" / "html" / "library"))
    doc = parse(text)
    back = parse_markdown(convert_doc(doc))
    for variant in variants(doc, "firefox"):
        ctx = variant.representative
        assert render_text(back, ctx, env=env) == render_text(doc, ctx, env=env), variant.label


def test_converted_seed_keeps_sources_not_renderings():
    markdown = convert_file(SEED)
    assert markdown.startswith("---\ntitle: \"What do the security warning codes mean?\"\n")
    assert ":::: for fx66" in markdown and "::: for not fx66" in markdown
    assert "{for win} (double-click the clock icon on the Windows Taskbar){/for}" in markdown
    assert "[[T:profileFolder]]" in markdown and "[[Image:Fx66Warning-SecurityRisk]]" in markdown
    assert "[[How to troubleshoot time related errors on secure websites]]" in markdown
    assert "{button Advanced}" in markdown and "[TOC]" in markdown
    assert "{warning}**Warning\\!** Do not proceed" in markdown  # an inline callout stays inline


def test_converted_seed_is_a_markdown_article_with_the_same_code_pages(tmp_path):
    """In a content folder, the Markdown seed gives every code the page the
    wiki seed gives it."""
    from kb.project import Project

    content = tmp_path / "content"
    content.mkdir()
    for name in ("codes.yaml", "templates", "images"):
        source = ROOT / "content" / name
        if source.is_dir():
            shutil.copytree(source, content / name)
        elif source.is_file():
            shutil.copy(source, content / name)
    if (ROOT / "kb.yaml").is_file():
        shutil.copy(ROOT / "kb.yaml", tmp_path / "kb.yaml")
    (content / "security-warning-codes.md").write_text(convert_file(SEED), encoding="utf-8")
    wiki_kb, md_kb = Project.load(ROOT).knowledge, Project.load(tmp_path).knowledge
    assert md_kb.library.article_by_slug("what-do-security-warning-codes-mean").format == "markdown"
    for entry in wiki_kb.registry.entries:
        wiki_page, md_page = wiki_kb.page(entry), md_kb.page(entry)
        assert (wiki_page is None) == (md_page is None), entry.code
        if wiki_page is None:
            continue
        found = wiki_page.variants("firefox")
        assert [v.slug for v in md_page.variants("firefox")] == [v.slug for v in found], entry.code
        for variant in found:
            ctx = variant.representative
            assert (render_text(md_page.doc_for(ctx), ctx, env=md_kb.render_env())
                    == render_text(wiki_page.doc_for(ctx), ctx, env=wiki_kb.render_env())), (entry.code, variant.label)


# -- the command ---------------------------------------------------------------------------


def _kb(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    kb = shutil.which("kb") or str(Path(sys.executable).parent / "kb")
    return subprocess.run([kb, "convert", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_cli_prints_markdown(tmp_path):
    result = _kb(str(SEED), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == convert_file(SEED)
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_the_output_file_only(tmp_path):
    source = tmp_path / "article.wiki"
    source.write_text("=Title=\n{for mac}Mac only{/for} text with {key Ctrl+Q}.\n", encoding="utf-8")
    result = _kb(str(source), "-o", str(tmp_path / "article.md"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    written = (tmp_path / "article.md").read_text(encoding="utf-8")
    assert written == "# Title\n\n{for mac}Mac only{/for} text with {key Ctrl+Q}.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.md", "article.wiki"]


def test_cli_refuses_to_overwrite_its_input(tmp_path):
    source = tmp_path / "article.wiki"
    source.write_text("Text\n", encoding="utf-8")
    result = _kb(str(source), "-o", str(source), cwd=tmp_path)
    assert result.returncode == 2
    assert "input" in result.stderr and source.read_text(encoding="utf-8") == "Text\n"


@pytest.mark.parametrize("make, status", [
    (lambda d: d / "missing.wiki", 1),
    (lambda d: (d / "bad.wiki").write_bytes(b"\xff\xfe bad") and d / "bad.wiki", 1),
    (lambda d: (d / "a.md").write_text("x") and d / "a.md", 2),
])
def test_cli_errors(tmp_path, make, status):
    result = _kb(str(make(tmp_path)), cwd=tmp_path)
    assert result.returncode == status, result.stderr
    assert result.stderr.startswith("kb convert: ") and "Traceback" not in result.stderr


def test_cli_usage_error_exits_2(tmp_path):
    result = _kb(cwd=tmp_path)
    assert result.returncode == 2
