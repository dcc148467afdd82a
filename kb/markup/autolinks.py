"""Bare URLs, domains and e-mail addresses in running text, found the way
Kitsune's linkifier finds them.

Kitsune (``kitsune/sumo/sanitize.py``) links text with justhtml's
``Linkify``, which follows the linkify-it rules:

- ``http://``, ``https://``, ``ftp://`` and ``mailto:`` URLs, ``www.`` hosts
  and ``//host`` URLs with a dotted host;
- bare domains whose last label is a known top-level domain (a few generic
  ones, every two-letter country code, ``xn--`` names): ``example.com`` is
  ``http://example.com``;
- e-mail addresses with such a domain, as ``mailto:`` links;
- never a domain right after ``://``, ``/``, ``:`` or ``@``, one with ``_``
  in its host, or an IP address without a scheme; trailing ``.,;:!?``,
  unbalanced quotes and closing brackets stay outside the link.

The scanner (:mod:`kb.markup.inline`) runs :func:`find` on each run of
text between two other constructs, so ``example.<i></i>com`` (two runs) is
not a link. These are the same rules written out here: importing justhtml
costs a tenth of a second, more than ``kb lookup`` takes in all;
``tests/test_autolinks.py`` holds this module to justhtml's own on every
text of the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: linkify-it's generic top-level domains (any two-letter country code and
#: any ``xn--`` name count as well).
TLDS = frozenset("biz com edu gov net org pro web xxx aero asia coop info museum name shop рф".split())
_COUNTRY_CODES = frozenset((
    "ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bv bw by bz "
    "ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm "
    "fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is "
    "it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm "
    "mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr "
    "ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr st su sv sx sy sz tc td tf tg th "
    "tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw").split())

_LABEL = r"[0-9A-Za-z\w\u2600-\u27bf](?:[0-9A-Za-z\w\u2600-\u27bf-]{0,61}[0-9A-Za-z\w\u2600-\u27bf])?"
_REST = r"[^\s<>\uFF5C]"
#: Where a link may be: one alternative a kind, tried in this order, each
#: after a character that is no letter, digit or "_" (or the text's start).
_CANDIDATE = re.compile(
    r"(?i)([^0-9A-Za-z_])("
    rf"(?:https?|ftp)://{_REST}+|mailto:{_REST}+|//{_REST}+|www\.{_REST}+"
    rf"|[0-9A-Za-z][0-9A-Za-z.!#$%&'*+/=?^_`{{|}}~\-\"]{{0,63}}@(?:{_LABEL}\.)+{_LABEL}"
    rf"|(?:\d{{1,3}}\.){{3}}\d{{1,3}}(?:/{_REST}*)?"
    rf"|(?:{_LABEL}\.)+{_LABEL}(?:/{_REST}*)?"
    r")"
)
_SCHEMES = ("http://", "https://", "ftp://")
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}


@dataclass(frozen=True)
class Autolink:
    start: int  # offsets into the text searched
    end: int
    url: str


def find(text: str) -> list[Autolink]:
    """The links in ``text``, in order, none overlapping."""
    if "." not in text and ":" not in text:
        return []
    found: list[Autolink] = []
    for m in _CANDIDATE.finditer("\n" + text):
        link = _read(text, m.group(2), m.start(2) - 1)
        if link is not None and (not found or link.start >= found[-1].end):
            found.append(link)
    return found


def _read(text: str, raw: str, start: int) -> Autolink | None:
    """A candidate at ``start``, trimmed and checked; None if it is no link."""
    if raw[0] in "<\"'([{" and raw[-1] in ">\"')]}":
        raw, start = raw[1:-1], start + 1
    cand = _trim(raw)
    lower = cand.lower()
    if lower.startswith(_SCHEMES) and ")[" in cand:
        cand = _trim(cand.split(")[", 1)[0])
    if cand[:1] in ("\"", "'") and text[start:start + 1] == cand[0]:
        cand, start = cand[1:], start + 1
    if not cand:
        return None
    lower = cand.lower()
    scheme = lower.startswith(_SCHEMES) or lower.startswith("mailto:")
    email = "@" in cand and not lower.startswith(_SCHEMES + ("//",)) and not lower.startswith("mailto:")
    if not scheme and not lower.startswith(("//", "www.")) and "@" not in cand:
        # A bare domain: not the rest of a broken or disabled address.
        if text[max(0, start - 3):start] == "://" or (start > 0 and text[start - 1] in "/:@"):
            return None
        host = _host(cand)
        if "_" in host or _is_ip(host) or not _known_tld(host):
            return None
    if cand[0].isdigit() and not lower.startswith(_SCHEMES + ("//",)) and _is_ip(_host(cand)):
        return None
    if lower.startswith("//") and not _good_relative(text, start, cand):
        return None
    if email:
        host = _host(cand.rsplit("@", 1)[1])
        if "_" in host or not _known_tld(host):
            return None
    if lower.startswith(_SCHEMES) and not _good_host(cand.split("://", 1)[1]):
        return None
    if email:
        url = "mailto:" + cand
    elif scheme or lower.startswith("//"):
        url = cand
    else:
        url = "http://" + cand
    return Autolink(start, start + len(cand), _punycode(url))


def _trim(cand: str) -> str:
    """Without trailing punctuation, unbalanced quotes and closing brackets."""
    end = len(cand)
    while end and cand[end - 1] in ".,;:!?":
        end -= 1
    counts = {ch: cand[:end].count(ch) for ch in "\"'()[]{}<>"}
    while end and cand[end - 1] in "\"'" and counts[cand[end - 1]] % 2 == 1:
        counts[cand[end - 1]] -= 1
        end -= 1
    while end and cand[end - 1] in _PAIRS and counts[cand[end - 1]] > counts[_PAIRS[cand[end - 1]]]:
        counts[cand[end - 1]] -= 1
        end -= 1
    return cand[:end]


def _host(rest: str) -> str:
    """The host of ``host[:port][/path…]``, without user info or port."""
    hostport = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = hostport.rsplit("@", 1)[-1]
    return host.split(":", 1)[0] if not host.startswith("[") else host


def _known_tld(host: str) -> bool:
    host = host.strip().strip(".")
    if "." not in host:
        return False
    tld = host.rsplit(".", 1)[1].lower()
    return (len(tld) == 2 and tld in _COUNTRY_CODES) or tld.startswith("xn--") or tld in TLDS


def _is_ip(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and all(p.isascii() and p.isdecimal() and len(p) <= 3 and int(p) <= 255 for p in parts)


def _good_relative(text: str, start: int, cand: str) -> bool:
    """``//host…``: not the ``//`` of ``://`` or ``///``; a dotted host."""
    if start > 0 and text[start - 1] in ":/":
        return False
    hostport = re.split(r"[/?#]", cand[2:], maxsplit=1)[0]
    if not hostport or hostport.startswith("["):
        return False
    host = hostport.rsplit("@", 1)[-1].split(":", 1)[0]
    return (host.lower() == "localhost" or "." in host) and "_" not in host


def _good_host(rest: str) -> bool:
    """The host (and port) after a scheme are well formed."""
    hostport = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if not hostport:
        return False
    hostport = hostport.rsplit("@", 1)[-1]
    host = hostport
    if ":" in hostport and not hostport.startswith("["):
        host, port = hostport.split(":", 1)
        if port and (not port.isascii() or not port.isdecimal() or len(port) > 5 or
                     (len(port) == 5 and port > "65535")):
            return False
    if not host or host.startswith(("-", ".")) or host.endswith(("-", ".")) or ".." in host or "_" in host:
        return False
    return not ("." in host and host.replace(".", "").isdigit() and not _is_ip(host))


def _punycode(url: str) -> str:
    """A non-ASCII host in its ASCII (IDNA) form."""
    if url.isascii() or url.lower().startswith("mailto:"):
        return url
    m = re.match(r"(?i)((?:https?|ftp)://|//)([^/?#]*)(.*)", url)
    if m is None:
        return url
    prefix, hostport, tail = m.groups()
    userinfo, at, hostport = hostport.rpartition("@")
    host, colon, port = hostport.partition(":")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return prefix + userinfo + at + host + colon + port + tail
