"""Every payload of tests/fixtures/xss.txt, through every renderer, with and
without a reader, must come out inert. Markdown output must stay inert once
read by every Markdown engine a user would give it to; what comes out is
judged by a real HTML parser (html5lib, which parses as browsers do)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import html5lib
import markdown as python_markdown
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.container import container_plugin
from mkdocs.config import load_config

from kb.cli.convert_cmd import convert_doc
from kb.conditions.context import Context
from kb.content.library import Library
from kb.markup import parse
from kb.render.context import RenderEnv
from kb.render.html import render_html
from kb.render.markdown import render_markdown
from kb.render.text import render_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "xss.txt"
LIBRARY = Path(__file__).parent / "golden" / "html" / "library"
FORBIDDEN_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "svg", "math",
                      "meta", "base", "link", "form", "template", "noscript", "xmp", "plaintext", "noembed"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset",
                  "codebase", "cite", "longdesc", "usemap", "ping"}
SAFE_URL = re.compile(r"^(?:https?:|mailto:|#|[^:]*$)")
#: Every HTML event handler is "on" and lower-case letters (an attribute a
#: Markdown extension names "onclick_x_alert_1_" runs nothing).
EVENT_HANDLER = re.compile(r"on[a-z]+")
READERS = [None, Context("firefox", 60, "mac")]


def payloads() -> list[str]:
    """One article body per line; ``\\n``, ``\\r``, ``\\t``, ``\\0`` decoded as
    the fixture says (and every line is also tried as written)."""
    out: list[str] = []
    for line in FIXTURE.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        decoded = line.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t").replace("\\0", "\0")
        out.append(decoded)
        if decoded != line:
            out.append(line)
    return out


PAYLOADS = payloads()


def problems(markup: str) -> list[str]:
    """Everything in an HTML fragment, parsed as a browser parses it, that
    could run or restyle: script-like elements, event handlers, style
    attributes, URLs that are not http(s), mailto or relative."""
    found = []
    tree = html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False)
    for element in tree.iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        tag = element.tag.rpartition("}")[2]
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}> element")
        for name, value in element.attrib.items():
            name = name.rpartition("}")[2].lower()  # "{xlink namespace}href" → "href"
            if EVENT_HANDLER.fullmatch(name) or name in ("style", "srcdoc"):
                found.append(f"{name} attribute on <{tag}>")
            elif name in URL_ATTRIBUTES:
                url = re.sub(r"[\s\x00-\x20\x7f-\x9f\u200b-\u200f\ufeff]", "", value).lower()
                if not SAFE_URL.match(url) or url.startswith("//"):
                    found.append(f"{name}={value!r} on <{tag}>")
    return found


@lru_cache(maxsize=1)
def library() -> Library:
    return Library.load(LIBRARY)


def env() -> RenderEnv:
    # A library with templates and images, so template arguments and image
    # parameters are really used, not just reported missing.
    return RenderEnv(library=library())


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("context", READERS, ids=["all-variants", "reader"])
def test_html_is_inert(payload, context):
    doc = parse(payload)
    assert problems(render_html(doc, context, env=env())) == []
    # The same payload passed to a template as an argument.
    assert problems(render_html(parse(f"[[T:greet|{payload}|who={payload}]]"), context, env=env())) == []


# -- Markdown: each renderer's output, read by each engine ----------------------------


def _python_markdown(extensions: list, configs: dict):
    engine = python_markdown.Markdown(extensions=extensions, extension_configs=configs)

    def convert(text: str) -> str:
        engine.reset()
        return engine.convert(text)

    return convert


def _shipped(config_file: str):
    """Python-Markdown as MkDocs runs it for a shipped configuration (its
    extensions, MkDocs' own toc, tables and fenced_code included)."""
    config = load_config(str(ROOT / config_file))
    return _python_markdown(list(config.markdown_extensions), dict(config.mdx_configs))


def _as_the_plugin_publishes(convert):
    # kb.site.mkdocs_plugin puts each variant in a <section markdown="1">
    # inside the page's <div markdown="1"> (md_in_html).
    return lambda text: convert('<div class="kb-page" markdown="1">\n\n<section class="variant" markdown="1">'
                                f"\n\n{text}\n\n</section>\n\n</div>\n")


#: Material for MkDocs' recommended extensions (its "Python Markdown" and
#: "Python Markdown Extensions" set), snippets reading the fixtures folder:
#: "--8<-- xss.txt" pulled into a page would be caught as the payloads it holds.
MATERIAL_EXTENSIONS = {
    "abbr": {}, "admonition": {}, "attr_list": {}, "def_list": {}, "footnotes": {}, "md_in_html": {},
    "tables": {}, "toc": {"permalink": True},
    "pymdownx.arithmatex": {"generic": True}, "pymdownx.betterem": {}, "pymdownx.caret": {}, "pymdownx.critic": {},
    "pymdownx.details": {}, "pymdownx.emoji": {}, "pymdownx.highlight": {}, "pymdownx.inlinehilite": {},
    "pymdownx.keys": {}, "pymdownx.magiclink": {}, "pymdownx.mark": {}, "pymdownx.smartsymbols": {},
    "pymdownx.snippets": {"base_path": [str(FIXTURES)]}, "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True}, "pymdownx.tasklist": {}, "pymdownx.tilde": {},
    "pymdownx.blocks.admonition": {}, "pymdownx.blocks.details": {}, "pymdownx.blocks.html": {},
}

ENGINES = {
    "markdown-it-py": MarkdownIt("commonmark", {"html": True}).render,
    "markdown-it-py with kb's plugins": MarkdownIt("commonmark", {"html": True}).enable("table")
    .use(admon_plugin).use(container_plugin, name="for").render,
    "mkdocs.yml": _shipped("mkdocs.yml"),
    "mkdocs-material.yml": _shipped("mkdocs-material.yml"),
    "mkdocs-material.yml, as the plugin publishes": _as_the_plugin_publishes(_shipped("mkdocs-material.yml")),
    "Material with pymdownx": _python_markdown(list(MATERIAL_EXTENSIONS), MATERIAL_EXTENSIONS),
}

MAC = Context("firefox", 60, "mac")
MARKDOWN_RENDERERS = {
    "render_markdown, all variants": lambda doc: render_markdown(doc, None, env=env()),
    "render_markdown for a reader": lambda doc: render_markdown(doc, MAC, env=env()),
    "render_markdown, GitHub notes": lambda doc: render_markdown(doc, MAC, env=env(), admonitions="gfm"),
    "kb convert": convert_doc,
}

#: Where a payload may stand in an article ("PAYLOAD" is replaced).
CONTAINERS = {
    "alone": "PAYLOAD",
    "note": "{note}\nPAYLOAD\n{/note}",
    "inline note": "a {note}PAYLOAD{/note}",
    "warning": "{warning}\nPAYLOAD\n{/warning}",
    "list": "* PAYLOAD",
    "numbered list": "# PAYLOAD",
    "nested list": "* a\n** PAYLOAD",
    "list in a note": "{note}\n* PAYLOAD\n{/note}",
    "note in a list": "* a {note}PAYLOAD{/note}",
    "definition list": ";PAYLOAD\n:PAYLOAD",
    "table": "{|\n| PAYLOAD\n|}",
    "table with a header": "{|\n! h\n|-\n| PAYLOAD\n|}",
    "for": "{for mac}\nPAYLOAD\n{/for}",
    "inline for": "a {for mac}PAYLOAD{/for}",
    "template argument": "[[T:greet|PAYLOAD|who=PAYLOAD]]",
    "preformatted": " PAYLOAD",
    "bold": "'''PAYLOAD'''",
    "heading": "== PAYLOAD ==",
}


@lru_cache(maxsize=None)
def _read(engine: str, markdown: str) -> tuple[str, ...]:
    return tuple(problems(ENGINES[engine](markdown)))


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_markdown_is_inert_under_every_engine(payload):
    found = []
    for container, shape in CONTAINERS.items():
        doc = parse(shape.replace("PAYLOAD", payload))
        for renderer, render in MARKDOWN_RENDERERS.items():
            markdown = render(doc)
            for engine in ENGINES:
                for problem in _read(engine, markdown):
                    found.append(f"{container} / {renderer} / {engine}: {problem}\n    {markdown!r}")
    assert not found, "\n".join(found[:10])


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("context", READERS, ids=["all-variants", "reader"])
def test_text_carries_no_control_characters(payload, context):
    for color in (False, True):
        text = render_text(parse(payload), context, env=env(), color=color)
        own_escapes = text.replace("\x1b[1m", "").replace("\x1b[0m", "") if color else text
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", own_escapes), repr(text)


def test_the_fixture_is_read_whole():
    assert len(PAYLOADS) > 150
    assert "<img src=x\tonerror=alert(1)>" in PAYLOADS  # \t decoded
    assert " <script>alert(1)</script>" in PAYLOADS  # leading space kept


def test_escaped_payload_stays_visible():
    """Escaping is fine; silently eating what an author wrote is not."""
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render_html(parse("<script>alert(1)</script>"))
    assert "&lt;script&gt;" in render_markdown(parse("<script>alert(1)</script>"))


def test_the_checker_itself_catches_what_it_must():
    assert problems('<a href=" JaVa&#115;cript:alert(1)">x</a>')
    assert problems("<img src=x onerror=alert(1)>")
    assert problems("<p>```\n<img src=x onerror=alert(1)></p>")
    assert problems('<span style="position:fixed">x</span>')
    assert problems("<svg><script>alert(1)</script></svg>")
    assert problems("<!-- --!><script>alert(1)</script> -->")  # a browser ends the comment at --!>
    assert problems('<a href="//evil.example/">x</a>')
    assert problems('<strong onclick="alert(1)">x</strong>')
    assert problems('<strong onclick_wzxhzdk_alert_1_="x">x</strong>') == []
    assert problems('<a href="https://ok.example/">x</a> <a href="page.html#s">y</a>') == []


def test_every_engine_reads_raw_html():
    """An engine that escaped all HTML would make the Markdown test pass
    for nothing: each must let the payload through when nothing stops it."""
    for name, engine in ENGINES.items():
        assert problems(engine("<img src=x onerror=alert(1)>\n")), name


def test_the_issue_examples_are_inert_and_still_shown():
    """The reports of issue 16: a preformatted line in a warning, and <pre>
    in an inline note through kb convert; the code stays visible."""
    for source in ("{warning}\n <script>alert(1)</script>\n{/warning}",
                   "{note}<pre><img src=x onerror=alert(1)>\n</pre>{/note}"):
        doc = parse(source)
        for render in MARKDOWN_RENDERERS.values():
            for name, engine in ENGINES.items():
                page = engine(render(doc))
                assert problems(page) == [], (name, page)
                text = "".join(html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False).itertext())
                assert "<script>alert(1)</script>" in text or "<img src=x onerror=alert(1)>" in text, (name, page)
