"""The code-lookup index page's search data, as a script file.

The site must work from ``file://``, where ``fetch()`` of a JSON file is
refused, so the data ships as ``assets/search-index.js``: a script that
assigns ``window.KB_SEARCH``. The index page loads it with ``<script src>``
before ``assets/kb.js``.

The JSON is escaped so the text stays inert even if someone inlines it in an
HTML ``<script>`` element: ``<``, ``>`` and ``&`` become ``\\u003c`` etc. (no
``</script>`` or ``<!--`` can appear), and U+2028/U+2029, which are line
terminators in older JavaScript engines, become escapes too.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

#: The fields the page script reads; anything else in a code dict is dropped
#: to keep the file small.
FIELDS = ("code", "value", "title", "summary", "aliases", "url")

_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(data: Any) -> str:
    """``json.dumps`` that is safe inside a ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text)


def _entry(code: Mapping[str, Any]) -> dict:
    return {
        "code": code["code"],
        "value": code.get("value"),
        "title": code.get("title") or "",
        "summary": code.get("summary") or "",
        "aliases": list(code.get("aliases") or ()),
        "url": code.get("url") or "",
    }


def search_index_js(codes: Iterable[Mapping[str, Any]]) -> str:
    """The text of ``assets/search-index.js`` for *codes* (the dicts the
    index template gets: ``code``, ``value``, ``title``, ``summary``,
    ``aliases``, ``url`` relative to the site root)."""
    entries = [_entry(c) for c in codes]
    return "window.KB_SEARCH = " + script_json(entries) + ";\n"
