"""What may pass from an article into rendered output, for all renderers.

- Text: control characters (C0 except tab and newline, DEL, C1) and the
  private-use characters renderers use as internal markers are removed, so
  content can never forge a marker, an ANSI escape or a NUL.
- URLs the renderers generate are checked by :func:`safe_url`: after entity
  decoding and removal of whitespace, control and invisible format
  characters, the scheme must be http, https or mailto.
- Raw HTML tags written in articles: only :data:`RAW_TAGS` survive, with only
  :data:`RAW_ATTRIBUTES` (values checked); every other tag is shown as text,
  as MediaWiki does. :class:`TagBalancer` closes what a block left open.
- The HTML renderer finally passes its whole output through
  :func:`sanitize_html` (nh3) with an allowlist that covers its own markup
  and the raw safelist, and no ``style`` attribute anywhere.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urljoin

import nh3

from kb.markup.anchors import escape_id

#: Control characters no output may carry from content.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff]")
#: Characters a URL checker must ignore: browsers drop them inside schemes.
_URL_NOISE = re.compile(r"[\s\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and newline kept, CR dropped)."""
    return _CONTROL.sub("", text)


def decode_entities(text: str) -> str:
    """HTML character references as the reader sees them: ``&nbsp;`` → NBSP."""
    return html.unescape(text) if "&" in text else text


_TERMINATED_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_url_entities(url: str) -> str:
    """Only references ending in ";": in a URL, ``&copy=2`` is a query
    parameter, not the copyright sign (browsers read attributes that way)."""
    return _TERMINATED_REFERENCE.sub(lambda m: html.unescape(m.group(0)), url) if "&" in url else url


def escape(text: str) -> str:
    """Content text as HTML: entities decoded, controls removed, escaped."""
    return html.escape(clean_text(decode_entities(text)), quote=True)


def safe_url(url: str, schemes=SAFE_SCHEMES, relative: bool = False) -> str | None:
    """``url`` (entities decoded, trimmed) if its scheme is allowed, else None.
    With ``relative``, a URL without scheme (``page.html``, ``#x``) is allowed
    too, but never a protocol-relative one (``//host``)."""
    decoded = decode_url_entities(url).strip()
    # The scheme is judged on the most decoded form, so no spelling of
    # "javascript:" slips through as a reference the browser would decode.
    probe = _URL_NOISE.sub("", unicodedata.normalize("NFKC", decode_entities(url).strip()))
    if not probe:
        return None
    m = _SCHEME.match(probe)
    if m:
        return clean_text(decoded) if m.group(1).lower() in schemes else None
    if relative and not probe.startswith(("//", "\\\\", "/\\", "\\/")) and ":" not in probe.split("/")[0]:
        return clean_text(decoded)
    return None


def has_scheme(text: str) -> bool:
    return bool(_SCHEME.match(_URL_NOISE.sub("", decode_entities(text))))


# ---------------------------------------------------------------------------
# Raw HTML tags written in articles
# ---------------------------------------------------------------------------

#: Block tags an article may use: Kitsune's safelist (py-wikimarkup's
#: ALLOWED_TAGS) less ``noscript``. A paragraph holding one is laid out as
#: blocks; a raw ``<p>`` only separates paragraphs.
RAW_BLOCK_TAGS = frozenset(
    "blockquote caption center col colgroup dd div dl dt h1 h2 h3 h4 h5 h6 hr li ol p pre section source "
    "table tbody td tfoot th thead tr ul video".split()
)
#: Every tag an article may use: the phrasing ones (what real articles use,
#: and their kin) and the block ones; any other is shown as text.
RAW_TAGS = frozenset(
    "abbr b big br cite code del dfn em font i img ins kbd mark q s samp small span strike strong "
    "sub sup tt u var wbr".split()
) | RAW_BLOCK_TAGS
VOID_TAGS = frozenset({"br", "wbr", "img", "hr", "col", "source"})
#: Attributes kept on raw tags (those both py-wikimarkup and Kitsune let
#: through, less ``style``); anything else (style, on*…) is dropped.
RAW_ATTRIBUTES = {"*": frozenset({"class", "title"}), "img": frozenset({"src", "alt", "width", "height"}),
                  "abbr": frozenset({"title"}), "div": frozenset({"id"}),
                  "video": frozenset({"width", "height", "controls"}), "source": frozenset({"src", "type"})}
_BOOLEAN_ATTRIBUTES = frozenset({"controls"})
#: Raw tags whose ``src`` is fetched when the page opens (a <video>'s
#: sources wait for play: the renderer writes preload="none").
FETCHED_AT_LOAD = frozenset({"img"})

_ATTRIBUTE = re.compile(
    r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_CLASS = re.compile(r"[^A-Za-z0-9_\- ]")
_DIGITS = re.compile(r"\s*(\d{1,5})(?:px)?\s*$")


def raw_attributes(name: str, attrs: str, site: str = "") -> list[tuple[str, str]]:
    """The allowed attributes of a raw tag, values decoded and checked. A
    site-relative ``src`` (``/media/x.png``) is on the live site ``site``
    (an URL of it); an ``id`` is escaped as Kitsune escapes ids."""
    allowed = RAW_ATTRIBUTES["*"] | RAW_ATTRIBUTES.get(name, frozenset())
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for m in _ATTRIBUTE.finditer(attrs):
        key = m.group(1).lower()
        if key not in allowed or key in seen:
            continue
        value = next((g for g in m.group(2, 3, 4) if g is not None), "")
        value = clean_text(decode_entities(value))
        if key in _BOOLEAN_ATTRIBUTES:
            value = key
        elif key == "id":
            value = escape_id(value)
        elif key == "class":
            value = " ".join(_CLASS.sub("", value).split())
        elif key in ("width", "height"):
            digits = _DIGITS.match(value)
            value = digits.group(1) if digits else ""
        elif key == "src":
            if site and value.startswith("/") and not value.startswith("//"):
                value = urljoin(site, value)
            value = safe_url(value, frozenset({"http", "https"})) or ""
        if value:
            seen.add(key)
            out.append((key, value))
    return out


def raw_tag_html(name: str, closing: bool, attrs: str, site: str = "") -> str:
    """A safelisted raw tag, rebuilt from its checked attributes."""
    if closing:
        return f"</{name}>"
    pairs = raw_attributes(name, attrs, site)
    if name == "img":
        if not any(k == "src" for k, _ in pairs):
            return ""
        pairs.append(("loading", "lazy"))
    elif name == "video":
        pairs.append(("preload", "none"))
    rendered = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in pairs)
    return f"<{name}{rendered}>"


class TagBalancer:
    """Open raw tags, so every element a renderer writes closes exactly what
    was opened inside it: a stray closer is dropped, a missing one added.

    ``enter()`` starts an element's scope; a closer inside it never closes a
    tag opened outside; ``leave()`` ends the scope and says what to close."""

    def __init__(self) -> None:
        self.open: list[str] = []
        self.scope = 0

    def enter(self) -> tuple[int, int]:
        token = (len(self.open), self.scope)
        self.scope = len(self.open)
        return token

    def leave(self, token: tuple[int, int]) -> list[str]:
        mark, self.scope = token
        closed = self.open[mark:][::-1]
        del self.open[mark:]
        return closed

    def opening(self, name: str) -> None:
        if name not in VOID_TAGS:
            self.open.append(name)

    def closing(self, name: str) -> list[str]:
        """The tags ``</name>`` closes (innermost first); none when no
        ``<name>`` is open in the current scope."""
        for i in range(len(self.open) - 1, self.scope - 1, -1):
            if self.open[i] == name:
                closed = self.open[i:][::-1]
                del self.open[i:]
                return closed
        return []


# ---------------------------------------------------------------------------
# The final HTML sanitizer
# ---------------------------------------------------------------------------

_OWN_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "pre", "code", "hr",
    "table", "tbody", "tr", "th", "td", "caption", "div", "span", "a", "img", "figure", "figcaption",
    "br", "strong", "em", "video", "source", "iframe", "section", "details", "summary",
}
ALLOWED_TAGS = frozenset(_OWN_TAGS | RAW_TAGS)
ALLOWED_ATTRIBUTES = {
    "*": {"class", "title"},
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "div": {"id", "data-for"},
    "span": {"data-for", "data-video", "data-component"},
    "video": {"controls", "preload", "poster", "width", "height"},
    "source": {"src", "type"},
    "iframe": {"src", "loading", "allowfullscreen"},
}
#: The only pages an iframe may show: the privacy-enhanced YouTube player
#: (kb.render.media), which renderers write only when kb.yaml allows embeds.
IFRAME_SOURCES = ("https://www.youtube-nocookie.com/embed/",)


def sanitize_html(markup: str) -> str:
    """The last line of defence: nh3 with the allowlist above. Comments go,
    URLs keep only http/https/mailto (relative URLs are allowed), and ``rel``
    is left as the renderer wrote it."""
    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
        attribute_filter=_only_known_players,
    )


def _only_known_players(tag: str, attribute: str, value: str) -> str | None:
    """An iframe's ``src`` must be a known player (else it is dropped and
    the iframe shows nothing)."""
    if tag == "iframe" and attribute == "src" and not value.startswith(IFRAME_SOURCES):
        return None
    return value
