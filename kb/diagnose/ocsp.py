"""The OCSP response a server staples to its handshake, judged as Firefox
judges it (``NSSCertDBTrustDomain::CheckRevocationByOCSP`` and
mozilla::pkix's ``pkixocsp.cpp``):

- "good", valid now, signed by the issuer or by a responder certificate the
  issuer delegated (extended key usage OCSPSigning): the certificate is fine;
- "revoked": SEC_ERROR_REVOKED_CERTIFICATE; "unknown":
  SEC_ERROR_OCSP_UNKNOWN_CERT;
- a signature that does not verify: SEC_ERROR_OCSP_BAD_SIGNATURE;
- expired, for another certificate, or signed by an unauthorised responder:
  Firefox ignores the staple, for compatibility (the result is a note).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID

from kb.diagnose.certs import Cert
from kb.diagnose.signatures import signed_by

#: A response without nextUpdate counts as valid for this long (Firefox's
#: maxOCSPLifetimeInDays).
MAX_LIFETIME = timedelta(days=10)


@dataclass(frozen=True)
class StapleResult:
    status: str  # good | revoked | unknown | bad-signature | ignored
    code: str | None
    evidence: str


def check_staple(der: bytes, leaf: Cert, issuer: Cert, at) -> StapleResult:
    try:
        response = ocsp.load_der_ocsp_response(der)
    except ValueError as exc:
        return StapleResult("ignored", None, f"The stapled OCSP response does not parse ({exc}).")
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        return StapleResult("ignored", None, f"The stapled OCSP response says "
                            f"{response.response_status.name.lower()}; Firefox ignores it.")
    wanted = ocsp.OCSPRequestBuilder().add_certificate(leaf.x509, issuer.x509, hashes.SHA1()).build()
    single = next((r for r in response.responses
                   if r.serial_number == leaf.x509.serial_number
                   and r.issuer_key_hash == _key_hash(issuer, r.hash_algorithm, wanted)), None)
    if single is None:
        return StapleResult("ignored", None, "The stapled OCSP response is about another certificate; "
                            "Firefox ignores it.")
    if not _signature_ok(response, issuer):
        signer = _delegated_signer(response, issuer)
        if signer is None:
            if _names_issuer(response, issuer, wanted):
                return StapleResult("bad-signature", "SEC_ERROR_OCSP_BAD_SIGNATURE",
                                    f"The stapled OCSP response's signature does not verify with "
                                    f"the key of {issuer.label}.")
            return StapleResult("ignored", None, "The stapled OCSP response is signed by a responder "
                                "its issuer did not authorise; Firefox ignores it.")
    this_update = single.this_update_utc
    next_update = single.next_update_utc or this_update + MAX_LIFETIME
    if at > next_update or at < this_update - timedelta(minutes=10):
        return StapleResult("ignored", None, f"The stapled OCSP response is valid from "
                            f"{this_update:%Y-%m-%d} to {next_update:%Y-%m-%d}, not at the time "
                            f"checked; Firefox ignores it.")
    status = single.certificate_status
    if status == ocsp.OCSPCertStatus.REVOKED:
        when = single.revocation_time_utc
        reason = single.revocation_reason.name if single.revocation_reason else "no reason given"
        return StapleResult("revoked", "SEC_ERROR_REVOKED_CERTIFICATE",
                            f"The server's own stapled OCSP response, signed by {issuer.label}, says "
                            f"{leaf.label} (serial {leaf.x509.serial_number:x}) was revoked on "
                            f"{when:%Y-%m-%d %H:%M UTC} ({reason}).")
    if status == ocsp.OCSPCertStatus.UNKNOWN:
        return StapleResult("unknown", "SEC_ERROR_OCSP_UNKNOWN_CERT",
                            f"The stapled OCSP response says the issuer does not know {leaf.label}.")
    return StapleResult("good", None, f"The stapled OCSP response says {leaf.label} is good "
                        f"(until {next_update:%Y-%m-%d}).")


def _key_hash(issuer: Cert, algorithm, sha1_request) -> bytes:
    if isinstance(algorithm, hashes.SHA1):
        return sha1_request.issuer_key_hash
    request = ocsp.OCSPRequestBuilder().add_certificate(issuer.x509, issuer.x509, algorithm).build()
    return request.issuer_key_hash


def _names_issuer(response, issuer: Cert, sha1_request) -> bool:
    """The response says the issuer itself signed it (responder ID)."""
    return (response.responder_name == issuer.x509.subject
            or response.responder_key_hash == sha1_request.issuer_key_hash)


def _signed_by_key(response, public_key) -> bool | None:
    """True/False when the signature can be checked, None when it cannot."""
    try:
        return signed_by(public_key, response.signature, response.tbs_response_bytes,
                         response.signature_hash_algorithm)
    except (UnsupportedAlgorithm, ValueError):
        return None


def _signature_ok(response, issuer: Cert) -> bool:
    return _signed_by_key(response, issuer.x509.public_key()) is True


def _delegated_signer(response, issuer: Cert):
    """A responder certificate in the response, issued by the issuer, with
    OCSPSigning, whose key verifies the response."""
    for candidate in response.certificates:
        try:
            eku = candidate.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE).value
        except x509.ExtensionNotFound:
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING not in eku:
            continue
        if candidate.issuer != issuer.x509.subject:
            continue
        if not signed_by(issuer.x509.public_key(), candidate.signature, candidate.tbs_certificate_bytes,
                         candidate.signature_hash_algorithm, candidate.signature_algorithm_parameters):
            continue
        if _signed_by_key(response, candidate.public_key()):
            return candidate
    return None

