"""kb.yaml: defaults, loading, the Versions look-ups, and every error case
(each message names the file, the line and the key)."""

import textwrap
import time

import pytest

from kb.conditions import Config, ConfigError, Versions
from kb.conditions.config import Platform, format_version, parse_version


def load(text: str, filename: str = "kb.yaml") -> Config:
    return Config.from_yaml_text(textwrap.dedent(text), filename)


def error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load(text)
    return info.value


# ---------------------------------------------------------------------------
# Defaults
# ---------------------------------------------------------------------------


def test_default_products():
    config = Config.default()
    assert [(p.slug, p.short, p.name) for p in config.products] == [
        ("firefox", "fx", "Firefox"),
        ("mobile", "m", "Firefox for Android"),
        ("thunderbird", "tb", "Thunderbird"),
    ]
    firefox = config.product("fx")
    assert firefox is config.product("firefox")
    assert (firefox.versions.first, firefox.versions.last, firefox.default_version) == (1, 150, 150)
    assert firefox.platforms == ("winxp", "win7", "win8", "win10", "win11", "mac", "linux")
    assert config.product("m").platforms == ("android", "ios")
    assert config.product("tb").platforms == firefox.platforms
    assert config.product("chrome") is None


def test_default_platforms_and_groups():
    config = Config.default()
    assert config.platform("mac") == Platform("mac", "macOS")
    assert config.platform("ios").name == "iOS"
    assert [p.slug for p in config.platforms] == [
        "winxp", "win7", "win8", "win10", "win11", "mac", "linux", "android", "ios"]
    assert config.platform_group("win") == ("winxp", "win7", "win8", "win10", "win11")
    assert config.platform_group("mac") is None
    assert config.platform("win") is None
    assert config.live_site == "https://support.mozilla.org/en-US/kb/"
    assert config.check == {"ignore": [], "select": []}


def test_load_without_kb_yaml_gives_defaults(tmp_path):
    assert Config.load(tmp_path) is Config.default()


def test_load_reads_kb_yaml(tmp_path):
    (tmp_path / "kb.yaml").write_text("live_site: https://example.org/kb/\ncheck: {ignore: [W001]}\n")
    config = Config.load(tmp_path)
    assert config.live_site == "https://example.org/kb/"
    assert config.check == {"ignore": ["W001"], "select": []}
    assert config.source == str(tmp_path / "kb.yaml")
    # omitted keys keep their defaults
    assert [p.slug for p in config.products] == ["firefox", "mobile", "thunderbird"]
    assert config.platform_group("win") == ("winxp", "win7", "win8", "win10", "win11")


def test_load_error_names_the_real_path(tmp_path):
    (tmp_path / "kb.yaml").write_text("live_site: 3\n")
    with pytest.raises(ConfigError, match=r"kb\.yaml:1: live_site: expected a text, got 3"):
        Config.load(tmp_path)


def test_empty_file_gives_defaults():
    config = load("# nothing yet\n")
    assert [p.slug for p in config.products] == ["firefox", "mobile", "thunderbird"]


def test_check_keeps_other_keys():
    assert load("check: {select: [E1], max_width: 80}").check == {"select": ["E1"], "max_width": 80, "ignore": []}


def test_full_file():
    config = load("""
        products:
          - slug: firefox
            short: fx
            name: Firefox
            versions: {from: 1, to: 200}
            platforms: [win10, mac]
            default_version: 150
          - slug: seamonkey
            versions: [2.5, 2.49, 3]
        platforms:
          - {slug: win10, name: Windows 10}
          - {slug: mac, name: macOS}
          - linux
        platform_groups:
          desktop: [win10, mac, linux]
        live_site: https://example.org/
    """)
    firefox, seamonkey = config.products
    assert firefox.versions == Versions.range(1, 200)
    assert firefox.default_version == 150
    assert firefox.platforms == ("win10", "mac")
    assert (seamonkey.short, seamonkey.name) == ("seamonkey", "seamonkey")
    assert list(seamonkey.versions) == [2.49, 2.5, 3]  # sorted
    assert seamonkey.default_version == 3
    assert seamonkey.platforms == ("win10", "mac", "linux")  # default: all
    assert config.platform("linux") == Platform("linux", "linux")
    assert config.platform_groups == {"desktop": ("win10", "mac", "linux")}
    assert config.version_slug("seamonkey2.49") == (seamonkey, 2.49)
    assert config.version_slug("fx200") == (firefox, 200)
    assert config.version_slug("fx201") is None


def test_platforms_without_products_filters_default_products_and_groups():
    config = load("""
        platforms: [win10, mac, android]
    """)
    assert config.product("fx").platforms == ("win10", "mac")
    assert config.product("m").platforms == ("android",)
    assert config.platform_group("win") == ("win10",)


def test_product_without_versions():
    config = load("products: [{slug: vpn, name: Mozilla VPN}]")
    vpn = config.product("vpn")
    assert len(vpn.versions) == 0 and vpn.default_version is None
    assert config.version_slug("vpn1") is None


def test_from_mapping():
    config = Config.from_mapping({"products": [{"slug": "firefox", "short": "fx", "versions": [3.6, 4]}]})
    assert list(config.product("fx").versions) == [3.6, 4]


# ---------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------


def test_version_range():
    v = Versions.range(1, 150)
    assert v.contains(1) and v.contains(150) and v.contains(60.0)
    assert not v.contains(0) and not v.contains(151) and not v.contains(60.5)
    assert not v.contains(True) and not v.contains("60")
    assert 60 in v
    assert v.bounds(60) == (60, 61)
    assert v.bounds(150) == (150, 151)
    with pytest.raises(KeyError):
        v.bounds(151)
    assert (v.first, v.last, len(v)) == (1, 150, 150)
    assert v.next_after(60) == 61 and v.next_after(60.5) == 61 and v.next_after(-3) == 1
    assert v.next_after(150) is None
    assert v.prev_before(60) == 59 and v.prev_before(60.5) == 60 and v.prev_before(999) == 150
    assert v.prev_before(1) is None
    assert list(Versions.range(3, 6)) == [3, 4, 5, 6]
    assert v.span(60) == (60, 61) and v.span(60.5) == (60.5, 61) and v.span(200) == (200, 201)
    assert v.describe() == "1 to 150"


def test_huge_range_is_arithmetic():
    v = Versions.range(1, 10**12)
    start = time.perf_counter()
    for n in range(1000):
        assert v.contains(10**11 + n)
        assert v.bounds(10**11 + n) == (10**11 + n, 10**11 + n + 1)
        assert v.next_after(10**11 + n) == 10**11 + n + 1
    assert time.perf_counter() - start < 1
    assert len(v) == 10**12


def test_version_list():
    v = Versions.of([4, 3.6, 3.5, 5.0])
    assert list(v) == [3.5, 3.6, 4, 5]
    assert isinstance(list(v)[-1], int)
    assert v.bounds(3.5) == (3.5, 3.6)
    assert v.bounds(3.6) == (3.6, 4)
    assert v.bounds(5) == (5, 6)
    assert v.contains(4.0) and not v.contains(3.7)
    with pytest.raises(KeyError):
        v.bounds(3.7)
    assert v.next_after(3.6) == 4 and v.next_after(3.55) == 3.6 and v.next_after(5) is None
    assert v.prev_before(3.6) == 3.5 and v.prev_before(3.5) is None and v.prev_before(100) == 5
    assert (v.first, v.last, len(v)) == (3.5, 5, 4)
    assert v.span(3.7) == (3.7, 4)
    assert v.describe() == "3.5, 3.6, 4, 5"
    empty = Versions.of([])
    assert (empty.first, empty.last, len(empty), empty.contains(1)) == (None, None, 0, False)


def test_version_text():
    assert format_version(60) == "60" and format_version(60.0) == "60" and format_version(3.6) == "3.6"
    assert parse_version("60") == 60 and parse_version("3.6") == 3.6 and parse_version("60.0") == 60
    assert parse_version("6.0.1") is None and parse_version("x") is None and parse_version("") is None


# ---------------------------------------------------------------------------
# Errors: file, line, key
# ---------------------------------------------------------------------------


def test_versions_wrong_type_message_is_exact():
    e = error("""\
        # kb.yaml
        products:
          - slug: firefox
            short: fx
            name: Firefox
            platforms: [mac]
            versions: abc
    """)
    assert str(e) == ("kb.yaml:7: products[0].versions: expected a mapping {from, to} "
                      "or a list of numbers, got 'abc'")
    assert (e.filename, e.line, e.key) == ("kb.yaml", 7, "products[0].versions")


@pytest.mark.parametrize(
    "text, message",
    [
        ("- a\n- b\n", "kb.yaml:1: expected a mapping, got a list"),
        ("products: firefox\n", "kb.yaml:1: products: expected a list, got 'firefox'"),
        ("products:\n  - firefox\n", "kb.yaml:2: products[0]: expected a mapping, got 'firefox'"),
        ("products:\n  - {short: fx}\n", "kb.yaml:2: products[0]: missing required key 'slug'"),
        ("products:\n  - slug: 7\n", "kb.yaml:2: products[0].slug: expected a text, got 7"),
        ("products:\n  - slug: fire fox\n", "kb.yaml:2: products[0].slug: 'fire fox' is not a slug"),
        ("products:\n  - slug: notes\n", "kb.yaml:2: products[0].slug: 'notes' starts with 'not'"),
        ("products:\n  - slug: firefox\n    name: [a]\n", "kb.yaml:3: products[0].name: expected a single value, got a list"),
        ("products:\n  - slug: firefox\n    versions: {from: 1}\n",
         "kb.yaml:3: products[0].versions: missing required key 'to'"),
        ("products:\n  - slug: firefox\n    versions: {from: 1.5, to: 3}\n",
         "kb.yaml:3: products[0].versions.from: expected a non-negative integer, got 1.5"),
        ("products:\n  - slug: firefox\n    versions: {from: 1, to: 2, step: 1}\n",
         "kb.yaml:3: products[0].versions.step: unknown key; expected one of: from, to"),
        ("products:\n  - slug: firefox\n    versions:\n      - 3.6\n      - four\n",
         "kb.yaml:5: products[0].versions[1]: expected a non-negative number, got 'four'"),
        ("products:\n  - slug: firefox\n    versions: [true]\n",
         "kb.yaml:3: products[0].versions[0]: expected a non-negative number, got True"),
        ("products:\n  - slug: firefox\n    versions: [3.6, 4, 3.6]\n",
         "kb.yaml:3: products[0].versions[2]: duplicate version 3.6 (also products[0].versions[0])"),
        ("products:\n  - slug: firefox\n    versions: {from: 1, to: 3}\n    default_version: 9\n",
         "kb.yaml:4: products[0].default_version: 9 is not one of the product's versions (1 to 3)"),
        ("products:\n  - slug: firefox\n    short: fx2\n    versions: [1]\n",
         "kb.yaml:3: products[0].short: 'fx2' ends in a digit or '.'"),
        ("platforms:\n  - {slug: mac, name: 3}\n", "kb.yaml:2: platforms[0].name: expected a text, got 3"),
        ("platform_groups: [win]\n", "kb.yaml:1: platform_groups: expected a mapping, got a list"),
        ("platform_groups:\n  win: []\n", "kb.yaml:2: platform_groups.win: expected a non-empty list, got a list"),
        ("live_site:\n", "kb.yaml:1: live_site: expected a text, got nothing"),
        ("check: [E1]\n", "kb.yaml:1: check: expected a mapping, got a list"),
        ("check:\n  ignore: E1\n", "kb.yaml:2: check.ignore: expected a list, got 'E1'"),
        ("check:\n  ignore: [1]\n", "kb.yaml:2: check.ignore[0]: expected a text, got 1"),
    ],
)
def test_wrong_types(text, message):
    assert str(error(text)).startswith(message)


def test_from_greater_than_to():
    e = error("""\
        products:
          - slug: firefox
            versions:
              from: 200
              to: 1
    """)
    assert str(e) == "kb.yaml:4: products[0].versions: 'from' (200) is greater than 'to' (1)"


@pytest.mark.parametrize(
    "text, message",
    [
        ("prodcts: []\n", "kb.yaml:1: prodcts: unknown key; did you mean 'products'?"),
        ("live_site: x\nplatform_group: {}\n", "kb.yaml:2: platform_group: unknown key; did you mean 'platform_groups'?"),
        ("products:\n  - slug: firefox\n    shrot: fx\n", "kb.yaml:3: products[0].shrot: unknown key; did you mean 'short'?"),
        ("platforms:\n  - {slug: mac, nmae: macOS}\n", "kb.yaml:2: platforms[0].nmae: unknown key; did you mean 'name'?"),
        ("zzz: 1\n", "kb.yaml:1: zzz: unknown key; expected one of: products, platforms, platform_groups, live_site, check, embeds"),
    ],
)
def test_unknown_keys(text, message):
    assert str(error(text)) == message


@pytest.mark.parametrize(
    "text, message",
    [
        ("products:\n  - slug: firefox\n  - slug: firefox\n",
         "kb.yaml:3: products[1].slug: duplicate name 'firefox': already the slug of products[0]"),
        ("products:\n  - {slug: firefox, short: fx}\n  - {slug: focus, short: fx}\n",
         "kb.yaml:3: products[1].short: duplicate name 'fx': already the short slug of products[0]"),
        ("products:\n  - {slug: firefox, short: fx}\n  - {slug: fx}\n",
         "kb.yaml:3: products[1].slug: duplicate name 'fx': already the short slug of products[0]"),
        ("platforms:\n  - mac\n  - linux\n  - {slug: mac, name: Mac}\n",
         "kb.yaml:4: platforms[2].slug: duplicate name 'mac': already the slug of platforms[0]"),
        ("platforms: [mac, linux]\nplatform_groups:\n  mac: [mac]\n",
         "kb.yaml:3: platform_groups.mac: duplicate name 'mac': already the slug of platforms[0]"),
        # a product clashing with a default platform is reported where the file names it
        ("products:\n  - slug: mac\n",
         "kb.yaml:2: products[0].slug: duplicate name 'mac': already the default platform 'mac'"),
        # a platform clashing with a default product
        ("platforms: [mac, mobile]\n",
         "kb.yaml:1: platforms[1]: duplicate name 'mobile': already the default product 'mobile'"),
        ("products: []\nproducts: []\n", "kb.yaml:2: products: duplicate key (first on line 1)"),
    ],
)
def test_duplicates(text, message):
    assert str(error(text)) == message


def test_product_with_unknown_platform():
    e = error("""\
        platforms: [winxp, mac, linux]
        products:
          - slug: firefox
            platforms: [mac, linx]
    """)
    assert str(e) == "kb.yaml:4: products[0].platforms[1]: unknown platform 'linx'; did you mean 'linux'?"


def test_product_with_unknown_default_platform():
    e = error("products:\n  - {slug: firefox, platforms: [beos]}\n")
    assert str(e).startswith("kb.yaml:2: products[0].platforms[0]: unknown platform 'beos'; expected one of: winxp")


def test_group_with_unknown_platform():
    e = error("""\
        platform_groups:
          win:
            - winxp
            - win12
    """)
    assert str(e) == "kb.yaml:4: platform_groups.win[1]: unknown platform 'win12'; did you mean 'win11'?"


@pytest.mark.parametrize(
    "text, line",
    [
        ("products:\n  - slug: firefox\n    versions: [1, 2\n", 4),
        ("live_site: x\n  bad: indent\n", 2),
        ("a: 'unterminated\n", 2),
        ("--- {}\n--- {}\n", 2),
    ],
)
def test_invalid_yaml_reports_its_line(text, line):
    e = error(text)
    assert e.line == line
    assert str(e).startswith(f"kb.yaml:{line}: invalid YAML: ")


def test_error_uses_given_filename():
    with pytest.raises(ConfigError, match=r"^site/kb\.yaml:1: prodcts: unknown key"):
        Config.from_yaml_text("prodcts: []\n", "site/kb.yaml")


def test_config_error_is_a_kb_error_with_usage_status():
    from kb.errors import KbError

    e = error("zzz: 1\n")
    assert isinstance(e, KbError) and isinstance(e, Exception) and e.status == 2
