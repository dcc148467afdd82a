"""``kb diagnose`` against real TLS servers on 127.0.0.1, with chains made
here: every case gives the code Firefox would show and the key evidence,
from the network, from a ``--cert`` file, and as JSON from the installed
``kb`` command."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from cryptography.x509 import ocsp
from OpenSSL import SSL

from diagnose_support import (DAY, NOW, Server, ec_key, make_cert, make_v1_cert, ocsp_response, pem, resign,
                              rsa_key)
from kb.diagnose import Options, diagnose_host, diagnose_pem
from kb.diagnose.verify import Reader

KB = shutil.which("kb")


class Pki:
    """The test hierarchy: a root, an intermediate, and server certificates."""

    def __init__(self, folder) -> None:
        self.root_key, self.int_key, self.leaf_key = ec_key("root"), ec_key("intermediate"), ec_key("leaf")
        self.root = make_cert("KB Test Root", self.root_key, ca=True)
        self.inter = make_cert("KB Test Intermediate", self.int_key, self.root, self.root_key, ca=True)
        self.folder = folder
        self.root_file = self.write("root.pem", pem(self.root))
        self.empty_file = self.write("empty.pem", b"")

    def leaf(self, names=("good.test",), key=None, issuer=None, issuer_key=None, **kw):
        return make_cert(names[0] if names else "noname", key or self.leaf_key, issuer or self.inter,
                         issuer_key or self.int_key, names=names, **kw)

    def write(self, name: str, data: bytes):
        path = self.folder / name
        path.write_bytes(data)
        return path


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return Pki(tmp_path_factory.mktemp("pki"))


@dataclass
class Case:
    """One server configuration and what Firefox makes of it."""

    build: object             # pki -> (chain, key, server options)
    host: str                 # the site's name
    code: str | None          # the code Firefox shows first; None: connects
    evidence: str = ""        # a phrase the first problem's evidence must contain
    trust: str = "ca-file"    # how the test root is trusted: "ca-file", "mozilla" or "none"
    more: tuple = ()          # the codes that follow, in order
    args: tuple = field(default=())


def _chain(pki, *certs, key=None, **server):
    return list(certs), key or pki.leaf_key, server


def RSA_CA(p):
    return make_cert("KB RSA Intermediate", rsa_key(2048), p.root, p.root_key, ca=True)


def NOT_A_CA(p):
    """A certificate that may sign (key usage) but is no CA (basic constraints)."""
    return make_cert("KB Not A CA", ec_key("notca"), p.root, p.root_key,
                     key_usage={"key_cert_sign": True, "digital_signature": True})


CASES = {
    "good": Case(lambda p: _chain(p, p.leaf(), p.inter), "good.test", None),
    "expired leaf": Case(lambda p: _chain(p, p.leaf(not_before=NOW - 90 * DAY, not_after=NOW - 10 * DAY), p.inter),
                         "good.test", "SEC_ERROR_EXPIRED_CERTIFICATE", "10 days ago"),
    "expired intermediate": Case(
        lambda p: _chain(p, p.leaf(), make_cert("KB Test Intermediate", p.int_key, p.root, p.root_key, ca=True,
                                                not_before=NOW - 400 * DAY, not_after=NOW - 3 * DAY)),
        "good.test", "SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE", "CN=KB Test Intermediate expired on"),
    "not yet valid": Case(lambda p: _chain(p, p.leaf(not_before=NOW + 5 * DAY, not_after=NOW + 90 * DAY), p.inter),
                          "good.test", "MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE",
                          f"valid from {(NOW + 5 * DAY):%Y-%m-%d}"),
    "self-signed": Case(lambda p: _chain(p, make_cert("self.test", p.leaf_key, names=("self.test",))),
                        "self.test", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT", "signed by its own key"),
    "missing intermediate": Case(lambda p: _chain(p, p.leaf()), "good.test", "SEC_ERROR_UNKNOWN_ISSUER",
                                 "CN=KB Test Intermediate"),
    "unknown root": Case(lambda p: _chain(p, p.leaf(), p.inter), "good.test", "SEC_ERROR_UNKNOWN_ISSUER",
                         "CN=KB Test Root", trust="none"),
    "wrong name": Case(lambda p: _chain(p, p.leaf(names=("other.test", "www.other.test")), p.inter), "good.test",
                       "SSL_ERROR_BAD_CERT_DOMAIN", "covers other.test, www.other.test, not good.test"),
    "wildcard one level": Case(lambda p: _chain(p, p.leaf(names=("*.wild.test",)), p.inter), "a.wild.test", None),
    "wildcard two levels": Case(lambda p: _chain(p, p.leaf(names=("*.wild.test",)), p.inter), "a.b.wild.test",
                                "SSL_ERROR_BAD_CERT_DOMAIN", "*.wild.test covers one level only"),
    "wildcard bare name": Case(lambda p: _chain(p, p.leaf(names=("*.wild.test",)), p.inter), "wild.test",
                               "SSL_ERROR_BAD_CERT_DOMAIN", "does not cover the bare name wild.test"),
    "IP address": Case(lambda p: _chain(p, p.leaf(names=("good.test",), ips=("127.0.0.1",)), p.inter),
                       "127.0.0.1", None),
    "IP written as a DNS name": Case(lambda p: _chain(p, p.leaf(names=("127.0.0.1",)), p.inter), "127.0.0.1",
                                     "SSL_ERROR_BAD_CERT_DOMAIN", "an IP address matches only an IP address entry"),
    "SHA-1 signature": Case(lambda p: _chain(p, resign(p.leaf(), p.int_key, "sha1"), p.inter), "good.test",
                            "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED", "(SHA-1)"),
    "1024-bit RSA, Mozilla root": Case(
        lambda p: _chain(p, p.leaf(key=rsa_key(1024)), p.inter, key=rsa_key(1024)), "good.test",
        "MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE", "1024-bit RSA key", trust="mozilla"),
    "1024-bit RSA, a root you added": Case(
        lambda p: _chain(p, p.leaf(key=rsa_key(1024)), p.inter, key=rsa_key(1024)), "good.test", None),
    "CA certificate as the server's": Case(
        lambda p: _chain(p, p.leaf(ca=True, key_usage={"digital_signature": True, "key_cert_sign": True}), p.inter),
        "good.test", "MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY", "CA:TRUE"),
    "v1 intermediate": Case(
        lambda p: _chain(p, p.leaf(issuer=make_v1_cert("KB v1 Intermediate", ec_key("v1"), p.root, p.root_key),
                                   issuer_key=ec_key("v1")),
                         make_v1_cert("KB v1 Intermediate", ec_key("v1"), p.root, p.root_key)),
        "good.test", "MOZILLA_PKIX_ERROR_V1_CERT_USED_AS_CA", "version 1 certificate"),
    "intermediate that is not a CA": Case(
        lambda p: _chain(p, p.leaf(issuer=NOT_A_CA(p), issuer_key=ec_key("notca")), NOT_A_CA(p)),
        "good.test", "SEC_ERROR_CA_CERT_INVALID", "CA:FALSE"),
    "key usage without signing": Case(
        lambda p: _chain(p, p.leaf(key_usage={"data_encipherment": True}), p.inter), "good.test",
        "SEC_ERROR_INADEQUATE_KEY_USAGE", "allows data_encipherment"),
    "revoked, stapled": Case(
        lambda p: _chain(p, p.leaf(serial=4242), p.inter,
                         staple=ocsp_response(p.leaf(serial=4242), p.inter, p.int_key)),
        "good.test", "SEC_ERROR_REVOKED_CERTIFICATE", "was revoked on"),
    "good, stapled": Case(
        lambda p: _chain(p, p.leaf(serial=777), p.inter,
                         staple=ocsp_response(p.leaf(serial=777), p.inter, p.int_key, ocsp.OCSPCertStatus.GOOD)),
        "good.test", None),
    "must-staple without a staple": Case(lambda p: _chain(p, p.leaf(must_staple=True), p.inter), "good.test",
                                         "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING", "must-staple"),
    "MD5 signature": Case(lambda p: _chain(p, resign(p.leaf(issuer=RSA_CA(p), issuer_key=rsa_key(2048)),
                                                     rsa_key(2048), "md5"), RSA_CA(p)),
                          "good.test", "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED", "(MD5)"),
    "several problems": Case(
        lambda p: _chain(p, resign(p.leaf(names=("other.test",), not_before=NOW - 90 * DAY,
                                          not_after=NOW - 2 * DAY), p.int_key, "sha1"), p.inter),
        "good.test", "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED", "(SHA-1)",
        more=("SSL_ERROR_BAD_CERT_DOMAIN", "SEC_ERROR_EXPIRED_CERTIFICATE")),
    "expired with the wrong name": Case(
        lambda p: _chain(p, p.leaf(names=("other.test",), not_before=NOW - 90 * DAY, not_after=NOW - 2 * DAY),
                         p.inter),
        "good.test", "SSL_ERROR_BAD_CERT_DOMAIN", "not good.test", more=("SEC_ERROR_EXPIRED_CERTIFICATE",)),
}
#: Cases that only exist on the network: the handshake fails before any certificate.
HANDSHAKE_CASES = {
    "TLS 1.0 only": Case(lambda p: _chain(p, p.leaf(), p.inter, versions=(SSL.TLS1_VERSION, SSL.TLS1_VERSION)),
                         "good.test", "SSL_ERROR_UNSUPPORTED_VERSION", "chose TLS 1.0"),
    "no shared cipher": Case(
        lambda p: _chain(p, p.leaf(), p.inter, versions=(SSL.TLS1_2_VERSION, SSL.TLS1_2_VERSION),
                         ciphers="ECDHE-ECDSA-AES128-SHA256"),
        "good.test", "SSL_ERROR_NO_CYPHER_OVERLAP", "ECDHE-ECDSA-AES128-SHA256"),
    "plain HTTP on the TLS port": Case(lambda p: ([], None, {"mode": "http"}), "good.test",
                                       "SSL_ERROR_RX_RECORD_TOO_LONG", "'HTTP/1.1 400 Bad Request'"),
    "connection reset": Case(lambda p: ([], None, {"mode": "reset"}), "good.test", "PR_CONNECT_RESET_ERROR",
                             "reset"),
    "connection closed": Case(lambda p: ([], None, {"mode": "close"}), "good.test", "PR_END_OF_FILE_ERROR",
                              "closed the connection before the server sent anything"),
}


@pytest.fixture(scope="module")
def servers(pki):
    """One server per case, started when first needed."""
    started: dict[str, Server] = {}

    def get(name: str, case: Case) -> Server:
        if name not in started:
            chain, key, options = case.build(pki)
            started[name] = Server(chain, key, **options)
        return started[name]

    yield get
    for server in started.values():
        server.close()


def options(pki, case: Case, **kw) -> Options:
    trust = {"ca-file": {"ca_files": (pki.root_file,)}, "mozilla": {"mozilla_roots": pki.root_file},
             "none": {}}[case.trust]
    return Options(os_store=pki.empty_file, timeout=5, **{**trust, **kw})


def assert_diagnosis(diagnosis, case: Case) -> None:
    codes = [p.code.name for p in diagnosis.problems]
    if case.code is None:
        assert codes == [], diagnosis.problems
        assert diagnosis.connects
        return
    assert codes[0] == case.code
    assert case.evidence in " ".join(diagnosis.problems[0].finding.evidence)
    if case.more:
        assert tuple(codes[1:]) == case.more


@pytest.mark.parametrize("name", list(CASES) + list(HANDSHAKE_CASES))
def test_network(name, pki, servers):
    case = CASES.get(name) or HANDSHAKE_CASES[name]
    server = servers(name, case)
    diagnosis = diagnose_host(case.host, server.port, options(pki, case), connect_to=("127.0.0.1", server.port))
    assert_diagnosis(diagnosis, case)


@pytest.mark.parametrize("name", list(CASES))
def test_cert_file(name, pki):
    case = CASES[name]
    if "stapled" in name:  # a file carries no staple: the same chain is fine
        case = Case(case.build, case.host, None)
    chain, _, _ = case.build(pki)
    diagnosis = diagnose_pem(pem(*chain), case.host, options(pki, case))
    assert_diagnosis(diagnosis, case)


# -- the installed command ------------------------------------------------------------

def kb(*args, check_status=None):
    result = subprocess.run([KB, "diagnose", *map(str, args)], capture_output=True, text=True, timeout=60)
    if check_status is not None:
        assert result.returncode == check_status, result.stderr + result.stdout
    return result


def trust_args(pki, case: Case) -> list:
    return {"ca-file": ["--ca-file", pki.root_file], "mozilla": ["--mozilla-roots", pki.root_file],
            "none": []}[case.trust] + ["--os-store", pki.empty_file, "--os", "linux"]


@pytest.mark.parametrize("name", list(CASES) + list(HANDSHAKE_CASES))
def test_cli_json_from_the_network(name, pki, servers):
    case = CASES.get(name) or HANDSHAKE_CASES[name]
    server = servers(name, case)
    result = kb(f"https://{case.host}:{server.port}/", "--connect-to", f"127.0.0.1:{server.port}",
                "--format", "json", *trust_args(pki, case), check_status=0 if case.code is None else 1)
    report = json.loads(result.stdout)
    assert report["code"] == case.code
    assert report["connects"] is (case.code is None)
    if case.code:
        first = report["problems"][0]
        assert first["code"] == case.code and isinstance(first["value"], int) and first["value"] < 0
        assert case.evidence in " ".join(first["evidence"])
        assert [p["code"] for p in report["problems"][1:]] == list(case.more)


@pytest.mark.parametrize("name", ["good", "expired leaf", "wrong name", "SHA-1 signature", "v1 intermediate",
                                  "missing intermediate", "several problems"])
def test_cli_json_from_a_cert_file(name, pki):
    case = CASES[name]
    chain, _, _ = case.build(pki)
    path = pki.write(f"{name}.pem", pem(*chain))
    result = kb("--cert", path, "--host", case.host, "--format", "json", *trust_args(pki, case),
                check_status=0 if case.code is None else 1)
    report = json.loads(result.stdout)
    assert report["code"] == case.code
    assert report["target"] == {"host": case.host, "port": None, "source": "file"}
    assert [c["index"] for c in report["chain"]] == list(range(len(chain)))


# -- interception: depends on the reader's Firefox and system --------------------------

@pytest.fixture(scope="module")
def intercepted(pki):
    """A site whose certificate an antivirus root issued, and that root as
    the operating system's store holds it."""
    av_key = ec_key("antivirus")
    av_root = make_cert("Example Antivirus Web Shield Root", av_key, ca=True)
    leaf = make_cert("good.test", pki.leaf_key, av_root, av_key, names=("good.test",))
    server = Server([leaf], pki.leaf_key)
    yield server, pki.write("os-store.pem", pem(av_root))
    server.close()


@pytest.mark.parametrize("version, system, code", [
    ("150", "linux", "MOZILLA_PKIX_ERROR_MITM_DETECTED"),   # Firefox on Linux never reads the OS store
    ("110", "win10", "MOZILLA_PKIX_ERROR_MITM_DETECTED"),   # before Firefox 120
    ("130", "win10", None),                                # 120+ trusts roots added to Windows
    ("130", "mac", None),
])
def test_interception_depends_on_the_reader(intercepted, version, system, code):
    server, os_store = intercepted
    result = kb(f"https://good.test:{server.port}/", "--connect-to", f"127.0.0.1:{server.port}",
                "--os-store", os_store, "--version", version, "--os", system, "--format", "json",
                check_status=1 if code else 0)
    report = json.loads(result.stdout)
    assert report["code"] == code
    if code:
        assert "Example Antivirus Web Shield Root" in " ".join(report["problems"][0]["evidence"])
        assert report["problems"][0]["fix_by"][0] == "network"
    else:
        assert report["trusted_root"]["source"] == "os-store"
        assert any("operating system's store" in note for note in report["notes"])


def test_without_the_root_in_the_os_store_it_is_an_unknown_issuer(intercepted, pki):
    server, _ = intercepted
    diagnosis = diagnose_host("good.test", server.port, Options(os_store=pki.empty_file),
                              connect_to=("127.0.0.1", server.port))
    assert [p.code.name for p in diagnosis.problems] == ["SEC_ERROR_UNKNOWN_ISSUER"]


def test_reader_trusting_the_os_store_in_process(intercepted):
    server, os_store = intercepted
    diagnosis = diagnose_host("good.test", server.port, Options(os_store=os_store, reader=Reader(True)),
                              connect_to=("127.0.0.1", server.port))
    assert diagnosis.connects and diagnosis.path[-1].source == "os-store"


# -- the clock ------------------------------------------------------------------------------

def test_at_asks_what_happens_on_a_date(pki):
    chain, _, _ = CASES["good"].build(pki)
    path = pki.write("good-at.pem", pem(*chain))
    later = (NOW + timedelta(days=100)).strftime("%Y-%m-%d")
    report = json.loads(kb("--cert", path, "--host", "good.test", "--ca-file", pki.root_file, "--at", later,
                           "--format", "json", check_status=1).stdout)
    # The intermediate, the root and the server's certificate have all
    # expired by then; Firefox reports the issuers first (the server's own
    # errors wait until a path is found), nearest first.
    assert [(p["code"], p["certificate_index"]) for p in report["problems"]] == [
        ("SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE", 1), ("SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE", None),
        ("SEC_ERROR_EXPIRED_CERTIFICATE", 0)]
    assert report["checked_at"].startswith(later)
    # 100 days after NOW, the leaf (valid 60 days) expired about 40 days before.
    assert -41 * 86400 < report["problems"][2]["details"]["clock_off_seconds"] < -39 * 86400
    assert json.loads(kb("--cert", path, "--host", "good.test", "--ca-file", pki.root_file,
                         "--format", "json", check_status=0).stdout)["code"] is None


# -- the report for a person -------------------------------------------------------------------

def test_text_report_has_code_evidence_fixer_and_the_readers_help(pki, servers):
    case = CASES["expired leaf"]
    server = servers("expired leaf", case)
    out = kb(f"https://good.test:{server.port}/", "--connect-to", f"127.0.0.1:{server.port}",
             "--ca-file", pki.root_file, "--os-store", pki.empty_file, "--version", "60", "--os", "win10",
             check_status=1).stdout
    assert out.startswith(f"good.test:{server.port}: Firefox 60 on Windows 10 would show "
                          f"SEC_ERROR_EXPIRED_CERTIFICATE (-8181).")
    assert "10 days ago" in out and "Who can fix it: the site's owner" in out
    assert "Accept the Risk and Continue" in out
    assert "[0] CN=good.test" in out and "[1] CN=KB Test Intermediate" in out
    assert "Connection: TLS 1.3" in out
    # The reader's variant of the code's page: Firefox 60 is before the fx66 layout.
    assert "Help for SEC_ERROR_EXPIRED_CERTIFICATE, for Firefox 58–65 on Windows" in out
    assert "Your connection is not secure" in out and "Windows Taskbar" in out


def test_a_code_the_registry_lacks_still_gets_kbs_explanation(pki):
    chain, _, _ = CASES["v1 intermediate"].build(pki)
    path = pki.write("v1.pem", pem(*chain))
    out = kb("--cert", path, "--host", "good.test", "--ca-file", pki.root_file, check_status=1).stdout
    assert "MOZILLA_PKIX_ERROR_V1_CERT_USED_AS_CA (-16381)" in out
    assert "An old version 1 certificate" in out
    assert "The knowledge base has no page for MOZILLA_PKIX_ERROR_V1_CERT_USED_AS_CA yet" in out


def test_handshake_failure_text_says_no_way_to_continue(pki, servers):
    server = servers("TLS 1.0 only", HANDSHAKE_CASES["TLS 1.0 only"])
    out = kb(f"127.0.0.1:{server.port}", "--os-store", pki.empty_file, check_status=1).stdout
    assert "SSL_ERROR_UNSUPPORTED_VERSION (-12279)" in out
    assert "Firefox offers no way to continue" in out
    assert "No certificate: the handshake did not get that far." in out


# -- what the JSON promises ---------------------------------------------------------------------

def test_json_keys_are_the_documented_ones(pki, servers):
    server = servers("wrong name", CASES["wrong name"])
    report = json.loads(kb(f"https://good.test:{server.port}/", "--connect-to", f"127.0.0.1:{server.port}",
                           "--ca-file", pki.root_file, "--os-store", pki.empty_file, "--format", "json",
                           check_status=1).stdout)
    assert set(report) == {"target", "checked_at", "reader", "connects", "code", "value", "problems", "chain",
                           "path", "trusted_root", "connection", "notes", "help"}
    assert set(report["problems"][0]) == {"code", "value", "meaning", "fix_by", "can_override", "certificate",
                                          "certificate_index", "evidence", "details"}
    assert report["problems"][0]["details"]["names"] == ["other.test", "www.other.test"]
    assert set(report["chain"][0]) == {"index", "source", "subject", "issuer", "serial", "not_before",
                                       "not_after", "names", "key", "signature_algorithm", "version", "sha256"}
    assert report["help"]["registered"] is True and report["help"]["code"] == "SSL_ERROR_BAD_CERT_DOMAIN"
    assert report["reader"]["os"] == "linux"


# -- usage errors and unreachable hosts: exit 2, one line ------------------------------------------

def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("args, message", [
    ([], "give a site"),
    (["http://example.com/"], "not an https:// address"),
    (["example.com", "--cert", "x.pem"], "not both"),
    (["example.com", "--host", "a"], "--host goes with --cert"),
    (["--cert", "x.pem", "--at", "next week"], "--at 'next week'"),
    (["--cert", "/nonexistent/chain.pem"], "cannot read"),
    (["example.com", "--os", "beos"], "beos"),
    (["127.0.0.1:{closed}"], "refused the connection"),
])
def test_usage_errors_and_unreachable_hosts_exit_2(args, message, tmp_path):
    (tmp_path / "x.pem").write_text("")
    args = [a.format(closed=_closed_port()) for a in args]
    result = subprocess.run([KB, "diagnose", *args], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 2


@pytest.mark.parametrize("name, status", [("good, stapled", "good"), ("revoked, stapled", "revoked"),
                                          ("good", None)])
def test_the_staple_is_read(name, status, pki, servers):
    server = servers(name, CASES[name])
    diagnosis = diagnose_host("good.test", server.port, options(pki, CASES[name]),
                              connect_to=("127.0.0.1", server.port))
    assert diagnosis.ocsp == status
    if status is None:
        assert any("stapled no OCSP response" in note for note in diagnosis.notes)
