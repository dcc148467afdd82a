"""kb.markup.autolinks finds what Kitsune's linkifier (justhtml's Linkify,
kitsune/sumo/sanitize.py) finds, on every run of text of the real articles
and on the edge cases of its rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from justhtml.transforms.linkify_core import find_links

from kb.markup.autolinks import find

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "thunderbird-en-US"
#: What separates runs of text in wiki markup: links, tags, macros, quotes.
_CONSTRUCTS = re.compile(r"\[\[[^]]*\]\]|<[^>]*>|\{[^}]*\}|'{2,}")

EDGES = [
    "see example.com.", "(https://example.com/a_(b))", "jane@example.com", "x://example.com", "/example.com",
    "a@b", "http://1.2.3.4/x", "1.2.3.4", "www.x", "//example.com/x", "http://exa_mple.com", '"https://a.com"',
    "ftp://x.org:99999", "mailto:a@b.com", "https://bücher.de/x", "bücher.de", "f.js", "e.g. this", "i.e",
    "x.co.uk/a?b=c.", "https://mail.thundermail.com''", "http://x.com)[y]", "<https://a.com>", "a.b.c.d.museum",
    "user@mail.example.co.uk, next", "https://example.com/path?q=1&r=2#frag!", "x@y.z", "www.example.com/a_b",
    "“quoted.org”", "[example.org]", "{example.org}", "server mail.argontech.net:", "http://-bad.com",
    "https://a..b.com", "http://x.com:8080/p", "ｘ.com", "example.com/" + "a" * 200,
]


def _runs() -> list[str]:
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.wiki")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out.extend(run for run in _CONSTRUCTS.split(line) if run)
    return out


def _kitsune(text: str) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.href) for m in find_links(text)]


def _ours(text: str) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.url) for m in find(text)]


def test_every_run_of_corpus_text_links_as_kitsune_does():
    runs = _runs()
    assert len(runs) > 10000
    differ = [run for run in runs if _ours(run) != _kitsune(run)]
    assert differ == []
    assert sum(len(_kitsune(run)) for run in runs) > 100  # the corpus does hold links


@pytest.mark.parametrize("text", EDGES)
def test_the_edges_of_the_rules_as_kitsune(text):
    assert _ours(text) == _kitsune(text)


def test_a_long_dotted_number_is_no_link():
    text = ".".join(["1"] * 20000)
    assert find(text) == _kitsune(text) == []
