"""The MkDocs plugin: the example site builds with ``--strict`` (default
theme and Material) and its pages hold the tailored content."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE = "SEC_ERROR_EXPIRED_CERTIFICATE"
SECTION = re.compile(r"<section\b([^>]*)>(.*?)</section>", re.DOTALL)


def _mkdocs(config: Path, site: Path) -> subprocess.CompletedProcess:
    mkdocs = shutil.which("mkdocs") or str(Path(sys.executable).parent / "mkdocs")
    return subprocess.run([mkdocs, "build", "--strict", "-f", str(config), "--site-dir", str(site)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module", params=["mkdocs.yml", "mkdocs-material.yml"])
def site(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp(request.param.replace(".", "-")) / "site"
    result = _mkdocs(ROOT / request.param, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _page(site: Path, path: str) -> str:
    for candidate in (site / path / "index.html", site / (path + ".html")):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise AssertionError(f"{path} was not built")


def _sections(page: str) -> dict[str, tuple[bool, str]]:
    """data-variant → (hidden, inner HTML) of every variant section."""
    out = {}
    for m in SECTION.finditer(page):
        attrs = m.group(1)
        slug = re.search(r'data-variant="([^"]+)"', attrs)
        if slug and re.search(r'class="[^"]*\bvariant\b', attrs):
            out[slug.group(1)] = (bool(re.search(r"\shidden\b", attrs)), m.group(2))
    return out


def test_the_site_has_the_knowledge_base(site):
    assert (site / "index.html").is_file()
    index = _page(site, "kb")
    assert 'id="codes-table"' in index and 'id="code-search"' in index
    assert f'data-code="{CODE}"' in index
    assert f'href="codes/{CODE}/"' in index
    assert (site / "kb" / "codes" / CODE / "index.html").is_file()
    assert (site / "kb" / "articles" / "what-do-security-warning-codes-mean" / "index.html").is_file()
    assert (site / "kb" / "assets" / "kb.js").read_text(encoding="utf-8").startswith("/*")
    assert "kb/assets/kb.js" in _page(site, "") or "kb.js" in index


def test_code_page_shows_the_default_variant_with_a_picker(site):
    page = _page(site, f"kb/codes/{CODE}")
    sections = _sections(page)
    assert len(sections) > 1
    shown = [slug for slug, (hidden, _) in sections.items() if not hidden]
    assert len(shown) == 1
    data = json.loads(re.search(r'<script[^>]*id="kb-page-data"[^>]*>(.*?)</script>', page, re.DOTALL).group(1))
    assert data["kind"] == "code" and data["default_variant"] == shown[0]
    assert {v["slug"] for v in data["variants"]} == set(sections)
    assert re.search(r'<form[^>]*\sid="variant-picker"', page) and re.search(r'<select[^>]*\sid="pick-os"', page)
    assert "../../assets/kb.js" in page
    assert "&lt;select" not in page  # the form is HTML, not shown as code


def test_code_page_is_tailored(site):
    sections = _sections(_page(site, f"kb/codes/{CODE}"))
    windows = [html for slug, (_, html) in sections.items() if slug.endswith("-win")]
    mac = [html for slug, (_, html) in sections.items() if slug.endswith("-mac")]
    assert windows and mac
    assert all("Windows Taskbar" in html for html in windows)
    assert not any("Taskbar" in html for html in mac)
    default = next(html for hidden, html in sections.values() if not hidden)
    assert "Windows Taskbar" in default  # auto: the usual reader, on Windows
    assert "The certificate expired on" in default
    assert "{for" not in default and ":::" not in default


def test_notes_and_warnings_are_admonitions(site):
    page = _page(site, "kb/articles/what-do-security-warning-codes-mean")
    assert re.search(r'<div class="admonition warning"', page)
    assert re.search(r'<div class="admonition note"', page)
    code_page = _page(site, f"kb/codes/{CODE}")
    assert 'class="admonition' in code_page


def test_table_of_contents_lists_the_default_variant_only(site):
    page = _page(site, f"kb/codes/{CODE}")
    toc_links = set(re.findall(r'<a href="#([^"]+)"[^>]*class="(?:nav-link|md-nav__link)"', page))
    toc_links |= set(re.findall(r'class="md-nav__link"[^>]*href="#([^"]+)"', page))
    hidden_ids, shown_ids = set(), set()
    for hidden, html in _sections(page).values():
        (hidden_ids if hidden else shown_ids).update(re.findall(r'<h\d id="([^"]+)"', html))
    assert hidden_ids and shown_ids
    assert not toc_links & hidden_ids
    if "md-nav__link" not in page:  # the default theme shows the page's TOC in its sidebar
        assert shown_ids <= toc_links


def test_plugin_options_product_variant_prefix(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Options\n"
        f"docs_dir: {ROOT / 'docs-site'}\n"
        "plugins:\n"
        "  - kb:\n"
        f"      content: {ROOT / 'content'}\n"
        "      product: firefox\n"
        "      variant: fx60 mac\n"
        "      prefix: help/\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    result = _mkdocs(config, tmp_path / "site")
    # docs-site/index.md links to kb/index.md, which now lives at help/.
    assert result.returncode != 0 and "kb/index.md" in result.stdout + result.stderr
    docs = tmp_path / "docs"
    (docs / "index.md").write_text("# Home\n\nSee [the codes](help/index.md).\n", encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace(str(ROOT / "docs-site"), str(docs)), encoding="utf-8")
    result = _mkdocs(config, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    sections = _sections(_page(tmp_path / "site", f"help/codes/{CODE}"))
    shown = [slug for slug, (hidden, _) in sections.items() if not hidden]
    assert shown == ["fx58-65-mac"] or (len(shown) == 1 and shown[0].endswith("mac"))
    assert not (tmp_path / "site" / "kb").exists()


def test_unknown_product_is_a_plugin_error(tmp_path):
    config = tmp_path / "mkdocs.yml"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config.write_text("site_name: X\nplugins:\n  - kb:\n"
                      f"      content: {ROOT / 'content'}\n      product: netscape\n", encoding="utf-8")
    result = _mkdocs(config, tmp_path / "site")
    assert result.returncode != 0 and "unknown product 'netscape'" in result.stdout + result.stderr


def test_serve_watches_the_content():
    from kb.site.mkdocs_plugin import KBPlugin

    class Server:
        def __init__(self):
            self.watched = []

        def watch(self, path, func=None, recursive=True):
            self.watched.append(path)

    plugin = KBPlugin()
    plugin.content_dir, plugin.root = ROOT / "content", ROOT
    server = Server()
    assert plugin.on_serve(server, config=None, builder=None) is server
    assert str(ROOT / "content") in server.watched


# -- hostile content: nothing in an article runs on any page of the site ---------------------------------

HOSTILE_TITLES = ['x"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "A & B <c> 'd' \"e\""]
#: Where a payload stands in a hostile article ("PAYLOAD" is replaced).
HOSTILE_SHAPE = ("== PAYLOAD ==\nPAYLOAD\n\n{note}\nPAYLOAD\n{/note}\n\n{warning}PAYLOAD{/warning}\n\n"
                 "* PAYLOAD\n\n{|\n| PAYLOAD\n|}\n\n{for mac}\nPAYLOAD\n{/for}\n\n[[T:echo|PAYLOAD]]\n")


def _hostile_payloads() -> list[str]:
    """The payloads aimed at Markdown engines (the end of tests/fixtures/xss.txt)."""
    lines = (Path(__file__).parent / "fixtures" / "xss.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("# -- read by Markdown engines"))
    return ["<img src=x onerror=alert(1)>"] + [
        line.replace("\\n", "\n").replace("\\t", "\t") for line in lines[start + 1:] if line and not line.startswith("#")]


@pytest.fixture(scope="module", params=["mkdocs.yml", "mkdocs-material.yml"])
def hostile_site(request, tmp_path_factory) -> Path:
    """The example site with articles whose titles and bodies are attacks."""
    project = tmp_path_factory.mktemp("hostile-" + request.param.replace(".", "-"))
    shutil.copytree(ROOT / "docs-site", project / "docs-site")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / request.param, project / request.param)
    content = project / "content"
    (content / "templates" / "echo.wiki").write_text('---\ntitle: "Template:echo"\n---\n{{{1}}}\n', encoding="utf-8")
    for i, title in enumerate(HOSTILE_TITLES):
        (content / f"title-{i}.wiki").write_text(f"---\ntitle: {json.dumps(title)}\nslug: title-{i}\n---\nHello.\n",
                                                 encoding="utf-8")
    for i, payload in enumerate(_hostile_payloads()):
        (content / f"payload-{i}.wiki").write_text(
            f"---\ntitle: Payload {i}\nslug: payload-{i}\n---\n" + HOSTILE_SHAPE.replace("PAYLOAD", payload),
            encoding="utf-8")
    mkdocs = shutil.which("mkdocs") or str(Path(sys.executable).parent / "mkdocs")
    result = subprocess.run([mkdocs, "build", "-f", str(project / request.param), "--site-dir", str(project / "site")],
                            cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _active(page: str) -> list[str]:
    """What on a built page (theme included) could run an attacker's code:
    a script that is not the theme's or kb's, an event handler, a script
    URL, an embedded document. (Themes ship their own <script>s and forms.)"""
    found = []
    tree = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rpartition("}")[2]
        if tag == "script" and ("alert" in "".join(element.itertext()) or "evil" in element.get("src", "")):
            found.append("<script> of the article")
        if tag in ("iframe", "object", "embed", "base") or (tag == "meta" and element.get("http-equiv") == "refresh"):
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.rpartition("}")[2].lower()
            if re.fullmatch(r"on[a-z]+", name) or name == "srcdoc":
                found.append(f"{name} on <{tag}>")
            squeezed = re.sub(r"[\s\x00-\x20]", "", value).lower()
            if name in ("href", "src", "action", "formaction", "data") and \
                    squeezed.startswith(("javascript:", "vbscript:", "data:text")):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


def test_no_article_runs_anything_on_any_page(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > len(_hostile_payloads())
    found = {str(p.relative_to(hostile_site)): _active(p.read_text(encoding="utf-8")) for p in pages}
    assert {page: problems for page, problems in found.items() if problems} == {}


def _link_texts(tree, href: str) -> list[str]:
    return [" ".join("".join(a.itertext()).split()) for a in tree.iter("a") if a.get("href") == href]


def test_titles_show_as_written(hostile_site):
    """A title is text in the navigation, the page's <title> and heading,
    Material's header: neither markup nor escaped twice."""
    index = html5lib.parse(_page(hostile_site, "kb"), treebuilder="etree", namespaceHTMLElements=False)
    for i, title in enumerate(HOSTILE_TITLES):
        links = _link_texts(index, f"articles/title-{i}/")
        assert len(links) >= 2 and set(links) == {title}  # the navigation and the list of articles
        page = html5lib.parse(_page(hostile_site, f"kb/articles/title-{i}"), treebuilder="etree",
                              namespaceHTMLElements=False)
        assert page.find(".//title").text.startswith(title)
        assert set(_link_texts(page, "./")) == {title}  # the navigation's own entry
        assert title in {"".join(h.itertext()).rstrip("¶") for h in page.iter("h1")}
        topics = [" ".join("".join(e.itertext()).split()) for e in page.iter()
                  if "md-header__topic" in e.get("class", "")]
        assert not topics or title in topics  # Material's header
