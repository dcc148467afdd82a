"""Which error Firefox reports for a server's certificate chain.

A port of the decision, not of the cryptography: mozilla::pkix's path
building (``BuildForward`` and ``PathBuildingStep`` in ``pkixbuild.cpp``),
driven as Firefox drives it (``CertVerifier::VerifyCert`` and
``VerifySSLServerCert`` in ``security/certverifier/CertVerifier.cpp``):

1. build a path from the server's certificate to a trust anchor, trying
   issuers in Firefox's order (built-in roots, then the certificates the
   server sent, then third-party roots); a certificate's own problems are
   found by :func:`kb.diagnose.checks.issuer_independent`; the server
   certificate's own problems are deferred until a path is found, so a
   missing issuer outranks them; an issuer's error is renamed
   (expired -> expired issuer), and when candidate issuers fail
   differently the error is SEC_ERROR_UNKNOWN_ISSUER;
2. first requiring 2048-bit RSA keys, then 1024-bit ones; a path that
   needs the weaker keys and ends at a built-in root is
   MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE;
3. for each, the key usages of a TLS server in turn;
4. then: a self-signed server certificate with no path is
   MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT; a missing issuer that the
   operating system's store knows is MOZILLA_PKIX_ERROR_MITM_DETECTED; an
   expired or not yet valid certificate that also has the wrong name is
   SSL_ERROR_BAD_CERT_DOMAIN; after a valid path, the host name is checked.

:func:`problems` repeats this, treating each reported problem as fixed, to
list every problem in the order Firefox would report them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cryptography.x509.oid import ExtensionOID

from kb.diagnose import names
from kb.diagnose.certs import Cert, Stores
from kb.diagnose.checks import CA, EE, SERVER_KEY_USAGES, Finding, Policy, issuer_independent
from kb.diagnose.ocsp import StapleResult, check_staple
from kb.diagnose.signatures import cert_signed_by

MAX_SUB_CA_COUNT = 6  # pkixbuild.cpp
_ISSUER_RENAMES = {
    "SEC_ERROR_EXPIRED_CERTIFICATE": "SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE",
    "MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE": "MOZILLA_PKIX_ERROR_NOT_YET_VALID_ISSUER_CERTIFICATE",
}
#: Errors after which no further problem can be found by pretending it fixed.
_TERMINAL = {"SEC_ERROR_UNKNOWN_ISSUER", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT",
             "MOZILLA_PKIX_ERROR_MITM_DETECTED", "SEC_ERROR_BAD_SIGNATURE", "SEC_ERROR_BAD_DER"}


@dataclass(frozen=True)
class Reader:
    """What about the reader changes Firefox's answer: whether Firefox
    trusts roots added to the operating system (Firefox 120 and later on
    Windows and macOS do, by default)."""

    trusts_os_store: bool = False


@dataclass
class Outcome:
    finding: Finding | None  # None: Firefox connects without a warning
    path: list[Cert]         # the certificates from the server's to the anchor, when one was found
    staple: StapleResult | None = None
    builtin_root: bool = False


class Verifier:
    def __init__(self, stores: Stores, host: str, staple: bytes | None, reader: Reader) -> None:
        self.stores = stores
        self.host = names.reference_host(host) if host else ""
        self.staple = staple
        self.reader = reader
        self._signatures: dict[tuple[str, str], bool] = {}

    # -- trust ------------------------------------------------------------------
    def is_anchor(self, cert: Cert) -> bool:
        return any(c.der == cert.der for c in self._anchors_with_subject(cert.subject))

    def _anchors_with_subject(self, subject: bytes) -> list[Cert]:
        found = self.stores.with_subject(subject)
        if not self.reader.trusts_os_store:
            found = [c for c in found if c.source != "os-store"]
        return found

    def signed(self, cert: Cert, issuer: Cert) -> bool:
        key = (cert.sha256, issuer.sha256)
        if key not in self._signatures:
            self._signatures[key] = cert_signed_by(cert, issuer)
        return self._signatures[key]

    # -- CertVerifier::VerifySSLServerCert ---------------------------------------
    def verify(self, chain: list[Cert], policy: Policy) -> Outcome:
        leaf, extras = chain[0], chain[1:]
        outcome = self._verify_cert(leaf, extras, policy)
        finding = outcome.finding
        if finding is not None:
            if (finding.code in ("SEC_ERROR_UNKNOWN_ISSUER", "SEC_ERROR_BAD_SIGNATURE",
                                 "SEC_ERROR_INADEQUATE_KEY_USAGE")
                    and leaf.self_issued and self.signed(leaf, leaf)):
                outcome.finding = Finding(
                    "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT", leaf,
                    (f"{leaf.label} is issued by itself and signed by its own key; no trusted "
                     f"certificate authority vouches for it.",), {"field": "issuer"})
            elif finding.code == "SEC_ERROR_UNKNOWN_ISSUER" and not self.reader.trusts_os_store:
                mitm = self._os_store_issuer(chain, policy)
                if mitm is not None:
                    outcome.finding = Finding(
                        "MOZILLA_PKIX_ERROR_MITM_DETECTED", leaf,
                        (f"{leaf.label} chains to {mitm.label}, a root in the operating system's "
                         f"store that is not in Mozilla's: software on this computer or the network "
                         f"(antivirus HTTPS scanning, a company proxy) issued it.",),
                        {"field": "issuer", "root": mitm.x509.subject.rfc4514_string()})
            elif finding.code in ("SEC_ERROR_EXPIRED_CERTIFICATE",
                                  "MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE") and finding.cert is leaf:
                wrong_name = self._name_finding(leaf, policy)
                if wrong_name is not None:
                    outcome.finding = wrong_name
            return outcome
        if leaf.extension(ExtensionOID.TLS_FEATURE) is not None and not self.staple \
                and not policy.skip(leaf, "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"):
            outcome.finding = Finding(
                "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING", leaf,
                (f"{leaf.label} has the OCSP must-staple extension, and the server sent no "
                 f"OCSP response.",), {"field": "tlsfeature"})
            return outcome
        outcome.finding = self._name_finding(leaf, policy)
        return outcome

    def _name_finding(self, leaf: Cert, policy: Policy) -> Finding | None:
        if not self.host or names.covers(leaf, self.host) or policy.skip(None, "SSL_ERROR_BAD_CERT_DOMAIN"):
            return None
        return Finding("SSL_ERROR_BAD_CERT_DOMAIN", leaf, (names.why_not(leaf, self.host),),
                       {"field": "subjectAltName", "host": self.host, "names": leaf.names})

    def _os_store_issuer(self, chain: list[Cert], policy: Policy) -> Cert | None:
        """The OS-store root the chain reaches when those roots are trusted."""
        trusting = Verifier(self.stores, self.host, self.staple, Reader(trusts_os_store=True))
        trusting._signatures = self._signatures
        outcome = trusting._verify_cert(chain[0], chain[1:], policy)
        if outcome.finding is not None and outcome.finding.code == "SEC_ERROR_UNKNOWN_ISSUER":
            return None
        if outcome.path:
            root = outcome.path[-1]
            return root if root.source == "os-store" else None
        issuers = {c.issuer for c in chain}
        return next((c for c in self.stores.os_store if c.subject in issuers), None)

    # -- CertVerifier::VerifyCert, TLS server usage ------------------------------
    def _verify_cert(self, leaf: Cert, extras: list[Cert], policy: Policy) -> Outcome:
        outcome = None
        for bits in (2048, 1024):
            outcome = self._for_key_usages(leaf, extras, replace(policy, min_rsa_bits=bits))
            if outcome.finding is None:
                if bits < 2048 and outcome.builtin_root:
                    weak = next(c for c in outcome.path if _rsa_bits(c) and _rsa_bits(c) < 2048)
                    outcome.finding = Finding(
                        "MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE", weak,
                        (f"{weak.label} has a {_rsa_bits(weak)}-bit RSA key; certificates from "
                         f"Mozilla's root program need at least 2048 bits.",),
                        {"field": "subjectPublicKeyInfo", "bits": _rsa_bits(weak)})
                break
        return outcome

    def _for_key_usages(self, leaf: Cert, extras: list[Cert], policy: Policy) -> Outcome:
        outcome = None
        for usage in SERVER_KEY_USAGES:
            outcome = self._build(leaf, extras, policy, usage)
            if outcome.finding is None or outcome.finding.code != "SEC_ERROR_INADEQUATE_KEY_USAGE":
                return outcome
        return outcome

    def _build(self, leaf: Cert, extras: list[Cert], policy: Policy, usage: str) -> Outcome:
        step = _BuildState(self, extras, policy)
        finding, path = step.forward(leaf, EE, usage, 0, ())
        outcome = Outcome(finding, path, step.staple_result)
        outcome.builtin_root = bool(path) and self.stores.is_builtin(path[-1])
        return outcome


class _BuildState:
    """One BuildCertChain call: its budget, the certificates the server
    sent, and what the stapled response said."""

    def __init__(self, verifier: Verifier, extras: list[Cert], policy: Policy) -> None:
        self.v = verifier
        self.extras = extras
        self.policy = policy
        self.budget = 200_000
        self.staple_result: StapleResult | None = None

    def forward(self, cert: Cert, role: str, usage: str | None, sub_ca_count: int,
                children: tuple[Cert, ...]) -> tuple[Finding | None, list[Cert]]:
        """BuildForward: (error or None, path from ``cert`` to the anchor)."""
        anchor = self.v.is_anchor(cert)
        own = issuer_independent(cert, role, anchor, self.policy, usage, sub_ca_count)
        deferred = None
        if own is not None:
            if role == EE and not anchor:
                deferred = own
            else:
                return own, []
        if anchor:
            return None, [cert]
        if role == CA:
            if sub_ca_count >= MAX_SUB_CA_COUNT:
                return Finding("SEC_ERROR_UNKNOWN_ISSUER", cert, ("The chain is too long.",)), []
            sub_ca_count += 1

        result: Finding | None = None
        result_set = False
        tried: list[Finding] = []
        for candidate in self._candidates(cert):
            found, path = self._check(cert, candidate, role, sub_ca_count, children, deferred)
            if found is not None:
                found = _as_issuer_error(found)
                tried.append(found)
            if result_set and found is not None and result is not None and found.code != result.code:
                found = _unknown_issuer(cert, tried)
            result, result_set = found, True
            if found is None:
                if deferred is not None:
                    return deferred, [cert, *path]
                return None, [cert, *path]
            if found.details.get("stop"):
                break
        if not result_set:
            return _unknown_issuer(cert, []), []
        return result, []

    def _candidates(self, cert: Cert) -> list[Cert]:
        """Firefox's order: built-in roots, the server's certificates, then
        third-party roots (reader-added, and the OS store when trusted).
        Self-signed certificates that are not anchors are skipped."""
        anchors = self.v._anchors_with_subject(cert.issuer)
        builtin = [c for c in anchors if c.source == "mozilla"]
        others = [c for c in anchors if c.source != "mozilla"]
        sent = [c for c in self.extras if c.subject == cert.issuer
                and not (c.self_issued and not self.v.is_anchor(c) and self.v.signed(c, c))]
        seen, ordered = set(), []
        for c in (*builtin, *sent, *others):
            if c.der not in seen:
                seen.add(c.der)
                ordered.append(c)
        return ordered

    def _check(self, cert: Cert, issuer: Cert, role: str, sub_ca_count: int,
               children: tuple[Cert, ...], deferred: Finding | None):
        """PathBuildingStep::Check for one candidate issuer."""
        for seen in (cert, *children):
            if seen.spki == issuer.spki and seen.subject == issuer.subject:
                return Finding("SEC_ERROR_UNKNOWN_ISSUER", cert, ("The chain loops.",)), []
        issuer_features = issuer.extension(ExtensionOID.TLS_FEATURE)
        if issuer_features is not None and cert.extension(ExtensionOID.TLS_FEATURE) != issuer_features:
            return Finding("MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING", cert,
                           (f"{issuer.label} requires TLS features {cert.label} does not carry.",)), []
        if self.budget == 0:
            return Finding("SEC_ERROR_UNKNOWN_ISSUER", cert, ("Path building gave up.",), {"stop": True}), []
        self.budget -= 1
        found, path = self.forward(issuer, CA, "key_cert_sign", sub_ca_count, (cert, *children))
        if found is not None:
            return found, []
        if not self.v.signed(cert, issuer) and not self.policy.skip(cert, "SEC_ERROR_BAD_SIGNATURE"):
            return Finding("SEC_ERROR_BAD_SIGNATURE", cert,
                           (f"{cert.label}'s signature does not verify with the key of {issuer.label}.",),
                           {"field": "signature"}), []
        if role == EE and self.v.staple and (deferred is None or deferred.code != "SEC_ERROR_EXPIRED_CERTIFICATE"):
            self.staple_result = check_staple(self.v.staple, cert, issuer, self.policy.at)
            code = self.staple_result.code
            if code is not None and not self.policy.skip(cert, code):
                # A problem with this certificate itself: no other path helps.
                return Finding(code, cert, (self.staple_result.evidence,),
                               {"field": "OCSP staple", "stop": True}), []
        return None, path


def _as_issuer_error(found: Finding) -> Finding:
    """PathBuildingStep::RecordResult: an issuer's own validity error is
    reported as the issuer's."""
    renamed = _ISSUER_RENAMES.get(found.code)
    if renamed is None:
        return found
    return replace(found, code=renamed, details={**found.details, "own_code": found.code})


def _unknown_issuer(cert: Cert, tried: list[Finding]) -> Finding:
    if tried:
        why = "; ".join(f"{f.code}" + (f" ({f.cert.label})" if f.cert else "") for f in tried)
        evidence = (f"No certificate that could have issued {cert.label} leads to a trusted root "
                    f"({why}).",)
    else:
        evidence = (f"No certificate the server sent, and no root in the trust store, is the "
                    f"issuer of {cert.label}: {cert.issuer_label}.",)
    return Finding("SEC_ERROR_UNKNOWN_ISSUER", cert, evidence,
                   {"field": "issuer", "issuer": cert.x509.issuer.rfc4514_string()})


def _rsa_bits(cert: Cert) -> int | None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = cert.x509.public_key()
    return key.key_size if isinstance(key, rsa.RSAPublicKey) else None


# -- every problem, in order ----------------------------------------------------------

def problems(verifier: Verifier, chain: list[Cert], policy: Policy, limit: int = 12) -> tuple[list[Finding], Outcome]:
    """Every problem Firefox would report, first the one it shows now, then
    the one it would show once that is fixed, and so on. Returns the list
    and the first verification's outcome."""
    found: list[Finding] = []
    first = None
    for _ in range(limit):
        outcome = verifier.verify(chain, policy)
        first = first or outcome
        finding = outcome.finding
        if finding is None or finding in found:
            break
        found.append(finding)
        if finding.code in _TERMINAL or finding.cert is None:
            found.extend(_leaf_problems(verifier, chain[0], policy, found))
            break
        own_code = finding.details.get("own_code", finding.code)
        key = (None if finding.code == "SSL_ERROR_BAD_CERT_DOMAIN" else finding.cert.sha256, own_code)
        policy = replace(policy, ignored=policy.ignored | {key})
    return found, first


def _leaf_problems(verifier: Verifier, leaf: Cert, policy: Policy, found: list[Finding]) -> list[Finding]:
    """The server certificate's own problems, which Firefox reports once a
    path to a trusted root exists."""
    more = []
    while True:
        own = issuer_independent(leaf, EE, False, policy, "digital_signature", 0)
        if own is None or own in found or own in more:
            break
        more.append(own)
        policy = replace(policy, ignored=policy.ignored | {(leaf.sha256, own.code)})
    name = verifier._name_finding(leaf, policy)
    if name is not None and all(f.code != name.code for f in found):
        more.append(name)
    return more
