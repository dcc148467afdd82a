"""The checks on one certificate that do not depend on its issuer, in the
order mozilla::pkix runs them (``CheckIssuerIndependentProperties`` in
``pkixcheck.cpp``): signature algorithm (not for trust anchors), public
key, issuer name, key usage, basic constraints, extended key usage, and
last the validity period. The first failing check is the certificate's
error; the order decides which code a certificate with several problems
gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID

from kb.diagnose.certs import Cert, describe_key, signature_name

EE, CA = "end-entity", "CA"
#: The key usages Firefox accepts for a TLS server certificate, tried in
#: this order ((EC)DHE, RSA key exchange, (EC)DH): CertVerifier.cpp's
#: BuildCertChainForOneKeyUsage.
SERVER_KEY_USAGES = ("digital_signature", "key_encipherment", "key_agreement")
_SUPPORTED_CURVES = ("secp256r1", "secp384r1", "secp521r1")
_GOOD_DIGESTS = (hashes.SHA256, hashes.SHA384, hashes.SHA512)


@dataclass(frozen=True)
class Finding:
    """One error, as mozilla::pkix would return it, with the evidence a
    person needs: which certificate, which field, which values."""

    code: str
    cert: Cert | None = None
    evidence: tuple[str, ...] = ()
    details: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Policy:
    """What one verification run checks against."""

    at: datetime
    min_rsa_bits: int = 2048
    #: (certificate sha256 or None, code) pairs to treat as fixed, so the
    #: next problem Firefox would report shows (see verify.problems).
    ignored: frozenset = frozenset()

    def skip(self, cert: Cert | None, code: str) -> bool:
        return ((cert.sha256 if cert else None), code) in self.ignored


def issuer_independent(cert: Cert, role: str, anchor: bool, policy: Policy,
                       key_usage: str | None, sub_ca_count: int) -> Finding | None:
    checks = [
        *(() if anchor else (_signature_algorithm,)),
        _public_key, _issuer_name,
    ]
    for check in checks:
        found = check(cert, policy)
        if found and not policy.skip(cert, found.code):
            return found
    for found in (_key_usage(cert, role, key_usage), _basic_constraints(cert, role, anchor, sub_ca_count),
                  _extended_key_usage(cert, role), _validity(cert, policy.at)):
        if found and not policy.skip(cert, found.code):
            return found
    return None


# -- signature algorithm -----------------------------------------------------

def _signature_algorithm(cert: Cert, policy: Policy) -> Finding | None:
    name = signature_name(cert.x509)
    try:
        digest = cert.x509.signature_hash_algorithm
    except UnsupportedAlgorithm:
        digest = None
    if not isinstance(digest, _GOOD_DIGESTS):
        weak = digest.name.upper().replace("SHA1", "SHA-1") if digest else name
        return Finding("SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED", cert,
                       (f"{cert.label} is signed with {name} ({weak}); Firefox accepts only "
                        f"SHA-256, SHA-384 and SHA-512 signatures.",),
                       {"field": "signatureAlgorithm", "value": name})
    if _is_rsa_signature(cert) and len(cert.x509.signature) * 8 < policy.min_rsa_bits:
        bits = len(cert.x509.signature) * 8
        return Finding("MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE", cert,
                       (f"{cert.label} is signed by a {bits}-bit RSA key (its issuer's); "
                        f"Firefox requires at least {policy.min_rsa_bits} bits.",),
                       {"field": "signature", "bits": bits})
    return None


def _is_rsa_signature(cert: Cert) -> bool:
    return "RSA" in signature_name(cert.x509).upper() or "rsa" in cert.x509.signature_algorithm_oid.dotted_string


# -- public key ----------------------------------------------------------------

def _public_key(cert: Cert, policy: Policy) -> Finding | None:
    try:
        key = cert.x509.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return Finding("SEC_ERROR_UNSUPPORTED_KEYALG", cert,
                       (f"{cert.label} has a public key kb cannot read.",), {"field": "subjectPublicKeyInfo"})
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in _SUPPORTED_CURVES:
            return Finding("SEC_ERROR_UNSUPPORTED_ELLIPTIC_CURVE", cert,
                           (f"{cert.label} has an ECDSA key on {key.curve.name}; Firefox supports "
                            f"P-256, P-384 and P-521 only.",), {"field": "subjectPublicKeyInfo"})
        return None
    if isinstance(key, rsa.RSAPublicKey):
        bits = (key.key_size + 7) // 8 * 8  # mozilla::pkix counts whole bytes
        if bits < policy.min_rsa_bits:
            return Finding("MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE", cert,
                           (f"{cert.label} has a {key.key_size}-bit RSA key; Firefox requires at "
                            f"least {policy.min_rsa_bits} bits.",),
                           {"field": "subjectPublicKeyInfo", "bits": key.key_size})
        return None
    return Finding("SEC_ERROR_UNSUPPORTED_KEYALG", cert,
                   (f"{cert.label} has a {describe_key(key)} key; Firefox accepts RSA and ECDSA keys.",),
                   {"field": "subjectPublicKeyInfo"})


def _issuer_name(cert: Cert, policy: Policy) -> Finding | None:
    if len(cert.x509.issuer.rdns) == 0:
        return Finding("MOZILLA_PKIX_ERROR_EMPTY_ISSUER_NAME", cert,
                       (f"{cert.label} has an empty issuer name.",), {"field": "issuer"})
    return None


# -- extensions -----------------------------------------------------------------

def _extension(cert: Cert, oid):
    """The extension, or the Finding a malformed one earns."""
    try:
        return cert.extension(oid), None
    except ValueError as exc:
        return None, Finding("SEC_ERROR_BAD_DER", cert, (f"{cert.label}: malformed extension: {exc}",),
                             {"field": oid.dotted_string})


def _key_usage(cert: Cert, role: str, required: str | None) -> Finding | None:
    usage, bad = _extension(cert, ExtensionOID.KEY_USAGE)
    if bad or usage is None or required is None:
        return bad
    allowed = [name for name in ("digital_signature", "content_commitment", "key_encipherment",
                                 "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign")
               if getattr(usage, name)]
    if not getattr(usage, required) or (required == "key_cert_sign" and role != CA):
        return Finding("SEC_ERROR_INADEQUATE_KEY_USAGE", cert,
                       (f"{cert.label}'s key usage allows {', '.join(allowed) or 'nothing'}; "
                        f"{'issuing certificates needs key_cert_sign' if required == 'key_cert_sign' else 'a TLS server needs digital_signature, key_encipherment or key_agreement'}.",),
                       {"field": "keyUsage", "value": allowed})
    return None


def _basic_constraints(cert: Cert, role: str, anchor: bool, sub_ca_count: int) -> Finding | None:
    constraints, bad = _extension(cert, ExtensionOID.BASIC_CONSTRAINTS)
    if bad:
        return bad
    is_ca, path_length = (constraints.ca, constraints.path_length) if constraints else (False, None)
    if constraints is None and role == CA and cert.x509.version == x509.Version.v1:
        if not anchor:
            return Finding("MOZILLA_PKIX_ERROR_V1_CERT_USED_AS_CA", cert,
                           (f"{cert.label} is a version 1 certificate (no extensions, so no basic "
                            f"constraints) yet it issued another certificate; only a trust anchor "
                            f"may be a v1 CA.",), {"field": "version", "value": "v1"})
        is_ca = True
    if role == EE:
        if is_ca:
            return Finding("MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY", cert,
                           (f"{cert.label} says CA:TRUE in its basic constraints but is the "
                            f"server's own certificate.",), {"field": "basicConstraints", "value": "CA:TRUE"})
        return None
    if not is_ca:
        state = "CA:FALSE" if constraints else "no basic constraints"
        return Finding("SEC_ERROR_CA_CERT_INVALID", cert,
                       (f"{cert.label} has {state}, yet it issued another certificate.",),
                       {"field": "basicConstraints", "value": state})
    if path_length is not None and sub_ca_count > path_length:
        return Finding("SEC_ERROR_PATH_LEN_CONSTRAINT_INVALID", cert,
                       (f"{cert.label} allows {path_length} levels of sub-authorities below it; "
                        f"the chain has {sub_ca_count}.",),
                       {"field": "basicConstraints", "value": f"pathlen:{path_length}"})
    return None


def _extended_key_usage(cert: Cert, role: str) -> Finding | None:
    usage, bad = _extension(cert, ExtensionOID.EXTENDED_KEY_USAGE)
    if bad or usage is None:
        return bad
    purposes = list(usage)
    names = [getattr(p, "_name", p.dotted_string) for p in purposes]
    if ExtendedKeyUsageOID.SERVER_AUTH not in purposes:
        return Finding("SEC_ERROR_INADEQUATE_CERT_TYPE", cert,
                       (f"{cert.label}'s extended key usage is {', '.join(names)}, without serverAuth.",),
                       {"field": "extendedKeyUsage", "value": names})
    if role == EE and ExtendedKeyUsageOID.OCSP_SIGNING in purposes:
        return Finding("SEC_ERROR_INADEQUATE_CERT_TYPE", cert,
                       (f"{cert.label} is a server certificate that also claims OCSPSigning.",),
                       {"field": "extendedKeyUsage", "value": names})
    return None


# -- validity ----------------------------------------------------------------------

def _validity(cert: Cert, at: datetime) -> Finding | None:
    if at < cert.not_before:
        return Finding("MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE", cert,
                       (f"{cert.label} is valid from {_when(cert.not_before)}; checked at {_when(at)}: "
                        f"{_span(cert.not_before - at)} too early (a clock that far ahead would accept it).",),
                       {"field": "notBefore", "value": cert.not_before.isoformat(),
                        "clock_off_seconds": int((cert.not_before - at).total_seconds())})
    if at > cert.not_after:
        return Finding("SEC_ERROR_EXPIRED_CERTIFICATE", cert,
                       (f"{cert.label} expired on {_when(cert.not_after)}; checked at {_when(at)}: "
                        f"{_span(at - cert.not_after)} ago (a clock that far behind would accept it).",),
                       {"field": "notAfter", "value": cert.not_after.isoformat(),
                        "clock_off_seconds": -int((at - cert.not_after).total_seconds())})
    return None


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _span(delta) -> str:
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    if days >= 2:
        return f"{days} days"
    hours = seconds // 3600
    if hours >= 2:
        return f"{hours} hours"
    return f"{max(seconds // 60, 1)} minutes"
