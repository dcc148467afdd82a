"""Error codes: what the seed documents, finding a code, and tailored pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.codes.extract import extract
from kb.project import Project
from kb.codes.lookup import find
from kb.conditions.context import Context
from kb.conditions.resolve import resolve
from kb.errors import UsageError
from kb.markup import nodes as n

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kb():
    return Project.load(ROOT).knowledge


SEED_CODES = [
    "MOZILLA_PKIX_ERROR_ADDITIONAL_POLICY_CONSTRAINT_FAILED", "SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE",
    "SEC_ERROR_EXPIRED_CERTIFICATE", "SEC_ERROR_UNKNOWN_ISSUER", "MOZILLA_PKIX_ERROR_MITM_DETECTED",
    "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT", "SSL_ERROR_BAD_CERT_DOMAIN", "SEC_ERROR_OCSP_INVALID_SIGNING_CERT",
]


# -- extraction ----------------------------------------------------------------------


def test_seed_sections_document_their_codes(kb):
    extraction = kb.extraction("what-do-security-warning-codes-mean")
    by_title = {(s.title, tuple(c.predicate_text for c in s.conditions)): s.codes for s in extraction.sections}
    assert by_title[("SEC_ERROR_EXPIRED_CERTIFICATE", ("fx66",))] == ["SEC_ERROR_EXPIRED_CERTIFICATE"]
    assert by_title[("The certificate expired on (date)", ("not fx66",))] == ["SEC_ERROR_EXPIRED_CERTIFICATE"]
    # The older layout documents two codes in one section.
    assert by_title[("The certificate is not trusted because the issuer certificate is unknown", ("not fx66",))] == \
        ["SEC_ERROR_UNKNOWN_ISSUER", "MOZILLA_PKIX_ERROR_MITM_DETECTED"]
    assert by_title[("Corrupted certificate store", ("fx66",))] == []
    assert set(extraction.codes) == {c if c != "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT" else "ERROR_SELF_SIGNED_CERT"
                                     for c in SEED_CODES}


def test_seed_stray_space_is_tolerated_and_reported(kb):
    extraction = kb.extraction("what-do-security-warning-codes-mean")
    (diag,) = [d for d in extraction.diagnostics if d.code == "malformed-code"]
    assert "MOZILLA_PKIX_ERROR_ADDITIONAL_POLICY_CONSTRAINT_FAILED" in diag.message
    lines = (ROOT / "content" / "security-warning-codes.wiki").read_text(encoding="utf-8").split("\n")
    assert lines[diag.line - 1] == "=MOZILLA_PKIX_ERROR _ADDITIONAL_POLICY_CONSTRAINT_FAILED="
    assert diag.fix.replacement == "MOZILLA_PKIX_ERROR_ADDITIONAL_POLICY_CONSTRAINT_FAILED"


@pytest.mark.parametrize("note, codes", [
    ("Error code: SEC_ERROR_FOO and more", ["SEC_ERROR_FOO"]),
    ("Error code: SEC_ERROR_FOO<br>next", ["SEC_ERROR_FOO"]),
    ("Error code: SEC_ERROR_FOO SSL_ERROR_BAR", ["SEC_ERROR_FOO"]),
    ("Error code: MOZILLA_PKIX_ERROR _SPACED_OUT", ["MOZILLA_PKIX_ERROR_SPACED_OUT"]),
    ("No code here", []),
])
def test_error_code_notes_stop_at_the_code(note, codes):
    from kb.markup import parse

    (section,) = extract(parse(f"==Title==\n{{note}}{note}{{/note}}\n")).sections
    assert section.codes == codes


def test_codes_in_notes_with_any_layout():
    from kb.markup import parse

    doc = parse("==Some title==\n{note}Text.<br><br>Error code: SSL_ERROR_FOO{/note}\n\nMore.\n==Next==\nx\n")
    (first, second) = extract(doc).sections
    assert first.codes == ["SSL_ERROR_FOO"] and second.codes == []


# -- finding a code ----------------------------------------------------------------------


@pytest.mark.parametrize("code", SEED_CODES)
def test_every_seed_code_is_found_by_every_query_form(kb, code):
    entry = kb.registry.get(code)
    assert find(kb.registry, code).entry is entry
    assert find(kb.registry, code.lower()).entry is entry
    assert find(kb.registry, str(entry.value)).entry is entry
    assert find(kb.registry, f"An error occurred.  Error code: {code}  View Certificate").entry is entry
    misspelled = code[:10] + code[11:]  # one letter dropped
    result = find(kb.registry, misspelled)
    assert result.entry is entry and result.how == "fuzzy"
    for alias in entry.aliases:
        assert find(kb.registry, alias).entry is entry


def test_distinctive_parts_and_ambiguity(kb):
    assert find(kb.registry, "UNKNOWN_ISSUER").entry.code == "SEC_ERROR_UNKNOWN_ISSUER"
    assert find(kb.registry, "bad cert domain").entry.code == "SSL_ERROR_BAD_CERT_DOMAIN"
    assert find(kb.registry, "8179").entry.code == "SEC_ERROR_UNKNOWN_ISSUER"
    expired = find(kb.registry, "EXPIRED")
    assert not expired.found and {e.code for e in expired.candidates} >= {
        "SEC_ERROR_EXPIRED_CERTIFICATE", "SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE"}
    nothing = find(kb.registry, "banana bread")
    assert not nothing.found and not nothing.candidates and nothing.suggestions


@pytest.mark.parametrize("query", ["", "   ", "\x00\x1b[2J\x07"])
def test_empty_queries_are_usage_errors(kb, query):
    with pytest.raises(UsageError, match="empty query"):
        find(kb.registry, query)


def test_huge_and_hostile_queries_answer_quickly_and_safely(kb):
    huge = "x" * 1_000_000
    assert not find(kb.registry, huge).found
    pasted = ("noise " * 100_000) + "SEC_ERROR_UNKNOWN_ISSUER"
    assert find(kb.registry, pasted).entry.code == "SEC_ERROR_UNKNOWN_ISSUER"
    assert find(kb.registry, "\x1b[31mSEC_ERROR_EXPIRED_CERTIFICATE\x1b[0m").entry.code == \
        "SEC_ERROR_EXPIRED_CERTIFICATE"


# -- tailored pages -------------------------------------------------------------------------


def page_text(kb, code, ctx) -> str:
    page = kb.page(kb.registry.get(code))
    return resolve(page.doc_for(ctx), ctx).text_content()


def test_expired_certificate_for_firefox_120(kb):
    win = page_text(kb, "SEC_ERROR_EXPIRED_CERTIFICATE", Context("firefox", 120, "win10"))
    assert "The certificate expired on" in win
    assert "double-click the clock icon on the Windows Taskbar" in win
    mac = page_text(kb, "SEC_ERROR_EXPIRED_CERTIFICATE", Context("firefox", 120, "mac"))
    assert "The certificate expired on" in mac and "Taskbar" not in mac


def test_expired_certificate_for_firefox_60_is_the_older_layout(kb):
    text = page_text(kb, "SEC_ERROR_EXPIRED_CERTIFICATE", Context("firefox", 60, "win10"))
    assert "This error occurs when a website's identity certification has expired." in text
    assert "Error code: SEC_ERROR_EXPIRED_CERTIFICATE" in text  # the older layout's note
    assert "Your connection is not secure" in text
    assert "Bypassing the warning" in text  # shared guidance of the older layout


def test_code_only_in_the_new_layout_falls_back_with_a_visible_line(kb):
    text = page_text(kb, "SEC_ERROR_OCSP_INVALID_SIGNING_CERT", Context("firefox", 60, "mac"))
    assert "The site is not configured correctly and failed a security check." in text
    assert "This section was written for Firefox 66 and later" in text
    current = page_text(kb, "SEC_ERROR_OCSP_INVALID_SIGNING_CERT", Context("firefox", 120, "mac"))
    assert "written for" not in current


def _paragraph_texts(nodes) -> set[str]:
    out = set()
    for node in nodes:
        for block in node.walk():
            if isinstance(block, (n.Paragraph, n.ListItem, n.Note)):
                text = " ".join(block.text_content().split())
                if len(text) > 30:
                    out.add(text)
    return out


@pytest.mark.parametrize("code", SEED_CODES)
def test_pages_never_hold_another_codes_section(kb, code):
    extraction = kb.extraction("what-do-security-warning-codes-mean")
    entry = kb.registry.get(code)
    page = kb.page(entry)
    mine = _paragraph_texts([x for s in page.sections + page.shared for x in s.nodes] + page.lead)
    others = set()
    for section in extraction.sections:
        if section.codes and not set(section.codes) & set(entry.names):
            others |= _paragraph_texts(section.nodes[1:])
    foreign = others - mine
    assert foreign  # there is text that belongs to other codes only
    for variant in page.variants("firefox"):
        ctx = variant.representative
        shown = _paragraph_texts([resolve(page.doc_for(ctx), ctx)])
        assert not shown & foreign, variant.label
