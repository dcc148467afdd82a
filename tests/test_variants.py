"""Resolution for one reader, and the variants of an article."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kb
from kb.conditions import variants as variants_module
from kb.conditions.config import Config
from kb.conditions.context import Context
from kb.conditions.resolve import Visibility, resolve
from kb.conditions.variants import content_key, variant_for
from kb.content.articles import read_article
from kb.markup import nodes as n
from kb.markup import parse

ROOT = Path(__file__).resolve().parent.parent
SEED = read_article(ROOT / "content" / "security-warning-codes.wiki")
CORPUS = sorted((ROOT.parent / "shared" / "corpus" / "thunderbird-en-US").glob("*.wiki"))
CONFIG = Config.default()


def seen_text(doc, ctx) -> str:
    return resolve(doc, ctx).to_wikitext()


# -- resolution ----------------------------------------------------------------------


def test_firefox_60_on_mac_sees_the_older_layout():
    text = seen_text(SEED.doc, Context("firefox", 60, "mac"))
    assert "Your connection is not secure" in text
    assert "Warning: Potential Security Risk Ahead" not in text
    assert "cert9.db" in text and "cert8.db" not in text
    assert "Windows Taskbar" not in text
    doc = resolve(SEED.doc, Context("firefox", 60, "mac"))
    assert "command" in [k.text_content() for k in doc.find(n.Key)]
    assert not doc.find(n.For)


def test_firefox_120_on_windows_10_sees_the_current_layout():
    text = seen_text(SEED.doc, Context("firefox", 120, "win10"))
    assert "Warning: Potential Security Risk Ahead" in text
    assert "Your connection is not secure" not in text.split("error page with the message,")[1][:60]
    assert "double-click the clock icon on the Windows Taskbar" in text
    assert "Microsoft family settings" in text
    keys = [k.text_content() for k in resolve(SEED.doc, Context("firefox", 120, "win10")).find(n.Key)]
    assert "command" not in keys and "Delete" in keys


def test_firefox_57_sees_cert8_and_linux_sees_no_windows_lines():
    assert "cert8.db" in seen_text(SEED.doc, Context("firefox", 57, "win7"))
    linux = seen_text(SEED.doc, Context("firefox", 120, "linux"))
    assert "Windows Taskbar" not in linux and "Microsoft family settings" not in linux


def test_nested_and_inline_for_resolve_together():
    doc = parse("{for mac}\nA {for fx66}new{/for}{for not fx66}old{/for}\n{/for}\nB{for win} win{/for}\n")
    assert seen_text(doc, Context("firefox", 70, "mac")).split() == ["A", "new", "B"]
    assert seen_text(doc, Context("firefox", 60, "mac")).split() == ["A", "old", "B"]
    assert seen_text(doc, Context("firefox", 70, "win10")).split() == ["B", "win"]


def test_resolve_leaves_the_parsed_tree_untouched():
    before = SEED.doc.to_wikitext()
    resolve(SEED.doc, Context("firefox", 60, "mac"))
    assert SEED.doc.to_wikitext() == before and SEED.doc.find(n.For)


# -- the seed's variants ---------------------------------------------------------------


def test_seed_variants_are_exactly_what_its_predicates_distinguish():
    found = kb.variants(SEED.doc, product="firefox")
    labels = [v.label for v in found]
    assert len(found) == 12  # 3 version ranges x 4 platform classes
    for versions in ("Firefox 66 and later", "Firefox 58\u201365", "Firefox 57 and earlier"):
        assert f"{versions} on Windows 8 or 10" in labels
        assert f"{versions} on Windows XP, 7 or 11" in labels
        assert f"{versions} on macOS" in labels
        assert f"{versions} on Linux" in labels
    assert found[0].label == "Firefox 66 and later on Windows 8 or 10"
    assert len({v.slug for v in found}) == 12
    assert all(v.slug.replace("-", "").replace("_", "").isalnum() for v in found)


def test_each_reader_falls_in_exactly_one_variant():
    found = kb.variants(SEED.doc, product="firefox")
    for version in (1, 57, 58, 60, 65, 66, 120, 150, 65.5, 999):
        for platform in ("winxp", "win7", "win8", "win10", "win11", "mac", "linux"):
            ctx = Context("firefox", version, platform)
            assert sum(v.covers(ctx) for v in found) == 1, ctx
    v60 = variant_for(found, Context("firefox", 60, "mac"))
    assert v60.label == "Firefox 58\u201365 on macOS"
    assert not found[0].covers(Context("thunderbird", 120, "win10"))


def test_variants_for_a_product_the_article_does_not_name_is_one():
    found = kb.variants(parse("{for fx66}only firefox{/for}\n"), product="thunderbird")
    assert [v.label for v in found] == ["Thunderbird"]


def test_exact_version_terms_cut_on_both_sides():
    found = kb.variants(parse("{for =fx60}sixty{/for}\n"), product="firefox")
    assert sorted(v.label for v in found) == ["Firefox 60", "Firefox 61 and later; Firefox 59 and earlier"]


def test_cost_does_not_grow_with_the_configured_range(monkeypatch):
    calls = []
    real = variants_module.content_key
    monkeypatch.setattr(variants_module, "content_key", lambda *a, **k: calls.append(1) or real(*a, **k))
    small = Config.from_mapping({"products": [{"slug": "firefox", "short": "fx", "name": "Firefox",
                                              "versions": {"from": 1, "to": 200}}]})
    large = Config.from_mapping({"products": [{"slug": "firefox", "short": "fx", "name": "Firefox",
                                              "versions": {"from": 1, "to": 10_000}}]})
    kb.variants(SEED.doc, "firefox", small)
    cells_small = len(calls)
    calls.clear()
    kb.variants(SEED.doc, "firefox", large)
    # 3 version ranges x 5 platform classes (this product offers every platform, Android and iOS too)
    assert len(calls) == cells_small == 15


# -- soundness and minimality ---------------------------------------------------------

_PLATFORMS = ("winxp", "win7", "win8", "win10", "win11", "mac", "linux")


@settings(max_examples=300, deadline=None)
@given(version=st.integers(1, 150) | st.floats(1, 160, allow_nan=False), platform=st.sampled_from(_PLATFORMS))
def test_seed_reader_sees_what_their_variant_shows(version, platform):
    found = kb.variants(SEED.doc, product="firefox")
    ctx = Context("firefox", version, platform)
    covering = [v for v in found if v.covers(ctx)]
    assert len(covering) == 1
    rep = covering[0].representative
    assert content_key(SEED.doc, Visibility(ctx)) == content_key(SEED.doc, Visibility(rep))


_TERMS = st.sampled_from(["fx58", "fx66", "=fx60", "not fx66", "win", "mac", "linux", "win8,win10",
                          "not mac", "fx70,mac", "tb115", "m", "not m", "foo", ""])


@st.composite
def conditional_articles(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        term = draw(_TERMS)
        body = draw(st.sampled_from(["a", "b", "a b"]))
        parts.append(draw(st.sampled_from([f"{{for {term}}}{body}{{/for}} ", f"\n{{for {term}}}\n{body}\n{{/for}}\n"])))
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(conditional_articles(), st.integers(1, 150), st.sampled_from(_PLATFORMS))
def test_generated_articles_are_sound_and_minimal(text, version, platform):
    doc = parse(text)
    found = kb.variants(doc, product="firefox")
    keys = [content_key(doc, Visibility(v.representative)) for v in found]
    assert len(set(keys)) == len(keys)  # minimal: no two variants read the same
    ctx = Context("firefox", version, platform)
    covering = [v for v in found if v.covers(ctx)]
    assert len(covering) == 1  # a partition
    assert content_key(doc, Visibility(ctx)) == keys[found.index(covering[0])]  # sound


@pytest.mark.parametrize("path", CORPUS[::8], ids=[p.stem for p in CORPUS[::8]])
def test_corpus_variants_for_thunderbird_are_sound(path):
    doc = parse(path.read_text(encoding="utf-8"))
    found = kb.variants(doc, product="thunderbird")
    assert found
    for version in (1, 60, 102, 115, 128, 150):
        for platform in ("win10", "mac", "linux"):
            ctx = Context("thunderbird", version, platform)
            (variant,) = [v for v in found if v.covers(ctx)]
            assert content_key(doc, Visibility(ctx)) == content_key(doc, Visibility(variant.representative))
