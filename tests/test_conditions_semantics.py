"""The {for} semantics (showfor.js matchesCriteria), term by term, and readers.

Expectations are derived by hand from the rules in docs/markup.md: product
and version terms are OR-ed, platform and group terms are OR-ed, the two
kinds are AND-ed, unknown terms are ignored."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.conditions import Config, Context, ContextError, Predicate, Term, matches

FX60_MAC = Context("firefox", 60, "mac")


def config_with(**overrides) -> Config:
    return Config.from_mapping(overrides)


# ---------------------------------------------------------------------------
# The examples of docs/markup.md (Firefox 60 on macOS)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "predicate, expected",
    [
        ("fx58", True),
        ("fx66", False),
        ("not fx66", True),
        ("=fx60", True),
        ("win", False),
        ("fx58,win", False),
        ("fx58,mac", True),
        ("m", False),
        ("not m", True),
        # the spellings of docs/markup.md's opening list
        ("win8,win10", False),
        ("fx58, mac", True),
        ("=tb115", False),
    ],
)
def test_markup_doc_examples(predicate, expected):
    assert matches(predicate, FX60_MAC) is expected


# ---------------------------------------------------------------------------
# Product terms
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "predicate, expected",
    [
        ("fx", True),
        ("firefox", True),
        ("tb", False),
        ("thunderbird", False),
        ("mobile", False),
        ("not fx", False),
        ("not firefox", False),
        ("not tb", True),
        ("fx,tb", True),  # OR within products
        ("tb,m", False),
        ("not fx,tb", False),
        ("=firefox", True),  # '=' on a product is accepted and changes nothing
    ],
)
def test_product_terms(predicate, expected):
    assert matches(predicate, FX60_MAC) is expected


def test_exact_short_slug_is_unknown_as_in_showfor():
    # showfor maps short slugs before it strips '=', so '=fx' is never mapped.
    assert Predicate.parse("=fx").classify() == ("unknown",)
    assert matches("=fx", Context("thunderbird", 115, "linux")) is True


# ---------------------------------------------------------------------------
# Version terms
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "predicate, version, expected",
    [
        ("fx60", 60, True),  # "that version or later": 60 < max 61
        ("fx61", 60, False),
        ("fx1", 60, True),
        ("fx150", 150, True),
        ("fx150", 149, False),
        ("=fx60", 60, True),
        ("=fx60", 61, False),
        ("=fx60", 59, False),
        ("not fx61", 60, True),
        ("not fx60", 60, False),
        ("not =fx60", 60, False),
        ("not =fx60", 61, True),
        ("not=fx60", 60, False),  # 'not' then '=': still exact
        ("notfx66", 60, True),
        ("notfx66", 66, False),
        ("notfx66", 70, False),
        ("fx66,fx58", 60, True),
    ],
)
def test_firefox_version_terms(predicate, version, expected):
    assert matches(predicate, Context("firefox", version, "win10")) is expected


@pytest.mark.parametrize(
    "ctx, expected",
    [
        (Context("thunderbird", 115, "linux"), True),
        (Context("thunderbird", 128, "linux"), True),
        (Context("thunderbird", 102, "linux"), False),
        (Context("firefox", 70, "linux"), True),
        (Context("firefox", 60, "linux"), False),
        (Context("mobile", 120, "android"), False),
    ],
)
def test_mixed_products_are_ored(ctx, expected):
    assert matches("fx66,tb115", ctx) is expected


def test_version_term_of_another_product():
    reader = Context("mobile", 120, "android")
    assert matches("fx66", reader) is False
    assert matches("not fx66", reader) is True  # not (enabled and right version)
    assert matches("=fx120", reader) is False
    assert matches("m66", reader) is True


def test_reader_without_version_uses_default_version():
    reader = Context("firefox", None, "mac")  # default Firefox version is 150
    assert matches("fx150", reader) is True
    assert matches("=fx150", reader) is True
    assert matches("=fx149", reader) is False


def test_reader_on_an_unconfigured_version():
    # 60.5 is not a version; it stands for [60.5, 61).
    reader = Context("firefox", 60.5, "mac")
    assert matches("fx60", reader) is True
    assert matches("fx61", reader) is False
    assert matches("=fx60", reader) is False


def test_version_beyond_configured_range_is_unknown():
    assert Predicate.parse("fx300").classify() == ("unknown",)
    assert matches("fx300", FX60_MAC) is True
    assert matches("fx300,win", FX60_MAC) is False  # only 'win' counts
    wide = config_with(products=[{"slug": "firefox", "short": "fx", "versions": {"from": 1, "to": 400}}])
    assert Predicate.parse("fx300").classify(wide) == ("version",)
    assert matches("fx300", FX60_MAC, wide) is False


def test_non_canonical_version_slugs_are_unknown():
    assert Predicate.parse("fx60.0,fx060,fx,fx6.0.1").classify() == ("unknown", "unknown", "product", "unknown")


class TestDecimalVersions:
    config = config_with(
        products=[{"slug": "firefox", "short": "fx", "name": "Firefox", "versions": [3.5, 3.6, 4, 5]}]
    )

    @pytest.mark.parametrize(
        "predicate, version, expected",
        [
            ("fx3.5", 3.6, True),
            ("fx3.6", 3.6, True),
            ("fx4", 3.6, False),  # 3.6 covers [3.6, 4)
            ("=fx3.6", 3.6, True),
            ("=fx3.5", 3.6, False),
            ("=fx4", 4, True),
            ("=fx5", 5, True),  # the last covers [5, 6)
            ("fx3.6", 5, True),
            ("not fx4", 3.5, True),
        ],
    )
    def test_decimal_versions(self, predicate, version, expected):
        assert matches(predicate, Context("firefox", version, "mac"), self.config) is expected

    def test_slugs(self):
        assert Predicate.parse("fx3.6,fx3.60,fx3.7,fx36").classify(self.config) == (
            "version", "unknown", "unknown", "unknown")


# ---------------------------------------------------------------------------
# Platform terms and the win group
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "predicate, platform, expected",
    [
        ("mac", "mac", True),
        ("linux", "mac", False),
        ("mac,linux", "linux", True),
        ("not mac", "mac", False),
        ("not mac", "linux", True),
        ("notmac", "linux", True),
        ("win", "winxp", True),
        ("win", "win7", True),
        ("win", "win11", True),
        ("win", "linux", False),
        ("not win", "win10", False),
        ("not win", "mac", True),
        ("win10", "win7", False),
        ("not win10,win7", "win7", True),
        ("win,mac", "mac", True),
    ],
)
def test_platform_terms(predicate, platform, expected):
    assert matches(predicate, Context("firefox", 60, platform)) is expected


def test_reader_without_platform():
    reader = Context("firefox", 60, None)
    assert matches("mac", reader) is False
    assert matches("win", reader) is False
    assert matches("not mac", reader) is True
    assert matches("not win", reader) is True
    assert matches("fx58", reader) is True


@pytest.mark.parametrize(
    "predicate, ctx, expected",
    [
        ("fx58,mac", Context("firefox", 60, "linux"), False),
        ("fx66,mac", Context("firefox", 60, "mac"), False),
        ("tb,mac", Context("firefox", 60, "mac"), False),
        ("tb,fx,linux,mac", Context("firefox", 60, "mac"), True),
        ("not fx66,win", Context("firefox", 60, "win10"), True),
        ("not fx66,win", Context("firefox", 70, "win10"), False),
        ("fx66,tb115,win", Context("thunderbird", 115, "win7"), True),
        ("fx66,tb115,win", Context("thunderbird", 115, "mac"), False),
    ],
)
def test_kinds_are_anded(predicate, ctx, expected):
    assert matches(predicate, ctx) is expected


# ---------------------------------------------------------------------------
# Unknown and empty terms
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("ctx", [FX60_MAC, Context("thunderbird", 1, "win7"), Context("mobile", 80, None)])
def test_unknown_terms_are_ignored(ctx):
    assert matches("foo", ctx) is True
    assert matches("not foo", ctx) is True
    assert matches("foo,mac", ctx) is matches("mac", ctx)
    assert matches("foo,fx66,bar", ctx) is matches("fx66", ctx)
    assert matches("", ctx) is True  # {for} always shows
    assert matches("  ,  ", ctx) is True


def test_not_with_two_spaces_is_unknown():
    # /^not ?/ removes one space; ' fx66' names nothing (showfor does the same).
    assert Predicate.parse("not  fx66").classify() == ("unknown",)


def test_unknown_terms_lists_terms_with_offsets():
    p = Predicate.parse("fx66, foo ,not bar,mac", offset=100)
    unknown = p.unknown_terms(Config.default())
    assert [(t.text, t.name, t.negated, t.start, t.end) for t in unknown] == [
        ("foo", "foo", False, 106, 109),
        ("not bar", "bar", True, 111, 118),
    ]


# ---------------------------------------------------------------------------
# Parsing once, resolving once per configuration
# ---------------------------------------------------------------------------


def test_parse_terms_and_offsets():
    text = " fx58 ,  not =fx60,notmac,win "
    p = Predicate.parse(text, offset=10)
    assert p.terms == (
        Term("fx58", False, False, "fx58", 11, 15),
        Term("not =fx60", True, True, "fx60", 19, 28),
        Term("notmac", True, False, "mac", 29, 35),
        Term("win", False, False, "win", 36, 39),
    )
    for term in p.terms:
        assert text[term.start - 10 : term.end - 10] == term.text


def test_empty_terms_are_dropped():
    assert Predicate.parse("").terms == ()
    assert [t.text for t in Predicate.parse("fx66,,mac,").terms] == ["fx66", "mac"]


def test_classify_all_kinds():
    p = Predicate.parse("fx,firefox,fx66,=tb115,mac,win,foo")
    assert p.classify() == ("product", "product", "version", "version", "platform", "group", "unknown")


def test_classification_depends_on_config_and_is_cached_per_config():
    p = Predicate.parse("fx66,sm2,beos")
    default = Config.default()
    other = config_with(
        platforms=[{"slug": "beos", "name": "BeOS"}],
        products=[{"slug": "seamonkey", "short": "sm", "versions": {"from": 1, "to": 3}}],
    )
    assert p.classify(default) == ("version", "unknown", "unknown")
    assert p.classify(other) == ("unknown", "version", "platform")
    assert p.resolve(default) is p.resolve(default)
    assert p.resolve(other) is p.resolve(other)
    assert p.evaluate(Context("seamonkey", 2, "beos"), other) is True
    assert p.evaluate(Context("seamonkey", 1, "beos"), other) is False


def test_evaluate_with_default_config_when_none():
    p = Predicate.parse("fx66")
    assert p.evaluate(Context("firefox", 70, "mac")) is True
    assert p.evaluate(Context("firefox", 65, "mac"), None) is False


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

_KNOWN_TERMS = ["fx", "firefox", "m", "tb", "fx58", "fx66", "=fx60", "tb115", "=m80",
                "mac", "linux", "win10", "android", "win"]
_readers = st.builds(
    Context,
    st.sampled_from(["firefox", "mobile", "thunderbird"]),
    st.integers(1, 150),
    st.sampled_from(["winxp", "win7", "win10", "mac", "linux", "android", "ios", None]),
)


@given(_readers, st.sampled_from(_KNOWN_TERMS))
def test_not_negates_any_single_known_term(ctx, term):
    assert matches(f"not {term}", ctx) is (not matches(term, ctx))
    assert matches(f"not{term}", ctx) is (not matches(term, ctx))


@given(_readers, st.lists(st.sampled_from(_KNOWN_TERMS), min_size=1, max_size=4))
def test_predicate_is_or_of_kinds_anded(ctx, terms):
    kinds = Predicate.parse(",".join(terms)).classify()
    products = [matches(t, ctx) for t, k in zip(terms, kinds) if k in ("product", "version")]
    platforms = [matches(t, ctx) for t, k in zip(terms, kinds) if k in ("platform", "group")]
    expected = (not products or any(products)) and (not platforms or any(platforms))
    assert matches(",".join(terms), ctx) is expected
    assert matches(",".join(["zzz", *terms, "not qqq"]), ctx) is expected


# ---------------------------------------------------------------------------
# Readers (Context)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("fx60,mac", Context("firefox", 60, "mac")),
        ("fx60, mac", Context("firefox", 60, "mac")),
        ("mac fx60", Context("firefox", 60, "mac")),
        ("firefox:mac:fx60", Context("firefox", 60, "mac")),
        ("thunderbird:linux:tb115", Context("thunderbird", 115, "linux")),
        ("fx:mac:60", Context("firefox", 60, "mac")),
        ("firefox::fx60", Context("firefox", 60, None)),
        ("firefox:win10:", Context("firefox", 150, "win10")),
        ("fx60", Context("firefox", 60, None)),
        ("mac", Context("firefox", 150, "mac")),  # first product, its default version
        ("tb", Context("thunderbird", 150, None)),
        ("m120,android", Context("mobile", 120, "android")),
        ("firefox,fx60,mac", Context("firefox", 60, "mac")),
        ("fx60.0", Context("firefox", 60, None)),
    ],
)
def test_context_parse(text, expected):
    assert Context.parse(text) == expected


def test_context_str_is_the_persisted_form():
    assert str(Context.parse("fx60,mac")) == "firefox:mac:fx60"
    assert str(Context("firefox", 60.0, "mac")) == "firefox:mac:fx60"
    assert str(Context("thunderbird", 115, None)) == "thunderbird::tb115"
    assert str(Context.parse(str(Context("mobile", 80, "ios")))) == "mobile:ios:m80"
    assert Context("firefox", 60.0, "mac").version == 60
    assert isinstance(Context("firefox", 60.0, "mac").version, int)


def test_context_str_with_a_configured_short_slug():
    config = config_with(products=[{"slug": "seamonkey", "short": "sm", "versions": [2.5, 3]}])
    ctx = Context.parse("sm2.5,linux", config)
    assert ctx == Context("seamonkey", 2.5, "linux")
    assert str(ctx) == "seamonkey:linux:sm2.5"


def test_context_describe():
    assert Context.parse("fx60,mac").describe() == "Firefox 60 on macOS"
    assert Context.parse("m80").describe() == "Firefox for Android 80"


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("chrome", ["unknown 'chrome'", "firefox (fx)", "thunderbird (tb)", "mac", "android"]),
        ("fx300", ["Firefox has no version 300", "1 to 150"]),
        ("fx60,beos", ["unknown 'beos'", "winxp", "linux"]),
        ("firefox:beos:fx60", ["unknown platform 'beos'", "winxp, win7, win8, win10, win11, mac, linux"]),
        ("chrome:mac:fx60", ["unknown product 'chrome'", "firefox (fx), mobile (m), thunderbird (tb)"]),
        ("firefox:mac:fx999", ["Firefox has no version 999", "1 to 150"]),
        ("firefox:mac:tb115", ["Thunderbird version"]),
        ("fx60,tb115", ["two products"]),
        ("fx60,fx66", ["two versions", "60", "66"]),
        ("mac,linux", ["two platforms"]),
        ("win", ["group", "winxp, win7, win8, win10, win11"]),
        ("m,mac", ["does not run on macOS", "android, ios"]),
        ("a:b:c:d", ["product:platform:version"]),
    ],
)
def test_context_parse_errors_list_valid_values(text, fragments):
    with pytest.raises(ContextError) as info:
        Context.parse(text)
    for fragment in fragments:
        assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_context_make():
    assert Context.make("fx", "60", "mac") == Context("firefox", 60, "mac")
    assert Context.make("firefox", "fx60", None) == Context("firefox", 60, None)
    assert Context.make("thunderbird", 115, "linux") == Context("thunderbird", 115, "linux")
    assert Context.make(None, None, None) == Context("firefox", 150, None)
    with pytest.raises(ContextError, match=r"unknown platform 'mca' \(did you mean 'mac'\?\)"):
        Context.make("firefox", 60, "mca")
    with pytest.raises(ContextError, match="valid versions: 1 to 150"):
        Context.make("firefox", 0, None)
    with pytest.raises(ContextError, match="valid products: firefox"):
        Context.make("chrome", None, None)


def test_context_make_with_decimal_versions():
    config = config_with(products=[{"slug": "firefox", "short": "fx", "versions": [3.5, 3.6, 4]}])
    assert Context.make("fx", "3.6", "mac", config).version == 3.6
    with pytest.raises(ContextError, match=r"valid versions: 3\.5, 3\.6, 4"):
        Context.make("fx", "3.7", "mac", config)
