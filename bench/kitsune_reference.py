"""A stand-in for Kitsune's wiki renderer, to compare ``kb`` against.

Kitsune (mozilla/kitsune) renders an article in these steps, which this
module repeats on top of py-wikimarkup, html5lib, bleach and justhtml (the
``bench`` extra), without Django or a database:

1. ``{for …}``/``{/for}`` become private tokens; one alone on its line (its
   comments removed first, as ``../shared/docs/markup.md`` records) is
   padded with blank lines so it stands as a paragraph of its own.
2. ``{note}``, ``{warning}``, ``{key}``, ``{button}``, ``{menu}``,
   ``{filepath}``, ``{pref}`` become HTML by regular expressions.
3. py-wikimarkup's ``Parser.parse`` with Kitsune's hooks for ``[[links]]``,
   ``[[Image:]]``, ``[[V:]]``, ``[[UI:]]``, ``[[T:]]``, ``[[I:]]``, then the
   linkifier (justhtml's ``Linkify``, as ``kitsune/sumo/sanitize.py``) and
   bleach with Kitsune's tag and attribute safelist.
4. The tokens become ``<for>`` elements, html5lib balances them, and each is
   a ``div`` when it holds a block element, else a ``span``.
5. YouTube and UI-component placeholders are replaced by their markup.

It is an approximation for measuring, not a port: what it needs of Kitsune
is written here from Kitsune's behaviour, in our own words.
"""

from __future__ import annotations

import re
from html import escape
from itertools import count
from urllib.parse import parse_qs, quote_plus, urlparse

import bleach
import html5lib
from bleach.css_sanitizer import CSSSanitizer
from html5lib.serializer import HTMLSerializer
from justhtml import JustHTML, Linkify
from wikimarkup.parser import ALLOWED_TAGS, Parser

KB_PREFIX = "/en-US/kb/"
ATTRIBUTES = {
    "a": ["href", "title", "class", "rel"],
    "div": ["id", "class", "style", "data-for", "title"],
    **{f"h{i}": ["id"] for i in range(1, 7)},
    "li": ["class"],
    "span": ["class", "data-for"],
    "img": ["class", "src", "alt", "title", "height", "width", "style"],
    "video": ["height", "width", "controls", "poster"],
    "source": ["src", "type"],
    "section": ["class"],
    "iframe": ["src", "class", "width", "height", "frameborder", "allowfullscreen"],
}
TAGS = list(ALLOWED_TAGS) + ["iframe"]
IMAGE_PARAMS = ["alt", "align", "caption", "valign", "frame", "page", "link", "width", "height"]
IMAGE_VALUES = {"align": ("none", "left", "center", "right"),
                "valign": ("baseline", "sub", "super", "top", "text-top", "middle", "bottom", "text-bottom")}
BLOCK_TAGS = {"table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "div", "hr", "pre", "p",
              "li", "ul", "ol", "center", "dl", "dt", "dd", "ins", "del", "section"}
UI_COMPONENTS = {"details_start": '<section class="mzp-c-details">', "details_end": "</section>",
                 "device_migration_wizard": '<div class="device-migration-wizard"></div>'}
YOUTUBE_HOSTS = {"youtu.be", "youtube.com", "www.youtube.com", "www.youtube-nocookie.com"}

_FOR = re.compile(r"(\s*)(\{for(?: +([^}]*))?\}|\{/for\})(\s*)")
_FOR_LINE_COMMENTS = re.compile(r"^[ \t]*(?:<!--.*?-->[ \t]*)*(\{/?for[^}\n]*\})[ \t]*(?:<!--.*?-->[ \t]*)*$", re.M)
_TOKEN_P = re.compile(r"<p>(?:\s|<br\s*/?>)*\x91(\d+)\x91(?:\s|<br\s*/?>)*</p>|\x91(\d+)\x91")
_CLOSER_P = re.compile(r"<p>(?:\s|<br\s*/?>)*\x91/sf\x91(?:\s|<br\s*/?>)*</p>|\x91/sf\x91")
_SIMPLE = [
    (re.compile(r"\{(note|warning)\}"), r'<div class="\1">'),
    (re.compile(r"\{/(note|warning)\}"), "</div>"),
    (re.compile(r"\{key (.+?)\}", re.S),
     lambda m: " + ".join(f'<span class="key">{k.strip()}</span>' for k in m.group(1).split("+"))),
    (re.compile(r"\{(button|menu|filepath|pref) (.*?)\}", re.S), r'<span class="\1">\2</span>'),
]
_PARAM = re.compile(r"\{\{\{([^{]+?)\}\}\}")


def kb_slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


class Library:
    """What the hooks look things up in: articles and templates by title
    (case-insensitively), image names."""

    def __init__(self, articles=None, templates=None, images=(), slugs=None):
        self.articles = {t.casefold(): (t, body) for t, body in (articles or {}).items()}
        self.slugs = {t.casefold(): slug for t, slug in (slugs or {}).items()}
        self.templates = {t.casefold(): body for t, body in (templates or {}).items()}
        self.images = {name.casefold() for name in images}


class KitsuneReference:
    def __init__(self, library: Library | None = None) -> None:
        self.library = library or Library()

    def render(self, text: str) -> str:
        return _Render(self.library, []).parse(text)


class _Render(Parser):
    def __init__(self, library: Library, inclusions: list[str]) -> None:
        super().__init__()
        self.library = library
        self.inclusions = inclusions
        self.youtube: set[str] = set()
        for space, hook in ((None, self.link), ("Image", self.image), ("Video", self.video), ("V", self.video),
                            ("UI", self.ui), ("Template", self.template), ("T", self.template),
                            ("Include", self.include), ("I", self.include)):
            self.registerInternalLinkHook(space, hook)

    # -- the pipeline -----------------------------------------------------------------

    def parse(self, text: str, **kwargs) -> str:
        text = _FOR_LINE_COMMENTS.sub(r"\1", text)
        text, fors = strip_fors(text)
        for pattern, replacement in _SIMPLE:
            text = pattern.sub(replacement, text)
        html = super().parse(text, show_toc=False, tags=TAGS, attributes=ATTRIBUTES, styles=["vertical-align"],
                             strip_comments=True, **kwargs)
        html = _TOKEN_P.sub(lambda m: fors.get(int(m.group(1) or m.group(2)), ""), html)
        html = _CLOSER_P.sub("</for>", html)
        html = expand_fors(html)
        for video_id in self.youtube:
            html = html.replace(f"<p>YOUTUBE_{video_id}</p>", f'<iframe src="//www.youtube.com/embed/{video_id}"></iframe>')
        for name, markup in UI_COMPONENTS.items():
            html = html.replace(f"<p>UI_COMPONENT_{name}</p>", markup)
        return html

    def bleach(self, text, nofollow, attributes, styles, strip_comments):
        text = JustHTML(text, fragment=True, sanitize=False, transforms=[Linkify()]).to_html(pretty=False)
        return bleach.clean(text, tags=self.tags, attributes=attributes,
                            css_sanitizer=CSSSanitizer(allowed_css_properties=styles), strip_comments=strip_comments)

    # -- hooks ------------------------------------------------------------------------------

    def wiki_link(self, title: str) -> tuple[str, bool, str]:
        found = self.library.articles.get(title.strip().casefold())
        if found:
            slug = self.library.slugs.get(found[0].casefold()) or kb_slug(found[0])
            return KB_PREFIX + slug, True, found[0]
        return KB_PREFIX + "new?title=" + quote_plus(title), False, title

    def link(self, parser, space, name):
        title, _, text = name.partition("|")
        title, _, fragment = title.partition("#")
        fragment = "#" + fragment.replace(" ", "_") if fragment else ""
        if not title and fragment:
            return f'<a href="{fragment}">{text or fragment.replace("_", " ")}</a>'
        url, found, shown = self.wiki_link(title)
        extra = "" if found else ' class="new"'
        return f'<a href="{url}{fragment}"{extra}>{text or shown}</a>'

    def hook_params(self, string: str, allowed: list[str], values=None) -> tuple[str, dict]:
        if "|" not in string:
            return string.strip(), {"alt": string.strip()}
        items = [i.strip() for i in string.split("|")]
        title = items.pop(0)
        params: dict = {}
        last = ""
        for item in items:
            if "=" in item:
                key, value = item.split("=", 1)
                params[key] = value
            else:
                params[item] = True
                last = item
        if "caption" in allowed:
            params["caption"] = title
            if last and last not in allowed:
                params["caption"] = items.pop()
                del params[last]
            elif last == "caption":
                params["caption"] = last
        params = {k: v for k, v in params.items() if k in allowed}
        for key, options in (values or {}).items():
            if key in params and params[key] not in options:
                del params[key]
        if isinstance(params.get("page"), str):
            params["link"], params["found"], _ = self.wiki_link(params["page"])
        return title, params

    def image(self, parser, space, name):
        title, params = self.hook_params(name, IMAGE_PARAMS, IMAGE_VALUES)
        if title.casefold() not in self.library.images:
            return f'The image "{title}" does not exist.'
        framed = bool(params.get("align")) or (bool(params.get("frame")) and not params.get("valign"))
        alt = params["alt"] if "alt" in params else params.get("caption", "")
        attrs = f' class="wiki-image{"" if framed else " frameless"}" src="/media/{escape(title)}" alt="{escape(str(alt))}"'
        for key in ("width", "height"):
            if str(params.get(key, "")).isdigit():
                attrs += f' {key}="{params[key]}"'
        if params.get("valign"):
            attrs += f' style="vertical-align:{params["valign"]}"'
        img = f"<img{attrs}/>"
        if params.get("link"):
            css = ' class="new"' if params.get("page") and not params.get("found") else ""
            img = f'<a href="{params["link"]}"{css}>{img}</a>'
        if not framed:
            return img
        align = f" align-{params['align']}" if params.get("align") else ""
        caption = f'<div class="caption">{params["caption"]}</div>' if params.get("caption") else ""
        return f'<div class="img{align}"><div class="img-inner">{img}{caption}</div></div>'

    def video(self, parser, space, title):
        title, _ = self.hook_params(title, ["height", "width", "modal", "title", "placeholder"])
        url = urlparse(title)
        if url.netloc in YOUTUBE_HOSTS:
            video_id = url.path[1:] if url.netloc == "youtu.be" else parse_qs(url.query).get("v", [""])[0]
            self.youtube.add(video_id)
            return f"<p>YOUTUBE_{video_id}</p>"
        return f'The video "{title}" does not exist.'

    def ui(self, parser, space, name):
        if name not in UI_COMPONENTS:
            return f'The UI component "{name}" does not exist.'
        return f"<p>UI_COMPONENT_{name}</p>"

    def nested(self, key: str, text: str) -> str:
        self.inclusions.append(key)
        try:
            return _Render(self.library, self.inclusions).parse(text)
        finally:
            self.inclusions.pop()

    def include(self, parser, space, title):
        found = self.library.articles.get(title.strip().casefold())
        if found is None:
            return f'The document "{title}" does not exist.'
        key = "article:" + found[0].casefold()
        if key in self.inclusions:
            return f'[Recursive inclusion of "{title}"]'
        return self.nested(key, found[1])

    def template(self, parser, space, body):
        name, *args = body.split("|")
        content = self.library.templates.get(name.strip().casefold())
        if content is None:
            return f'The template "{name}" does not exist or has no approved revision.'
        key = "template:" + name.strip().casefold()
        if key in self.inclusions:
            return f'[Recursive inclusion of "Template:{name}"]'
        content = content.rstrip()
        html = self.nested(key, content)
        if "\n" not in content:
            html = html.replace("<p>", "").replace("</p>", "")
        params: dict[str, str] = {}
        position = 0
        for arg in args:
            key_, _, value = arg.partition("=")
            if value:
                params[key_] = value
            else:
                position += 1
                params[str(position)] = key_
        return _PARAM.sub(lambda m: params.get(m.group(1), m.group(0)), html)


def strip_fors(text: str) -> tuple[str, dict[int, str]]:
    """``{for}`` tags as private tokens; one alone on its line gets blank
    lines around it so it stands alone between blocks."""
    tags: dict[int, str] = {}
    numbers = count()
    pos = 0
    while True:
        m = _FOR.search(text, pos)
        if m is None:
            return text, tags
        before, tag, predicate, after = m.groups()
        if tag == "{/for}":
            token = "\x91/sf\x91"
        else:
            number = next(numbers)
            terms = ",".join(t.strip() for t in predicate.split(",")) if predicate else ""
            tags[number] = f'<for data-for="{escape(terms)}">' if predicate else "<for>"
            token = f"\x91{number}\x91"
        at_top = m.start(2) == 0
        at_left = at_top or text[m.start(2) - 1] == "\n"
        at_bottom = m.end(4) == len(text)
        if at_left and (at_bottom or "\n" in after):
            if not at_top:
                preceding = len(text[:m.start(1)]) - len(text[:m.start(1)].rstrip("\n\r\t "))
                ws = text[m.start(1) - preceding:m.start(1)] + before
                before += "\n" * max(2 - ws.count("\n"), 0)
            if not at_bottom:
                after += "\n" * max(2 - after.count("\n"), 0)
        done = text[:m.start()] + before + token + after
        pos = len(done)
        text = done + text[m.end():]


def expand_fors(html: str) -> str:
    """Balance the ``<for>`` elements (html5lib's tree) and make each a div
    when it holds a block element, else a span."""
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    for element in fragment.iter("for"):
        holds_block = any(child.tag in BLOCK_TAGS for child in element)
        element.tag = "div" if holds_block else "span"
        element.set("class", "for")
    walker = html5lib.getTreeWalker("etree")
    return HTMLSerializer(quote_attr_values="always", omit_optional_tags=False).render(walker(fragment))
