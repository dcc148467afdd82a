"""The code registry: the real content/codes.yaml, and every validation error."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from kb.codes import CodeEntry, Registry, RegistryError
from kb.codes.registry import CATEGORIES

ROOT = Path(__file__).resolve().parent.parent
CODES_YAML = ROOT / "content" / "codes.yaml"
ARTICLE = ROOT / "content" / "security-warning-codes.wiki"
SLUG = "what-do-security-warning-codes-mean"

SEC_ERROR_BASE = -8192
SSL_ERROR_BASE = -12288
MOZILLA_PKIX_ERROR_BASE = -16384

# Hand-copied from docs/markup.md, "Facts about the codes".
FACTS = {
    "SEC_ERROR_EXPIRED_CERTIFICATE": (SEC_ERROR_BASE + 11, -8181),
    "SEC_ERROR_UNKNOWN_ISSUER": (SEC_ERROR_BASE + 13, -8179),
    "SEC_ERROR_UNTRUSTED_ISSUER": (SEC_ERROR_BASE + 20, -8172),
    "SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE": (SEC_ERROR_BASE + 30, -8162),
    "SEC_ERROR_CA_CERT_INVALID": (SEC_ERROR_BASE + 36, -8156),
    "SEC_ERROR_OCSP_INVALID_SIGNING_CERT": (SEC_ERROR_BASE + 144, -8048),
    "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED": (SEC_ERROR_BASE + 176, -8016),
    "SSL_ERROR_BAD_CERT_DOMAIN": (SSL_ERROR_BASE + 12, -12276),
    "MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE": (MOZILLA_PKIX_ERROR_BASE + 5, -16379),
    "MOZILLA_PKIX_ERROR_NOT_YET_VALID_ISSUER_CERTIFICATE": (MOZILLA_PKIX_ERROR_BASE + 6, -16378),
    "MOZILLA_PKIX_ERROR_ADDITIONAL_POLICY_CONSTRAINT_FAILED": (MOZILLA_PKIX_ERROR_BASE + 13, -16371),
    "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT": (MOZILLA_PKIX_ERROR_BASE + 14, -16370),
    "MOZILLA_PKIX_ERROR_MITM_DETECTED": (MOZILLA_PKIX_ERROR_BASE + 15, -16369),
}

DOCUMENTED = {
    "SEC_ERROR_EXPIRED_CERTIFICATE",
    "SEC_ERROR_UNKNOWN_ISSUER",
    "SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE",
    "SEC_ERROR_OCSP_INVALID_SIGNING_CERT",
    "SSL_ERROR_BAD_CERT_DOMAIN",
    "MOZILLA_PKIX_ERROR_ADDITIONAL_POLICY_CONSTRAINT_FAILED",
    "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT",
    "MOZILLA_PKIX_ERROR_MITM_DETECTED",
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(CODES_YAML)


# -- the real registry ---------------------------------------------------------------


def test_facts_table_is_self_consistent():
    for code, (computed, written) in FACTS.items():
        assert computed == written, code


def test_every_facts_value_is_registered_correctly(registry):
    assert {e.code for e in registry.entries} == set(FACTS)
    assert len(registry.entries) == 13
    for code, (value, _) in FACTS.items():
        entry = registry.get(code)
        assert entry is not None, code
        assert entry.value == value, code
        assert registry.by_value(value) is entry


def test_entries_are_complete(registry):
    for entry in registry.entries:
        assert isinstance(entry, CodeEntry)
        assert entry.title and entry.summary, entry.code
        assert "\n" not in entry.summary
        assert entry.category in CATEGORIES, entry.code


def test_documented_codes_match_the_article(registry):
    assert {e.code for e in registry.entries if e.article == SLUG} == DOCUMENTED
    assert {e.code for e in registry.entries if e.article is None} == set(FACTS) - DOCUMENTED


def test_documented_codes_really_appear_in_the_article(registry):
    text = ARTICLE.read_text(encoding="utf-8")
    # `=CODE=` headings (fx66 layout, typo'd space removed) and `Error code: CODE` notes.
    named = {h.replace(" ", "") for h in re.findall(r"^=([A-Z_ ]+)=\s*$", text, re.M)}
    named |= set(re.findall(r"Error code: ([A-Z_]+)", text))
    canonical = {registry.get(n).code for n in named if registry.get(n)}
    assert canonical == DOCUMENTED
    assert named <= set(registry.all_names())


def test_self_signed_alias(registry):
    entry = registry.get("ERROR_SELF_SIGNED_CERT")
    assert entry is registry.get("MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT")
    assert entry.code == "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT"
    assert entry.aliases == ("ERROR_SELF_SIGNED_CERT",)
    assert registry.all_names()["ERROR_SELF_SIGNED_CERT"] == entry.code


def test_lookup_is_case_insensitive(registry):
    assert registry.get("sec_error_unknown_issuer").code == "SEC_ERROR_UNKNOWN_ISSUER"
    assert registry.get("  Error_Self_Signed_Cert ").value == -16370
    assert registry.get("SEC_ERROR_NOPE") is None
    assert registry.by_value(0) is None


def test_mitm_is_a_special_case_of_unknown_issuer(registry):
    mitm = registry.get("MOZILLA_PKIX_ERROR_MITM_DETECTED")
    unknown = registry.get("SEC_ERROR_UNKNOWN_ISSUER")
    assert mitm.special_case_of == unknown.code
    assert unknown.code in mitm.related
    assert mitm.code in unknown.related
    assert mitm.category == "interception"
    assert unknown.category == "issuer"


def test_related_is_symmetric(registry):
    for entry in registry.entries:
        for other in entry.related:
            assert entry.code in registry.get(other).related, (entry.code, other)


def test_shared_sections(registry):
    assert registry.shared_sections(SLUG) == (
        "What to do if you see these errors?",
        "What to do if you see this error?",
        "Corrupted certificate store",
        "Bypassing the warning",
    )
    assert registry.shared_sections("no-such-article") == ()
    headings = {
        h.strip("= \t")
        for h in ARTICLE.read_text(encoding="utf-8").splitlines()
        if h.startswith("=")
    }
    assert set(registry.shared_sections(SLUG)) <= headings


def test_entries_keep_file_order(registry):
    text = CODES_YAML.read_text(encoding="utf-8")
    order = re.findall(r"^  - code: (\S+)", text, re.M)
    assert [e.code for e in registry.entries] == order
    assert all(a.line < b.line for a, b in zip(registry.entries, registry.entries[1:]))


def test_entries_are_frozen(registry):
    with pytest.raises(AttributeError):
        registry.entries[0].value = 1


# -- validation errors -----------------------------------------------------------------


def load(text: str) -> Registry:
    return Registry.from_text(textwrap.dedent(text).lstrip("\n"), "t.yaml")


def error(text: str) -> RegistryError:
    with pytest.raises(RegistryError) as info:
        load(text)
    return info.value


def assert_error(text: str, line: int, *fragments: str) -> None:
    err = error(text)
    message = str(err)
    assert message.startswith(f"t.yaml:{line}: "), message
    assert err.filename == "t.yaml" and err.line == line
    for fragment in fragments:
        assert fragment in message, message


GOOD = """
codes:
  - code: A_ONE
    value: -1
    aliases: [ONE]
    title: One
    related: [B_TWO]
  - code: B_TWO
    value: -2
    title: Two
    related: [A_ONE]
    special_case_of: A_ONE
shared_sections:
  some-article:
    - Shared heading
"""


def test_minimal_registry_loads():
    reg = load(GOOD)
    assert [e.code for e in reg.entries] == ["A_ONE", "B_TWO"]
    assert reg.get("one").code == "A_ONE"
    assert reg.get("B_TWO").special_case_of == "A_ONE"
    assert reg.get("B_TWO").article is None and reg.get("B_TWO").aliases == ()
    assert reg.all_names() == {"A_ONE": "A_ONE", "ONE": "A_ONE", "B_TWO": "B_TWO"}
    assert reg.shared_sections("some-article") == ("Shared heading",)


def test_duplicate_code():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
          - code: a_one
            value: -2
            title: Again
        """,
        5, "duplicate code 'a_one'", "line 2",
    )


def test_duplicate_alias_across_entries():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
            aliases: [SHARED]
          - code: B_TWO
            value: -2
            title: Two
            aliases:
              - OTHER
              - SHARED
        """,
        11, "duplicate alias 'SHARED'", "'A_ONE'",
    )


def test_alias_repeated_in_one_entry():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
            aliases: [X, x]
        """,
        5, "alias 'x'",
    )


def test_alias_collides_with_another_code():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
          - code: B_TWO
            value: -2
            title: Two
            aliases: [A_ONE]
        """,
        8, "alias 'A_ONE' collides with code 'A_ONE'",
    )


def test_code_collides_with_an_earlier_alias():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
            aliases: [B_TWO]
          - code: B_TWO
            value: -2
            title: Two
        """,
        6, "code 'B_TWO' collides with an alias of 'A_ONE'",
    )


def test_duplicate_value():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
          - code: B_TWO
            value: -1
            title: Two
        """,
        6, "value -1 is already used by 'A_ONE'",
    )


@pytest.mark.parametrize(
    "field, raw, fragment",
    [
        ("value", '"-8179"', "value must be an integer, not a string"),
        ("value", "-81.5", "value must be an integer, not a number"),
        ("value", "true", "value must be an integer, not a boolean"),
        ("value", "[1]", "value must be an integer, not a list"),
        ("title", "12", "title must be a string, not an integer"),
        ("title", '""', "title must not be empty"),
        ("summary", "{a: b}", "summary must be a string, not a mapping"),
        ("aliases", "ERROR_X", "aliases must be a list of strings, not a string"),
        ("aliases", "[1]", "aliases item must be a string, not an integer"),
        ("aliases", '["HAS SPACE"]', "is not a code name"),
        ("related", "B_TWO", "related must be a list of strings, not a string"),
        ("category", "[issuer]", "category must be a string or null, not a list"),
        ("article", "3", "article must be a string or null, not an integer"),
    ],
)
def test_wrong_type(field, raw, fragment):
    text = "codes:\n  - code: A_ONE\n    value: -1\n    title: One\n"
    if field in ("value", "title"):
        text = text.replace(f"    {field}: ", f"    {field}: {raw}\n    #", 1)
        line = 3 if field == "value" else 4
    else:
        text += f"    {field}: {raw}\n"
        line = 5
    assert_error(text, line, fragment)


def test_unknown_key_suggests():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
            sumary: Typo
        """,
        5, "unknown key 'sumary'", "did you mean 'summary'?",
    )


def test_unknown_top_level_key_suggests():
    assert_error(
        """
        codes: []
        shared_section: {}
        """,
        2, "unknown key 'shared_section'", "did you mean 'shared_sections'?",
    )


def test_unknown_category_suggests():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
            category: isuer
        """,
        5, "unknown category 'isuer'", "did you mean 'issuer'?",
    )


def test_duplicate_key_in_entry():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
            title: Again
        """,
        5, "duplicate key 'title'", "line 4",
    )


@pytest.mark.parametrize("missing", ["code", "value", "title"])
def test_missing_required_key(missing):
    lines = ["codes:", "  - summary: s", "    code: A_ONE", "    value: -1", "    title: One"]
    text = "\n".join(l for l in lines if not l.strip().startswith(f"{missing}:")) + "\n"
    assert_error(text, 2, f"missing required key '{missing}'")


def test_missing_codes():
    assert_error("shared_sections: {}\n", 1, "missing required top-level key 'codes'")


def test_related_names_unregistered_code():
    assert_error(
        """
        codes:
          - code: SEC_ERROR_UNKNOWN_ISSUER
            value: -8179
            title: One
          - code: B_TWO
            value: -2
            title: Two
            related:
              - SEC_ERROR_UNKNOWN_ISUER
        """,
        9, "unregistered code 'SEC_ERROR_UNKNOWN_ISUER'",
        "did you mean 'SEC_ERROR_UNKNOWN_ISSUER'?",
    )


def test_related_names_an_alias():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
            aliases: [ONE]
          - code: B_TWO
            value: -2
            title: Two
            related: [ONE]
        """,
        9, "'ONE' is an alias", "'A_ONE'",
    )


def test_related_names_itself():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
            related: [A_ONE]
        """,
        5, "related names the entry itself",
    )


def test_special_case_of_unregistered():
    assert_error(
        """
        codes:
          - code: A_ONE
            value: -1
            title: One
            special_case_of: NOPE
        """,
        5, "special_case_of names unregistered code 'NOPE'",
    )


@pytest.mark.parametrize(
    "text, line",
    [
        ("codes:\n  - code: A_ONE\n    value: [1\n", 4),
        ("codes:\n  - code: A_ONE\n   value: -1\n", 3),
        ("codes:\n\t- code: A\n", 2),
    ],
)
def test_invalid_yaml(text, line):
    err = error(text)
    assert str(err).startswith(f"t.yaml:{line}: invalid YAML: "), str(err)


def test_empty_file():
    assert_error("# nothing\n", 1, "empty")


def test_wrong_shapes():
    assert_error("- a\n- b\n", 1, "registry must be a mapping, not a list")
    assert_error("codes:\n  A: 1\n", 2, "'codes' must be a list, not a mapping")
    assert_error("codes:\n  - just a string\n", 2, "code entry must be a mapping")
    assert_error(
        "codes: []\nshared_sections:\n  art: Heading\n", 3,
        "shared_sections['art'] must be a list of strings",
    )


def test_load_names_the_path(tmp_path):
    path = tmp_path / "codes.yaml"
    path.write_text("codes:\n  - code: A\n    value: x\n    title: T\n", encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        Registry.load(path)
    assert str(info.value).startswith(f"{path}:3: ")
