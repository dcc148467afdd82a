"""One diagnosis: gather the chain (from the network or a file), load the
trust stores, verify as Firefox does, and keep everything the report needs."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from kb.diagnose import connect
from kb.diagnose.certs import CA_FILE, MOZILLA, OS_STORE, SERVER, Cert, Stores, load_pem_certs, load_store
from kb.diagnose.checks import Finding, Policy
from kb.diagnose.codes import Code, code
from kb.diagnose.verify import Reader, Verifier, problems

#: Environment variables that name the stores, for machines (and tests)
#: where the defaults are not the right ones.
ENV_MOZILLA_ROOTS = "KB_MOZILLA_ROOTS"
ENV_OS_STORE = "KB_OS_STORE"


@dataclass
class Options:
    at: datetime | None = None            # None: now
    ca_files: tuple[Path, ...] = ()       # roots the reader added
    mozilla_roots: Path | None = None     # None: $KB_MOZILLA_ROOTS, else certifi's bundle
    os_store: Path | None = None          # None: $KB_OS_STORE, else the system's default CA file
    timeout: float = 10.0
    reader: Reader = field(default_factory=Reader)

    def moment(self) -> datetime:
        return self.at or datetime.now(timezone.utc)


@dataclass
class Problem:
    code: Code
    finding: Finding

    def to_dict(self) -> dict:
        cert = self.finding.cert
        details = {k: v for k, v in self.finding.details.items() if k not in ("stop", "own_code")}
        return {
            "code": self.code.name,
            "value": self.code.value,
            "meaning": self.code.meaning,
            "fix_by": list(self.code.fix_by),
            "can_override": self.code.overridable,
            "certificate": cert.sha256 if cert else None,
            "certificate_index": cert.index if cert else None,
            "evidence": list(self.finding.evidence),
            "details": details,
        }


@dataclass
class Diagnosis:
    host: str | None
    port: int | None
    source: str                   # "network" or "file"
    at: datetime
    chain: list[Cert] = field(default_factory=list)
    path: list[Cert] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    protocol: str | None = None
    cipher: str | None = None
    ocsp: str | None = None       # the staple's status, None when none was sent
    notes: list[str] = field(default_factory=list)

    @property
    def connects(self) -> bool:
        """Firefox would connect without a warning."""
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def load_stores(options: Options) -> Stores:
    mozilla_path = options.mozilla_roots or os.environ.get(ENV_MOZILLA_ROOTS) or _certifi()
    mozilla = load_store(mozilla_path, MOZILLA)
    extra = [cert for path in options.ca_files for cert in load_store(path, CA_FILE)]
    os_path = options.os_store or os.environ.get(ENV_OS_STORE) or _system_ca_file()
    os_certs = load_store(os_path, OS_STORE) if os_path and Path(os_path).is_file() else []
    return Stores(mozilla, extra, os_certs)


def _certifi() -> str:
    import certifi

    return certifi.where()


def _system_ca_file() -> str | None:
    paths = ssl.get_default_verify_paths()
    return paths.cafile or paths.openssl_cafile


def diagnose_host(host: str, port: int, options: Options,
                  connect_to: tuple[str, int] | None = None) -> Diagnosis:
    """Connect to the site ``host:port`` as Firefox would (SNI ``host``,
    none for an IP address) and diagnose what it sends. ``connect_to`` is
    another address to connect to, the names still being the site's.
    Raises :class:`kb.diagnose.connect.Unreachable`."""
    from kb.diagnose.names import is_ip

    stores = load_stores(options)
    address, address_port = connect_to or (host, port)
    result = connect.handshake(address, address_port, None if is_ip(host) else host, options.timeout)
    diagnosis = Diagnosis(host, port, "network", options.moment())
    if isinstance(result, connect.Failure):
        diagnosis.problems.append(Problem(code(result.code), Finding(result.code, None, tuple(result.evidence))))
        return diagnosis
    diagnosis.protocol, diagnosis.cipher = result.protocol, result.cipher
    diagnosis.notes.extend(result.notes)
    chain = [Cert(c, SERVER, i) for i, c in enumerate(result.chain)]
    return _verify(diagnosis, chain, stores, options, result.ocsp)


def diagnose_pem(data: bytes, host: str | None, options: Options) -> Diagnosis:
    """Diagnose a PEM chain (server certificate first), as if a server
    named ``host`` had sent it; without a host, names are not checked."""
    from kb.errors import KbError

    chain = load_pem_certs(data, SERVER)
    if not chain:
        raise KbError("no certificate found (expected PEM: -----BEGIN CERTIFICATE-----)", status=2)
    for index, cert in enumerate(chain):
        cert.index = index
    diagnosis = Diagnosis(host, None, "file", options.moment())
    if not host:
        diagnosis.notes.append("No host name given (--host): the certificate's names were not checked.")
    return _verify(diagnosis, chain, load_stores(options), options, None)


def _verify(diagnosis: Diagnosis, chain: list[Cert], stores: Stores, options: Options,
            staple: bytes | None) -> Diagnosis:
    diagnosis.chain = chain
    verifier = Verifier(stores, diagnosis.host or "", staple, options.reader)
    found, first = problems(verifier, chain, Policy(at=diagnosis.at))
    diagnosis.problems = [Problem(code(f.code), f) for f in found]
    diagnosis.path = first.path if first else []
    if first and first.staple is not None:
        diagnosis.ocsp = first.staple.status
        if first.staple.code is None:
            diagnosis.notes.append(first.staple.evidence)
    if diagnosis.path and diagnosis.path[-1].source == OS_STORE:
        diagnosis.notes.append(
            f"Firefox trusts this site only because {diagnosis.path[-1].label} is in the operating "
            f"system's store (Firefox 120 and later trust roots added there on Windows and macOS).")
    if diagnosis.connects and diagnosis.path and not stores.is_builtin(diagnosis.path[-1]):
        diagnosis.notes.append(
            f"The chain ends at {diagnosis.path[-1].label}, which is not in Mozilla's root store: "
            f"only browsers that were given that root (--ca-file) connect.")
    if not staple and diagnosis.source == "network":
        diagnosis.notes.append("The server stapled no OCSP response: kb cannot tell whether the "
                               "certificate is revoked (Firefox may ask the CA or use CRLite).")
    return diagnosis
