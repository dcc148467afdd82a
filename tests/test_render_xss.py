"""Every payload of tests/fixtures/xss.txt, through every renderer, with and
without a reader, must come out inert."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.container import container_plugin

from kb.conditions.context import Context
from kb.content.library import Library
from kb.markup import parse
from kb.render.context import RenderEnv
from kb.render.html import render_html
from kb.render.markdown import render_markdown
from kb.render.text import render_text

FIXTURE = Path(__file__).parent / "fixtures" / "xss.txt"
LIBRARY = Path(__file__).parent / "golden" / "html" / "library"
FORBIDDEN_ELEMENTS = {"script", "iframe", "object", "embed", "style", "svg", "math", "meta", "base", "link", "form"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset"}
SAFE_URL = re.compile(r"^(?:https?:|mailto:|#|[^:]*$)")
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


class Inertness(HTMLParser):
    """Collects everything in an HTML fragment that could run or restyle."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} attribute on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                url = re.sub(r"[\s\x00-\x20\x7f-\x9f\u200b-\u200f\ufeff]", "", html.unescape(value)).lower()
                if not SAFE_URL.match(url) or url.startswith("//"):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def problems(markup: str) -> list[str]:
    checker = Inertness()
    checker.feed(markup)
    checker.close()
    return checker.problems


def env() -> RenderEnv:
    # A library with templates and images, so template arguments and image
    # parameters are really used, not just reported missing.
    return RenderEnv(library=Library.load(LIBRARY))


MARKDOWN_READERS = {
    "commonmark": MarkdownIt("commonmark", {"html": True}),
    "with-plugins": MarkdownIt("commonmark", {"html": True}).enable("table").use(admon_plugin)
    .use(container_plugin, name="for"),
}


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("context", READERS, ids=["all-variants", "reader"])
def test_html_is_inert(payload, context):
    doc = parse(payload)
    assert problems(render_html(doc, context, env=env())) == []
    # The same payload passed to a template as an argument.
    assert problems(render_html(parse(f"[[T:greet|{payload}|who={payload}]]"), context, env=env())) == []


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("context", READERS, ids=["all-variants", "reader"])
def test_markdown_is_inert_once_rendered(payload, context):
    markdown = render_markdown(parse(payload), context, env=env())
    for name, reader in MARKDOWN_READERS.items():
        assert problems(reader.render(markdown)) == [], name


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
    assert problems('<span style="position:fixed">x</span>')
    assert problems("<svg><script>alert(1)</script></svg>")
    assert problems('<a href="//evil.example/">x</a>')
    assert problems(MARKDOWN_READERS["commonmark"].render("<script>alert(1)</script>"))
    assert problems('<a href="https://ok.example/">x</a> <a href="page.html#s">y</a>') == []
