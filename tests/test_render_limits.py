"""Rendering stays linear, deep nesting does not crash, and templates cannot
blow up. Work is counted (executed lines of kb/render), never timed."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest

from kb.content.articles import article_from_text
from kb.content.library import Library
from kb.markup import parse
from kb.render.context import RenderEnv
from kb.render.html import HtmlRenderer
from kb.render.markdown import MarkdownRenderer
from kb.render.text import TextRenderer
from kb.conditions.context import Context

RENDER_DIR = str(Path(__file__).resolve().parent.parent / "kb" / "render")
RENDERERS = [HtmlRenderer, TextRenderer, MarkdownRenderer]
READERS = [None, Context("firefox", 60, "mac")]

MIX = """=Heading {for mac}mac{/for}=
__TOC__
Text ''it'' '''bold''' {button B} {menu {for win}W{/for}{for mac}M{/for}} {key Ctrl+{for mac}Q{/for}} [[Some title|link]] [https://e.example/ x] https://e.example/y [[Image:Logo|width=10]] <i>raw</i> <nowiki>[[x]]</nowiki> [[T:t|a]] {note}inline note{/note} tail.
{for fx66}
* item [[T:t|b]]
** nested
# number
;term
:definition
{/for}
{note}
block note
{/note}
{|
! h !! h2
|-
| c || {for mac}d{/for}
|}
 preformatted
----
"""


def env() -> RenderEnv:
    template = article_from_text('---\ntitle: "Template:t"\n---\nvalue {{{1}}} {for mac}m{/for}', Path("t.wiki"))
    images = Path(__file__).parent / "golden" / "html" / "library" / "images"
    return RenderEnv(library=Library.from_articles([], [template], images))


def work(renderer_class, source: str, context) -> int:
    """Lines executed in kb/render while rendering ``source``."""
    doc = parse(source)
    renderer = renderer_class(context, env=env())
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(RENDER_DIR):
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        renderer.render(doc)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("context", READERS, ids=["all-variants", "reader"])
@pytest.mark.parametrize("renderer_class", RENDERERS, ids=lambda c: c.__name__)
def test_work_grows_linearly(renderer_class, context):
    small = work(renderer_class, MIX * 10, context)
    large = work(renderer_class, MIX * 80, context)
    assert small > 0
    assert large / small < 10, (small, large)


@pytest.mark.parametrize("renderer_class", RENDERERS, ids=lambda c: c.__name__)
def test_visits_are_proportional_to_the_tree(renderer_class):
    doc = parse(MIX * 10)
    renderer = renderer_class(None, env=env())
    renderer.render(doc)
    nodes = sum(1 for _ in doc.walk())
    # Some nodes are rendered by their parent (a note at block level, a
    # {key} label) and headings twice (text and TOC label); never more.
    assert nodes // 2 <= renderer.visits < 3 * nodes


DEEP = [
    "{for mac}\n" * 70 + "deep\n" + "{/for}\n" * 70,
    "{note}\n" * 70 + "deep\n" + "{/note}\n" * 70,
    "{for mac}{note}" * 70 + "x" + "{/note}{/for}" * 70,
    "*" * 70 + " deep item",
    "'''''x" * 40,
    "{button " * 70 + "x" + "}" * 70,
    "{|\n|" * 30 + "x\n" + "|}\n" * 30,
    "{for mac}\n" * 64 + "{note}\n" * 64 + "*" * 64 + " {for mac}'''{button {key x}}'''{/for}\n",
]


@pytest.mark.parametrize("source", DEEP, ids=range(len(DEEP)))
@pytest.mark.parametrize("context", READERS, ids=["all-variants", "reader"])
@pytest.mark.parametrize("renderer_class", RENDERERS, ids=lambda c: c.__name__)
def test_deep_nesting_renders(renderer_class, context, source):
    assert renderer_class(context, env=env()).render(parse(source)) is not None


def _frames_used(render) -> int:
    """The deepest the Python stack grows below this frame while ``render``
    runs (counted, not timed)."""
    start = len(inspect.stack(0))
    deepest = 0

    def profile(frame, event, arg):
        nonlocal deepest
        if event == "call":
            depth = 0
            while frame is not None:
                depth, frame = depth + 1, frame.f_back
            deepest = max(deepest, depth)

    sys.setprofile(profile)
    try:
        render()
    finally:
        sys.setprofile(None)
    return deepest - start


def _nested_templates_env() -> RenderEnv:
    """40 templates, each 30 {for}s and notes deep around the next one."""
    templates = [article_from_text(f'---\ntitle: "Template:n{i}"\n---\n'
                                   + "{for mac}{note}" * 15 + f"level {i} [[T:n{i + 1}]]" + "{/note}{/for}" * 15,
                                   Path(f"n{i}.wiki")) for i in range(40)]
    return RenderEnv(library=Library.from_articles([], templates))


@pytest.mark.parametrize("source", DEEP + ["[[T:n0]]"], ids=[*map(str, range(len(DEEP))), "templates"])
@pytest.mark.parametrize("renderer_class", RENDERERS, ids=lambda c: c.__name__)
def test_hostile_nesting_stays_far_inside_the_default_recursion_limit(renderer_class, source):
    limit = sys.getrecursionlimit()
    render_env = _nested_templates_env() if source == "[[T:n0]]" else env()
    for context in READERS:
        used = _frames_used(lambda: renderer_class(context, env=render_env).render(parse(source)))
        assert used < 400, used  # the default limit is 1000
    assert sys.getrecursionlimit() == limit


def test_content_nested_past_the_bound_still_shows_as_text():
    source = "{for mac}{note}" * 60 + "the deepest words" + "{/note}{/for}" * 60
    for renderer_class in RENDERERS:
        out = renderer_class(Context("firefox", 60, "mac"), env=env()).render(parse(source))
        assert "the deepest words" in " ".join(out.replace("│", " ").split())


def test_a_doubling_template_chain_is_cut_off():
    """t0 uses t1 twice, t1 uses t2 twice, … 2**30 expansions if nothing stopped it."""
    templates = [article_from_text(f'---\ntitle: "Template:t{i}"\n---\n[[T:t{i + 1}]][[T:t{i + 1}]]',
                                   Path(f"t{i}.wiki")) for i in range(30)]
    render_env = RenderEnv(library=Library.from_articles([], templates))
    out = HtmlRenderer(None, env=render_env).render(parse("[[T:t0]]"))
    assert "Too many template expansions" in out


def test_a_long_chain_of_distinct_templates_is_cut_off():
    templates = [article_from_text(f'---\ntitle: "Template:c{i}"\n---\n{i} [[T:c{i + 1}]]', Path(f"c{i}.wiki"))
                 for i in range(100)]
    out = TextRenderer(None, env=RenderEnv(library=Library.from_articles([], templates))).render(parse("[[T:c0]]"))
    assert "Templates nested too deeply" in out and "99" not in out
