"""Certificates and TLS servers for the ``kb diagnose`` tests.

Keys are made once per test session (EC P-256 wherever the key type does
not matter; RSA where a test is about RSA). Servers are real TLS servers
(pyOpenSSL) on 127.0.0.1, each in a thread, serving one configuration.
"""

from __future__ import annotations

import socket
import struct
import threading
import warnings
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from OpenSSL import SSL, crypto

NOW = datetime.now(timezone.utc).replace(microsecond=0)
DAY = timedelta(days=1)


@lru_cache(maxsize=None)
def ec_key(name: str = "default"):
    """One EC key per name, for the whole session."""
    return ec.generate_private_key(ec.SECP256R1())


@lru_cache(maxsize=None)
def rsa_key(bits: int):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def make_cert(cn: str, key, issuer=None, issuer_key=None, *, names=(), ips=(), ca=False, path_length=None,
              not_before=None, not_after=None, digest=None, key_usage=None, eku=(ExtendedKeyUsageOID.SERVER_AUTH,),
              basic_constraints=True, must_staple=False, serial=None) -> x509.Certificate:
    """A certificate for ``cn``, signed by ``issuer_key`` (itself when no
    issuer is given). ``key_usage`` is a dict of KeyUsage flags; CAs get
    key_cert_sign and crl_sign, servers digital_signature, by default."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer.subject if issuer is not None else subject)
               .public_key(key.public_key())
               .serial_number(serial or x509.random_serial_number())
               .not_valid_before(not_before or NOW - 30 * DAY)
               .not_valid_after(not_after or NOW + 60 * DAY))
    if basic_constraints:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
    usage = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                           "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False)
    usage.update(key_usage or ({"key_cert_sign": True, "crl_sign": True} if ca else {"digital_signature": True}))
    builder = builder.add_extension(x509.KeyUsage(**usage), critical=True)
    if eku and not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    alt = [x509.DNSName(n) for n in names] + [x509.IPAddress(__import__("ipaddress").ip_address(i)) for i in ips]
    if alt:
        builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
    if must_staple:
        builder = builder.add_extension(x509.TLSFeature([x509.TLSFeatureType.status_request]), critical=False)
    return builder.sign(issuer_key or key, digest or hashes.SHA256())


def _legacy(build):
    """Certificates ``cryptography`` refuses to build (version 1, SHA-1 or
    MD5 signatures) are made with pyOpenSSL's older X509 API, deprecated
    for new code but the way to make the old certificates kb must judge."""
    def made(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return build(*args, **kwargs)
    return made


@_legacy
def resign(cert: x509.Certificate, issuer_key, digest: str) -> x509.Certificate:
    """``cert`` signed again by ``issuer_key`` with ``digest`` ("sha1", "md5")."""
    legacy = crypto.X509.from_cryptography(cert)
    legacy.sign(crypto.PKey.from_cryptography_key(issuer_key), digest)
    return legacy.to_cryptography()


@_legacy
def make_v1_cert(cn: str, key, issuer: x509.Certificate, issuer_key) -> x509.Certificate:
    """A version 1 certificate (no extensions)."""
    cert = crypto.X509()
    cert.set_version(0)
    cert.set_serial_number(x509.random_serial_number())
    cert.get_subject().CN = cn
    cert.set_issuer(crypto.X509Name(crypto.X509.from_cryptography(issuer).get_subject()))
    cert.gmtime_adj_notBefore(-30 * 86400)
    cert.gmtime_adj_notAfter(60 * 86400)
    cert.set_pubkey(crypto.PKey.from_cryptography_key(key.public_key()))
    cert.sign(crypto.PKey.from_cryptography_key(issuer_key), "sha256")
    return cert.to_cryptography()


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def ocsp_response(cert, issuer, issuer_key, status=ocsp.OCSPCertStatus.REVOKED) -> bytes:
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=cert, issuer=issuer, algorithm=hashes.SHA1(), cert_status=status,
        this_update=NOW - DAY, next_update=NOW + 3 * DAY,
        revocation_time=NOW - 2 * DAY if status == ocsp.OCSPCertStatus.REVOKED else None,
        revocation_reason=x509.ReasonFlags.key_compromise if status == ocsp.OCSPCertStatus.REVOKED else None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


class Server:
    """A server on 127.0.0.1 that answers every connection the same way:
    ``mode`` "tls" (the given chain and key), "http" (a plain HTTP 400),
    "reset" (TCP RST at once) or "close" (closes at once)."""

    def __init__(self, chain=(), key=None, *, mode="tls", versions=(SSL.TLS1_2_VERSION, SSL.TLS1_3_VERSION),
                 ciphers="DEFAULT", staple: bytes | None = None) -> None:
        self.mode = mode
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.context = None
        if mode == "tls":
            context = SSL.Context(SSL.TLS_METHOD)
            context.set_min_proto_version(versions[0])
            context.set_max_proto_version(versions[1])
            context.set_cipher_list(f"{ciphers}:@SECLEVEL=0".encode())
            context.use_certificate(chain[0])
            for extra in chain[1:]:
                context.add_extra_chain_cert(extra)
            context.use_privatekey(key)
            if staple is not None:
                context.set_ocsp_server_callback(lambda conn, data: staple)
            self.context = context
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self.listener.accept()
            except (socket.timeout, OSError):
                continue
            with sock:
                # Blocking, as pyOpenSSL wants, but never stuck: the OS times reads out.
                sock.setblocking(True)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 5, 0))
                try:
                    self._answer(sock)
                except (OSError, SSL.Error):
                    pass

    def _answer(self, sock) -> None:
        if self.mode == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        if self.mode == "close":
            sock.recv(4096)  # read the hello first, so closing sends FIN, not RST
            return
        if self.mode == "http":
            sock.recv(4096)
            sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        conn = SSL.Connection(self.context, sock)
        conn.set_accept_state()
        conn.do_handshake()
        try:
            conn.recv(1)  # wait for the client's close_notify
        except SSL.Error:
            pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.listener.close()
