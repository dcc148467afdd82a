"""Certificates as the checks see them, and the stores trust comes from.

Parsing is ``cryptography``'s; this module only names things for people
(``describe_key``, ``names``) and indexes stores by subject, the way
mozilla::pkix looks issuers up (by exact encoded subject name).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from kb.errors import KbError

_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)

#: Where a certificate came from, as the report names it.
SERVER, MOZILLA, CA_FILE, OS_STORE = "server", "mozilla", "ca-file", "os-store"


@dataclass(eq=False)
class Cert:
    x509: x509.Certificate
    source: str = SERVER
    #: Position in the chain the server sent (0 = leaf), None for store certs.
    index: int | None = None
    _ext_cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def der(self) -> bytes:
        from cryptography.hazmat.primitives.serialization import Encoding

        return self.x509.public_bytes(Encoding.DER)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest()

    @cached_property
    def subject(self) -> bytes:
        return self.x509.subject.public_bytes()

    @cached_property
    def issuer(self) -> bytes:
        return self.x509.issuer.public_bytes()

    @cached_property
    def spki(self) -> bytes:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        return self.x509.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)

    @property
    def not_before(self) -> datetime:
        return self.x509.not_valid_before_utc

    @property
    def not_after(self) -> datetime:
        return self.x509.not_valid_after_utc

    def extension(self, oid):
        """The extension's value, or None; a malformed extension raises
        ``ValueError`` (reported as SEC_ERROR_EXTENSION_VALUE_INVALID-like
        SEC_ERROR_BAD_DER by the checks)."""
        if oid not in self._ext_cache:
            try:
                self._ext_cache[oid] = self.x509.extensions.get_extension_for_oid(oid).value
            except x509.ExtensionNotFound:
                self._ext_cache[oid] = None
        return self._ext_cache[oid]

    @property
    def label(self) -> str:
        """'CN=example.com' style short name for people."""
        return short_name(self.x509.subject)

    @property
    def issuer_label(self) -> str:
        return short_name(self.x509.issuer)

    @property
    def names(self) -> list[str]:
        """The DNS names and IP addresses the certificate covers (its SAN)."""
        san = self.extension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
        if san is None:
            return []
        dns = san.get_values_for_type(x509.DNSName)
        ips = [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
        return [*dns, *ips]

    @property
    def self_issued(self) -> bool:
        return self.subject == self.issuer

    def describe(self) -> dict:
        """The certificate as the JSON report shows it."""
        return {
            "index": self.index,
            "source": self.source,
            "subject": self.x509.subject.rfc4514_string(),
            "issuer": self.x509.issuer.rfc4514_string(),
            "serial": format(self.x509.serial_number, "x"),
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "names": self.names,
            "key": describe_key(self.x509.public_key()),
            "signature_algorithm": signature_name(self.x509),
            "version": self.x509.version.name,
            "sha256": self.sha256,
        }


def short_name(name: x509.Name) -> str:
    cns = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if cns:
        return f"CN={cns[-1].value}"
    return name.rfc4514_string() or "(empty name)"


def describe_key(key) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size} bits"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"ECDSA {key.curve.name}"
    if isinstance(key, dsa.DSAPublicKey):
        return f"DSA {key.key_size} bits"
    if isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
        return type(key).__name__.replace("PublicKey", "")
    return type(key).__name__


def signature_name(cert: x509.Certificate) -> str:
    oid = cert.signature_algorithm_oid
    return getattr(oid, "_name", None) or oid.dotted_string


def load_pem_certs(data: bytes, source: str) -> list[Cert]:
    """Every certificate in a PEM bundle, in order. A block that does not
    parse is an error naming its position: a chain with a broken member
    cannot be diagnosed honestly."""
    certs = []
    blocks = _PEM_BLOCK.findall(data)
    for number, block in enumerate(blocks, 1):
        try:
            certs.append(Cert(x509.load_pem_x509_certificate(block), source))
        except ValueError as exc:
            raise KbError(f"certificate {number} of the PEM data does not parse: {exc}") from None
    return certs


def load_store(path: str | Path, source: str) -> list[Cert]:
    """A trust store file (PEM bundle). Store entries that this version of
    ``cryptography`` cannot parse are skipped: they cannot anchor a chain
    kb can check anyway."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KbError(f"{path}: cannot read: {exc.strerror}", status=2) from None
    import warnings

    certs = []
    with warnings.catch_warnings():  # old roots with odd serials: still usable anchors
        warnings.simplefilter("ignore")
        for block in _PEM_BLOCK.findall(data):
            try:
                certs.append(Cert(x509.load_pem_x509_certificate(block), source))
            except ValueError:
                continue
    return certs


class Stores:
    """Trust anchors and the operating system's store, indexed by subject.

    ``mozilla`` is Mozilla's root store (certifi's bundle by default),
    ``extra`` the roots a reader added (``--ca-file``), ``os_store`` the
    operating system's roots that Mozilla's store lacks.
    """

    def __init__(self, mozilla: list[Cert], extra: list[Cert], os_store: list[Cert]) -> None:
        self.mozilla = mozilla
        self.extra = extra
        known = {c.der for c in mozilla} | {c.der for c in extra}
        self.os_store = [c for c in os_store if c.der not in known]
        self._builtin = {c.der for c in mozilla}
        self._by_subject: dict[bytes, list[Cert]] = {}
        for cert in (*mozilla, *extra, *self.os_store):
            self._by_subject.setdefault(cert.subject, []).append(cert)

    def with_subject(self, subject: bytes) -> list[Cert]:
        return self._by_subject.get(subject, [])

    def is_builtin(self, cert: Cert) -> bool:
        return cert.der in self._builtin
