"""A :class:`~kb.diagnose.diagnosis.Diagnosis` for a person (text) or a
script (JSON). The JSON keys are documented in ``docs/diagnose.md`` and
kept stable; new keys may be added, none renamed or removed."""

from __future__ import annotations

import textwrap

from kb.diagnose.codes import NETWORK, READER, SITE

FIXERS = {
    SITE: "the site's owner (the server or its certificate must change)",
    READER: "you (your computer's clock, or a root certificate you choose to trust)",
    NETWORK: "your network or security software (a proxy, firewall or antivirus that intercepts)",
}

#: The one thing to do, for the codes where it is clear.
ADVICE = {
    "SEC_ERROR_UNKNOWN_ISSUER": "The server must send its intermediate certificate(s) after its own "
                                "(its 'full chain'); a private CA's root must be imported by each reader.",
    "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT": "Use a certificate from a certificate authority "
                                           "(for example Let's Encrypt).",
    "MOZILLA_PKIX_ERROR_MITM_DETECTED": "Turn off HTTPS/SSL scanning in the security software, or "
                                        "ask the network's administrator; do not import its root unless you trust it.",
    "SEC_ERROR_EXPIRED_CERTIFICATE": "Renew the certificate; if the site's certificate is current, "
                                     "set the computer's clock to the right date.",
    "SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE": "Replace the expired intermediate the server sends with "
                                            "its current version from the CA.",
    "SSL_ERROR_BAD_CERT_DOMAIN": "Get a certificate that lists this name, or use a name it lists.",
    "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED": "Reissue the certificate with a SHA-256 signature.",
    "MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE": "Reissue the certificate with a 2048-bit (or larger) RSA key, or an ECDSA key.",
    "SSL_ERROR_UNSUPPORTED_VERSION": "Enable TLS 1.2 and TLS 1.3 on the server.",
    "SSL_ERROR_NO_CYPHER_OVERLAP": "Enable modern cipher suites (ECDHE with AES-GCM or ChaCha20) on the server.",
    "SSL_ERROR_RX_RECORD_TOO_LONG": "Serve HTTPS on this port (check the server's TLS settings for the port), "
                                    "or use http:// if the site has no TLS.",
    "SEC_ERROR_REVOKED_CERTIFICATE": "Get a new certificate; the revoked one cannot be trusted again.",
}


def to_json(diagnosis, reader=None, help=None) -> dict:
    first = diagnosis.first
    root = diagnosis.path[-1] if diagnosis.path else None
    return {
        "target": {"host": diagnosis.host, "port": diagnosis.port, "source": diagnosis.source},
        "checked_at": diagnosis.at.isoformat(),
        "reader": reader.to_dict() if reader else None,
        "connects": diagnosis.connects,
        "code": first.code.name if first else None,
        "value": first.code.value if first else None,
        "problems": [p.to_dict() for p in diagnosis.problems],
        "chain": [c.describe() for c in diagnosis.chain],
        "path": [c.sha256 for c in diagnosis.path],
        "trusted_root": ({"subject": root.x509.subject.rfc4514_string(), "source": root.source}
                         if root is not None else None),
        "connection": ({"protocol": diagnosis.protocol, "cipher": diagnosis.cipher,
                        "ocsp_staple": diagnosis.ocsp} if diagnosis.protocol else None),
        "notes": list(diagnosis.notes),
        "help": help.to_dict() if help else None,
    }


def to_text(diagnosis, reader=None, help=None, width: int = 80) -> str:
    out: list[str] = []
    target = diagnosis.host or "the certificate"
    if diagnosis.port:
        target = f"{diagnosis.host}:{diagnosis.port}"
    who = reader.describe() if reader else "Firefox"
    first = diagnosis.first
    if first is None:
        out.append(f"{target}: {who} would connect without a warning.")
    else:
        out.append(f"{target}: {who} would show {first.code.name} ({first.code.value}).")
    for number, problem in enumerate(diagnosis.problems, 1):
        out.append("")
        if number == 2:
            out.append("Also wrong, in the order Firefox would report them once the one before is fixed:")
            out.append("")
        out.extend(_problem(number, problem, width))
    out.append("")
    out.extend(_chain(diagnosis))
    if diagnosis.protocol:
        staple = diagnosis.ocsp or "none"
        out.append(f"Connection: {diagnosis.protocol}, {diagnosis.cipher}; OCSP staple: {staple}")
    if diagnosis.notes:
        out.append("")
        out.append("Notes:")
        for note in diagnosis.notes:
            out.append(_wrap(note, width, "  - ", "    "))
    if help is not None:
        out.append("")
        out.extend(_help(help, width))
    return "\n".join(out).rstrip() + "\n"


def _problem(number: int, problem, width: int) -> list[str]:
    code = problem.code
    lines = [f"{number}. {code.name} ({code.value})", _wrap(code.meaning, width, "   ", "   ")]
    for item in problem.finding.evidence:
        lines.append(_wrap(item, width, "   • ", "     "))
    fixers = "; or ".join(FIXERS[f] for f in code.fix_by)
    lines.append(_wrap(f"Who can fix it: {fixers}.", width, "   ", "   "))
    if code.name in ADVICE:
        lines.append(_wrap(ADVICE[code.name], width, "   ", "   "))
    if code.overridable:
        lines.append("   Firefox lets you continue anyway (Accept the Risk and Continue),")
        lines.append("   unless the site uses HSTS.")
    elif number == 1:
        lines.append("   Firefox offers no way to continue to this site.")
    return lines


def _chain(diagnosis) -> list[str]:
    if not diagnosis.chain:
        return ["No certificate: the handshake did not get that far."]
    heading = "Certificates the server sent:" if diagnosis.source == "network" else "Certificates in the file:"
    lines = [heading]
    for cert in diagnosis.chain:
        info = cert.describe()
        lines.append(f"  [{cert.index}] {cert.label}")
        lines.append(f"      issued by {cert.issuer_label}; {info['key']}; {info['signature_algorithm']}")
        lines.append(f"      valid {cert.not_before:%Y-%m-%d} to {cert.not_after:%Y-%m-%d}")
        if info["names"]:
            lines.append(f"      names: {', '.join(info['names'])}")
    if diagnosis.path:
        root = diagnosis.path[-1]
        where = {"mozilla": "Mozilla's root store", "ca-file": "a root you added (--ca-file)",
                 "os-store": "the operating system's store", "server": "sent by the server"}[root.source]
        lines.append(f"Trusted root: {root.label} ({where})")
    return lines


def _help(help, width: int) -> list[str]:
    if not help.registered:
        return [f"The knowledge base has no page for {help.code} yet (or kb ran outside a project "
                f"folder); the explanation above is kb's own."]
    title = f"Help for {help.code}" + (f", for {help.variant}" if help.variant else "")
    lines = [title, "=" * min(len(title), width)]
    lines.append(help.text.rstrip() or "No article in this knowledge base explains this code yet.")
    if help.url:
        lines.append("")
        lines.append(f"Page: {help.url}")
    return lines


def _wrap(text: str, width: int, first: str, rest: str) -> str:
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=first, subsequent_indent=rest)
