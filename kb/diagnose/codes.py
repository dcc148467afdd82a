"""Every code ``kb diagnose`` can report: its NSS/PKIX value, what it means
in one sentence, who can fix it, and whether Firefox lets the reader add an
exception.

The values come from NSS (``lib/util/secerr.h``: SEC_ERROR_BASE = -8192;
``lib/ssl/sslerr.h``: SSL_ERROR_BASE = -12288; NSPR's ``prerror.h``:
PR_NSPR_ERROR_BASE = -6000) and mozilla::pkix (``pkixnss.h``:
MOZILLA_PKIX_ERROR_BASE = -16384). "Overridable" follows
``CategorizeCertificateError`` in Firefox's ``SSLServerCertVerification.cpp``:
only those errors get an "Accept the Risk and Continue" button.
"""

from __future__ import annotations

from dataclasses import dataclass

SITE, READER, NETWORK = "site", "reader", "network"


@dataclass(frozen=True)
class Code:
    name: str
    value: int
    meaning: str
    fix_by: tuple[str, ...]
    overridable: bool = False


def _table(*codes: Code) -> dict[str, Code]:
    return {code.name: code for code in codes}


CODES = _table(
    # -- trust -------------------------------------------------------------
    Code("SEC_ERROR_UNKNOWN_ISSUER", -8179,
         "Firefox cannot link the certificate to a root certificate it trusts: "
         "an intermediate certificate is missing, or the root is not in Mozilla's store.",
         (SITE, READER), True),
    Code("MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT", -16370,
         "The certificate was signed by its own key, not by a certificate authority.",
         (SITE,), True),
    Code("MOZILLA_PKIX_ERROR_MITM_DETECTED", -16369,
         "The certificate was issued by something on your computer or network that "
         "intercepts secure connections (antivirus HTTPS scanning, a company proxy), "
         "and Firefox does not trust its root.",
         (NETWORK, READER), True),
    Code("SEC_ERROR_BAD_SIGNATURE", -8182,
         "A certificate's signature does not verify with its issuer's key.", (SITE,)),
    # -- validity ----------------------------------------------------------
    Code("SEC_ERROR_EXPIRED_CERTIFICATE", -8181,
         "The site's certificate has expired (or the computer's clock is wrong).",
         (SITE, READER), True),
    Code("SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE", -8162,
         "A certificate that issued the site's certificate has expired "
         "(or the computer's clock is wrong).", (SITE, READER), True),
    Code("MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE", -16379,
         "The site's certificate is not valid yet (or the computer's clock is wrong).",
         (SITE, READER), True),
    Code("MOZILLA_PKIX_ERROR_NOT_YET_VALID_ISSUER_CERTIFICATE", -16378,
         "A certificate that issued the site's certificate is not valid yet "
         "(or the computer's clock is wrong).", (SITE, READER), True),
    # -- name --------------------------------------------------------------
    Code("SSL_ERROR_BAD_CERT_DOMAIN", -12276,
         "The certificate is valid only for other names than the one in the address bar.",
         (SITE,), True),
    # -- algorithms, keys and extensions ----------------------------------
    Code("SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED", -8016,
         "A certificate is signed with an algorithm Firefox no longer accepts (SHA-1, MD5).",
         (SITE,), True),
    Code("MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE", -16382,
         "A certificate's RSA key is too short to be safe (less than 2048 bits).",
         (SITE,), True),
    Code("SEC_ERROR_UNSUPPORTED_ELLIPTIC_CURVE", -8051,
         "A certificate's key uses an elliptic curve Firefox does not support "
         "(only P-256, P-384 and P-521 are).", (SITE,)),
    Code("SEC_ERROR_UNSUPPORTED_KEYALG", -8144,
         "A certificate's key is of a kind Firefox does not accept (only RSA and ECDSA keys are).",
         (SITE,)),
    Code("SEC_ERROR_CA_CERT_INVALID", -8156,
         "A certificate used to issue another one is not a certificate authority "
         "(its basic constraints do not say CA).", (SITE,), True),
    Code("MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY", -16383,
         "The site presents a certificate authority's certificate as its own.",
         (SITE,), True),
    Code("MOZILLA_PKIX_ERROR_V1_CERT_USED_AS_CA", -16381,
         "An old version 1 certificate, which cannot say it is a certificate authority, "
         "issued the site's certificate.", (SITE,), True),
    Code("SEC_ERROR_PATH_LEN_CONSTRAINT_INVALID", -8155,
         "A certificate authority issued more levels of sub-authorities than it is allowed to.",
         (SITE,)),
    Code("SEC_ERROR_INADEQUATE_KEY_USAGE", -8102,
         "A certificate's key usage does not allow what it is used for "
         "(signing certificates, or securing a connection).", (SITE,)),
    Code("SEC_ERROR_INADEQUATE_CERT_TYPE", -8101,
         "A certificate's extended key usage does not include securing web servers.",
         (SITE,)),
    Code("MOZILLA_PKIX_ERROR_EMPTY_ISSUER_NAME", -16372,
         "A certificate has an empty issuer name.", (SITE,), True),
    Code("SEC_ERROR_BAD_DER", -8183,
         "A certificate is malformed.", (SITE,)),
    # -- revocation ----------------------------------------------------------
    Code("SEC_ERROR_REVOKED_CERTIFICATE", -8180,
         "The certificate authority has revoked the site's certificate.", (SITE,)),
    Code("SEC_ERROR_OCSP_UNKNOWN_CERT", -8066,
         "The certificate authority's revocation service does not know the site's certificate.",
         (SITE,)),
    Code("SEC_ERROR_OCSP_BAD_SIGNATURE", -8035,
         "The revocation status the server sent (its OCSP staple) has an invalid signature.",
         (SITE,)),
    Code("MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING", -16374,
         "The certificate requires the server to send its revocation status "
         "(OCSP must-staple), and the server did not.", (SITE,)),
    # -- the handshake ---------------------------------------------------------
    Code("SSL_ERROR_UNSUPPORTED_VERSION", -12279,
         "The server only speaks an old TLS version (TLS 1.0 or 1.1) that Firefox no longer uses.",
         (SITE,)),
    Code("SSL_ERROR_PROTOCOL_VERSION_ALERT", -12190,
         "The server refused every TLS version Firefox offered.", (SITE,)),
    Code("SSL_ERROR_NO_CYPHER_OVERLAP", -12286,
         "The server and Firefox have no encryption method (cipher suite) in common.",
         (SITE,)),
    Code("SSL_ERROR_RX_RECORD_TOO_LONG", -12263,
         "The server did not answer in TLS: something that is not a secure server "
         "(often plain HTTP) listens on this port.", (SITE, NETWORK)),
    Code("SSL_ERROR_RX_UNKNOWN_RECORD_TYPE", -12233,
         "The server answered with data that is not TLS.", (SITE, NETWORK)),
    Code("SSL_ERROR_RX_MALFORMED_HANDSHAKE", -12249,
         "The server's handshake messages could not be understood.", (SITE,)),
    Code("SSL_ERROR_RX_UNKNOWN_ALERT", -12231,
         "The server ended the handshake with an alert Firefox does not know.", (SITE,)),
    Code("PR_CONNECT_RESET_ERROR", -5961,
         "The connection was reset during the secure handshake, by the server or "
         "by something between (a firewall, proxy or antivirus).", (NETWORK, SITE)),
    Code("PR_END_OF_FILE_ERROR", -5938,
         "The server (or something between) closed the connection during the "
         "secure handshake.", (NETWORK, SITE)),
)

#: TLS alert description (RFC 8446 section 6) -> the NSS code Firefox
#: reports when the server sends it as a fatal alert (ssl3_HandleAlert in
#: NSS's ssl3con.c).
ALERT_CODES = {
    10: ("SSL_ERROR_HANDSHAKE_UNEXPECTED_ALERT", -12229),
    20: ("SSL_ERROR_BAD_MAC_ALERT", -12272),
    22: ("SSL_ERROR_RECORD_OVERFLOW_ALERT", -12196),
    40: ("SSL_ERROR_HANDSHAKE_FAILURE_ALERT", -12227),
    42: ("SSL_ERROR_BAD_CERT_ALERT", -12271),
    47: ("SSL_ERROR_ILLEGAL_PARAMETER_ALERT", -12226),
    48: ("SSL_ERROR_UNKNOWN_CA_ALERT", -12195),
    49: ("SSL_ERROR_ACCESS_DENIED_ALERT", -12194),
    50: ("SSL_ERROR_DECODE_ERROR_ALERT", -12193),
    51: ("SSL_ERROR_DECRYPT_ERROR_ALERT", -12192),
    70: ("SSL_ERROR_PROTOCOL_VERSION_ALERT", -12190),
    71: ("SSL_ERROR_INSUFFICIENT_SECURITY_ALERT", -12189),
    80: ("SSL_ERROR_INTERNAL_ERROR_ALERT", -12188),
    86: ("SSL_ERROR_INAPPROPRIATE_FALLBACK_ALERT", -12157),
    109: ("SSL_ERROR_MISSING_EXTENSION_ALERT", -12145),
    110: ("SSL_ERROR_UNSUPPORTED_EXTENSION_ALERT", -12184),
    112: ("SSL_ERROR_UNRECOGNIZED_NAME_ALERT", -12182),
}

ALERT_NAMES = {
    10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
    40: "handshake_failure", 42: "bad_certificate", 47: "illegal_parameter",
    48: "unknown_ca", 49: "access_denied", 50: "decode_error", 51: "decrypt_error",
    70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
    86: "inappropriate_fallback", 109: "missing_extension",
    110: "unsupported_extension", 112: "unrecognized_name",
}


def code(name: str) -> Code:
    """The code called ``name``; alert codes get a generic meaning."""
    if name in CODES:
        return CODES[name]
    for number, (alert_code, value) in ALERT_CODES.items():
        if alert_code == name:
            return Code(name, value, f"The server ended the handshake with a "
                        f"'{ALERT_NAMES[number]}' alert.", (SITE,))
    raise KeyError(name)
