"""The TLS handshake, offered as Firefox offers it, and what the server
answered.

Why pyOpenSSL: the standard ``ssl`` module on Python 3.11 gives no public
way to read the chain a server sent when it does not verify (only 3.13 has
``get_unverified_chain``) and cannot ask for a stapled OCSP response;
pyOpenSSL (PyCA) has both (``get_peer_cert_chain``, ``request_ocsp`` and
an OCSP client callback). The handshake runs over memory BIOs, so kb sees
every byte the server sends: a plain HTTP answer or an alert is read as
NSS would read it, and nothing but the handshake (and a closing
close_notify) is ever sent.

Firefox's offer (``security/manager/ssl``): TLS 1.2 to 1.3, its default
cipher suites, SNI, a status request. When the handshake fails with one of
the errors ``retryDueToTLSIntolerance`` (``nsNSSIOLayer.cpp``) treats as
possible version intolerance, Firefox tries once more without TLS 1.3 and
reports that second attempt's error; so does kb.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

from OpenSSL import SSL

from kb.diagnose.codes import ALERT_CODES, ALERT_NAMES
from kb.errors import KbError

#: Firefox's default TLS 1.2 cipher suites, in OpenSSL's names (the TLS 1.3
#: suites are OpenSSL's defaults, the same three Firefox offers).
FIREFOX_CIPHERS = ":".join((
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA",
    "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA",
))
#: NSS errors after which Firefox retries with TLS 1.2 as the highest version.
RETRIED = {
    "SSL_ERROR_BAD_MAC_ALERT", "SSL_ERROR_HANDSHAKE_FAILURE_ALERT",
    "SSL_ERROR_HANDSHAKE_UNEXPECTED_ALERT", "SSL_ERROR_ILLEGAL_PARAMETER_ALERT",
    "SSL_ERROR_NO_CYPHER_OVERLAP", "SSL_ERROR_UNSUPPORTED_VERSION",
    "SSL_ERROR_PROTOCOL_VERSION_ALERT", "SSL_ERROR_DECODE_ERROR_ALERT",
    "PR_CONNECT_RESET_ERROR", "PR_END_OF_FILE_ERROR", "SSL_ERROR_INTERNAL_ERROR_ALERT",
}
_VERSIONS = {SSL.TLS1_VERSION: "TLS 1.0", SSL.TLS1_1_VERSION: "TLS 1.1",
             SSL.TLS1_2_VERSION: "TLS 1.2", SSL.TLS1_3_VERSION: "TLS 1.3"}
_MAX_RECORD = 16384 + 2048  # NSS rejects longer TLS ciphertext records
_RECORD_TYPES = {20, 21, 22, 23}


class Unreachable(KbError):
    """No TLS conversation could start: name resolution, refusal, timeout."""

    status = 2


@dataclass
class Handshake:
    chain: list  # cryptography certificates, as the server sent them
    ocsp: bytes | None
    protocol: str
    cipher: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Failure:
    code: str
    evidence: list[str]


def handshake(host: str, port: int, sni: str | None, timeout: float) -> Handshake | Failure:
    """Firefox's handshake with ``host:port``: a :class:`Handshake` or the
    :class:`Failure` Firefox would report. Raises :class:`Unreachable`."""
    first = _attempt(host, port, sni, timeout, SSL.TLS1_2_VERSION, SSL.TLS1_3_VERSION, FIREFOX_CIPHERS)
    if isinstance(first, Handshake) or first.code not in RETRIED:
        return first
    second = _attempt(host, port, sni, timeout, SSL.TLS1_2_VERSION, SSL.TLS1_2_VERSION, FIREFOX_CIPHERS)
    if isinstance(second, Handshake):
        second.notes.append(f"The first handshake failed ({first.code}); Firefox retries without "
                            f"TLS 1.3, and that worked.")
        return second
    second.evidence.append(f"Firefox's first try offered TLS 1.2-1.3 and got {first.code}; its retry "
                           f"without TLS 1.3 got {second.code}.")
    if second.code in ("SSL_ERROR_UNSUPPORTED_VERSION", "SSL_ERROR_PROTOCOL_VERSION_ALERT",
                       "SSL_ERROR_NO_CYPHER_OVERLAP"):
        second.evidence.extend(_what_the_server_speaks(host, port, sni, timeout))
    return second


def _what_the_server_speaks(host, port, sni, timeout) -> list[str]:
    """A second, permissive handshake (every version and cipher OpenSSL
    has) to say what the server would have accepted."""
    try:
        probe = _attempt(host, port, sni, timeout, SSL.TLS1_VERSION, SSL.TLS1_3_VERSION, "ALL")
    except Unreachable:
        return []
    if isinstance(probe, Failure):
        return [f"Even offered every version and cipher suite kb knows, the server answered {probe.code}."]
    unoffered = [what for what, offered in ((probe.protocol, probe.protocol not in ("TLS 1.0", "TLS 1.1")),
                                            (probe.cipher, probe.cipher in FIREFOX_CIPHERS.split(":")
                                             or probe.protocol == "TLS 1.3"))
                 if not offered]
    why = f"; Firefox does not offer {' nor '.join(unoffered)}" if unoffered else ""
    return [f"Offered older protocols and every cipher suite, the server chose {probe.protocol} "
            f"with {probe.cipher}{why}."]


def _attempt(host, port, sni, timeout, low, high, ciphers) -> Handshake | Failure:
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror as exc:
        raise Unreachable(f"cannot find {host}: {exc.strerror or exc}") from None
    except ConnectionRefusedError:
        raise Unreachable(f"{host}:{port} refused the connection (nothing listens there)") from None
    except (socket.timeout, TimeoutError):
        raise Unreachable(f"{host}:{port} did not answer within {timeout:g} seconds") from None
    except ConnectionResetError:
        return Failure("PR_CONNECT_RESET_ERROR", ["The connection was reset (TCP RST) as it opened."])
    except OSError as exc:
        raise Unreachable(f"cannot connect to {host}:{port}: {exc.strerror or exc}") from None
    with sock:
        return _Session(sock, sni, low, high, ciphers, deadline, host, port, timeout).run()


class _Session:
    def __init__(self, sock, sni, low, high, ciphers, deadline, host, port, timeout) -> None:
        self.sock, self.deadline = sock, deadline
        self.where, self.timeout = f"{host}:{port}", timeout
        self.received = bytearray()
        self.ocsp: bytes | None = None
        context = SSL.Context(SSL.TLS_METHOD)
        context.set_min_proto_version(low)
        context.set_max_proto_version(high)
        # Security level 0: kb must see weak keys and old signatures to
        # report them, not have OpenSSL refuse them first.
        context.set_cipher_list(f"{ciphers}:@SECLEVEL=0".encode())
        context.set_verify(SSL.VERIFY_NONE, lambda *args: True)
        context.set_ocsp_client_callback(self._on_ocsp)
        self.conn = SSL.Connection(context, None)
        self.conn.set_connect_state()
        if sni:
            self.conn.set_tlsext_host_name(sni.encode("idna"))
        self.conn.request_ocsp()

    def _on_ocsp(self, conn, data: bytes, _arg) -> bool:
        self.ocsp = data or None
        return True

    def run(self) -> Handshake | Failure:
        while True:
            try:
                self.conn.do_handshake()
                break
            except SSL.WantReadError:
                lost = self._flush()
                data = lost or self._receive()
                if isinstance(data, Failure):
                    return data
                self.received += data
                early = self._read_as_nss()
                if early is not None:
                    return early
                self.conn.bio_write(bytes(data))
            except SSL.Error as exc:
                self._flush()
                return self._read_as_nss() or self._from_openssl(exc)
        done = Handshake(
            chain=[c.to_cryptography() for c in (self.conn.get_peer_cert_chain() or [])],
            ocsp=self.ocsp,
            protocol=_VERSIONS.get(self.conn.get_protocol_version(), self.conn.get_protocol_version_name()),
            cipher=self.conn.get_cipher_name() or "",
        )
        try:  # close politely; nothing else is sent
            self.conn.shutdown()
            self._flush()
        except (SSL.Error, OSError):
            pass
        return done

    def _flush(self) -> Failure | None:
        """Send what OpenSSL wrote; a reset or broken connection is what
        NSPR reports as PR_CONNECT_RESET_ERROR."""
        while True:
            try:
                out = self.conn.bio_read(65536)
            except SSL.WantReadError:
                return None
            try:
                self.sock.sendall(out)
            except (ConnectionResetError, BrokenPipeError):
                return Failure("PR_CONNECT_RESET_ERROR", [self._said("The connection was reset (TCP RST)")])
            except OSError:
                return None

    def _receive(self) -> bytes | Failure:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise Unreachable(f"{self.where} did not finish the TLS handshake within {self.timeout:g} seconds")
        self.sock.settimeout(remaining)
        try:
            data = self.sock.recv(65536)
        except (socket.timeout, TimeoutError):
            raise Unreachable(f"{self.where} did not finish the TLS handshake within "
                              f"{self.timeout:g} seconds") from None
        except ConnectionResetError:
            return Failure("PR_CONNECT_RESET_ERROR", [self._said("The connection was reset (TCP RST)")])
        except OSError as exc:
            return Failure("PR_CONNECT_RESET_ERROR", [self._said(f"The connection failed: {exc.strerror}")])
        if not data:
            return Failure("PR_END_OF_FILE_ERROR", [self._said("The server closed the connection")])
        return data

    def _said(self, what: str) -> str:
        if not self.received:
            return f"{what} before the server sent anything."
        return f"{what} after the server sent {len(self.received)} bytes."

    def _read_as_nss(self) -> Failure | None:
        """What NSS makes of the server's first records: a non-TLS answer
        or a plaintext fatal alert."""
        data = bytes(self.received)
        if len(data) < 5:
            return None
        if data[0] not in _RECORD_TYPES:
            length = int.from_bytes(data[3:5], "big")
            text = data[:60].split(b"\r\n")[0].decode("latin-1")
            shown = repr(text) if text.isprintable() else data[:16].hex(" ")
            if data.startswith(b"HTTP/") or length > _MAX_RECORD:
                return Failure("SSL_ERROR_RX_RECORD_TOO_LONG", [
                    f"The server answered the TLS hello with {shown}: "
                    + ("plain HTTP, not TLS." if data.startswith(b"HTTP/") else "not TLS."),
                    f"Read as a TLS record header, those bytes announce a {length}-byte record, "
                    f"longer than TLS allows ({_MAX_RECORD})."])
            return Failure("SSL_ERROR_RX_UNKNOWN_RECORD_TYPE", [f"The server answered with {shown}, not TLS."])
        offset = 0
        while offset + 5 <= len(data):
            kind, length = data[offset], int.from_bytes(data[offset + 3:offset + 5], "big")
            body = data[offset + 5:offset + 5 + length]
            if len(body) < length:
                return None
            if kind == 21 and length == 2 and body[0] == 2:
                return self._alert(body[1], handshake_started=offset > 0)
            if kind != 22:
                return None
            offset += 5 + length
        return None

    def _alert(self, number: int, handshake_started: bool) -> Failure:
        name = ALERT_NAMES.get(number, f"alert {number}")
        if number == 40 and not handshake_started:
            code = "SSL_ERROR_NO_CYPHER_OVERLAP"  # ssl3_HandleAlert: handshake_failure before ServerHello
        else:
            code = ALERT_CODES.get(number, ("SSL_ERROR_RX_UNKNOWN_ALERT", -12231))[0]
        return Failure(code, [f"The server ended the handshake with a fatal '{name}' alert "
                              f"(TLS alert {number})."])

    def _from_openssl(self, exc: SSL.Error) -> Failure:
        reasons = [r[2] for r in exc.args[0] if isinstance(r, tuple) and len(r) > 2] if exc.args else []
        said = "; ".join(reasons) or str(exc)
        if "unsupported protocol" in said:
            return Failure("SSL_ERROR_UNSUPPORTED_VERSION",
                           ["The server answered with a TLS version older than 1.2, the lowest Firefox "
                            "accepts (security.tls.version.min)."])
        return Failure("SSL_ERROR_RX_MALFORMED_HANDSHAKE", [f"The handshake failed: {said}."])
